package dev.genaiprocessors;

import java.util.ArrayList;
import java.util.List;

/**
 * Part processors in sequence, applied depth first on one thread: each output of member {@code k}
 * goes straight into member {@code k+1} before member {@code k} continues, so the outputs come in
 * depth-first order with no buffer and no thread between members. A part a member does not match
 * skips it; a reserved-substream part skips the remaining members.
 */
final class FusedPartProcessor implements PartProcessor {
  private final List<PartProcessor> members;
  private final String name;

  private FusedPartProcessor(List<PartProcessor> members) {
    this.members = List.copyOf(members);
    this.name = Names.join("chain", this.members);
  }

  static PartProcessor of(PartProcessor first, PartProcessor second) {
    List<PartProcessor> all = new ArrayList<>();
    for (PartProcessor p : List.of(first, second)) {
      if (p instanceof FusedPartProcessor fused) {
        all.addAll(fused.members);
      } else {
        all.add(p);
      }
    }
    return new FusedPartProcessor(all);
  }

  List<PartProcessor> members() {
    return members;
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
    return false;
  }

  @Override
  public void call(ProcessorPart part, PartSink output) throws Exception {
    apply(0, part, output, RunContext.current().config);
  }

  private void apply(int index, ProcessorPart part, PartSink output, RunConfig config)
      throws Exception {
    int k = index;
    while (k < members.size() && !members.get(k).match(part)) {
      k++;
    }
    if (k == members.size() || config.isReserved(part.substreamName())) {
      output.emit(part);
      return;
    }
    int next = k + 1;
    PartProcessor member = members.get(k);
    try {
      member.call(
          part,
          out -> {
            try {
              apply(next, out, output, config);
            } catch (RuntimeException e) {
              throw e;
            } catch (Exception e) {
              throw new Rethrown(e);
            }
          });
    } catch (Rethrown e) {
      throw (Exception) e.getCause();
    } catch (Throwable e) {
      throw Stages.named(member.name(), e);
    }
  }

  /** Carries a checked exception of a later member through an earlier member's {@code emit}. */
  private static final class Rethrown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rethrown(Exception cause) {
      super(cause);
    }
  }
}
