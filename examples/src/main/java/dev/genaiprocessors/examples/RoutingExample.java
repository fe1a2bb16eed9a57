package dev.genaiprocessors.examples;

import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSwitch;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Switch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Routing. {@link PartSwitch} sends each part to the first matching case, part by part, order kept
 * (here: by MIME type). {@link Switch} splits the stream into per-case streams, each read by its
 * own processor, and merges their outputs as they arrive (here: by substream).
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl examples -am package exec:java
 * -Dexample=dev.genaiprocessors.examples.RoutingExample}
 */
public final class RoutingExample {
  private RoutingExample() {}

  public static void main(String[] args) {
    PartSwitch<String> byType =
        PartSwitch.<String>on(ProcessorPart::mimeType)
            .whenEquals(
                MimeTypes.TEXT_PLAIN,
                PartProcessor.map("shout", p -> p.text().toUpperCase(Locale.ROOT)))
            .when(
                MimeTypes::isImage,
                PartProcessor.map("describe", p -> "[an image of " + p.bytes().length + " bytes]"))
            .otherwise(PartProcessor.identity());
    List<ProcessorPart> input =
        List.of(
            ProcessorPart.text("hello"),
            ProcessorPart.bytes(new byte[] {1, 2, 3}, MimeTypes.IMAGE_PNG),
            ProcessorPart.bytes("a,b".getBytes(StandardCharsets.UTF_8), MimeTypes.TEXT_CSV));
    for (ProcessorPart part : byType.apply(input).gather()) {
      System.out.println("part switch -> " + part.text());
    }

    Processor countWords =
        Processor.named("count_words", (in, out) -> out.emit("questions: " + in.gather().size()));
    Switch<String> bySubstream =
        Switch.<String>on(ProcessorPart::substreamName)
            .whenEquals("question", countWords)
            .otherwise(PartProcessor.map("echo", p -> "said: " + p.text()));
    List<ProcessorPart> conversation =
        List.of(
            ProcessorPart.text("Is it raining?").withSubstreamName("question"),
            ProcessorPart.text("Good morning"),
            ProcessorPart.text("Where is my umbrella?").withSubstreamName("question"));
    for (ProcessorPart part : bySubstream.apply(conversation).gather()) {
      System.out.println("switch      -> " + part.text());
    }
  }
}
