package dev.genaiprocessors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DialectTest {

  @ParameterizedTest
  @CsvSource({
    "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=s&password=x,"
        + " jdbc:postgresql://127.0.0.1:5432/test",
    "jdbc:mariadb://root:secret@db:3306/app, jdbc:mariadb://db:3306/app",
    "jdbc:h2:mem:x;DB_CLOSE_DELAY=-1;PASSWORD=y, jdbc:h2:mem:x",
    "jdbc:h2:file:/data/db, jdbc:h2:file:/data/db"
  })
  void aUrlInAMessage_losesItsParametersAndCredentials(String url, String shown) {
    assertThat(Dialect.describeUrl(url)).isEqualTo(shown);
  }

  @Test
  void theDatabases_areKnownByTheirProductNames() {
    assertThat(Dialect.of("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
    assertThat(Dialect.of("MariaDB")).isEqualTo(Dialect.MARIADB);
    assertThat(Dialect.of("H2")).isEqualTo(Dialect.H2);
    assertThatThrownBy(() -> Dialect.of("Oracle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("storage supports PostgreSQL, MariaDB and H2, but the database is Oracle");
  }
}
