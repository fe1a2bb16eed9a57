package dev.genaiprocessors.spring;

import dev.genaiprocessors.RunConfig;
import dev.genaiprocessors.observability.Observability;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The observability module on Boot's {@code MeterRegistry} and {@code OpenTelemetry} beans (either
 * or both), installed as the default of every run unless {@code
 * genai.observability.install-as-default} is false.
 */
@AutoConfiguration(
    after = GenAiAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
      "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration"
    })
@ConditionalOnClass(Observability.class)
@ConditionalOnBooleanProperty(name = "genai.observability.enabled", matchIfMissing = true)
class ObservabilityAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Observability genAiObservability(
      ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<OpenTelemetry> openTelemetry,
      GenAiProperties properties) {
    Observability.Builder builder =
        Observability.builder().captureContent(properties.observability().captureContent());
    meterRegistry.ifAvailable(builder::meterRegistry);
    openTelemetry.ifAvailable(builder::openTelemetry);
    return builder.build();
  }

  @Bean
  @ConditionalOnBooleanProperty(
      name = "genai.observability.install-as-default",
      matchIfMissing = true)
  Installation genAiObservabilityInstallation(Observability observability) {
    return new Installation(observability);
  }

  /** Installs the observability as the runs' default while the context lives. */
  static final class Installation implements InitializingBean, DisposableBean {
    private final Observability observability;
    private @Nullable RunConfig replaced;

    Installation(Observability observability) {
      this.observability = observability;
    }

    @Override
    public void afterPropertiesSet() {
      replaced = observability.installAsDefault();
    }

    @Override
    public void destroy() {
      RunConfig previous = replaced;
      if (previous != null) {
        RunConfig.setDefaults(previous);
      }
    }
  }
}
