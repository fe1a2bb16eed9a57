package dev.genaiprocessors.aws;

import dev.genaiprocessors.JsonObjects;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Substreams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.comprehend.ComprehendClient;
import software.amazon.awssdk.services.comprehend.model.BatchItemError;
import software.amazon.awssdk.services.comprehend.model.DominantLanguage;
import software.amazon.awssdk.services.comprehend.model.Entity;
import software.amazon.awssdk.services.comprehend.model.KeyPhrase;
import software.amazon.awssdk.services.comprehend.model.PiiEntity;
import software.amazon.awssdk.services.comprehend.model.SentimentScore;

/**
 * Analyses text parts with Amazon Comprehend: dominant language, sentiment with scores, entities,
 * key phrases and PII entities, as chosen, with Comprehend's batch APIs (up to 25 texts a call).
 *
 * <pre>{@code
 * try (Comprehend comprehend = Comprehend.builder()
 *     .settings(AwsSettings.defaults().withRegion("eu-west-1"))
 *     .features(ComprehendFeature.LANGUAGE, ComprehendFeature.SENTIMENT)
 *     .build()) {
 *   ProcessorPart out = comprehend.apply("What a great day").gather().get(0);
 *   Map<?, ?> results = (Map<?, ?>) out.metadata("comprehend");
 *   // {language=[{code=en, score=0.99}], sentiment={sentiment=POSITIVE, scores={...}}}
 * }
 * }</pre>
 *
 * <p><b>What it analyses.</b> Parts whose MIME type is {@code text/*}, except error parts, ends of
 * turn and parts on a reserved substream; every other part passes through unchanged, in its place.
 * With {@link ResultOutput#METADATA} (the default) each analysed part passes on with the results in
 * its metadata under {@code "comprehend"}; with {@link ResultOutput#JSON_PART} it passes on
 * unchanged, followed by a JSON part of the results. {@link ComprehendFeature} names each result's
 * key and shape.
 *
 * <p><b>Batching and order.</b> It reads parts until it holds {@code batchSize} texts (or four
 * times that many parts in all, or an end-of-turn part, or the end of the input), analyses them
 * with one batch call per feature ({@code DetectPiiEntities}, which has no batch form, one call per
 * text), then emits them all in input order. Memory is bounded by that window. A live stream that
 * waits for more input between texts should end its turns ({@link ProcessorPart#endOfTurn()}) so
 * that what it has is analysed at once.
 *
 * <p><b>Long and empty texts.</b> Comprehend takes at most {@code maxTextBytes} UTF-8 bytes per
 * text (5,000 for its batch APIs, the default). A longer text is rejected with an error naming the
 * part and the limit, or, with {@code splitLongText(true)}, split on sentence boundaries (a
 * sentence too long on its own, on word boundaries) and the pieces' results merged: entity, key
 * phrase and PII offsets shifted to the whole text, language and sentiment scores averaged weighted
 * by length. An empty or blank text is an error naming the part.
 *
 * <p><b>Failures.</b> A part that cannot be analysed (empty, too long, or an error in the batch's
 * {@code ErrorList}) and a failed call (an {@link AwsException} for every part of its batch) are
 * handled by the {@link PartFailure} setting: fail the run (the default, after every earlier part
 * was emitted), emit an error part in its place, or pass it through followed by an error part;
 * either way no other part is lost. Throttling and 5xx failures are retryable {@link AwsException}s
 * for the {@code resilience} module's retry decorator; the SDK has retried them first.
 *
 * <p><b>Threads.</b> One call at a time on the run's thread for this processor; the client is
 * thread-safe and may be shared. Closing closes the client only when this processor built it.
 *
 * <p><b>Difference from the Python library.</b> The Python seed's {@code AWSProcessor} calls
 * Comprehend once per part and feature; this one batches.
 */
public final class Comprehend implements Processor, AutoCloseable {
  /** The metadata key (and {@code source} of JSON parts) for the results. */
  public static final String RESULTS_KEY = "comprehend";

  /** Comprehend's largest batch. */
  public static final int MAX_BATCH_SIZE = 25;

  /** Comprehend's size limit per text for its batch APIs and sentiment, in UTF-8 bytes. */
  public static final int DEFAULT_MAX_TEXT_BYTES = 5000;

  private final ComprehendClient client;
  private final boolean ownsClient;
  private final Set<ComprehendFeature> features;
  private final String languageCode;
  private final ResultOutput output;
  private final PartFailure onFailure;
  private final boolean splitLongText;
  private final int maxTextBytes;
  private final int batchSize;

  private Comprehend(Builder b, ComprehendClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.features = new TreeSet<>(b.features);
    this.languageCode = b.languageCode;
    this.output = b.output;
    this.onFailure = b.onFailure;
    this.splitLongText = b.splitLongText;
    this.maxTextBytes = b.maxTextBytes;
    this.batchSize = b.batchSize;
  }

  /** A builder with the defaults: language and sentiment, in English, results as metadata. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether this processor analyses {@code part} (else it passes through unchanged). */
  public static boolean analyses(ProcessorPart part) {
    return part.mimeType().regionMatches(true, 0, "text/", 0, 5)
        && !part.isException()
        && !part.isEndOfTurn()
        && !isReserved(part.substreamName());
  }

  private static boolean isReserved(String substream) {
    return substream.equals(Substreams.STATUS)
        || substream.equals(Substreams.DEBUG)
        || substream.equals(Substreams.UI);
  }

  @Override
  public String name() {
    return "comprehend";
  }

  @Override
  public void call(PartStream input, PartSink out) {
    List<ProcessorPart> window = new ArrayList<>();
    int texts = 0;
    long firstIndex = 0;
    for (ProcessorPart part = input.read(); part != null; part = input.read()) {
      window.add(part);
      if (analyses(part)) {
        texts++;
      }
      if (texts >= batchSize || window.size() >= 4 * batchSize || part.isEndOfTurn()) {
        flush(window, firstIndex, out);
        firstIndex += window.size();
        window.clear();
        texts = 0;
      }
    }
    flush(window, firstIndex, out);
  }

  /**
   * One text (or piece of one) to analyse: its place among the window's units, the window position
   * of its part, and its offset in the part's text.
   */
  private record Unit(int index, int part, int offset, String text) {}

  private void flush(List<ProcessorPart> window, long firstIndex, PartSink out) {
    if (window.isEmpty()) {
      return;
    }
    int n = window.size();
    RuntimeException[] failures = new RuntimeException[n];
    List<Unit> units = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ProcessorPart part = window.get(i);
      if (!analyses(part)) {
        continue;
      }
      String text = part.text();
      if (text.isBlank()) {
        failures[i] =
            new IllegalArgumentException(
                "comprehend: "
                    + PartResults.describe(part, firstIndex + i)
                    + " is "
                    + (text.isEmpty() ? "empty" : "blank")
                    + "; Comprehend needs at least one character of text");
        continue;
      }
      // A char is at most 3 UTF-8 bytes (a surrogate pair, 4 for 2): short texts need no count.
      int bytes = text.length() * 3 <= maxTextBytes ? -1 : TextSegments.utf8Length(text);
      if (bytes <= maxTextBytes) {
        units.add(new Unit(units.size(), i, 0, text));
      } else if (splitLongText) {
        for (TextSegments.Segment s : TextSegments.split(text, maxTextBytes)) {
          if (!s.text().isBlank()) {
            units.add(new Unit(units.size(), i, s.offset(), s.text()));
          }
        }
      } else {
        failures[i] =
            new IllegalArgumentException(
                "comprehend: "
                    + PartResults.describe(part, firstIndex + i)
                    + " is "
                    + bytes
                    + " UTF-8 bytes, over Comprehend's limit of "
                    + maxTextBytes
                    + " bytes per text (build with splitLongText(true) to split it on sentences)");
      }
    }
    // results.get(feature)[unit.index()] : the unit's result for that feature
    Map<ComprehendFeature, @Nullable Object[]> results = new EnumMap<>(ComprehendFeature.class);
    for (ComprehendFeature feature : features) {
      @Nullable Object[] perUnit = new Object[units.size()];
      results.put(feature, perUnit);
      for (int from = 0; from < units.size(); from += batchSize) {
        List<Unit> batch = units.subList(from, Math.min(units.size(), from + batchSize));
        List<Unit> todo = new ArrayList<>(batch.size());
        for (Unit unit : batch) {
          if (failures[unit.part()] == null) {
            todo.add(unit);
          }
        }
        if (!todo.isEmpty()) {
          analyse(new Batch(feature, todo, perUnit, window, firstIndex, failures));
        }
      }
    }
    emit(window, firstIndex, units, results, failures, out);
  }

  /**
   * One call's worth of units for one feature, and where its answers go: each result into {@code
   * perUnit} at its unit's index, each failure into {@code failures} at its unit's part.
   */
  private static final class Batch {
    private final ComprehendFeature feature;
    private final List<Unit> todo;
    private final @Nullable Object[] perUnit;
    private final List<ProcessorPart> window;
    private final long firstIndex;
    private final RuntimeException[] failures;

    Batch(
        ComprehendFeature feature,
        List<Unit> todo,
        @Nullable Object[] perUnit,
        List<ProcessorPart> window,
        long firstIndex,
        RuntimeException[] failures) {
      this.feature = feature;
      this.todo = todo;
      this.perUnit = perUnit;
      this.window = window;
      this.firstIndex = firstIndex;
      this.failures = failures;
    }

    String operation() {
      return Comprehend.operation(feature);
    }

    String describe(Unit unit) {
      return PartResults.describe(window.get(unit.part()), firstIndex + unit.part());
    }

    /** Stores the result for the batch's document {@code index}. */
    void put(@Nullable Integer index, Object value) {
      perUnit[unit(index, "answered").index()] = value;
    }

    /**
     * Stores a batch call's answer: each result by its document index, each entry of the error list
     * as its part's failure.
     */
    <T> void answer(
        List<T> resultList,
        Function<T, @Nullable Integer> index,
        Function<T, Object> value,
        List<BatchItemError> errorList) {
      for (T result : resultList) {
        put(index.apply(result), value.apply(result));
      }
      for (BatchItemError error : errorList) {
        Unit unit = unit(error.index(), "reported an error");
        fail(
            unit,
            AwsException.ofItem(
                "comprehend",
                operation(),
                describe(unit),
                error.errorCode(),
                error.errorMessage()));
      }
    }

    /** Records {@code failure} for {@code unit}'s part, unless it already failed. */
    void fail(Unit unit, RuntimeException failure) {
      if (failures[unit.part()] == null) {
        failures[unit.part()] = failure;
      }
    }

    private Unit unit(@Nullable Integer index, String what) {
      if (index == null || index < 0 || index >= todo.size()) {
        throw new IllegalStateException(
            "Comprehend "
                + what
                + " for document index "
                + index
                + " of a batch of "
                + todo.size());
      }
      return todo.get(index);
    }
  }

  private void analyse(Batch batch) {
    List<String> texts = new ArrayList<>(batch.todo.size());
    for (Unit unit : batch.todo) {
      texts.add(unit.text());
    }
    try {
      switch (batch.feature) {
        case LANGUAGE -> {
          var r = client.batchDetectDominantLanguage(b -> b.textList(texts));
          batch.answer(
              r.resultList(), x -> x.index(), x -> languages(x.languages()), r.errorList());
        }
        case SENTIMENT -> {
          var r = client.batchDetectSentiment(b -> b.textList(texts).languageCode(languageCode));
          batch.answer(
              r.resultList(),
              x -> x.index(),
              x -> sentiment(x.sentimentAsString(), x.sentimentScore()),
              r.errorList());
        }
        case ENTITIES -> {
          var r = client.batchDetectEntities(b -> b.textList(texts).languageCode(languageCode));
          batch.answer(r.resultList(), x -> x.index(), x -> entities(x.entities()), r.errorList());
        }
        case KEY_PHRASES -> {
          var r = client.batchDetectKeyPhrases(b -> b.textList(texts).languageCode(languageCode));
          batch.answer(
              r.resultList(), x -> x.index(), x -> keyPhrases(x.keyPhrases()), r.errorList());
        }
        case PII_ENTITIES -> {
          // DetectPiiEntities has no batch form: one call per text, a failure for its part alone.
          for (int i = 0; i < batch.todo.size(); i++) {
            Unit unit = batch.todo.get(i);
            try {
              var r = client.detectPiiEntities(b -> b.text(unit.text()).languageCode(languageCode));
              batch.put(i, pii(r.entities()));
            } catch (SdkException e) {
              batch.fail(
                  unit, AwsException.of("comprehend", batch.operation(), batch.describe(unit), e));
            }
          }
        }
      }
    } catch (SdkException e) {
      for (Unit unit : batch.todo) {
        batch.fail(
            unit,
            AwsException.of(
                "comprehend",
                batch.operation(),
                batch.describe(unit) + " (one of a batch of " + batch.todo.size() + ")",
                e));
      }
    }
  }

  private void emit(
      List<ProcessorPart> window,
      long firstIndex,
      List<Unit> units,
      Map<ComprehendFeature, @Nullable Object[]> results,
      RuntimeException[] failures,
      PartSink out) {
    int u = 0;
    for (int i = 0; i < window.size(); i++) {
      ProcessorPart part = window.get(i);
      // This part's units are units[from, u): one, unless its text was split.
      int from = u;
      while (u < units.size() && units.get(u).part() == i) {
        u++;
      }
      RuntimeException failure = failures[i];
      if (failure != null) {
        onFailure.handle(part, failure, out);
        continue;
      }
      if (!analyses(part)) {
        out.emit(part);
        continue;
      }
      JsonObjects.Builder merged = JsonObjects.builder(results.size());
      for (Map.Entry<ComprehendFeature, @Nullable Object[]> e : results.entrySet()) {
        ComprehendFeature feature = e.getKey();
        @Nullable Object[] perUnit = e.getValue();
        List<Object> pieces = new ArrayList<>(u - from);
        for (int k = from; k < u; k++) {
          Object value = perUnit[units.get(k).index()];
          if (value == null) {
            throw new IllegalStateException(
                "Comprehend returned no "
                    + feature.key()
                    + " result for "
                    + PartResults.describe(part, firstIndex + i));
          }
          pieces.add(value);
        }
        merged.put(feature.key(), merge(feature, pieces, units.subList(from, u)));
      }
      PartResults.emit(part, RESULTS_KEY, merged.build(), output, out);
    }
  }

  /** One part's result for {@code feature} from its units' {@code pieces}. */
  private static Object merge(ComprehendFeature feature, List<Object> pieces, List<Unit> mine) {
    if (pieces.size() == 1) {
      return pieces.get(0);
    }
    List<Integer> offsets = new ArrayList<>(mine.size());
    List<Integer> lengths = new ArrayList<>(mine.size());
    for (Unit unit : mine) {
      offsets.add(unit.offset());
      lengths.add(unit.text().length());
    }
    return Merging.merge(feature, pieces, offsets, lengths);
  }

  private static String operation(ComprehendFeature feature) {
    return switch (feature) {
      case LANGUAGE -> "BatchDetectDominantLanguage";
      case SENTIMENT -> "BatchDetectSentiment";
      case ENTITIES -> "BatchDetectEntities";
      case KEY_PHRASES -> "BatchDetectKeyPhrases";
      case PII_ENTITIES -> "DetectPiiEntities";
    };
  }

  private static List<Map<String, @Nullable Object>> languages(List<DominantLanguage> languages) {
    return languages.stream()
        .map(l -> PartResults.pair("code", l.languageCode(), "score", PartResults.num(l.score())))
        .toList();
  }

  private static Map<String, @Nullable Object> sentiment(String sentiment, SentimentScore s) {
    Map<String, @Nullable Object> scores =
        JsonObjects.builder(4)
            .put("positive", PartResults.num(s.positive()))
            .put("negative", PartResults.num(s.negative()))
            .put("neutral", PartResults.num(s.neutral()))
            .put("mixed", PartResults.num(s.mixed()))
            .build();
    return PartResults.pair("sentiment", sentiment, "scores", scores);
  }

  private static List<Map<String, @Nullable Object>> entities(List<Entity> entities) {
    return entities.stream()
        .map(
            e ->
                JsonObjects.builder(5)
                    .put("text", e.text())
                    .put("type", e.typeAsString())
                    .put("score", PartResults.num(e.score()))
                    .put("begin_offset", e.beginOffset())
                    .put("end_offset", e.endOffset())
                    .build())
        .toList();
  }

  private static List<Map<String, @Nullable Object>> keyPhrases(List<KeyPhrase> phrases) {
    return phrases.stream()
        .map(
            k ->
                JsonObjects.builder(4)
                    .put("text", k.text())
                    .put("score", PartResults.num(k.score()))
                    .put("begin_offset", k.beginOffset())
                    .put("end_offset", k.endOffset())
                    .build())
        .toList();
  }

  private static List<Map<String, @Nullable Object>> pii(List<PiiEntity> entities) {
    return entities.stream()
        .map(
            e ->
                JsonObjects.builder(4)
                    .put("type", e.typeAsString())
                    .put("score", PartResults.num(e.score()))
                    .put("begin_offset", e.beginOffset())
                    .put("end_offset", e.endOffset())
                    .build())
        .toList();
  }

  /** Closes the client if this processor built it from settings. */
  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "Comprehend[features="
        + features.stream().sorted(Comparator.naturalOrder()).toList()
        + ", languageCode="
        + languageCode
        + ", output="
        + output
        + ", batchSize="
        + batchSize
        + "]";
  }

  /** Builds a {@link Comprehend}; every setting is checked at {@link #build()}. */
  public static final class Builder {
    private @Nullable ComprehendClient client;
    private @Nullable AwsSettings settings;
    private Set<ComprehendFeature> features =
        EnumSet.of(ComprehendFeature.LANGUAGE, ComprehendFeature.SENTIMENT);
    private String languageCode = "en";
    private ResultOutput output = ResultOutput.METADATA;
    private PartFailure onFailure = PartFailure.FAIL;
    private boolean splitLongText;
    private int maxTextBytes = DEFAULT_MAX_TEXT_BYTES;
    private int batchSize = MAX_BATCH_SIZE;

    private Builder() {}

    /** The client to call; the caller keeps it and closes it. Excludes {@link #settings}. */
    public Builder client(ComprehendClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Settings to build a client from, closed with the processor. When neither this nor {@link
     * #client} is given, the SDK's defaults are used ({@link AwsSettings#defaults()}).
     */
    public Builder settings(AwsSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The analyses to run (default: language and sentiment). */
    public Builder features(ComprehendFeature... features) {
      Objects.requireNonNull(features, "features");
      this.features =
          features.length == 0
              ? EnumSet.noneOf(ComprehendFeature.class)
              : EnumSet.copyOf(List.of(features));
      return this;
    }

    /**
     * The language of the texts for sentiment, entities, key phrases and PII ({@code "en"} by
     * default; Comprehend's codes: {@code "de"}, {@code "fr"}, ...).
     */
    public Builder languageCode(String languageCode) {
      this.languageCode = Objects.requireNonNull(languageCode, "languageCode");
      return this;
    }

    /** Where results go (default {@link ResultOutput#METADATA}). */
    public Builder output(ResultOutput output) {
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    /** What a part that cannot be analysed does (default {@link PartFailure#FAIL}). */
    public Builder onFailure(PartFailure onFailure) {
      this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
      return this;
    }

    /** Whether a text over {@link #maxTextBytes} is split on sentences (default: rejected). */
    public Builder splitLongText(boolean split) {
      this.splitLongText = split;
      return this;
    }

    /** The largest text sent in one piece, in UTF-8 bytes (default and most: 5000). */
    public Builder maxTextBytes(int maxTextBytes) {
      this.maxTextBytes = maxTextBytes;
      return this;
    }

    /** How many texts go in one batch call (1 to 25, default 25). */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * The processor.
     *
     * @throws IllegalArgumentException naming the setting and its value when one is out of range,
     *     no feature is chosen, or both a client and settings were given
     */
    public Comprehend build() {
      if (features.isEmpty()) {
        throw new IllegalArgumentException(
            "features must name at least one analysis but was empty");
      }
      if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
        throw new IllegalArgumentException(
            "batchSize must be in [1, " + MAX_BATCH_SIZE + "] but was " + batchSize);
      }
      if (maxTextBytes < 16 || maxTextBytes > DEFAULT_MAX_TEXT_BYTES) {
        throw new IllegalArgumentException(
            "maxTextBytes must be in [16, " + DEFAULT_MAX_TEXT_BYTES + "] but was " + maxTextBytes);
      }
      if (languageCode.isBlank()) {
        throw new IllegalArgumentException(
            "languageCode must not be blank but was \"" + languageCode + "\"");
      }
      if (client != null && settings != null) {
        throw new IllegalArgumentException(
            "give either client or settings, not both (settings were " + settings + ")");
      }
      if (client != null) {
        return new Comprehend(this, client, false);
      }
      AwsSettings s = settings != null ? settings : AwsSettings.defaults();
      return new Comprehend(this, s.comprehendClient(), true);
    }
  }
}
