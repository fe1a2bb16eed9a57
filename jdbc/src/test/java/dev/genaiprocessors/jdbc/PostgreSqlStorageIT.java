package dev.genaiprocessors.jdbc;

/** The storage contract on PostgreSQL. */
class PostgreSqlStorageIT extends StorageContract {
  @Override
  TestDatabase open() throws Exception {
    return TestDatabase.postgresql();
  }
}
