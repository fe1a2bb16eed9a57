package dev.genaiprocessors.observability;

/**
 * The parts counted on one thread, per stage, not yet added to the stages' counters: counting a
 * part is then a field increment on the thread's own object instead of an atomic add on a shared
 * counter, which is most of what observing a cheap stage costs. Flushed when the thread's last
 * binding closes (so before the run's consumer sees its end), and every {@value #FLUSH_EVERY} parts
 * of a stage so a scrape of a long run stays current. Used by its own thread only.
 */
final class Tally {
  static final int FLUSH_EVERY = 4096;

  private long[] ids = new long[4];
  private StageRecord[] records = new StageRecord[4];
  private long[] in = new long[4];
  private long[] out = new long[4];
  private int size;

  /** How many bindings are open on this thread. */
  int depth;

  /** The index of {@code id}'s entry, or -1. */
  int find(long id) {
    long[] known = ids;
    for (int i = 0; i < size; i++) {
      if (known[i] == id) {
        return i;
      }
    }
    return -1;
  }

  /** Adds an entry for {@code record} and returns its index. */
  int add(StageRecord record) {
    if (size == ids.length) {
      int capacity = size * 2;
      ids = java.util.Arrays.copyOf(ids, capacity);
      records = java.util.Arrays.copyOf(records, capacity);
      in = java.util.Arrays.copyOf(in, capacity);
      out = java.util.Arrays.copyOf(out, capacity);
    }
    ids[size] = record.stage.id();
    records[size] = record;
    return size++;
  }

  StageRecord record(int index) {
    return records[index];
  }

  void countIn(int index) {
    if (++in[index] >= FLUSH_EVERY) {
      flush(index);
    }
  }

  void countOut(int index) {
    if (++out[index] >= FLUSH_EVERY) {
      flush(index);
    }
  }

  private void flush(int index) {
    Meters.StageMeters meters = records[index].meters;
    if (meters != null) {
      if (in[index] > 0) {
        meters.partsIn().increment((double) in[index]);
      }
      if (out[index] > 0) {
        meters.partsOut().increment((double) out[index]);
      }
    }
    in[index] = 0;
    out[index] = 0;
  }

  /**
   * Adds every count to its counter and forgets the entries (the tally itself is dropped next, so
   * the records it still points to are not kept).
   */
  void flushAll() {
    for (int i = 0; i < size; i++) {
      flush(i);
    }
    size = 0;
  }
}
