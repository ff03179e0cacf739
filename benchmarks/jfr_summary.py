"""Where one thread's CPU samples go, from a JFR recording.

Usage: jfr print --events jdk.ExecutionSample --stack-depth 200 REC.jfr | python3 jfr_summary.py THREAD

Reads the text of `jfr print` and, for the samples of THREAD (e.g. mallard-query), prints
1. the top methods by self samples (the leaf frame), and
2. the share of samples whose stack contains each of a few markers (inclusive), which is how the
   time splits between planning, Parquet decoding, row conversion, joins and aggregation.
"""
import collections
import re
import sys

MARKERS = [
    ("planning (Calcite prepare, optimize, Janino compile)", r"CalcitePrepareImpl\.prepare|VolcanoPlanner|janino|EnumerableInterpretable\.toBindable"),
    ("Parquet reading (engine.parquet / parquet-java)", r"dev\.mallard\.engine\.parquet|org\.apache\.parquet"),
    ("scan to rows (ScanEnumerable / RowConverter)", r"RowConverter|ScanEnumerable"),
    ("hash join (EnumerableDefaults join / lookup)", r"EnumerableDefaults\.(hashJoin|join|semiJoin|antiJoin|hashEquiJoin)|EnumerableDefaults\$\d+\$\d+\.moveNext.*join|Linq4j.*lookup|EnumerableDefaults\.toLookup"),
    ("nested-loop join", r"nestedLoopJoin"),
    ("aggregation (groupBy / aggregate)", r"EnumerableDefaults\.(groupBy|aggregate)|groupByMultiple|sortedGroupBy|LazyAggregateLambdaFactory"),
    ("sorting", r"EnumerableDefaults\.(orderBy|sort)|TimSort|ComparableTimSort"),
    ("BigDecimal arithmetic", r"java\.math\.BigDecimal"),
    ("generated code (Baz)", r"^Baz"),
]


def main():
    thread = sys.argv[1]
    self_counts = collections.Counter()
    marker_counts = collections.Counter()
    total = 0
    sample_thread = None
    frames = None
    for line in sys.stdin:
        s = line.strip()
        if s.startswith("jdk.ExecutionSample"):
            sample_thread, frames = None, None
        elif s.startswith("sampledThread"):
            sample_thread = s.split('"')[1] if '"' in s else s
        elif s.startswith("stackTrace = ["):
            frames = []
        elif frames is not None and s == "]":
            if sample_thread == thread and frames:
                total += 1
                self_counts[frames[0]] += 1
                for name, pattern in MARKERS:
                    if any(re.search(pattern, f) for f in frames):
                        marker_counts[name] += 1
            frames = None
        elif frames is not None and s and not s.startswith("..."):
            frames.append(re.sub(r"\s+line:.*$", "", s))
    print("%d samples of thread %s" % (total, thread))
    print("\ninclusive share by marker:")
    for name, _ in MARKERS:
        print("  %5.1f%%  %s" % (100.0 * marker_counts[name] / max(total, 1), name))
    print("\ntop methods by self samples:")
    for frame, n in self_counts.most_common(25):
        print("  %5.1f%%  %s" % (100.0 * n / max(total, 1), frame))


if __name__ == "__main__":
    main()
