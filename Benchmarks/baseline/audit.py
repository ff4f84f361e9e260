#!/usr/bin/env python3
"""audit.py DB --as-of DATE [--output FILE] — every document's simple status on DATE
(common.py) as one JSON document: {as_of, count, counts, documents: [{document, title, issuer,
status, since, by, kind}]}, written to FILE (default: standard output). No findings, no
evidence chains: that is the "simpler logic" of BENCHMARKS.md."""

import argparse
import json
import sys

from common import connect, simple_statuses


def audit(conn, as_of):
    issuers = dict(conn.execute("SELECT key, issuer FROM documents"))
    documents = [
        {"document": key, "title": title, "issuer": issuers.get(key), "status": status, "since": since, "by": by, "kind": kind}
        for key, title, status, since, by, kind in simple_statuses(conn, as_of)]
    counts = {}
    for d in documents:
        counts[d["status"]] = counts.get(d["status"], 0) + 1
    return {"as_of": as_of, "count": len(documents), "counts": dict(sorted(counts.items())), "documents": documents}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db")
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--output")
    args = parser.parse_args()
    report = audit(connect(args.db), args.as_of)
    text = json.dumps(report, ensure_ascii=False) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    print(f"{report['count']} documents: " + ", ".join(f"{k} {v}" for k, v in report["counts"].items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
