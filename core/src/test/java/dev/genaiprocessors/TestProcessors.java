package dev.genaiprocessors;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Small processors the runtime tests share, named as in the Python library's tests. */
final class TestProcessors {
  private TestProcessors() {}

  /** Emits {@code k}, then the part. */
  static PartProcessor insert(String k) {
    return PartProcessor.named(
        "insert_" + k,
        (part, out) -> {
          out.emit(k);
          out.emit(part);
        });
  }

  /** Emits every part twice. */
  static Processor twice() {
    return Processor.named(
        "twice",
        (in, out) -> {
          for (ProcessorPart p : in) {
            out.emit(p);
            out.emit(p);
          }
        });
  }

  /** Emits "0" per input part. */
  static Processor toZero() {
    return Processor.named(
        "tozero",
        (in, out) -> {
          for (ProcessorPart ignored : in) {
            out.emit("0");
          }
        });
  }

  /** Appends "1" to texts starting with "0"; counts its calls. */
  static PartProcessor addOne(AtomicInteger calls) {
    return new PartProcessor() {
      @Override
      public void call(ProcessorPart part, PartSink output) {
        calls.incrementAndGet();
        output.emit(part.text() + "1");
      }

      @Override
      public boolean match(ProcessorPart part) {
        return part.text().startsWith("0");
      }
    };
  }

  static List<String> texts(ProcessorStream stream) {
    return stream.gather().stream().map(ProcessorPart::text).toList();
  }

  static List<String> texts(ProcessorContent content) {
    return content.stream().map(ProcessorPart::text).toList();
  }
}
