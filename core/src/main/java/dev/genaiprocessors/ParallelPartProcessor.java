package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Part processors run concurrently on the same part, outputs concatenated in member order. The
 * first matching member writes straight to the output; the others fill bounded buffers that are
 * drained in order after it, so nothing waits longer than it must and memory stays bounded.
 *
 * <p>Inside a fused chain ({@link FusedPartProcessor}) with members after it, each branch instead
 * takes an ordered place of the chain's own: its outputs go on into the following members at once,
 * on the branch's thread, and their results take their place in member order.
 */
final class ParallelPartProcessor implements PartProcessor {
  private final List<PartProcessor> members;
  private final boolean always;
  private final boolean fallback;
  private final String name;

  ParallelPartProcessor(List<PartProcessor> members) {
    this.members = members.stream().filter(m -> !(m instanceof Passthrough)).toList();
    this.always = members.contains(PASSTHROUGH_ALWAYS);
    this.fallback = members.contains(PASSTHROUGH_FALLBACK);
    this.name = Names.join("parallel", members);
  }

  /** The members as given, markers included, for flattening. */
  List<PartProcessor> members() {
    List<PartProcessor> all = new ArrayList<>(members);
    if (always) {
      all.add(PASSTHROUGH_ALWAYS);
    }
    if (fallback) {
      all.add(PASSTHROUGH_FALLBACK);
    }
    return all;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean match(ProcessorPart part) {
    for (PartProcessor member : members) {
      if (member.match(part)) {
        return true;
      }
    }
    return !(always || fallback);
  }

  @Override
  public void call(ProcessorPart part, PartSink output) throws Exception {
    RunConfig config = RunContext.current().config;
    List<PartProcessor> matching = new ArrayList<>(members.size());
    for (PartProcessor member : members) {
      if (member.match(part)) {
        matching.add(member);
      }
    }
    AtomicBoolean produced = new AtomicBoolean();
    PartSink counted =
        p -> {
          produced.set(true);
          output.emit(p);
        };
    if (matching.size() == 1) {
      matching.get(0).call(part, counted);
    } else if (matching.size() > 1 && output instanceof FusedPartProcessor.StepSink step) {
      runBranched(matching, part, step, produced);
    } else if (matching.size() > 1) {
      runConcurrently(matching, part, counted, config);
    }
    if (always || (fallback && !produced.get())) {
      output.emit(part);
    }
  }

  /** Each member into an ordered place of the chain it is fused in, so its outputs flow on. */
  private static void runBranched(
      List<PartProcessor> matching,
      ProcessorPart part,
      FusedPartProcessor.StepSink step,
      AtomicBoolean produced)
      throws Exception {
    List<FusedPartProcessor.Branch> branches = new ArrayList<>(matching.size());
    for (int i = 0; i < matching.size(); i++) {
      branches.add(step.open());
    }
    try (Scope scope = new Scope()) {
      for (int i = 1; i < matching.size(); i++) {
        PartProcessor member = matching.get(i);
        FusedPartProcessor.Branch branch = branches.get(i);
        scope.fork(member.name(), () -> runBranch(member, part, branch, produced));
      }
      PartProcessor first = matching.get(0);
      try {
        runBranch(first, part, branches.get(0), produced);
      } catch (Throwable e) {
        scope.fail(e);
      }
      try {
        scope.joinAndRethrow(first.name());
      } catch (InterruptedException e) {
        throw Scope.cancelledWhileJoining(scope, e);
      } finally {
        for (FusedPartProcessor.Branch branch : branches) {
          branch.close(true); // no effect on a branch already closed
        }
      }
    }
  }

  private static void runBranch(
      PartProcessor member,
      ProcessorPart part,
      FusedPartProcessor.Branch branch,
      AtomicBoolean produced)
      throws Exception {
    PartSink sink = branch.sink();
    try {
      member.call(
          part,
          p -> {
            produced.set(true);
            sink.emit(p);
          });
    } catch (Throwable e) {
      branch.close(true);
      throw Stages.named(member.name(), e);
    }
    branch.close(false);
  }

  private static void runConcurrently(
      List<PartProcessor> matching, ProcessorPart part, PartSink output, RunConfig config)
      throws Exception {
    try (Scope scope = new Scope()) {
      List<Channel> buffers = new ArrayList<>(matching.size() - 1);
      for (int i = 1; i < matching.size(); i++) {
        PartProcessor member = matching.get(i);
        Channel buffer = Channel.bounded(config.bufferSize());
        buffers.add(buffer);
        PartSink sink = p -> (config.isReserved(p.substreamName()) ? output : buffer).emit(p);
        scope.fork(
            member.name(),
            () -> {
              try {
                member.call(part, sink);
                buffer.close();
              } catch (Throwable e) {
                buffer.fail();
                throw Stages.named(member.name(), e);
              }
            });
      }
      PartProcessor first = matching.get(0);
      try {
        first.call(part, output);
        for (Channel buffer : buffers) {
          for (ProcessorPart p = buffer.read(); p != null; p = buffer.read()) {
            output.emit(p);
          }
        }
      } catch (Throwable e) {
        scope.fail(Stages.named(first.name(), e));
      }
      try {
        scope.joinAndRethrow(first.name());
      } catch (InterruptedException e) {
        throw Scope.cancelledWhileJoining(scope, e);
      }
    }
  }
}
