package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Property-based tests (fuzzing) of {@link MimeTypes}: for any string every method answers or
 * throws its documented exception, and parameters written by RFC 9110's rules (tokens or quoted
 * strings with escapes) are read back as written. See {@link PartJsonFuzzTest} for the number of
 * tries and a long run by hand.
 */
class MimeTypesFuzzTest {

  @Property
  void anyString_getsAnAnswer_orTheDocumentedException(@ForAll("mimeTypeLike") String s) {
    boolean valid = MimeTypes.isValid(s);
    if (valid) {
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
      assertThat(documented.getMessage()).contains("must be a whole number").hasSizeLessThan(600);
    }
  }

  @Property
  void parametersWrittenAsTokensOrQuotedStrings_areReadBackAsWritten(
      @ForAll("parameters") List<Tuple2<String, String>> parameters) {
    StringBuilder mimeType = new StringBuilder("audio/l16");
    List<String> seen = new ArrayList<>();
    for (Tuple2<String, String> p : parameters) {
      mimeType.append(p.get1().length() % 2 == 0 ? "; " : ";").append(p.get1()).append('=');
      String value = p.get2();
      mimeType.append(
          isToken(value)
              ? value
              : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
    }
    for (Tuple2<String, String> p : parameters) {
      String name = p.get1().toLowerCase(Locale.ROOT);
      if (seen.contains(name)) {
        continue; // the first value of a repeated name counts
      }
      seen.add(name);
      assertThat(MimeTypes.parameter(mimeType.toString(), p.get1().toUpperCase(Locale.ROOT)))
          .as("%s in %s", p.get1(), mimeType)
          .isEqualTo(p.get2());
    }
  }

  /** Whether {@code value} is an RFC 9110 token, which needs no quotes. */
  private static boolean isToken(String value) {
    return !value.isEmpty()
        && value.chars().allMatch(c -> c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
  }

  @Provide
  Arbitrary<List<Tuple2<String, String>>> parameters() {
    Arbitrary<String> names =
        Arbitraries.oneOf(
            Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(8),
            Arbitraries.of("rate", "RATE", "bitrate", "type", "charset"));
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12),
            Arbitraries.strings().all().ofMaxLength(8),
            Arbitraries.of("24000", "a;b", "\"q\"", "back\\slash", " spaced ", ""));
    return Combinators.combine(names, values).as(Tuple::of).list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> mimeTypeLike() {
    Arbitrary<String> pieces =
        Arbitraries.oneOf(
            Arbitraries.of(
                "audio/l16", "AUDIO/PCM", "application/json", "text/plain", "image/png", ";", "; ",
                "=", "\"", "\\", "rate=", "rate=99999999999", "rate=-1", "rate=0", "rate=\"8000\"",
                "type=", "type=Forecast", " ", "\t", "/", "bitrate=64000", "\u00e9", "\ud800"),
            Arbitraries.strings().all().ofMaxLength(6),
            Arbitraries.strings().numeric().ofMaxLength(12));
    return Arbitraries.oneOf(
        pieces.list().ofMaxSize(8).map(list -> String.join("", list)),
        Arbitraries.strings().all().ofMaxLength(40));
  }
}
