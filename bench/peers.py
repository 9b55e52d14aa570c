#!/usr/bin/env python3
"""The usual Python MinHash-LSH pipelines, as baselines for newsdedup.

Each pipeline follows its library's documented usage: read every file,
lower-case it, split on whitespace, take word 5-grams, build a 128-permutation
MinHash, index it in MinHashLSH at a threshold, query every document, and join
the answers with union-find into groups.

  datasketch  datasketch.MinHash (update_batch of the UTF-8 encoded 5-grams)
              and datasketch.MinHashLSH(threshold, num_perm=128); the
              candidates that query() returns are taken as they are, which
              is how datasketch's documentation uses them.
  rensa       rensa.RMinHash(num_perm=128, seed=42).update(5-grams) and
              rensa.RMinHashLSH(threshold, num_perm=128, num_bands). RMinHashLSH
              takes the band count from the caller (it must divide num_perm),
              so it is chosen by the usual false-positive/false-negative
              trade-off for the threshold; candidates are then checked with
              RMinHashLSH.is_similar (estimated Jaccard >= threshold), as
              rensa's deduplicator does.

Subcommands:
  setup   create bench/.venv and `pip install datasketch rensa` into it
  run     one pipeline (runs inside the virtualenv): groups JSON out
  sweep   every tool x threshold on a labeled set, timed and scored;
          writes a summary JSON with each tool's best-F1 threshold
  speed   one tool at one threshold on any folder, timed (median of 3 when
          a run takes under 30 s)

The orchestrating subcommands need only the standard library; `run` is
started with the virtualenv's python.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
VENV_PY = VENV / "bin" / "python"
TOOLS = ["datasketch", "rensa"]
DEFAULT_THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
NUM_PERM = 128
NGRAM = 5


def log(msg: str) -> None:
    print(f"[peers] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# The pipelines (run inside the virtualenv)
# --------------------------------------------------------------------------


def list_files(roots: list[str]) -> list[str]:
    """Every regular file under the roots, in sorted walk order."""
    out = []
    for top in roots:
        if os.path.isfile(top):
            out.append(top)
            continue
        for root, dirs, names in os.walk(top):
            dirs.sort()
            for n in sorted(names):
                p = os.path.join(root, n)
                if os.path.isfile(p) and not os.path.islink(p):
                    out.append(p)
    return out


def word_ngrams(text: str, n: int = NGRAM) -> list[str]:
    """Lower-cased whitespace tokens joined into overlapping n-grams."""
    words = text.lower().split()
    if len(words) < n:
        return [" ".join(words)] if words else []
    return [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb

    def groups(self) -> list[list[int]]:
        by_root: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            by_root.setdefault(self.find(i), []).append(i)
        return [g for g in by_root.values() if len(g) > 1]


def _integrate(f, a: float, b: float, steps: int = 200) -> float:
    """Simpson's rule on [a, b]."""
    if b <= a:
        return 0.0
    h = (b - a) / steps
    s = f(a) + f(b)
    for i in range(1, steps):
        s += f(a + i * h) * (4 if i % 2 else 2)
    return s * h / 3


def choose_bands(threshold: float, num_perm: int, divisors_only: bool = True,
                 fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) minimising the weighted areas of false positives below
    the threshold and false negatives above it, for the S-curve 1-(1-s^r)^b."""
    best = None
    for b in range(1, num_perm + 1):
        if divisors_only and num_perm % b:
            continue
        for r in range(1, num_perm // b + 1):
            if divisors_only and b * r != num_perm:
                continue
            fp = _integrate(lambda s: 1 - (1 - s ** r) ** b, 0.0, threshold)
            fn = _integrate(lambda s: (1 - s ** r) ** b, threshold, 1.0)
            err = fp_weight * fp + fn_weight * fn
            if best is None or err < best[0]:
                best = (err, b, r)
    assert best is not None
    return best[1], best[2]


def pipeline_datasketch(paths: list[str], threshold: float, stats: dict) -> list[list[int]]:
    from datasketch import MinHash, MinHashLSH

    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    stats["bands"], stats["rows"] = lsh.b, lsh.r
    sketches = []
    for i, p in enumerate(paths):
        with open(p, encoding="utf-8", errors="replace") as fh:
            grams = word_ngrams(fh.read())
        if not grams:
            sketches.append(None)
            continue
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch([g.encode("utf-8") for g in grams])
        lsh.insert(i, m)
        sketches.append(m)
    t1 = time.perf_counter()
    uf = UnionFind(len(paths))
    for i, m in enumerate(sketches):
        if m is None:
            continue
        for j in lsh.query(m):
            if j != i:
                uf.union(i, j)
    stats["sketch_s"] = t1 - t0
    stats["query_s"] = time.perf_counter() - t1
    return uf.groups()


def pipeline_rensa(paths: list[str], threshold: float, stats: dict) -> list[list[int]]:
    from rensa import RMinHash, RMinHashLSH

    t0 = time.perf_counter()
    bands, rows = choose_bands(threshold, NUM_PERM)
    stats["bands"], stats["rows"] = bands, rows
    lsh = RMinHashLSH(threshold=threshold, num_perm=NUM_PERM, num_bands=bands)
    sketches = []
    for i, p in enumerate(paths):
        with open(p, encoding="utf-8", errors="replace") as fh:
            grams = word_ngrams(fh.read())
        if not grams:
            sketches.append(None)
            continue
        m = RMinHash(num_perm=NUM_PERM, seed=42)
        m.update(grams)
        lsh.insert(i, m)
        sketches.append(m)
    t1 = time.perf_counter()
    uf = UnionFind(len(paths))
    candidates = 0
    for i, m in enumerate(sketches):
        if m is None:
            continue
        for j in lsh.query(m):
            if j != i:
                candidates += 1
                if lsh.is_similar(m, sketches[j]):
                    uf.union(i, j)
    stats["candidates"] = candidates
    stats["sketch_s"] = t1 - t0
    stats["query_s"] = time.perf_counter() - t1
    return uf.groups()


PIPELINES = {"datasketch": pipeline_datasketch, "rensa": pipeline_rensa}


def cmd_run(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    paths = list_files(args.paths)
    stats: dict = {"tool": args.tool, "threshold": args.threshold, "files": len(paths)}
    groups = PIPELINES[args.tool](paths, args.threshold, stats)
    out = [[paths[i] for i in g] for g in groups]
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(out, fh)
    stats["groups"] = len(out)
    stats["files_in_groups"] = sum(len(g) for g in out)
    stats["pipeline_s"] = time.perf_counter() - t0
    if args.stats:
        with open(args.stats, "w", encoding="utf-8") as fh:
            json.dump(stats, fh, indent=2)
    return 0


# --------------------------------------------------------------------------
# Orchestration (standard library)
# --------------------------------------------------------------------------


def venv_versions() -> dict:
    code = ("import json, importlib.metadata as m;"
            "print(json.dumps({p: m.version(p) for p in ['datasketch', 'rensa', 'numpy']}))")
    out = subprocess.run([str(VENV_PY), "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def cmd_setup(args: argparse.Namespace) -> int:
    if not VENV_PY.exists():
        log(f"creating {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    try:
        versions = venv_versions()
        log(f"virtualenv ready: {versions}")
        return 0
    except (subprocess.CalledProcessError, json.JSONDecodeError):
        pass
    log("installing datasketch and rensa")
    subprocess.run([str(VENV_PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "datasketch", "rensa"], check=True)
    log(f"virtualenv ready: {venv_versions()}")
    return 0


def timed_pipeline(tool: str, threshold: float, paths: list[str], outdir: Path, repeat) -> dict:
    sys.path.insert(0, str(HERE))
    from measure import measure

    tag = f"{tool}-t{threshold:.2f}"
    groups_file = outdir / f"{tag}.groups.json"
    stats_file = outdir / f"{tag}.stats.json"
    cmd = [str(VENV_PY), str(HERE / "peers.py"), "run", "--tool", tool,
           "--threshold", str(threshold), "--out", str(groups_file), "--stats", str(stats_file),
           *paths]
    res = measure(cmd, repeat=repeat, label=tag, log=log)
    with open(stats_file, encoding="utf-8") as fh:
        res["pipeline"] = json.load(fh)
    res["groups_file"] = str(groups_file)
    res["tool"], res["threshold"] = tool, threshold
    return res


def cmd_sweep(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(HERE))
    import evaluate

    if not VENV_PY.exists():
        sys.exit("peers.py: no virtualenv; run `python3 bench/peers.py setup` first")
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    truth = evaluate.load_jsonl(Path(args.truth_dir) / "truth.jsonl")
    negatives = evaluate.load_jsonl(Path(args.truth_dir) / "negatives.jsonl")
    docs = Path(args.paths[0]) if len(args.paths) == 1 and os.path.isdir(args.paths[0]) else None
    summary: dict = {"versions": venv_versions(), "paths": args.paths, "tools": {}}
    for tool in args.tools.split(","):
        runs = []
        best = None
        for t in [float(x) for x in args.thresholds.split(",")]:
            res = timed_pipeline(tool, t, args.paths, outdir, repeat=1)
            groups, _ = evaluate.read_groups(Path(res["groups_file"]), "groups")
            r = evaluate.evaluate(groups, truth, negatives, docs, args.list)
            row = {"threshold": t, "wall": res["median_wall"], "max_rss_kb": res["max_rss_kb"],
                   "precision": r["precision"], "recall": r["recall"], "f1": r["f1"],
                   "groups": r["groups"], "bands": res["pipeline"].get("bands"),
                   "rows": res["pipeline"].get("rows"),
                   "negatives_merged": {k: v["merged"] for k, v in r["negatives"].items()}}
            runs.append(row)
            log(f"{tool} t={t}: P={r['precision']:.4f} R={r['recall']:.4f} F1={r['f1']:.4f} "
                f"wall={res['median_wall']:.1f}s rss={res['max_rss_kb'] / 1024:.0f}MiB")
            if best is None or r["f1"] > best[0]["f1"]:
                best = (row, r)
            with open(outdir / f"{tool}-t{t:.2f}.eval.json", "w", encoding="utf-8") as fh:
                json.dump(r, fh, indent=2, ensure_ascii=False)
        assert best is not None
        summary["tools"][tool] = {"runs": runs, "best_threshold": best[0]["threshold"],
                                  "best": best[1]}
        if not args.quiet:
            evaluate.print_report(best[1], f"{tool} at its best threshold {best[0]['threshold']}",
                                  sys.stderr)
    with open(args.json, "w", encoding="utf-8") as fh:
        json.dump(summary, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    log(f"wrote {args.json}")
    return 0


def cmd_speed(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(HERE))
    from measure import tree_size

    if not VENV_PY.exists():
        sys.exit("peers.py: no virtualenv; run `python3 bench/peers.py setup` first")
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    res = timed_pipeline(args.tool, args.threshold, args.paths, outdir, repeat=args.repeat)
    files, size = tree_size(args.paths)
    res.update({"files": files, "bytes": size, "docs_per_s": files / res["median_wall"],
                "mb_per_s": size / 1e6 / res["median_wall"], "versions": venv_versions()})
    with open(args.json, "w", encoding="utf-8") as fh:
        json.dump(res, fh, indent=2)
        fh.write("\n")
    log(f"{args.tool} t={args.threshold}: median {res['median_wall']:.2f}s over "
        f"{len(res['runs'])} run(s), {res['pipeline']['groups']} groups")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("setup", help="create the virtualenv with datasketch and rensa")

    p = sub.add_parser("run", help="one pipeline; start it with the virtualenv's python")
    p.add_argument("--tool", choices=TOOLS, required=True)
    p.add_argument("--threshold", type=float, required=True)
    p.add_argument("--out", required=True, help="groups JSON (list of lists of paths)")
    p.add_argument("--stats", help="write phase timings and counts here")
    p.add_argument("paths", nargs="+")

    p = sub.add_parser("sweep", help="all tools x thresholds on a labeled set")
    p.add_argument("--truth-dir", required=True)
    p.add_argument("--tools", default=",".join(TOOLS))
    p.add_argument("--thresholds", default=",".join(str(t) for t in DEFAULT_THRESHOLDS))
    p.add_argument("--outdir", required=True, help="folder for groups and per-run files")
    p.add_argument("--json", required=True, help="summary JSON")
    p.add_argument("--list", type=int, default=25, help="false merges kept per run")
    p.add_argument("--quiet", action="store_true", help="do not print the best runs' reports")
    p.add_argument("paths", nargs="+")

    p = sub.add_parser("speed", help="one tool at one threshold, timed")
    p.add_argument("--tool", choices=TOOLS, required=True)
    p.add_argument("--threshold", type=float, required=True)
    p.add_argument("--repeat", default="auto")
    p.add_argument("--outdir", required=True)
    p.add_argument("--json", required=True)
    p.add_argument("paths", nargs="+")

    args = ap.parse_args(argv)
    return {"setup": cmd_setup, "run": cmd_run, "sweep": cmd_sweep, "speed": cmd_speed}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
