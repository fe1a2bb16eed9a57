package dev.genaiprocessors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.Processor;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Settings are checked at build(), before anything connects, each error naming the setting. */
class StorageSettingsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gp_; DROP TABLE gp_runs; --",
        "gp\"",
        "Gp_",
        "1gp_",
        "gp-",
        "gp_runs WHERE 1=1",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void aTablePrefixThatIsNotAPlainIdentifier_isRefused(String prefix) {
    assertThatThrownBy(() -> Storage.builder().tablePrefix(prefix).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tablePrefix must be lower-case letters, digits and underscores")
        .hasMessageContaining("\"" + prefix + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "gp_", "a", "team_7_", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  void plainIdentifiers_makeValidPrefixes(String prefix) {
    assertThat(Tables.validPrefix(prefix)).isEqualTo(prefix);
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of((UnaryOperator<Storage.Builder>) b -> b.batchSize(0), "batchSize", "0"),
        Arguments.of((UnaryOperator<Storage.Builder>) b -> b.spoolLimit(-1), "spoolLimit", "-1"),
        Arguments.of((UnaryOperator<Storage.Builder>) b -> b.maxPartBytes(0), "maxPartBytes", "0"),
        Arguments.of((UnaryOperator<Storage.Builder>) b -> b.poolSize(0), "poolSize", "0"),
        Arguments.of(
            (UnaryOperator<Storage.Builder>) b -> b.flushInterval(Duration.ZERO),
            "flushInterval",
            "PT0S"),
        Arguments.of(
            (UnaryOperator<Storage.Builder>) b -> b.retryInterval(Duration.ofSeconds(-1)),
            "retryInterval",
            "PT-1S"),
        Arguments.of(
            (UnaryOperator<Storage.Builder>) b -> b.connectionTimeout(Duration.ofMillis(10)),
            "connectionTimeout",
            "PT0.01S"),
        Arguments.of(
            (UnaryOperator<Storage.Builder>) b -> b.closeTimeout(Duration.ofSeconds(-5)),
            "closeTimeout",
            "PT-5S"));
  }

  @ParameterizedTest
  @MethodSource("badSettings")
  void aBadSetting_isRefused_namingItAndItsValue(
      UnaryOperator<Storage.Builder> setting, String name, String value) {
    assertThatThrownBy(() -> setting.apply(Storage.builder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(name + " must")
        .hasMessageEndingWith(value);
  }

  @Test
  void aUrlAndADataSourceTogether_areRefused() {
    assertThatThrownBy(
            () ->
                Storage.builder()
                    .url("jdbc:h2:mem:x")
                    .dataSource(new org.h2.jdbcx.JdbcDataSource())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("give either url or dataSource, not both");
  }

  @Test
  void aDatabaseThatCannotBeReached_failsTheBuild_namingItsUrlWithoutSecrets() {
    assertThatThrownBy(
            () ->
                Storage.builder()
                    .url("jdbc:postgresql://app:s3cret@127.0.0.1:1/db?password=s3cret")
                    .connectionTimeout(Duration.ofMillis(250))
                    .build())
        .isInstanceOf(StorageException.class)
        .hasMessageStartingWith("cannot connect to jdbc:postgresql://127.0.0.1:1/db: ")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aProcessorNameLongerThanItsColumn_isRefused_namingItsLength() {
    try (Storage storage = Storage.inMemory()) {
      Processor long_ = Processor.named("p".repeat(300), (in, out) -> {});

      assertThatThrownBy(() -> storage.wrap(long_))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "a stored processor's name may have at most 255 characters, but this one has 300");
    }
  }

  @Test
  void theDefaultStorage_isEmbeddedH2InMemory_andGoneWhenClosed() {
    String description;
    try (Storage storage = Storage.inMemory()) {
      description = storage.toString();
      storage.wrap(Processor.named("p", (in, out) -> out.emitAll(in))).apply("x").gather();
    }
    assertThat(description).startsWith("Storage[H2 at jdbc:h2:mem:genai-processors-");
    assertThat(description).endsWith(", tablePrefix=gp_]");
  }

  @Test
  void aClosedStorage_refusesNewRuns() {
    Storage storage = Storage.inMemory();
    Processor stored = storage.wrap(Processor.named("p", (in, out) -> out.emitAll(in)));
    storage.close();

    assertThatThrownBy(() -> stored.apply("x").gather())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }
}
