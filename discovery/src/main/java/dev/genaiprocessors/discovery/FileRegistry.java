package dev.genaiprocessors.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ServiceRegistry} read from a YAML or JSON file ({@code .json} is read as JSON, anything
 * else as YAML) and reloaded when its content changes, checked every poll interval by one virtual
 * thread this registry owns (editors that replace the file are seen too).
 *
 * <pre>{@code
 * # models.yaml
 * instances:
 *   - id: vllm-1
 *     address: http://10.0.0.7:8000/v1
 *     weight: 2              # optional, 1 by default
 *     zone: eu-west-1a       # optional
 *     metadata: {model: llama-3.1-8b}
 *   - id: vllm-2
 *     address: http://10.0.0.8:8000/v1
 * }</pre>
 *
 * <pre>{@code
 * try (FileRegistry registry = ServiceRegistry.file(Path.of("models.yaml"), Duration.ofSeconds(2))) {
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Bad files.</b> Opening a missing or malformed file fails with an {@link
 * IllegalArgumentException} naming the file and what is wrong ({@code models.yaml:
 * instances[1].weight must be at least 1 but was -1}). A reload that finds the file missing or
 * malformed keeps the last good list and sets {@link #problem()} to that message (logged once, and
 * reported by the balancer with its next call); a later good version clears it. Unknown fields are
 * errors, so a misspelt {@code wieght} is not silently ignored.
 */
public final class FileRegistry implements ServiceRegistry {
  private static final Logger log = LoggerFactory.getLogger(FileRegistry.class);
  private static final Set<String> FIELDS = Set.of("id", "address", "weight", "zone", "metadata");

  private final Path file;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile List<ServiceInstance> instances;
  private volatile @Nullable String problem;
  private byte[] lastContent;
  private final Thread poller;
  private volatile boolean closed;

  private FileRegistry(Path file, Duration pollInterval) {
    this.file = file;
    byte[] content = read(file);
    this.instances = parse(file, content);
    this.lastContent = content;
    this.poller =
        Thread.ofVirtual()
            .name("discovery-file-" + file.getFileName())
            .start(() -> poll(pollInterval));
  }

  /**
   * Reads {@code file} and follows its changes, checking every {@code pollInterval}.
   *
   * @throws IllegalArgumentException when the file cannot be read or is malformed, naming the file
   *     and what is wrong
   */
  public static FileRegistry open(Path file, Duration pollInterval) {
    Objects.requireNonNull(file, "file");
    Checks.positive("pollInterval", pollInterval);
    return new FileRegistry(file, pollInterval);
  }

  @Override
  public String name() {
    return file.toString();
  }

  @Override
  public List<ServiceInstance> instances() {
    return instances;
  }

  @Override
  public @Nullable String problem() {
    return problem;
  }

  /**
   * Reads the file now, without waiting for the next poll.
   *
   * @return whether the list changed
   */
  public boolean reload() {
    lock.lock();
    try {
      byte[] content;
      List<ServiceInstance> parsed;
      try {
        content = read(file);
        if (Arrays.equals(content, lastContent) && problem == null) {
          return false;
        }
        parsed = parse(file, content);
      } catch (IllegalArgumentException e) {
        String message = e.getMessage() + "; keeping the last good list of " + instances.size();
        if (!message.equals(problem)) {
          log.warn("{}", message);
        }
        problem = message;
        return false;
      }
      lastContent = content;
      problem = null;
      if (parsed.equals(instances)) {
        return false;
      }
      instances = parsed;
      log.info("{}: {} instances", file, parsed.size());
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void poll(Duration interval) {
    while (!closed) {
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
      reload();
    }
  }

  /** Stops following the file. */
  @Override
  public void close() {
    closed = true;
    poller.interrupt();
    boolean interrupted = false;
    while (true) {
      try {
        poller.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FileRegistry[" + file + ", " + instances.size() + " instances]";
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
          e);
    }
  }

  /** The instances {@code content} lists. */
  static List<ServiceInstance> parse(Path file, byte[] content) {
    String fileName = String.valueOf(file.getFileName());
    boolean json = fileName.toLowerCase(Locale.ROOT).endsWith(".json");
    ObjectMapper mapper = json ? new ObjectMapper() : new YAMLMapper();
    JsonNode root;
    try {
      root = mapper.readTree(content);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          file + ": not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be parsed: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new IllegalArgumentException(
          file + ": is empty; write `instances: []` for no instance");
    }
    JsonNode list = root.isArray() ? root : root.get("instances");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(
          file + ": needs a list `instances` (or a list at the top)");
    }
    List<ServiceInstance> instances = new ArrayList<>(list.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = file + ": instances[" + i + "]";
      ServiceInstance instance = instance(at, list.get(i));
      if (!ids.add(instance.id())) {
        throw new IllegalArgumentException(at + ".id '" + instance.id() + "' is listed twice");
      }
      instances.add(instance);
    }
    return List.copyOf(instances);
  }

  private static ServiceInstance instance(String at, JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(at + " must be a mapping but was " + node);
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            at + " has an unknown field '" + field + "' (known: " + FIELDS + ")");
      }
    }
    String id = text(at, node, "id");
    String address = text(at, node, "address");
    int weight = 1;
    JsonNode w = node.get("weight");
    if (w != null) {
      if (!w.isIntegralNumber() || w.asInt() < 1) {
        throw new IllegalArgumentException(at + ".weight must be at least 1 but was " + w);
      }
      weight = w.asInt();
    }
    JsonNode z = node.get("zone");
    String zone = z == null || z.isNull() ? null : z.asText();
    Map<String, String> metadata = new LinkedHashMap<>();
    JsonNode m = node.get("metadata");
    if (m != null && !m.isNull()) {
      if (!m.isObject()) {
        throw new IllegalArgumentException(at + ".metadata must be a mapping but was " + m);
      }
      m.properties()
          .forEach(
              e -> {
                if (!e.getValue().isValueNode()) {
                  throw new IllegalArgumentException(
                      at + ".metadata." + e.getKey() + " must be a scalar but was " + e.getValue());
                }
                metadata.put(e.getKey(), e.getValue().asText());
              });
    }
    try {
      return new ServiceInstance(id, address, weight, zone, metadata);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
    }
  }

  private static String text(String at, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isValueNode() || value.isNull() || value.asText().isBlank()) {
      throw new IllegalArgumentException(
          at + "." + field + " is required" + (value == null ? "" : " but was " + value));
    }
    return value.asText();
  }
}
