#!/usr/bin/env python3
"""impact.py DB KEY --as-of DATE — everything that cites KEY, directly or through others
(citations reversed; relations basis, implements, reference, amends, as `inforce impact` by
default), found with one recursive CTE, each with its depth (the shortest chain) and its simple
status on DATE (common.py). Prints one JSON object: {document, as_of, count, steps: [...]}.

The CTE's rows are (document, depth), so a cycle would repeat with growing depth; --max-depth
(default 64) bounds it, and the output says when the bound was reached. Cycles are not reported
and no path is given (InForce gives both)."""

import argparse
import json
import sys

from check import find
from common import IMPACT_RELATIONS, connect, simple_statuses


def impact(conn, key, as_of, max_depth=64):
    relations = ",".join(f"'{r}'" for r in IMPACT_RELATIONS)
    conn.execute("PRAGMA query_only = OFF")  # the temp table only; the DB file is not written
    conn.execute("CREATE TEMP TABLE reach(key TEXT PRIMARY KEY, depth INTEGER) WITHOUT ROWID")
    conn.execute(f"""
        INSERT INTO temp.reach
        WITH RECURSIVE walk(key, depth) AS (
            SELECT :k, 0
            UNION
            SELECT c.citer, w.depth + 1
              FROM walk w JOIN citations c ON c.target = w.key AND c.relation IN ({relations})
             WHERE w.depth < :max)
        SELECT key, MIN(depth) FROM walk WHERE key <> :k GROUP BY key""", {"k": key, "max": max_depth})
    capped = conn.execute("SELECT COUNT(*) FROM temp.reach WHERE depth >= ?", (max_depth,)).fetchone()[0]
    depth = dict(conn.execute("SELECT key, depth FROM temp.reach"))
    steps = [{"document": k, "title": title, "depth": depth[k], "status": status, "since": since}
             for k, title, status, since, _by, _kind in simple_statuses(conn, as_of, "{col} IN (SELECT key FROM temp.reach)")]
    steps.sort(key=lambda s: (s["depth"], s["document"]))
    return {"document": key, "as_of": as_of, "count": len(steps), "max_depth_reached": capped > 0, "steps": steps}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db")
    parser.add_argument("key")
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--max-depth", type=int, default=64)
    args = parser.parse_args()
    conn = connect(args.db)
    key = find(conn, args.key)
    if key is None:
        print(json.dumps({"document": args.key, "status": "not_found"}, ensure_ascii=False))
        return 2
    result = impact(conn, key, args.as_of, args.max_depth)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    counts = {}
    for step in result["steps"]:
        counts[step["status"]] = counts.get(step["status"], 0) + 1
    print(f"{result['count']} documents reached; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
