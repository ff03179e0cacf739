package dev.mallard.engine.vector;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Numbers the distinct combinations of key values that rows have (0, 1, 2, ... in order of first
 * appearance), for {@link HashAggregate}. Each key column's values are numbered first (integers and
 * decimals that fit in a long in a primitive map, strings and larger decimals in a hash map, NULL as
 * one more value); then the numbers of the columns are paired one column at a time, a pair of ints
 * being one long in a primitive map. So no row makes a boxed key or a list (as a key of two
 * integer or string columns, TPC-H Q01's and Q20's, did).
 */
final class GroupIds {
  private final VType[] types;
  private final Values[] values;
  /** For each key column after the first, the ids of (ids so far, this column's value) pairs. */
  private final LongIntMap[] pairs;
  /** For each group of each column after the first: the id so far and the column's value number. */
  private final IntList[] pairPrevious;
  private final IntList[] pairValue;
  private int size;

  GroupIds(VType[] types) {
    this.types = types.clone();
    values = new Values[types.length];
    pairs = new LongIntMap[types.length];
    pairPrevious = new IntList[types.length];
    pairValue = new IntList[types.length];
    for (int k = 0; k < types.length; k++) {
      values[k] = new Values();
      if (k > 0) {
        pairs[k] = new LongIntMap();
        pairPrevious[k] = new IntList();
        pairValue[k] = new IntList();
      }
    }
  }

  /** How many groups there are. */
  int size() {
    return size;
  }

  /** The group of each of the {@code n} rows of {@code keys}, making new groups as needed. */
  int[] assign(Column[] keys, int n) {
    int[] ids = values[0].number(keys[0], n, types[0]);
    for (int k = 1; k < keys.length; k++) {
      int[] value = values[k].number(keys[k], n, types[k]);
      LongIntMap map = pairs[k];
      long lastPair = -1; // no pair: both halves are non-negative
      int lastId = -1;
      for (int i = 0; i < n; i++) {
        long pair = (long) ids[i] << 32 | value[i];
        if (pair != lastPair) {
          lastId = map.putIfAbsent(pair, pairPrevious[k].size);
          if (lastId < 0) {
            lastId = pairPrevious[k].size;
            pairPrevious[k].add(ids[i]);
            pairValue[k].add(value[i]);
          }
          lastPair = pair;
        }
        ids[i] = lastId;
      }
    }
    int last = types.length - 1;
    size = last == 0 ? values[0].count : pairPrevious[last].size;
    return ids;
  }

  /** The values of key column {@code k} of every group, in group order. */
  Column keyColumn(int k) {
    int[] valueOf = new int[size];
    for (int g = 0; g < size; g++) {
      int id = g;
      for (int c = types.length - 1; c > k; c--) {
        id = pairPrevious[c].values[id];
      }
      valueOf[g] = k == 0 ? id : pairValue[k].values[id];
    }
    return values[k].column(valueOf, types[k]);
  }

  /** The distinct values of one key column, numbered. */
  private static final class Values {
    private final LongIntMap longIds = new LongIntMap();
    private final ObjectIds objectIds = new ObjectIds();
    /** Each number's value held as a long (an integer, or a decimal's unscaled value); 0 for the others. */
    private long[] longOf = new long[16];
    /** Each number's String or BigDecimal; null for the values held as longs, and for NULL. */
    private Object[] objectOf = new Object[16];
    private int objects;
    private int nullId = -1;
    private int count;
    /** The dictionary of the last column of dictionary strings met, and the number of each of its codes (-1: none yet). */
    private Object dictionary;
    private int[] numberOfCode;

    int[] number(Column c, int n, VType type) {
      int[] out = new int[n];
      if (c.longs != null && c.nulls == null) {
        // A row with the previous row's key takes its number without a lookup: keys often come in
        // runs (a table sorted by the key, as lineitem is by order, or a join's matches of one row).
        long[] longs = c.longs;
        long last = 0;
        int lastId = -1;
        for (int i = 0; i < n; i++) {
          long v = longs[i];
          if (v != last || lastId < 0) {
            lastId = numberOfLong(v);
            last = v;
          }
          out[i] = lastId;
        }
        return out;
      }
      if (c.codes != null) {
        return numberCodes(c, out);
      }
      for (int i = 0; i < n; i++) {
        if (c.isNull(i)) {
          if (nullId < 0) {
            nullId = add(0, null);
          }
          out[i] = nullId;
        } else if (c.longs != null) {
          out[i] = numberOfLong(c.longs[i]);
        } else {
          Object v = c.objects[i] instanceof BigDecimal d ? d.setScale(type.scale()) : c.objects[i];
          if (v instanceof BigDecimal d && d.unscaledValue().bitLength() < 64) {
            out[i] = numberOfLong(d.unscaledValue().longValue()); // as the same value held in a long
            continue;
          }
          out[i] = numberOfObject(v);
        }
      }
      return out;
    }

    /** Numbers dictionary strings by their codes: a string is looked up once per dictionary. */
    private int[] numberCodes(Column c, int[] out) {
      if (c.dictionary != dictionary) {
        dictionary = c.dictionary;
        numberOfCode = null;
      }
      for (int i = 0; i < c.size; i++) {
        int code = c.codes[i];
        if (code < 0) {
          if (nullId < 0) {
            nullId = add(0, null);
          }
          out[i] = nullId;
          continue;
        }
        if (numberOfCode == null || code >= numberOfCode.length) {
          int from = numberOfCode == null ? 0 : numberOfCode.length;
          int length = Math.max(16, Integer.highestOneBit(code) * 2);
          numberOfCode = numberOfCode == null ? new int[length] : Arrays.copyOf(numberOfCode, length);
          Arrays.fill(numberOfCode, from, length, -1);
        }
        int id = numberOfCode[code];
        if (id < 0) {
          id = numberOfObject(c.objects[i]);
          numberOfCode[code] = id;
        }
        out[i] = id;
      }
      return out;
    }

    private int numberOfObject(Object v) {
      int id = objectIds.get(v);
      if (id < 0) {
        id = add(0, v);
        objectIds.put(v, id);
      }
      return id;
    }

    private int numberOfLong(long v) {
      int id = longIds.putIfAbsent(v, count);
      return id >= 0 ? id : add(v, null);
    }

    private int add(long asLong, Object object) {
      if (count == longOf.length) {
        longOf = Arrays.copyOf(longOf, count * 2);
        objectOf = Arrays.copyOf(objectOf, count * 2);
      }
      longOf[count] = asLong;
      objectOf[count] = object;
      if (object != null) {
        objects++;
      }
      return count++;
    }

    /** The values numbered {@code numbers}, as a column of {@code type}. */
    Column column(int[] numbers, VType type) {
      int n = numbers.length;
      if (type.kind() != VType.Kind.STRING && objects == 0) {
        long[] out = new long[n];
        boolean[] nulls = nullId < 0 ? null : new boolean[n];
        for (int g = 0; g < n; g++) {
          int number = numbers[g];
          out[g] = longOf[number];
          if (number == nullId) {
            nulls[g] = true;
          }
        }
        return Column.ofLongs(out, nulls, n);
      }
      Object[] out = new Object[n];
      for (int g = 0; g < n; g++) {
        int number = numbers[g];
        Object v = objectOf[number];
        out[g] = v != null || number == nullId ? v : BigDecimal.valueOf(longOf[number], type.scale());
      }
      return Column.ofObjects(out, n);
    }
  }

  /**
   * Strings' and large decimals' numbers: open addressing with linear probing, no boxing; the value
   * met last is found without hashing (equal short strings of a scan are often the same String).
   */
  private static final class ObjectIds {
    private Object[] keys = new Object[64];
    private int[] ids = new int[64];
    private int size;
    private Object lastKey;
    private int lastId;

    /** The number of {@code key}, or -1. */
    int get(Object key) {
      if (key == lastKey) {
        return lastId;
      }
      int mask = keys.length - 1;
      for (int slot = spread(key.hashCode()) & mask; ; slot = (slot + 1) & mask) {
        Object k = keys[slot];
        if (k == null) {
          return -1;
        }
        if (k == key || k.equals(key)) {
          lastKey = key;
          lastId = ids[slot];
          return lastId;
        }
      }
    }

    /** Numbers a key that has none yet. */
    void put(Object key, int id) {
      if (2 * (size + 1) > keys.length) {
        Object[] oldKeys = keys;
        int[] oldIds = ids;
        keys = new Object[oldKeys.length * 2];
        ids = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
          if (oldKeys[i] != null) {
            insert(oldKeys[i], oldIds[i]);
          }
        }
      }
      insert(key, id);
      size++;
    }

    private void insert(Object key, int id) {
      int mask = keys.length - 1;
      int slot = spread(key.hashCode()) & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = key;
      ids[slot] = id;
    }

    private static int spread(int h) {
      int x = h * 0x9E3779B9; // similar strings ("key1", "key2") have close hashes
      return x ^ (x >>> 16);
    }
  }

  /** A growing array of ints. */
  private static final class IntList {
    int[] values = new int[16];
    int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }
}
