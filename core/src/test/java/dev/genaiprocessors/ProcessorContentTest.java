package dev.genaiprocessors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProcessorContentTest {
  private static final ProcessorPart IMAGE =
      ProcessorPart.bytes(new byte[] {1, 2}, MimeTypes.IMAGE_PNG);
  private static final ProcessorPart CALL = ProcessorPart.functionCall("f", Map.of("a", 1));

  // The reference example: text(substream) keeps only the parts on that substream.
  private static final ProcessorContent SUBSTREAMS =
      ProcessorContent.of(
          ProcessorPart.text("foo:").withSubstreamName("foo"),
          ProcessorPart.text("bar:").withSubstreamName("bar"),
          ProcessorPart.text("baz").withSubstreamName("bar"),
          ProcessorPart.text("bar").withSubstreamName("foo"));

  private static List<ProcessorPart> texts(String... texts) {
    return Stream.of(texts).map(ProcessorPart::text).toList();
  }

  @Test
  void of_makesOneTextPartPerString_neverSplittingIt() {
    ProcessorContent content = ProcessorContent.of("hello", "world");

    assertThat(content.parts()).containsExactlyElementsOf(texts("hello", "world"));
    assertThat(ProcessorContent.of("abc").size()).isEqualTo(1);
  }

  @Test
  void of_keepsPartsAsGiven() {
    ProcessorPart part = ProcessorPart.text("x").withRole("user");

    assertThat(ProcessorContent.of(part, IMAGE).parts()).containsExactly(part, IMAGE);
    assertThat(ProcessorContent.of(part).get(0)).isSameAs(part);
  }

  @Test
  void of_flattensContentsListsAndArrays_inOrder() {
    ProcessorContent inner = ProcessorContent.of("b", "c");

    ProcessorContent content =
        ProcessorContent.of(
            "a",
            inner,
            List.of("d", List.of("e", ProcessorPart.text("f"))),
            new Object[] {"g", new String[] {"h", "i"}},
            Set.of("j"));

    assertThat(content.parts())
        .containsExactlyElementsOf(texts("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));
  }

  @Test
  void of_acceptsAnyCharSequence() {
    assertThat(ProcessorContent.of(new StringBuilder("sb")).parts())
        .containsExactly(ProcessorPart.text("sb"));
  }

  @Test
  void of_withNothing_isEmpty() {
    assertThat(ProcessorContent.of()).isEqualTo(ProcessorContent.empty());
    assertThat(ProcessorContent.of(List.of(), new Object[0]).isEmpty()).isTrue();
    assertThat(ProcessorContent.empty().size()).isZero();
    assertThat(ProcessorContent.empty().text()).isEmpty();
  }

  @Test
  void from_flattensAnIterable_andReturnsAContentAsIs() {
    ProcessorContent content = ProcessorContent.of("a", "b");

    assertThat(ProcessorContent.from(List.of("a", List.of("b")))).isEqualTo(content);
    assertThat(ProcessorContent.from(content)).isSameAs(content);
  }

  @Test
  void ofParts_copiesTheList() {
    List<ProcessorPart> parts = new ArrayList<>(texts("a"));
    ProcessorContent content = ProcessorContent.ofParts(parts);

    parts.add(ProcessorPart.text("b"));

    assertThat(content.parts()).containsExactlyElementsOf(texts("a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupportedItems")
  void of_failsNamingTheType_whenAnItemIsNotSupported(Object item, String expectedMessage) {
    assertThatThrownBy(() -> ProcessorContent.of("ok", item))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expectedMessage);
  }

  static Stream<Arguments> unsupportedItems() {
    return Stream.of(
        Arguments.of(42, "Can't append java.lang.Integer to ProcessorContent"),
        Arguments.of(List.of("a", 2.5), "Can't append java.lang.Double to ProcessorContent"),
        Arguments.of(
            new byte[] {1},
            "Can't append byte[] to ProcessorContent: bytes need a MIME type, use"
                + " ProcessorPart.bytes(data, mimeType)"));
  }

  @Test
  void of_rejectsAMap_ratherThanTakingItsKeysAsPythonDoes() {
    assertThatThrownBy(() -> ProcessorContent.of(new HashMap<>(Map.of("a", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Can't append java.util.HashMap to ProcessorContent");
  }

  @Test
  void of_failsClearly_whenAnItemIsNull() {
    assertThatThrownBy(() -> ProcessorContent.of("a", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Can't append null to ProcessorContent");
  }

  @Test
  void parts_isUnmodifiable() {
    ProcessorContent content = ProcessorContent.of("a");

    assertThatThrownBy(() -> content.parts().add(ProcessorPart.text("b")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void iteratesAndStreamsPartsInOrder() {
    ProcessorContent content = ProcessorContent.of("a", IMAGE, "b");

    assertThat(content).containsExactly(ProcessorPart.text("a"), IMAGE, ProcessorPart.text("b"));
    assertThat(content.stream().map(ProcessorPart::mimeType))
        .containsExactly(MimeTypes.TEXT_PLAIN, MimeTypes.IMAGE_PNG, MimeTypes.TEXT_PLAIN);
  }

  @Test
  void text_concatenatesTextParts_withNoSeparator_skippingOthers() {
    ProcessorContent content =
        ProcessorContent.of(
            "a",
            IMAGE,
            CALL,
            ProcessorPart.functionResponse("f", "result"),
            ProcessorPart.json(Map.of("k", 1)),
            ProcessorPart.bytes("é".getBytes(UTF_8), MimeTypes.TEXT_CSV),
            "b");

    assertThat(content.text()).isEqualTo("a{\"k\":1}éb");
  }

  @Test
  void text_withSubstream_keepsOnlyThatSubstream() {
    assertThat(SUBSTREAMS.text("foo")).isEqualTo("foo:bar");
    assertThat(SUBSTREAMS.text("bar")).isEqualTo("bar:baz");
    assertThat(SUBSTREAMS.text()).isEqualTo("foo:bar:bazbar");
  }

  @Test
  void text_withSubstream_matchesExactly() {
    assertThat(SUBSTREAMS.text("FOO")).isEmpty();
    assertThat(SUBSTREAMS.text("")).isEmpty();
    assertThat(ProcessorContent.of("default").text("")).isEqualTo("default");
  }

  @Test
  void strictText_failsNamingTheMimeType_whenAPartIsNotText() {
    ProcessorContent content = ProcessorContent.of("a", IMAGE);

    assertThatThrownBy(content::strictText)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unsupported content type image/png.");
    assertThatThrownBy(() -> ProcessorContent.of(CALL).strictText())
        .hasMessage("Unsupported content type " + MimeTypes.FUNCTION_CALL + ".");
  }

  @Test
  void strictText_isTheText_whenAllPartsAreText() {
    assertThat(ProcessorContent.of("a", ProcessorPart.json(List.of())).strictText())
        .isEqualTo("a[]");
  }

  @Test
  void textWithReasoning_splitsThoughtsFromTheAnswer() {
    ProcessorContent content =
        ProcessorContent.of(
            ProcessorPart.text("thinking ").withThought(true),
            "The answer",
            IMAGE,
            ProcessorPart.text("more thinking").withThought(true),
            ProcessorPart.bytes(" is 42".getBytes(UTF_8), MimeTypes.TEXT_PLAIN));

    ProcessorContent.TextWithReasoning split = content.textWithReasoning();

    assertThat(split.answer())
        .isEqualTo("The answer is 42")
        .isEqualTo(content.filter(p -> !p.isThought()).text());
    assertThat(split.reasoning()).isEqualTo("thinking more thinking");
  }

  @Test
  void filterByMimeType_keepsMatchingPartsInOrder() {
    ProcessorPart jpeg = ProcessorPart.bytes(new byte[] {3}, MimeTypes.IMAGE_JPEG);
    ProcessorContent content = ProcessorContent.of("a", IMAGE, "b", jpeg);

    assertThat(content.filterByMimeType(MimeTypes::isImage).parts()).containsExactly(IMAGE, jpeg);
    assertThat(content.filterByMimeType(MimeTypes::isText))
        .isEqualTo(ProcessorContent.of("a", "b"));
    assertThat(content.filterByMimeType(MimeTypes::isVideo).isEmpty()).isTrue();
  }

  @Test
  void filterByRole_ignoresCase() {
    ProcessorPart user = ProcessorPart.text("u").withRole("user");
    ProcessorPart model = ProcessorPart.text("m").withRole("MODEL");
    ProcessorContent content = ProcessorContent.of(user, model, "none");

    assertThat(content.filterByRole("USER").parts()).containsExactly(user);
    assertThat(content.filterByRole("model").parts()).containsExactly(model);
    assertThat(content.filterByRole("").parts()).containsExactly(ProcessorPart.text("none"));
  }

  @Test
  void filterBySubstream_matchesExactly_withEmptyAsTheDefaultStream() {
    ProcessorContent content = SUBSTREAMS.plus("default");

    assertThat(content.filterBySubstream("bar").text()).isEqualTo("bar:baz");
    assertThat(content.filterBySubstream("BAR").isEmpty()).isTrue();
    assertThat(content.filterBySubstream("").parts())
        .containsExactly(ProcessorPart.text("default"));
  }

  @Test
  void filter_keepingEverything_isTheSameContent() {
    ProcessorContent content = ProcessorContent.of("a", "b");

    assertThat(content.filter(p -> true)).isSameAs(content);
  }

  @Test
  void groupByMimeType_ordersGroupsByFirstAppearance_andKeepsOrderWithinEach() {
    ProcessorPart image2 = ProcessorPart.bytes(new byte[] {9}, MimeTypes.IMAGE_PNG);
    ProcessorContent content = ProcessorContent.of(IMAGE, "a", CALL, image2, "b");

    Map<String, ProcessorContent> groups = content.groupByMimeType();

    assertThat(groups.keySet())
        .containsExactly(MimeTypes.IMAGE_PNG, MimeTypes.TEXT_PLAIN, MimeTypes.FUNCTION_CALL);
    assertThat(groups.get(MimeTypes.IMAGE_PNG).parts()).containsExactly(IMAGE, image2);
    assertThat(groups.get(MimeTypes.TEXT_PLAIN)).isEqualTo(ProcessorContent.of("a", "b"));
    assertThat(groups.get(MimeTypes.FUNCTION_CALL).parts()).containsExactly(CALL);
    assertThat(ProcessorContent.empty().groupByMimeType()).isEmpty();
  }

  @Test
  void plus_appendsItems_andLeavesTheOriginalUnchanged() {
    ProcessorContent original = ProcessorContent.of("a");

    ProcessorContent joined = original.plus("b", ProcessorContent.of("c"), List.of(IMAGE));

    assertThat(joined.parts())
        .containsExactly(
            ProcessorPart.text("a"), ProcessorPart.text("b"), ProcessorPart.text("c"), IMAGE);
    assertThat(original).isEqualTo(ProcessorContent.of("a"));
    assertThat(original.plus()).isSameAs(original);
  }

  @Test
  void concat_joinsContentsInOrder() {
    assertThat(
            ProcessorContent.concat(
                ProcessorContent.of("a"), ProcessorContent.empty(), ProcessorContent.of("b", "c")))
        .isEqualTo(ProcessorContent.of("a", "b", "c"));
    assertThat(ProcessorContent.concat()).isEqualTo(ProcessorContent.empty());
  }

  @Test
  void equals_comparesPartsPairwiseInOrder() {
    ProcessorContent content = ProcessorContent.of("foo", "bar");

    assertThat(content)
        .isEqualTo(ProcessorContent.of(List.of("foo", "bar")))
        .hasSameHashCodeAs(ProcessorContent.of(List.of("foo", "bar")))
        .isNotEqualTo(ProcessorContent.of("foo"))
        .isNotEqualTo(ProcessorContent.of("foo", "bar", "baz"))
        .isNotEqualTo(ProcessorContent.of("bar", "foo"))
        .isNotEqualTo(List.of(ProcessorPart.text("foo"), ProcessorPart.text("bar")));
  }

  @Test
  void equals_usesPartEquality_soRoleCaseDoesNotMatter() {
    assertThat(ProcessorContent.of(ProcessorPart.text("a").withRole("User")))
        .isEqualTo(ProcessorContent.of(ProcessorPart.text("a").withRole("user")));
  }

  @Test
  void toString_listsTheParts() {
    assertThat(ProcessorContent.of("a", IMAGE).toString())
        .startsWith("ProcessorContent[")
        .contains("\"a\"", "image/png");
  }
}
