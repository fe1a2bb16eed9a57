package dev.genaiprocessors.config;

import java.util.Objects;

/** A document given as text. */
final class TextSource extends ConfigSource {
  private final String name;
  private final String text;
  private final Documents.Format format;

  TextSource(String name, String text, Documents.Format format) {
    this.name = Objects.requireNonNull(name, "name");
    this.text = Objects.requireNonNull(text, "text");
    this.format = format;
  }

  @Override
  Layer read(Reading reading) {
    return Documents.parse(text, format, name);
  }

  @Override
  String describe() {
    return name;
  }
}
