#!/usr/bin/env python3
"""check.py DB KEY --as-of DATE — the simple status of one document (see common.py), as JSON
with the evidence rows: the record's dates, every fact, every `repeals` citation of it, every
cleanup-notice disposition of it. Exit 0 in force, 1 not in force, 2 not found or unknown.

KEY is a canonical number (国办发〔1999〕1号) or a title (with or without 《》); numbers are
matched as written — the baseline does not canonicalise other spellings."""

import argparse
import json
import sys

from common import connect, document_key, endings_sql, simple_statuses


def find(conn, text):
    text = text.strip()
    row = conn.execute("SELECT key FROM documents WHERE key = ?", (text,)).fetchone()
    if row:
        return row[0]
    key = document_key(None, text)
    row = conn.execute("SELECT key FROM documents WHERE key = ?", (key,)).fetchone()
    if row:
        return row[0]
    row = conn.execute("SELECT key FROM documents WHERE title = ? OR title = ?", (text, text.strip("《》"))).fetchone()
    return row[0] if row else None


def check(conn, key, as_of):
    cols = ["key", "title", "status", "since", "by", "kind"]
    row = simple_statuses(conn, as_of, "{col} = :k", {"k": key}).fetchone()
    answer = dict(zip(cols, row))
    doc_cols = ["number", "title", "issuer", "level", "issued", "published", "effective", "expires", "validity",
                "own_end", "own_end_reason", "path"]
    doc = conn.execute(f"SELECT {', '.join(doc_cols)} FROM documents WHERE key = ?", (key,)).fetchone()
    answer["record"] = dict(zip(doc_cols, doc))
    ev_cols = ["key", "status", "day", "kind", "by", "quote"]
    answer["endings"] = [
        dict(zip(ev_cols, r), applies=(r[2] is None or r[2] <= as_of))
        for r in conn.execute("SELECT * FROM (" + endings_sql("{col} = :k") + ") ORDER BY day IS NULL, day", {"k": key})]
    answer["facts"] = [dict(zip(["event", "outcome", "by", "by_title", "site", "date", "until", "quote"], r)) for r in conn.execute(
        "SELECT event, outcome, by, by_title, site, date, until, quote FROM facts WHERE doc = ? ORDER BY date", (key,))]
    answer["dispositions"] = [dict(zip(["notice", "notice_title", "outcome", "planned", "day", "quote"], r)) for r in conn.execute(
        """SELECT x.notice, n.title, x.outcome, x.planned,
                  COALESCE(x.effective, n.notice_effective, n.effective, n.published, n.issued), x.quote
             FROM dispositions x JOIN documents n ON n.key = x.notice WHERE x.target = ? ORDER BY 5""", (key,))]
    answer["as_of"] = as_of
    return answer


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db")
    parser.add_argument("key")
    parser.add_argument("--as-of", required=True)
    args = parser.parse_args()
    conn = connect(args.db)
    key = find(conn, args.key)
    if key is None:
        print(json.dumps({"key": args.key, "status": "not_found"}, ensure_ascii=False))
        return 2
    answer = check(conn, key, args.as_of)
    print(json.dumps(answer, ensure_ascii=False, indent=2))
    return {"in_force": 0, "unknown": 2}.get(answer["status"], 1)


if __name__ == "__main__":
    sys.exit(main())
