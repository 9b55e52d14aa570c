#!/usr/bin/env python3
"""Time every tool on one dataset in interleaved rounds (standard library only).

    python3 bench/speed.py --dataset reuters --dir DOCS --bin target/release/newsdedup \\
        --resdir bench/out/results --outdir bench/out --threshold rensa=0.6 \\
        --threshold datasketch=0.5 [--rounds 5] [--tools cat,newsdedup,rensa,datasketch]

Why interleaved: on a shared or virtual machine the speed of the processor
drifts by tens of percent over minutes. Timing one tool three times and then
the next compares them at different moments, and the ratios between tools
moved with the drift (2.8x one run, 3.2x the next for the same binaries).
Here one untimed round runs every tool first (warm page cache, warm Python
imports), then each round runs every tool once, the order rotating from round
to round so no tool always follows the same one. Each tool's wall time is
its median over the rounds; the ratios of those medians compare tools that
were timed over the same stretch of time.

Writes `speed-<dataset>-<tool>.json` into --resdir, in the format of
measure.py (and, for the peers, peers.py speed), which report.py reads. Once a
timed run of a tool takes longer than --slow seconds (30), that tool is
timed in --slow-rounds rounds only (1), as measure.py times such a command
once.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402
import peers  # noqa: E402

TOOLS = ["cat", "newsdedup", "rensa", "datasketch"]


def log(msg: str) -> None:
    print(f"[speed] {msg}", file=sys.stderr, flush=True)


class Tool:
    """One tool's command, where its output goes and which exit codes are fine."""

    def __init__(self, name: str, cmd: list[str], ok=(0,), stdout: str | None = None,
                 extra: dict | None = None):
        self.name, self.cmd, self.ok, self.stdout = name, cmd, ok, stdout
        self.extra = extra or {}
        self.runs: list[dict] = []

    def run(self, timed: bool) -> None:
        r = measure.run_once(self.cmd, self.stdout)
        if r["rc"] not in self.ok:
            tail = r["stderr"].strip()[-2000:]
            raise RuntimeError(f"{self.name}: exit status {r['rc']} (accepted: {list(self.ok)})\n{tail}")
        if timed:
            self.runs.append({k: v for k, v in r.items() if k != "stderr"})
            log(f"{self.name}: {r['wall']:.2f}s, peak RSS {r['max_rss_kb'] / 1024:.0f} MiB")


def tools_for(args: argparse.Namespace, outdir: Path) -> list[Tool]:
    thresholds = dict(t.split("=", 1) for t in args.threshold)
    out: list[Tool] = []
    for name in args.tools.split(","):
        if name == "cat":
            out.append(Tool(name, ["bash", "-c", 'find "$1" -type f -print0 | xargs -0 cat > /dev/null',
                                   "_", args.dir]))
        elif name == "newsdedup":
            groups = str(outdir / f"newsdedup-{args.dataset}.json")
            cmd = [args.bin, "scan", args.dir, "--format", "json", "--quiet",
                   *shlex.split(args.newsdedup_args)]
            out.append(Tool(name, cmd, ok=(0, 1), stdout=groups))
        elif name in peers.TOOLS:
            t = float(thresholds.get(name, 0.5))
            pdir = outdir / "peers" / args.dataset
            pdir.mkdir(parents=True, exist_ok=True)
            tag = f"{name}-t{t:.2f}"
            groups, stats = pdir / f"{tag}.groups.json", pdir / f"{tag}.stats.json"
            cmd = [str(peers.VENV_PY), str(HERE / "peers.py"), "run", "--tool", name,
                   "--threshold", str(t), "--out", str(groups), "--stats", str(stats), args.dir]
            out.append(Tool(name, cmd, extra={"tool": name, "threshold": t,
                                              "groups_file": str(groups), "stats_file": str(stats)}))
        else:
            sys.exit(f"speed.py: unknown tool {name!r} (known: {', '.join(TOOLS)})")
    return out


def result(tool: Tool, files: int, size: int, rounds: int) -> dict:
    walls = [r["wall"] for r in tool.runs]
    med = statistics.median(walls)
    res = {
        "label": tool.name,
        "cmd": tool.cmd,
        "runs": tool.runs,
        "median_wall": med,
        "max_rss_kb": max(r["max_rss_kb"] for r in tool.runs),
        "exit_codes": sorted({r["rc"] for r in tool.runs}),
        "timer": "gnu-time" if Path(measure.GNU_TIME).exists() else "getrusage",
        "interleaved_rounds": rounds,
        "files": files,
        "bytes": size,
        "docs_per_s": files / med if med else None,
        "mb_per_s": size / 1e6 / med if med else None,
    }
    if tool.name == "newsdedup" and tool.stdout:
        try:
            with open(tool.stdout, encoding="utf-8") as fh:
                res["groups"] = len(json.load(fh)["groups"])
        except (OSError, ValueError, KeyError, TypeError):
            res["groups"] = None
    if "stats_file" in tool.extra:
        with open(tool.extra["stats_file"], encoding="utf-8") as fh:
            res["pipeline"] = json.load(fh)
        res.update({k: v for k, v in tool.extra.items() if k != "stats_file"})
        res["versions"] = peers.venv_versions()
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--dataset", required=True, help="name used in the result files")
    ap.add_argument("--dir", required=True, help="folder of article files")
    ap.add_argument("--bin", default="target/release/newsdedup")
    ap.add_argument("--newsdedup-args", default="", help="extra arguments for newsdedup scan")
    ap.add_argument("--resdir", default="bench/out/results")
    ap.add_argument("--outdir", default="bench/out")
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--threshold", action="append", default=[], metavar="TOOL=T",
                    help="a peer's threshold (its best-F1 one from the sweep)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--slow", type=float, default=30.0,
                    help="a tool whose warm-up run took longer is timed in --slow-rounds rounds")
    ap.add_argument("--slow-rounds", type=int, default=1)
    args = ap.parse_args(argv)
    resdir, outdir = Path(args.resdir), Path(args.outdir)
    resdir.mkdir(parents=True, exist_ok=True)
    tools = tools_for(args, outdir)
    files, size = measure.tree_size([args.dir])
    try:
        log(f"{args.dataset}: warm-up round")
        slow = set()
        for tool in tools:
            tool.run(timed=False)
        for r in range(args.rounds):
            order = tools[r % len(tools):] + tools[:r % len(tools)]
            log(f"{args.dataset}: round {r + 1} of {args.rounds}: {', '.join(t.name for t in order)}")
            for tool in order:
                if tool.name in slow and len(tool.runs) >= args.slow_rounds:
                    continue
                tool.run(timed=True)
                if tool.runs[-1]["wall"] > args.slow:
                    slow.add(tool.name)
    except RuntimeError as e:
        print(f"speed.py: {e}", file=sys.stderr)
        return 2
    for tool in tools:
        res = result(tool, files, size, args.rounds)
        with open(resdir / f"speed-{args.dataset}-{tool.name}.json", "w", encoding="utf-8") as fh:
            json.dump(res, fh, indent=2)
            fh.write("\n")
    med = {t.name: statistics.median(r["wall"] for r in t.runs) for t in tools}
    if "newsdedup" in med:
        log(f"{args.dataset}: " + ", ".join(
            f"{name} {m:.2f}s ({m / med['newsdedup']:.1f}x newsdedup)" for name, m in med.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
