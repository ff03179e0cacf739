"""Warm timings of SQL in DuckDB with the ducklake extension, in DuckDB's own process.

Usage:
  python duckdb_bench.py queries CATALOG THREADS WARMUP REPETITIONS QUERY_FILE...
      Runs each query file WARMUP times untimed and REPETITIONS times timed (execute plus fetching
      every row, so parse and plan time are included). Prints one JSON object per query file on
      its own line: {"file": ..., "nanos": [...], "rows": n} or {"file": ..., "error": "..."}.
  python duckdb_bench.py point CATALOG WARMUP ITERATIONS SEED ROWS
      Runs "SELECT name, amount FROM points WHERE id = $1" as one prepared query with ids drawn
      uniformly below ROWS (seeded), timing each execution with fetching its row. Prints one line:
      "median_us=<n> rows=<total rows fetched>".
Both attach the DuckLake whose catalog is the SQLite file CATALOG read-only. Extensions load from
the venv's wheels; nothing is downloaded.
"""
import glob
import json
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


def attach(catalog, threads=None):
    con = duckdb.connect()
    con.execute("SET extension_directory = ?", [tempfile.mkdtemp(prefix="mallard-bench-ext-")])
    con.execute("SET autoinstall_known_extensions = false")
    for name in ("sqlite_scanner", "ducklake"):
        con.execute("LOAD '%s'" % extension(name).replace("'", "''"))
    if threads is not None:
        con.execute("SET threads = %d" % threads)
    con.execute("ATTACH 'ducklake:sqlite:%s' AS lake (READ_ONLY)" % catalog.replace("'", "''"))
    con.execute("USE lake")
    return con


def queries(catalog, threads, warmup, repetitions, *paths):
    con = attach(catalog, int(threads))
    for path in paths:
        with open(path, encoding="utf-8") as f:
            sql = f.read()
        try:
            rows = 0
            nanos = []
            for i in range(int(warmup) + int(repetitions)):
                start = time.perf_counter_ns()
                rows = len(con.execute(sql).fetchall())
                elapsed = time.perf_counter_ns() - start
                if i >= int(warmup):
                    nanos.append(elapsed)
            print(json.dumps({"file": path, "nanos": nanos, "rows": rows}), flush=True)
        except duckdb.Error as e:
            print(json.dumps({"file": path, "error": str(e)}), flush=True)


def point(catalog, warmup, iterations, seed, rows):
    con = attach(catalog)
    rng = random.Random(int(seed))
    sql = "SELECT name, amount FROM points WHERE id = $1"
    fetched = 0
    times = []
    for i in range(int(warmup) + int(iterations)):
        key = rng.randrange(int(rows))
        start = time.perf_counter_ns()
        result = con.execute(sql, [key]).fetchall()
        elapsed = time.perf_counter_ns() - start
        fetched += len(result)
        if i >= int(warmup):
            times.append(elapsed)
    print("median_us=%d rows=%d" % (statistics.median(times) // 1000, fetched))


if __name__ == "__main__":
    {"queries": queries, "point": point}[sys.argv[1]](*sys.argv[2:])
