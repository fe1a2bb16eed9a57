package dev.genaiprocessors;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * MIME type constants and predicates, matching the Python library's {@code mime_types} module.
 *
 * <p>Every predicate compares case-insensitively unless its Javadoc says otherwise, and accepts
 * parameters after the subtype ({@code audio/l16; rate=24000}).
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
          "audio/aac", "audio/flac", "audio/mp3", "audio/m4a", "audio/mpeg", "audio/mpga",
          "audio/mp4", "audio/opus", "audio/pcm", "audio/wav", "audio/webm");
  /** Video types the Gemini API accepts as input. */
  public static final List<String> INPUT_VIDEO_TYPES =
      List.of(
          "video/mov", "video/mpeg", "video/mpegps", "video/mpg", "video/mp4", "video/webm",
          "video/wmv", "video/x-flv", "video/3gpp", "video/quicktime");
  /** Text types the Gemini API accepts as input. */
  public static final List<String> INPUT_TEXT_TYPES =
      List.of(
          TEXT_PLAIN, TEXT_CSV, TEXT_HTML, TEXT_XML, TEXT_PYTHON, TEXT_SCRIPT_PYTHON,
          APPLICATION_JSON);


  private MimeTypes() {}

  /**
   * Returns {@code mimeType} if it has the form {@code type/subtype} (optionally followed by
   * {@code ;} and parameters).
   *
   * @throws IllegalArgumentException naming the value when it does not
   */
  public static String requireValid(String mimeType) {
    Objects.requireNonNull(mimeType, "mimeType");
    if (!isValid(mimeType)) {
      throw new IllegalArgumentException(
          "MIME type must have the form type/subtype but was '" + mimeType + "'");
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
      boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
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

  /** Text: one of {@link #INPUT_TEXT_TYPES}, any {@code text/*}, or any {@code application/json}. */
  public static boolean isText(String mimeType) {
    String m = lower(mimeType);
    return INPUT_TEXT_TYPES.contains(m) || m.startsWith("text/") || m.startsWith(APPLICATION_JSON);
  }

  /** JSON: starts with {@code application/json} (parameters such as {@code ; type=X} allowed). */
  public static boolean isJson(String mimeType) {
    return lower(mimeType).startsWith(APPLICATION_JSON);
  }

  /**
   * JSON of a named type: {@code application/json; type=<name>}. With a non-null {@code
   * typeName}, the name must match (case-sensitively, as in the Python library).
   */
  public static boolean isTypedJson(String mimeType, @Nullable String typeName) {
    int at = mimeType.indexOf("; type=");
    if (at < 0) {
      return false;
    }
    String prefix = mimeType.substring(0, at + "; type=".length()).toLowerCase(Locale.ROOT);
    String normalized = prefix + mimeType.substring(at + "; type=".length());
    return normalized.startsWith(APPLICATION_JSON + "; type=" + (typeName == null ? "" : typeName));
  }

  /** The {@code type=} parameter of a typed JSON MIME type, or {@code null} when there is none. */
  public static @Nullable String typeParameter(String mimeType) {
    int at = mimeType.indexOf("; type=");
    if (at < 0) {
      return null;
    }
    String rest = mimeType.substring(at + "; type=".length());
    int end = rest.indexOf(';');
    return (end < 0 ? rest : rest.substring(0, end)).strip();
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
    return lower(mimeType).equals(TEXT_EXCEPTION);
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
   * The sample rate of an audio MIME type: the digits after {@code rate=}, {@code defaultRate}
   * when absent, and 0 when the type is not audio.
   */
  public static int frameRate(String mimeType, int defaultRate) {
    if (!isAudio(mimeType)) {
      return 0;
    }
    int at = mimeType.indexOf("rate=");
    if (at < 0) {
      return defaultRate;
    }
    int start = at + "rate=".length();
    int end = start;
    while (end < mimeType.length() && Character.isDigit(mimeType.charAt(end))) {
      end++;
    }
    return end == start ? defaultRate : Integer.parseInt(mimeType.substring(start, end));
  }

  private static String lower(String mimeType) {
    return Objects.requireNonNull(mimeType, "mimeType").strip().toLowerCase(Locale.ROOT);
  }
}
