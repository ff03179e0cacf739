package dev.mallard.engine.vector;

/**
 * A hash map from long to non-negative int, open addressing with linear probing; no boxing. A key
 * and its value share one array, next to each other, so a lookup touches one cache line.
 */
final class LongIntMap {
  /** Slot s: the key at 2s, the value + 1 at 2s + 1 (0: the slot is empty). */
  private long[] slots = new long[128];
  private int size;

  /** The value of {@code key}, or -1. */
  int get(long key) {
    long[] slots = this.slots;
    int mask = (slots.length >> 1) - 1;
    for (int slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      long value = slots[2 * slot + 1];
      if (value == 0) {
        return -1;
      }
      if (slots[2 * slot] == key) {
        return (int) (value - 1);
      }
    }
  }

  /** The value of {@code key} if it has one; otherwise gives it {@code value} and returns -1 (one lookup). */
  int putIfAbsent(long key, int value) {
    if (4 * (size + 1) > slots.length) {
      grow();
    }
    long[] slots = this.slots;
    int mask = (slots.length >> 1) - 1;
    for (int slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      long existing = slots[2 * slot + 1];
      if (existing == 0) {
        slots[2 * slot] = key;
        slots[2 * slot + 1] = value + 1L;
        size++;
        return -1;
      }
      if (slots[2 * slot] == key) {
        return (int) (existing - 1);
      }
    }
  }

  int size() {
    return size;
  }

  /** Calls {@code action} with each key. */
  void forEachKey(java.util.function.LongConsumer action) {
    for (int s = 0; s < slots.length; s += 2) {
      if (slots[s + 1] != 0) {
        action.accept(slots[s]);
      }
    }
  }

  /** Sets the value of a key that is not in the map. */
  void put(long key, int value) {
    if (4 * (size + 1) > slots.length) { // at most half the slots used
      grow();
    }
    insert(slots, key, value + 1L);
    size++;
  }

  private static void insert(long[] slots, long key, long valuePlusOne) {
    int mask = (slots.length >> 1) - 1;
    int slot = hash(key) & mask;
    while (slots[2 * slot + 1] != 0) {
      slot = (slot + 1) & mask;
    }
    slots[2 * slot] = key;
    slots[2 * slot + 1] = valuePlusOne;
  }

  private void grow() {
    long[] old = slots;
    long[] grown = new long[old.length * 2];
    for (int i = 0; i < old.length; i += 2) {
      if (old[i + 1] != 0) {
        insert(grown, old[i], old[i + 1]);
      }
    }
    slots = grown;
  }

  /** Spreads sequential keys (the usual join and group keys) over the table's slots. */
  private static int hash(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
