package dev.genaiprocessors.spring;

import dev.genaiprocessors.discovery.BalancedProcessor;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code genai} actuator endpoint and health indicator, when the actuator is present; and, when
 * the discovery module is present too and the application has {@code BalancedProcessor} beans, the
 * {@code genaiDiscovery} health contributor, one {@link DiscoveryHealth} per balancer bean under
 * its bean name ({@code /actuator/health/genaiDiscovery/<bean>}), switched off by {@code
 * management.health.genai-discovery.enabled=false}.
 */
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

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({HealthIndicator.class, BalancedProcessor.class})
  @ConditionalOnBean(BalancedProcessor.class)
  @ConditionalOnEnabledHealthIndicator("genai-discovery")
  static class Discovery {
    @Bean
    HealthContributor genaiDiscoveryHealthContributor(Map<String, BalancedProcessor> balancers) {
      return CompositeHealthContributor.fromMap(
          new TreeMap<>(balancers),
          balancer -> (HealthIndicator) () -> DiscoveryHealth.health(balancer));
    }
  }
}
