#!/usr/bin/env python3
"""Time a command: wall clock and peak resident memory (standard library only).

    python3 bench/measure.py --label cat --repeat auto --json out.json -- CMD ARGS...

Each run goes through `/usr/bin/time -v` when that exists (its "Maximum
resident set size" is the largest RSS of any process in the command's tree);
otherwise a small Python parent runs the command and reads
resource.getrusage(RUSAGE_CHILDREN). Wall time is measured here around the
whole run. `--repeat auto` runs once and, when that took less than
--fast-limit seconds, twice more, and reports the median of the runs.
Exit codes listed in --ok (default 0) count as success; anything else stops
with exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

GNU_TIME = "/usr/bin/time"

_FALLBACK = r"""
import resource, subprocess, sys, json
rc = subprocess.call(sys.argv[2:], stdout=open(sys.argv[1], 'wb') if sys.argv[1] != '-' else None)
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": rc, "max_rss_kb": kb}), file=sys.stderr)
"""


def run_once(cmd: list[str], stdout_path: str | None) -> dict:
    """One timed run: {'wall': seconds, 'max_rss_kb': int, 'rc': int, 'stderr': str}."""
    use_gnu = os.path.exists(GNU_TIME)
    with tempfile.NamedTemporaryFile("w+", suffix=".time", delete=False) as tf:
        tfile = tf.name
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    try:
        if use_gnu:
            full = [GNU_TIME, "-v", "-o", tfile] + cmd
            t0 = time.perf_counter()
            p = subprocess.run(full, stdout=out, stderr=subprocess.PIPE)
            wall = time.perf_counter() - t0
            with open(tfile, encoding="utf-8", errors="replace") as fh:
                report = fh.read()
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
            rss = int(m.group(1)) if m else -1
            m = re.search(r"Exit status: (\d+)", report)
            rc = int(m.group(1)) if m else p.returncode
            if "Command terminated by signal" in report:
                rc = p.returncode if p.returncode else 128
        else:
            full = [sys.executable, "-c", _FALLBACK, stdout_path or "-"] + cmd
            t0 = time.perf_counter()
            p = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            wall = time.perf_counter() - t0
            last = p.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            info = json.loads(last[0]) if last and last[0].startswith("{") else {}
            rss = int(info.get("max_rss_kb", -1))
            rc = int(info.get("rc", p.returncode))
        return {"wall": wall, "max_rss_kb": rss, "rc": rc,
                "stderr": p.stderr.decode("utf-8", "replace")[-4000:]}
    finally:
        if stdout_path:
            out.close()
        os.unlink(tfile)


def measure(cmd: list[str], repeat: str | int = "auto", ok=(0,), stdout_path: str | None = None,
            fast_limit: float = 30.0, label: str = "", log=None) -> dict:
    """Run a command 1 or more times; returns the runs, median wall and peak RSS."""
    runs = []
    want = 1 if repeat == "auto" else int(repeat)
    i = 0
    while i < want:
        r = run_once(cmd, stdout_path)
        if r["rc"] not in ok:
            tail = r["stderr"].strip()[-2000:]
            raise RuntimeError(f"{label or cmd[0]}: exit status {r['rc']} "
                               f"(accepted: {list(ok)})\n{tail}")
        runs.append(r)
        if log:
            log(f"{label}: run {i + 1}: {r['wall']:.2f}s, peak RSS {r['max_rss_kb'] / 1024:.0f} MiB")
        i += 1
        if repeat == "auto" and i == 1 and r["wall"] < fast_limit:
            want = 3
    walls = [r["wall"] for r in runs]
    return {
        "label": label,
        "cmd": cmd,
        "runs": [{k: v for k, v in r.items() if k != "stderr"} for r in runs],
        "median_wall": statistics.median(walls),
        "max_rss_kb": max(r["max_rss_kb"] for r in runs),
        "exit_codes": sorted({r["rc"] for r in runs}),
        "timer": "gnu-time" if os.path.exists(GNU_TIME) else "getrusage",
    }


def tree_size(paths: list[str]) -> tuple[int, int]:
    """(files, bytes) of every regular file under the given paths."""
    files = size = 0
    for top in paths:
        if os.path.isfile(top):
            files += 1
            size += os.path.getsize(top)
            continue
        for root, _dirs, names in os.walk(top):
            for n in names:
                p = os.path.join(root, n)
                if os.path.isfile(p) and not os.path.islink(p):
                    files += 1
                    size += os.path.getsize(p)
    return files, size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--label", default="")
    ap.add_argument("--repeat", default="auto", help="number of runs or 'auto' (default)")
    ap.add_argument("--fast-limit", type=float, default=30.0)
    ap.add_argument("--ok", default="0", help="accepted exit codes, comma separated")
    ap.add_argument("--stdout", help="save the command's standard output here")
    ap.add_argument("--warmup", action="store_true", help="run once untimed first")
    ap.add_argument("--data", action="append", default=[],
                    help="input folder, to report files, bytes, docs/s and MB/s")
    ap.add_argument("--count-groups", action="store_true",
                    help="count the groups in the saved JSON output (--stdout)")
    ap.add_argument("--json", help="write the result here")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command given")
    ok = tuple(int(x) for x in args.ok.split(","))
    if shutil.which(cmd[0]) is None and not os.path.exists(cmd[0]):
        print(f"measure.py: command not found: {cmd[0]}", file=sys.stderr)
        return 2

    def log(msg: str) -> None:
        print(f"[measure] {msg}", file=sys.stderr, flush=True)

    try:
        if args.warmup:
            run_once(cmd, None)
        res = measure(cmd, args.repeat, ok, args.stdout, args.fast_limit, args.label, log)
    except RuntimeError as e:
        print(f"measure.py: {e}", file=sys.stderr)
        return 2
    if args.data:
        files, size = tree_size(args.data)
        res.update({"files": files, "bytes": size,
                    "docs_per_s": files / res["median_wall"] if res["median_wall"] else None,
                    "mb_per_s": size / 1e6 / res["median_wall"] if res["median_wall"] else None})
    if args.count_groups and args.stdout:
        # newsdedup JSON ({"groups": [...]}) or a plain list of groups
        try:
            with open(args.stdout, encoding="utf-8") as fh:
                doc = json.load(fh)
            res["groups"] = len(doc["groups"] if isinstance(doc, dict) else doc)
        except (OSError, ValueError, KeyError, TypeError):
            res["groups"] = None
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(res, fh, indent=2)
            fh.write("\n")
    else:
        print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
