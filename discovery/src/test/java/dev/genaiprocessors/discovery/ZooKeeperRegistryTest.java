package dev.genaiprocessors.discovery;

import static dev.genaiprocessors.discovery.TestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.testing.OpenAiReply;
import dev.genaiprocessors.testing.OpenAiServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ZooKeeper for real: Curator's TestingServer runs a ZooKeeper server in this JVM. */
@org.junit.jupiter.api.Timeout(120)
class ZooKeeperRegistryTest {
  private static final String ANSWER = "Hello from ZooKeeper's instances";

  private TestingServer zookeeper;
  private final List<CuratorFramework> clients = new ArrayList<>();
  private final List<OpenAiServer> servers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestingServer(true);
    for (int i = 0; i < 3; i++) {
      servers.add(
          OpenAiServer.start()
              .replyAlways(OpenAiReply.text("Hello from ", "ZooKeeper's ", "instances")));
    }
  }

  @AfterEach
  void stop() throws Exception {
    servers.forEach(OpenAiServer::close);
    clients.forEach(CuratorFramework::close);
    zookeeper.close();
  }

  private CuratorFramework client() {
    CuratorFramework client =
        CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
    client.start();
    clients.add(client);
    return client;
  }

  private ServiceInstance instance(int i) {
    return ServiceInstance.of("s" + i, servers.get(i).baseUrl());
  }

  @Test
  void registeredInstances_areListed_withEveryField() {
    try (ZooKeeperRegistry serving = ZooKeeperRegistry.open(client(), "/services", "llama");
        ZooKeeperRegistry reading = ZooKeeperRegistry.open(client(), "/services", "llama")) {
      ServiceInstance full =
          new ServiceInstance(
              "gpu-1", "http://10.0.0.7:8000/v1", 3, "eu-west-1a", Map.of("model", "llama-3.1"));
      serving.register(full);
      serving.register(ServiceInstance.of("gpu-2", "vllm-gpu-2"));

      eventually("both listed", () -> reading.instances().size() == 2);
      assertThat(reading.instances())
          .containsExactly(full, ServiceInstance.of("gpu-2", "vllm-gpu-2"));
      assertThat(reading.problem()).isNull();
    }
  }

  @Test
  void anInstanceWhoseSessionEnds_leavesByItself() {
    CuratorFramework replica = client();
    try (ZooKeeperRegistry reading = ZooKeeperRegistry.open(client(), "/services", "llama")) {
      ZooKeeperRegistry serving = ZooKeeperRegistry.open(replica, "/services", "llama");
      serving.register(instance(0));
      eventually("registered", () -> reading.instances().size() == 1);

      replica.close(); // the process dies: its session, and its ephemeral node, go
      eventually("gone", () -> reading.instances().isEmpty());
    }
  }

  @Test
  void theBalancer_followsRegistrationsAndDeregistrations_whileCallsRun() throws Exception {
    try (ZooKeeperRegistry serving = ZooKeeperRegistry.open(client(), "/services", "llama");
        ZooKeeperRegistry reading = ZooKeeperRegistry.open(client(), "/services", "llama");
        BalancedProcessor model =
            BalancedProcessor.builder(reading, TestSupport::model)
                .strategy(LoadBalancing.powerOfTwoChoices(11))
                .build()) {
      ZooKeeperRegistry.Registration first = serving.register(instance(0));
      serving.register(instance(1));
      eventually("two instances", () -> reading.instances().size() == 2);

      AtomicBoolean running = new AtomicBoolean(true);
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      AtomicInteger calls = new AtomicInteger();
      AtomicIntegerArray perCaller = new AtomicIntegerArray(3);
      List<Thread> callers = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        int caller = c;
        callers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (running.get()) {
                        try {
                          assertThat(model.apply("hi").gather().text()).isEqualTo(ANSWER);
                          calls.incrementAndGet();
                          perCaller.incrementAndGet(caller);
                        } catch (Throwable e) {
                          failures.add(e);
                          return;
                        }
                      }
                    }));
      }

      serving.register(instance(2));
      eventually("calls reach the new instance", () -> servers.get(2).requestCount() > 0);

      first.close();
      eventually(
          "s0 left the balance",
          () -> model.health().stream().noneMatch(h -> h.instance().id().equals("s0")));
      // A call that chose s0 just before it left may still be on its way: once every caller has
      // finished two more calls, none is.
      int[] seen = {perCaller.get(0), perCaller.get(1), perCaller.get(2)};
      eventually(
          "every caller past its call in flight",
          () ->
              !failures.isEmpty()
                  || (perCaller.get(0) >= seen[0] + 2
                      && perCaller.get(1) >= seen[1] + 2
                      && perCaller.get(2) >= seen[2] + 2));
      int s0 = servers.get(0).requestCount();
      int target = calls.get() + 30;
      eventually("30 more calls", () -> calls.get() >= target || !failures.isEmpty());
      running.set(false);
      for (Thread caller : callers) {
        caller.join();
      }

      assertThat(failures).isEmpty();
      assertThat(servers.get(0).requestCount()).isEqualTo(s0);
      assertThat(model.health())
          .extracting(h -> h.instance().id())
          .containsExactlyInAnyOrder("s1", "s2");
    }
  }

  @Test
  void badArguments_areRejected_namingThem() {
    CuratorFramework client = client();
    assertThatThrownBy(() -> ZooKeeperRegistry.open(client, "services", "llama"))
        .hasMessage("basePath must start with '/' but was \"services\"");
    assertThatThrownBy(() -> ZooKeeperRegistry.open(client, "/services", "a/b"))
        .hasMessage("service must be a non-blank name without '/' but was \"a/b\"");
  }
}
