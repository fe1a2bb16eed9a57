package dev.genaiprocessors.benchmarks;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.translate.v3.TranslateTextRequest;
import com.google.cloud.translate.v3.TranslateTextResponse;
import com.google.cloud.translate.v3.Translation;
import com.google.cloud.vision.v1.AnnotateImageRequest;
import com.google.cloud.vision.v1.AnnotateImageResponse;
import com.google.cloud.vision.v1.BatchAnnotateImagesRequest;
import com.google.cloud.vision.v1.Feature;
import com.google.cloud.vision.v1.Image;
import com.google.protobuf.ByteString;
import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.gcp.CloudStorage;
import dev.genaiprocessors.gcp.CloudTranslation;
import dev.genaiprocessors.gcp.CloudVision;
import dev.genaiprocessors.gcp.GcpClients;
import dev.genaiprocessors.testing.gcp.StorageServer;
import dev.genaiprocessors.testing.gcp.TranslationServer;
import dev.genaiprocessors.testing.gcp.VisionServer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * B14: the gcp processors against the bare official clients, for the same calls to the same
 * loopback servers ({@code testing-gcp}), in the same run: 64 texts translated in one {@code
 * TranslateText} call, 16 images labelled in one {@code BatchAnnotateImages} call, one 64 KiB
 * object stored. Ours includes everything a pipeline pays: turning parts into requests and answers
 * back into parts, the run's threads and buffers. Target: at least 0.95x the bare client's calls
 * per second.
 *
 * <p><b>Equal terms.</b> The trial's setup makes one call each way and checks that the servers
 * received the same request from both sides (the same protobuf message for Translation and Vision,
 * the same kind of upload for Storage), and fails otherwise. The servers keep a bounded record of
 * what they received, so a long run holds a steady heap and does the same work per call from the
 * first iteration to the last. The warm-up is long (8 x 2 s) because the gRPC, Netty and protobuf
 * paths both sides go through take that long to be compiled on 2 cores; with less, the iterations
 * still climb and the error bars cover the score.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.genaiprocessors.benchmarks.B14GoogleCloudBenchmark [quick]}. On a shared machine, {@code ...
 * B14GoogleCloudBenchmark paired [rounds]} measures both sides in one process, alternating within
 * every round, and prints the median ratio of calls per second and each side's CPU time per call
 * (see {@link #paired}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 6, time = 2)
public class B14GoogleCloudBenchmark {
  private static final int TEXTS = 64;
  private static final int IMAGES = 16;
  private static final int OBJECT_BYTES = 64 * 1024;

  private StorageServer storageServer;
  private TranslationServer translationServer;
  private VisionServer visionServer;
  private GcpClients clients;

  private Processor translation;
  private Processor vision;
  private PartProcessor upload;
  private List<ProcessorPart> texts;
  private List<ProcessorPart> images;
  private ProcessorPart object;
  private byte[] objectBytes;

  @Setup(Level.Trial)
  public void start() {
    storageServer = StorageServer.start();
    storageServer.createBucket("bench");
    translationServer = TranslationServer.start();
    visionServer = VisionServer.start();
    clients =
        GcpClients.builder()
            .projectId("bench")
            .noCredentials()
            .storageHost(storageServer.url())
            .translationEndpoint(translationServer.endpoint())
            .visionEndpoint(visionServer.endpoint())
            .plaintext(true)
            .build();
    translation =
        CloudTranslation.builder(clients.translation(), "bench").targetLanguage("fr").build();
    vision = CloudVision.builder(clients.vision()).build();
    upload =
        CloudStorage.builder(clients.storage(), "bench")
            .objectNames("ours/{uuid}.bin")
            .build()
            .upload();
    texts = new ArrayList<>();
    for (int i = 0; i < TEXTS; i++) {
      texts.add(ProcessorPart.text("The quick brown fox jumps over the lazy dog, number " + i));
    }
    images = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      images.add(ProcessorPart.bytes(png(1024 + i), "image/png"));
    }
    objectBytes = new byte[OBJECT_BYTES];
    new java.util.Random(42).nextBytes(objectBytes);
    object = ProcessorPart.bytes(objectBytes, "application/octet-stream");
    checkSameCalls();
  }

  /**
   * Makes one call each way and fails unless the servers received the same request from both: the
   * ratio compares like with like only if ours sends what the bare client sends.
   */
  void checkSameCalls() {
    Blackhole bh =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is"
                + " dangerous.");
    translateOurs(bh);
    translateBare(bh);
    List<TranslateTextRequest> translations = last(translationServer.requests(), 2);
    same("translate", translations.get(0), translations.get(1));
    visionOurs(bh);
    visionBare(bh);
    List<BatchAnnotateImagesRequest> annotations = last(visionServer.requests(), 2);
    same("vision", annotations.get(0), annotations.get(1));
    long before = storageServer.exchangeCount();
    storeOurs(bh);
    storeBare(bh);
    // The server records an exchange once its answer is sent, so the client may return first.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (storageServer.exchangeCount() < before + 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    List<StorageServer.Exchange> uploads = last(storageServer.exchanges(), 2);
    same(
        "store",
        List.of(uploads.get(0).method(), uploads.get(0).query(), uploads.get(0).status()),
        List.of(uploads.get(1).method(), uploads.get(1).query(), uploads.get(1).status()));
  }

  private static <T> List<T> last(List<T> all, int n) {
    if (all.size() < n) {
      throw new IllegalStateException("expected " + n + " requests but the server had " + all);
    }
    return all.subList(all.size() - n, all.size());
  }

  private static void same(String call, Object ours, Object bare) {
    if (!ours.equals(bare)) {
      throw new IllegalStateException(
          "B14 "
              + call
              + ": ours and the bare client sent different requests:\n"
              + ours
              + "\n"
              + bare);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    clients.close();
    storageServer.close();
    translationServer.close();
    visionServer.close();
  }

  static byte[] png(int size) {
    byte[] bytes = new byte[size];
    byte[] header = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    System.arraycopy(header, 0, bytes, 0, header.length);
    return bytes;
  }

  @Benchmark
  public void translateOurs(Blackhole bh) {
    bh.consume(translation.apply(texts).gather());
  }

  @Benchmark
  public void translateBare(Blackhole bh) {
    TranslateTextRequest.Builder request =
        TranslateTextRequest.newBuilder()
            .setParent("projects/bench/locations/global")
            .setTargetLanguageCode("fr")
            .setMimeType("text/plain");
    for (ProcessorPart text : texts) {
      request.addContents(text.text());
    }
    TranslateTextResponse response = clients.translation().translateText(request.build());
    List<String> out = new ArrayList<>(TEXTS);
    for (Translation t : response.getTranslationsList()) {
      out.add(t.getTranslatedText());
    }
    bh.consume(out);
  }

  @Benchmark
  public void visionOurs(Blackhole bh) {
    bh.consume(vision.apply(images).gather());
  }

  @Benchmark
  public void visionBare(Blackhole bh) {
    BatchAnnotateImagesRequest.Builder request = BatchAnnotateImagesRequest.newBuilder();
    for (ProcessorPart image : images) {
      request.addRequests(
          AnnotateImageRequest.newBuilder()
              .setImage(Image.newBuilder().setContent(ByteString.copyFrom(image.bytes())))
              .addFeatures(
                  Feature.newBuilder().setType(Feature.Type.LABEL_DETECTION).setMaxResults(10)));
    }
    List<String> labels = new ArrayList<>();
    for (AnnotateImageResponse r :
        clients.vision().batchAnnotateImages(request.build()).getResponsesList()) {
      labels.add(r.getLabelAnnotations(0).getDescription());
    }
    bh.consume(labels);
  }

  @Benchmark
  public void storeOurs(Blackhole bh) {
    bh.consume(upload.apply(object).gather());
  }

  @Benchmark
  public void storeBare(Blackhole bh) {
    Storage storage = clients.storage();
    BlobInfo info =
        BlobInfo.newBuilder("bench", "bare/" + UUID.randomUUID() + ".bin")
            .setContentType("application/octet-stream")
            .build();
    bh.consume(storage.create(info, objectBytes));
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("paired")) {
      paired(args.length > 1 ? Integer.parseInt(args[1]) : 15);
      return;
    }
    boolean quick = args.length > 0 && args[0].equals("quick");
    CallRatios.print(
        "B14",
        quick,
        StreamingRows.runRows(B14GoogleCloudBenchmark.class, args),
        List.of("translate", "vision", "store"));
  }

  /** Both sides of each call in one process: see {@link PairedCalls}. */
  static void paired(int rounds) throws Exception {
    B14GoogleCloudBenchmark state = new B14GoogleCloudBenchmark();
    state.start();
    try {
      PairedCalls.run(
          "B14",
          state,
          rounds,
          List.of(
              new PairedCalls.Row<>(
                  "translate",
                  B14GoogleCloudBenchmark::translateOurs,
                  B14GoogleCloudBenchmark::translateBare,
                  () -> state.translationServer.requestCount()),
              new PairedCalls.Row<>(
                  "vision",
                  B14GoogleCloudBenchmark::visionOurs,
                  B14GoogleCloudBenchmark::visionBare,
                  () -> state.visionServer.requestCount()),
              // Storage records an exchange after answering it, so its count may lag: not checked.
              new PairedCalls.Row<>(
                  "store",
                  B14GoogleCloudBenchmark::storeOurs,
                  B14GoogleCloudBenchmark::storeBare,
                  () -> -1)));
    } finally {
      state.stop();
    }
  }
}
