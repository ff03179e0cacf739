"""The DuckDB oracle behind dev.mallard.testing.DuckDb (Java).

One in-memory DuckDB connection with the ducklake extension (and every scanner extension
installed in this venv) loaded, driven over a line-delimited JSON protocol:

  stdin:  {"op": "execute" | "query", "sql": "..."}            one request per line
          {"op": ..., "sql": ..., "connection": "con1"}         on another connection of the same
                                                                database (made on first use)
          {"op": "close_connections"}                          closes those other connections
  stdout: {"ok": true, "columns": [...], "rows": [[...], ...]}  one response per line
          {"ok": false, "kind": "ParserException", "error": "<DuckDB's message>"}

The first line written is {"ok": true, "duckdb": "<version>", "extensions": [...]} once the
connection is ready. Standard input closing ends the process.

Values must reach Java exactly, so no value is ever a JSON number: the query's result is
projected through DuckDB so that every leaf whose Python form is not exact (dates, times,
timestamps, intervals, and any type this script does not know) becomes DuckDB's own VARCHAR
text, and the rest is written as strings too: integers and decimals as digits, doubles with
repr() ('inf', '-inf', 'nan', '-0.0'), blobs in base64. Each column carries a type tree
(id, DuckDB type name, children) that the Java side decodes by. Maps become lists of
[key, value] pairs, structs lists of field values in declaration order.

Standard library only, besides duckdb itself.
"""

import base64
import glob
import json
import os
import shutil
import sys
import sysconfig
import tempfile

import duckdb

# Leaf types whose Python values are exact; every other leaf goes through CAST(... AS VARCHAR).
PYTHON_EXACT = {
    "boolean", "tinyint", "smallint", "integer", "bigint", "hugeint",
    "utinyint", "usmallint", "uinteger", "ubigint", "uhugeint",
    "float", "double", "decimal", "varchar", "blob", "uuid",
}
REQUIRED_EXTENSIONS = ("ducklake", "sqlite_scanner")


def find_extensions():
    """Maps extension name to the .duckdb_extension file shipped in this venv for this DuckDB."""
    version_dir = "v" + duckdb.__version__
    roots = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    found = {}
    for root in sorted(roots):
        pattern = os.path.join(root, "duckdb_ext*", "**", "*.duckdb_extension")
        for path in glob.glob(pattern, recursive=True):
            if version_dir in path.split(os.sep):
                found[os.path.basename(path)[: -len(".duckdb_extension")]] = path
    return found


def connect(extension_dir):
    con = duckdb.connect()
    # Nothing is ever downloaded or written to ~/.duckdb: extensions load from the wheels' files.
    con.execute("SET extension_directory = ?", [extension_dir])
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET enable_progress_bar = false")
    # TIMESTAMPTZ arithmetic and text depend on the session time zone; pin it for every machine.
    con.execute("SET TimeZone = 'UTC'")
    extensions = find_extensions()
    missing = [name for name in REQUIRED_EXTENSIONS if name not in extensions]
    if missing:
        raise RuntimeError("extension files not found in the venv for DuckDB %s: %s"
                           % (duckdb.__version__, ", ".join(missing)))
    for name in sorted(extensions):
        con.execute("LOAD '%s'" % extensions[name].replace("'", "''"))
    return con, sorted(extensions)


def quote_ident(name):
    return '"' + name.replace('"', '""') + '"'


def quote_string(text):
    return "'" + text.replace("'", "''") + "'"


def type_tree(t):
    """The JSON description of a DuckDBPyType that the Java side decodes values by."""
    node = {"id": t.id, "type": str(t)}
    if t.id == "decimal":
        node["scale"] = dict(t.children)["scale"]
    elif t.id in ("list", "array"):
        node["child"] = type_tree(dict(t.children)["child"])
    elif t.id == "map":
        children = dict(t.children)
        node["key"] = type_tree(children["key"])
        node["value"] = type_tree(children["value"])
    elif t.id == "struct":
        node["fields"] = [{"name": name, "type": type_tree(child)} for name, child in t.children]
    return node


def convert(expr, node, depth=0):
    """SQL that turns expr (of the type node describes) into exact, Python-friendly values."""
    kind = node["id"]
    if kind in ("list", "array"):
        var = "__mallard_e%d" % depth
        return "list_transform(%s, lambda %s: %s)" % (expr, var, convert(var, node["child"], depth + 1))
    if kind == "map":
        var = "__mallard_e%d" % depth
        key = convert("struct_extract(%s, 'key')" % var, node["key"], depth + 1)
        value = convert("struct_extract(%s, 'value')" % var, node["value"], depth + 1)
        return ("list_transform(map_entries(%s), lambda %s: struct_pack(k := %s, v := %s))"
                % (expr, var, key, value))
    if kind == "struct":
        fields = ", ".join(
            "%s := %s" % (quote_ident(f["name"]),
                          convert("struct_extract(%s, %s)" % (expr, quote_string(f["name"])),
                                  f["type"], depth))
            for f in node["fields"])
        # struct_pack of a NULL struct would be a struct of NULLs: keep NULL apart.
        return "CASE WHEN (%s) IS NULL THEN NULL ELSE struct_pack(%s) END" % (expr, fields)
    if kind in PYTHON_EXACT:
        return expr
    return "CAST(%s AS VARCHAR)" % expr


def encode(value, node):
    """The JSON form of one converted Python value: strings, booleans, null and arrays only."""
    if value is None:
        return None
    kind = node["id"]
    if kind in ("list", "array"):
        return [encode(v, node["child"]) for v in value]
    if kind == "map":
        return [[encode(e["k"], node["key"]), encode(e["v"], node["value"])] for e in value]
    if kind == "struct":
        return [encode(value[f["name"]], f["type"]) for f in node["fields"]]
    if kind == "boolean":
        return bool(value)
    if kind in ("float", "double"):
        return repr(float(value))
    if kind == "blob":
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def run_query(con, sql):
    rel = con.sql(sql)
    if rel is None:  # a statement without a result, e.g. CREATE TABLE
        return {"ok": True, "columns": [], "rows": []}
    names = rel.columns
    trees = [type_tree(t) for t in rel.types]
    exprs = [convert("#%d" % (i + 1), tree) for i, tree in enumerate(trees)]
    if any(expr != "#%d" % (i + 1) for i, expr in enumerate(exprs)):
        rel = rel.project(", ".join(exprs))
    rows = [[encode(v, tree) for v, tree in zip(row, trees)] for row in rel.fetchall()]
    columns = [{"name": name, "type": tree} for name, tree in zip(names, trees)]
    return {"ok": True, "columns": columns, "rows": rows}


def handle(default, others, request):
    op = request.get("op")
    try:
        if op == "close_connections":
            for other in others.values():
                other.close()
            others.clear()
            return {"ok": True}
        con = default
        name = request.get("connection")
        if name:
            if name not in others:
                # A second connection to the same database: its own transactions and session settings.
                others[name] = default.cursor()
                others[name].execute("SET TimeZone = 'UTC'")
            con = others[name]
        if op == "execute":
            con.execute(request["sql"])
            return {"ok": True}
        if op == "query":
            return run_query(con, request["sql"])
        return {"ok": False, "kind": "ProtocolError", "error": "unknown op: %r" % (op,)}
    except duckdb.Error as e:
        return {"ok": False, "kind": type(e).__name__, "error": str(e)}
    except Exception as e:  # a bug here must still answer, or the Java side would wait forever
        return {"ok": False, "kind": "OracleError", "error": "%s: %s" % (type(e).__name__, e)}


def main():
    # Only protocol lines may reach the real stdout; anything else printed goes to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="ascii", newline="\n")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def send(message):
        out.write(json.dumps(message, ensure_ascii=True) + "\n")
        out.flush()

    extension_dir = tempfile.mkdtemp(prefix="mallard-duckdb-ext-")
    try:
        try:
            con, extensions = connect(extension_dir)
        except Exception as e:
            send({"ok": False, "kind": type(e).__name__, "error": str(e)})
            return 1
        send({"ok": True, "duckdb": duckdb.__version__, "extensions": extensions})
        others = {}
        for line in sys.stdin.buffer:
            if line.strip():
                send(handle(con, others, json.loads(line.decode("utf-8"))))
        con.close()
        return 0
    finally:
        shutil.rmtree(extension_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
