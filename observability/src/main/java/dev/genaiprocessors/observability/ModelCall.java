package dev.genaiprocessors.observability;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage that calls a model, as recognised from its name: the library's model processors are named
 * {@code OpenAiModel(gpt-4o)}, {@code AnthropicModel(claude-...)}, {@code GeminiModel(gemini-...)},
 * and a resilience decorator keeps the name of what it wraps. So the provider and the requested
 * model are known when the stage starts, as the conventions ask (samplers see them).
 *
 * @param operation {@code gen_ai.operation.name}
 * @param provider {@code gen_ai.provider.name}
 * @param requestModel {@code gen_ai.request.model}
 */
record ModelCall(String operation, String provider, String requestModel) {
  private static final Pattern NAME = Pattern.compile("([A-Za-z]+)Model\\((.+)\\)");
  private static final Map<String, String> PROVIDERS =
      Map.of("OpenAi", "openai", "Anthropic", "anthropic", "Gemini", "gcp.gemini");

  /** The model call a stage of this name makes, or empty when the name is not a model's. */
  static Optional<ModelCall> fromStageName(String name) {
    if (!name.endsWith(")") || name.indexOf("Model(") < 0) {
      return Optional.empty();
    }
    Matcher matcher = NAME.matcher(name);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    String provider = PROVIDERS.get(matcher.group(1));
    return provider == null
        ? Optional.empty()
        : Optional.of(new ModelCall(GenAi.CHAT, provider, matcher.group(2)));
  }

  /** The span's name, {@code {operation} {model}} as the conventions spell it. */
  String spanName() {
    return operation + " " + requestModel;
  }
}
