package dev.genaiprocessors.examples;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import java.util.List;

/**
 * Lifetime and errors. Closing a stream early cancels the whole run, even an endless one; a
 * failure anywhere reaches the caller as a {@link ProcessorException} naming the stage, with the
 * original exception as its cause, after the parts emitted before it.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=dev.genaiprocessors.examples.CancellationExample}
 */
public final class CancellationExample {
  private CancellationExample() {}

  public static void main(String[] args) {
    Processor ticker =
        Processor.named(
            "ticker",
            (input, output) -> {
              for (long i = 0; ; i++) {
                output.emit("tick " + i);
              }
            });
    try (ProcessorStream ticks = ticker.apply(List.of())) {
      for (int i = 0; i < 3; i++) {
        System.out.println(ticks.read().text());
      }
    } // closing cancels the endless ticker and waits for its thread
    System.out.println("endless ticker cancelled");

    PartProcessor parse =
        PartProcessor.map("parse", p -> "parsed " + Integer.parseInt(p.text()));
    try (ProcessorStream out = parse.apply(List.of("1", "2", "three", "4"))) {
      for (ProcessorPart part : out) {
        System.out.println(part.text());
      }
    } catch (ProcessorException e) {
      System.out.println("failed in stage '" + e.processorName() + "': " + e.getCause());
    }
  }
}
