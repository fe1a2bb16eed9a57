package dev.genaiprocessors.examples;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.ProcessorStream;
import java.util.List;

/**
 * Sequential composition. A stream processor numbers its input lines; two part processors, fused
 * into one concurrent stage, simulate a slow lookup per line (many lines at once) and format the
 * answer; the results come out in input order, each as soon as the lines before it are done. A
 * status part from the first stage overtakes the data and reaches the caller first.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=dev.genaiprocessors.examples.ChainExample}
 */
public final class ChainExample {
  private ChainExample() {}

  public static void main(String[] args) {
    Processor number =
        Processor.named(
            "number",
            (input, output) -> {
              output.emit(Processor.status("numbering lines"));
              int n = 0;
              for (ProcessorPart line : input) {
                output.emit(ProcessorPart.text(line.text()).withMetadata("line", ++n));
              }
            });
    PartProcessor slowLookup =
        PartProcessor.named(
            "lookup",
            (line, output) -> {
              // Later lines are faster: they finish first but still come out in order.
              Thread.sleep(200 - 40L * ((Number) line.metadata("line")).intValue());
              output.emit(line.withMetadata("length", line.text().length()));
            });
    PartProcessor format =
        PartProcessor.map(
            "format",
            line ->
                line.metadata("line")
                    + ": "
                    + line.text()
                    + " ("
                    + line.metadata("length")
                    + " chars)");

    Processor pipeline = number.then(slowLookup).then(format);
    System.out.println("stages: " + pipeline.name());
    try (ProcessorStream out = pipeline.apply(List.of("alpha", "beta", "gamma", "delta"))) {
      for (ProcessorPart part : out) {
        String where = part.substreamName().isEmpty() ? "data  " : part.substreamName();
        System.out.println(where + " | " + part.text());
      }
    }
  }
}
