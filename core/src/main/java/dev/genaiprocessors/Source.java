package dev.genaiprocessors;

import java.util.Objects;

/**
 * Something that produces parts on its own, without an input: a microphone, a camera, a feed, a
 * timer (the Python library's {@code @processor.source}). Write one as plain blocking code that
 * emits until it has nothing more to say, or until it is cancelled:
 *
 * <pre>{@code
 * Source ticks = Source.named("ticks", output -> {
 *   for (int i = 0; ; i++) {
 *     output.emit("tick " + i);
 *     Thread.sleep(1000);               // an interrupt ends the source
 *   }
 * });
 * try (ProcessorStream stream = ticks.stream()) {
 *   stream.stream().limit(3).forEach(part -> System.out.println(part.text()));
 * }                                     // closing cancels the endless source
 *
 * // A live conversation: the model hears both the user's parts and the ticks.
 * try (ProcessorStream out = ticks.toProcessor(true).then(model).apply(userInput)) { ... }
 * }</pre>
 *
 * <p>Use it alone with {@link #stream()}, or next to an input with {@link #toProcessor(boolean)}.
 * Each of these runs {@link #generate} anew.
 */
@FunctionalInterface
public interface Source {

  /**
   * Emits the source's parts into {@code output}: the producer side, called by the runtime on a
   * virtual thread of its own. Return to end the source; throw to fail the run. Blocking calls must
   * honour interruption (a {@link java.util.concurrent.CancellationException} or {@link
   * InterruptedException} from them is the source being cancelled: let it propagate).
   *
   * @throws Exception anything; it reaches the consumer as itself when unchecked, as the cause of a
   *     {@link ProcessorException} when checked, naming this source (see {@link Processor})
   */
  void generate(PartSink output) throws Exception;

  /**
   * The source's readable name, used in errors and thread names: by default the class's simple
   * name, or {@code "lambda"} for a lambda (give it one with {@link #named}).
   */
  default String name() {
    return Names.of(this);
  }

  /**
   * Runs the source alone, with the default {@link RunConfig}, and returns its parts in the order
   * emitted. Like any {@link ProcessorStream}, nothing starts before the first read, reading to the
   * end joins the source's thread, and closing early cancels it. Every call runs the source anew.
   *
   * @throws RuntimeException from reading the stream, when {@link #generate} threw: its exception
   *     if unchecked, a {@link ProcessorException} carrying it if checked
   */
  default ProcessorStream stream() {
    Source self = this;
    Processor alone = Processor.named(name(), (input, output) -> self.generate(output));
    return alone.apply(ProcessorContent.empty());
  }

  /**
   * A processor whose output is its input merged with this source's parts, interleaved by arrival
   * and each side keeping its own order (the Python library's source used as a processor; see
   * {@link Streams#merge(java.util.List, boolean)} for the threading and error rules).
   *
   * @param stopOnFirst whether the output ends as soon as <em>either</em> side ends, cancelling the
   *     other (for endless or live sources, as the Python library does by default: feed it {@link
   *     Streams#endless()} to run until the source ends); otherwise it ends when both have ended
   *     (for finite sources)
   */
  default Processor toProcessor(boolean stopOnFirst) {
    return new SourceProcessor(this, stopOnFirst);
  }

  /** {@code source} under the given name (for lambdas, whose default name says little). */
  static Source named(String name, Source source) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    return new Source() {
      @Override
      public void generate(PartSink output) throws Exception {
        source.generate(output);
      }

      @Override
      public String name() {
        return name;
      }
    };
  }
}
