package dev.genaiprocessors.jdbc;

/** The storage contract on MariaDB. */
class MariaDbStorageIT extends StorageContract {
  @Override
  TestDatabase open() throws Exception {
    return TestDatabase.mariadb();
  }
}
