"""Runs statements against a Mallard server with phoenixdb, Python's Avatica client.

Usage: python phoenix_client.py URL [USER PASSWORD] < statements

Each input line is a JSON object {"sql": "...", "params": [...]}. For each, the output is the
result's rows, one a line with cells separated by tabs, then a line "END <row count>"; or, when the
statement fails, one line "ERROR <message>". Cells are written as Rows.text in the Java tests writes
them: NULL, plain decimals, ISO dates, true/false.
"""
import datetime
import decimal
import json
import sys
import types

# phoenixdb imports gssapi and requests_gssapi at import time, for Kerberos (SPNEGO), which these
# tests do not use; gssapi only installs where a system Kerberos can be compiled against. Stand-ins
# let phoenixdb load without them.
for name in ("gssapi", "requests_gssapi"):
    try:
        __import__(name)
    except ImportError:
        stub = types.ModuleType(name)
        stub.HTTPSPNEGOAuth = type("HTTPSPNEGOAuth", (), {})
        sys.modules[name] = stub

import phoenixdb  # noqa: E402


def text(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v != v:
            return "NaN"  # as Java's Double.toString
        if v in (float("inf"), float("-inf")):
            return "Infinity" if v > 0 else "-Infinity"
        return format(decimal.Decimal(repr(v)).normalize(), "f")
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    s = str(v)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def main():
    url = sys.argv[1]
    kwargs = {"autocommit": True}
    if len(sys.argv) > 3:
        kwargs.update(authentication="BASIC", avatica_user=sys.argv[2], avatica_password=sys.argv[3])
    try:
        conn = phoenixdb.connect(url, **kwargs)
    except Exception as e:  # noqa: BLE001 - the test reads the message
        print("ERROR " + " ".join(str(e).split()))
        return
    with conn:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            try:
                cursor = conn.cursor()
                cursor.execute(request["sql"], request.get("params") or None)
                count = 0
                for row in cursor.fetchall():
                    print("\t".join(text(v) for v in row))
                    count += 1
                cursor.close()
                print("END %d" % count)
            except Exception as e:  # noqa: BLE001 - the test reads the message
                print("ERROR " + " ".join(str(e).split()))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
