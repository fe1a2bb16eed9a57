package dev.genaiprocessors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonObjectsTest {
  @Test
  void build_keepsKeysInTheOrderPut_andNormalisesNumbersAsPartsDo() {
    Map<String, Object> object =
        JsonObjects.builder().put("b", 1).put("a", 2.5).put("c", null).put("d", "x").build();

    assertThat(object)
        .containsExactly(entry("b", 1L), entry("a", 2.5), entry("c", null), entry("d", "x"));
  }

  @Test
  void putAgain_keepsTheFirstPlace_andTakesTheNewValue() {
    Map<String, Object> object = JsonObjects.builder(1).put("a", 1).put("b", 2).put("a", 3).build();

    assertThat(object).containsExactly(entry("a", 3L), entry("b", 2L));
  }

  @Test
  void built_isTakenByAPartAsItIs_withoutACopy() {
    Map<String, Object> scores = JsonObjects.builder().put("positive", 0.97).build();

    ProcessorPart part = ProcessorPart.text("x").withMetadata("scores", scores);

    assertThat(part.metadata("scores")).isSameAs(scores);
  }

  @Test
  void nestedMapsAndLists_areCopiedIn_andUnmodifiable() {
    List<Object> list = new ArrayList<>(List.of(1, 2));
    Map<String, Object> inner = new HashMap<>(Map.of("k", "v"));
    Map<String, Object> object =
        JsonObjects.builder().put("list", list).put("inner", inner).build();
    list.add(3);
    inner.put("other", 1);

    assertThat(object.get("list")).isEqualTo(List.of(1L, 2L));
    assertThat(object.get("inner")).isEqualTo(Map.of("k", "v"));
    assertThatThrownBy(() -> object.put("z", 1)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> stored = (List<Object>) object.get("list");
    assertThatThrownBy(() -> stored.add(4)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aValueThatIsNotJson_failsNamingItsKey_andTheBuilderStaysUsable() {
    JsonObjects.Builder builder = JsonObjects.builder().put("ok", 1);

    assertThatThrownBy(() -> builder.put("when", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("object.when must be a JSON value");
    assertThatThrownBy(() -> builder.put("nan", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("object.nan must be a finite number");
    assertThat(builder.build()).containsExactly(entry("ok", 1L));
  }

  @Test
  void aBuilder_buildsOnce() {
    JsonObjects.Builder builder = JsonObjects.builder().put("a", 1);
    builder.build();

    assertThatThrownBy(() -> builder.put("b", 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("put(\"b\") came after");
    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> JsonObjects.builder(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expectedSize must be >= 0 but was -1");
  }

  @Test
  void manyKeys_areAllFound() {
    JsonObjects.Builder builder = JsonObjects.builder(0);
    for (int i = 0; i < 50; i++) {
      builder.put("k" + i, i);
    }
    builder.put("k10", "again");
    Map<String, Object> object = builder.build();

    assertThat(object).hasSize(50);
    assertThat(object.get("k10")).isEqualTo("again");
    assertThat(object.get("k49")).isEqualTo(49L);
    assertThat(object.keySet()).startsWith("k0", "k1", "k2");
  }
}
