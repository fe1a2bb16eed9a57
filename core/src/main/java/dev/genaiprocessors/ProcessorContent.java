package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, ordered list of {@link ProcessorPart}s: a prompt, a model's answer, the gathered
 * output of a pipeline.
 *
 * <pre>{@code
 * ProcessorContent prompt = ProcessorContent.of("Describe this image:", ProcessorPart.bytes(png, "image/png"));
 * String answer = reply.text();                       // all text parts, concatenated
 * ProcessorContent images = reply.filter(p -> MimeTypes.isImage(p.mimeType()));
 * }</pre>
 *
 * <p>Contents are built from strings (one text part each, never split), parts, other contents, and
 * any {@code Iterable} or array of those, flattened in order. Anything else is rejected with an
 * error naming its type.
 */
public final class ProcessorContent implements Iterable<ProcessorPart> {
  private static final ProcessorContent EMPTY = new ProcessorContent(List.of());

  private final List<ProcessorPart> parts;

  private ProcessorContent(List<ProcessorPart> parts) {
    this.parts = parts;
  }

  /** The empty content. */
  public static ProcessorContent empty() {
    return EMPTY;
  }

  /**
   * Content made of {@code items}: strings, parts, contents, iterables or arrays of those.
   *
   * @throws IllegalArgumentException naming the type of an item that is none of those
   */
  public static ProcessorContent of(Object... items) {
    Objects.requireNonNull(items, "items");
    List<ProcessorPart> parts = new ArrayList<>(items.length);
    for (Object item : items) {
      append(parts, item);
    }
    return wrap(parts);
  }

  /** Content made of the items of {@code items} (see {@link #of(Object...)}). */
  public static ProcessorContent from(Iterable<?> items) {
    Objects.requireNonNull(items, "items");
    if (items instanceof ProcessorContent content) {
      return content;
    }
    List<ProcessorPart> parts = new ArrayList<>();
    append(parts, items);
    return wrap(parts);
  }

  /** Content of exactly these parts; the list is copied. */
  public static ProcessorContent ofParts(List<ProcessorPart> parts) {
    return wrap(new ArrayList<>(parts));
  }

  private static ProcessorContent wrap(List<ProcessorPart> parts) {
    return parts.isEmpty() ? EMPTY : new ProcessorContent(Collections.unmodifiableList(parts));
  }

  private static void append(List<ProcessorPart> into, @Nullable Object item) {
    switch (item) {
      case null -> throw new IllegalArgumentException("Can't append null to ProcessorContent");
      case ProcessorPart part -> into.add(part);
      case ProcessorContent content -> into.addAll(content.parts);
      case CharSequence text -> into.add(ProcessorPart.text(text));
      case Iterable<?> iterable -> iterable.forEach(element -> append(into, element));
      case Object[] array -> {
        for (Object element : array) {
          append(into, element);
        }
      }
      case byte[] bytes ->
          throw new IllegalArgumentException(
              "Can't append byte[] to ProcessorContent: bytes need a MIME type, use ProcessorPart.bytes(data, mimeType)");
      default ->
          throw new IllegalArgumentException(
              "Can't append " + item.getClass().getName() + " to ProcessorContent");
    }
  }

  /** The parts, in order, as an unmodifiable list. */
  public List<ProcessorPart> parts() {
    return parts;
  }

  /** The number of parts. */
  public int size() {
    return parts.size();
  }

  /** Whether there are no parts. */
  public boolean isEmpty() {
    return parts.isEmpty();
  }

  /** The part at {@code index}. */
  public ProcessorPart get(int index) {
    return parts.get(index);
  }

  @Override
  public Iterator<ProcessorPart> iterator() {
    return parts.iterator();
  }

  /** The parts as a sequential stream. */
  public Stream<ProcessorPart> stream() {
    return parts.stream();
  }

  /**
   * The text of every text part, concatenated with no separator; parts that are not text (images,
   * function calls, ...) are skipped.
   */
  public String text() {
    return text(null, false);
  }

  /**
   * Like {@link #text()}, keeping only parts on the substream {@code substreamName} (exact match).
   */
  public String text(String substreamName) {
    return text(Objects.requireNonNull(substreamName, "substreamName"), false);
  }

  /**
   * Like {@link #text()}, but a part that is not text is an error.
   *
   * @throws IllegalArgumentException naming the MIME type of the first part that is not text
   */
  public String strictText() {
    return text(null, true);
  }

  private String text(@Nullable String substreamName, boolean strict) {
    StringBuilder out = new StringBuilder();
    for (ProcessorPart part : parts) {
      if (substreamName != null && !substreamName.equals(part.substreamName())) {
        continue;
      }
      if (part.isText()
          && !(part.data() instanceof FunctionCall || part.data() instanceof FunctionResponse)) {
        out.append(part.text());
      } else if (strict) {
        throw new IllegalArgumentException("Unsupported content type " + part.mimeType() + ".");
      }
    }
    return out.toString();
  }

  /** The answer and the reasoning of a model's reply, as split by {@link #textWithReasoning()}. */
  public record TextWithReasoning(String answer, String reasoning) {}

  /** The text split into the answer and the reasoning (text parts marked as thoughts). */
  public TextWithReasoning textWithReasoning() {
    StringBuilder answer = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    for (ProcessorPart part : parts) {
      // The same parts as text(): text bytes count too.
      if (part.isText()
          && !(part.data() instanceof FunctionCall || part.data() instanceof FunctionResponse)) {
        (part.isThought() ? reasoning : answer).append(part.text());
      }
    }
    return new TextWithReasoning(answer.toString(), reasoning.toString());
  }

  /** The parts that satisfy {@code predicate}, in order. */
  public ProcessorContent filter(Predicate<? super ProcessorPart> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    List<ProcessorPart> kept = new ArrayList<>();
    for (ProcessorPart part : parts) {
      if (predicate.test(part)) {
        kept.add(part);
      }
    }
    return kept.size() == parts.size() ? this : wrap(kept);
  }

  /**
   * The parts whose MIME type satisfies {@code predicate}, for example {@code MimeTypes::isImage}.
   */
  public ProcessorContent filterByMimeType(Predicate<String> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return filter(part -> predicate.test(part.mimeType()));
  }

  /** The parts whose role is {@code role}, ignoring case. */
  public ProcessorContent filterByRole(String role) {
    Objects.requireNonNull(role, "role");
    return filter(part -> part.role().equalsIgnoreCase(role));
  }

  /** The parts on the substream {@code substreamName} (exact match; {@code ""} is the default). */
  public ProcessorContent filterBySubstream(String substreamName) {
    Objects.requireNonNull(substreamName, "substreamName");
    return filter(part -> part.substreamName().equals(substreamName));
  }

  /** The parts grouped by MIME type, groups in order of first appearance, order kept in each. */
  public Map<String, ProcessorContent> groupByMimeType() {
    Map<String, List<ProcessorPart>> groups = new LinkedHashMap<>();
    for (ProcessorPart part : parts) {
      groups.computeIfAbsent(part.mimeType(), k -> new ArrayList<>()).add(part);
    }
    Map<String, ProcessorContent> result = new LinkedHashMap<>();
    groups.forEach((mimeType, group) -> result.put(mimeType, wrap(group)));
    return Collections.unmodifiableMap(result);
  }

  /** This content followed by {@code items} (see {@link #of(Object...)} for what they may be). */
  public ProcessorContent plus(Object... items) {
    ProcessorContent more = of(items);
    if (more.isEmpty()) {
      return this;
    }
    List<ProcessorPart> joined = new ArrayList<>(parts.size() + more.size());
    joined.addAll(parts);
    joined.addAll(more.parts);
    return wrap(joined);
  }

  /** The parts of every content, in order. */
  public static ProcessorContent concat(ProcessorContent... contents) {
    return of((Object[]) contents);
  }

  /** Equal when the other content has equal parts in the same order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ProcessorContent other && parts.equals(other.parts);
  }

  @Override
  public int hashCode() {
    return parts.hashCode();
  }

  @Override
  public String toString() {
    return "ProcessorContent" + parts;
  }
}
