package dev.genaiprocessors.http;

import dev.genaiprocessors.ProcessorPart;
import java.util.Objects;
import java.util.function.Function;

/**
 * What an {@link HttpProcessor} sends as the body of the request it makes for a part.
 *
 * <pre>{@code
 * RequestBody.json(part -> Map.of("q", part.text(), "lang", "en"));   // {"q":"...","lang":"en"}
 * RequestBody.partContent();                                           // the part's own bytes
 * }</pre>
 */
public sealed interface RequestBody {

  /** No body (the default for GET, HEAD and DELETE). */
  static RequestBody none() {
    return NoBody.INSTANCE;
  }

  /**
   * The part's own content: its text or bytes, sent with its MIME type as {@code Content-Type} (the
   * default for other methods). A part holding neither (a function call, ...) fails.
   */
  static RequestBody partContent() {
    return PartContent.INSTANCE;
  }

  /**
   * JSON built from the part: {@code builder}'s result (a {@code Map}, a record, a list, a Jackson
   * node, ...) written by Jackson, sent as {@code application/json}.
   */
  static RequestBody json(Function<? super ProcessorPart, ?> builder) {
    return new Json(Objects.requireNonNull(builder, "builder"));
  }

  /** No body. */
  enum NoBody implements RequestBody {
    INSTANCE
  }

  /** The part's own bytes. */
  enum PartContent implements RequestBody {
    INSTANCE
  }

  /**
   * JSON built by a function of the part.
   *
   * @param builder makes the value to send from the part
   */
  record Json(Function<? super ProcessorPart, ?> builder) implements RequestBody {
    /** Requires a builder. */
    public Json {
      Objects.requireNonNull(builder, "builder");
    }
  }
}
