package dev.mallard.calcite;

import java.util.List;
import org.apache.calcite.plan.RelOptRule;

/** The rules that fold work into {@link DuckLakeTableScan}s. */
public final class DuckLakeRules {
  private DuckLakeRules() {}

  public static final DuckLakeFilterScanRule FILTER_SCAN = DuckLakeFilterScanRule.Config.DEFAULT.toRule();
  public static final DuckLakeProjectScanRule PROJECT_SCAN = DuckLakeProjectScanRule.Config.DEFAULT.toRule();

  public static final DuckLakeAggregateScanRule AGGREGATE_SCAN = DuckLakeAggregateScanRule.Config.DEFAULT.toRule();

  /** Writes to DuckLake tables; registered by {@link MallardPrepare} so that INSERT ... VALUES finds it. */
  public static final DuckLakeTableModifyRule TABLE_MODIFY =
      (DuckLakeTableModifyRule) DuckLakeTableModifyRule.DEFAULT_CONFIG.toRule();

  /** Time travel: a Snapshot over a scan (or over a projection of one) becomes a scan of that version. */
  public static final DuckLakeSnapshotScanRule SNAPSHOT_SCAN = DuckLakeSnapshotScanRule.Config.DEFAULT.toRule();
  public static final DuckLakeSnapshotScanRule SNAPSHOT_PROJECT_SCAN =
      DuckLakeSnapshotScanRule.Config.OVER_PROJECT.toRule();

  /** Pulls a term common to every branch of an OR out of it, so that joins on it can hash. */
  public static final FilterFactorOutRule FILTER_FACTOR_OUT = FilterFactorOutRule.Config.DEFAULT.toRule();

  public static final List<RelOptRule> RULES =
      List.of(FILTER_SCAN, PROJECT_SCAN, AGGREGATE_SCAN, SNAPSHOT_SCAN, SNAPSHOT_PROJECT_SCAN, FILTER_FACTOR_OUT);
}
