package dev.genaiprocessors;

/** The markers of {@link PartProcessor#parallel}; never called. */
final class Passthrough implements PartProcessor {
  static final Passthrough ALWAYS = new Passthrough("PASSTHROUGH_ALWAYS");
  static final Passthrough FALLBACK = new Passthrough("PASSTHROUGH_FALLBACK");

  private final String name;

  private Passthrough(String name) {
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
