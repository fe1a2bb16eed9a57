package dev.genaiprocessors;

/**
 * The markers of {@link PartProcessor#parallel}; never called. The two instances are {@link
 * PartProcessor}'s constants, created by its initializer: a static field here would let two threads
 * initializing this class and the interface at once wait on each other.
 */
final class Passthrough implements PartProcessor {
  private final String name;

  Passthrough(String name) {
    this.name = name;
  }

  @Override
  public void call(ProcessorPart part, PartSink output) {
    throw new UnsupportedOperationException(
        name + " is a marker for PartProcessor.parallel and cannot run alone");
  }

  @Override
  public boolean match(ProcessorPart part) {
    return false;
  }

  @Override
  public String name() {
    return name;
  }
}
