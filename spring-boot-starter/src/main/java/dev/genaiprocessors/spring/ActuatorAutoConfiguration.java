package dev.genaiprocessors.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code genai} actuator endpoint and health indicator, when the actuator is present. */
@AutoConfiguration(
    after = {
      GenAiAutoConfiguration.class,
      StorageAutoConfiguration.class,
      ResilienceAutoConfiguration.class
    })
@ConditionalOnClass(
    name =
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
class ActuatorAutoConfiguration {

  @Bean
  @ConditionalOnAvailableEndpoint
  GenAiEndpoint genAiEndpoint(GenAiBeans beans, ObjectProvider<RecentRuns> runs) {
    return new GenAiEndpoint(beans, runs);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("genai")
  static class Health {
    @Bean
    HealthIndicator genaiHealthIndicator(GenAiBeans beans) {
      return () -> GenAiHealthIndicator.health(beans);
    }
  }
}
