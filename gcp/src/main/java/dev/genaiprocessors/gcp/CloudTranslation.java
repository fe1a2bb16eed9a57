package dev.genaiprocessors.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.translate.v3.TranslateTextGlossaryConfig;
import com.google.cloud.translate.v3.TranslateTextRequest;
import com.google.cloud.translate.v3.TranslateTextResponse;
import com.google.cloud.translate.v3.Translation;
import com.google.cloud.translate.v3.TranslationServiceClient;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Translates text parts with Cloud Translation v3 ({@code TranslateText}), many parts a call.
 *
 * <pre>{@code
 * Processor toFrench =
 *     CloudTranslation.builder(clients.translation(), clients.projectId())
 *         .targetLanguage("fr")
 *         .build();
 * String french = toFrench.apply(List.of("Hello", "Good night")).text();
 * }</pre>
 *
 * <p><b>What it translates.</b> Parts of type {@code text/plain} and {@code text/html} (sent with
 * that MIME type, so markup is kept); every other part, end-of-turn markers and error parts
 * included, passes through unchanged in its place. A translated part keeps its MIME type, role,
 * substream and metadata, and gains {@code source_language} (the one given, or the one the service
 * detected) and {@code target_language}. With a glossary, the glossary's translation is the text,
 * and the metadata names the glossary ({@code glossary}).
 *
 * <p><b>Batches.</b> Consecutive text parts of the same MIME type share one request, up to {@link
 * Builder#maxBatchParts} parts (default and service limit 1024) and {@link
 * Builder#maxBatchCodePoints} code points (default and service limit 30,720); a batch is sent when
 * full, at an end-of-turn part and at the end of the input, so a live stream should end its turns.
 * One batch is in flight at a time, and the output keeps the input's order exactly.
 *
 * <p><b>Errors.</b> An empty text, or a text longer than a whole request may be, is an {@link
 * IllegalArgumentException} naming the part's position; the service's refusal of a batch (an
 * unknown target language is {@code INVALID_ARGUMENT}) or its failure is a {@link GcpException}
 * naming the batch's positions. Both go through the {@link GcpErrorStrategy} (default {@link
 * GcpErrorStrategy#FAIL}); under the others, a failed batch fails only its own parts and the rest
 * of the stream goes on. The client's own (gax) retries happen first, as its settings say.
 *
 * <p>The processor does not own the client: closing the client is its creator's business (a {@link
 * GcpClients} closes the clients it built).
 */
public final class CloudTranslation implements Processor {
  // Freezes a metadata map once, for the translated parts of a batch to share.
  private static final ProcessorPart FROZEN = ProcessorPart.text("");

  private final TranslationServiceClient client;
  private final String parent;
  private final String target;
  private final @Nullable String source;
  private final @Nullable String glossary;
  private final @Nullable String model;
  private final int maxCodePoints;
  private final Batcher batcher;

  private CloudTranslation(Builder b) {
    this.client = b.client;
    this.parent = "projects/" + b.projectId + "/locations/" + b.location;
    this.target = Objects.requireNonNull(b.targetLanguage);
    this.source = b.sourceLanguage;
    this.glossary = b.glossary;
    this.model = b.model;
    this.maxCodePoints = b.maxBatchCodePoints;
    this.batcher = new Batcher(new Service(), b.maxBatchParts, b.maxBatchCodePoints, b.strategy);
  }

  /** A builder for a processor calling {@code client} on behalf of {@code projectId}. */
  public static Builder builder(TranslationServiceClient client, String projectId) {
    return new Builder(client, projectId);
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    batcher.run(input, output);
  }

  /** {@code cloud_translation(<target>)}. */
  @Override
  public String name() {
    return "cloud_translation(" + target + ")";
  }

  private static boolean translatable(String mimeType) {
    String base = mimeType.toLowerCase(Locale.ROOT);
    int semicolon = base.indexOf(';');
    base = (semicolon < 0 ? base : base.substring(0, semicolon)).strip();
    return base.equals(MimeTypes.TEXT_PLAIN) || base.equals(MimeTypes.TEXT_HTML);
  }

  private final class Service implements Batcher.Service {
    @Override
    public boolean takes(ProcessorPart part) {
      return translatable(part.mimeType()) && !part.isException();
    }

    @Override
    public @Nullable RuntimeException reject(Batcher.Item item) {
      String text = item.part().text();
      if (text.isEmpty()) {
        return new IllegalArgumentException(
            "text part #" + item.index() + " is empty: Cloud Translation needs some text");
      }
      int codePoints = text.codePointCount(0, text.length());
      if (codePoints > maxCodePoints) {
        return new IllegalArgumentException(
            "text part #"
                + item.index()
                + " has "
                + codePoints
                + " code points, more than the "
                + maxCodePoints
                + " one Translation request may carry; split it first");
      }
      return null;
    }

    @Override
    public long weight(ProcessorPart part) {
      String text = part.text();
      return text.codePointCount(0, text.length());
    }

    @Override
    public Object batchKey(ProcessorPart part) {
      return part.mimeType().toLowerCase(Locale.ROOT).startsWith(MimeTypes.TEXT_HTML)
          ? MimeTypes.TEXT_HTML
          : MimeTypes.TEXT_PLAIN;
    }

    @Override
    public List<Batcher.Outcome> call(List<Batcher.Item> batch) {
      TranslateTextRequest.Builder request =
          TranslateTextRequest.newBuilder()
              .setParent(parent)
              .setTargetLanguageCode(target)
              .setMimeType((String) batchKey(batch.get(0).part()));
      for (Batcher.Item item : batch) {
        request.addContents(item.part().text());
      }
      if (source != null) {
        request.setSourceLanguageCode(source);
      }
      if (model != null) {
        request.setModel(model);
      }
      if (glossary != null) {
        request.setGlossaryConfig(TranslateTextGlossaryConfig.newBuilder().setGlossary(glossary));
      }
      TranslateTextResponse response = client.translateText(request.build());
      List<Translation> translations =
          glossary != null && response.getGlossaryTranslationsCount() == batch.size()
              ? response.getGlossaryTranslationsList()
              : response.getTranslationsList();
      if (translations.size() != batch.size()) {
        throw new IllegalStateException(
            "Translation answered "
                + translations.size()
                + " translations for "
                + batch.size()
                + " texts");
      }
      List<Batcher.Outcome> outcomes = new ArrayList<>(batch.size());
      Map<String, Map<String, @Nullable Object>> shared = new HashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        ProcessorPart part = batch.get(i).part();
        Translation t = translations.get(i);
        // One copy per property that differs from a fresh text part's, and the metadata frozen
        // once: parts without metadata of their own (the usual case) share one frozen map per
        // source language in the batch, which a part takes as it is, without copying it again.
        ProcessorPart translated = ProcessorPart.text(t.getTranslatedText());
        if (!part.mimeType().equals(translated.mimeType())) {
          translated = translated.withMimeType(part.mimeType());
        }
        if (!part.role().isEmpty()) {
          translated = translated.withRole(part.role());
        }
        if (!part.substreamName().isEmpty()) {
          translated = translated.withSubstreamName(part.substreamName());
        }
        String sourceLanguage = source != null ? source : t.getDetectedLanguageCode();
        translated =
            translated.withMetadata(
                part.metadata().isEmpty()
                    ? shared.computeIfAbsent(
                        sourceLanguage, l -> FROZEN.withMetadata(metadata(Map.of(), l)).metadata())
                    : metadata(part.metadata(), sourceLanguage));
        outcomes.add(new Batcher.Outcome.Parts(List.of(translated)));
      }
      return outcomes;
    }

    /** A translated part's metadata: its own, then the source, target and glossary. */
    private Map<String, @Nullable Object> metadata(
        Map<String, @Nullable Object> own, String sourceLanguage) {
      Map<String, @Nullable Object> metadata = new LinkedHashMap<>(own);
      metadata.put("source_language", sourceLanguage);
      metadata.put("target_language", target);
      if (glossary != null) {
        metadata.put("glossary", glossary);
      }
      return metadata;
    }

    @Override
    public RuntimeException failure(List<Batcher.Item> batch, Exception error) {
      String what = "Translation of parts " + Batcher.positions(batch) + " to '" + target + "'";
      if (error instanceof ApiException api) {
        return GcpException.fromGrpc("Translation", what, api);
      }
      return error instanceof RuntimeException r
          ? r
          : new IllegalStateException(what + " failed: " + error, error);
    }
  }

  /**
   * Settings of a {@link CloudTranslation}; {@link #build()} checks them, naming a bad one. Only
   * the target language is required.
   */
  public static final class Builder {
    private final TranslationServiceClient client;
    private final String projectId;
    private String location = "global";
    private @Nullable String targetLanguage;
    private @Nullable String sourceLanguage;
    private @Nullable String glossary;
    private @Nullable String model;
    private int maxBatchParts = 1024;
    private int maxBatchCodePoints = 30_720;
    private GcpErrorStrategy strategy = GcpErrorStrategy.FAIL;

    private Builder(TranslationServiceClient client, String projectId) {
      this.client = Objects.requireNonNull(client, "client");
      this.projectId = Objects.requireNonNull(projectId, "projectId");
    }

    /** The location of the calls (default {@code global}; glossaries live in a region). */
    public Builder location(String location) {
      this.location = Objects.requireNonNull(location, "location");
      return this;
    }

    /** The language to translate into (BCP-47, such as {@code fr} or {@code zh-CN}); required. */
    public Builder targetLanguage(String targetLanguage) {
      this.targetLanguage = Objects.requireNonNull(targetLanguage, "targetLanguage");
      return this;
    }

    /** The language of the input; when not set the service detects it for each part. */
    public Builder sourceLanguage(String sourceLanguage) {
      this.sourceLanguage = Objects.requireNonNull(sourceLanguage, "sourceLanguage");
      return this;
    }

    /**
     * A glossary to apply, by resource name ({@code projects/<p>/locations/<l>/glossaries/<g>}, in
     * the same location as the calls).
     */
    public Builder glossary(String glossary) {
      this.glossary = Objects.requireNonNull(glossary, "glossary");
      return this;
    }

    /**
     * The model, by resource name ({@code projects/<p>/locations/<l>/models/general/nmt} or a
     * custom model); the service's default when not set.
     */
    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** The most parts one request carries, in [1, 1024] (default 1024, the service's limit). */
    public Builder maxBatchParts(int maxBatchParts) {
      this.maxBatchParts = maxBatchParts;
      return this;
    }

    /**
     * The most code points one request carries, in [1, 30720] (default 30,720, the service's
     * limit).
     */
    public Builder maxBatchCodePoints(int maxBatchCodePoints) {
      this.maxBatchCodePoints = maxBatchCodePoints;
      return this;
    }

    /** What happens to a part that fails (default {@link GcpErrorStrategy#FAIL}). */
    public Builder errorStrategy(GcpErrorStrategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /**
     * The processor.
     *
     * @throws IllegalArgumentException naming the setting that is missing or out of range
     */
    public CloudTranslation build() {
      if (targetLanguage == null || targetLanguage.isBlank()) {
        throw new IllegalArgumentException(
            "targetLanguage is required (a BCP-47 code such as \"fr\") but was "
                + (targetLanguage == null ? "not set" : "\"" + targetLanguage + "\""));
      }
      if (projectId.isBlank() || projectId.contains("/")) {
        throw new IllegalArgumentException(
            "projectId must be a project id such as \"my-project\" but was \"" + projectId + "\"");
      }
      if (location.isBlank() || location.contains("/")) {
        throw new IllegalArgumentException(
            "location must be a location such as \"global\" but was \"" + location + "\"");
      }
      if (maxBatchParts < 1 || maxBatchParts > 1024) {
        throw new IllegalArgumentException(
            "maxBatchParts must be in [1, 1024] but was " + maxBatchParts);
      }
      if (maxBatchCodePoints < 1 || maxBatchCodePoints > 30_720) {
        throw new IllegalArgumentException(
            "maxBatchCodePoints must be in [1, 30720] but was " + maxBatchCodePoints);
      }
      return new CloudTranslation(this);
    }
  }
}
