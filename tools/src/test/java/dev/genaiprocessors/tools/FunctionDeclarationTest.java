package dev.genaiprocessors.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.genaiprocessors.MimeTypes;
import dev.genaiprocessors.ProcessorPart;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class FunctionDeclarationTest {
  enum Unit {
    CELSIUS,
    FAHRENHEIT
  }

  record Stop(@ToolParam(description = "The city to stay in") String city, int nights) {}

  record Trip(
      @ToolParam(description = "Who travels") String traveller,
      Unit unit,
      Optional<Unit> displayUnit,
      @Nullable String note,
      List<Stop> stops,
      List<String> tags,
      double budget,
      long id,
      boolean refundable) {}

  @JsonClassDescription("A search request")
  record Search(@JsonPropertyDescription("Words to look for") String query) {}

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(@Nullable Object value) {
    return (Map<String, Object>) value;
  }

  private static Map<String, Object> property(FunctionDeclaration declaration, String name) {
    return map(map(declaration.parameters().get("properties")).get(name));
  }

  /** The schema a {@code $ref} of the declaration points to, or {@code schema} itself. */
  private static Map<String, Object> resolved(
      FunctionDeclaration declaration, Map<String, Object> schema) {
    if (schema.get("$ref") instanceof String ref) {
      return map(
          map(declaration.parameters().get("$defs")).get(ref.substring("#/$defs/".length())));
    }
    return schema;
  }

  @Test
  void of_declaresRecordComponents_inDeclarationOrder_asAnObjectSchema() {
    FunctionDeclaration trip = FunctionDeclaration.of("plan_trip", "Plans a trip.", Trip.class);

    assertThat(trip.name()).isEqualTo("plan_trip");
    assertThat(trip.description()).isEqualTo("Plans a trip.");
    assertThat(trip.parameters())
        .containsEntry("type", "object")
        .containsEntry("additionalProperties", false);
    assertThat(map(trip.parameters().get("properties")).keySet())
        .containsExactly(
            "traveller",
            "unit",
            "displayUnit",
            "note",
            "stops",
            "tags",
            "budget",
            "id",
            "refundable");
  }

  @Test
  void of_mapsJavaTypesToJsonSchemaTypes() {
    FunctionDeclaration trip = FunctionDeclaration.of("plan_trip", "", Trip.class);

    assertThat(property(trip, "traveller")).containsEntry("type", "string");
    assertThat(property(trip, "budget")).containsEntry("type", "number");
    assertThat(property(trip, "id")).containsEntry("type", "integer");
    assertThat(property(trip, "refundable")).containsEntry("type", "boolean");
    assertThat(property(trip, "tags"))
        .containsEntry("type", "array")
        .containsEntry("items", Map.of("type", "string"));
  }

  @Test
  void of_mapsEnumsToStringsWithTheConstantsAsTheirValues() {
    FunctionDeclaration trip = FunctionDeclaration.of("plan_trip", "", Trip.class);

    assertThat(resolved(trip, property(trip, "unit")))
        .containsEntry("type", "string")
        .containsEntry("enum", List.of("CELSIUS", "FAHRENHEIT"));
  }

  @Test
  void
      of_mapsListsOfRecordsToArraysOfObjectSchemas_withTheirOwnDescriptionsAndRequiredComponents() {
    FunctionDeclaration trip = FunctionDeclaration.of("plan_trip", "", Trip.class);

    Map<String, Object> stops = property(trip, "stops");
    assertThat(stops).containsEntry("type", "array");
    Map<String, Object> stop = resolved(trip, map(stops.get("items")));
    assertThat(stop)
        .containsEntry("type", "object")
        .containsEntry("required", List.of("city", "nights"));
    assertThat(map(map(stop.get("properties")).get("city")))
        .containsEntry("type", "string")
        .containsEntry("description", "The city to stay in");
    assertThat(map(map(stop.get("properties")).get("nights"))).containsEntry("type", "integer");
  }

  @Test
  void of_makesOptionalAndNullableComponentsOptional_andEveryOtherComponentRequired() {
    FunctionDeclaration trip = FunctionDeclaration.of("plan_trip", "", Trip.class);

    assertThat(trip.parameters().get("required"))
        .isEqualTo(List.of("traveller", "unit", "stops", "tags", "budget", "id", "refundable"));
  }

  @Test
  void of_takesDescriptionsFromToolParam_andFromJacksonAnnotations() {
    FunctionDeclaration trip = FunctionDeclaration.of("plan_trip", "", Trip.class);
    FunctionDeclaration search = FunctionDeclaration.of("search", "", Search.class);

    assertThat(property(trip, "traveller")).containsEntry("description", "Who travels");
    assertThat(property(trip, "budget")).doesNotContainKey("description");
    assertThat(property(search, "query")).containsEntry("description", "Words to look for");
    assertThat(search.parameters()).containsEntry("description", "A search request");
  }

  @Test
  void of_rejectsATypeThatIsNotReadFromAJsonObject_namingIt() {
    assertThatThrownBy(() -> FunctionDeclaration.of("echo", "", String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void of_rejectsAMap_pointingToHandWrittenDeclarations() {
    assertThatThrownBy(() -> FunctionDeclaration.of("anything", "", java.util.HashMap.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.util.HashMap")
        .hasMessageContaining("Tool.of(FunctionDeclaration, handler)");
  }

  record NoArguments() {}

  @Test
  void of_declaresARecordWithoutComponents_asAnObjectWithoutProperties() {
    FunctionDeclaration now = FunctionDeclaration.of("now", "The time.", NoArguments.class);

    assertThat(now.parameters())
        .containsEntry("type", "object")
        .containsEntry("properties", Map.of())
        .containsEntry("additionalProperties", false);
  }

  @Test
  void constructor_rejectsANameModelsDoNotAccept_namingIt() {
    assertThatThrownBy(() -> new FunctionDeclaration("get weather", "", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'get weather'");
  }

  @Test
  void parameters_areAnUnmodifiableDeepCopy() {
    Map<String, Object> properties = new java.util.HashMap<>();
    properties.put("city", Map.of("type", "string"));
    Map<String, Object> schema =
        new java.util.HashMap<>(Map.of("type", "object", "properties", properties));
    FunctionDeclaration declaration = new FunctionDeclaration("f", "", schema);
    properties.clear();

    assertThat(map(declaration.parameters().get("properties"))).containsKey("city");
    assertThatThrownBy(() -> declaration.parameters().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toPart_carriesTheDeclarationAsJsonOfTheFunctionDeclarationType_andFromPartReadsItBack() {
    FunctionDeclaration trip = FunctionDeclaration.of("plan_trip", "Plans a trip.", Trip.class);

    ProcessorPart part = trip.toPart();

    assertThat(part.mimeType()).isEqualTo(MimeTypes.FUNCTION_DECLARATION);
    assertThat(new String(part.bytes(), StandardCharsets.UTF_8))
        .startsWith("{\"name\":\"plan_trip\",\"description\":\"Plans a trip.\",\"parameters\":{");
    assertThat(FunctionDeclaration.fromPart(part)).isEqualTo(trip);
  }

  @Test
  void fromPart_rejectsAPartOfAnotherType_namingTheType() {
    assertThatThrownBy(() -> FunctionDeclaration.fromPart(ProcessorPart.text("{}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text/plain");
  }

  @Test
  void fromJson_readsADeclarationWithoutParameters_asAnObjectWithoutProperties() {
    FunctionDeclaration now = FunctionDeclaration.fromJson("{\"name\":\"now\"}");

    assertThat(now.description()).isEmpty();
    assertThat(now.parameters())
        .containsEntry("type", "object")
        .containsEntry("properties", Map.of());
  }
}
