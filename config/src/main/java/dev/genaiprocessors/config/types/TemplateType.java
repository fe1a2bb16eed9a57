package dev.genaiprocessors.config.types;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.config.ProcessorType;
import org.jspecify.annotations.Nullable;

/**
 * {@code template}: replaces each text part by its template with {@code {text}} replaced by the
 * part's text (a prompt around the input); other parts pass through.
 */
public final class TemplateType implements ProcessorType<TemplateType.Settings> {
  /**
   * The settings.
   *
   * @param template the text to emit, in which {@code {text}} stands for the part's text
   */
  public record Settings(String template) {}

  /** The type; found by {@link java.util.ServiceLoader}. */
  public TemplateType() {}

  @Override
  public String name() {
    return "template";
  }

  @Override
  public Class<Settings> settingsType() {
    return Settings.class;
  }

  @Override
  public String description() {
    return "Puts each text part into a template, where {text} stands for the part's text.";
  }

  @Override
  public Object create(Settings settings, @Nullable Object wrapped) {
    String template = settings.template();
    return PartProcessor.of(
            "template",
            part ->
                ProcessorPart.text(template.replace("{text}", part.text()))
                    .withRole(part.role())
                    .withSubstreamName(part.substreamName())
                    .withMetadata(part.metadata()))
        .withMatch(ProcessorPart::isText);
  }
}
