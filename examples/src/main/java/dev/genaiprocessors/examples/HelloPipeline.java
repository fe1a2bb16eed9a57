package dev.genaiprocessors.examples;

import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorContent;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Substreams;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The example README's run command starts. A three-stage pipeline over a few lines of text, with no
 * model and no network: a part processor splits lines into words (many lines at once, order kept),
 * another normalises them, and a processor counts them and emits the result as JSON, with a status
 * part on the side. The result then crosses a (simulated) process boundary in the wire shape the
 * Python library also speaks.
 */
public final class HelloPipeline {
  private HelloPipeline() {}

  /** The word counts the last stage emits. */
  public record WordCounts(int words, Map<String, Integer> top) {}

  public static void main(String[] args) {
    PartProcessor splitWords =
        PartProcessor.map("split_words", line -> List.of(line.text().split("\\s+")));
    PartProcessor normalise =
        PartProcessor.map(
                "normalise", word -> word.text().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", ""))
            .then(PartProcessor.filter(word -> !word.text().isEmpty()));
    Processor count =
        Processor.named(
            "count",
            (words, output) -> {
              Map<String, Integer> counts = new TreeMap<>();
              int total = 0;
              for (ProcessorPart word : words) {
                counts.merge(word.text(), 1, Integer::sum);
                total++;
              }
              output.emit(Processor.status("counted " + total + " words"));
              Map<String, Integer> top = new TreeMap<>();
              counts.entrySet().stream()
                  .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                  .limit(3)
                  .forEach(e -> top.put(e.getKey(), e.getValue()));
              output.emit(ProcessorPart.json(new WordCounts(total, top)));
            });

    Processor pipeline = splitWords.then(normalise).then(count);
    ProcessorContent result =
        pipeline
            .apply(
                List.of(
                    "The quick brown fox jumps over the lazy dog.",
                    "The dog sleeps; the fox runs.",
                    "A fox is quick, a dog is lazy."))
            .gather();

    ProcessorContent received = PartJson.contentFromJson(PartJson.toJson(result));
    System.out.println("pipeline: " + pipeline.name());
    System.out.println("status:   " + received.text(Substreams.STATUS));
    WordCounts counts = received.filterBySubstream("").get(0).as(WordCounts.class);
    System.out.println("result:   " + counts.words() + " words, top " + counts.top());
    System.out.println(
        "wire:     "
            + (received.equals(result) ? "identical after the JSON round trip" : "DIFFERENT"));
  }
}
