package dev.genaiprocessors.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One change to a recorded event stream, as broken servers, proxies and networks make them; the
 * engine behind {@link EventStreamFuzz}. {@code at} and {@code arg} are taken modulo whatever they
 * index when the mutation is applied, so any values fit any stream.
 *
 * @param kind what is done
 * @param at the event (or, for {@link Kind#FLIP_BYTE}, the byte) it is done to
 * @param arg a second number: the event swapped with, the length cut to, the depth, the new byte
 * @param json the JSON that {@link Kind#REPLACE} and {@link Kind#INSERT} put in; empty for others
 */
record StreamMutation(Kind kind, int at, int arg, String json) {

  /** What a mutation does. */
  enum Kind {
    /** An event is lost. */
    DROP,
    /** An event arrives twice. */
    DUPLICATE,
    /** Two events arrive in each other's place. */
    SWAP,
    /** An event is cut short, maybe inside a UTF-8 sequence or a JSON string. */
    TRUNCATE,
    /** An event keeps its {@code event:} line but carries other JSON with the vendor's words. */
    REPLACE,
    /** An event of other JSON with the vendor's words arrives in between. */
    INSERT,
    /** An event of up to 5000 unclosed arrays and objects arrives in between. */
    NEST,
    /** One byte of the body is changed to any value. */
    FLIP_BYTE,
    /** An event loses its ending blank line, so it runs into the next one. */
    DROP_BLANK_LINE
  }

  static final int MAX_MUTATIONS = 8;
  private static final Kind[] KINDS = Kind.values();
  private static final int MAX_INDEX = 1 << 16;
  private static final int JSON_DEPTH = 3;
  private static final List<String> LEAVES =
      List.of(
          "null",
          "true",
          "false",
          "0",
          "-1",
          "1.5",
          "1e400",
          "9223372036854775808",
          "\"\\ud800\"",
          "\"\\u0000\"",
          "{}",
          "[]");
  private static final List<Long> EDGE_LONGS =
      List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, (long) Integer.MAX_VALUE + 1);

  /** Up to {@link #MAX_MUTATIONS} mutations, none at all as often as any other count. */
  static List<StreamMutation> randomList(Random random, List<String> vocabulary) {
    List<StreamMutation> mutations = new ArrayList<>();
    for (int i = random.nextInt(MAX_MUTATIONS + 1); i > 0; i--) {
      Kind kind = KINDS[random.nextInt(KINDS.length)];
      int at = random.nextInt(MAX_INDEX + 1);
      int arg = random.nextInt(MAX_INDEX + 1);
      String json =
          kind == Kind.REPLACE || kind == Kind.INSERT ? json(random, vocabulary, JSON_DEPTH) : "";
      mutations.add(new StreamMutation(kind, at, arg, json));
    }
    return mutations;
  }

  /**
   * The body of {@code recorded} (whole events, each with the blank line that ends it) after {@code
   * mutations}, in order (byte changes last, on the UTF-8 bytes), and what each one did.
   */
  static byte[] apply(List<String> recorded, List<StreamMutation> mutations, List<String> done) {
    List<String> events = new ArrayList<>(recorded);
    List<StreamMutation> byteFlips = new ArrayList<>();
    for (StreamMutation m : mutations) {
      if (m.kind() == Kind.FLIP_BYTE) {
        byteFlips.add(m);
      } else {
        done.add(m.applyTo(events));
      }
    }
    byte[] body = String.join("", events).getBytes(StandardCharsets.UTF_8);
    for (StreamMutation flip : byteFlips) {
      if (body.length == 0) {
        done.add("flip a byte: the body is empty");
      } else {
        int i = flip.at() % body.length;
        body[i] = (byte) flip.arg();
        done.add(String.format("set byte %d to 0x%02x", i, body[i] & 0xff));
      }
    }
    return body;
  }

  /** Applies this mutation (any but a byte change) to {@code events} and says what it did. */
  private String applyTo(List<String> events) {
    int n = events.size();
    int i = n == 0 ? 0 : at % n;
    if (n == 0 && kind != Kind.INSERT && kind != Kind.NEST) {
      return kind.name().toLowerCase(Locale.ROOT) + ": no event left";
    }
    return switch (kind) {
      case DROP -> {
        events.remove(i);
        yield "drop event " + i;
      }
      case DUPLICATE -> {
        events.add(i, events.get(i));
        yield "repeat event " + i;
      }
      case SWAP -> {
        int j = arg % n;
        String e = events.get(i);
        events.set(i, events.get(j));
        events.set(j, e);
        yield i == j ? "swap event " + i + " with itself" : "swap events " + i + " and " + j;
      }
      case TRUNCATE -> {
        String e = events.get(i);
        int length = arg % (e.length() + 1);
        events.set(i, e.substring(0, length));
        yield "cut event " + i + " to " + length + " chars";
      }
      case REPLACE -> {
        events.set(i, eventLineOf(events.get(i)) + "data: " + json + "\n\n");
        yield "replace the data of event " + i + " by " + json;
      }
      case INSERT -> {
        events.add(i, "data: " + json + "\n\n");
        yield "insert at " + i + " data: " + json;
      }
      case NEST -> {
        int depth = 1 + arg % 5000;
        events.add(i, "data: " + "[".repeat(depth) + "{\"a\":".repeat(depth % 7) + "\n\n");
        yield "insert at " + i + " data nested " + depth + " deep";
      }
      case DROP_BLANK_LINE -> {
        String e = events.get(i);
        int cut = e.endsWith("\r\n\r\n") ? 2 : e.endsWith("\n\n") || e.endsWith("\r\r") ? 1 : 0;
        events.set(i, e.substring(0, e.length() - cut));
        yield cut == 0
            ? "drop blank line: event " + i + " has none"
            : "drop the blank line ending event " + i;
      }
      case FLIP_BYTE -> throw new IllegalStateException("byte changes apply to the whole body");
    };
  }

  /** The {@code event:} line of an SSE block, or nothing when it has none. */
  private static String eventLineOf(String block) {
    return block.startsWith("event:") && block.indexOf('\n') > 0
        ? block.substring(0, block.indexOf('\n') + 1)
        : "";
  }

  /** Random JSON text, up to {@code depth} levels of arrays and objects keyed by the vocabulary. */
  static String json(Random random, List<String> vocabulary, int depth) {
    int shape = depth == 0 ? 0 : random.nextInt(5);
    if (shape == 0) {
      return leaf(random, vocabulary);
    }
    List<String> items = new ArrayList<>();
    if (shape == 1) {
      for (int i = random.nextInt(4); i > 0; i--) {
        items.add(json(random, vocabulary, depth - 1));
      }
      return "[" + String.join(",", items) + "]";
    }
    for (int i = random.nextInt(5); i > 0; i--) {
      items.add(quote(pick(random, vocabulary)) + ":" + json(random, vocabulary, depth - 1));
    }
    return "{" + String.join(",", items) + "}";
  }

  private static String leaf(Random random, List<String> vocabulary) {
    return switch (random.nextInt(4)) {
      case 0 -> quote(anyChars(random, 6));
      case 1 -> quote(pick(random, vocabulary));
      case 2 -> Long.toString(random.nextBoolean() ? random.nextLong() : pick(random, EDGE_LONGS));
      default -> pick(random, LEAVES);
    };
  }

  /** Up to {@code max} of any UTF-16 code units, lone surrogates included. */
  private static String anyChars(Random random, int max) {
    char[] chars = new char[random.nextInt(max + 1)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
    }
    return new String(chars);
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
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
