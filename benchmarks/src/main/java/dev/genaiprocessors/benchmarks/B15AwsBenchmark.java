package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.aws.Comprehend;
import dev.genaiprocessors.aws.ComprehendFeature;
import dev.genaiprocessors.aws.Rekognition;
import dev.genaiprocessors.aws.S3Store;
import dev.genaiprocessors.testing.AwsJsonServer;
import dev.genaiprocessors.testing.S3MockServer;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.comprehend.ComprehendClient;
import software.amazon.awssdk.services.comprehend.model.BatchDetectSentimentItemResult;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.Label;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * B15: the aws processors against the bare AWS SDK clients, for the same requests to the same
 * loopback servers, in the same run: 25 texts' sentiment in one {@code BatchDetectSentiment} call
 * ({@code testing}'s {@code AwsJsonServer}), the labels of one image in one {@code DetectLabels}
 * call (the same server), one 64 KiB object put to S3 (Adobe S3Mock, run as its own process by
 * {@code S3MockServer}). Ours includes everything a pipeline pays: turning parts into requests and
 * answers back into parts, the run's threads and buffers. Target: at least 0.95x the bare client's
 * calls per second.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.genaiprocessors.benchmarks.B15AwsBenchmark [quick]}; {@code ... B15AwsBenchmark paired
 * [rounds]} measures both sides in one process, alternating within every round (see {@link
 * PairedCalls}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class B15AwsBenchmark {
  private static final int TEXTS = Comprehend.MAX_BATCH_SIZE;
  private static final int OBJECT_BYTES = 64 * 1024;
  private static final String BUCKET = "bench";

  private AwsJsonServer jsonServer;
  private S3MockServer s3Server;
  private ComprehendClient comprehendClient;
  private RekognitionClient rekognitionClient;
  private S3Client s3Client;

  private Processor comprehend;
  private PartProcessor rekognition;
  private PartProcessor store;
  private List<ProcessorPart> texts;
  private ProcessorPart image;
  private ProcessorPart object;
  private byte[] objectBytes;

  @Setup(Level.Trial)
  public void start() {
    jsonServer = AwsJsonServer.start();
    s3Server = S3MockServer.start();
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench-secret"));
    comprehendClient =
        ComprehendClient.builder()
            .endpointOverride(jsonServer.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .build();
    rekognitionClient =
        RekognitionClient.builder()
            .endpointOverride(jsonServer.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .build();
    s3Client =
        S3Client.builder()
            .endpointOverride(s3Server.endpoint())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .build();
    s3Client.createBucket(b -> b.bucket(BUCKET));

    comprehend =
        Comprehend.builder().client(comprehendClient).features(ComprehendFeature.SENTIMENT).build();
    rekognition = Rekognition.builder().client(rekognitionClient).build();
    store =
        S3Store.builder()
            .client(s3Client)
            .bucket(BUCKET)
            .keyTemplate("ours/{uuid}.bin")
            .build()
            .store();
    texts = new ArrayList<>();
    for (int i = 0; i < TEXTS; i++) {
      texts.add(
          ProcessorPart.text(
              "The quick brown fox jumps over the lazy dog, number "
                  + i
                  + (i % 2 == 0 ? ", a great day." : ", a terrible day.")));
    }
    image = ProcessorPart.bytes(B14GoogleCloudBenchmark.png(1024), "image/png");
    objectBytes = new byte[OBJECT_BYTES];
    new java.util.Random(42).nextBytes(objectBytes);
    object = ProcessorPart.bytes(objectBytes, "application/octet-stream");
  }

  /** The local server records every request; forgetting them bounds the benchmark's heap. */
  @Setup(Level.Iteration)
  public void forgetRequests() {
    jsonServer.clearRequests();
  }

  @TearDown(Level.Trial)
  public void stop() {
    comprehendClient.close();
    rekognitionClient.close();
    s3Client.close();
    jsonServer.close();
    s3Server.close();
  }

  @Benchmark
  public void comprehendOurs(Blackhole bh) {
    bh.consume(comprehend.apply(texts).gather());
  }

  @Benchmark
  public void comprehendBare(Blackhole bh) {
    List<String> textList = new ArrayList<>(TEXTS);
    for (ProcessorPart text : texts) {
      textList.add(text.text());
    }
    var response =
        comprehendClient.batchDetectSentiment(b -> b.textList(textList).languageCode("en"));
    List<String> sentiments = new ArrayList<>(TEXTS);
    for (BatchDetectSentimentItemResult r : response.resultList()) {
      sentiments.add(r.sentimentAsString() + " " + r.sentimentScore().positive());
    }
    bh.consume(sentiments);
  }

  @Benchmark
  public void rekognitionOurs(Blackhole bh) {
    bh.consume(rekognition.apply(image).gather());
  }

  @Benchmark
  public void rekognitionBare(Blackhole bh) {
    var response =
        rekognitionClient.detectLabels(
            r ->
                r.image(i -> i.bytes(SdkBytes.fromByteArrayUnsafe(image.bytes())))
                    .maxLabels(10)
                    .minConfidence(55f));
    List<String> labels = new ArrayList<>();
    for (Label label : response.labels()) {
      labels.add(label.name() + " " + label.confidence());
    }
    bh.consume(labels);
  }

  @Benchmark
  public void s3Ours(Blackhole bh) {
    bh.consume(store.apply(object).gather());
  }

  @Benchmark
  public void s3Bare(Blackhole bh) {
    bh.consume(
        s3Client.putObject(
            r ->
                r.bucket(BUCKET)
                    .key("bare/" + UUID.randomUUID() + ".bin")
                    .contentType("application/octet-stream"),
            RequestBody.fromBytes(objectBytes)));
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("paired")) {
      paired(args.length > 1 ? Integer.parseInt(args[1]) : 15);
      return;
    }
    boolean quick = args.length > 0 && args[0].equals("quick");
    CallRatios.print(
        "B15",
        quick,
        StreamingRows.runRows(B15AwsBenchmark.class, args),
        List.of("comprehend", "rekognition", "s3"));
  }

  /** Both sides of each call in one process: see {@link PairedCalls}. */
  static void paired(int rounds) {
    B15AwsBenchmark state = new B15AwsBenchmark();
    state.start();
    try {
      PairedCalls.run(
          "B15",
          state,
          rounds,
          List.of(
              new PairedCalls.Row<>(
                  "comprehend",
                  B15AwsBenchmark::comprehendOurs,
                  B15AwsBenchmark::comprehendBare,
                  () -> state.jsonServer.requestCount()),
              new PairedCalls.Row<>(
                  "rekognition",
                  B15AwsBenchmark::rekognitionOurs,
                  B15AwsBenchmark::rekognitionBare,
                  () -> state.jsonServer.requestCount()),
              // S3Mock runs as a process of its own and does not count requests.
              new PairedCalls.Row<>(
                  "s3", B15AwsBenchmark::s3Ours, B15AwsBenchmark::s3Bare, () -> -1)));
    } finally {
      state.stop();
    }
  }
}
