package dev.genaiprocessors.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code genai} actuator endpoint ({@code /actuator/genai}): the models and pipelines the
 * starter made beans of, each with its settings (never a key), its circuit state and, when runs are
 * stored, its latest runs (20 at most, from the last seven days, newest first).
 */
@Endpoint(id = "genai")
public final class GenAiEndpoint {
  private final GenAiBeans beans;
  private final ObjectProvider<RecentRuns> runs;

  GenAiEndpoint(GenAiBeans beans, ObjectProvider<RecentRuns> runs) {
    this.beans = beans;
    this.runs = runs;
  }

  /** What the endpoint shows: {@code models} and {@code pipelines}, by bean name. */
  @ReadOperation
  public Map<String, Object> describe() {
    Map<String, Object> models = new LinkedHashMap<>();
    Map<String, Object> pipelines = new LinkedHashMap<>();
    RecentRuns recent = runs.getIfAvailable();
    for (Registered registered : beans.registered()) {
      Map<String, Object> entry = new LinkedHashMap<>(registered.details());
      if (registered.circuit() != null) {
        entry.put("circuit", registered.circuit().get());
      }
      String storedName = registered.storedName();
      if (storedName != null && recent != null) {
        List<Map<String, Object>> latest = recent.of(storedName);
        entry.put("runs", latest);
      }
      (registered.kind().equals("pipeline") ? pipelines : models).put(registered.name(), entry);
    }
    return Map.of("models", models, "pipelines", pipelines);
  }
}
