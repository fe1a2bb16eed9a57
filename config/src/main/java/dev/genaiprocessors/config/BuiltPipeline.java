package dev.genaiprocessors.config;

import dev.genaiprocessors.PartProcessor;
import dev.genaiprocessors.PartSink;
import dev.genaiprocessors.PartStream;
import dev.genaiprocessors.Processor;
import dev.genaiprocessors.ProcessorPart;
import dev.genaiprocessors.Switch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The processors a {@link PipelineSpec} describes, built, and the resources they hold. */
final class BuiltPipeline implements Processor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BuiltPipeline.class);

  private final Processor processor;
  private final List<AutoCloseable> resources;

  private BuiltPipeline(Processor processor, List<AutoCloseable> resources) {
    this.processor = processor;
    this.resources = resources;
  }

  /**
   * Builds every node of {@code spec}.
   *
   * @throws ConfigException naming the node (its path, line and column) whose type refused its
   *     settings; what was built before it is closed
   */
  static BuiltPipeline build(PipelineSpec spec) {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      return new BuiltPipeline(asProcessor(build(spec.root(), resources)), List.copyOf(resources));
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  private static Object build(PipelineSpec.Node node, List<AutoCloseable> resources) {
    return named(node.name(), unnamed(node, resources));
  }

  private static Object named(@Nullable String name, Object built) {
    if (name == null) {
      return built;
    }
    return built instanceof PartProcessor part
        ? PartProcessor.named(name, part)
        : Processor.named(name, (Processor) built);
  }

  private static Object unnamed(PipelineSpec.Node node, List<AutoCloseable> resources) {
    return switch (node) {
      case PipelineSpec.Chain chain -> {
        List<Object> members = new ArrayList<>();
        for (PipelineSpec.Node member : chain.members()) {
          members.add(build(member, resources));
        }
        yield members.size() == 1 ? members.get(0) : Processor.chain(members.toArray());
      }
      case PipelineSpec.Parallel parallel -> {
        List<Processor> members = new ArrayList<>();
        for (PipelineSpec.Node member : parallel.members()) {
          members.add(asProcessor(build(member, resources)));
        }
        yield Processor.parallel(members.toArray(Processor[]::new));
      }
      case PipelineSpec.SwitchNode s -> {
        Switch<String> router = Switch.on(key(s.on()));
        for (PipelineSpec.Case c : s.cases()) {
          Processor processor = asProcessor(build(c.processor(), resources));
          for (String value : c.values()) {
            router = router.whenEquals(value, processor);
          }
        }
        PipelineSpec.Node otherwise = s.otherwise();
        if (otherwise != null) {
          router = router.otherwise(asProcessor(build(otherwise, resources)));
        }
        yield router;
      }
      case PipelineSpec.Typed typed -> create(typed, resources);
    };
  }

  @SuppressWarnings("unchecked")
  private static Object create(PipelineSpec.Typed typed, List<AutoCloseable> resources) {
    // The decorator gets the processor itself, not a named wrapper of it, so that it can see what
    // it is (the resilience decorator turns a model's own SDK retries off, which it cannot see
    // through a wrapper); the name goes on the decorated processor instead, unless it has its own.
    PipelineSpec.Node wrappedNode = typed.wrapped();
    Object wrapped = wrappedNode == null ? null : unnamed(wrappedNode, resources);
    Object made;
    try {
      made = ((ProcessorType<Object>) typed.type()).create(typed.settings(), wrapped);
    } catch (Exception e) {
      throw new ConfigException(
          List.of(
              new ConfigProblem(
                  typed.path(),
                  "could not be built as " + typed.type().name() + ": " + e.getMessage(),
                  typed.origin())));
    }
    if (made instanceof AutoCloseable closeable && made != wrapped) {
      resources.add(closeable);
    }
    if (!(made instanceof Processor) && !(made instanceof PartProcessor)) {
      throw new ConfigException(
          List.of(
              new ConfigProblem(
                  typed.path(),
                  "could not be built: the type "
                      + typed.type().name()
                      + " made "
                      + (made == null ? "nothing" : made.getClass().getName())
                      + ", not a Processor or a PartProcessor",
                  typed.origin())));
    }
    return wrappedNode != null && typed.name() == null ? named(wrappedNode.name(), made) : made;
  }

  private static Function<ProcessorPart, String> key(String on) {
    return switch (on) {
      case "mimeType" -> ProcessorPart::mimeType;
      case "role" -> ProcessorPart::role;
      case "substream" -> ProcessorPart::substreamName;
      default -> {
        String metadata = on.substring("metadata.".length());
        yield part -> {
          Object value = part.metadata().get(metadata);
          return value == null ? "" : String.valueOf(value);
        };
      }
    };
  }

  static Processor asProcessor(Object built) {
    return built instanceof PartProcessor part ? part.toProcessor() : (Processor) built;
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    processor.call(input, output);
  }

  @Override
  public String name() {
    return processor.name();
  }

  @Override
  public void close() {
    closeAll(resources);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("closing a processor of a pipeline failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "pipeline " + processor.name();
  }
}
