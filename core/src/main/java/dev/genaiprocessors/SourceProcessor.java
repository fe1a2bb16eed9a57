package dev.genaiprocessors;

import java.util.List;

/**
 * A {@link Source} as a processor: its input and the source's parts merged by arrival, on threads
 * of the processor's run (see {@link MergeProcessor#merge}). It does not close its input, which the
 * runtime owns.
 */
final class SourceProcessor implements Processor {
  private final Source source;
  private final boolean stopOnFirst;

  SourceProcessor(Source source, boolean stopOnFirst) {
    this.source = source;
    this.stopOnFirst = stopOnFirst;
  }

  @Override
  public String name() {
    return source.name();
  }

  @Override
  public void call(PartStream input, PartSink output) {
    String name = name();
    MergeProcessor.merge(
        name, List.of(MergeProcessor.copying(name + "-input", input), source), output, stopOnFirst);
  }
}
