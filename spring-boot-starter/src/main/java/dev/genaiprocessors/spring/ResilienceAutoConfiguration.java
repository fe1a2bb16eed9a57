package dev.genaiprocessors.spring;

import dev.genaiprocessors.resilience.CircuitBreakerConfig;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.resilience.RetryConfig;
import dev.genaiprocessors.resilience.TimeoutConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Decorates each model with {@code genai.resilience}'s retry, timeouts and circuit breaker, when
 * the resilience module is present. Decorating turns the model's SDK retries off, so one layer
 * retries.
 */
@AutoConfiguration(after = GenAiAutoConfiguration.class)
@ConditionalOnClass(Resilience.class)
@ConditionalOnBooleanProperty(name = "genai.resilience.enabled", matchIfMissing = true)
class ResilienceAutoConfiguration {

  @Bean
  @Order(0)
  Decorator genAiResilienceDecorator(GenAiProperties properties) {
    GenAiProperties.Resilience settings = properties.resilience();
    return d -> {
      if (!d.kind().equals("model") || !d.resilience()) {
        return d;
      }
      Resilience.Builder builder =
          Resilience.builder(d.name())
              .retry(
                  RetryConfig.builder()
                      .maxAttempts(settings.maxAttempts())
                      .initialBackoff(settings.initialBackoff())
                      .maxWait(settings.maxWait())
                      .build());
      if (settings.firstPartTimeout() != null || settings.betweenPartsTimeout() != null) {
        builder.timeout(
            new TimeoutConfig(settings.firstPartTimeout(), settings.betweenPartsTimeout()));
      }
      if (settings.circuitBreaker()) {
        builder.circuitBreaker(CircuitBreakerConfig.defaults());
      }
      Resilience resilience = builder.build();
      if (settings.circuitBreaker()) {
        return d.withCircuit(
            resilience.decorate(d.processor()), () -> resilience.circuitState().name());
      }
      return d.withProcessor(resilience.decorate(d.processor()));
    };
  }
}
