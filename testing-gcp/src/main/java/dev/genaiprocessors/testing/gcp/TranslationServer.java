package dev.genaiprocessors.testing.gcp;

import com.google.cloud.translate.v3.TranslateTextRequest;
import com.google.cloud.translate.v3.TranslateTextResponse;
import com.google.cloud.translate.v3.Translation;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A loopback Cloud Translation v3 server: {@code
 * google.cloud.translation.v3.TranslationService/TranslateText} over gRPC (Netty, plaintext), for
 * tests of the official {@code TranslationServiceClient}.
 *
 * <pre>{@code
 * try (TranslationServer server = TranslationServer.start()) {
 *   String endpoint = server.endpoint();   // "127.0.0.1:<port>"
 *   // TranslationServiceSettings with this endpoint, NoCredentialsProvider and a plaintext channel
 * }
 * }</pre>
 *
 * <p><b>What it answers.</b> Each content becomes {@code "[<target>] <content>"} (so a test sees
 * which text went where), with {@code detected_language_code} set when the request named no source
 * language: {@code fr}, {@code de} or {@code es} when the text holds a common word of that
 * language, else {@code en}. With a glossary, {@code glossary_translations} are answered as {@code
 * "[<target> glossary] <content>"}; with a model, each translation names it. It checks what the
 * real service checks and answers {@code INVALID_ARGUMENT} as it does: a {@code parent} of the form
 * {@code projects/<p>/locations/<l>}, a known target (and source) language ({@code "Target language
 * is invalid."}), at most 1024 contents and 30,720 code points a request.
 *
 * <p><b>Faults</b> ({@link #failNext}) are played one per call, in order, before the call is
 * answered; a {@code retryDelay} travels as {@code google.rpc.RetryInfo} in the status details, as
 * Google sends it. The most recent 1,000 requests received are kept ({@link #requests()}) and all
 * are counted ({@link #requestCount()}), so the heap a long run holds stays bounded. Thread-safe.
 */
public final class TranslationServer
    extends GrpcLoopbackServer<TranslateTextRequest, TranslateTextResponse> {
  /** The language codes the server accepts, a subset of what the real service knows. */
  public static final Set<String> LANGUAGES =
      Set.of(
          "ar", "bg", "cs", "da", "de", "el", "en", "es", "fi", "fr", "he", "hi", "hu", "id", "it",
          "ja", "ko", "nl", "no", "pl", "pt", "ro", "ru", "sv", "th", "tr", "uk", "vi", "zh",
          "zh-CN", "zh-TW");

  /** The real service's limits for one {@code TranslateText} request. */
  public static final int MAX_CONTENTS = 1024;

  /** The most code points the real service translates in one request. */
  public static final int MAX_CODE_POINTS = 30_720;

  private static final Pattern PARENT = Pattern.compile("projects/[^/]+/locations/[^/]+");

  private TranslationServer() {
    super(
        "google.cloud.translation.v3.TranslationService",
        "TranslateText",
        TranslateTextRequest.getDefaultInstance(),
        TranslateTextResponse.getDefaultInstance());
  }

  /** Starts a server on a free loopback port. */
  public static TranslationServer start() {
    TranslationServer server = new TranslationServer();
    server.listen();
    return server;
  }

  @Override
  TranslateTextResponse answer(TranslateTextRequest request) {
    if (!PARENT.matcher(request.getParent()).matches()) {
      throw GrpcFaults.invalid("Invalid 'parent': " + request.getParent());
    }
    String target = request.getTargetLanguageCode();
    if (!LANGUAGES.contains(target)) {
      throw GrpcFaults.invalid("Target language is invalid.");
    }
    String source = request.getSourceLanguageCode();
    if (!source.isEmpty() && !LANGUAGES.contains(source)) {
      throw GrpcFaults.invalid("Source language is invalid.");
    }
    if (request.getContentsCount() == 0) {
      throw GrpcFaults.invalid("Empty contents.");
    }
    if (request.getContentsCount() > MAX_CONTENTS) {
      throw GrpcFaults.invalid("Number of contents is over the limit of " + MAX_CONTENTS + ".");
    }
    long codePoints =
        request.getContentsList().stream().mapToLong(s -> s.codePoints().count()).sum();
    if (codePoints > MAX_CODE_POINTS) {
      throw GrpcFaults.invalid("Text is too long: " + codePoints + " code points.");
    }
    TranslateTextResponse.Builder response = TranslateTextResponse.newBuilder();
    boolean glossary = request.hasGlossaryConfig();
    for (String content : request.getContentsList()) {
      response.addTranslations(translation(request, content, "[" + target + "] "));
      if (glossary) {
        response.addGlossaryTranslations(
            translation(request, content, "[" + target + " glossary] ").toBuilder()
                .setGlossaryConfig(request.getGlossaryConfig()));
      }
    }
    return response.build();
  }

  private static Translation translation(
      TranslateTextRequest request, String content, String prefix) {
    Translation.Builder t = Translation.newBuilder().setTranslatedText(prefix + content);
    if (request.getSourceLanguageCode().isEmpty()) {
      t.setDetectedLanguageCode(detect(content));
    }
    if (!request.getModel().isEmpty()) {
      t.setModel(request.getModel());
    }
    return t.build();
  }

  /** A guess good enough for tests: a common word of French, German or Spanish, else English. */
  static String detect(String text) {
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
      String language = language(word);
      if (language != null) {
        return language;
      }
    }
    return "en";
  }

  private static @Nullable String language(String word) {
    return switch (word) {
      case "bonjour", "le", "la", "les", "est", "et", "merci", "chat" -> "fr";
      case "hallo", "der", "die", "das", "und", "ist", "danke", "katze" -> "de";
      case "hola", "el", "los", "gracias", "gato", "y" -> "es";
      default -> null;
    };
  }
}
