#!/usr/bin/env python3
"""Render the benchmark's JSON results as a dated markdown file (standard library only).

    python3 bench/report.py --results bench/out/results --out bench/results/2026-11-22.md \
        --command "bench/run.sh"

Reads whatever result files bench/run.sh left in the results folder
(missing ones are reported as not run):
  labeled-manifest.json        copy of the labeled set's manifest
  newsdedup-labeled.eval.json  newsdedup's scores on the labeled set
  newsdedup-labeled.run.json   its timing on the labeled set
  peers-labeled.json           the peers' threshold sweep (peers.py sweep)
  speed-<dataset>-<tool>.json  timings (measure.py / peers.py speed)
  scale.json                   the --scale timings
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
from pathlib import Path

ARTEFACTS = ["reflow", "hardwrap", "crlf", "url_lines", "byline", "dateline", "footer",
             "drop_headline", "sentences_dropped", "sentences_added", "numbers_updated",
             "typography", "html_entities", "zero_width", "teaser", "site_chrome"]
NEG_KINDS = ["shared_chrome", "templated", "same_event"]


def load(path: Path):
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def sh(cmd: list[str], cwd: str | None = None) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def git_commit(repo: str) -> str:
    rev = sh(["git", "rev-parse", "--short", "HEAD"], repo) or "(no commit yet)"
    dirty = sh(["git", "status", "--porcelain", "--untracked-files=no"], repo)
    return rev + ("-dirty" if dirty else "")


def machine() -> list[str]:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            m = re.search(r"^model name\s*:\s*(.+)$", fh.read(), re.M)
            cpu = m.group(1).strip() if m else ""
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            m = re.search(r"^MemTotal:\s*(\d+) kB", fh.read(), re.M)
            mem = f"{int(m.group(1)) / 1024 / 1024:.1f} GiB" if m else ""
    except OSError:
        pass
    return [
        f"- CPUs (`nproc`): {sh(['nproc']) or os.cpu_count()}",
        f"- memory: {mem}",
        f"- CPU model: {cpu or 'unknown'}",
        f"- kernel: {platform.release()}; Python {platform.python_version()}; "
        f"{sh(['rustc', '--version']) or 'rustc not found'}",
    ]


def f3(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def secs(x) -> str:
    if x is None:
        return "–"
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def mib(kb) -> str:
    return "–" if kb is None or kb < 0 else f"{kb / 1024:.0f} MiB"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return out


def render(res: Path, command: str, repo: str) -> str:
    today = dt.date.today().isoformat()
    L: list[str] = [f"# newsdedup benchmark, {today}", ""]
    L += [f"- command: `{command}`", f"- commit: `{git_commit(repo)}`"]
    peers = load(res / "peers-labeled.json")
    if peers:
        L.append("- peers: " + ", ".join(f"{k} {v}" for k, v in peers["versions"].items()))
    L += machine()
    L.append("")

    man = load(res / "labeled-manifest.json")
    L += ["## Labeled set", ""]
    if man:
        roles = man["by_corpus_and_role"]
        L.append(f"{man['files']} files, {man['bytes'] / 1e6:.1f} MB, seed {man['seed']}: "
                 + ", ".join(f"{k} {v}" for k, v in roles.items())
                 + f"; {man['clusters_with_copies']} clusters with planted copies.")
        sc = man.get("source_check", {})
        if sc:
            L.append("Real near-duplicates set aside before planting (5-gram Jaccard >= "
                     f"{man['parameters']['max_jaccard']} or containment >= "
                     f"{man['parameters']['max_containment']}): "
                     + ", ".join(f"{k} {v['near_duplicates_set_aside']} of {v['read']}"
                                 for k, v in sc.items()) + ".")
        ng = man.get("negative_groups", {})
        L.append("Hard negatives: " + ", ".join(
            f"{k} {v['pairs']} pairs in {v['groups']} groups" for k, v in ng.items()) + ".")
    else:
        L.append("(not generated)")
    L.append("")

    # accuracy
    nd = load(res / "newsdedup-labeled.eval.json")
    nd_run = load(res / "newsdedup-labeled.run.json")
    evals = []
    if nd:
        evals.append(("newsdedup", "defaults", nd))
    if peers:
        for tool, v in peers["tools"].items():
            evals.append((tool, f"{v['best_threshold']}", v["best"]))
    L += ["## Accuracy on the labeled set", ""]
    if not nd:
        L += ["newsdedup: not run.", ""]
    if evals:
        rows = []
        for name, thr, e in evals:
            neg = e["negatives"]
            rows.append([name, thr, f3(e["precision"]), f3(e["recall"]), f3(e["f1"]),
                         e["groups"], e["false_pairs"]]
                        + [f"{neg[k]['merged']}/{neg[k]['pairs']}" if k in neg else "–"
                           for k in NEG_KINDS])
        L += table(["tool", "threshold", "precision", "recall", "F1", "groups", "false pairs"]
                   + [f"{k} merged" for k in NEG_KINDS], rows)
        L += ["", "Peers are shown at the threshold of their best F1; newsdedup at its defaults.",
              "", "### Recall per artefact kind (copy-base pairs)", ""]
        rows = []
        for k in ARTEFACTS:
            row = [k]
            for _, _, e in evals:
                v = e["recall_by_artefact"].get(k)
                row.append(f"{pct(v['recall'])} ({v['found']}/{v['total']})" if v else "–")
            rows.append(row)
        rows.append(["by corpus"] + [
            ", ".join(f"{c} {pct(v['recall'])}" for c, v in e["recall_by_corpus"].items())
            for _, _, e in evals])
        L += table(["artefact"] + [n for n, _, _ in evals], rows)
        L.append("")
    if peers:
        L += ["### Peers' threshold sweep", ""]
        rows = []
        for tool, v in peers["tools"].items():
            for r in v["runs"]:
                rows.append([tool, r["threshold"], f"{r['bands']}x{r['rows']}", f3(r["precision"]),
                             f3(r["recall"]), f3(r["f1"]), secs(r["wall"]), mib(r["max_rss_kb"])]
                            + [r["negatives_merged"].get(k, "–") for k in NEG_KINDS])
        L += table(["tool", "threshold", "bands x rows", "P", "R", "F1", "wall", "peak RSS"]
                   + [f"{k} merged" for k in NEG_KINDS], rows)
        L.append("")
    if nd and nd.get("false_merges_listed"):
        L += ["### newsdedup false merges (first ones)", ""]
        for m in nd["false_merges_listed"][:12]:
            tag = f" [{m['kind']}]" if m["kind"] else ""
            L.append(f"- group {m['group']} ({m['group_size']} files){tag}: "
                     f"`{m['a']}` ({m['a_role']}) `{m['a_text']}` / "
                     f"`{m['b']}` ({m['b_role']}) `{m['b_text']}`")
        L.append("")

    # speed
    L += ["## Speed", ""]
    any_speed = False
    for ds in ["labeled", "reuters"]:
        runs = {t: load(res / f"speed-{ds}-{t}.json") for t in ["cat", "newsdedup", "rensa",
                                                                 "datasketch"]}
        if not any(runs.values()):
            continue
        any_speed = True
        ref = next((r for r in runs.values() if r and r.get("files")), None)
        L.append(f"### {ds}: {ref['files']} files, {ref['bytes'] / 1e6:.1f} MB" if ref else f"### {ds}")
        L.append("")
        rows = []
        base_cat = runs["cat"]["median_wall"] if runs["cat"] else None
        base_nd = runs["newsdedup"]["median_wall"] if runs["newsdedup"] else None
        for t, r in runs.items():
            if not r:
                rows.append([t, "not run", "", "", "", "", "", "", ""])
                continue
            w = r["median_wall"]
            thr = r.get("threshold")
            groups = (r.get("pipeline") or {}).get("groups", r.get("groups", "–"))
            rows.append([t + (f" (t={thr})" if thr is not None else ""), secs(w),
                         len(r["runs"]), f"{r['docs_per_s']:,.0f}" if r.get("docs_per_s") else "–",
                         f"{r['mb_per_s']:.1f}" if r.get("mb_per_s") else "–", mib(r["max_rss_kb"]),
                         f"{w / base_cat:.1f}x" if base_cat else "–",
                         f"{w / base_nd:.1f}x" if base_nd else "–", groups])
        L += table(["tool", "wall (median)", "runs", "docs/s", "MB/s", "peak RSS", "vs cat",
                    "vs newsdedup", "groups"], rows)
        L.append("")
    if not any_speed:
        L += ["(not run)", ""]
    rounds = next((r.get("interleaved_rounds") for ds in ["labeled", "reuters"]
                   if (r := load(res / f"speed-{ds}-newsdedup.json"))), None)
    timing = (f"The tools ran in {rounds} interleaved rounds, after one untimed round: each "
              "round runs every tool once, in an order rotating from round to round, and wall "
              "time is each tool's median over the rounds, so the ratios compare runs made over "
              "the same stretch of time." if rounds else
              "Wall time is the median of 3 runs when one run takes under 30 s.")
    L += ["`cat` is `find DIR -type f -print0 | xargs -0 cat > /dev/null` on a warm cache. "
          "'vs newsdedup' is the tool's time divided by newsdedup's (above 1: slower than "
          "newsdedup). " + timing, ""]

    scale = load(res / "scale.json")
    L += ["## Scale", ""]
    if scale:
        rows = []
        for s in scale["runs"]:
            ev = s.get("planted") or {}
            rows.append([s["name"], s["files"], f"{s['bytes'] / 1e6:.0f} MB", secs(s["wall"]),
                         f"{s['files'] / s['wall']:,.0f}", mib(s["max_rss_kb"]),
                         pct(ev.get("recall")), ev.get("other_merged_pairs", "–")])
        L += table(["corpus", "files", "size", "wall", "docs/s", "peak RSS",
                    "planted-pair recall", "other merged pairs"], rows)
        runs = [s.get("walls") or [] for s in scale["runs"]]
        if any(len(w) > 1 for w in runs):
            L += ["", "Wall is the median of the runs: " + "; ".join(
                f"{s['name']} " + ", ".join(secs(w) for w in s["walls"]) for s in scale["runs"]) + "."]
        if scale.get("ratio_10x") is not None:
            L += ["", f"Time ratio for 10x the documents: {scale['ratio_10x']:.2f}x."]
    else:
        L.append("(not run: `bench/run.sh scale`)")
    L.append("")
    return "\n".join(L)


def main() -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", default=str(here / "out" / "results"))
    ap.add_argument("--out", help="markdown file (default bench/results/YYYY-MM-DD.md)")
    ap.add_argument("--command", default="bench/run.sh")
    args = ap.parse_args()
    out = Path(args.out) if args.out else here / "results" / f"{dt.date.today().isoformat()}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    text = render(Path(args.results), args.command, str(here.parent))
    out.write_text(text, encoding="utf-8")
    print(f"[report] wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
