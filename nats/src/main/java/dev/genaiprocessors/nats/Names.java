package dev.genaiprocessors.nats;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the queue module's names and header values map onto NATS: stream names, the advisory stream
 * of a destination, and header values that NATS headers cannot carry as they are.
 */
final class Names {
  /** The durable pull consumer of a destination's stream, shared by every subscriber. */
  static final String WORKERS = "gp-workers";

  /** The durable pull consumer of a destination's advisory stream. */
  static final String MOVER = "gp-dead-letter-mover";

  /** Starts a header value that was encoded (percent-encoded UTF-8). */
  static final String ENCODED = "%gp%";

  private static final int MAX_STREAM_NAME = 200;

  private Names() {}

  /**
   * The stream of destination {@code name}: one to one, since a stream name cannot hold a dot. A
   * dot becomes {@code _}, an underscore {@code -_} and a hyphen {@code --}; a name longer than 200
   * characters after that is cut and ends in {@code -H} and a hash. Neither {@code -H} nor {@code
   * -A} can come out of the mapping itself, so the suffixes below never collide with it.
   */
  static String stream(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      switch (c) {
        case '.' -> out.append('_');
        case '_' -> out.append("-_");
        case '-' -> out.append("--");
        default -> out.append(c);
      }
    }
    if (out.length() <= MAX_STREAM_NAME) {
      return out.toString();
    }
    return out.substring(0, 150) + "-H" + sha1(name);
  }

  /** The stream that keeps the {@code MAX_DELIVERIES} advisories of destination {@code name}. */
  static String advisoryStream(String name) {
    return stream(name) + "-ADV";
  }

  /** The subject of JetStream's advisory for messages of {@code stream} at the delivery limit. */
  static String maxDeliveriesSubject(String stream) {
    return "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + stream + "." + WORKERS;
  }

  /**
   * {@code value} as a NATS header carries it: printable ASCII without space at either end is sent
   * as it is; anything else (non-ASCII, control characters, spaces at the ends, which NATS trims,
   * or a value that starts like an encoded one) is percent-encoded UTF-8 after {@value #ENCODED}.
   */
  static String encodeHeader(String value) {
    if (!needsEncoding(value)) {
      return value;
    }
    StringBuilder out = new StringBuilder(ENCODED);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > ' ' && c < 0x7f && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** The value {@link #encodeHeader} was given. */
  static String decodeHeader(String value) {
    if (!value.startsWith(ENCODED)) {
      return value;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    for (int i = ENCODED.length(); i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < value.length()) {
        bytes.write(HexFormat.fromHexDigits(value, i + 1, i + 3));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean needsEncoding(String value) {
    if (value.startsWith(ENCODED)) {
      return true;
    }
    if (!value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ')) {
      return true;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < ' ' || c >= 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static String sha1(String name) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(name.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
