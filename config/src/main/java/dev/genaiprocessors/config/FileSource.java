package dev.genaiprocessors.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** A YAML, JSON or properties file. */
final class FileSource extends ConfigSource {
  private final Path file;
  private final boolean optional;

  FileSource(Path file, boolean optional) {
    this.file = file;
    this.optional = optional;
  }

  @Override
  Layer read(Reading reading) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (NoSuchFileException e) {
      if (optional) {
        return Layer.empty();
      }
      throw new ConfigException(
          List.of(new ConfigProblem("", "the file does not exist", describe())));
    } catch (CharacterCodingException e) {
      throw new ConfigException(
          List.of(new ConfigProblem("", "the file is not UTF-8 text", describe())));
    } catch (IOException e) {
      throw new ConfigException(
          List.of(new ConfigProblem("", "the file could not be read: " + e, describe())));
    }
    return Documents.parse(text, Documents.Format.ofFileName(file.toString()), describe());
  }

  @Override
  Path watchedFile() {
    return file;
  }

  @Override
  String describe() {
    return file.toString();
  }
}
