package dev.genaiprocessors.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorPart;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The part JSON codec against its baseline in the same run: Jackson data binding of a plain map of
 * the same shape (what a team would write without the library). Reports operations per second; the
 * ratio {@code partJson / jacksonMap} is the figure to watch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PartJsonBenchmark {
  @Param({"64", "65536"})
  int payloadBytes;

  private ProcessorPart part;
  private Map<String, Object> map;
  private String partJson;
  private String mapJson;
  private final ObjectMapper mapper = new ObjectMapper();

  @Setup
  public void setUp() throws JsonProcessingException {
    byte[] payload = new byte[payloadBytes];
    new Random(42).nextBytes(payload);
    part = ProcessorPart.bytes(payload, "image/png").withRole("user").withMetadata("turn", 3);
    map = PartJson.toDict(part, true);
    partJson = PartJson.toJson(part);
    mapJson = mapper.writeValueAsString(map);
  }

  /** Our codec: part to JSON and back. */
  @Benchmark
  public ProcessorPart partJsonRoundTrip() {
    return PartJson.fromJson(PartJson.toJson(part));
  }

  /** Baseline: Jackson data binding of an equivalent map, to JSON and back. */
  @Benchmark
  public Object jacksonMapRoundTrip() throws JsonProcessingException {
    return mapper.readValue(mapper.writeValueAsString(map), Map.class);
  }

  /** Our codec, reading only. */
  @Benchmark
  public ProcessorPart partJsonRead() {
    return PartJson.fromJson(partJson);
  }

  /** Baseline, reading only. */
  @Benchmark
  public Object jacksonMapRead() throws JsonProcessingException {
    return mapper.readValue(mapJson, Map.class);
  }
}
