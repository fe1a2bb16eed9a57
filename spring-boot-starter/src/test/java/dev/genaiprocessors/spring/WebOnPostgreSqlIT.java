package dev.genaiprocessors.spring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web scenarios with the storage in the machine's PostgreSQL (127.0.0.1:5432, database {@code
 * test}, trust authentication), in a schema of their own that is dropped afterwards.
 */
@SpringBootTest(
    classes = StarterTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebOnPostgreSqlIT extends WebScenarios {
  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String SCHEMA =
      "starter_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static String user = "postgres";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws SQLException {
    user = createSchema();
    modelProperties(registry);
    registry.add("spring.datasource.url", () -> ADMIN_URL + "?currentSchema=" + SCHEMA);
    registry.add("spring.datasource.username", () -> user);
  }

  private static String createSchema() throws SQLException {
    SQLException failure = null;
    for (String candidate : new String[] {"postgres", "root"}) {
      try (Connection connection = DriverManager.getConnection(ADMIN_URL, candidate, "");
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA " + SCHEMA);
        return candidate;
      } catch (SQLException e) {
        failure = e;
      }
    }
    throw failure;
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    try (Connection connection = DriverManager.getConnection(ADMIN_URL, user, "");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
    }
  }
}
