#!/usr/bin/env python3
"""The persistent index, measured (standard library only).

    python3 bench/index_bench.py --bin target/release/newsdedup \\
        --scale-dir /tmp/newsdedup-scale --add-corpus 100k --query-corpus 1M

1. Adding against scanning: `newsdedup scan DOCS` and `newsdedup index
   create` + `index add` of the same DOCS (a fresh index each run), timed
   with measure.py on a warm cache; the ratio is add / scan. The index's
   size per document comes from `index stats`.
2. A batch against a large index: the query corpus is split with hard
   links into an index part and a batch of --batch files: half are planted
   copies (from truth.tsv) whose originals stay in the index part, half are
   files in no planted pair. The index part is added once (timed), then
   `scan --against` of the batch is timed, and checked: every planted copy
   must be grouped with its indexed original, and the other half grouped
   with nothing.

Results go to --json; a summary is printed. Scale corpora come from
`generate.py --scale` (bench/run.sh scale makes them in $SCALE_DIR).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(label: str, cmd: list[str], repeat: str, out_json: Path, ok: str = "0",
            stdout: Path | None = None) -> dict:
    args = [sys.executable, str(HERE / "measure.py"), "--label", label, "--repeat", repeat,
            "--ok", ok, "--json", str(out_json)]
    if stdout is not None:
        args += ["--stdout", str(stdout)]
    subprocess.run(args + ["--"] + cmd, check=True)
    return json.loads(out_json.read_text())


def warm(path: Path) -> None:
    subprocess.run(f"find '{path}' -type f -print0 | xargs -0 cat > /dev/null", shell=True, check=True)


def stats(binary: str, index: Path) -> dict:
    out = subprocess.run([binary, "index", "stats", str(index)], check=True,
                         capture_output=True, text=True).stdout
    size = re.search(r"size: (\d+) bytes", out)
    docs = re.search(r"documents: (\d+)", out)
    n = int(docs.group(1)) if docs else 0
    b = int(size.group(1)) if size else 0
    return {"documents": n, "bytes": b, "bytes_per_document": b / n if n else None}


def fresh_index_cmd(binary: str, index: Path, docs: list[Path]) -> list[str]:
    paths = " ".join(f"'{d}'" for d in docs)
    return ["bash", "-c",
            f"rm -f '{index}' '{index}-wal' '{index}-shm' && '{binary}' index create '{index}' > /dev/null "
            f"&& '{binary}' index add '{index}' {paths} --quiet > /dev/null"]


def add_vs_scan(args: argparse.Namespace, work: Path) -> dict:
    docs = Path(args.scale_dir) / args.add_corpus / "docs"
    if not docs.is_dir():
        sys.exit(f"index_bench: {docs} not found (make it with bench/run.sh scale)")
    warm(docs)
    scan = measure(f"scan-{args.add_corpus}", [args.bin, "scan", str(docs), "--format", "json", "--quiet"],
                   args.repeat, work / "scan.json", ok="0,1", stdout=work / "scan.out")
    index = work / f"add-{args.add_corpus}.idx"
    add = measure(f"add-{args.add_corpus}", fresh_index_cmd(args.bin, index, [docs]), args.repeat,
                  work / "add.json")
    return {"corpus": args.add_corpus, "files": scan.get("files"), "scan_wall": scan["median_wall"],
            "scan_rss_kb": scan["max_rss_kb"], "add_wall": add["median_wall"],
            "add_rss_kb": add["max_rss_kb"], "ratio": add["median_wall"] / scan["median_wall"],
            "index": stats(args.bin, index)}


def split(corpus: Path, work: Path, batch_size: int, seed: int) -> tuple[Path, Path, list[tuple[str, str]], list[str]]:
    """Hard-link the corpus into an index part and a batch; returns both
    folders, the (copy, original) pairs across them and the lone files."""
    base = work / f"split-{corpus.name}-{batch_size}"
    index_dir, batch_dir, plan = base / "index", base / "batch", base / "plan.json"
    if plan.exists():
        p = json.loads(plan.read_text())
        return index_dir, batch_dir, [tuple(x) for x in p["pairs"]], p["lone"]
    if base.exists():
        shutil.rmtree(base)  # an unfinished split
    rows = [line.split("\t") for line in (corpus / "truth.tsv").read_text().splitlines()[1:] if line]
    involved = {r[0] for r in rows} | {r[1] for r in rows}
    originals = {r[1] for r in rows}
    rng = random.Random(seed)
    rng.shuffle(rows)
    pairs, chosen = [], set()
    for copy, original, _ in rows:
        # A copy that is also an original would take its copies' original away.
        if len(pairs) >= batch_size // 2:
            break
        if copy in originals or original in chosen or copy in chosen:
            continue
        pairs.append((copy, original))
        chosen.add(copy)
    docs = corpus / "docs"
    files = sorted(str(p.relative_to(docs)) for p in docs.rglob("*.txt"))
    loners = [f for f in files if f not in involved]
    lone = sorted(rng.sample(loners, batch_size - len(pairs)))
    chosen |= set(lone)
    for rel in files:
        target = (batch_dir if rel in chosen else index_dir) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(docs / rel, target)
    plan.write_text(json.dumps({"pairs": pairs, "lone": lone}))
    return index_dir, batch_dir, pairs, lone


def query(args: argparse.Namespace, work: Path) -> dict:
    corpus = Path(args.scale_dir) / args.query_corpus
    if not (corpus / "docs").is_dir():
        sys.exit(f"index_bench: {corpus}/docs not found (make it with bench/run.sh scale)")
    index_dir, batch_dir, pairs, lone = split(corpus, work, args.batch, args.seed)
    index = work / f"query-{args.query_corpus}.idx"
    if args.reuse_index and index.exists() and (work / "query-add.json").exists():
        built = json.loads((work / "query-add.json").read_text())
    else:
        warm(index_dir)
        built = measure(f"add-{args.query_corpus}-index", fresh_index_cmd(args.bin, index, [index_dir]), "1",
                        work / "query-add.json")
    warm(batch_dir)
    report = work / "query.out"
    ran = measure(f"against-{args.query_corpus}",
                  [args.bin, "scan", "--against", str(index), str(batch_dir), "--format", "json", "--quiet"],
                  args.repeat, work / "query.json", ok="0,1", stdout=report)
    groups = json.loads(report.read_text())["groups"]
    rel = {}
    for g in groups:
        names = set()
        for m in g["members"]:
            root = index_dir if m["indexed"] else batch_dir
            names.add(("i:" if m["indexed"] else "b:") + str(Path(m["path"]).relative_to(root)))
        for n in names:
            rel[n] = names
    found = sum(1 for copy, original in pairs if "i:" + original in rel.get("b:" + copy, set()))
    lone_grouped = sum(1 for f in lone if "b:" + f in rel)
    # The daily step after the check: scan the batch alone, and add it to
    # a copy of the large index (the copy keeps the index as it was).
    scan = measure(f"scan-batch-{args.batch}", [args.bin, "scan", str(batch_dir), "--format", "json", "--quiet"],
                   args.repeat, work / "batch-scan.json", ok="0,1", stdout=work / "batch-scan.out")
    # Each add goes into a fresh copy, written out to disk first (`sync`):
    # timed right after the copy, the add would share the disk with the
    # copy's writeback. Three copies, the median of the three adds.
    copy = work / "daily.idx"
    adds = []
    for run in range(3):
        subprocess.run(["cp", str(index), str(copy)], check=True)
        os.sync()
        daily = measure(f"add-batch-{args.batch}-copy{run + 1}",
                        [args.bin, "index", "add", str(copy), str(batch_dir), "--quiet"],
                        "1", work / "batch-add.json")
        adds.append(daily["median_wall"])
        for f in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
            f.unlink(missing_ok=True)
    return {"batch_scan_wall": scan["median_wall"], "batch_add_wall": sorted(adds)[1],
            "batch_add_walls": adds,"corpus": args.query_corpus, "indexed": stats(args.bin, index), "batch": args.batch,
            "index_add_wall": built["median_wall"], "index_add_rss_kb": built["max_rss_kb"],
            "query_wall": ran["median_wall"], "query_rss_kb": ran["max_rss_kb"],
            "planted_pairs": len(pairs), "planted_found": found, "lone": len(lone),
            "lone_grouped": lone_grouped}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/newsdedup")
    ap.add_argument("--scale-dir", default="/tmp/newsdedup-scale")
    ap.add_argument("--add-corpus", default="100k", help="scale corpus for add vs scan ('' to skip)")
    ap.add_argument("--query-corpus", default="1M", help="scale corpus for the query ('' to skip)")
    ap.add_argument("--batch", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--repeat", default="auto")
    ap.add_argument("--reuse-index", action="store_true",
                    help="keep the large index of an earlier run instead of building it again")
    ap.add_argument("--work", default="/tmp/newsdedup-index-bench")
    ap.add_argument("--json", default="bench/out/results/index.json")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    out_path = Path(args.json)
    result = json.loads(out_path.read_text()) if out_path.exists() else {}
    if args.add_corpus:
        result["add"] = add_vs_scan(args, work)
        a = result["add"]
        print(f"[index] {a['corpus']}: scan {a['scan_wall']:.2f} s, index add {a['add_wall']:.2f} s "
              f"({a['ratio']:.2f}x), index {a['index']['bytes'] / 1e6:.0f} MB, "
              f"{a['index']['bytes_per_document']:.0f} bytes per document")
    if args.query_corpus:
        result["query"] = query(args, work)
        q = result["query"]
        print(f"[index] {q['batch']} files against {q['indexed']['documents']} indexed: "
              f"{q['query_wall']:.2f} s, peak RSS {q['query_rss_kb'] / 1024:.0f} MiB; "
              f"planted copies found {q['planted_found']}/{q['planted_pairs']}, "
              f"lone files grouped {q['lone_grouped']}/{q['lone']}; "
              f"building the index took {q['index_add_wall']:.1f} s "
              f"({q['indexed']['bytes'] / 1e9:.2f} GB, {q['indexed']['bytes_per_document']:.0f} bytes per document)")
        print(f"[index] the batch alone: scan {q['batch_scan_wall']:.2f} s, index add into the large index "
              f"{q['batch_add_wall']:.2f} s ({q['batch_add_wall'] / q['batch_scan_wall']:.2f}x)")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
