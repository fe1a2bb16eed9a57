package dev.genaiprocessors.spring;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorCache;
import dev.genaiprocessors.jdbc.Storage;
import dev.genaiprocessors.jdbc.StoredRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * The run storage and the SQL cache on the application's {@code DataSource}, when the jdbc module
 * is present and a {@code DataSource} bean exists; models and pipelines are wrapped so each call is
 * a stored run. The storage creates its tables ({@code gp_runs}, {@code gp_parts}, {@code gp_cache}
 * under {@code genai.storage.table-prefix}) with its own Flyway history table, after Boot's own
 * database initialisation (Flyway, Liquibase, SQL scripts) has run.
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
  Storage genAiStorage(DataSource dataSource, GenAiProperties properties) {
    GenAiProperties.Storage settings = properties.storage();
    return Storage.builder()
        .dataSource(dataSource)
        .tablePrefix(settings.tablePrefix())
        .batchSize(settings.batchSize())
        .flushInterval(settings.flushInterval())
        .build();
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
      String name = d.processor().name();
      // Under its own name: observability recognises a model call by its stage's name, which
      // "stored(...)" would hide.
      return d.stored(Processor.named(name, available.wrap(d.processor())), name);
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
