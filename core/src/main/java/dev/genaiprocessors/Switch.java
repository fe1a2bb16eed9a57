package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Routes each part of a stream to the processor of the first case it matches; the Python library's
 * {@code switch.Switch}.
 *
 * <p>Build one from a key (a function of the part), then add cases in order: {@link #whenEquals}
 * for a value the key must equal, {@link #when} for a condition on the key, and optionally {@link
 * #otherwise} for a default. A case takes a {@link Processor} or a {@link PartProcessor} (run as a
 * stage with {@link PartProcessor#toProcessor()}).
 *
 * <pre>{@code
 * Processor router =
 *     Switch.on(ProcessorPart::mimeType)
 *         .whenEquals("audio/wav", transcriber)
 *         .when(mime -> mime.startsWith("image/"), captioner)
 *         .otherwise(Processor.identity());
 * }</pre>
 *
 * <p><b>Routing.</b> Cases are tried in the order they were added and the first that matches wins;
 * a part that matches no case, when there is no default, is dropped. The key function runs once per
 * part and must not return {@code null}. Parts on a reserved substream are routed like any other
 * when the switch sees them (inside a composition the capture rule takes them before it does).
 *
 * <p><b>Threads and order.</b> Each run starts one thread per case, which runs that case's
 * processor once over the stream of the parts routed to it, and one triage thread, which reads the
 * input and hands each part to its case through a bounded buffer ({@link RunConfig#bufferSize()}
 * parts). The cases' outputs are merged as they arrive: the output keeps the order of the parts
 * within one case, but not between cases. A case processor that returns before reading all its
 * parts simply gets no more of them; one that stops reading without returning holds up the other
 * cases once its buffer is full (the Python library's buffers are unbounded instead). A failure of
 * any case, or of the key function, fails the run.
 *
 * <p><b>Immutable.</b> Unlike the Python builder, every builder method returns a new switch and
 * leaves this one unchanged, so a switch is safe to share, to extend, and to run concurrently.
 *
 * @param <K> the type of the key the cases test
 */
public final class Switch<K> implements Processor {
  private final Function<? super ProcessorPart, ? extends K> key;
  private final SwitchCases<K, Processor> cases;

  private Switch(
      Function<? super ProcessorPart, ? extends K> key, SwitchCases<K, Processor> cases) {
    this.key = key;
    this.cases = cases;
  }

  /** A switch without cases whose key is the part itself; its cases test whole parts. */
  public static Switch<ProcessorPart> create() {
    return new Switch<>(Function.identity(), SwitchCases.empty());
  }

  /**
   * A switch without cases whose key is {@code key} applied to each part, for example {@code
   * ProcessorPart::substreamName}.
   */
  public static <K> Switch<K> on(Function<? super ProcessorPart, ? extends K> key) {
    return new Switch<>(Objects.requireNonNull(key, "key"), SwitchCases.empty());
  }

  /**
   * A copy with one more case: parts whose key {@code equals} {@code value} go to {@code
   * processor}.
   *
   * @throws IllegalArgumentException when the default is already set
   */
  public Switch<K> whenEquals(K value, Processor processor) {
    Objects.requireNonNull(value, "value");
    return new Switch<>(key, cases.withCase(value, value::equals, processor));
  }

  /** {@link #whenEquals(Object, Processor)} with a part processor. */
  public Switch<K> whenEquals(K value, PartProcessor processor) {
    return whenEquals(value, toProcessor(processor));
  }

  /**
   * A copy with one more case: parts whose key satisfies {@code condition} go to {@code processor}.
   *
   * @throws IllegalArgumentException when the default is already set
   */
  public Switch<K> when(Predicate<? super K> condition, Processor processor) {
    Objects.requireNonNull(condition, "condition");
    return new Switch<>(key, cases.withCase(condition, condition, processor));
  }

  /** {@link #when(Predicate, Processor)} with a part processor. */
  public Switch<K> when(Predicate<? super K> condition, PartProcessor processor) {
    return when(condition, toProcessor(processor));
  }

  /**
   * A copy in which {@code processor} gets every part no case matched. It must come last.
   *
   * @throws IllegalArgumentException when the default is already set
   */
  public Switch<K> otherwise(Processor processor) {
    return new Switch<>(key, cases.withDefault(processor));
  }

  /** {@link #otherwise(Processor)} with a part processor. */
  public Switch<K> otherwise(PartProcessor processor) {
    return otherwise(toProcessor(processor));
  }

  /** {@code switch(<case processors>)}. */
  @Override
  public String name() {
    return Names.join("switch", cases.processors());
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    RunConfig config = RunContext.current().config;
    String name = name();
    try (Scope scope = new Scope()) {
      List<Channel> buffers = new ArrayList<>(cases.size());
      for (int i = 0; i < cases.size(); i++) {
        Processor processor = cases.processor(i);
        Channel buffer = Channel.bounded(config.bufferSize());
        buffers.add(buffer);
        // runStage closes the buffer's consumer when the case ends, which tells the triage.
        scope.fork(
            processor.name(), () -> ChainProcessor.runStage(processor, buffer, output, null));
      }
      scope.fork(name + "-triage", () -> triage(input, buffers, name));
      try {
        scope.joinAndRethrow(name);
      } catch (InterruptedException e) {
        throw Scope.cancelledWhileJoining(scope, e);
      }
    }
  }

  /**
   * Hands every input part to its case's buffer, then ends them all. Stops reading early when every
   * case has stopped reading, since whatever remains would be dropped.
   */
  private void triage(PartStream input, List<Channel> buffers, String name) throws Exception {
    try {
      boolean[] gone = new boolean[buffers.size()];
      int reading = buffers.size();
      for (ProcessorPart part = input.read(); part != null; part = input.read()) {
        int index = cases.firstMatch(SwitchCases.keyOf(key, part));
        if (index < 0 || gone[index]) {
          // Dropping never blocks, so cancellation must be checked here or an endless input of
          // unmatched parts would never stop.
          if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("the run was cancelled");
          }
          continue;
        }
        try {
          buffers.get(index).emit(part);
        } catch (Channel.StreamClosedException e) {
          gone[index] = true;
          if (--reading == 0) {
            break;
          }
        }
      }
      buffers.forEach(Channel::close);
    } catch (Throwable e) {
      buffers.forEach(Channel::fail);
      throw Stages.named(name, e);
    }
  }

  private static Processor toProcessor(PartProcessor processor) {
    return Objects.requireNonNull(processor, "processor").toProcessor();
  }
}
