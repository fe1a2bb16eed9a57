package dev.genaiprocessors.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A pipeline as read from YAML and validated, before anything is built: the value a {@link
 * LiveConfig} of a pipeline holds, compared to know whether a reload changed anything.
 */
record PipelineSpec(Node root) {

  /** A node of the pipeline. */
  sealed interface Node permits Chain, Parallel, SwitchNode, Typed {
    String path();

    @Nullable String name();

    @Nullable String origin();
  }

  record Chain(String path, @Nullable String name, @Nullable String origin, List<Node> members)
      implements Node {}

  record Parallel(String path, @Nullable String name, @Nullable String origin, List<Node> members)
      implements Node {}

  record SwitchNode(
      String path,
      @Nullable String name,
      @Nullable String origin,
      String on,
      List<Case> cases,
      @Nullable Node otherwise)
      implements Node {}

  record Case(List<String> values, Node processor) {}

  record Typed(
      String path,
      @Nullable String name,
      @Nullable String origin,
      ProcessorType<?> type,
      Object settings,
      @Nullable Node wrapped)
      implements Node {}
}
