"""What load.py, check.py, impact.py and audit.py share: the document key and the simple status.

Python 3.11 standard library only. The simple status, for a document on a day D:

  not_issued        D is before its issued (else published) day;
  repealed /        an ending event by D: a fact of the record (repeal, a disposition or a
  invalidated /     status note saying repealed/invalidated, an expiry), a later document's
  expired           `repeals` citation of it (from that document's effective, else published,
                    else issued day), a cleanup notice's decided (not planned) disposition
                    repealed/invalidated (from the disposition's effective day, else the
                    notice's), or its own end: `expires` (the last day in force), or its own
                    `validity` period counted from its effective/published/issued day;
                    the earliest such event wins;
  not_yet_in_force  its `effective` day is after D;
  in_force          otherwise, when the record has any date;
  unknown           a record with no date at all (a stub known only from a citation).
"""

import re
import sqlite3

IMPACT_RELATIONS = ("basis", "implements", "reference", "amends")

_VERSION_NOTE = re.compile(r"（([^（）]*)）$")
_COUNTRY = "中华人民共和国"


def title_key(title: str) -> str:
    """An approximation of InForce's TitleIdentity.key: 《》 dropped, inner marks written 〈〉,
    ASCII brackets full-width, a trailing version note （2019年修正） dropped, 中华人民共和国 dropped
    where it starts a title, spaces between CJK names written 、. It does not simplify
    traditional characters (InForce does)."""
    text = title.strip()
    if text.startswith("《") and text.endswith("》") and len(text) >= 2:
        text = text[1:-1].strip()
    out = []
    pending_space = False
    for ch in text:
        if ch.isspace() or ch == "\u3000":
            pending_space = True
            continue
        if pending_space:
            if out and _is_cjk(out[-1]) and _is_cjk(ch) and out[-1] != "、" and ch != "、":
                out.append("、")
            pending_space = False
        out.append({"《": "〈", "<": "〈", "＜": "〈", "〈": "〈", "》": "〉", ">": "〉", "＞": "〉", "〉": "〉",
                    "(": "（", ")": "）"}.get(ch, ch))
    key = "".join(out)
    while True:
        m = _VERSION_NOTE.search(key)
        if not m or m.start() == 0:
            break
        note = m.group(1)
        if any(c.isdigit() for c in note) and any(w in note for w in ("修正", "修订", "修改")) and len(note) <= 16:
            key = key[: m.start()].strip()
        else:
            break
    if key.startswith("〈") and key.endswith("〉") and key.find("〉") == len(key) - 1:
        key = key[1:-1]
    # 中华人民共和国 where it starts the title or a title inside it.
    res = []
    i = 0
    at_start = True
    while i < len(key):
        if at_start and key.startswith(_COUNTRY, i) and len(key) - i > len(_COUNTRY) and key[i + len(_COUNTRY)] != "〉":
            i += len(_COUNTRY)
        ch = key[i]
        res.append(ch)
        at_start = ch == "〈"
        i += 1
    key = "".join(res)
    return key or text


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def document_key(number, title) -> str:
    """The canonical number when there is one, else 《title key》 — what citations name."""
    if number:
        return number
    return "《" + title_key(title or "") + "》"


def connect(db: str) -> sqlite3.Connection:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -65536")
    return conn


# Every event that ends a document's force, as (key, status, day, kind, by, quote), where day is
# the first day it is no longer in force (NULL: undated, taken as applying). `{where_*}` narrow
# the rows to some keys (a temp table or one key); `?` placeholders are not used so the same text
# serves one document and all.
ENDINGS_SQL = """
SELECT f.doc AS key,
       CASE WHEN f.event = 'expiry' THEN 'expired'
            WHEN f.outcome = 'invalidated' THEN 'invalidated'
            ELSE 'repealed' END AS status,
       CASE WHEN f.event = 'expiry' THEN COALESCE(date(f.until, '+1 day'), f.date) ELSE f.date END AS day,
       'fact:' || f.event || CASE WHEN f.site IS NOT NULL THEN ' (third party: ' || f.site || ')' ELSE '' END AS kind,
       COALESCE(f.by, f.by_title) AS by, f.quote AS quote
  FROM facts f
 WHERE (f.event IN ('repeal', 'expiry') OR f.outcome IN ('repealed', 'invalidated')) {where_facts}
UNION ALL
SELECT c.target, 'repealed', COALESCE(d.effective, d.published, d.issued), 'citation:repeals', c.citer, c.evidence
  FROM citations c JOIN documents d ON d.key = c.citer
 WHERE c.relation = 'repeals' {where_citations}
UNION ALL
SELECT x.target, CASE x.outcome WHEN 'invalidated' THEN 'invalidated' ELSE 'repealed' END,
       COALESCE(x.effective, n.notice_effective, n.effective, n.published, n.issued),
       'disposition:' || x.outcome, x.notice, x.quote
  FROM dispositions x JOIN documents n ON n.key = x.notice
 WHERE x.outcome IN ('repealed', 'invalidated') AND x.planned = 0 {where_dispositions}
UNION ALL
SELECT d.key, 'expired', d.own_end, 'own:' || d.own_end_reason, d.key, NULL
  FROM documents d
 WHERE d.own_end IS NOT NULL {where_documents}
"""


def endings_sql(where_key: str = "") -> str:
    """The endings, narrowed by `where_key`, a condition on a column spelled {col} (for example
    "{col} = ?" or "{col} IN (SELECT key FROM temp.reach)")."""
    if not where_key:
        return ENDINGS_SQL.format(where_facts="", where_citations="", where_dispositions="", where_documents="")
    return ENDINGS_SQL.format(
        where_facts="AND " + where_key.format(col="f.doc"),
        where_citations="AND " + where_key.format(col="c.target"),
        where_dispositions="AND " + where_key.format(col="x.target"),
        where_documents="AND " + where_key.format(col="d.key"))


def simple_statuses(conn, as_of: str, where_key: str = "", params=None):
    """Rows (key, title, status, since, by, kind) — the simple status on `as_of` of every
    document, or of those `where_key` selects (a condition on {col}, see endings_sql, with named
    parameters in `params`). Two temp tables (dropped first) hold each document's earliest
    ending event by `as_of`, so the final join is by index."""
    params = dict(params or {}, d=as_of)
    conn.execute("PRAGMA query_only = OFF")  # temp tables only; the DB file is not written
    conn.execute("DROP TABLE IF EXISTS temp.first_ending")
    conn.execute(f"""
        CREATE TEMP TABLE first_ending AS
        SELECT key, status, day, kind, by FROM (
            SELECT key, status, day, kind, by,
                   ROW_NUMBER() OVER (PARTITION BY key ORDER BY day IS NULL, day) AS rn
              FROM ({endings_sql(where_key)})
             WHERE day IS NULL OR day <= :d)
         WHERE rn = 1""", params)
    conn.execute("CREATE UNIQUE INDEX temp.first_ending_key ON first_ending(key)")
    where = "WHERE " + where_key.format(col="doc.key") if where_key else ""
    return conn.execute(f"""
SELECT doc.key, doc.title,
       CASE WHEN COALESCE(doc.issued, doc.published) > :d THEN 'not_issued'
            WHEN e.status IS NOT NULL THEN e.status
            WHEN doc.effective > :d THEN 'not_yet_in_force'
            WHEN COALESCE(doc.issued, doc.published, doc.effective) IS NULL THEN 'unknown'
            ELSE 'in_force' END AS status,
       CASE WHEN COALESCE(doc.issued, doc.published) > :d THEN NULL
            WHEN e.status IS NOT NULL THEN e.day
            WHEN doc.effective > :d THEN NULL
            ELSE COALESCE(doc.effective, doc.published, doc.issued) END AS since,
       CASE WHEN COALESCE(doc.issued, doc.published) > :d THEN NULL ELSE e.by END AS by,
       CASE WHEN COALESCE(doc.issued, doc.published) > :d THEN NULL ELSE e.kind END AS kind
  FROM documents doc
  LEFT JOIN temp.first_ending e ON e.key = doc.key
 {where}
 ORDER BY doc.key""", params)
