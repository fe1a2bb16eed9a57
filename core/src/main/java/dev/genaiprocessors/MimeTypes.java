package dev.genaiprocessors;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * MIME type constants and predicates, matching the Python library's {@code mime_types} module.
 *
 * <p>Every predicate compares case-insensitively unless its Javadoc says otherwise, and accepts
 * parameters after the subtype ({@code audio/l16; rate=24000}). Parameters are read as RFC 9110
 * (section 5.6.6) and RFC 2045 write them, by one parser that every method here uses: names are
 * matched whole and case-insensitively ({@code bitrate=} is not {@code rate=}), a value may be a
 * quoted string with backslash escapes ({@code name="a \"b\"; c"}), and whitespace around names and
 * values is ignored.
 */
public final class MimeTypes {
  public static final String TEXT_PLAIN = "text/plain";
  public static final String TEXT_CSV = "text/csv";
  public static final String TEXT_HTML = "text/html";
  public static final String TEXT_XML = "text/xml";
  public static final String TEXT_PYTHON = "text/x-python";
  public static final String TEXT_SCRIPT_PYTHON = "text/x-script.python";
  public static final String TEXT_ENUM = "text/x.enum";

  /** A part that carries an exception's description as text. */
  public static final String TEXT_EXCEPTION = "text/x-exception";

  public static final String APPLICATION_JSON = "application/json";
  public static final String APPLICATION_PDF = "application/pdf";
  public static final String APPLICATION_OCTET_STREAM = "application/octet-stream";
  public static final String CONTROL_TOKEN = "application/x-control-token";
  public static final String DIRECTIVE = "application/x-directive";
  public static final String FUNCTION_DECLARATION = "application/x-function-declaration";

  /** The MIME type of function-call parts; the Python library's exact string. */
  public static final String FUNCTION_CALL =
      "application/x-protobuf; type=google.ai.generativelanguage.v1main.FunctionCall";

  /** The MIME type of function-response parts; the Python library's exact string. */
  public static final String FUNCTION_RESPONSE =
      "application/x-protobuf; type=google.ai.generativelanguage.v1main.FunctionResponse";

  public static final String IMAGE_PNG = "image/png";
  public static final String IMAGE_JPEG = "image/jpeg";
  public static final String IMAGE_WEBP = "image/webp";
  public static final String IMAGE_HEIC = "image/heic";
  public static final String IMAGE_HEIF = "image/heif";

  public static final String AUDIO_WAV = "audio/wav";
  public static final String AUDIO_MP3 = "audio/mp3";
  public static final String AUDIO_PCM = "audio/pcm";

  public static final String VIDEO_MP4 = "video/mp4";
  public static final String VIDEO_WEBM = "video/webm";

  /** Image types the Gemini API accepts as input. */
  public static final List<String> INPUT_IMAGE_TYPES =
      List.of(IMAGE_PNG, IMAGE_JPEG, IMAGE_WEBP, IMAGE_HEIC, IMAGE_HEIF);

  /** Audio types the Gemini API accepts as input. */
  public static final List<String> INPUT_AUDIO_TYPES =
      List.of(
          "audio/aac",
          "audio/flac",
          "audio/mp3",
          "audio/m4a",
          "audio/mpeg",
          "audio/mpga",
          "audio/mp4",
          "audio/opus",
          "audio/pcm",
          "audio/wav",
          "audio/webm");

  /** Video types the Gemini API accepts as input. */
  public static final List<String> INPUT_VIDEO_TYPES =
      List.of(
          "video/mov",
          "video/mpeg",
          "video/mpegps",
          "video/mpg",
          "video/mp4",
          "video/webm",
          "video/wmv",
          "video/x-flv",
          "video/3gpp",
          "video/quicktime");

  /** Text types the Gemini API accepts as input. */
  public static final List<String> INPUT_TEXT_TYPES =
      List.of(
          TEXT_PLAIN,
          TEXT_CSV,
          TEXT_HTML,
          TEXT_XML,
          TEXT_PYTHON,
          TEXT_SCRIPT_PYTHON,
          APPLICATION_JSON);

  private MimeTypes() {}

  /**
   * Returns {@code mimeType} if it has the form {@code type/subtype} (optionally followed by {@code
   * ;} and parameters).
   *
   * @throws IllegalArgumentException naming the value when it does not
   */
  public static String requireValid(String mimeType) {
    Objects.requireNonNull(mimeType, "mimeType");
    if (!isValid(mimeType)) {
      throw new IllegalArgumentException(
          "MIME type must have the form type/subtype but was " + Strings.quoted(mimeType));
    }
    return mimeType;
  }

  /**
   * Whether {@code mimeType} has the form {@code type/subtype}: RFC 6838 restricted names for both,
   * optionally followed by {@code ;} and parameters. (A hand-written scan rather than a regular
   * expression: every part made checks its type.)
   */
  public static boolean isValid(String mimeType) {
    int n = mimeType.length();
    int i = restrictedName(mimeType, 0);
    if (i == 0 || i >= n || mimeType.charAt(i) != '/') {
      return false;
    }
    int subtypeEnd = restrictedName(mimeType, i + 1);
    if (subtypeEnd == i + 1) {
      return false;
    }
    int j = subtypeEnd;
    while (j < n && Character.isWhitespace(mimeType.charAt(j))) {
      j++;
    }
    return j == n ? subtypeEnd == n : mimeType.charAt(j) == ';';
  }

  /** The index after the restricted name starting at {@code start} ({@code start} if none). */
  private static int restrictedName(String s, int start) {
    int i = start;
    while (i < s.length()) {
      char c = s.charAt(i);
      boolean alphanumeric =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && (i == start || "!#$&^_.+-".indexOf(c) < 0)) {
        break;
      }
      i++;
    }
    return i;
  }

  /** The type and subtype of {@code mimeType}, lower-cased, without parameters. */
  public static String baseType(String mimeType) {
    int semicolon = mimeType.indexOf(';');
    String base = semicolon < 0 ? mimeType : mimeType.substring(0, semicolon);
    return base.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Text: one of {@link #INPUT_TEXT_TYPES}, any {@code text/*}, or any {@code application/json}.
   */
  public static boolean isText(String mimeType) {
    String m = lower(mimeType);
    return INPUT_TEXT_TYPES.contains(m) || m.startsWith("text/") || m.startsWith(APPLICATION_JSON);
  }

  /** JSON: starts with {@code application/json} (parameters such as {@code ; type=X} allowed). */
  public static boolean isJson(String mimeType) {
    return lower(mimeType).startsWith(APPLICATION_JSON);
  }

  /**
   * JSON of a named type: {@code application/json} with a non-empty {@code type} parameter. With a
   * non-null {@code typeName}, the parameter must equal it (case-sensitively, as in the Python
   * library). Unlike Python's prefix match, the parameter is parsed: {@code type=ForecastV2} is not
   * a {@code Forecast}, and {@code application/json;type=Forecast} (no space) is one.
   */
  public static boolean isTypedJson(String mimeType, @Nullable String typeName) {
    if (!baseType(mimeType).equals(APPLICATION_JSON)) {
      return false;
    }
    String type = parameter(mimeType, "type");
    return type != null && !type.isEmpty() && (typeName == null || type.equals(typeName));
  }

  /**
   * The {@code type} parameter (a typed JSON MIME type's type name), or {@code null} when there is
   * none; {@link #parameter} with the name {@code type}.
   */
  public static @Nullable String typeParameter(String mimeType) {
    return parameter(mimeType, "type");
  }

  /**
   * The value of the parameter {@code name} of {@code mimeType} ({@code charset} in {@code
   * text/plain; charset="utf-8"} is {@code utf-8}), or {@code null} when it has none. The name is
   * matched whole and case-insensitively; a quoted value is unquoted and its backslash escapes
   * undone; surrounding whitespace is dropped. When a name repeats, the first value counts. A
   * parameter without {@code =} is ignored, and an unterminated quoted value runs to the end.
   */
  public static @Nullable String parameter(String mimeType, String name) {
    Objects.requireNonNull(mimeType, "mimeType");
    Objects.requireNonNull(name, "name");
    int n = mimeType.length();
    int i = mimeType.indexOf(';');
    while (i >= 0 && i < n) {
      i++; // past the ';'
      int nameStart = skipWhitespace(mimeType, i);
      int nameEnd = nameStart;
      while (nameEnd < n && mimeType.charAt(nameEnd) != '=' && mimeType.charAt(nameEnd) != ';') {
        nameEnd++;
      }
      if (nameEnd == n || mimeType.charAt(nameEnd) == ';') {
        i = nameEnd; // no value: not a parameter we can read
        continue;
      }
      boolean wanted = mimeType.substring(nameStart, nameEnd).strip().equalsIgnoreCase(name);
      int valueStart = skipWhitespace(mimeType, nameEnd + 1);
      String value;
      if (valueStart < n && mimeType.charAt(valueStart) == '"') {
        StringBuilder unquoted = new StringBuilder();
        int j = valueStart + 1;
        for (; j < n && mimeType.charAt(j) != '"'; j++) {
          char c = mimeType.charAt(j);
          if (c == '\\' && j + 1 < n) {
            c = mimeType.charAt(++j);
          }
          unquoted.append(c);
        }
        value = unquoted.toString();
        i = mimeType.indexOf(';', Math.min(j + 1, n)); // anything between the quote and ';' is junk
      } else {
        int end = mimeType.indexOf(';', valueStart);
        value = mimeType.substring(valueStart, end < 0 ? n : end).strip();
        i = end;
      }
      if (wanted) {
        return value;
      }
    }
    return null;
  }

  private static int skipWhitespace(String s, int from) {
    int i = from;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Image: one of {@link #INPUT_IMAGE_TYPES} or any {@code image/*}. */
  public static boolean isImage(String mimeType) {
    return lower(mimeType).startsWith("image/");
  }

  /** Audio: one of {@link #INPUT_AUDIO_TYPES} or any {@code audio/*}. */
  public static boolean isAudio(String mimeType) {
    return lower(mimeType).startsWith("audio/");
  }

  /** Video: one of {@link #INPUT_VIDEO_TYPES} or any {@code video/*}. */
  public static boolean isVideo(String mimeType) {
    return lower(mimeType).startsWith("video/");
  }

  /** Streaming (raw PCM) audio: starts with {@code audio/l16}. */
  public static boolean isStreamingAudio(String mimeType) {
    return lower(mimeType).startsWith("audio/l16");
  }

  /** Exactly {@code audio/wav}. */
  public static boolean isWav(String mimeType) {
    return lower(mimeType).equals(AUDIO_WAV);
  }

  /** Exactly {@code application/pdf}. */
  public static boolean isPdf(String mimeType) {
    return lower(mimeType).equals(APPLICATION_PDF);
  }

  /** Exactly {@code text/csv}. */
  public static boolean isCsv(String mimeType) {
    return lower(mimeType).equals(TEXT_CSV);
  }

  /** Starts with {@code text/html}. */
  public static boolean isHtml(String mimeType) {
    return lower(mimeType).startsWith(TEXT_HTML);
  }

  /** {@code text/x-python} or {@code text/x-script.python}. */
  public static boolean isPython(String mimeType) {
    String m = lower(mimeType);
    return m.equals(TEXT_PYTHON) || m.equals(TEXT_SCRIPT_PYTHON);
  }

  /** Exactly {@code text/x-exception}. */
  public static boolean isException(String mimeType) {
    Objects.requireNonNull(mimeType, "mimeType");
    if (mimeType.equalsIgnoreCase(TEXT_EXCEPTION)) {
      return true;
    }
    // Asked of every part on hot paths: only a longer type (spaces around it) needs the slow way.
    return mimeType.length() > TEXT_EXCEPTION.length() && lower(mimeType).equals(TEXT_EXCEPTION);
  }

  /** Source code: {@code text/x-python}, {@code application/x-latex} or {@code text/x-c}. */
  public static boolean isSourceCode(String mimeType) {
    String m = lower(mimeType);
    return m.equals(TEXT_PYTHON) || m.equals("application/x-latex") || m.equals("text/x-c");
  }

  /** A serialized protocol buffer: starts with {@code application/x-protobuf}. */
  public static boolean isProtoMessage(String mimeType) {
    return lower(mimeType).startsWith("application/x-protobuf");
  }

  /**
   * The sample rate of an audio MIME type: its {@code rate} parameter (see {@link #parameter}),
   * {@code defaultRate} when that is absent or empty, and 0 when the type is not audio.
   *
   * @throws IllegalArgumentException naming the value when the rate is not a whole number from 1 to
   *     {@link Integer#MAX_VALUE} ({@code rate=fast}, {@code rate=99999999999})
   */
  public static int frameRate(String mimeType, int defaultRate) {
    if (!isAudio(mimeType)) {
      return 0;
    }
    String rate = parameter(mimeType, "rate");
    if (rate == null || rate.isEmpty()) {
      return defaultRate;
    }
    int value = 0;
    boolean valid = rate.length() <= 10;
    for (int i = 0; valid && i < rate.length(); i++) {
      char c = rate.charAt(i);
      long next = value * 10L + (c - '0');
      valid = c >= '0' && c <= '9' && next <= Integer.MAX_VALUE;
      value = (int) next;
    }
    if (!valid || value == 0) {
      throw new IllegalArgumentException(
          "the rate of audio MIME type "
              + Strings.quoted(mimeType)
              + " must be a whole number from 1 to "
              + Integer.MAX_VALUE
              + " but was "
              + Strings.quoted(rate));
    }
    return value;
  }

  private static String lower(String mimeType) {
    return Objects.requireNonNull(mimeType, "mimeType").strip().toLowerCase(Locale.ROOT);
  }
}
