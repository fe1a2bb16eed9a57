/**
 * Service discovery, health checking, load balancing and failover for any processor.
 *
 * <p>A {@link dev.genaiprocessors.discovery.ServiceRegistry} lists the {@link
 * dev.genaiprocessors.discovery.ServiceInstance}s of a service: a static list, a {@link
 * dev.genaiprocessors.discovery.FileRegistry} (YAML or JSON, reloaded on change) or a {@link
 * dev.genaiprocessors.discovery.ZooKeeperRegistry} (Apache Curator's service discovery). A {@link
 * dev.genaiprocessors.discovery.BalancedProcessor} sends each call to one healthy instance, chosen
 * by a {@link dev.genaiprocessors.discovery.LoadBalancing} strategy, and fails over to another (or
 * to a fallback) while no part has reached the caller. Health comes from active {@link
 * dev.genaiprocessors.discovery.HealthCheck}s ({@link dev.genaiprocessors.discovery.HealthProbe})
 * and passive {@link dev.genaiprocessors.discovery.OutlierDetection}, seen together in {@link
 * dev.genaiprocessors.discovery.InstanceHealth}.
 *
 * <pre>{@code
 * try (BalancedProcessor model = BalancedProcessor.builder(registry,
 *         instance -> OpenAiModel.builder().baseUrl(instance.address()).model("llama").build())
 *     .strategy(LoadBalancing.leastOutstanding())
 *     .build()) {
 *   String answer = model.apply("Hello").text();
 * }
 * }</pre>
 */
@NullMarked
package dev.genaiprocessors.discovery;

import org.jspecify.annotations.NullMarked;
