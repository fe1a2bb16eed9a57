package dev.genaiprocessors.jdbc;

/** The storage contract on H2. */
class H2StorageTest extends StorageContract {
  @Override
  TestDatabase open() throws Exception {
    return TestDatabase.h2();
  }
}
