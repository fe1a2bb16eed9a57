package dev.genaiprocessors.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.genaiprocessors.discovery.BalancedProcessor;
import dev.genaiprocessors.discovery.LoadBalancing;
import dev.genaiprocessors.discovery.OutlierDetection;
import dev.genaiprocessors.discovery.ServiceInstance;
import dev.genaiprocessors.discovery.ServiceRegistry;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The discovery health view: one indicator per balancer bean, fed by the balancer's own view of
 * real model servers (the testing module's OpenAI server), one of them killed.
 */
class DiscoveryHealthTest {
  private static final String ANSWER = "Hello from a replica";
  private static final List<OpenAiServer> SERVERS = new ArrayList<>();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(GenAiAutoConfiguration.class, ActuatorAutoConfiguration.class));

  @BeforeEach
  void startServers() {
    for (int i = 0; i < 2; i++) {
      SERVERS.add(OpenAiServer.start().replyAlways(OpenAiReply.text("Hello from ", "a replica")));
    }
  }

  @AfterEach
  void stopServers() {
    SERVERS.forEach(OpenAiServer::close);
    SERVERS.clear();
  }

  @Test
  void aKilledInstance_isShownEjected_andTheGroupStaysUpUntilNoInstanceIsLeft() {
    runner
        .withUserConfiguration(Balancers.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              BalancedProcessor llama = context.getBean("llama", BalancedProcessor.class);
              assertThat(instances(health(context, "llama")))
                  .containsOnlyKeys("r0", "r1")
                  .allSatisfy((id, instance) -> assertThat(instance).containsEntry("state", "up"));
              assertThat(health(context, "llama").getStatus()).isEqualTo(Status.UP);

              SERVERS.get(0).close();
              for (int i = 0; i < 4; i++) { // round robin: r0 is tried, fails over to r1
                assertThat(llama.apply("hi").text()).isEqualTo(ANSWER);
              }

              Health oneLeft = health(context, "llama");
              assertThat(oneLeft.getStatus()).isEqualTo(Status.UP);
              assertThat(instances(oneLeft).get("r0"))
                  .containsEntry("state", "ejected")
                  .containsEntry("address", SERVERS.get(0).baseUrl())
                  .containsEntry("failures", 1L);
              assertThat(instances(oneLeft).get("r1")).containsEntry("state", "up");
              // The other group is untouched.
              assertThat(health(context, "mistral").getStatus()).isEqualTo(Status.UP);

              SERVERS.get(1).close();
              assertThat(catchThrowable(() -> llama.apply("hi").text())).isNotNull();

              Health noneLeft = health(context, "llama");
              assertThat(noneLeft.getStatus()).isEqualTo(Status.DOWN);
              assertThat(instances(noneLeft).values())
                  .allSatisfy(instance -> assertThat(instance).containsEntry("state", "ejected"));
            });
  }

  @Test
  void theHealthView_isOffByProperty_withoutDiscovery_andWithoutABalancer() {
    runner
        .withUserConfiguration(Balancers.class)
        .withPropertyValues("management.health.genai-discovery.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean("genaiDiscoveryHealthContributor"));
    runner
        .withUserConfiguration(Balancers.class)
        .withClassLoader(new FilteredClassLoader(BalancedProcessor.class))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean("genaiDiscoveryHealthContributor"));
    runner.run(
        context ->
            assertThat(context).hasNotFailed().doesNotHaveBean("genaiDiscoveryHealthContributor"));
  }

  private static Health health(AssertableApplicationContext context, String balancer) {
    CompositeHealthContributor groups =
        context.getBean("genaiDiscoveryHealthContributor", CompositeHealthContributor.class);
    return ((HealthIndicator) groups.getContributor(balancer)).health(true);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> instances(Health health) {
    return (Map<String, Map<String, Object>>) health.getDetails().get("instances");
  }

  /** Two balanced groups of the application's own: llama over both servers, mistral over one. */
  @Configuration(proxyBeanMethods = false)
  static class Balancers {
    @Bean(destroyMethod = "close")
    BalancedProcessor llama() {
      return balancer(
          ServiceRegistry.of(
              "llama",
              ServiceInstance.of("r0", SERVERS.get(0).baseUrl()),
              ServiceInstance.of("r1", SERVERS.get(1).baseUrl())));
    }

    @Bean(destroyMethod = "close")
    BalancedProcessor mistral() {
      return balancer(
          ServiceRegistry.of("mistral", ServiceInstance.of("m0", SERVERS.get(1).baseUrl())));
    }

    private static BalancedProcessor balancer(ServiceRegistry registry) {
      return BalancedProcessor.builder(
              registry,
              instance ->
                  OpenAiModel.builder()
                      .model("llama-3.1-8b")
                      .apiKey("sk-test-discovery")
                      .baseUrl(instance.address())
                      .maxRetries(0)
                      .build())
          .strategy(LoadBalancing.roundRobin())
          .outlierDetection(
              OutlierDetection.defaults()
                  .withConsecutiveFailures(1)
                  .withEjection(Duration.ofMinutes(10)))
          .build();
    }
  }
}
