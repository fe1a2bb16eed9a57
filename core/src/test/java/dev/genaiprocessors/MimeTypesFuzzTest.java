package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests (fuzzing) of {@link MimeTypes}: for any string every method answers or
 * throws its documented exception, and parameters written by RFC 9110's rules (tokens or quoted
 * strings with escapes) are read back as written. See {@link PartJsonFuzzTest} for the number of
 * tries and a long run by hand.
 */
class MimeTypesFuzzTest {

  private static final List<String> PIECES =
      List.of(
          "audio/l16",
          "AUDIO/PCM",
          "application/json",
          "text/plain",
          "image/png",
          ";",
          "; ",
          "=",
          "\"",
          "\\",
          "rate=",
          "rate=99999999999",
          "rate=-1",
          "rate=0",
          "rate=\"8000\"",
          "type=",
          "type=Forecast",
          " ",
          "\t",
          "/",
          "bitrate=64000",
          "\u00e9",
          "\ud800");

  @Test
  void anyString_getsAnAnswer_orTheDocumentedException() {
    Fuzz.check(
        "any string",
        MimeTypesFuzzTest::mimeTypeLike,
        s -> {
          if (MimeTypes.isValid(s)) {
            assertThat(MimeTypes.requireValid(s)).isSameAs(s);
          } else {
            assertThatThrownBy(() -> MimeTypes.requireValid(s))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .hasSizeLessThan(300);
          }
          MimeTypes.baseType(s);
          MimeTypes.isText(s);
          MimeTypes.isJson(s);
          MimeTypes.isTypedJson(s, null);
          MimeTypes.isTypedJson(s, "Forecast");
          MimeTypes.typeParameter(s);
          MimeTypes.parameter(s, "rate");
          MimeTypes.isImage(s);
          MimeTypes.isAudio(s);
          MimeTypes.isStreamingAudio(s);
          MimeTypes.isException(s);
          try {
            assertThat(MimeTypes.frameRate(s, 16000)).isNotNegative();
          } catch (IllegalArgumentException documented) {
            assertThat(documented.getMessage())
                .contains("must be a whole number")
                .hasSizeLessThan(600);
          }
        });
  }

  @Test
  void parametersWrittenAsTokensOrQuotedStrings_areReadBackAsWritten() {
    Fuzz.check(
        "parameters",
        MimeTypesFuzzTest::parameters,
        parameters -> {
          StringBuilder mimeType = new StringBuilder("audio/l16");
          for (Map.Entry<String, String> p : parameters) {
            String value = p.getValue();
            mimeType
                .append(p.getKey().length() % 2 == 0 ? "; " : ";")
                .append(p.getKey())
                .append('=');
            mimeType.append(
                isToken(value)
                    ? value
                    : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
          }
          List<String> seen = new ArrayList<>();
          for (Map.Entry<String, String> p : parameters) {
            if (seen.contains(p.getKey().toLowerCase(Locale.ROOT))) {
              continue; // the first value of a repeated name counts
            }
            seen.add(p.getKey().toLowerCase(Locale.ROOT));
            assertThat(
                    MimeTypes.parameter(mimeType.toString(), p.getKey().toUpperCase(Locale.ROOT)))
                .as("%s in %s", p.getKey(), mimeType)
                .isEqualTo(p.getValue());
          }
        });
  }

  /** Whether {@code value} is an RFC 9110 token, which needs no quotes. */
  private static boolean isToken(String value) {
    return !value.isEmpty()
        && value.chars().allMatch(c -> c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
  }

  private static List<Map.Entry<String, String>> parameters(Random random) {
    List<Map.Entry<String, String>> parameters = new ArrayList<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      String name =
          random.nextBoolean()
              ? "p" + Fuzz.chars(random, 7, "abcXYZ019-_.")
              : Fuzz.pick(random, List.of("rate", "RATE", "bitrate", "type", "charset"));
      String value =
          switch (random.nextInt(3)) {
            case 0 -> Fuzz.ascii(random, 12);
            case 1 -> Fuzz.anyChars(random, 8);
            default ->
                Fuzz.pick(random, List.of("24000", "a;b", "\"q\"", "back\\slash", " spaced ", ""));
          };
      parameters.add(Map.entry(name, value));
    }
    return parameters;
  }

  private static String mimeTypeLike(Random random) {
    if (random.nextInt(3) == 0) {
      return Fuzz.anyChars(random, 40);
    }
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(9); i > 0; i--) {
      s.append(
          switch (random.nextInt(3)) {
            case 0 -> Fuzz.pick(random, PIECES);
            case 1 -> Fuzz.anyChars(random, 6);
            default -> Fuzz.chars(random, 12, "0123456789");
          });
    }
    return s.toString();
  }
}
