#!/usr/bin/env python3
"""compare.py — InForce against the plain baseline (load.py, check.py, impact.py, audit.py), in
one command:

  python3 Benchmarks/baseline/compare.py --registry R --inforce PATH [--rounds 5]
          [--as-of 2023-06-01] [--watch] [--work DIR]

1. Builds the baseline's SQLite file from R, cold (timed: load.py reads every record), and
   finds the most-cited document there (citations counted by target).
2. Removes R/.inforce-cache and times InForce's cold first load (`inforce check` of that
   document). Neither cold run empties the kernel's page cache.
3. Runs interleaved rounds — InForce check, baseline check, InForce impact, baseline impact,
   InForce audit (--format json --output FILE), baseline audit — each under /usr/bin/time -v
   (wall seconds, max RSS), InForce first in odd rounds, the baseline first in even ones.
4. In each round, edits the title line of the document's record file to a new unique title and
   times the next `inforce check` (verifying it shows the new title); runs the baseline's check
   without a reload (it has no freshness: the answer is stale, which is reported) and with a
   reload of only that file (load.py --files, which presumes you know which file changed); then
   restores the file byte for byte and lets InForce see the restored file before timing again.
5. With --watch, starts `inforce watch --registry R` before the rounds and stops it (SIGINT,
   then SIGTERM) after, reporting its peak RSS and CPU time; fails clearly when the installed
   inforce has no such subcommand.
6. Prints a Markdown table of medians (largest peak RSS of the runs), the ranges, the counts,
   the date, the machine, the load average and the commands.

R is modified while this runs (its index is rebuilt; one record file is edited and restored);
run it on a generated registry, never on a registry you care about without a copy.
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable or "python3"


class Failure(Exception):
    pass


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def timed(argv, stdout_path, ok_codes=(0,), label=None, env=None):
    """Run argv under /usr/bin/time -v with stdout to a file; return (seconds, peak MB, rc)."""
    with tempfile.NamedTemporaryFile("w+", suffix=".time", delete=False) as tf:
        time_file = tf.name
    try:
        with open(stdout_path, "wb") as out, tempfile.TemporaryFile("w+b") as err:
            rc = subprocess.call(["/usr/bin/time", "-v", "-o", time_file] + argv, stdout=out, stderr=err, env=env)
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        with open(time_file) as f:
            report = f.read()
    finally:
        os.unlink(time_file)
    if rc not in ok_codes:
        raise Failure(f"{label or argv[0]} exited {rc}: {shlex.join(argv)}\n{stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", report).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1))
    return seconds, rss_kb / 1024, rc


def read_text(path, limit=None):
    with open(path, "rb") as f:
        data = f.read() if limit is None else f.read(limit)
    return data.decode("utf-8", "replace")


def most_cited(db):
    conn = sqlite3.connect(db)
    row = conn.execute("""
        SELECT c.target, COUNT(*) AS n, d.title FROM citations c JOIN documents d ON d.key = c.target
         GROUP BY c.target ORDER BY n DESC, c.target LIMIT 1""").fetchone()
    if row is None:
        raise Failure("the registry has no citation of a recorded document")
    # The edit test changes a title, which must not change the key: a numbered document.
    edit = conn.execute("""
        SELECT d.key, d.path, d.title FROM citations c JOIN documents d ON d.key = c.target
         WHERE d.number IS NOT NULL GROUP BY d.key ORDER BY COUNT(*) DESC, d.key LIMIT 1""").fetchone()
    conn.close()
    if edit is None:
        raise Failure("the registry has no cited numbered document to edit")
    return row[0], row[1], row[2], edit


def proc_stats(pid):
    """Peak RSS (MB) and CPU seconds of a running process, from /proc."""
    peak = None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None, None
    return peak, cpu


class Watcher:
    def __init__(self, inforce, registry, work, settle):
        self.argv = [inforce, "watch", "--registry", registry]
        self.log = os.path.join(work, "watch.log")
        self.settle = settle
        self.proc = None
        self.peak = self.cpu = None
        self.started = None

    def start(self):
        self.logfile = open(self.log, "wb")
        self.proc = subprocess.Popen(self.argv, stdout=self.logfile, stderr=subprocess.STDOUT, start_new_session=True)
        self.started = time.monotonic()
        deadline = time.monotonic() + self.settle
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        if self.proc.poll() is not None:
            self.logfile.close()
            raise Failure(f"`{shlex.join(self.argv)}` exited {self.proc.returncode} within {self.settle} s — "
                          f"this inforce has no working `watch` subcommand yet?\n{read_text(self.log)[-2000:]}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.peak, self.cpu = proc_stats(self.proc.pid)
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        self.logfile.close()


def fmt(seconds, mb):
    return f"{seconds:.2f} s, {mb:.0f} MB"


def summary(runs):
    walls = [r[0] for r in runs]
    return statistics.median(walls), max(r[1] for r in runs), min(walls), max(walls)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registry", required=True, help="the registry folder (modified while this runs)")
    parser.add_argument("--inforce", required=True, help="the inforce executable (a release build)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--as-of", default="2023-06-01")
    parser.add_argument("--watch", action="store_true", help="run `inforce watch --registry R` during the rounds")
    parser.add_argument("--watch-settle", type=float, default=5.0, help="seconds to let the watcher start (default 5)")
    parser.add_argument("--work", help="folder for the baseline DB and outputs (default: a new one under /tmp)")
    args = parser.parse_args()

    registry = os.path.abspath(args.registry)
    inforce = os.path.abspath(args.inforce)
    if not os.path.isdir(os.path.join(registry, "documents")):
        raise Failure(f"{registry} has no documents/ folder")
    if not os.access(inforce, os.X_OK):
        raise Failure(f"{inforce} is not executable")
    if not os.access("/usr/bin/time", os.X_OK):
        raise Failure("/usr/bin/time (GNU time) is needed for wall time and peak RSS")
    work = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="inforce-baseline-")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "baseline.db")
    out = lambda name: os.path.join(work, name)
    d = args.as_of
    load_before = loadavg()
    started = dt.datetime.now(dt.timezone.utc)
    version = subprocess.run([inforce, "--version"], capture_output=True, text=True).stdout.strip()
    log = lambda msg: print(f"[{dt.datetime.now().strftime('%H:%M:%S')} load {loadavg()}] {msg}", file=sys.stderr, flush=True)

    # 1. The baseline, cold, and the subject.
    log("baseline cold load (load.py)")
    base_cold = timed([PY, os.path.join(HERE, "load.py"), registry, db], out("load.out"), label="load.py")
    key, cited, subject_title, (edit_key, rel_path, original_title) = most_cited(db)
    record_path = os.path.join(registry, rel_path)
    log(f"most-cited document: {key} ({cited} citations); edit test on {edit_key}, {rel_path}")

    # 2. InForce, cold.
    shutil.rmtree(os.path.join(registry, ".inforce-cache"), ignore_errors=True)
    log("InForce cold load (check with no .inforce-cache)")
    inf_cold = timed([inforce, "check", "--registry", registry, key, "--as-of", d], out("inforce-cold.out"), ok_codes=(0, 1),
                     label="inforce check (cold)")

    commands = {
        ("check", "InForce"): [inforce, "check", "--registry", registry, key, "--as-of", d],
        ("check", "baseline"): [PY, os.path.join(HERE, "check.py"), db, key, "--as-of", d],
        ("impact", "InForce"): [inforce, "impact", "--registry", registry, key, "--as-of", d, "--format", "json"],
        ("impact", "baseline"): [PY, os.path.join(HERE, "impact.py"), db, key, "--as-of", d],
        ("audit", "InForce"): [inforce, "audit", "--registry", registry, "--as-of", d, "--format", "json", "--output", out("inforce-audit.json")],
        ("audit", "baseline"): [PY, os.path.join(HERE, "audit.py"), db, "--as-of", d, "--output", out("baseline-audit.json")],
    }
    # check exits 0 in force, 1 not in force, 2 status unknown (or not found: the output is checked).
    ok = {"check": (0, 1, 2), "impact": (0,), "audit": (0, 1)}
    edit_check = {
        "InForce": [inforce, "check", "--registry", registry, edit_key, "--as-of", d],
        "baseline": [PY, os.path.join(HERE, "check.py"), db, edit_key, "--as-of", d],
    }
    runs = {k: [] for k in commands}
    edit_runs = {"InForce": [], "baseline stale": [], "baseline reload": []}
    edit_notes = []
    counts = {}

    watcher = Watcher(inforce, registry, work, args.watch_settle) if args.watch else None
    with open(record_path, "rb") as f:
        original = f.read()
    try:
        if watcher:
            log("starting inforce watch")
            watcher.start()
        for r in range(1, args.rounds + 1):
            tools = ["InForce", "baseline"] if r % 2 == 1 else ["baseline", "InForce"]
            for op in ("check", "impact", "audit"):
                for tool in tools:
                    log(f"round {r}: {tool} {op}")
                    result = timed(commands[(op, tool)], out(f"{tool}-{op}.out"), ok_codes=ok[op], label=f"{tool} {op}")
                    runs[(op, tool)].append(result)
                if op == "check" and r == 1:
                    for tool in tools:
                        if subject_title not in read_text(out(f"{tool}-check.out")):
                            raise Failure(f"{tool} check did not answer for {key}:\n{read_text(out(f'{tool}-check.out'))[:2000]}")
                if op == "impact" and r == 1:
                    counts["impact"] = impact_counts(out("InForce-impact.out"), out("baseline-impact.out"))
                if op == "audit" and r == 1:
                    counts["audit"] = audit_counts(out("inforce-audit.json"), out("baseline-audit.json"))
            if watcher and not watcher.alive():
                raise Failure(f"inforce watch stopped during round {r}:\n{read_text(watcher.log)[-2000:]}")

            # 4. The first query after a one-line edit.
            new_title = f"{original_title}（基准编辑{r}-{os.getpid()}-{int(time.time())}）"
            edited = original.decode("utf-8").replace(f'title = "{original_title}"', f'title = "{new_title}"', 1)
            if edited.encode("utf-8") == original:
                raise Failure(f"could not find the title line in {record_path}")
            with open(record_path, "wb") as f:
                f.write(edited.encode("utf-8"))
            if watcher:
                time.sleep(1.0)  # the watcher's chance to notice, as a user's edit-then-ask would give it
            log(f"round {r}: edited {rel_path}; InForce check")
            result = timed(edit_check["InForce"], out("edit-inforce.out"), ok_codes=ok["check"], label="InForce check after edit")
            edit_runs["InForce"].append(result)
            if new_title not in read_text(out("edit-inforce.out")):
                edit_notes.append(f"round {r}: InForce's check after the edit did NOT show the new title")
            result = timed(edit_check["baseline"], out("edit-baseline-stale.out"), ok_codes=ok["check"], label="baseline check after edit")
            edit_runs["baseline stale"].append(result)
            stale_title = json.loads(read_text(out("edit-baseline-stale.out")))["title"]
            if stale_title == new_title:
                edit_notes.append(f"round {r}: the baseline without a reload showed the new title (unexpected)")
            reload = timed([PY, os.path.join(HERE, "load.py"), registry, db, "--files", record_path], out("edit-reload.out"), label="load.py --files")
            again = timed(edit_check["baseline"], out("edit-baseline-reload.out"), ok_codes=ok["check"], label="baseline check after reload")
            edit_runs["baseline reload"].append((reload[0] + again[0], max(reload[1], again[1]), 0))
            if json.loads(read_text(out("edit-baseline-reload.out")))["title"] != new_title:
                edit_notes.append(f"round {r}: the baseline after reloading the file did NOT show the new title")
            # Restore, byte for byte, and let both tools see the restored file (untimed).
            restore(record_path, original)
            subprocess.run([PY, os.path.join(HERE, "load.py"), registry, db, "--files", record_path], capture_output=True)
            if watcher:
                time.sleep(1.0)
            subprocess.run(edit_check["InForce"], capture_output=True)
    finally:
        if read_file_bytes(record_path) != original:
            restore(record_path, original)
        if watcher:
            log("stopping inforce watch")
            watcher.stop()
    load_after = loadavg()

    # 6. The table.
    print_report(args, registry, inforce, version, work, key, cited, edit_key, rel_path, base_cold, inf_cold, runs, edit_runs, edit_notes,
                 counts, watcher, commands, started, load_before, load_after)
    return 0


def read_file_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def restore(path, data):
    """Write the original bytes back (the modification time is now's: InForce sees a change)."""
    with open(path, "wb") as f:
        f.write(data)


def impact_counts(inforce_out, baseline_out):
    inf = json.loads(read_text(inforce_out))
    base = json.loads(read_text(baseline_out))
    inf_steps = {s["document"]: s for s in inf.get("steps", [])}
    base_steps = {s["document"]: s for s in base.get("steps", [])}
    recorded = sum(1 for s in inf_steps.values() if s.get("recorded", True))
    both = inf_steps.keys() & base_steps.keys()
    return {
        "inforce": len(inf.get("steps", [])), "inforce_recorded": recorded, "baseline": base["count"],
        "both": len(both), "only_inforce": len(inf_steps.keys() - base_steps.keys()),
        "only_baseline": len(base_steps.keys() - inf_steps.keys()),
        "same_depth": sum(1 for k in both if inf_steps[k]["depth"] == base_steps[k]["depth"]),
        "same_status": sum(1 for k in both if inf_steps[k]["status"] == base_steps[k]["status"]),
        "cycles": len(inf.get("cycles", [])),
        "inforce_statuses": tally(s["status"] for s in inf_steps.values()),
        "baseline_statuses": tally(s["status"] for s in base_steps.values()),
    }


def audit_counts(inforce_json, baseline_json):
    # The report object comes last (keys sorted): read the file's tail, not all of it.
    size = os.path.getsize(inforce_json)
    with open(inforce_json, "rb") as f:
        f.seek(max(0, size - (4 << 20)))
        tail = f.read().decode("utf-8", "replace")
    m = re.search(r'"countsByStatus"\s*:\s*(\{[^{}]*\})', tail)
    inf = json.loads(m.group(1)) if m else None
    with open(baseline_json, encoding="utf-8") as f:
        head = f.read(4096)
    b = re.search(r'"counts"\s*:\s*(\{[^{}]*\})', head)
    return {"inforce": inf, "baseline": json.loads(b.group(1)) if b else None,
            "inforce_bytes": os.path.getsize(inforce_json), "baseline_bytes": os.path.getsize(baseline_json)}


def tally(values):
    result = {}
    for v in values:
        result[v] = result.get(v, 0) + 1
    return dict(sorted(result.items()))


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) / 1024 / 1024
    except OSError:
        mem = 0
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{nproc} cores ({cpu}), {mem:.0f} GB, Linux {platform.release()} (`uname -r`), Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"


def print_report(args, registry, inforce, version, work, key, cited, edit_key, rel_path, base_cold, inf_cold, runs, edit_runs, edit_notes,
                 counts, watcher, commands, started, load_before, load_after):
    n = args.rounds
    rows = []
    rows.append(("cold first load (no derived data)", (inf_cold[0], inf_cold[1]), (base_cold[0], base_cold[1]),
                 "1 run each; InForce: `check` with no .inforce-cache; baseline: load.py (every record into SQLite, no query)"))
    notes = {
        "check": "",
        "impact": "",
        "audit": "baseline: simpler logic (no region rules, closed lists, findings or evidence chains)",
    }
    if "impact" in counts:
        c = counts["impact"]
        notes["impact"] = f"reached: InForce {c['inforce']:,}, baseline {c['baseline']:,} ({c['both']:,} in both)"
    for op, label in (("check", "warm `check` of the most-cited document"), ("impact", "`impact` of it"),
                      ("audit", "full audit, JSON to a file")):
        i = summary(runs[(op, "InForce")])
        b = summary(runs[(op, "baseline")])
        rows.append((label, (i[0], i[1]), (b[0], b[1]), notes[op] + (f"; median of {n}" if notes[op] else f"median of {n}")))
    ie = summary(edit_runs["InForce"])
    bs = summary(edit_runs["baseline stale"])
    br = summary(edit_runs["baseline reload"])
    rows.append(("first `check` after a one-line edit of its record" if edit_key == key else
                 f"first `check` of {edit_key} after a one-line edit of its record", (ie[0], ie[1]), (bs[0], bs[1]),
                 f"baseline has no freshness: its answer is STALE (old title); median of {n}"))
    rows.append(("… baseline told which file changed (load.py --files + check.py)", None, (br[0], br[1]),
                 f"the baseline cannot find the change itself; median of {n}"))

    print(f"## InForce against the plain baseline ({dt.date.today().isoformat()})\n")
    print(f"Registry `{registry}`; as of {args.as_of}; subject {key} (the most-cited document: {cited:,} citations; "
          f"edit test on {edit_key}, record `{rel_path}`). {n} interleaved rounds (InForce first in odd rounds, the baseline first in even ones), "
          f"each command under `/usr/bin/time -v`: median wall time, largest peak RSS."
          + (" `inforce watch` ran throughout the rounds." if watcher else ""))
    print()
    print(f"Machine: {machine()}. InForce {version} (`{inforce}`). Started {started.strftime('%Y-%m-%d %H:%M UTC')}; "
          f"load average (1, 5, 15 min) {load_before} before, {load_after} after.")
    print()
    print("| operation | InForce median (s, peak MB) | baseline median (s, peak MB) | InForce ÷ baseline (time) | notes |")
    print("|---|---|---|---|---|")
    for label, i, b, note in rows:
        ratio = f"{i[0] / b[0]:.2f}×" if i and b and b[0] > 0 else "—"
        print(f"| {label} | {fmt(*i) if i else '—'} | {fmt(*b) if b else '—'} | {ratio} | {note} |")
    if watcher:
        peak = f"{watcher.peak:.0f} MB peak" if watcher.peak is not None else "peak unknown"
        cpu = f"{watcher.cpu:.1f} s CPU" if watcher.cpu is not None else "CPU unknown"
        print(f"| `inforce watch` in the background | {peak}, {cpu} over the rounds | — | — | the baseline has no watcher |")
    print()
    print("Ranges (min–max wall seconds over the rounds):\n")
    for (op, tool), rs in runs.items():
        s = summary(rs)
        print(f"- {tool} {op}: {s[2]:.2f}–{s[3]:.2f} s ({', '.join(f'{r[0]:.2f}' for r in rs)})")
    for name, rs in edit_runs.items():
        s = summary(rs)
        print(f"- after edit, {name}: {s[2]:.2f}–{s[3]:.2f} s ({', '.join(f'{r[0]:.2f}' for r in rs)})")
    print()
    if "impact" in counts:
        c = counts["impact"]
        print(f"Impact counts: InForce {c['inforce']:,} steps ({c['inforce_recorded']:,} recorded, {c['cycles']} cycles), "
              f"baseline {c['baseline']:,}; {c['both']:,} in both, {c['only_inforce']:,} only InForce, {c['only_baseline']:,} only baseline; "
              f"same depth {c['same_depth']:,}, same status {c['same_status']:,}.")
        print(f"InForce statuses: {c['inforce_statuses']}; baseline statuses: {c['baseline_statuses']}.")
    if "audit" in counts:
        c = counts["audit"]
        print(f"Audit: InForce JSON {c['inforce_bytes'] / 1e6:.0f} MB, countsByStatus {c['inforce']}; "
              f"baseline JSON {c['baseline_bytes'] / 1e6:.0f} MB, counts {c['baseline']}.")
    if edit_notes:
        for note in edit_notes:
            print(f"- NOTE: {note}")
    else:
        print(f"Edit test: InForce's first check after each of the {n} edits showed the new title; the baseline without a "
              f"reload showed the old one every time, and after `load.py --files` the new one.")
    print()
    print("Commands (R = the registry, DB = the baseline's SQLite file, K = the subject):\n")
    print("```")
    print(shlex.join([PY, os.path.join(HERE, "compare.py")] + sys.argv[1:]))
    sub = lambda argv: shlex.join(argv).replace(registry, "R").replace(os.path.join(work, "baseline.db"), "DB").replace(key, "K")
    print("# cold: " + sub([PY, os.path.join(HERE, "load.py"), registry, os.path.join(work, "baseline.db")]))
    print("# cold: rm -rf R/.inforce-cache; " + sub(commands[("check", "InForce")]))
    for cmd in commands.values():
        print(sub(cmd))
    print("# edit: the title line of R/" + rel_path + " gains （基准编辑…）; then InForce check, baseline check, "
          + sub([PY, os.path.join(HERE, "load.py"), registry, os.path.join(work, "baseline.db"), "--files", "FILE"]) + " + baseline check; restored")
    if watcher:
        print("# background: " + sub(watcher.argv))
    print("```")
    print(f"\nOutputs kept in {work}.")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as error:
        print(f"compare.py: {error}", file=sys.stderr)
        sys.exit(1)
