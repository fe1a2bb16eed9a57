package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

/**
 * The BOM repeats the versions of the libraries users get from it; they must be the versions the
 * build (and so every test) uses, or a user runs a set nobody tested.
 */
class BomVersionsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jackson.version",
        "openai-java.version",
        "anthropic-java.version",
        "google-genai.version",
        "amqp-client.version",
        "jnats.version",
        "mcp-sdk.version"
      })
  void theBom_statesTheVersionTheBuildUses(String property) throws Exception {
    String build = property(Path.of("..", "pom.xml"), property);
    String bom = property(Path.of("..", "bom", "pom.xml"), property);
    assertThat(build).as("parent POM's %s", property).isNotBlank();
    assertThat(bom).as("BOM's %s (the parent's is %s)", property, build).isEqualTo(build);
  }

  private static String property(Path pom, String name) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    var nodes = doc.getElementsByTagName(name);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      values.add(nodes.item(i).getTextContent().strip());
    }
    assertThat(values).as("%s in %s", name, pom).hasSize(1);
    return values.get(0);
  }
}
