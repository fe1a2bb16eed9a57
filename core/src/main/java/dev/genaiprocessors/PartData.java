package dev.genaiprocessors;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The payload of a {@link ProcessorPart}: exactly one of text, inline bytes, a file reference, a
 * function call, a function response, executable code or a code-execution result.
 *
 * <p>The interface is sealed so a {@code switch} over a part's payload is exhaustive:
 *
 * <pre>{@code
 * String shown = switch (part.data()) {
 *   case PartData.Text t -> t.text();
 *   case PartData.Blob b -> b.size() + " bytes of " + part.mimeType();
 *   case FunctionCall call -> "call " + call.name();
 *   default -> part.mimeType();
 * };
 * }</pre>
 *
 * <p>A payload carries no MIME type of its own: the part's {@link ProcessorPart#mimeType()} is the
 * single source of truth in Java. Only a part read from JSON whose {@code inline_data} or {@code
 * file_data} named a different type (Python allows it) keeps that type, in its {@link
 * ProcessorPart#extraFields()}, to write it back unchanged.
 */
public sealed interface PartData
    permits PartData.Text,
        PartData.Blob,
        PartData.FileData,
        FunctionCall,
        FunctionResponse,
        PartData.ExecutableCode,
        PartData.CodeExecutionResult {

  /** Text; JSON is text too, told apart by the part's MIME type. */
  record Text(String text) implements PartData {
    public Text {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
      return "Text[" + Strings.abbreviate(text) + "]";
    }
  }

  /**
   * Inline bytes (Gemini's {@code inline_data}). The array is copied in and {@link #data()} returns
   * a copy; use {@link #asByteBuffer()} for a read-only view that copies nothing.
   */
  final class Blob implements PartData {
    private final byte[] data;
    private final @Nullable String displayName;

    /** Copies {@code data}. */
    public Blob(byte[] data, @Nullable String displayName) {
      this(Objects.requireNonNull(data, "data").clone(), displayName, true);
    }

    // Takes ownership of data: for callers in this package that just decoded or copied it.
    Blob(byte[] data, @Nullable String displayName, boolean owned) {
      this.data = data;
      this.displayName = displayName;
    }

    /** A copy of the bytes. */
    public byte[] data() {
      return data.clone();
    }

    /** A read-only view of the bytes; nothing is copied. */
    public ByteBuffer asByteBuffer() {
      return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** The number of bytes. */
    public int size() {
      return data.length;
    }

    /** An optional name for display (Gemini's {@code display_name}). */
    public @Nullable String displayName() {
      return displayName;
    }

    byte[] unsafeData() {
      return data;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Blob other
          && Arrays.equals(data, other.data)
          && Objects.equals(displayName, other.displayName);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data) * 31 + Objects.hashCode(displayName);
    }

    @Override
    public String toString() {
      return "Blob["
          + data.length
          + " bytes"
          + (displayName == null ? "" : ", " + displayName)
          + "]";
    }
  }

  /** A reference to content stored elsewhere (Gemini's {@code file_data}), by URI. */
  record FileData(String uri, @Nullable String displayName) implements PartData {
    public FileData {
      Objects.requireNonNull(uri, "uri");
    }
  }

  /** Code the model wants executed (Gemini's {@code executable_code}). */
  record ExecutableCode(String code, String language) implements PartData {
    public ExecutableCode {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(language, "language");
    }
  }

  /** The result of running {@link ExecutableCode} (Gemini's {@code code_execution_result}). */
  record CodeExecutionResult(String outcome, String output) implements PartData {
    public CodeExecutionResult {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(output, "output");
    }
  }
}
