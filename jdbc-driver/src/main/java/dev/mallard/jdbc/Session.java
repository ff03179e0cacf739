package dev.mallard.jdbc;

import dev.mallard.calcite.LakeContext;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the driver keeps for one open connection: its lake, its cache of prepared plans, and the
 * row limit of each statement as it last started executing.
 */
final class Session {
  /** Plans kept per connection; each holds generated code and its plan-time objects. */
  static final int PLAN_CACHE_SIZE = 128;

  private final LakeContext lake;
  private final PlanCache plans = new PlanCache(PLAN_CACHE_SIZE);
  /**
   * Keyed by the statement's cancel flag, the one object that both the statement (when it starts
   * executing) and the statement's DataContext (when its rows are computed) can name.
   */
  private final Map<AtomicBoolean, Long> maxRows = Collections.synchronizedMap(new WeakHashMap<>());

  /** Whether results must refuse timestamps finer than a millisecond (the remote server's protocol). */
  private volatile boolean millisecondTimestamps;

  Session(LakeContext lake) {
    this.lake = lake;
  }

  boolean millisecondTimestamps() {
    return millisecondTimestamps;
  }

  void refuseTimestampsFinerThanMilliseconds() {
    millisecondTimestamps = true;
  }

  LakeContext lake() {
    return lake;
  }

  PlanCache plans() {
    return plans;
  }

  /**
   * Whether plans may be reused now. Inside an explicit transaction a statement may see schema
   * changes of its own that the catalog's schema version does not show yet, so plans are made
   * afresh there.
   */
  boolean reusesPlans() {
    return lake.autoCommit();
  }

  /** The schema version statements are planned against now. */
  long schemaVersion() {
    return lake.catalog().currentSnapshot().schemaVersion();
  }

  /** Called as a statement starts executing, with its cancel flag and its {@code getLargeMaxRows()}. */
  void executionStarts(AtomicBoolean cancelFlag, long statementMaxRows) {
    maxRows.put(cancelFlag, statementMaxRows);
  }

  /** The row limit of the statement that owns {@code cancelFlag}; 0 means none. */
  long maxRows(AtomicBoolean cancelFlag) {
    Long n = cancelFlag == null ? null : maxRows.get(cancelFlag);
    return n == null ? 0 : n;
  }
}
