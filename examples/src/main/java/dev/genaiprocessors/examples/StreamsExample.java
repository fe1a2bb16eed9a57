package dev.genaiprocessors.examples;

import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import dev.genaiprocessors.Source;
import dev.genaiprocessors.Streams;
import java.time.Duration;
import java.util.List;

/**
 * Stream utilities and sources: merge interleaves by arrival, concat reads one stream after the
 * other (never reading ahead), split copies a stream, and a {@link Source} generates parts that can
 * be merged into a processor's input.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=dev.genaiprocessors.examples.StreamsExample}
 */
public final class StreamsExample {
  private StreamsExample() {}

  public static void main(String[] args) {
    PartStream fast = Streams.delayed(List.of("fast 1", "fast 2", "fast 3"), Duration.ofMillis(10));
    PartStream slow = Streams.delayed(List.of("slow 1", "slow 2"), Duration.ofMillis(25));
    try (ProcessorStream merged = Streams.merge(fast, slow)) {
      System.out.println("merge:  " + texts(merged.gather()));
    }

    PartStream first = Streams.fromIterable(List.of("a", "b"));
    PartStream second = Streams.fromIterable(List.of("c"));
    System.out.println("concat: " + texts(Streams.gather(Streams.concat(first, second))));

    List<PartStream> copies = Streams.split(Streams.fromIterable(List.of("x", "y")), 2);
    System.out.println(
        "split:  "
            + texts(Streams.gather(copies.get(0)))
            + " and "
            + texts(Streams.gather(copies.get(1))));

    Source ticks =
        Source.named(
            "ticks",
            output -> {
              for (int i = 1; i <= 3; i++) {
                output.emit("tick " + i);
              }
            });
    System.out.println("source: " + texts(ticks.stream().gather()));
    System.out.println(
        "source merged with input: "
            + texts(ticks.toProcessor(false).apply(List.of("user says hi")).gather()).size()
            + " parts");
  }

  private static List<String> texts(ProcessorContent content) {
    return content.stream().map(ProcessorPart::text).toList();
  }
}
