#!/usr/bin/env python3
"""One record of a bench suite run (bench/run_all.sh), and the table of targets.

Reads what the run left: the Google Benchmark JSON of each micro suite, and the records the
e2e scripts wrote into the run directory (dedup.json, borrow.json, stories-vs-sklearn-N.json,
copydesk-N-time.txt, report.json). Writes RUN_DIR/suite.json with the machine, the commit, each
micro benchmark's headline numbers, the e2e records, and `targets`: every speed and accuracy
target of issues 2-5 (and the suite's own 10-minute budget) with the measured value, the target,
the ratio (>= 1 means met: measured/target for a floor, target/measured for a ceiling) and `met`.
Files older than the run are ignored, so a target is either measured in this run or null.

Usage: suite_record.py [options] RUN_DIR        (run_all.sh passes the options)
       suite_record.py --print RUN_DIR/suite.json   (the table again)
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import subprocess
import sys

MB = 1024  # /usr/bin/time reports KiB; "MB" in these records is KiB / 1024, as the e2e scripts use

# id, issue, what, step, size key, size the target is stated for, comparison, target, unit
TARGETS = [
    ("signature_vs_speed_of_light", 2, "dedup: text -> signature vs speed_of_light (b), 1 thread",
     "dedup", "dedup", 100000, ">=", 0.9, "x"),
    ("dedup_wall", 2, "dedup: wall, 2 threads", "dedup", "dedup", 100000, "<=", 3.0, "s"),
    ("dedup_rss", 2, "dedup: peak RSS", "dedup", "dedup", 100000, "<=", 600, "MB"),
    ("dedup_recall", 2, "dedup: recall of true pairs, Jaccard >= 0.8", "dedup", "dedup", 100000,
     ">=", 0.99, ""),
    ("dedup_precision", 2, "dedup: precision, Jaccard >= 0.8", "dedup", "dedup", 100000, ">=",
     0.99, ""),
    ("borrow_wall", 3, "borrow: copies vs 1 reference, wall, 2 threads", "borrow", "borrow",
     10000, "<=", 2.0, "s"),
    ("stories_speedup", 4, "stories: speed-up over scikit-learn", "stories", "stories", 10000,
     ">=", 20.0, "x"),
    ("stories_pair_recall", 4, "stories: share of scikit-learn's exact pairs found", "stories",
     "stories", 10000, ">=", 0.99, ""),
    ("stories_large_wall", 4, "stories alone: wall, 2 threads", "stories-large", "stories_large",
     100000, "<=", 60.0, "s"),
    ("stories_large_rss", 4, "stories alone: peak RSS", "stories-large", "stories_large", 100000,
     "<=", 2048, "MB"),
    ("stories_large_recall", 4, "stories alone: pairs found vs exact (5,000 sampled docs)",
     "stories-large", "stories_large", 100000, ">=", 0.99, ""),
    ("report_wall", 5, "report: wall, 2 threads", "report", "report", 10000, "<=", 5.0, "s"),
    ("report_html", 5, "report: HTML size", "report", "report", 10000, "<", 20.0, "MB"),
    ("suite_wall", 6, "bench suite: wall", "suite", None, None, "<=", 600.0, "s"),
]

ALL_STEPS = {"micro", "dedup", "borrow", "stories", "stories-large", "report"}

STANDARD_KEYS = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
    "bytes_per_second", "items_per_second", "error_occurred", "error_message", "label",
    "aggregate_name", "aggregate_unit",
}


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def fresh(path, since):
    """True if `path` exists and was written during this run."""
    try:
        return os.path.getmtime(path) >= since - 1
    except OSError:
        return False


def parse_time_v(path):
    """Wall seconds, peak RSS (MB), user and system seconds from a `/usr/bin/time -v` report;
    None if the report is incomplete."""
    try:
        return _parse_time_v(open(path, encoding="utf-8").read())
    except (OSError, AttributeError, TypeError, ValueError):
        return None


def _parse_time_v(text):
    def field(name):
        m = re.search(re.escape(name) + r":\s*(\S+)", text)
        return m.group(1) if m else None
    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    return {"wall_s": round(secs, 2),
            "peak_rss_MB": round(int(field("Maximum resident set size (kbytes)")) / MB, 1),
            "user_s": float(field("User time (seconds)")),
            "system_s": float(field("System time (seconds)"))}


def micro_headlines(micro_dir):
    """{stage: {"benchmarks": {name: headline}, ...}} from Google Benchmark JSON files."""
    out = {}
    for path in sorted(glob.glob(os.path.join(micro_dir, "*.json"))):
        stage = os.path.splitext(os.path.basename(path))[0]
        data = load_json(path)
        if data is None:
            out[stage] = {"error": "no JSON output (the suite crashed?)"}
            continue
        ctx = data.get("context", {})
        benches = {}
        for b in data.get("benchmarks", []):
            if b.get("run_type") == "aggregate":
                continue
            if b.get("error_occurred"):
                benches[b["name"]] = {"error": b.get("error_message", "")}
                continue
            h = {"real_time": round(b["real_time"], 4), "cpu_time": round(b["cpu_time"], 4),
                 "time_unit": b["time_unit"], "iterations": b["iterations"]}
            if "bytes_per_second" in b:
                h["MB_per_s"] = round(b["bytes_per_second"] / 1e6, 2)
            if "items_per_second" in b:
                h["items_per_s"] = round(b["items_per_second"], 1)
            for k, v in b.items():
                if k not in STANDARD_KEYS and isinstance(v, (int, float)):
                    h[k] = round(v, 4)
            benches[b["name"]] = h
        # Throughputs are per CPU second unless the name ends in /real_time (Google Benchmark's
        # rule), which keeps them steadier than wall times on a shared machine.
        out[stage] = {"google_benchmark_library_build": ctx.get("library_build_type"),
                      "cpu_scaling_enabled": ctx.get("cpu_scaling_enabled"),
                      "benchmarks": benches}
    return out


def machine():
    cpu, procs = None, 0
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name") and cpu is None:
                cpu = line.split(":", 1)[1].strip()
            if line.startswith("processor"):
                procs += 1
    mem = None
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {"cpu": cpu, "cores": os.cpu_count(), "processors_in_cpuinfo": procs,
            "memory_GiB": mem, "arch": platform.machine()}


def git_info():
    def git(*args):
        return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()
    # The suite's own output (bench/results) does not make the measured code dirty.
    changed = [l for l in git("status", "--porcelain", "--untracked-files=no", "--", ".",
                              ":(exclude)bench/results").splitlines() if l]
    return {"commit": git("rev-parse", "HEAD") or None,
            "subject": git("log", "-1", "--format=%s") or None,
            "dirty": bool(changed), "modified_tracked_files": len(changed)}


def compiler(build_dir):
    for path in glob.glob(os.path.join(build_dir, "CMakeFiles", "*", "CMakeCXXCompiler.cmake")):
        text = open(path, encoding="utf-8").read()
        cid = re.search(r'set\(CMAKE_CXX_COMPILER_ID "([^"]*)"\)', text)
        ver = re.search(r'set\(CMAKE_CXX_COMPILER_VERSION "([^"]*)"\)', text)
        if cid and ver:
            return f"{cid.group(1)} {ver.group(1)}"
    return None


def measure(run_dir, since, sizes, seconds):
    """The e2e records of this run and {target id: (value, note)}."""
    e2e, values = {}, {}

    p = os.path.join(run_dir, "dedup.json")
    if fresh(p, since) and (d := load_json(p)):
        e2e["dedup"] = d
        values["signature_vs_speed_of_light"] = d.get("signature_vs_speed_of_light_b")
        values["dedup_wall"] = d.get("dedup_wall_s")
        values["dedup_rss"] = d.get("dedup_peak_rss_MB")
        values["dedup_recall"] = d.get("accuracy", {}).get("recall")
        values["dedup_precision"] = d.get("accuracy", {}).get("precision")

    p = os.path.join(run_dir, "borrow.json")
    if fresh(p, since) and (d := load_json(p)):
        e2e["borrow"] = d
        walls = [d.get("wall_s_table"), d.get("wall_s_json")]
        if None not in walls:
            values["borrow_wall"] = max(walls)

    n = sizes.get("stories")
    p = os.path.join(run_dir, f"stories-vs-sklearn-{n}.json")
    if fresh(p, since) and (d := load_json(p)):
        e2e["stories"] = d
        values["stories_speedup"] = d.get("speedup")
        if d.get("pairs_sklearn"):
            values["stories_pair_recall"] = round(d["pairs_both"] / d["pairs_sklearn"], 4)
    p = os.path.join(run_dir, f"copydesk-{n}-time.txt")
    if fresh(p, since) and "stories" in e2e:
        e2e["stories"]["copydesk_time"] = parse_time_v(p)

    n = sizes.get("stories_large")
    p = os.path.join(run_dir, f"copydesk-{n}-time.txt")
    if fresh(p, since) and (t := parse_time_v(p)):
        e2e["stories_large"] = {"docs": n, "threads": 2,
                                "command": "copydesk stories -j 2 --pairs --format json -o FILE "
                                           "corpus.jsonl (gen_corpus.py --seed 1 --no-txt)", **t}
        values["stories_large_wall"] = t["wall_s"]
        values["stories_large_rss"] = t["peak_rss_MB"]
    p = os.path.join(run_dir, f"stories-recall-{n}.json")
    if fresh(p, since) and (d := load_json(p)):
        e2e["stories_large_recall"] = d
        values["stories_large_recall"] = d.get("pairs", {}).get("recall")

    p = os.path.join(run_dir, "report.json")  # written by bench/e2e/report_speed.sh
    if fresh(p, since) and (d := load_json(p)):
        e2e["report"] = d
        values["report_wall"] = d.get("wall_s")
        values["report_html"] = d.get("html_MB")

    values["suite_wall"] = round(seconds, 1)
    return e2e, values


def evaluate(values, sizes, steps, quick):
    # The suite's own budget applies to a full run of every step.
    full_run = not quick and ALL_STEPS <= set(steps)
    targets = []
    for tid, issue, what, step, size_key, target_size, op, target, unit in TARGETS:
        v = values.get(tid)
        size = sizes.get(size_key) if size_key else None
        t = {"id": tid, "issue": issue, "what": what, "op": op, "target": target, "unit": unit,
             "measured": v, "ratio": None, "met": None,
             "size": size, "target_size": target_size,
             "comparable": (size == target_size) if size_key else full_run}
        if v is None:
            status = steps.get(step, "not run")
            t["note"] = f"not measured (step {step}: {status})"
        else:
            if op == ">=":
                t["met"] = v >= target
                t["ratio"] = round(v / target, 3)
            else:
                t["met"] = v <= target if op == "<=" else v < target
                t["ratio"] = round(target / v, 3) if v > 0 else None
        targets.append(t)
    return targets


def fmt(v, unit):
    """Three significant digits or so, never rounding a small time to 0."""
    if v is None:
        return "-"
    if isinstance(v, int):
        s = str(v)
    elif unit in ("", "x") and abs(v) < 10:
        s = f"{v:.4f}".rstrip("0").rstrip(".")
    elif abs(v) < 10:
        s = f"{v:.2f}"
    elif abs(v) < 1000:
        s = f"{v:.1f}"
    else:
        s = f"{v:.0f}"
    return f"{s} {unit}".strip()


def print_table(rec, out=sys.stderr):
    quick = rec["quick"]
    m = rec["machine"]
    print(file=out)
    print(f"bench suite {rec['run']}: {m['cpu']}, {m['cores']} cores; commit "
          f"{(rec['git']['commit'] or '?')[:12]}{' (dirty tree)' if rec['git']['dirty'] else ''}; "
          f"{rec['seconds']:.0f} s; load average {rec['load_average']['start']} -> "
          f"{rec['load_average']['end']}", file=out)
    if quick:
        print("QUICK RUN: small corpora; '*' marks values measured at another size than the "
              "target's, so their 'met' is no verdict.", file=out)
    elif max(rec["load_average"]["start"], rec["load_average"]["end"]) > m["cores"]:
        print("WARNING: the machine was busy (load average above the core count); "
              "wall times are inflated.", file=out)
    rows = [("issue", "target", "docs", "measured", "target", "ratio", "met")]
    for t in rec["targets"]:
        met = "-" if t["met"] is None else ("yes" if t["met"] else "NO")
        if t["met"] is not None and not t["comparable"]:
            met += "*"
        size = "" if t["size"] is None else str(t["size"])
        if t["size"] is not None and t["size"] != t["target_size"]:
            size += f" (target: {t['target_size']})"
        rows.append((str(t["issue"]), t["what"], size, fmt(t["measured"], t["unit"]),
                     f"{t['op']} {t['target']:g} {t['unit']}".strip(),
                     "-" if t["ratio"] is None else f"{t['ratio']:.2f}", met))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.rjust(w) if i in (2, 3, 5) else c.ljust(w)
                        for i, (c, w) in enumerate(zip(r, widths))).rstrip(), file=out)
    missing = [t for t in rec["targets"] if t["measured"] is None]
    for t in missing:
        print(f"  {t['id']}: {t['note']}", file=out)
    measured = [t for t in rec["targets"] if t["met"] is not None]
    met = sum(1 for t in measured if t["met"])
    print(f"{met} of {len(measured)} measured targets met; {len(missing)} not measured. "
          f"Micro benchmarks: {sum(len(s.get('benchmarks', {})) for s in rec['micro'].values())} "
          f"in {len(rec['micro'])} suites.", file=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run_dir")
    ap.add_argument("--print", action="store_true", help="print the table of an existing record")
    ap.add_argument("--out")
    ap.add_argument("--run-name")
    ap.add_argument("--quick", type=int, default=0)
    ap.add_argument("--micro-dir")
    ap.add_argument("--steps")
    ap.add_argument("--sizes", default="")
    ap.add_argument("--seconds", type=float, default=0.0)
    ap.add_argument("--min-time")
    ap.add_argument("--load", default="0,0")
    ap.add_argument("--build-dir", default="")
    a = ap.parse_args()

    if a.print:
        print_table(load_json(a.run_dir), out=sys.stdout)
        return 0

    sizes = {k: int(v) for k, v in (kv.split("=") for kv in a.sizes.split(",") if kv)}
    steps, step_list = {}, []
    if a.steps:
        for line in open(a.steps, encoding="utf-8"):
            name, status, secs = line.rstrip("\n").split("\t")
            steps[name] = status
            step_list.append({"step": name, "status": status, "seconds": float(secs)})
    since = datetime.datetime.now().timestamp() - a.seconds
    e2e, values = measure(a.run_dir, since, sizes, a.seconds)
    load = [float(x) for x in a.load.split(",")]
    rec = {
        "record": "copydesk bench suite",
        "version": 1,
        "run": a.run_name or os.path.basename(os.path.abspath(a.run_dir)),
        "quick": bool(a.quick),
        "note": ("--quick smoke run: small corpora, short benchmark times; these numbers test "
                 "the machinery and are not results.") if a.quick else None,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average": {"start": load[0], "end": load[1]},
        "git": git_info(),
        "build": {"type": "Release", "native": False, "compiler": compiler(a.build_dir)},
        "seconds": round(a.seconds, 1),
        "sizes": sizes,
        "benchmark_min_time_s": float(a.min_time) if a.min_time else None,
        "steps": step_list,
        "targets": evaluate(values, sizes, steps, a.quick),
        "micro": micro_headlines(a.micro_dir) if a.micro_dir else {},
        "e2e": e2e,
    }
    out = a.out or os.path.join(a.run_dir, "suite.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(rec, f, indent=1)
        f.write("\n")
    print_table(rec)
    rel = os.path.relpath(out)
    print(f"record: {out if rel.startswith('..') else rel}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
