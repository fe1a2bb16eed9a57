package dev.genaiprocessors.anthropic;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Event-stream bodies for fuzzing a reader: a recorded stream's events, mutated the way broken
 * servers, proxies and networks mutate them (events dropped, repeated, swapped, cut short, replaced
 * by other JSON, nested too deep; bytes changed), as jqwik arbitraries, so a failure shrinks to the
 * fewest mutations that cause it.
 *
 * <p>How many bodies a property tries is jqwik's {@code jqwik.tries.default} (this module's {@code
 * junit-platform.properties}); a system property of that name overrides it for a long run.
 */
final class FuzzedStreams {
  private FuzzedStreams() {}

  enum Kind { DROP, DUPLICATE, SWAP, TRUNCATE, REPLACE, INSERT, NEST, FLIP_BYTE, DROP_BLANK_LINE }

  /** One mutation: what, where (an index taken modulo the size) and a number or JSON to use. */
  record Mutation(Kind kind, int at, int arg, String json) {}

  /**
   * Bodies made of {@code events} (whole SSE blocks, each ending in a blank line) with up to eight
   * mutations; the random JSON uses the vendor's field names and words in {@code vocabulary}.
   */
  static Arbitrary<byte[]> bodies(List<String> events, List<String> vocabulary) {
    Arbitrary<Mutation> mutation = Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, 1 << 16),
            Arbitraries.integers().between(0, 1 << 16),
            json(vocabulary, 3))
        .as(Mutation::new);
    return mutation.list().ofMaxSize(8).map(mutations -> apply(events, mutations));
  }

  /** A stream that hands out at most {@code size} bytes per read, as a slow network does. */
  static InputStream trickle(byte[] bytes, int size) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, size));
      }
    };
  }

  static byte[] apply(List<String> recorded, List<Mutation> mutations) {
    List<String> events = new ArrayList<>(recorded);
    List<Mutation> byteFlips = new ArrayList<>();
    for (Mutation m : mutations) {
      int n = events.size();
      int i = n == 0 ? 0 : m.at() % n;
      switch (m.kind()) {
        case DROP -> {
          if (n > 0) {
            events.remove(i);
          }
        }
        case DUPLICATE -> {
          if (n > 0) {
            events.add(i, events.get(i));
          }
        }
        case SWAP -> {
          if (n > 1) {
            int j = m.arg() % n;
            String e = events.get(i);
            events.set(i, events.get(j));
            events.set(j, e);
          }
        }
        case TRUNCATE -> {
          if (n > 0) {
            String e = events.get(i);
            events.set(i, e.substring(0, m.arg() % (e.length() + 1)));
          }
        }
        case REPLACE -> {
          if (n > 0) {
            events.set(i, eventNamedLike(events.get(i)) + "data: " + m.json() + "\n\n");
          }
        }
        case INSERT -> events.add(i, "data: " + m.json() + "\n\n");
        case NEST -> {
          int depth = 1 + m.arg() % 5000;
          events.add(i, "data: " + "[".repeat(depth) + "{\"a\":".repeat(depth % 7) + "\n\n");
        }
        case DROP_BLANK_LINE -> {
          if (n > 0 && events.get(i).endsWith("\n\n")) {
            String e = events.get(i);
            events.set(i, e.substring(0, e.length() - 1));
          }
        }
        case FLIP_BYTE -> byteFlips.add(m);
      }
    }
    byte[] body = String.join("", events).getBytes(StandardCharsets.UTF_8);
    for (Mutation flip : byteFlips) {
      if (body.length > 0) {
        body[flip.at() % body.length] = (byte) flip.arg();
      }
    }
    return body;
  }

  /** The {@code event:} line of an SSE block, or nothing when it has none. */
  private static String eventNamedLike(String block) {
    return block.startsWith("event:") && block.indexOf('\n') > 0
        ? block.substring(0, block.indexOf('\n') + 1) : "";
  }

  /** Random JSON text, up to {@code depth} levels of arrays and objects keyed by the vocabulary. */
  static Arbitrary<String> json(List<String> vocabulary, int depth) {
    Arbitrary<String> leaf = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(6).map(FuzzedStreams::quote),
        Arbitraries.of(vocabulary).map(FuzzedStreams::quote),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.of("null", "true", "false", "0", "-1", "1.5", "1e400", "9223372036854775808",
            "\"\\ud800\"", "\"\\u0000\"", "{}", "[]"));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<String> inner = json(vocabulary, depth - 1);
    Arbitrary<String> array = inner.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
    Arbitrary<String> member = Combinators.combine(Arbitraries.of(vocabulary), inner)
        .as((key, value) -> quote(key) + ":" + value);
    Arbitrary<String> object =
        member.list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
    return Arbitraries.frequencyOf(Tuple.of(1, leaf), Tuple.of(1, array), Tuple.of(3, object));
  }

  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }
}
