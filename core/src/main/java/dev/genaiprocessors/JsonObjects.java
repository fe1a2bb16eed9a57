package dev.genaiprocessors;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds JSON objects in the frozen form parts keep: a map that {@link
 * ProcessorPart#withMetadata(String, Object)}, {@link ProcessorPart#functionCall} and the JSON
 * parts take as it is, with no copy and no second check. A part copies and checks any other map it
 * is given (see {@link ProcessorPart}); for results built once per part on a hot path (scores,
 * labels, counts), building them here saves that copy.
 *
 * <pre>{@code
 * Map<String, Object> scores = JsonObjects.builder()
 *     .put("positive", 0.97)
 *     .put("negative", 0.01)
 *     .build();
 * ProcessorPart out = part.withMetadata("sentiment",
 *     JsonObjects.builder().put("label", "POSITIVE").put("scores", scores).build());
 * }</pre>
 *
 * <p>Keys keep the order they were put in; a key put again keeps its first place and takes the new
 * value. Values are JSON values as parts take them (null, String, Boolean, Number, List, Map),
 * checked and frozen as they are put: an object built here, or a part's metadata, is taken as it
 * is; any other map or list is copied. The built map is unmodifiable, deeply.
 */
public final class JsonObjects {
  private JsonObjects() {}

  /** A builder for one object. */
  public static Builder builder() {
    return new Builder(4);
  }

  /** A builder for one object that will hold about {@code expectedSize} keys. */
  public static Builder builder(int expectedSize) {
    if (expectedSize < 0) {
      throw new IllegalArgumentException("expectedSize must be >= 0 but was " + expectedSize);
    }
    return new Builder(expectedSize);
  }

  /** Collects one object's entries; used once ({@link #build}), on one thread. */
  public static final class Builder {
    private final JsonValues.ObjectBuilder entries;
    private boolean built;

    private Builder(int expectedSize) {
      this.entries = new JsonValues.ObjectBuilder(expectedSize);
    }

    /**
     * Adds {@code key}, or gives it a new value.
     *
     * @throws IllegalArgumentException if {@code value} is not a JSON value, naming its path
     * @throws IllegalStateException once {@link #build} was called
     */
    public Builder put(String key, @Nullable Object value) {
      Objects.requireNonNull(key, "key");
      if (built) {
        throw new IllegalStateException(
            "this builder already built its object; put(\""
                + Strings.truncated(key)
                + "\") came after");
      }
      entries.put(key, JsonValues.freeze(value, "object", key));
      return this;
    }

    /**
     * The object, unmodifiable.
     *
     * @throws IllegalStateException if called twice
     */
    public Map<String, @Nullable Object> build() {
      if (built) {
        throw new IllegalStateException("this builder already built its object");
      }
      built = true;
      return entries.build("object");
    }
  }
}
