package dev.genaiprocessors.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolTest {
  enum Unit {
    CELSIUS,
    FAHRENHEIT
  }

  record Stop(String city, int nights) {}

  record Query(String city, int days, Optional<Unit> unit) {}

  record Itinerary(String name, List<Stop> stops, Optional<LocalDate> start) {}

  private static final Tool WEATHER = Tool.of("get_weather", "The weather.", Query.class, q -> q);

  private static final Tool ITINERARY = Tool.of("plan", "Plans.", Itinerary.class, i -> i);

  /** Tools declared as methods; public, so the tools module may call them. */
  public static final class Calendar {
    @ToolMethod(description = "Books a meeting.")
    public String book(
        @ToolParam(name = "title", description = "What the meeting is about") String title,
        @ToolParam(name = "day") LocalDate day,
        @ToolParam(name = "room") Optional<String> room) {
      return title + " on " + day + room.map(r -> " in " + r).orElse("");
    }

    @ToolMethod(name = "cancel_all", description = "Cancels every meeting.")
    public void cancelAll() throws IOException {
      throw new IOException("the calendar is read-only");
    }

    public String notATool() {
      return "";
    }
  }

  /** A class whose parameter names were not compiled in and not given. */
  public static final class Unnamed {
    @ToolMethod(description = "Echoes.")
    public String echo(String text) {
      return text;
    }
  }

  /** A class without tool methods. */
  public static final class Plain {
    public String echo(String text) {
      return text;
    }
  }

  @Test
  void of_readsTheArgumentsIntoTheRecord_andRunsTheHandler() throws Exception {
    assertThat(WEATHER.invoke(Map.of("city", "Paris", "days", 2L, "unit", "FAHRENHEIT")))
        .isEqualTo(new Query("Paris", 2, Optional.of(Unit.FAHRENHEIT)));
    assertThat(WEATHER.invoke(Map.of("city", "Paris", "days", 2L)))
        .isEqualTo(new Query("Paris", 2, Optional.empty()));
  }

  @Test
  void invoke_readsWholeNumbersSentAsFloats_asIntegers() throws Exception {
    assertThat(WEATHER.invoke(Map.of("city", "Paris", "days", 3.0)))
        .isEqualTo(new Query("Paris", 3, Optional.empty()));
  }

  @Test
  void invoke_rejectsAFractionForAnInteger_namingTheArgument() {
    assertThatThrownBy(() -> WEATHER.invoke(Map.of("city", "Paris", "days", 3.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("argument 'days' must be an integer but was 3.5");
  }

  @Test
  void invoke_rejectsAStringForAnInteger_namingTheArgument() {
    assertThatThrownBy(() -> WEATHER.invoke(Map.of("city", "Paris", "days", "three")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("argument 'days' must be an integer but was \"three\"");
  }

  @Test
  void invoke_rejectsAMissingRequiredArgument_namingIt() {
    assertThatThrownBy(() -> WEATHER.invoke(Map.of("days", 1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("argument 'city' is required but missing");
  }

  @Test
  void invoke_rejectsANullRequiredArgument_namingIt() {
    Map<String, Object> arguments = new java.util.HashMap<>(Map.of("days", 1L));
    arguments.put("city", null);

    assertThatThrownBy(() -> WEATHER.invoke(arguments))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("argument 'city' is required but was null");
  }

  @Test
  void invoke_rejectsAValueThatIsNoEnumConstant_listingTheConstants() {
    assertThatThrownBy(() -> WEATHER.invoke(Map.of("city", "Paris", "days", 1L, "unit", "KELVIN")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("argument 'unit' must be one of [CELSIUS, FAHRENHEIT] but was \"KELVIN\"");
  }

  @Test
  void invoke_rejectsAnUnknownArgument_namingIt() {
    assertThatThrownBy(() -> WEATHER.invoke(Map.of("city", "Paris", "days", 1L, "colour", "red")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown argument 'colour'")
        .hasMessageContaining("city");
  }

  @Test
  void invoke_namesTheFullPathOfABadArgumentInsideListsAndRecords() {
    Map<String, Object> arguments =
        Map.of(
            "name",
            "Tour",
            "stops",
            List.of(Map.of("city", "Rome", "nights", 2L), Map.of("city", "Pisa", "nights", "two")));

    assertThatThrownBy(() -> ITINERARY.invoke(arguments))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("argument 'stops[1].nights' must be an integer but was \"two\"");
  }

  @Test
  void invoke_namesTheFullPathOfAMissingArgumentInsideListsAndRecords() {
    Map<String, Object> arguments =
        Map.of(
            "name",
            "Tour",
            "stops",
            List.of(Map.of("city", "Rome", "nights", 2L), Map.of("nights", 1L)));

    assertThatThrownBy(() -> ITINERARY.invoke(arguments))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("argument 'stops[1].city' is required but missing");
  }

  @Test
  void invoke_readsDatesFromIsoText() throws Exception {
    assertThat(ITINERARY.invoke(Map.of("name", "Tour", "stops", List.of(), "start", "2026-05-01")))
        .isEqualTo(new Itinerary("Tour", List.of(), Optional.of(LocalDate.of(2026, 5, 1))));
  }

  @Test
  void fromMethods_makesOneToolPerAnnotatedMethod_sortedByName() {
    List<Tool> tools = Tool.fromMethods(new Calendar());

    assertThat(tools).extracting(Tool::name).containsExactly("book", "cancel_all");
    FunctionDeclaration book = tools.get(0).declaration();
    assertThat(book.description()).isEqualTo("Books a meeting.");
    assertThat(book.parameters().get("required")).isEqualTo(List.of("title", "day"));
    assertThat(book.parameters().get("properties"))
        .isEqualTo(
            Map.of(
                "title", Map.of("type", "string", "description", "What the meeting is about"),
                "day", Map.of("type", "string", "format", "date"),
                "room", Map.of("type", "string")));
  }

  @Test
  void aMethodTool_readsEachArgumentIntoItsParameter() throws Exception {
    Tool book = Tool.fromMethods(new Calendar()).get(0);

    assertThat(book.invoke(Map.of("title", "Review", "day", "2026-05-04", "room", "Blue")))
        .isEqualTo("Review on 2026-05-04 in Blue");
    assertThat(book.invoke(Map.of("title", "Review", "day", "2026-05-04")))
        .isEqualTo("Review on 2026-05-04");
  }

  @Test
  void aMethodTool_rejectsBadArguments_namingThem() {
    Tool book = Tool.fromMethods(new Calendar()).get(0);

    assertThatThrownBy(() -> book.invoke(Map.of("title", "Review")))
        .hasMessage("argument 'day' is required but missing");
    assertThatThrownBy(() -> book.invoke(Map.of("title", "Review", "day", "soon")))
        .hasMessage("argument 'day' must be an ISO-8601 LocalDate but was \"soon\"");
    assertThatThrownBy(
            () -> book.invoke(Map.of("title", "Review", "day", "2026-05-04", "floor", 3L)))
        .hasMessage("unknown argument 'floor' (expected one of: day, room, title)");
  }

  @Test
  void aMethodTool_throwsWhatTheMethodThrows() {
    Tool cancelAll = Tool.fromMethods(new Calendar()).get(1);

    assertThatThrownBy(() -> cancelAll.invoke(Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessage("the calendar is read-only");
  }

  @Test
  void fromMethods_rejectsAParameterWithoutAName_sayingHowToNameIt() {
    assertThatThrownBy(() -> Tool.fromMethods(new Unnamed()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter 0 of tool method")
        .hasMessageContaining("Unnamed.echo")
        .hasMessageContaining("@ToolParam(name = ...)");
  }

  @Test
  void fromMethods_rejectsAClassWithoutToolMethods() {
    assertThatThrownBy(() -> Tool.fromMethods(new Plain()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Plain has no method annotated @ToolMethod");
  }

  @Test
  void of_withAHandWrittenDeclaration_checksRequiredArguments_andPassesTheArgumentsOn()
      throws Exception {
    FunctionDeclaration echo =
        new FunctionDeclaration(
            "echo",
            "Echoes.",
            Map.of(
                "type",
                "object",
                "properties",
                Map.of("text", Map.of("type", "string")),
                "required",
                List.of("text")));
    Tool tool = Tool.of(echo, arguments -> arguments.get("text"));

    assertThat(tool.invoke(Map.of("text", "hi"))).isEqualTo("hi");
    assertThatThrownBy(() -> tool.invoke(Map.of()))
        .hasMessage("argument 'text' is required but missing");
  }
}
