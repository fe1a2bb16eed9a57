package dev.genaiprocessors.spring;

import dev.genaiprocessors.ProcessorCache;
import dev.genaiprocessors.jdbc.Storage;
import dev.genaiprocessors.jdbc.StoredRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The run storage and the SQL cache on the application's {@code DataSource}, when the jdbc module
 * is present and a {@code DataSource} bean exists; models and pipelines are wrapped so each call is
 * a stored run. The storage's tables are {@code gp_runs}, {@code gp_parts} and {@code gp_cache}
 * under {@code genai.storage.table-prefix}, with a Flyway history table of their own ({@code
 * gp_schema_history}).
 *
 * <p><b>Who migrates them.</b> When Boot's Flyway is active (its auto-configuration made a {@code
 * Flyway} bean, and {@code spring.flyway.enabled} is not false), Boot runs the storage's
 * migrations: {@link BootFlyway} adds a {@code Flyway} bean for them and a {@link
 * FlywayMigrationInitializer}, Boot's own runner, so they run in Boot's database-initialisation
 * phase, through the application's {@link FlywayMigrationStrategy} if it has one, and show in
 * {@code /actuator/flyway} beside the application's; the storage is then built with {@code
 * migrate(false)} and only checks that its tables are there. Without Boot's Flyway the storage
 * migrates its tables itself when it is built. Either way the storage is built after Boot's
 * database initialisers have run.
 *
 * <p>The migrations keep their own history table rather than joining the application's through a
 * {@code FlywayConfigurationCustomizer}: in the application's history their version numbers would
 * collide with its own ({@code V1__...} is everyone's first), their placeholders would be applied
 * to its scripts, and the application would have to list our location among {@code
 * spring.flyway.locations}. Kept apart, adding or upgrading the starter never touches the
 * application's migrations, as Boot users expect of a library.
 */
@AutoConfiguration(
    after = GenAiAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
    })
@ConditionalOnClass({Storage.class, DataSource.class})
@ConditionalOnBooleanProperty(name = "genai.storage.enabled", matchIfMissing = true)
class StorageAutoConfiguration {
  private static final int RECENT_RUNS = 20;
  private static final Duration RECENT = Duration.ofDays(7);

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnBean(DataSource.class)
  @DependsOnDatabaseInitialization
  Storage genAiStorage(
      DataSource dataSource,
      GenAiProperties properties,
      ObjectProvider<MigratedByBootFlyway> migratedByBoot) {
    GenAiProperties.Storage settings = properties.storage();
    return Storage.builder()
        .dataSource(dataSource)
        .migrate(migratedByBoot.getIfAvailable() == null)
        .tablePrefix(settings.tablePrefix())
        .batchSize(settings.batchSize())
        .flushInterval(settings.flushInterval())
        .build();
  }

  /** Says that Boot's Flyway migrates the storage's tables, so the storage need not. */
  record MigratedByBootFlyway(String tablePrefix) {}

  /**
   * The storage's migrations run by Boot's Flyway: see the class comment. The {@code Flyway} bean
   * is no autowiring candidate, so an application's {@code Flyway} injection point still finds
   * Boot's bean alone, while the actuator's {@code flyway} endpoint, which lists every bean of the
   * type, shows it.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Flyway.class, FlywayMigrationInitializer.class})
  @ConditionalOnBean({DataSource.class, Flyway.class})
  @ConditionalOnMissingBean(Storage.class)
  @ConditionalOnBooleanProperty(name = "spring.flyway.enabled", matchIfMissing = true)
  static class BootFlyway {
    private static final String INITIALIZER = "genAiStorageFlywayInitializer";

    /**
     * Runs the storage's migrations after the application's own Flyway runners: Flyway refuses to
     * start an application's first history in a schema holding tables already (unless told to
     * baseline), so the storage's tables must not get there first.
     */
    @Bean
    static BeanFactoryPostProcessor genAiStorageMigrationsAfterTheApplications() {
      return beanFactory -> {
        if (!beanFactory.containsBeanDefinition(INITIALIZER)) {
          return;
        }
        List<String> dependsOn = new ArrayList<>();
        BeanDefinition ours = beanFactory.getBeanDefinition(INITIALIZER);
        if (ours.getDependsOn() != null) {
          dependsOn.addAll(Arrays.asList(ours.getDependsOn()));
        }
        for (String name :
            beanFactory.getBeanNamesForType(FlywayMigrationInitializer.class, true, false)) {
          if (!name.equals(INITIALIZER) && !dependsOn.contains(name)) {
            dependsOn.add(name);
          }
        }
        ours.setDependsOn(dependsOn.toArray(String[]::new));
      };
    }

    @Bean
    MigratedByBootFlyway genAiStorageMigratedByBootFlyway(GenAiProperties properties) {
      return new MigratedByBootFlyway(properties.storage().tablePrefix());
    }

    @Bean(autowireCandidate = false)
    Flyway genAiStorageFlyway(DataSource dataSource, GenAiProperties properties) {
      return Storage.flywayConfiguration(dataSource, properties.storage().tablePrefix()).load();
    }

    @Bean(INITIALIZER)
    FlywayMigrationInitializer genAiStorageFlywayInitializer(
        BeanFactory beans, ObjectProvider<FlywayMigrationStrategy> strategy) {
      // By name: a bean that is no autowiring candidate cannot be injected, even with a qualifier.
      Flyway flyway = beans.getBean("genAiStorageFlyway", Flyway.class);
      return new FlywayMigrationInitializer(flyway, strategy.getIfAvailable());
    }
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(Storage.class)
  @ConditionalOnBooleanProperty(name = "genai.cache.enabled", matchIfMissing = true)
  ProcessorCache genAiCache(Storage storage, GenAiProperties properties) {
    return storage.cache(properties.cache().ttl(), properties.cache().maxItems());
  }

  @Bean
  @Order(10)
  Decorator genAiStorageDecorator(ObjectProvider<Storage> storage) {
    return d -> {
      Storage available = storage.getIfAvailable();
      if (available == null || !d.store()) {
        return d;
      }
      // The stored processor keeps the model's name, so observability still sees a model call.
      return d.stored(available.wrap(d.processor()), d.processor().name());
    };
  }

  @Bean
  @ConditionalOnBean(Storage.class)
  RecentRuns genAiRecentRuns(Storage storage) {
    return name -> {
      Instant now = Instant.now();
      List<StoredRun> runs = storage.runs(name, now.minus(RECENT), now.plusSeconds(1));
      return runs.stream()
          .sorted(Comparator.comparing(StoredRun::startedAt).reversed())
          .limit(RECENT_RUNS)
          .map(StorageAutoConfiguration::describe)
          .toList();
    };
  }

  private static Map<String, Object> describe(StoredRun run) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", run.id());
    row.put("startedAt", run.startedAt().toString());
    if (run.endedAt() != null) {
      row.put("endedAt", String.valueOf(run.endedAt()));
    }
    row.put("outcome", run.outcome().name());
    if (run.error() != null) {
      row.put("error", String.valueOf(run.error()));
    }
    return row;
  }
}
