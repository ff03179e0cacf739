"""Warm timings of SQL queries in DuckDB with the ducklake extension.

Usage: python duckdb_bench.py CATALOG THREADS WARMUP REPETITIONS QUERY_FILE...
Attaches the DuckLake whose catalog is the SQLite file CATALOG read-only, sets THREADS, then runs
each query file WARMUP times untimed and REPETITIONS times timed (execute plus fetching every row,
so parse and plan time are included). Prints one JSON object per query file on its own line:
{"file": ..., "nanos": [...], "rows": n} or {"file": ..., "error": "..."}.
Extensions load from the venv's wheels; nothing is downloaded.
"""
import glob
import json
import os
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
    catalog, threads, warmup, repetitions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    con = duckdb.connect()
    con.execute("SET extension_directory = ?", [tempfile.mkdtemp(prefix="mallard-bench-ext-")])
    con.execute("SET autoinstall_known_extensions = false")
    for name in ("sqlite_scanner", "ducklake"):
        con.execute("LOAD '%s'" % extension(name).replace("'", "''"))
    con.execute("SET threads = %d" % threads)
    con.execute("ATTACH 'ducklake:sqlite:%s' AS lake (READ_ONLY)" % catalog.replace("'", "''"))
    con.execute("USE lake")
    for path in sys.argv[5:]:
        with open(path, encoding="utf-8") as f:
            sql = f.read()
        try:
            rows = 0
            nanos = []
            for i in range(warmup + repetitions):
                start = time.perf_counter_ns()
                rows = len(con.execute(sql).fetchall())
                elapsed = time.perf_counter_ns() - start
                if i >= warmup:
                    nanos.append(elapsed)
            print(json.dumps({"file": path, "nanos": nanos, "rows": rows}), flush=True)
        except duckdb.Error as e:
            print(json.dumps({"file": path, "error": str(e)}), flush=True)


if __name__ == "__main__":
    main()
