package dev.genaiprocessors;

/** The markers of {@link PartProcessor#parallel}; never called. */
enum Passthrough implements PartProcessor {
  ALWAYS,
  FALLBACK;

  @Override
  public void call(ProcessorPart part, PartSink output) {
    throw new UnsupportedOperationException(
        "PASSTHROUGH_" + name() + " is a marker for PartProcessor.parallel and cannot run alone");
  }

  @Override
  public boolean match(ProcessorPart part) {
    return false;
  }
}
