package dev.genaiprocessors.cli;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.config.ProcessorType;
import org.jspecify.annotations.Nullable;

/** A test type, {@code explode}: passes parts through, and fails on the text {@code on}. */
public final class ExplodeType implements ProcessorType<ExplodeType.Settings> {
  /**
   * @param on the text that fails the stage
   */
  public record Settings(String on) {}

  /** Found by the service loader. */
  public ExplodeType() {}

  @Override
  public String name() {
    return "explode";
  }

  @Override
  public Class<Settings> settingsType() {
    return Settings.class;
  }

  @Override
  public Object create(Settings settings, @Nullable Object wrapped) {
    return PartProcessor.of(
        "explode",
        part -> {
          if (part.isText() && part.text().equals(settings.on())) {
            throw new IllegalStateException("cannot take '" + part.text() + "'");
          }
          return part;
        });
  }
}
