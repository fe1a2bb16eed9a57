package dev.genaiprocessors;

/** Emits its input unchanged. */
final class Identity implements Processor {
  static final Identity INSTANCE = new Identity();

  private Identity() {}

  @Override
  public void call(PartStream input, PartSink output) {
    for (ProcessorPart part = input.read(); part != null; part = input.read()) {
      output.emit(part);
    }
  }

  @Override
  public String name() {
    return "identity";
  }
}
