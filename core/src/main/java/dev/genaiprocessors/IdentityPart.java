package dev.genaiprocessors;

/** Emits each part unchanged. */
final class IdentityPart implements PartProcessor {
  static final IdentityPart INSTANCE = new IdentityPart();

  private IdentityPart() {}

  @Override
  public void call(ProcessorPart part, PartSink output) {
    output.emit(part);
  }

  @Override
  public String name() {
    return "identity";
  }
}
