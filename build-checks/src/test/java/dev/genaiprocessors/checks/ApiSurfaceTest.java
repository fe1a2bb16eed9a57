package dev.genaiprocessors.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every published module's public API, as the list of public types in its exported packages,
 * checked against {@code build-checks/api/<module>.txt}: a type added, removed or changed in kind
 * fails the build until the list is updated ({@code ./mvnw verify -Dapi.update=true}, then review
 * the diff), so that API growth is always a decision.
 *
 * <p>The published modules are the ones the BOM lists; their classes are read from each module's
 * {@code target/classes}, so this runs in the reactor build after they are compiled.
 */
class ApiSurfaceTest {
  private static final Pattern BOM_ARTIFACT =
      Pattern.compile("<artifactId>genai-processors-([a-z0-9-]+)</artifactId>");
  private static final Pattern EXPORTS = Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;");

  private final Path root = Path.of(System.getProperty("project.root", ".."));
  private final boolean update = Boolean.getBoolean("api.update");

  @TestFactory
  Stream<DynamicTest> everyPublishedModuleMatchesItsApiList() throws IOException {
    return publishedModules().stream()
        .map(module -> DynamicTest.dynamicTest(module, () -> check(module)));
  }

  @Test
  void everyPublishedModuleIsADependencyOfThisModule() throws IOException {
    String pom = Files.readString(root.resolve("build-checks/pom.xml"));
    List<String> missing =
        publishedModules().stream()
            .filter(m -> !pom.contains("<artifactId>genai-processors-" + m + "</artifactId>"))
            .toList();
    assertThat(missing)
        .as("modules in the BOM that build-checks/pom.xml does not depend on (add them there)")
        .isEmpty();
  }

  private void check(String module) throws Exception {
    Path classes = root.resolve(module).resolve("target/classes");
    assertThat(classes)
        .as("compiled classes of module '%s' (build it first: ./mvnw verify)", module)
        .isDirectory();
    Set<String> actual = new TreeSet<>();
    for (String pkg : exportedPackages(module, classes)) {
      Path dir = classes.resolve(pkg.replace('.', '/'));
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
          String simple = file.getFileName().toString().replace(".class", "");
          if (simple.equals("module-info") || simple.equals("package-info")) {
            continue;
          }
          Class<?> type = Class.forName(pkg + "." + simple, false, loader());
          if (isPublicApi(type)) {
            actual.add(kind(type) + " " + type.getName().replace('$', '.'));
          }
        }
      }
    }
    Path listed = root.resolve("build-checks/api").resolve(module + ".txt");
    String expected = Files.exists(listed) ? Files.readString(listed) : "";
    String now = header(module) + String.join("\n", actual) + "\n";
    if (update) {
      Files.writeString(listed, now);
      return;
    }
    Set<String> was = lines(expected);
    Set<String> added = new TreeSet<>(actual);
    added.removeAll(was);
    Set<String> removed = new TreeSet<>(was);
    removed.removeAll(actual);
    assertThat(added.isEmpty() && removed.isEmpty())
        .as(
            "public API of module '%s' differs from %s%n  added: %s%n  removed: %s%n"
                + "If this is intended, run ./mvnw verify -Dapi.update=true and commit the list.",
            module, root.relativize(listed), added, removed)
        .isTrue();
  }

  private static ClassLoader loader() {
    return ApiSurfaceTest.class.getClassLoader();
  }

  /** Public, and every enclosing type public too: what a user can name. */
  private static boolean isPublicApi(Class<?> type) {
    if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
      return false;
    }
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static String kind(Class<?> type) {
    if (type.isAnnotation()) {
      return "@interface";
    }
    if (type.isInterface()) {
      return "interface";
    }
    if (type.isRecord()) {
      return "record";
    }
    if (type.isEnum()) {
      return "enum";
    }
    return "class";
  }

  private static String header(String module) {
    return "# Public types of module '"
        + module
        + "' (exported packages). Checked by ApiSurfaceTest;\n"
        + "# update with ./mvnw verify -Dapi.update=true when a change of API is intended.\n";
  }

  private static Set<String> lines(String text) {
    return text.lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The packages of {@code module-info.java}'s unqualified exports, or every package. */
  private Set<String> exportedPackages(String module, Path classes) throws IOException {
    Path info = root.resolve(module).resolve("src/main/java/module-info.java");
    Set<String> packages = new TreeSet<>();
    if (Files.exists(info)) {
      Matcher m = EXPORTS.matcher(Files.readString(info));
      while (m.find()) {
        packages.add(m.group(1));
      }
      return packages;
    }
    try (Stream<Path> files = Files.walk(classes)) {
      files
          .filter(f -> f.toString().endsWith(".class"))
          .map(f -> classes.relativize(f.getParent()).toString().replace('/', '.'))
          .filter(p -> !p.isEmpty() && !p.startsWith("META-INF"))
          .forEach(packages::add);
    }
    return packages;
  }

  private List<String> publishedModules() throws IOException {
    String bom = Files.readString(root.resolve("bom/pom.xml"));
    Matcher m = BOM_ARTIFACT.matcher(bom);
    List<String> modules = new ArrayList<>();
    while (m.find()) {
      if (!m.group(1).equals("bom")) {
        modules.add(m.group(1));
      }
    }
    return modules;
  }
}
