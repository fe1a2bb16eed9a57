-- The test application's own first migration, run by Boot's Flyway in its own history
-- (flyway_schema_history); the storage's V1 lives beside it in gp_schema_history.
CREATE TABLE notes (
  id BIGINT NOT NULL,
  body VARCHAR(200) NOT NULL,
  PRIMARY KEY (id)
);
