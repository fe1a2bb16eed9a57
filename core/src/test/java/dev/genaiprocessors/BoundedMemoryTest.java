package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A gibibyte of parts, generated and never held, passes through a 5-stage chain in a JVM whose heap
 * is capped at 256 MB: only bounded buffers can make that work.
 */
class BoundedMemoryTest {
  static final int PART_BYTES = 64 * 1024;
  static final int PARTS = 16 * 1024; // 1 GiB in all

  @Test
  void aGibibyteStream_passesThroughFiveStages_in256MegabytesOfHeap() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("bytes=" + (long) PART_BYTES * PARTS).contains("parts=" + PARTS);
  }

  /** Runs in the capped JVM. */
  public static final class Main {
    public static void main(String[] args) {
      Iterator<ProcessorPart> generated =
          new Iterator<>() {
            private int made;

            @Override
            public boolean hasNext() {
              return made < PARTS;
            }

            @Override
            public ProcessorPart next() {
              byte[] data = new byte[PART_BYTES];
              data[0] = (byte) made++;
              return ProcessorPart.bytes(data, "application/octet-stream");
            }
          };
      Processor withRole =
          Processor.named(
              "with_role",
              (in, out) -> {
                for (ProcessorPart p : in) {
                  out.emit(p.withRole("model"));
                }
              });
      PartProcessor tag = PartProcessor.map("tag", p -> p.withMetadata("seen", true));
      Processor keepOrder =
          Processor.named(
              "check_order",
              (in, out) -> {
                int expected = 0;
                for (ProcessorPart p : in) {
                  if (((PartData.Blob) p.data()).asByteBuffer().get(0) != (byte) expected++) {
                    throw new IllegalStateException("out of order at part " + expected);
                  }
                  out.emit(p);
                }
              });
      PartProcessor onlyBytes = PartProcessor.filter(p -> p.data() instanceof PartData.Blob);
      Processor last = Processor.identity();

      long bytes = 0;
      int parts = 0;
      for (ProcessorPart part :
          Processor.chain(withRole, tag, keepOrder, onlyBytes, last).apply(generated)) {
        bytes += ((PartData.Blob) part.data()).size();
        parts++;
      }
      System.out.println(
          "parts=" + parts + " bytes=" + bytes + " maxHeap=" + Runtime.getRuntime().maxMemory());
    }
  }
}
