package dev.genaiprocessors.examples;

import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.config.Config;
import dev.genaiprocessors.config.ConfigSource;
import dev.genaiprocessors.config.Default;
import dev.genaiprocessors.config.LiveConfig;
import dev.genaiprocessors.config.Max;
import dev.genaiprocessors.config.Min;
import dev.genaiprocessors.config.NotBlank;
import dev.genaiprocessors.config.Reconfigurable;
import dev.genaiprocessors.config.Secret;
import dev.genaiprocessors.openai.ChatSettings;
import dev.genaiprocessors.openai.OpenAiModel;
import dev.genaiprocessors.testing.ChatReply;
import dev.genaiprocessors.testing.OpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A model whose settings live in a YAML file and change while it streams. The example writes {@code
 * model.yaml}, starts a streamed answer, edits the file in the middle of it (the answer in flight
 * finishes on the old settings; the next one uses the new), then writes a bad value, which is
 * rejected while the model keeps its last good settings:
 *
 * <pre>{@code
 * ./mvnw -q -B -DskipTests -pl examples -am package exec:java -Dexample=ConfigReloadExample
 * }</pre>
 *
 * <p>It talks to the {@code testing} module's local {@link OpenAiServer}, so it runs offline; the
 * server's recorded requests show which settings each answer used.
 */
public final class ConfigReloadExample {
  private ConfigReloadExample() {}

  /** The model's settings, as {@code model.yaml} holds them. */
  record ModelSettings(
      @NotBlank String model,
      @Min(0) @Max(2) @Default("0.7") double temperature,
      @Default("sk-local") Secret apiKey, // EXAMPLE_APIKEY overrides it
      String baseUrl) {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("config-example");
    Path file = dir.resolve("model.yaml");
    try (OpenAiServer server = OpenAiServer.start()) {
      server.replyAlways(
          ChatReply.create()
              .text("Streams ", "of ", "parts, ", "one ", "at ", "a ", "time.")
              .pacing(Duration.ofMillis(60)));
      Files.writeString(
          file, "model: gpt-4o-mini\ntemperature: 0.2\nbaseUrl: " + server.baseUrl() + "\n");

      CountDownLatch changed = new CountDownLatch(1);
      CountDownLatch rejected = new CountDownLatch(1);
      try (LiveConfig<ModelSettings> settings =
              Config.builder()
                  .source(ConfigSource.file(file))
                  .source(ConfigSource.environment("EXAMPLE_")) // EXAMPLE_TEMPERATURE=0.5 wins
                  .watch(ModelSettings.class);
          Reconfigurable<ModelSettings> model =
              Reconfigurable.builder(settings, ConfigReloadExample::model)
                  .name("model")
                  .statusParts(true)
                  .build()) {
        settings.onChange(
            (old, now) -> {
              System.out.println(
                  "\n  [config v" + now.version() + ": " + describe(now.value()) + "]");
              changed.countDown();
            });
        settings.onRejection(
            e -> {
              System.out.println("\n  [config rejected: " + e.problems().get(0) + "]");
              rejected.countDown();
            });

        System.out.println("v1 is " + describe(settings.get()));
        try (ProcessorStream answer = model.apply("What flows through a pipeline?")) {
          int parts = 0;
          for (ProcessorPart part : answer) {
            System.out.print(part.text());
            if (++parts == 3) {
              // Edited mid-answer, as an editor saves: this answer keeps its settings.
              Files.writeString(
                  file, "model: gpt-4o\ntemperature: 0.9\nbaseUrl: " + server.baseUrl() + "\n");
            }
          }
        }
        changed.await(10, TimeUnit.SECONDS);
        System.out.println("\nsecond answer, on settings v" + settings.version() + ":");
        System.out.println(model.apply("And now?").text());

        Files.writeString(
            file, "model: gpt-4o\ntemperature: 3.5\nbaseUrl: " + server.baseUrl() + "\n");
        rejected.await(10, TimeUnit.SECONDS);
        System.out.println("third answer, still on settings v" + settings.version() + ":");
        StringBuilder text = new StringBuilder();
        for (ProcessorPart part : model.apply("Still there?").gather()) {
          if (part.substreamName().equals("status")) {
            System.out.println("  (status part) " + part.text());
          } else {
            text.append(part.text());
          }
        }
        System.out.println(text);
      }
      System.out.println("requests the server saw:");
      server
          .requests()
          .forEach(
              r ->
                  System.out.println(
                      "  model="
                          + r.json().get("model").asText()
                          + " temperature="
                          + r.json().get("temperature")));
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private static OpenAiModel model(ModelSettings s) {
    return OpenAiModel.builder()
        .model(s.model())
        .apiKey(s.apiKey().reveal())
        .baseUrl(s.baseUrl())
        .settings(ChatSettings.builder().temperature(s.temperature()).build())
        .build();
  }

  private static String describe(ModelSettings s) {
    return s.model() + " at temperature " + s.temperature();
  }
}
