package dev.mallard.jdbc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.jdbc.CalcitePrepare.CalciteSignature;

/**
 * One connection's prepared plans, least recently used first out. A plan is valid for as long as
 * the lake's schema version is the one it was planned against: it reads whatever snapshot is
 * current when it runs, so new data needs no new plan, but a changed table does.
 */
final class PlanCache {
  /** What a plan depends on besides the data: the text, the default schema and the lake's schema version. */
  record Key(String sql, List<String> defaultSchemaPath, long schemaVersion) {}

  private final Map<Key, CalciteSignature<?>> plans;
  private long hits;
  private long misses;

  PlanCache(int capacity) {
    this.plans = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, CalciteSignature<?>> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized CalciteSignature<?> get(Key key) {
    CalciteSignature<?> plan = plans.get(key);
    if (plan == null) {
      misses++;
    } else {
      hits++;
    }
    return plan;
  }

  synchronized void put(Key key, CalciteSignature<?> plan) {
    plans.put(key, plan);
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }
}
