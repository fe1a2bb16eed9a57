package dev.genaiprocessors.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genaiprocessors.FunctionCall;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.contract.ModelHarness.Fault;
import dev.genaiprocessors.contract.ModelHarness.SentRequest;
import dev.genaiprocessors.contract.ModelHarness.SentTurn;
import dev.genaiprocessors.model.ModelOutput;
import dev.genaiprocessors.model.RetryAdvice;
import dev.genaiprocessors.model.SdkRetries;
import dev.genaiprocessors.model.TokenUsage;
import dev.genaiprocessors.resilience.Resilience;
import dev.genaiprocessors.resilience.RetryConfig;
import dev.genaiprocessors.testing.OpenAiDialect;
import dev.genaiprocessors.tools.FunctionCalling;
import dev.genaiprocessors.tools.Tool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every model processor keeps, run against each vendor's local server: the same
 * scenarios, the same expectations, whatever the wire format underneath.
 */
@Timeout(60)
class ModelContractTest {
  /** The wait every vendor's rate-limit answer asks for. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(3);

  /** A 1x1 PNG. */
  static final byte[] PNG =
      Base64.getDecoder()
          .decode(
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

  static Stream<Named<Supplier<ModelHarness>>> vendors() {
    return Stream.of(
        Named.of("OpenAI", OpenAiHarness::new),
        Named.of("OpenAI Responses", OpenAiResponsesHarness::new),
        Named.of("Anthropic", AnthropicHarness::new),
        Named.of("Gemini", GeminiHarness::new));
  }

  /**
   * Every vendor, and OpenAI-compatible servers whose streams differ from OpenAI's in ways that
   * once lost an answer's fields (Azure's key order and empty first chunk, Qwen's and GLM's empty
   * strings in later tool-call fragments): for the scenarios that read a whole answer.
   */
  static Stream<Named<Supplier<ModelHarness>>> vendorsAndDialects() {
    Stream<Named<Supplier<ModelHarness>>> dialects =
        Stream.of(OpenAiDialect.AZURE, OpenAiDialect.QWEN, OpenAiDialect.GLM)
            .map(
                dialect ->
                    Named.<Supplier<ModelHarness>>of(
                        "OpenAI-compatible " + dialect, () -> new OpenAiHarness(dialect)));
    return Stream.concat(vendors(), dialects);
  }

  static Stream<Arguments> vendorsAndFaults() {
    return vendors()
        .flatMap(vendor -> Stream.of(Fault.values()).map(fault -> Arguments.of(vendor, fault)));
  }

  record City(String city) {}

  record Zone(String zone) {}

  // ---------------------------------------------------------------- answers

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendorsAndDialects")
  void plainText_streamsEachDeltaAsAModelPart_thenOneFinalPartWithTheSharedMetadata(
      Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      h.replyText("Hel", "lo", ", world");

      List<ProcessorPart> parts = new ArrayList<>();
      h.model().apply("Say hello").forEach(parts::add);

      assertThat(parts).hasSize(4);
      assertThat(parts.subList(0, 3))
          .extracting(ProcessorPart::text)
          .containsExactly("Hel", "lo", ", world");
      assertThat(parts).allSatisfy(p -> assertThat(p.role()).isEqualTo("model"));
      ProcessorPart end = parts.get(3);
      assertThat(end.text()).isEmpty();
      assertThat(end.isEndOfTurn()).isTrue();
      assertThat(end.metadata(ModelOutput.FINISH_REASON)).isNotNull();
      assertThat(end.metadata(ModelOutput.MODEL)).isNotNull();
      assertThat(end.metadata(ModelOutput.RESPONSE_ID)).isNotNull();
      assertThat(TokenUsage.of(end))
          .hasValueSatisfying(
              usage -> {
                assertThat(usage.promptTokens()).isEqualTo(12);
                assertThat(usage.completionTokens()).isEqualTo(3);
                assertThat(usage.totalTokens()).isEqualTo(15);
              });
      assertThat(h.request(0).turns()).extracting(SentTurn::role).containsExactly("user");
      assertThat(h.request(0).turns().get(0).texts()).containsExactly("Say hello");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void closingTheOutputMidStream_endsTheCall_withoutReadingTheRest(Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      String[] deltas = new String[200];
      for (int i = 0; i < deltas.length; i++) {
        deltas[i] = "d" + i;
      }
      // 100 s to send them all, past this class's timeout: a call that read on to the end, or
      // swallowed the cancellation, would fail the test.
      h.replySlowText(Duration.ofMillis(500), deltas);

      ProcessorPart first;
      try (ProcessorStream out = h.model().apply("Tell a long story")) {
        first = out.read();
      } // closing cancels the run (interrupting the model's read) and waits for its threads

      assertThat(first.text()).isEqualTo("d0");
      assertThat(h.requestCount()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void multiTurn_sendsEveryTurnWithItsRole_andTheSystemInstructionApart(
      Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      h.replyText("Fine, thanks.");

      String answer =
          h.model()
              .apply(
                  List.of(
                      ProcessorPart.text("Answer in five words.").withRole("system"),
                      ProcessorPart.text("Hi").withRole("user"),
                      ProcessorPart.text("Hello! How can I help?").withRole("model"),
                      ProcessorPart.text("How are you?").withRole("user")))
              .text();

      assertThat(answer).isEqualTo("Fine, thanks.");
      SentRequest sent = h.request(0);
      assertThat(sent.system()).isEqualTo("Answer in five words.");
      assertThat(sent.turns()).extracting(SentTurn::role).containsExactly("user", "model", "user");
      assertThat(sent.turns())
          .extracting(turn -> String.join("", turn.texts()))
          .containsExactly("Hi", "Hello! How can I help?", "How are you?");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void imageInput_goesInline_asBase64_inTheSameTurnAsItsText(Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      h.replyText("A single pixel.");

      String answer =
          h.model()
              .apply(
                  List.of(
                      ProcessorPart.text("What is in this image?"),
                      ProcessorPart.bytes(PNG, "image/png")))
              .text();

      assertThat(answer).isEqualTo("A single pixel.");
      SentTurn turn = h.request(0).turns().get(0);
      assertThat(h.request(0).turns()).hasSize(1);
      assertThat(turn.texts()).containsExactly("What is in this image?");
      assertThat(turn.imagesBase64()).containsExactly(Base64.getEncoder().encodeToString(PNG));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendorsAndDialects")
  void twoToolsCalledInOneTurn_runThroughFunctionCalling_andGoBackPairedWithTheirCalls(
      Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      h.replyCalls(
          List.of(
              new FunctionCall("call_1", "get_weather", Map.of("city", "Paris")),
              new FunctionCall("call_2", "get_time", Map.of("zone", "CET"))));
      h.replyText("Sunny", " at noon.");
      List<String> ran = new CopyOnWriteArrayList<>();
      Tool weather =
          Tool.of(
              "get_weather",
              "The weather in a city.",
              City.class,
              c -> {
                ran.add("get_weather");
                return "sunny in " + c.city();
              });
      Tool time =
          Tool.of(
              "get_time",
              "The time in a zone.",
              Zone.class,
              z -> {
                ran.add("get_time");
                return "12:00 " + z.zone();
              });

      ProcessorContent out =
          FunctionCalling.of(h.model(), weather, time).apply("Weather and time in Paris?").gather();

      assertThat(ran).containsExactlyInAnyOrder("get_weather", "get_time");
      assertThat(
              out.stream()
                  .filter(p -> !p.isFunctionCall() && !p.isFunctionResponse())
                  .map(ProcessorPart::text)
                  .reduce("", String::concat))
          .isEqualTo("Sunny at noon.");
      assertThat(h.requestCount()).isEqualTo(2);
      assertThat(h.request(0).functionNames()).containsExactlyInAnyOrder("get_weather", "get_time");
      SentRequest second = h.request(1);
      assertThat(second.turns())
          .extracting(SentTurn::role)
          .containsExactly("user", "model", "user");
      List<FunctionCall> calls = second.turns().get(1).calls();
      assertThat(calls).extracting(FunctionCall::name).containsExactly("get_weather", "get_time");
      assertThat(calls).extracting(FunctionCall::id).containsExactly("call_1", "call_2");
      assertThat(calls)
          .extracting(FunctionCall::args)
          .containsExactly(Map.of("city", "Paris"), Map.of("zone", "CET"));
      SentTurn results = second.turns().get(2);
      assertThat(results.resultIds())
          .containsExactlyElementsOf(calls.stream().map(FunctionCall::id).toList());
      assertThat(results.results()).hasSize(2);
      assertThat(results.results().get(0)).contains("sunny in Paris");
      assertThat(results.results().get(1)).contains("12:00 CET");
    }
  }

  // ---------------------------------------------------------------- faults

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("vendorsAndFaults")
  void everyFault_failsTheRun_withAdviceARetryDecoratorCanRead_andNeverShowsTheKey(
      Supplier<ModelHarness> vendor, Fault fault) {
    try (ModelHarness h = vendor.get()) {
      assumeTrue(h.supports(fault), () -> h.vendor() + " has no " + fault);
      h.replyFault(fault);

      List<String> received = new ArrayList<>();
      RuntimeException failure = null;
      try {
        h.model().apply("Say hello").forEach(p -> received.add(p.text()));
      } catch (RuntimeException e) {
        failure = e;
      }

      assertThat(failure).as("the run fails").isNotNull();
      assertThat(failure)
          .as("the vendor's typed exception itself, with its retry advice")
          .isInstanceOf(RetryAdvice.class);
      assertThat(ProcessorException.stageOf(failure)).as("the model is named").isPresent();
      RetryAdvice advice = RetryAdvice.of(failure);
      assertThat(advice).isSameAs(failure);
      switch (fault) {
        case RATE_LIMITED -> {
          assertThat(advice.isRetryable()).isTrue();
          assertThat(advice.retryAfter()).isEqualTo(RETRY_AFTER);
        }
        case OVERLOADED, SERVER_ERROR -> assertThat(advice.isRetryable()).isTrue();
        case AUTHENTICATION -> assertThat(advice.isRetryable()).isFalse();
        case CUT_OFF -> assertThat(received).containsExactly("Hel", "lo");
        case MALFORMED, ERROR_EVENT -> assertThat(received).containsExactly("Hel");
      }
      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(ModelHarness.API_KEY);
      assertThat(h.requestCount()).as("the SDK's own retries are off").isEqualTo(1);
    }
  }

  /**
   * A 200 answer that is not the vendor's event stream, as proxies, captive portals and gateways
   * send in the vendor's place; {@code shown} is what the error must quote of it.
   */
  enum NotAStream {
    /** A captive portal's login page, which quotes the key the request carried. */
    HTML_PAGE(
        200,
        "text/html; charset=UTF-8",
        "<!DOCTYPE html>\n<html><head><title>Sign in to Hotel Wi-Fi</title></head><body>"
            + "<form action=\"/login?next=/v1?key="
            + ModelHarness.API_KEY
            + "\">"
            + "x".repeat(2000)
            + "</form></body></html>",
        "text/html; charset=UTF-8",
        "<!DOCTYPE html>"),
    /** A whole JSON answer where a stream was asked for (a gateway that buffers and converts). */
    PLAIN_JSON(
        200,
        "application/json",
        "{\"id\":\"gateway-1\",\"answer\":\"Hello\",\"key\":\"" + ModelHarness.API_KEY + "\"}",
        "application/json",
        "{\"id\":\"gateway-1\""),
    /** A proper event stream whose events are JSON objects of no vendor's shape. */
    WRONG_SHAPE_EVENTS(
        200,
        "text/event-stream",
        "data: {\"unexpected\":true}\n\ndata: {\"unexpected\":true}\n\n",
        "{\"unexpected\":true}",
        "{\"unexpected\":true}"),
    /** A proper event stream whose events are JSON arrays. */
    ARRAY_EVENTS(
        200, "text/event-stream; charset=utf-8", "data: [1,2,3]\n\n", "[1,2,3]", "[1,2,3]");

    final int status;
    final String contentType;
    final String body;
    final String[] shown;

    NotAStream(int status, String contentType, String body, String... shown) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
      this.shown = shown;
    }
  }

  static Stream<Arguments> vendorsAndNonStreams() {
    return vendors()
        .flatMap(
            vendor -> Stream.of(NotAStream.values()).map(answer -> Arguments.of(vendor, answer)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("vendorsAndNonStreams")
  void aSuccessThatIsNotTheVendorsStream_failsNotRetryable_quotingWhatCame_withoutTheKey(
      Supplier<ModelHarness> vendor, NotAStream answer) {
    try (ModelHarness h = vendor.get()) {
      h.replyRaw(answer.status, answer.contentType, answer.body);

      RuntimeException failure = null;
      try {
        h.model().apply("Say hello").text();
      } catch (RuntimeException e) {
        failure = e;
      }

      assertThat(failure).as("the run fails").isNotNull();
      assertThat(failure)
          .as("the vendor's typed exception itself, with its retry advice")
          .isInstanceOf(RetryAdvice.class);
      assertThat(ProcessorException.stageOf(failure)).as("the model is named").isPresent();
      RetryAdvice advice = RetryAdvice.of(failure);
      assertThat(advice).isSameAs(failure);
      assertThat(advice.isRetryable()).as("retrying cannot make this answer a stream").isFalse();
      String message = ((Throwable) advice).getMessage();
      assertThat(message).contains(answer.shown).doesNotContain("ended before");
      assertThat(message.length()).as("only the start of the body").isLessThan(1000);
      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(ModelHarness.API_KEY);
      assertThat(h.requestCount()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void rateLimit_isRetriedByTheResilienceDecorator_afterTheWaitTheServerAskedFor(
      Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      h.replyFault(Fault.RATE_LIMITED);
      h.replyText("Hello");
      List<Duration> slept = new CopyOnWriteArrayList<>();

      String answer =
          Resilience.builder("model")
              .retry(
                  RetryConfig.builder()
                      .maxAttempts(3)
                      .jitter(0)
                      .maxWait(Duration.ofMinutes(1))
                      .build())
              .sleeper(slept::add)
              .build()
              .decorate(h.model())
              .apply("Say hello")
              .text();

      assertThat(answer).isEqualTo("Hello");
      assertThat(slept).containsExactly(RETRY_AFTER);
      assertThat(h.requestCount()).isEqualTo(2);
    }
  }

  // ---------------------------------------------------------------- one retrying layer, one
  // timeout

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void retryingResilience_overAModelWithDefaultSdkRetries_sendsOneRequestPerAttempt(
      Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      for (int i = 0; i < 9; i++) {
        h.replyFault(Fault.SERVER_ERROR); // enough for 3 attempts of 3 SDK tries each
      }
      Processor model = h.model(null, null);
      Processor decorated =
          Resilience.builder("model")
              .retry(RetryConfig.builder().maxAttempts(3).jitter(0).build())
              .sleeper(wait -> {})
              .build()
              .decorate(model);

      assertThatThrownBy(() -> decorated.apply("Say hello").text()).isInstanceOf(RetryAdvice.class);

      assertThat(h.requestCount()).as("only the decorator retries").isEqualTo(3);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void retryingResilience_refusesAModelBuiltWithSdkRetries_namingBothSettings(
      Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      Processor model = h.model(2, null);
      Resilience retrying =
          Resilience.builder("model").retry(RetryConfig.builder().maxAttempts(3).build()).build();

      assertThatThrownBy(() -> retrying.decorate(model))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxAttempts 3")
          .hasMessageContaining("maxRetries(2)")
          .hasMessageContaining("maxRetries(0)");
      assertThat(Resilience.builder("limits only").build().decorate(model))
          .as("a resilience that does not retry takes it")
          .isNotNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void withoutSdkRetries_ofAModelBuiltWithThem_sendsOneRequest_andLeavesTheModelAlone(
      Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      for (int i = 0; i < 6; i++) {
        h.replyFault(Fault.SERVER_ERROR);
      }
      SdkRetries model = (SdkRetries) h.model(2, null);
      Processor copy = model.withoutSdkRetries();

      assertThatThrownBy(() -> copy.apply("Say hello").text()).isInstanceOf(RetryAdvice.class);
      assertThat(h.requestCount()).isEqualTo(1);
      assertThat(((SdkRetries) copy).sdkMaxRetries()).isZero();
      assertThat(model.sdkMaxRetries()).isEqualTo(2);
      assertThat(model.sdkMaxRetriesChosen()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void timeout_boundsTheWholeCall_soASilentServerSeesOneRequest_despiteSdkRetries(
      Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      for (int i = 0; i < 3; i++) {
        h.replyNothing();
      }
      Processor model = h.model(2, Duration.ofSeconds(1));

      Throwable failure = catchThrowable(() -> model.apply("Say hello").text());

      assertThat(h.requestCount()).as("the deadline was spent by the first attempt").isEqualTo(1);
      assertThat(h.kind(failure)).isEqualTo("TIMEOUT");
      assertThat(RetryAdvice.of(failure).isRetryable()).isTrue();
      assertThat(failure).isInstanceOf(RetryAdvice.class).hasMessageContaining("timeout of 1s");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void timeout_boundsAStreamThatStalls_afterItsFirstEvent(Supplier<ModelHarness> vendor) {
    try (ModelHarness h = vendor.get()) {
      h.replyThenStall();
      Processor model = h.model(2, Duration.ofSeconds(1));

      Throwable failure = catchThrowable(() -> model.apply("Say hello").text());

      assertThat(h.kind(failure)).isEqualTo("TIMEOUT");
      assertThat(failure).isInstanceOf(RetryAdvice.class).hasMessageContaining("timeout of 1s");
      assertThat(h.requestCount()).isEqualTo(1);
    }
  }
}
