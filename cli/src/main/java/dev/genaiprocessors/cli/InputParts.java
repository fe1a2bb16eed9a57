package dev.genaiprocessors.cli;

import dev.genaiprocessors.PartJson;
import dev.genaiprocessors.ProcessorPart;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The parts a run reads, from its command line: each argument is a file (one part), a directory
 * (one part per file under it that matches the glob, in path order), {@code -} (standard input) or
 * else a text part. Files are read lazily, as the pipeline asks for parts, so a directory of
 * thousands of files is never in memory at once.
 */
final class InputParts {
  /** The metadata key naming the file a part was read from. */
  static final String SOURCE = "source";

  /** How standard input becomes parts. */
  enum StdinMode {
    WHOLE,
    LINES
  }

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("txt", "text/plain"),
          Map.entry("md", "text/markdown"),
          Map.entry("csv", "text/csv"),
          Map.entry("html", "text/html"),
          Map.entry("htm", "text/html"),
          Map.entry("xml", "text/xml"),
          Map.entry("json", "application/json"),
          Map.entry("yaml", "text/yaml"),
          Map.entry("yml", "text/yaml"),
          Map.entry("py", "text/x-python"),
          Map.entry("java", "text/x-java"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("heic", "image/heic"),
          Map.entry("wav", "audio/wav"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("flac", "audio/flac"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("mp4", "video/mp4"));

  private final List<Item> items;
  private final boolean partsJsonl;
  private final StdinMode stdinMode;
  private final InputStream stdin;
  private final Consumer<String> badInput;

  private InputParts(
      List<Item> items,
      boolean partsJsonl,
      StdinMode stdinMode,
      InputStream stdin,
      Consumer<String> badInput) {
    this.items = items;
    this.partsJsonl = partsJsonl;
    this.stdinMode = stdinMode;
    this.stdin = stdin;
    this.badInput = badInput;
  }

  /** One command-line input: a file, standard input, or a text. */
  private record Item(@Nullable Path file, @Nullable String text, String source) {}

  /**
   * Resolves {@code args} now (so that a missing file is bad usage before anything runs), to be
   * read later.
   *
   * @param glob matched against a directory's files' paths relative to the directory ({@code
   *     *.txt}, {@code **}{@code /*.md}); null for every file
   * @param partsJsonl whether files and standard input hold JSONL parts ({@link PartJson})
   * @param badInput told of each input line that is not a part, in a sentence naming it
   * @throws UsageException when an argument looks like a path that does not exist
   */
  static InputParts resolve(
      List<String> args,
      @Nullable String glob,
      boolean partsJsonl,
      StdinMode stdinMode,
      InputStream stdin,
      Consumer<String> badInput) {
    List<Item> items = new ArrayList<>();
    List<String> all = args.isEmpty() ? List.of("-") : args;
    for (String arg : all) {
      if (arg.equals("-")) {
        items.add(new Item(null, null, "-"));
        continue;
      }
      Path path = Path.of(arg);
      if (Files.isDirectory(path)) {
        items.addAll(directory(path, glob));
      } else if (Files.isRegularFile(path)) {
        items.add(new Item(path, null, arg));
      } else if (partsJsonl || looksLikePath(arg)) {
        throw new UsageException("no such file or directory: " + arg);
      } else {
        items.add(new Item(null, arg, "argument"));
      }
    }
    return new InputParts(List.copyOf(items), partsJsonl, stdinMode, stdin, badInput);
  }

  /** A word with a slash or a short extension and no spaces: a path the user mistyped. */
  static boolean looksLikePath(String arg) {
    return !arg.isBlank()
        && !arg.chars().anyMatch(Character::isWhitespace)
        && (arg.contains("/") || arg.matches(".*[^.]\\.[A-Za-z0-9]{1,5}"));
  }

  private static List<Item> directory(Path dir, @Nullable String glob) {
    PathMatcher matcher =
        glob == null ? p -> true : FileSystems.getDefault().getPathMatcher("glob:" + glob);
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> matcher.matches(dir.relativize(p)) || matcher.matches(p.getFileName()))
          .sorted()
          .map(p -> new Item(p, null, p.toString()))
          .toList();
    } catch (IOException e) {
      throw new UsageException("cannot read the directory " + dir + ": " + e.getMessage());
    }
  }

  /**
   * How many parts the inputs make, when known without reading them (no standard input, no JSONL).
   */
  long knownSize() {
    if (partsJsonl || (stdinMode == StdinMode.LINES && items.stream().anyMatch(i -> isStdin(i)))) {
      return -1;
    }
    return items.size();
  }

  private static boolean isStdin(Item item) {
    return item.file() == null && item.text() == null;
  }

  /** The parts, read one input at a time as the iterator is advanced. */
  Iterator<ProcessorPart> iterator() {
    return new Iterator<>() {
      private final Iterator<Item> next = items.iterator();
      private Iterator<ProcessorPart> current = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          if (!next.hasNext()) {
            return false;
          }
          current = open(next.next());
        }
        return true;
      }

      @Override
      public ProcessorPart next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  private Iterator<ProcessorPart> open(Item item) {
    String text = item.text();
    if (text != null) {
      return List.of(ProcessorPart.text(text)).iterator();
    }
    Path file = item.file();
    try {
      if (partsJsonl) {
        InputStream in = file == null ? stdin : Files.newInputStream(file);
        return jsonlParts(in, item.source());
      }
      if (file == null) {
        if (stdinMode == StdinMode.LINES) {
          return lines(stdin);
        }
        return List.of(part(stdin.readAllBytes(), null, "-")).iterator();
      }
      return List.of(part(Files.readAllBytes(file), file, item.source())).iterator();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + item.source() + ": " + e.getMessage(), e);
    }
  }

  /** A file's part: text when its type is text and its bytes are UTF-8, bytes otherwise. */
  static ProcessorPart part(byte[] data, @Nullable Path file, String source) {
    String mime = mimeType(data, file == null ? null : file.getFileName().toString());
    ProcessorPart part;
    if (mime.equals("text/plain") || (mime.startsWith("text/") && utf8(data) != null)) {
      String text = utf8(data);
      part =
          text == null
              ? ProcessorPart.bytes(data, "application/octet-stream")
              : ProcessorPart.text(text);
      if (text != null && !mime.equals("text/plain")) {
        part = part.withMimeType(mime);
      }
    } else {
      part = ProcessorPart.bytes(data, mime);
    }
    return file == null ? part : part.withMetadata(SOURCE, source);
  }

  /**
   * The MIME type of a file from its content (the signatures of PNG, JPEG, GIF, WebP, PDF, WAV,
   * MP3, Ogg and FLAC), else from its name, else text when the bytes are UTF-8, else {@code
   * application/octet-stream}.
   */
  static String mimeType(byte[] data, @Nullable String name) {
    String sniffed = sniff(data);
    if (sniffed != null) {
      return sniffed;
    }
    if (name != null) {
      int dot = name.lastIndexOf('.');
      if (dot >= 0) {
        String known = BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (known != null) {
          return known;
        }
      }
    }
    return utf8(data) != null ? "text/plain" : "application/octet-stream";
  }

  private static @Nullable String sniff(byte[] d) {
    if (starts(d, 0, 0x89, 'P', 'N', 'G')) {
      return "image/png";
    }
    if (starts(d, 0, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (starts(d, 0, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    if (starts(d, 0, 'R', 'I', 'F', 'F') && starts(d, 8, 'W', 'E', 'B', 'P')) {
      return "image/webp";
    }
    if (starts(d, 0, 'R', 'I', 'F', 'F') && starts(d, 8, 'W', 'A', 'V', 'E')) {
      return "audio/wav";
    }
    if (starts(d, 0, '%', 'P', 'D', 'F', '-')) {
      return "application/pdf";
    }
    if (starts(d, 0, 'I', 'D', '3')) {
      return "audio/mpeg";
    }
    if (starts(d, 0, 'O', 'g', 'g', 'S')) {
      return "audio/ogg";
    }
    if (starts(d, 0, 'f', 'L', 'a', 'C')) {
      return "audio/flac";
    }
    return null;
  }

  private static boolean starts(byte[] data, int offset, int... signature) {
    if (data.length < offset + signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((data[offset + i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable String utf8(byte[] data) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static Iterator<ProcessorPart> lines(InputStream in) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    return reader.lines().map(ProcessorPart::text).iterator();
  }

  /** Parts, one JSON object a line; a bad line is reported and skipped, blank lines ignored. */
  private Iterator<ProcessorPart> jsonlParts(InputStream in, String source) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    Iterator<String> lines = reader.lines().iterator();
    return new Iterator<>() {
      private int number;
      private @Nullable ProcessorPart ahead;

      @Override
      public boolean hasNext() {
        while (ahead == null && lines.hasNext()) {
          String line = lines.next();
          number++;
          if (line.isBlank()) {
            continue;
          }
          try {
            ahead = PartJson.fromJson(line);
          } catch (IllegalArgumentException e) {
            badInput.accept(source + ":" + number + " is not a part, skipped: " + e.getMessage());
          }
        }
        if (ahead == null) {
          try {
            reader.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return false;
        }
        return true;
      }

      @Override
      public ProcessorPart next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ProcessorPart part = ahead;
        ahead = null;
        return java.util.Objects.requireNonNull(part);
      }
    };
  }
}
