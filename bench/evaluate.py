#!/usr/bin/env python3
"""Score a deduplicator's groups against the generator's truth (standard library only).

    python3 bench/evaluate.py --truth-dir bench/out/labeled-truth --pred groups.json

Input formats (--format, detected by default):
  newsdedup  the JSON document of `newsdedup scan DIR --format json`
             ({"groups": [{"members": [{"path": ...}, ...]}, ...], ...})
  groups     a JSON list of lists of file paths (what bench/peers.py writes)

Paths may carry any prefix (for example bench/out/labeled/bbc/000123.txt when
the tool was given bench/out/labeled): each is matched to the truth entry that
it ends with. Files in no group are singletons.

Measures:
  * pairwise precision, recall and F1: a pair is two files in the same
    predicted group, a true pair two files in the same truth cluster;
  * recall per artefact kind: a copy's pair with its base counts once for
    each artefact kind of the copy;
  * merged negative pairs, per kind of hard negative (shared_chrome: distinct
    articles in the same site template; templated: distinct wire reports with
    a shared headline template; same_event: distinct stories of one section
    with much vocabulary in common);
  * a listing of false merges (up to 3 pairs from each impure group) with
    the first 80 characters of each file.

With --scale-truth DIR/truth.tsv (from `generate.py --scale`) the truth is
the planted copy/original pairs instead; every other file is a singleton.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_groups(path: Path, fmt: str) -> tuple[list[list[str]], dict]:
    """Predicted groups as lists of paths, plus extra facts about the input."""
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    extra: dict = {}
    if fmt == "auto":
        fmt = "newsdedup" if isinstance(doc, dict) else "groups"
    if fmt == "newsdedup":
        if not isinstance(doc, dict) or "groups" not in doc:
            raise SystemExit(f"evaluate.py: {path} is not a newsdedup JSON report")
        groups = []
        for g in doc["groups"]:
            members = g.get("members", [])
            groups.append([m["path"] if isinstance(m, dict) else m for m in members])
        extra["problems"] = len(doc.get("problems") or [])
        extra["tool"] = doc.get("tool")
        extra["parameters"] = doc.get("parameters")
    else:
        if not isinstance(doc, list):
            raise SystemExit(f"evaluate.py: {path} is not a JSON list of groups")
        groups = [list(g) for g in doc]
    return groups, extra


class PathMatcher:
    """Maps a reported path to a truth key by the longest matching suffix."""

    def __init__(self, keys):
        self.keys = set(keys)

    def __call__(self, path: str) -> str | None:
        p = path.replace("\\", "/")
        while p.startswith("./"):
            p = p[2:]
        if p in self.keys:
            return p
        for m in re.finditer("/", p):
            tail = p[m.end():]
            if tail in self.keys:
                return tail
        return None


def _flat(docs: Path | None, rel: str) -> str:
    """A file's text with runs of whitespace shown as one space."""
    if docs is None:
        return ""
    try:
        with open(docs / rel, encoding="utf-8", errors="replace", newline="") as fh:
            text = fh.read(20000)
    except OSError:
        return "(unreadable)"
    return re.sub(r"\s+", " ", text).strip()


def _show(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def snippets(docs: Path | None, a: str, b: str, n: int = 80) -> tuple[str, str]:
    """The first n characters of two files; when those are the same (shared
    site chrome, say), n characters from where the two texts start to differ
    are added after ' ... @offset: '."""
    ta, tb = _flat(docs, a), _flat(docs, b)
    sa, sb = _show(ta[:n]), _show(tb[:n])
    if ta[:n] == tb[:n] and ta != tb:
        i = 0
        while i < min(len(ta), len(tb)) and ta[i] == tb[i]:
            i += 1
        i = max(0, ta.rfind(" ", 0, i) + 1)
        sa += f" ... @{i}: {_show(ta[i:i + n])}"
        sb += f" ... @{i}: {_show(tb[i:i + n])}"
    return sa, sb


def evaluate(groups: list[list[str]], truth: list[dict], negatives: list[dict],
             docs: Path | None, max_listed: int, per_group: int = 3) -> dict:
    """All the measures, as a dict (see the module docstring)."""
    info = {t["file"]: t for t in truth}
    match = PathMatcher(info)
    unknown: list[str] = []
    pred_of: dict[str, int] = {}
    multi = 0
    for gi, g in enumerate(groups):
        for p in g:
            key = match(p)
            if key is None:
                unknown.append(p)
                continue
            if key in pred_of:
                multi += 1
                continue
            pred_of[key] = gi

    def label(f: str):
        c = info[f]["cluster"]
        return ("c", c) if c is not None else ("n", f)

    # pair counts from the contingency table of (predicted group, truth cluster)
    cont: Counter = Counter()
    group_sizes: Counter = Counter()
    for f, gi in pred_of.items():
        cont[(gi, label(f))] += 1
        group_sizes[gi] += 1
    cluster_sizes = Counter(label(f) for f in info)
    tp = sum(pairs(n) for n in cont.values())
    pred_pairs = sum(pairs(n) for n in group_sizes.values())
    true_pairs = sum(pairs(n) for n in cluster_sizes.values())
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def together(a: str, b: str) -> bool:
        ga = pred_of.get(a)
        return ga is not None and ga == pred_of.get(b)

    # recall per artefact kind, on each copy's pair with its base
    base_of = {t["cluster"]: t["file"] for t in truth if t["role"] == "base"}
    kind_all: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    kind_only: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    corpus_rec: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed: list[tuple[str, str, list[str]]] = []
    for t in truth:
        if t["role"] != "copy":
            continue
        base = base_of.get(t["cluster"])
        if base is None:
            continue
        hit = together(t["file"], base)
        for k in t["artefacts"]:
            kind_all[k][0] += hit
            kind_all[k][1] += 1
        if len(t["artefacts"]) == 1:
            kind_only[t["artefacts"][0]][0] += hit
            kind_only[t["artefacts"][0]][1] += 1
        corpus = t["file"].split("/", 1)[0]
        corpus_rec[corpus][0] += hit
        corpus_rec[corpus][1] += 1
        if not hit:
            missed.append((t["file"], base, t["artefacts"]))

    # hard negatives
    neg_stats: dict[str, dict] = {}
    neg_kind_of_pair: dict[frozenset, str] = {}
    merged_neg: list[tuple[str, str, str, str]] = []
    for n in negatives:
        kind = n["kind"]
        s = neg_stats.setdefault(kind, {"groups": 0, "pairs": 0, "merged": 0, "files_merged": 0})
        files = [f for f in n["files"] if f in info]
        s["groups"] += 1
        s["pairs"] += pairs(len(files))
        by_group: dict[int, list[str]] = defaultdict(list)
        for f in files:
            if f in pred_of:
                by_group[pred_of[f]].append(f)
        for gi in sorted(by_group):
            members = by_group[gi]
            if len(members) < 2:
                continue
            s["merged"] += pairs(len(members))
            s["files_merged"] += len(members)
            for i in range(len(members)):
                for j in range(i + 1, len(members)):
                    merged_neg.append((kind, n.get("template") or "", members[i], members[j]))
        if len(files) <= 400:
            for i in range(len(files)):
                for j in range(i + 1, len(files)):
                    neg_kind_of_pair[frozenset((files[i], files[j]))] = kind

    # false merges: one listed pair per pair of different clusters in a group
    members_of: dict[int, list[str]] = defaultdict(list)
    for f in sorted(pred_of):
        members_of[pred_of[f]].append(f)
    false_pairs = pred_pairs - tp
    impure_groups = 0
    listed: list[dict] = []
    for gi in sorted(members_of, key=lambda g: (-len(members_of[g]), g)):
        by_label: dict = {}
        for f in members_of[gi]:
            lab = label(f)
            # prefer the base file as the representative of its cluster
            if lab not in by_label or info[f]["role"] == "base":
                by_label[lab] = f
        if len(by_label) < 2:
            continue
        impure_groups += 1
        reps = sorted(by_label.values())
        # a few pairs per group, so that more than the largest group shows
        in_group = 0
        for i in range(len(reps)):
            for j in range(i + 1, len(reps)):
                if len(listed) >= max_listed or in_group >= per_group:
                    break
                in_group += 1
                a, b = reps[i], reps[j]
                kind = neg_kind_of_pair.get(frozenset((a, b)), "")
                if not kind and (info[a]["role"] == "negative" and info[b]["role"] == "negative"):
                    kind = "shared_chrome?"
                a_text, b_text = snippets(docs, a, b)
                listed.append({"group": gi, "group_size": len(members_of[gi]), "a": a, "b": b,
                               "kind": kind, "a_text": a_text, "b_text": b_text,
                               "a_role": info[a]["role"], "b_role": info[b]["role"]})

    return {
        "files_in_truth": len(info),
        "files_in_groups": len(pred_of),
        "groups": sum(1 for g in group_sizes.values() if g >= 2),
        "unknown_paths": len(unknown),
        "unknown_examples": unknown[:5],
        "files_in_several_groups": multi,
        "true_pairs": true_pairs,
        "predicted_pairs": pred_pairs,
        "true_positive_pairs": tp,
        "false_pairs": false_pairs,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "recall_by_artefact": {k: {"found": v[0], "total": v[1], "recall": v[0] / v[1]}
                               for k, v in sorted(kind_all.items())},
        "recall_by_artefact_alone": {k: {"found": v[0], "total": v[1], "recall": v[0] / v[1]}
                                     for k, v in sorted(kind_only.items())},
        "recall_by_corpus": {k: {"found": v[0], "total": v[1], "recall": v[0] / v[1]}
                             for k, v in sorted(corpus_rec.items())},
        "negatives": neg_stats,
        "merged_negative_pairs": [
            {"kind": k, "template": t, "a": a, "b": b} for k, t, a, b in merged_neg[:max_listed]],
        "impure_groups": impure_groups,
        "false_merges_listed": listed,
        "missed_examples": [{"copy": c, "base": b, "artefacts": a} for c, b, a in missed[:max_listed]],
    }


def evaluate_scale(groups: list[list[str]], truth_tsv: Path) -> dict:
    """Planted-pair truth of a --scale corpus: recall of copy/original pairs
    and the number of other merged pairs (not all of them are wrong: the
    recombined articles can share sentences by chance)."""
    cluster: dict[str, str] = {}
    kinds: dict[str, str] = {}
    with open(truth_tsv, encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            copy, orig, kind = line.rstrip("\n").split("\t")
            cluster[copy] = orig
            cluster.setdefault(orig, orig)
            kinds[copy] = kind
    match = PathMatcher(cluster)
    pred_of: dict[str, int] = {}
    loose = 0
    cont: Counter = Counter()
    sizes: Counter = Counter()
    for gi, g in enumerate(groups):
        for p in g:
            key = match(p)
            sizes[gi] += 1
            if key is None:
                loose += 1
                cont[(gi, ("x", p))] += 1
            else:
                pred_of[key] = gi
                cont[(gi, ("c", cluster[key]))] += 1
    tp = sum(pairs(n) for n in cont.values())
    pred_pairs = sum(pairs(n) for n in sizes.values())
    true_pairs = sum(pairs(n) for n in Counter(cluster.values()).values())
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for copy, kind in kinds.items():
        g = pred_of.get(copy)
        hit = g is not None and g == pred_of.get(cluster[copy])
        by_kind[kind][0] += hit
        by_kind[kind][1] += 1
    return {
        "planted_copies": len(kinds),
        "true_pairs": true_pairs,
        "predicted_pairs": pred_pairs,
        "true_positive_pairs": tp,
        "recall": tp / true_pairs if true_pairs else 1.0,
        "other_merged_pairs": pred_pairs - tp,
        "recall_by_artefact": {k: {"found": v[0], "total": v[1], "recall": v[0] / v[1]}
                               for k, v in sorted(by_kind.items())},
    }


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def print_report(r: dict, name: str, out=sys.stdout) -> None:
    w = out.write
    w(f"== {name}\n")
    w(f"files in truth {r['files_in_truth']}, in predicted groups {r['files_in_groups']} "
      f"({r['groups']} groups)\n")
    if r["unknown_paths"]:
        w(f"WARNING: {r['unknown_paths']} reported paths match no truth file, e.g. "
          f"{r['unknown_examples']}\n")
    if r["files_in_several_groups"]:
        w(f"WARNING: {r['files_in_several_groups']} files appear in more than one group\n")
    w(f"pairwise precision {r['precision']:.4f}  recall {r['recall']:.4f}  F1 {r['f1']:.4f}  "
      f"(true pairs {r['true_pairs']}, predicted {r['predicted_pairs']}, "
      f"correct {r['true_positive_pairs']}, false {r['false_pairs']})\n")
    w("recall by corpus: " + ", ".join(f"{k} {pct(v['recall'])} ({v['found']}/{v['total']})"
                                        for k, v in r["recall_by_corpus"].items()) + "\n")
    w("recall per artefact kind (copy-base pairs; 'alone' = copies with only that kind):\n")
    alone = r["recall_by_artefact_alone"]
    for k, v in r["recall_by_artefact"].items():
        a = alone.get(k)
        extra = f"   alone {pct(a['recall']):>6} ({a['found']}/{a['total']})" if a else ""
        w(f"  {k:<18} {pct(v['recall']):>6} ({v['found']}/{v['total']}){extra}\n")
    w("hard negatives merged (pairs merged / pairs):\n")
    for k, v in sorted(r["negatives"].items()):
        w(f"  {k:<14} {v['merged']}/{v['pairs']} in {v['groups']} groups\n")
    if r["merged_negative_pairs"]:
        w("merged negative pairs (first ones):\n")
        for m in r["merged_negative_pairs"]:
            w(f"  [{m['kind']}{'/' + m['template'] if m['template'] else ''}] {m['a']} + {m['b']}\n")
    w(f"false merges: {r['false_pairs']} pairs in {r['impure_groups']} groups; listed:\n")
    for m in r["false_merges_listed"]:
        tag = f" [{m['kind']}]" if m["kind"] else ""
        w(f"  group {m['group']} ({m['group_size']} files){tag}\n"
          f"    {m['a']} ({m['a_role']}): {m['a_text']}\n"
          f"    {m['b']} ({m['b_role']}): {m['b_text']}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--pred", required=True, help="the tool's output file")
    ap.add_argument("--format", choices=["auto", "newsdedup", "groups"], default="auto")
    ap.add_argument("--truth-dir", help="folder with truth.jsonl and negatives.jsonl")
    ap.add_argument("--scale-truth", help="truth.tsv of a --scale corpus instead")
    ap.add_argument("--docs", help="the labeled documents folder, to quote false merges "
                                   "(default: the truth folder's name without '-truth')")
    ap.add_argument("--name", help="label for the printed report")
    ap.add_argument("--list", type=int, default=25, help="false merges to list (25)")
    ap.add_argument("--json", help="also write all measures to this JSON file")
    ap.add_argument("--quiet", action="store_true", help="print nothing (with --json)")
    args = ap.parse_args(argv)

    groups, extra = read_groups(Path(args.pred), args.format)
    if args.scale_truth:
        r = evaluate_scale(groups, Path(args.scale_truth))
        if not args.quiet:
            print(json.dumps(r, indent=2))
    else:
        if not args.truth_dir:
            ap.error("--truth-dir or --scale-truth is required")
        tdir = Path(args.truth_dir)
        truth = load_jsonl(tdir / "truth.jsonl")
        negatives = load_jsonl(tdir / "negatives.jsonl") if (tdir / "negatives.jsonl").exists() else []
        docs = Path(args.docs) if args.docs else None
        if docs is None and tdir.name.endswith("-truth"):
            cand = tdir.parent / tdir.name[: -len("-truth")]
            docs = cand if cand.is_dir() else None
        r = evaluate(groups, truth, negatives, docs, args.list)
        r.update({k: v for k, v in extra.items() if k == "problems"})
        if not args.quiet:
            print_report(r, args.name or os.path.basename(args.pred))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(r, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
