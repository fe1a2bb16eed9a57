package dev.genaiprocessors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.ProcessorPart;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclaredFunctionTest {

  private static ProcessorPart declaration(String json) {
    return ProcessorPart.bytes(
        json.getBytes(StandardCharsets.UTF_8), MimeTypes.FUNCTION_DECLARATION);
  }

  @Test
  void of_readsNameDescriptionSchemaAndStrict() {
    DeclaredFunction f =
        DeclaredFunction.of(
            declaration(
                "{\"name\":\"get_weather\",\"description\":\"The weather.\",\"strict\":true,"
                    + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}"));

    assertThat(f.name()).isEqualTo("get_weather");
    assertThat(f.description()).isEqualTo("The weather.");
    assertThat(f.strict()).isTrue();
    assertThat(f.parameters()).containsEntry("type", "object").containsKey("properties");
  }

  @Test
  void of_defaultsAMissingDescriptionAndSchema() {
    DeclaredFunction f = DeclaredFunction.of(declaration("{\"name\":\"now\"}"));

    assertThat(f.description()).isEmpty();
    assertThat(f.strict()).isNull();
    assertThat(f.parameters()).isEqualTo(Map.of("type", "object", "properties", Map.of()));
  }

  @Test
  void of_rejectsWhatIsNotADeclaration_quotingIt() {
    assertThatThrownBy(() -> DeclaredFunction.of(declaration("not json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not json");
    assertThatThrownBy(() -> DeclaredFunction.of(declaration("{\"description\":\"x\"}")))
        .hasMessageContaining("a string \"name\"")
        .hasMessageContaining("{\"description\":\"x\"}");
    assertThatThrownBy(
            () -> DeclaredFunction.of(declaration("{\"name\":\"f\",\"parameters\":[1]}")))
        .hasMessageContaining("\"parameters\" of function declaration f")
        .hasMessageContaining("[1]");
  }

  @Test
  void isDeclaration_looksAtTheBaseMimeType() {
    assertThat(DeclaredFunction.isDeclaration(declaration("{}"))).isTrue();
    assertThat(
            DeclaredFunction.isDeclaration(
                ProcessorPart.bytes(
                    new byte[0], MimeTypes.FUNCTION_DECLARATION + "; charset=utf-8")))
        .isTrue();
    assertThat(DeclaredFunction.isDeclaration(ProcessorPart.text("{}"))).isFalse();
  }
}
