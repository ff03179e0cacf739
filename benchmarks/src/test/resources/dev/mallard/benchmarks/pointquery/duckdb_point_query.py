"""Median latency of a reused prepared point query in DuckDB with the ducklake extension.

Usage: python duckdb_point_query.py CATALOG WARMUP ITERATIONS SEED
Attaches the DuckLake whose catalog is the SQLite file CATALOG read-only, then runs
"SELECT name, amount FROM points WHERE id = ?" with uniformly drawn ids (seeded), timing each
execution with fetching its row. Prints one line: "median_us=<n> rows=<total rows fetched>".
Extensions load from the venv's wheels; nothing is downloaded.
"""
import glob
import os
import random
import statistics
import sys
import sysconfig
import tempfile
import time

import duckdb


def extension(name):
    version_dir = "v" + duckdb.__version__
    for root in sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}):
        for path in glob.glob(os.path.join(root, "duckdb_ext*", "**", name + ".duckdb_extension"), recursive=True):
            if version_dir in path.split(os.sep):
                return path
    raise RuntimeError("no %s extension for DuckDB %s in this venv" % (name, duckdb.__version__))


def main():
    catalog, warmup, iterations, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    con = duckdb.connect()
    con.execute("SET extension_directory = ?", [tempfile.mkdtemp(prefix="mallard-bench-ext-")])
    con.execute("SET autoinstall_known_extensions = false")
    for name in ("sqlite_scanner", "ducklake"):
        con.execute("LOAD '%s'" % extension(name).replace("'", "''"))
    con.execute("ATTACH 'ducklake:sqlite:%s' AS lake (READ_ONLY)" % catalog.replace("'", "''"))
    con.execute("USE lake")
    rows = int(sys.argv[5])
    rng = random.Random(seed)
    sql = "SELECT name, amount FROM points WHERE id = $1"
    fetched = 0
    times = []
    for i in range(warmup + iterations):
        key = rng.randrange(rows)
        start = time.perf_counter_ns()
        result = con.execute(sql, [key]).fetchall()
        elapsed = time.perf_counter_ns() - start
        fetched += len(result)
        if i >= warmup:
            times.append(elapsed)
    print("median_us=%d rows=%d" % (statistics.median(times) // 1000, fetched))


if __name__ == "__main__":
    main()
