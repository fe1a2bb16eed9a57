package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.List;

/**
 * Processors run concurrently on copies of one input, outputs concatenated in order (the Python
 * library's {@code parallel_concat}). A splitter thread copies every input part into each branch's
 * bounded input buffer; a drainer thread writes the branches' outputs in order. The first branch
 * fills a bounded buffer (it is drained first); the others fill unbounded ones, since they must not
 * wait for room while the first branch still needs the whole input. Reserved input parts are
 * captured once per branch, as in Python.
 */
final class ConcatProcessor implements Processor {
  private final List<Processor> branches;
  private final String name;

  ConcatProcessor(List<Processor> branches) {
    this.branches = List.copyOf(branches);
    this.name = Names.join("parallel", this.branches);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void call(PartStream input, PartSink output) throws Exception {
    RunConfig config = RunContext.current().config;
    try (Scope scope = new Scope()) {
      List<Channel> inputs = new ArrayList<>(branches.size());
      List<Channel> outputs = new ArrayList<>(branches.size());
      for (int i = 0; i < branches.size(); i++) {
        Processor branch = branches.get(i);
        Channel in = Channel.bounded(config.bufferSize());
        Channel out = i == 0 ? Channel.bounded(config.bufferSize()) : Channel.unbounded();
        inputs.add(in);
        outputs.add(out);
        PartStream captured = new ChainProcessor.CapturingStream(in, output, config);
        scope.fork(branch.name(), () -> ChainProcessor.runStage(branch, captured, out, out));
      }
      scope.fork(
          name + "-splitter",
          () -> {
            for (ProcessorPart part = input.read(); part != null; part = input.read()) {
              boolean anyReads = false;
              for (Channel in : inputs) {
                try {
                  in.emit(part);
                  anyReads = true;
                } catch (Channel.StreamClosedException e) {
                  // That branch stopped reading; the others still want the part.
                }
              }
              if (!anyReads) {
                break;
              }
            }
            inputs.forEach(Channel::close);
          });
      scope.fork(
          name + "-concat",
          () -> {
            try {
              for (Channel out : outputs) {
                for (ProcessorPart part = out.read(); part != null; part = out.read()) {
                  output.emit(part);
                }
              }
            } finally {
              scope.cancel();
            }
          });
      try {
        scope.joinAndRethrow(name);
      } catch (InterruptedException e) {
        throw Scope.cancelledWhileJoining(scope, e);
      }
    }
  }
}
