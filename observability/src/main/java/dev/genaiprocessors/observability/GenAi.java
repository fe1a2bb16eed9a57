package dev.genaiprocessors.observability;

import io.opentelemetry.api.common.AttributeKey;
import java.time.Duration;
import java.util.List;

/**
 * The names this module emits, in one place: the GenAI semantic conventions' attributes and metrics
 * (the established names of {@code reference/otel-genai-semconv.md}, none of the deprecated ones),
 * and the library's own, under {@code genai_processors.} for attributes and {@code
 * genai.processor.} for metrics.
 */
final class GenAi {
  private GenAi() {}

  // Attributes of the GenAI semantic conventions.
  static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_CREATION_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<Long> REASONING_TOKENS =
      AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
  static final AttributeKey<Double> TIME_TO_FIRST_CHUNK =
      AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
  static final AttributeKey<String> WORKFLOW_NAME = AttributeKey.stringKey("gen_ai.workflow.name");
  static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
  static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
  static final AttributeKey<String> INPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.output.messages");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  // The library's own attributes.
  static final AttributeKey<Long> RUN_ID = AttributeKey.longKey("genai_processors.run.id");
  static final AttributeKey<Long> STAGE_ID = AttributeKey.longKey("genai_processors.stage.id");
  static final AttributeKey<String> PROCESSOR =
      AttributeKey.stringKey("genai_processors.processor.name");
  static final AttributeKey<Boolean> CANCELLED =
      AttributeKey.booleanKey("genai_processors.cancelled");

  // Operation names.
  static final String CHAT = "chat";
  static final String INVOKE_WORKFLOW = "invoke_workflow";
  static final String EXECUTE_TOOL = "execute_tool";

  // Metrics of the GenAI semantic conventions.
  static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
  static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  static final String TIME_TO_FIRST_CHUNK_METRIC = "gen_ai.client.operation.time_to_first_chunk";
  static final String TOKEN_TYPE = "gen_ai.token.type";

  // The library's own metrics; tag "processor" is the stage's name.
  static final String PARTS_IN = "genai.processor.parts.in";
  static final String PARTS_OUT = "genai.processor.parts.out";
  static final String STAGE_DURATION = "genai.processor.duration";
  static final String STAGE_ERRORS = "genai.processor.errors";
  static final String IN_FLIGHT = "genai.processor.in_flight";
  static final String RETRIES = "genai.processor.retries";
  static final String RATE_LIMIT_WAITS = "genai.processor.rate_limit.waits";
  static final String RATE_LIMIT_WAIT_TIME = "genai.processor.rate_limit.wait";
  static final String EVENTS = "genai.processor.events";
  static final String CIRCUIT_STATE = "genai.circuit.state";
  static final String PROCESSOR_TAG = "processor";
  static final String OUTCOME_TAG = "outcome";

  /** The value of a tag or attribute that is not known, as the conventions spell it. */
  static final String OTHER = "_OTHER";

  /** The tag {@code error.type} of a call that did not fail. */
  static final String NO_ERROR = "none";

  /** {@code gen_ai.client.operation.duration}'s buckets, in seconds, from the conventions. */
  static final Duration[] DURATION_BUCKETS =
      durations(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  /** {@code gen_ai.client.token.usage}'s buckets, from the conventions. */
  static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };

  private static Duration[] durations(double... seconds) {
    Duration[] buckets = new Duration[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      buckets[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
    }
    return buckets;
  }
}
