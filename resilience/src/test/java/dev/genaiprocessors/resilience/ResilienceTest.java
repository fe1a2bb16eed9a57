package dev.genaiprocessors.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.Substreams;
import dev.genaiprocessors.model.RetryAdvice;
import dev.genaiprocessors.model.SdkRetries;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(60)
class ResilienceTest {
  private final FakeTime time = new FakeTime();

  private static HttpStatusException http(
      int status, Map<String, List<String>> headers, String body) {
    return new HttpStatusException(status, "https://api.test/v1", headers, body, null);
  }

  private static HttpStatusException http(int status) {
    return http(status, Map.of(), "");
  }

  private RetryConfig.Builder retry() {
    return RetryConfig.builder()
        .jitter(0)
        .initialBackoff(Duration.ofMillis(100))
        .maxWait(Duration.ofSeconds(10));
  }

  private Resilience.Builder resilience(RetryConfig retry) {
    return Resilience.builder("api").retry(retry).clock(time).sleeper(time);
  }

  /** Fails with {@code failures} in turn, then emits "ok". */
  private static PartProcessor failingThen(AtomicInteger calls, Exception... failures) {
    return PartProcessor.named(
        "flaky",
        (part, output) -> {
          int call = calls.getAndIncrement();
          if (call < failures.length) {
            throw failures[call];
          }
          output.emit("ok");
        });
  }

  @Test
  void partProcessor_retriesServerErrors_untilOneAttemptSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor flaky =
        resilience(retry().build())
            .build()
            .decorate(
                failingThen(calls, http(503), http(500), new IOException("connection reset")));

    assertThat(flaky.apply("hi").text()).isEqualTo("ok");
    assertThat(calls).hasValue(4);
  }

  @Test
  void backoff_growsExponentially_andIsCappedAtMaxWait() {
    AtomicInteger calls = new AtomicInteger();
    RetryConfig config = retry().maxWait(Duration.ofMillis(300)).maxAttempts(5).build();
    PartProcessor flaky =
        resilience(config)
            .build()
            .decorate(failingThen(calls, http(503), http(503), http(503), http(503)));

    flaky.apply("hi").text();

    assertThat(time.sleeps())
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(300),
            Duration.ofMillis(300));
  }

  @Test
  void jitter_takesAtMostItsShareOffTheBackoff() {
    AtomicInteger calls = new AtomicInteger();
    RetryConfig config = retry().jitter(0.5).jitterSeed(42).build();
    resilience(config)
        .build()
        .decorate(failingThen(calls, http(503), http(503)))
        .apply("hi")
        .text();

    assertThat(time.sleeps().get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(time.sleeps().get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void giveUp_throwsTheLastFailure_namingTheProcessor_withEarlierOnesSuppressed() {
    AtomicInteger calls = new AtomicInteger();
    HttpStatusException last = http(502);
    PartProcessor flaky =
        resilience(retry().maxAttempts(3).build())
            .build()
            .decorate(failingThen(calls, http(503), http(500), last, http(500)));

    assertThatThrownBy(() -> flaky.apply("hi").gather())
        .isSameAs(last)
        .satisfies(e -> assertThat(ProcessorException.stageOf(e)).contains("flaky"))
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .filteredOn(HttpStatusException.class::isInstance)
                    .hasSize(2));
    assertThat(calls).hasValue(3);
  }

  @Test
  void clientError_isNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor flaky =
        resilience(retry().build()).build().decorate(failingThen(calls, http(400)));

    assertThatThrownBy(() -> flaky.apply("hi").gather()).isInstanceOf(HttpStatusException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void xShouldRetryFalse_isNotRetried_evenOnAServerError() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor flaky =
        resilience(retry().build())
            .build()
            .decorate(
                failingThen(calls, http(503, Map.of("x-should-retry", List.of("false")), "")));

    assertThatThrownBy(() -> flaky.apply("hi").gather()).isInstanceOf(HttpStatusException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void xShouldRetryTrue_retriesAConflict() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor flaky =
        resilience(retry().build())
            .build()
            .decorate(failingThen(calls, http(409, Map.of("X-Should-Retry", List.of("true")), "")));

    assertThat(flaky.apply("hi").text()).isEqualTo("ok");
    assertThat(calls).hasValue(2);
  }

  @Test
  void insufficientQuota_failsFast_asQuotaExhausted() {
    AtomicInteger calls = new AtomicInteger();
    String body =
        "{\"error\":{\"message\":\"You exceeded your current quota\",\"code\":\"insufficient_quota\"}}";
    PartProcessor flaky =
        resilience(retry().build()).build().decorate(failingThen(calls, http(429, Map.of(), body)));

    assertThatThrownBy(() -> flaky.apply("hi").gather())
        .isInstanceOfSatisfying(
            RejectedCallException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectedCallException.Reason.QUOTA_EXHAUSTED))
        .hasMessageContaining("insufficient_quota");
    assertThat(calls).hasValue(1);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void geminiDailyQuota_failsFast_asQuotaExhausted() {
    AtomicInteger calls = new AtomicInteger();
    String body =
        """
        {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[
          {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},
          {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"34s"}]}}""";
    PartProcessor flaky =
        resilience(retry().build()).build().decorate(failingThen(calls, http(429, Map.of(), body)));

    assertThatThrownBy(() -> flaky.apply("hi").gather())
        .isInstanceOf(RejectedCallException.class)
        .hasMessageContaining("PerDay");
    assertThat(calls).hasValue(1);
  }

  @Test
  void retryAfterBeyondMaxWait_failsFast_namingBothWaits() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor flaky =
        resilience(retry().maxWait(Duration.ofMinutes(1)).build())
            .build()
            .decorate(failingThen(calls, http(429, Map.of("Retry-After", List.of("86400")), "")));

    assertThatThrownBy(() -> flaky.apply("hi").gather())
        .isInstanceOfSatisfying(
            RejectedCallException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectedCallException.Reason.QUOTA_EXHAUSTED))
        .hasMessageContaining("PT24H")
        .hasMessageContaining("maxWait");
    assertThat(time.sleeps()).isEmpty();
  }

  /** A vendor's exception as model processors throw it: it knows what retrying would do. */
  static final class VendorException extends RuntimeException implements RetryAdvice {
    private final boolean retryable;
    private final Duration retryAfter;

    VendorException(boolean retryable, Duration retryAfter) {
      super("vendor said no");
      this.retryable = retryable;
      this.retryAfter = retryAfter;
    }

    @Override
    public boolean isRetryable() {
      return retryable;
    }

    @Override
    public Duration retryAfter() {
      return retryAfter;
    }
  }

  @Test
  void retryAdvice_waitsWhatTheServiceAsked_evenWhenWrapped() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor flaky =
        resilience(retry().build())
            .build()
            .decorate(
                failingThen(
                    calls,
                    new VendorException(true, Duration.ofMillis(1500)),
                    new ProcessorException(
                        "outer", new VendorException(true, Duration.ofMillis(700))),
                    new VendorException(true, null)));

    assertThat(flaky.apply("hi").text()).isEqualTo("ok");
    assertThat(time.sleeps())
        .containsExactly(Duration.ofMillis(1500), Duration.ofMillis(700), Duration.ofMillis(400));
  }

  @Test
  void retryAdvice_notRetryable_isNotRetried_evenIfItLooksLikeIO() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor flaky =
        resilience(retry().build())
            .build()
            .decorate(failingThen(calls, new VendorException(false, Duration.ofMillis(5))));

    assertThatThrownBy(() -> flaky.apply("hi").gather()).isInstanceOf(VendorException.class);
    assertThat(calls).hasValue(1);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void retryAdvice_beyondMaxWait_failsFast() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor flaky =
        resilience(retry().maxWait(Duration.ofSeconds(10)).build())
            .build()
            .decorate(failingThen(calls, new VendorException(true, Duration.ofMinutes(5))));

    assertThatThrownBy(() -> flaky.apply("hi").gather())
        .isInstanceOfSatisfying(
            RejectedCallException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectedCallException.Reason.QUOTA_EXHAUSTED))
        .hasMessageContaining("PT5M");
    assertThat(calls).hasValue(1);
  }

  @Test
  void maxTotalWait_stopsRetrying_beforeItIsExceeded() {
    AtomicInteger calls = new AtomicInteger();
    RetryConfig config = retry().maxAttempts(10).maxTotalWait(Duration.ofMillis(350)).build();
    PartProcessor flaky =
        resilience(config)
            .build()
            .decorate(failingThen(calls, http(503), http(503), http(503), http(503)));

    assertThatThrownBy(() -> flaky.apply("hi").gather()).isInstanceOf(HttpStatusException.class);
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(calls).hasValue(3);
  }

  @Test
  void streamingProcessor_isRetried_whileNoPartReachedTheCaller_withItsInputReplayed() {
    AtomicInteger calls = new AtomicInteger();
    List<String> seenByEachAttempt = new CopyOnWriteArrayList<>();
    Processor model =
        Processor.named(
            "model",
            (input, output) -> {
              StringBuilder seen = new StringBuilder();
              for (ProcessorPart part : input) {
                seen.append(part.text());
                if (calls.get() == 0 && seen.length() == 2) {
                  break;
                }
              }
              seenByEachAttempt.add(seen.toString());
              if (calls.getAndIncrement() == 0) {
                throw new IOException("connection reset");
              }
              output.emit(seen.toString().toUpperCase());
            });

    String text =
        resilience(retry().build())
            .build()
            .decorate(model)
            .apply(List.of("a", "b", "c", "d"))
            .text();

    assertThat(text).isEqualTo("ABCD");
    assertThat(seenByEachAttempt).containsExactly("ab", "abcd");
  }

  @Test
  void streamingProcessor_isNotRetried_afterAPartReachedTheCaller() {
    AtomicInteger calls = new AtomicInteger();
    IOException cut = new IOException("stream cut");
    Processor model =
        Processor.named(
            "model",
            (input, output) -> {
              calls.incrementAndGet();
              input.gather();
              output.emit("one");
              output.emit("two");
              output.emit("three");
              throw cut;
            });
    List<String> received = new ArrayList<>();

    try (ProcessorStream out = resilience(retry().build()).build().decorate(model).apply("go")) {
      assertThatThrownBy(() -> out.forEach(part -> received.add(part.text())))
          .isInstanceOf(ProcessorException.class)
          .hasMessageContaining("'model'")
          .cause()
          .isSameAs(cut);
    }
    assertThat(received).containsExactly("one", "two", "three");
    assertThat(calls).hasValue(1);
  }

  @Test
  void timeoutToFirstPart_interruptsTheAttempt_andTheRetrySucceeds() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor slowOnce =
        PartProcessor.named(
            "slow",
            (part, output) -> {
              if (calls.getAndIncrement() == 0) {
                Thread.sleep(Duration.ofMinutes(5));
              }
              output.emit("fast");
            });
    Resilience resilience =
        resilience(retry().build())
            .timeout(TimeoutConfig.toFirstPart(Duration.ofMillis(100)))
            .build();

    assertThat(resilience.decorate(slowOnce).apply("hi").text()).isEqualTo("fast");
    assertThat(calls).hasValue(2);
  }

  @Test
  void timeoutBetweenParts_failsTheCall_afterThePartsDelivered() {
    PartProcessor stalls =
        PartProcessor.named(
            "stalls",
            (part, output) -> {
              output.emit("first");
              Thread.sleep(Duration.ofMinutes(5));
              output.emit("never");
            });
    Resilience resilience =
        resilience(retry().build())
            .timeout(TimeoutConfig.betweenParts(Duration.ofMillis(100)))
            .build();
    List<String> received = new ArrayList<>();

    try (ProcessorStream out = resilience.decorate(stalls).apply("hi")) {
      assertThatThrownBy(() -> out.forEach(part -> received.add(part.text())))
          .isInstanceOf(PartTimeoutException.class)
          .hasMessageContaining("previous part");
    }
    assertThat(received).containsExactly("first");
  }

  @Test
  void tokenBudget_makesTheNextCall_waitForTheNextMinute() {
    PartProcessor model =
        PartProcessor.named(
            "model",
            (part, output) ->
                output.emit(
                    ProcessorPart.text("answer")
                        .withMetadata("usage", Map.of("total_tokens", 600))));
    Resilience resilience =
        Resilience.builder("model")
            .rateLimit(RateLimitConfig.tokensPerMinute(1000))
            .clock(time)
            .sleeper(time)
            .build();
    PartProcessor limited = resilience.decorate(model);

    limited.apply("one").gather();
    limited.apply("two").gather();
    assertThat(time.sleeps()).isEmpty();

    limited.apply("three").gather();
    assertThat(time.sleeps()).containsExactly(Duration.ofMinutes(1));
  }

  @Test
  void statusParts_reportEachRetry_whenTurnedOn() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor flaky =
        resilience(retry().build())
            .statusParts(true)
            .build()
            .decorate(failingThen(calls, http(503)));

    ProcessorContent out = flaky.apply("hi").gather();

    List<ProcessorPart> status =
        out.parts().stream().filter(p -> p.substreamName().equals(Substreams.STATUS)).toList();
    assertThat(status)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.text()).contains("retrying 'flaky'").contains("HTTP 503");
              assertThat(p.metadata(ResilienceEvent.EVENT_KEY)).isEqualTo("retry");
            });
  }

  @Test
  void statusParts_areOff_byDefault_whileListenersHearEveryEvent() {
    AtomicInteger calls = new AtomicInteger();
    List<ResilienceEvent> events = new CopyOnWriteArrayList<>();
    PartProcessor flaky =
        resilience(retry().build())
            .listener(events::add)
            .build()
            .decorate(failingThen(calls, http(503), http(502)));

    ProcessorContent out = flaky.apply("hi").gather();

    assertThat(out.parts()).extracting(ProcessorPart::text).containsExactly("ok");
    assertThat(events)
        .extracting(ResilienceEvent::kind)
        .containsExactly(ResilienceEvent.Kind.RETRY, ResilienceEvent.Kind.RETRY);
    assertThat(events).extracting(ResilienceEvent::attempt).containsExactly(1, 2);
  }

  @Test
  void bulkhead_refusesACall_whenItsPlacesAreTaken() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    PartProcessor blocking =
        PartProcessor.named(
            "blocking",
            (part, output) -> {
              entered.countDown();
              release.await();
              output.emit("done");
            });
    PartProcessor guarded =
        Resilience.builder("api")
            .bulkhead(BulkheadConfig.of(1).withMaxWait(Duration.ZERO))
            .build()
            .decorate(blocking);

    try (ProcessorStream first = guarded.apply("one")) {
      Thread reader = Thread.ofVirtual().start(first::gather);
      entered.await();
      assertThatThrownBy(() -> guarded.apply("two").gather())
          .isInstanceOfSatisfying(
              RejectedCallException.class,
              e -> assertThat(e.reason()).isEqualTo(RejectedCallException.Reason.BULKHEAD_FULL));
      release.countDown();
      reader.join();
    }
  }

  @Test
  void decoratedProcessors_keepTheirNameAndMatch() {
    PartProcessor texts =
        PartProcessor.named("texts", (part, output) -> output.emit(part))
            .withMatch(ProcessorPart::isText);
    PartProcessor decorated =
        Resilience.builder("api").retry(RetryConfig.defaults()).build().decorate(texts);

    assertThat(decorated.name()).isEqualTo("texts");
    assertThat(decorated.match(ProcessorPart.text("x"))).isTrue();
    assertThat(decorated.match(ProcessorPart.bytes(new byte[] {1}, "image/png"))).isFalse();
    assertThat(Resilience.none().decorate(texts)).isSameAs(texts);
  }

  // ---------------------------------------------------------------- one layer of retries

  /** A model whose SDK retries {@code retries} times, {@code chosen} or by default. */
  private record SdkModel(String tag, int retries, boolean chosen)
      implements Processor, SdkRetries {
    @Override
    public void call(dev.genaiprocessors.PartStream input, dev.genaiprocessors.PartSink output) {
      for (ProcessorPart part : input) {
        output.emit(tag + ":" + part.text());
      }
    }

    @Override
    public String name() {
      return "SdkModel";
    }

    @Override
    public int sdkMaxRetries() {
      return retries;
    }

    @Override
    public boolean sdkMaxRetriesChosen() {
      return chosen;
    }

    @Override
    public Processor withoutSdkRetries() {
      return new SdkModel("copy", 0, false);
    }
  }

  @Test
  void retryingDecorator_decoratesTheCopyWithoutSdkRetries_ofAModelLeftAtItsDefault() {
    Processor decorated =
        resilience(retry().maxAttempts(3).build())
            .build()
            .decorate(new SdkModel("model", 2, false));

    assertThat(decorated.apply("hi").text()).isEqualTo("copy:hi");
    assertThat(decorated.name()).isEqualTo("SdkModel");
  }

  @Test
  void retryingDecorator_refusesAModelWhoseSdkRetriesWereChosen_namingBothSettings() {
    Resilience retrying = resilience(retry().maxAttempts(5).build()).build();

    assertThatThrownBy(() -> retrying.decorate(new SdkModel("model", 3, true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resilience 'api'")
        .hasMessageContaining("maxAttempts 5")
        .hasMessageContaining("SdkModel was built with maxRetries(3)")
        .hasMessageContaining("maxRetries(0)");
  }

  @Test
  void decoratorsThatDoNotRetry_leaveTheSdkRetriesAlone() {
    Processor oneAttempt =
        resilience(retry().maxAttempts(1).build()).build().decorate(new SdkModel("model", 3, true));
    Processor limitsOnly =
        Resilience.builder("api")
            .bulkhead(BulkheadConfig.of(4))
            .build()
            .decorate(new SdkModel("model", 2, false));

    assertThat(oneAttempt.apply("hi").text()).isEqualTo("model:hi");
    assertThat(limitsOnly.apply("hi").text()).isEqualTo("model:hi");
  }

  @Test
  void retryingDecorator_takesAModelWhoseSdkDoesNotRetry_asItIs() {
    Processor decorated =
        resilience(retry().maxAttempts(3).build()).build().decorate(new SdkModel("model", 0, true));

    assertThat(decorated.apply("hi").text()).isEqualTo("model:hi");
  }
}
