package dev.mallard.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupIds} against a hash map of lists of the key values, over chunks of random keys; the
 * strings of some chunks come from dictionaries (numbered by their codes).
 */
class GroupIdsTest {
  @Test
  void numbersEachCombinationOnceInOrderOfFirstAppearance() {
    Random random = new Random(11);
    VType[] types = {VType.LONG, VType.STRING, VType.decimal(2)};
    GroupIds ids = new GroupIds(types);
    Map<List<Object>, Integer> expected = new HashMap<>();
    List<List<Object>> groups = new ArrayList<>();
    // Two dictionaries the string column comes from in some chunks, each coding strings its own way.
    List<Map<Object, Integer>> dictionaries = List.of(new HashMap<>(), new HashMap<>());
    for (int chunk = 0; chunk < 60; chunk++) {
      int n = 1 + random.nextInt(200);
      long[] a = new long[n];
      boolean[] aNulls = new boolean[n];
      Object[] b = new Object[n];
      long[] c = new long[n];
      Object[] cBig = new Object[n];
      boolean bigChunk = chunk % 3 == 0; // the decimal column held as BigDecimals in some chunks
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        aNulls[i] = random.nextInt(10) == 0;
        a[i] = aNulls[i] ? random.nextLong() : random.nextInt(random.nextBoolean() ? 4 : 3000) - 2 + (random.nextBoolean() ? 0 : Long.MIN_VALUE / 2);
        b[i] = random.nextInt(8) == 0 ? null : "s" + random.nextInt(random.nextBoolean() ? 3 : 3000); // tables grow past their first size
        long unscaled = random.nextInt(3) * 150L;
        c[i] = unscaled;
        cBig[i] = random.nextInt(20) == 0 ? new BigDecimal("1e30") : BigDecimal.valueOf(unscaled, 2);
        Object cValue = bigChunk ? ((BigDecimal) cBig[i]).setScale(2) : BigDecimal.valueOf(unscaled, 2);
        rows.add(java.util.Arrays.asList(aNulls[i] ? null : a[i], b[i], cValue));
      }
      Column strings = Column.ofObjects(b, n);
      if (chunk % 4 == 1 || chunk % 4 == 2) {
        Map<Object, Integer> dictionary = dictionaries.get(chunk % 4 - 1);
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
          codes[i] = b[i] == null ? -1 : dictionary.computeIfAbsent(b[i], v -> dictionary.size() * 7 % 5000);
          b[i] = b[i] == null ? null : new String((String) b[i]); // equal to, not the same String as, the others
        }
        strings = Column.ofDictionaryStrings(b, codes, dictionary, n);
      }
      Column[] keys = {Column.ofLongs(a, aNulls, n), strings,
          bigChunk ? Column.ofObjects(cBig, n) : Column.ofLongs(c, null, n)};
      int[] got = ids.assign(keys, n);
      for (int i = 0; i < n; i++) {
        Integer id = expected.get(rows.get(i));
        if (id == null) {
          id = groups.size();
          expected.put(rows.get(i), id);
          groups.add(rows.get(i));
        }
        assertThat(got[i]).as("row %d of chunk %d: %s", i, chunk, rows.get(i)).isEqualTo(id);
      }
    }
    assertThat(ids.size()).isEqualTo(groups.size());
    for (int k = 0; k < types.length; k++) {
      Column column = ids.keyColumn(k);
      for (int g = 0; g < groups.size(); g++) {
        Object value = column.isNull(g) ? null : k == 2 ? column.decimal(g, 2).setScale(2) : column.boxed(g);
        assertThat(value).as("key %d of group %d", k, g).isEqualTo(groups.get(g).get(k));
      }
    }
  }
}
