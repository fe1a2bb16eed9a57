package dev.genaiprocessors;

/** A processor under a given name; see {@link Processor#named}. */
record NamedProcessor(String name, Processor processor) implements Processor {
  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    processor.call(input, output);
  }

  /**
   * The processor {@code processor} delegates to if it is named, so the runtime calls it directly.
   */
  static Processor unwrap(Processor processor) {
    return processor instanceof NamedProcessor named ? named.processor() : processor;
  }

  @Override
  public String toString() {
    return name;
  }
}
