#!/usr/bin/env python3
"""load.py REGISTRY DB — read every record TOML of an InForce registry with tomllib into one
SQLite file (replacing DB). Python 3.11 standard library only.

Tables:
  documents(key, number, raw_number, title, title_key, issuer, level, rank, issued, published,
            effective, expires, validity, own_end, own_end_reason, is_notice, notice_effective,
            closed_list, issued_before, path)
  citations(citer, target, relation, number, title, evidence)
  facts(doc, event, outcome, by, by_title, site, date, until, quote)
  dispositions(notice, target, outcome, planned, effective, quote)
  notice_scope(notice, issuer)
A document's key is its canonical number, else 《title key》; a citation's or disposition's
target is the cited number, else 《title key》 of the cited title (common.title_key); a target by
title is pointed at the one numbered document with that title key, when exactly one has it.
issuers.toml and regions.toml are not read: the simple status uses no region rules.
"""

import argparse
import calendar
import datetime as dt
import os
import re
import sqlite3
import sys
import time
import tomllib

from common import document_key, title_key

SCHEMA = """
CREATE TABLE documents(
  key TEXT PRIMARY KEY, number TEXT, raw_number TEXT, title TEXT, title_key TEXT, issuer TEXT,
  level TEXT, rank TEXT, issued TEXT, published TEXT, effective TEXT, expires TEXT, validity TEXT,
  own_end TEXT, own_end_reason TEXT, is_notice INTEGER NOT NULL DEFAULT 0, notice_effective TEXT,
  closed_list INTEGER, issued_before TEXT, path TEXT NOT NULL);
CREATE TABLE citations(citer TEXT NOT NULL, target TEXT NOT NULL, relation TEXT NOT NULL,
  number TEXT, title TEXT, evidence TEXT);
CREATE TABLE facts(doc TEXT NOT NULL, event TEXT NOT NULL, outcome TEXT, by TEXT, by_title TEXT,
  site TEXT, date TEXT, until TEXT, quote TEXT);
CREATE TABLE dispositions(notice TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL,
  planned INTEGER NOT NULL DEFAULT 0, effective TEXT, quote TEXT, number TEXT, title TEXT);
CREATE TABLE notice_scope(notice TEXT NOT NULL, issuer TEXT NOT NULL);
CREATE TABLE load_info(name TEXT PRIMARY KEY, value TEXT);
"""

INDEXES = """
CREATE INDEX citations_target ON citations(target, relation, citer);
CREATE INDEX citations_citer ON citations(citer);
CREATE INDEX facts_doc ON facts(doc);
CREATE INDEX dispositions_target ON dispositions(target);
CREATE INDEX dispositions_notice ON dispositions(notice);
CREATE INDEX documents_title_key ON documents(title_key);
CREATE INDEX documents_path ON documents(path);
"""

BATCH = 10000  # records parsed between inserts: keeps memory flat

_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?$")


def iso(value):
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def add_period(start: dt.date, years: int, months: int) -> dt.date:
    total = start.month - 1 + months + 12 * years
    y, m = start.year + total // 12, total % 12 + 1
    return dt.date(y, m, min(start.day, calendar.monthrange(y, m)[1]))


def own_end(rec):
    """The first day the document's own text puts it out of force: the day after `expires`, or
    start + `validity` (start: effective, else published, else issued)."""
    expires = rec.get("expires")
    if isinstance(expires, dt.date):
        return (expires + dt.timedelta(days=1)).isoformat(), "expires"
    validity = rec.get("validity")
    start = rec.get("effective") or rec.get("published") or rec.get("issued")
    if isinstance(validity, str) and isinstance(start, dt.date):
        m = _PERIOD.match(validity)
        if m:
            return add_period(start, int(m.group(1) or 0), int(m.group(2) or 0)).isoformat(), "validity " + validity
    return None, None


def resolve_titles(conn):
    """A citation or disposition by title alone names the one numbered document with that title
    key, when exactly one has it (a law cited as 《城市绿化条例》 is 国务院令第100号), even when a
    title-only stub of it exists too. Returns how many rows were pointed at a number."""
    changed = 0
    for table in ("citations", "dispositions"):
        cur = conn.execute(f"""
            UPDATE {table} SET target = (
                SELECT d.key FROM documents d WHERE d.number IS NOT NULL
                   AND d.title_key = substr({table}.target, 2, length({table}.target) - 2))
             WHERE number IS NULL AND target LIKE '《%》'
               AND (SELECT COUNT(*) FROM documents d WHERE d.number IS NOT NULL
                     AND d.title_key = substr({table}.target, 2, length({table}.target) - 2)) = 1""")
        changed += cur.rowcount
    return changed


def record_files(registry):
    root = os.path.join(registry, "documents")
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.endswith(".toml"):
                yield os.path.join(dirpath, name)


def flush(conn, docs, cites, facts, disps, scopes):
    conn.executemany("INSERT INTO documents VALUES (" + ",".join("?" * 20) + ")", docs)
    conn.executemany("INSERT INTO citations VALUES (?,?,?,?,?,?)", cites)
    conn.executemany("INSERT INTO facts VALUES (?,?,?,?,?,?,?,?,?)", facts)
    conn.executemany("INSERT INTO dispositions VALUES (?,?,?,?,?,?,?,?)", disps)
    conn.executemany("INSERT INTO notice_scope VALUES (?,?)", scopes)
    return len(docs)


def load(registry, db, files=None):
    """Load every record (or only `files`, replacing their rows, into an existing DB)."""
    started = time.monotonic()
    fresh = files is None
    if fresh:
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = OFF" if fresh else "PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = OFF")
    if fresh:
        conn.executescript(SCHEMA)
    docs, cites, facts, disps, scopes = [], [], [], [], []
    problems, duplicates = [], []
    seen = set()
    documents, counted = 0, [0, 0, 0]  # documents; citations, facts, dispositions
    paths = list(record_files(registry)) if fresh else files
    for path in paths:
        rel = os.path.relpath(path, registry)
        try:
            with open(path, "rb") as f:
                rec = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as error:
            problems.append(f"{rel}: {error}")
            continue
        title = rec.get("title")
        if not isinstance(title, str):
            problems.append(f"{rel}: no title")
            continue
        key = document_key(rec.get("number"), title)
        if key in seen:
            duplicates.append(f"{rel}: {key}")
            continue
        seen.add(key)
        if not fresh:
            # The file's old rows (its key may have changed) and any rows under its new key.
            old = [row[0] for row in conn.execute("SELECT key FROM documents WHERE path = ?", (rel,))]
            for stale in set(old + [key]):
                for table, column in (("documents", "key"), ("citations", "citer"), ("facts", "doc"),
                                      ("dispositions", "notice"), ("notice_scope", "notice")):
                    conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (stale,))
        end, reason = own_end(rec)
        notice = rec.get("notice")
        docs.append((
            key, rec.get("number"), rec.get("raw_number"), title, title_key(title),
            rec.get("issuer"), rec.get("level"), rec.get("rank"), iso(rec.get("issued")), iso(rec.get("published")),
            iso(rec.get("effective")), iso(rec.get("expires")), rec.get("validity"), end, reason,
            1 if notice is not None else 0, iso(notice.get("effective")) if notice else None,
            (1 if notice.get("closed_list") else 0) if notice and "closed_list" in notice else None,
            iso(notice.get("issued_before")) if notice else None, rel))
        for c in rec.get("citations", []):
            if not (c.get("number") or c.get("title")) or not c.get("relation"):
                continue
            cites.append((key, document_key(c.get("number"), c.get("title")), c["relation"],
                          c.get("number"), c.get("title"), c.get("evidence")))
        for x in rec.get("facts", []):
            facts.append((key, x.get("event"), x.get("outcome"), x.get("by"), x.get("by_title"), x.get("site"),
                          iso(x.get("date")), iso(x.get("until")), x.get("quote")))
        if notice:
            for issuer in notice.get("scope_issuers", []):
                scopes.append((key, issuer))
            for x in notice.get("dispositions", []):
                if not (x.get("number") or x.get("title")):
                    continue
                disps.append((key, document_key(x.get("number"), x.get("title")), x.get("outcome"),
                              1 if x.get("planned") else 0, iso(x.get("effective")), x.get("quote"),
                              x.get("number"), x.get("title")))
        if len(docs) >= BATCH:
            documents += flush(conn, docs, cites, facts, disps, scopes)
            counted[0] += len(cites); counted[1] += len(facts); counted[2] += len(disps)
            docs, cites, facts, disps, scopes = [], [], [], [], []
    documents += flush(conn, docs, cites, facts, disps, scopes)
    counted[0] += len(cites); counted[1] += len(facts); counted[2] += len(disps)
    if fresh:
        conn.executescript(INDEXES)
    resolved = resolve_titles(conn)
    if fresh:
        conn.executemany("INSERT INTO load_info VALUES (?, ?)", [
            ("registry", os.path.abspath(registry)), ("loaded_at", dt.datetime.now(dt.timezone.utc).isoformat()),
            ("files", str(len(paths))), ("problems", str(len(problems))), ("duplicates", str(len(duplicates)))])
        conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    return {"files": len(paths), "documents": documents, "citations": counted[0], "facts": counted[1],
            "dispositions": counted[2], "resolved_titles": resolved, "problems": problems, "duplicates": duplicates,
            "seconds": round(time.monotonic() - started, 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("registry")
    parser.add_argument("db")
    parser.add_argument("--files", nargs="+", help="reload only these record files into an existing DB")
    args = parser.parse_args()
    summary = load(args.registry, args.db, args.files)
    for line in summary["problems"][:20]:
        print("problem:", line, file=sys.stderr)
    for line in summary["duplicates"][:20]:
        print("duplicate key (later file skipped):", line, file=sys.stderr)
    print(f"{summary['files']} files, {summary['documents']} documents, {summary['citations']} citations, "
          f"{summary['facts']} facts, {summary['dispositions']} dispositions ({summary['resolved_titles']} title citations "
          f"resolved to numbers), {len(summary['problems'])} problems, "
          f"{len(summary['duplicates'])} duplicate keys, {summary['seconds']} s", file=sys.stderr)
    return 1 if summary["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
