package dev.genaiprocessors.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.jdbc.Storage;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Who migrates the storage's tables: Boot's Flyway when it is active, the storage otherwise. */
class StorageMigrationsTest {
  private final ApplicationContextRunner withDatabase =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataSourceAutoConfiguration.class,
                  GenAiAutoConfiguration.class,
                  StorageAutoConfiguration.class));
  private final ApplicationContextRunner withBootFlyway =
      withDatabase.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class));

  @Test
  void withBootsFlyway_bootRunsTheStorageMigrations_inTheStoragesOwnHistory() {
    withBootFlyway.run(
        context -> {
          assertThat(context).hasNotFailed().hasSingleBean(Storage.class);
          assertThat(context).hasBean("genAiStorageFlywayInitializer");
          assertThat(context.getBeansOfType(FlywayMigrationInitializer.class)).hasSize(2);
          Flyway storageFlyway = context.getBean("genAiStorageFlyway", Flyway.class);
          assertThat(storageFlyway.getConfiguration().getTable()).isEqualTo("gp_schema_history");
          assertThat(appliedVersions(storageFlyway)).contains("1");
          assertThat(storageFlyway.info().pending()).isEmpty();
          // The application's Flyway is still the one injected by type, with its own history
          // holding its own V1 (src/test/resources/db/migration), migrated before the storage's.
          Flyway applicationFlyway = context.getBean(Flyway.class);
          assertThat(applicationFlyway.getConfiguration().getTable())
              .isEqualTo("flyway_schema_history");
          assertThat(applicationFlyway.info().applied())
              .extracting(MigrationInfo::getDescription)
              .containsExactly("notes");
          assertThat(
                  context
                      .getBeanFactory()
                      .getBeanDefinition("genAiStorageFlywayInitializer")
                      .getDependsOn())
              .contains("flywayInitializer");
          assertStorageWorks(context);
        });
  }

  @Test
  void withBootsFlyway_theStorageDoesNotMigrate_soAStrategyThatSkipsMigrationsLeavesItNoTables() {
    FlywayMigrationStrategy skip = flyway -> {};
    withBootFlyway
        .withBean(FlywayMigrationStrategy.class, () -> skip)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .extracting(GenAiAutoConfigurationTest::rootMessage)
                    .asString()
                    .contains("prefix 'gp_'")
                    .contains("migrate(false)"));
  }

  @Test
  void theStoragesTablePrefix_namesTheHistoryTableBootMigrates() {
    withBootFlyway
        .withPropertyValues("genai.storage.table-prefix=chat_")
        .run(
            context -> {
              Flyway storageFlyway = context.getBean("genAiStorageFlyway", Flyway.class);
              assertThat(storageFlyway.getConfiguration().getTable())
                  .isEqualTo("chat_schema_history");
              assertThat(appliedVersions(storageFlyway)).contains("1");
              assertStorageWorks(context);
            });
  }

  @Test
  void withoutBootsFlyway_theStorageMigratesItself() {
    List<ApplicationContextRunner> withoutBootFlyway =
        List.of(
            withDatabase,
            withBootFlyway.withPropertyValues("spring.flyway.enabled=false"),
            withDatabase.withClassLoader(
                new FilteredClassLoader(FlywayMigrationInitializer.class)));
    for (ApplicationContextRunner runner : withoutBootFlyway) {
      runner.run(
          context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Storage.class);
            assertThat(context).doesNotHaveBean("genAiStorageFlyway");
            assertThat(context).doesNotHaveBean(FlywayMigrationInitializer.class);
            assertStorageWorks(context);
          });
    }
  }

  @Test
  void aUserStorage_getsNoMigrationsFromTheStarter() {
    withBootFlyway
        .withUserConfiguration(GenAiAutoConfigurationTest.UserStorage.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean("genAiStorageFlyway");
              assertThat(context.getBeansOfType(FlywayMigrationInitializer.class)).hasSize(1);
            });
  }

  private static List<String> appliedVersions(Flyway flyway) {
    return Arrays.stream(flyway.info().applied())
        .map(MigrationInfo::getVersion)
        .map(version -> version.getVersion())
        .toList();
  }

  private static void assertStorageWorks(AssertableApplicationContext context) {
    Storage storage = context.getBean(Storage.class);
    Processor echo = storage.wrap(Processor.of("echo", content -> content));
    String runId = Storage.runIdOf(echo.apply("stored?").gather().get(0)).orElseThrow();
    assertThat(storage.inputs(runId).text()).isEqualTo("stored?");
  }
}
