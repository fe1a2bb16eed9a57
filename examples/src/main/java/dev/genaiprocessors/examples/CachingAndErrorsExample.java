package dev.genaiprocessors.examples;

import dev.genaiprocessors.Cached;
import dev.genaiprocessors.InMemoryCache;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Substreams;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caching and error strategies. A slow lookup wrapped with {@link Cached} runs once per distinct
 * part (identical concurrent calls share one run); a part processor wrapped with {@code
 * onErrorEmitPart()} turns a failure into a {@code text/x-exception} part on the status substream
 * instead of failing the run.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=dev.genaiprocessors.examples.CachingAndErrorsExample}
 */
public final class CachingAndErrorsExample {
  private CachingAndErrorsExample() {}

  public static void main(String[] args) {
    AtomicInteger lookups = new AtomicInteger();
    PartProcessor slowLookup =
        PartProcessor.named(
            "lookup",
            (part, out) -> {
              lookups.incrementAndGet();
              Thread.sleep(50);
              out.emit(part.text() + " -> " + part.text().length());
            });
    PartProcessor cached =
        Cached.partProcessor(slowLookup, InMemoryCache.create(Duration.ofMinutes(5), 100));
    List<String> words = List.of("alpha", "beta", "alpha", "alpha", "beta");
    System.out.println(cached.apply(words).gather().stream().map(ProcessorPart::text).toList());
    System.out.println(words.size() + " parts, " + lookups.get() + " lookups");

    PartProcessor parse = PartProcessor.map("parse", p -> "number " + Integer.parseInt(p.text()));
    for (ProcessorPart part : parse.onErrorEmitPart().apply(List.of("1", "two", "3")).gather()) {
      String where = part.substreamName().equals(Substreams.STATUS) ? "status" : "data  ";
      System.out.println(where + " | " + part.text());
    }
  }
}
