package dev.genaiprocessors.examples;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorException;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import java.util.List;

/**
 * Lifetime and errors. Closing a stream early cancels the whole run, even an endless one; a failure
 * anywhere reaches the caller after the parts emitted before it, as the exception the stage threw
 * (a checked one inside a {@link ProcessorException}), and {@link ProcessorException#stageOf} names
 * the stage.
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

    PartProcessor parse = PartProcessor.map("parse", p -> "parsed " + Integer.parseInt(p.text()));
    try (ProcessorStream out = parse.apply(List.of("1", "2", "three", "4"))) {
      for (ProcessorPart part : out) {
        System.out.println(part.text());
      }
    } catch (NumberFormatException e) { // the stage's own exception, not a wrapper
      System.out.println(
          "failed in stage '" + ProcessorException.stageOf(e).orElse("?") + "': " + e);
    }
  }
}
