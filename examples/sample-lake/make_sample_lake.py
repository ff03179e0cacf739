"""Writes the sample lake that `java -jar mallard.jar demo` reads, with DuckDB's own ducklake extension.

Run from the repository root, with duckdb==1.5.5, duckdb-extensions, duckdb-extension-ducklake and
duckdb-extension-sqlite-scanner 1.5.5 installed:  python examples/sample-lake/make_sample_lake.py
Paths are stored relative (to the working directory, as DuckDB does), so the lake works in any clone.
"""
import shutil

import duckdb
from duckdb_extensions import import_extension

shutil.rmtree("examples/sample-lake/data", ignore_errors=True)
for f in ("examples/sample-lake/lake.sqlite",):
    shutil.rmtree(f, ignore_errors=True)

import_extension("ducklake")
import_extension("sqlite_scanner")
con = duckdb.connect()
con.execute("SET autoinstall_known_extensions=false")
con.execute("LOAD ducklake")
con.execute("LOAD sqlite_scanner")
con.execute("ATTACH 'ducklake:sqlite:examples/sample-lake/lake.sqlite' AS lake (DATA_PATH 'examples/sample-lake/data/')")
con.execute("USE lake")
con.execute("CREATE TABLE regions (region VARCHAR, manager VARCHAR)")
con.execute("INSERT INTO regions VALUES ('north', 'Ana'), ('south', 'Bo'), ('east', 'Chen'), ('west', 'Dee')")
con.execute("CREATE TABLE sales (id BIGINT, day DATE, region VARCHAR, amount DECIMAL(12,2))")
# One Parquet file per month.
for month in range(1, 7):
    con.execute(f"""INSERT INTO sales SELECT {month} * 10000 + i, DATE '2025-{month:02d}-01' + (i % 28)::INTEGER,
        ['north','south','east','west'][1 + (i % 4)::INTEGER], ((i * 37) % 1000)::DECIMAL(12,2) / 10 + 5
        FROM range(500) t(i)""")
# Small deletes and inserts stay in the catalog (DuckLake's data inlining).
con.execute("DELETE FROM sales WHERE id % 100 = 7")
con.execute("INSERT INTO sales VALUES (99001, DATE '2025-06-30', 'north', 123.45), (99002, DATE '2025-06-30', 'south', 67.89)")
