package dev.genaiprocessors.examples;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import java.util.List;
import java.util.Locale;

/**
 * Parallel composition, both kinds.
 *
 * <p>{@link PartProcessor#parallel}: for each part, several part processors run at once and their
 * outputs are concatenated in declaration order; {@code PASSTHROUGH_ALWAYS} appends the input part.
 *
 * <p>{@link Processor#parallel}: several processors each read the whole stream; the output is all
 * of the first one's, then all of the second one's.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=dev.genaiprocessors.examples.ParallelExample}
 */
public final class ParallelExample {
  private ParallelExample() {}

  public static void main(String[] args) {
    PartProcessor upper = PartProcessor.map("upper", p -> p.text().toUpperCase(Locale.ROOT));
    PartProcessor reversed =
        PartProcessor.map("reversed", p -> new StringBuilder(p.text()).reverse().toString());
    PartProcessor both = PartProcessor.parallel(upper, reversed, PartProcessor.PASSTHROUGH_ALWAYS);
    System.out.println(both.name() + " -> " + texts(both.apply(List.of("abc", "xyz")).gather()));

    Processor count =
        Processor.named("count", (input, output) -> output.emit("count=" + input.gather().size()));
    Processor join =
        Processor.named(
            "join",
            (input, output) -> {
              StringBuilder s = new StringBuilder();
              for (ProcessorPart p : input) {
                s.append(p.text());
              }
              output.emit("joined=" + s);
            });
    Processor summary = Processor.parallel(count, join);
    System.out.println(
        summary.name() + " -> " + texts(summary.apply(List.of("a", "b", "c")).gather()));
  }

  private static List<String> texts(Iterable<ProcessorPart> parts) {
    List<String> out = new java.util.ArrayList<>();
    parts.forEach(p -> out.add(p.text()));
    return out;
  }
}
