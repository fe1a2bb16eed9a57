package dev.genaiprocessors;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The default cache key of content: a SHA-256 digest of its parts in the {@link PartJson} wire
 * shape, or {@code null} for content that must not be cached.
 *
 * <pre>{@code
 * String key = ContentHash.of(ProcessorContent.of("Hello", "World"));   // 64 lowercase hex digits
 * }</pre>
 *
 * <p>What the digest covers: each part's {@link PartJson#toDict(ProcessorPart) toDict} map
 * (payload, role, substream name, MIME type, metadata, thought flag and signature, and the {@link
 * ProcessorPart#extraFields() extra fields} of a part read from JSON), in order, written as
 * canonical JSON (object keys sorted, no whitespace) with the {@value ProcessorPart#CAPTURE_TIME}
 * metadata key left out. So the key
 *
 * <ul>
 *   <li>changes with the order of the parts ({@code [Hello, World]} and {@code [World, Hello]}
 *       differ),
 *   <li>changes with any role, substream, MIME type or metadata value,
 *   <li>does not depend on the order of keys in a map (metadata, function-call arguments),
 *   <li>ignores {@code capture_time}, as part equality does.
 * </ul>
 *
 * <p>Content holding a {@code text/x-exception} part (see {@link ProcessorPart#exception}) is not
 * cacheable: {@link #of} returns {@code null}, as in the Python library.
 *
 * <p>The JSON is written straight into the digest, never built as one string; inline bytes are
 * base64-encoded on the fly.
 *
 * <p><b>Difference from the Python library.</b> Python's {@code default_processor_content_hash}
 * digests its own {@code json.dumps} text with xxHash-128; this class uses SHA-256 from the JDK
 * over a different canonical text. The keys are deterministic across runs and machines but are not
 * equal to Python's, so a cache cannot be shared between the two.
 */
public final class ContentHash {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();
  private static final HexFormat HEX = HexFormat.of();

  private ContentHash() {}

  /**
   * The key of {@code content}: 64 lowercase hex digits, or {@code null} when a part is a {@code
   * text/x-exception} part.
   *
   * @throws IllegalArgumentException if a metadata or payload value is not a JSON value (which
   *     {@link ProcessorPart} never allows)
   */
  public static @Nullable String of(ProcessorContent content) {
    Objects.requireNonNull(content, "content");
    for (ProcessorPart part : content) {
      if (part.isException()) {
        return null;
      }
    }
    MessageDigest digest = sha256();
    try (JsonGenerator gen =
        FACTORY.createGenerator(
            new DigestOutputStream(OutputStream.nullOutputStream(), digest), JsonEncoding.UTF8)) {
      gen.writeStartArray();
      for (ProcessorPart part : content) {
        // Raw bytes: writeBinary base64-encodes them into the digest without a String between.
        Map<String, Object> dict = new LinkedHashMap<>(PartJson.toDict(part, true));
        dict.computeIfPresent(
            "metadata", (k, metadata) -> withoutCaptureTime((Map<?, ?>) metadata));
        writeCanonical(gen, dict);
      }
      gen.writeEndArray();
    } catch (IOException e) {
      // Nothing here does I/O: the stream only feeds the digest.
      throw new UncheckedIOException(e);
    }
    return HEX.formatHex(digest.digest());
  }

  /** The key of the one-part content {@code [part]}; see {@link #of(ProcessorContent)}. */
  public static @Nullable String of(ProcessorPart part) {
    return of(ProcessorContent.of(Objects.requireNonNull(part, "part")));
  }

  private static Map<?, ?> withoutCaptureTime(Map<?, ?> metadata) {
    if (!metadata.containsKey(ProcessorPart.CAPTURE_TIME)) {
      return metadata;
    }
    Map<Object, Object> copy = new LinkedHashMap<>(metadata);
    copy.remove(ProcessorPart.CAPTURE_TIME);
    return copy;
  }

  private static void writeCanonical(JsonGenerator gen, @Nullable Object value) throws IOException {
    switch (value) {
      case null -> gen.writeNull();
      case String s -> gen.writeString(s);
      case Boolean b -> gen.writeBoolean(b);
      case Long l -> gen.writeNumber(l);
      case Integer i -> gen.writeNumber(i);
      case Double d -> gen.writeNumber(d);
      case BigInteger big -> gen.writeNumber(big);
      case BigDecimal dec -> gen.writeNumber(dec);
      // Standard base64 with padding, as PartJson wrote it when these keys were fixed (it now
      // writes the URL-safe alphabet, as Python does): the same bytes keep the same key.
      case byte[] bytes -> gen.writeBinary(bytes);
      case Map<?, ?> map -> {
        List<String> keys = new ArrayList<>(map.size());
        for (Object key : map.keySet()) {
          keys.add((String) key);
        }
        keys.sort(null);
        gen.writeStartObject();
        for (String key : keys) {
          gen.writeFieldName(key);
          writeCanonical(gen, map.get(key));
        }
        gen.writeEndObject();
      }
      case List<?> list -> {
        gen.writeStartArray();
        for (Object element : list) {
          writeCanonical(gen, element);
        }
        gen.writeEndArray();
      }
      default ->
          throw new IllegalArgumentException(
              "cannot hash " + JsonValues.describe(value) + ": not a JSON value");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's Javadoc).
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
