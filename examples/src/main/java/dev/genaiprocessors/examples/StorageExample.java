package dev.genaiprocessors.examples;

import dev.genaiprocessors.Cached;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.jdbc.Storage;
import dev.genaiprocessors.jdbc.StoredRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Storage: every run of a processor kept in a database, loaded back, listed and replayed, and a
 * cache on the same database. With no settings it runs on an embedded H2 database in memory, with
 * nothing to set up; give it a database with {@code -Dstorage.url} (and {@code -Dstorage.user},
 * {@code -Dstorage.password}).
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=StorageExample}, and on PostgreSQL add {@code
 * -Dstorage.url=jdbc:postgresql://127.0.0.1:5432/test -Dstorage.user=postgres}.
 */
public final class StorageExample {
  private StorageExample() {}

  public static void main(String[] args) {
    Storage.Builder settings = Storage.builder();
    String url = System.getProperty("storage.url");
    if (url != null && !url.isBlank()) {
      settings.url(url);
      settings.user(System.getProperty("storage.user", ""));
      settings.password(System.getProperty("storage.password", ""));
    }
    try (Storage storage = settings.build()) {
      System.out.println("storing in " + storage);

      // A processor wrapped by the storage: each call is a run, its input and results kept.
      Processor summarise =
          Processor.of("summarise", content -> "summary: " + content.text().length() + " chars");
      ProcessorContent out =
          storage.wrap(summarise).apply(List.of("The quick brown fox", " jumps over")).gather();
      ProcessorPart result = out.get(0);
      System.out.println(result.text() + "  (storage_id " + result.metadata("storage_id") + ")");

      String runId = Storage.runIdOf(result).orElseThrow();
      StoredRun run = storage.run(runId).orElseThrow();
      System.out.println("run " + run.processorName() + ": " + run.outcome());
      System.out.println("its input, loaded back: " + storage.inputs(runId).text());
      List<StoredRun> today =
          storage.runs("summarise", Instant.now().minus(Duration.ofDays(1)), Instant.now());
      System.out.println("runs of summarise in the last day: " + today.size());

      // Replayed through a new version of the processor.
      Processor shout = Processor.of("shout", content -> content.text().toUpperCase());
      System.out.println("replayed: " + storage.replay(runId, shout).text());

      // A part processor: every result is linked to the input part it came from.
      PartProcessor length =
          PartProcessor.map("length", part -> part.text() + "=" + part.text().length());
      ProcessorContent lengths = storage.wrap(length).apply(List.of("a", "bb", "ccc")).gather();
      System.out.println("lengths: " + lengths.stream().map(ProcessorPart::text).toList());

      // A cache on the same database: the second identical call does not run the model.
      AtomicInteger calls = new AtomicInteger();
      Processor model =
          Processor.of(
              "model",
              content -> {
                calls.incrementAndGet();
                return "answer to " + content.text();
              });
      Processor cached = Cached.processor(model, storage.cache(Duration.ofHours(1), 1000));
      cached.apply("question").gather();
      System.out.println(cached.apply("question").text() + " (model called " + calls + " time)");
    }
  }
}
