package dev.genaiprocessors.benchmarks;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the 200 MB upload harnesses ({@link GcpLargeUpload}, {@link AwsLargeUpload}) share: forking
 * the capped child JVM, timing an upload with its peak heap, and the generated content.
 */
final class LargeUploads {
  private LargeUploads() {}

  /** An upload to time. */
  interface Upload {
    void run() throws Exception;
  }

  /**
   * Runs {@code main} of {@code harness} in a child JVM with {@code -Xmx128m} and the arguments
   * {@code child, args...}, output to ours, and fails unless it exits with 0.
   */
  static void forkCapped(Class<?> harness, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                harness.getName(),
                "child"));
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).inheritIO().start();
    int exit = child.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("the -Xmx128m child failed with exit code " + exit);
    }
  }

  /** Runs {@code upload} and prints its time, throughput and the heap's peak use meanwhile. */
  static void report(String what, long size, Upload upload) throws Exception {
    List<MemoryPoolMXBean> heap = new ArrayList<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
        heap.add(pool);
      }
    }
    System.gc();
    long start = System.nanoTime();
    upload.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    System.out.printf(
        "%s: %d MB in %.2f s = %.1f MB/s, peak heap used (sum of pools' peaks) %d MB%n",
        what, size / 1_000_000, seconds, size / 1e6 / seconds, peak / 1_000_000);
  }

  /** {@code size} bytes of a repeating pattern, generated as read: nothing held. */
  static final class Generated extends InputStream {
    private final long size;
    private long position;

    Generated(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return position < size ? (int) (position++ * 31 & 0xFF) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) ((position + i) * 31 & 0xFF);
      }
      position += n;
      return n;
    }
  }
}
