package dev.genaiprocessors.config.types;

import dev.genaiprocessors.Processor;
import dev.genaiprocessors.config.ProcessorType;
import org.jspecify.annotations.Nullable;

/** {@code identity}: emits its input unchanged. */
public final class IdentityType implements ProcessorType<IdentityType.Settings> {
  /** No settings. */
  public record Settings() {}

  /** The type; found by {@link java.util.ServiceLoader}. */
  public IdentityType() {}

  @Override
  public String name() {
    return "identity";
  }

  @Override
  public Class<Settings> settingsType() {
    return Settings.class;
  }

  @Override
  public String description() {
    return "Emits its input unchanged.";
  }

  @Override
  public Object create(Settings settings, @Nullable Object wrapped) {
    return Processor.identity();
  }
}
