#!/usr/bin/env bash
# newsdedup benchmark driver. See bench/README.md.
#
#   bench/run.sh                 build, generate, accuracy, speed, report
#   bench/run.sh --scale         the same, then the 100k / 1M scale runs
#   bench/run.sh STEP...         only these steps, in this order:
#       build      cargo build --release
#       generate   labeled set -> bench/out/labeled (+ bench/out/labeled-truth)
#       setup      bench/.venv with datasketch and rensa
#       accuracy   newsdedup and the peers' threshold sweep on the labeled set
#       peers      the peers only (sweep + speed), no newsdedup binary needed
#       speed      cat floor, newsdedup and peers timed on the labeled set and Reuters,
#                  in interleaved rounds (bench/speed.py; SPEED_ROUNDS, default 5)
#       scale      100k and 1M synthetic corpora in $SCALE_DIR, newsdedup timed
#       report     bench/results/YYYY-MM-DD.md from bench/out/results/*.json
#       index      the persistent index: index add vs scan of the 100k corpus,
#                  and a 10,000-file batch against an index of the 1M corpus
#                  (bench/index_bench.py; needs the scale corpora)
#
# Environment: CORPORA (default ../shared/corpora from the repository root),
# SCALE_DIR (default /tmp/newsdedup-scale), SCALE_SIZES (default
# "100000 1000000"), SCALE_JOBS (generator processes, default 2),
# SCALE_REPEAT (runs per scale corpus, median reported, default 3),
# NEWSDEDUP_ARGS (extra arguments for `newsdedup scan`), PYTHON (python3).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CORPORA=${CORPORA:-$ROOT/../shared/corpora}
SCALE_DIR=${SCALE_DIR:-/tmp/newsdedup-scale}
SCALE_SIZES=${SCALE_SIZES:-"100000 1000000"}
SCALE_JOBS=${SCALE_JOBS:-2}
# Runs per scale corpus, median taken: one 18 s run of the 1M corpus moved
# by 10% with the machine's drift, and the 10x ratio with it.
SCALE_REPEAT=${SCALE_REPEAT:-3}
NEWSDEDUP_ARGS=${NEWSDEDUP_ARGS:-}
PY=${PYTHON:-python3}
BIN=target/release/newsdedup
OUT=bench/out
RES=$OUT/results
LABELED=$OUT/labeled
TRUTH=$OUT/labeled-truth
REUTERS=$CORPORA/reuters21578/docs
INVOCATION="bench/run.sh${*:+ $*}"

say() { printf '\n[run] %s\n' "$*" >&2; }
die() { printf '[run] error: %s\n' "$*" >&2; exit 2; }

require_bin() {
    [[ -x $BIN ]] || die "$BIN not found: build it first (cargo build --release, or bench/run.sh build)"
}
require_labeled() {
    [[ -f $TRUTH/truth.jsonl ]] || step_generate
}
require_corpora() {
    [[ -d $CORPORA/bbc/docs && -d $REUTERS ]] ||
        die "corpora not found under $CORPORA (set CORPORA=/path/to/corpora)"
}

# newsdedup exits 1 when it finds duplicates: that is not a failure; 2 is.
newsdedup_timed() { # label json-out groups-out repeat dir...
    local label=$1 json=$2 groups=$3 repeat=$4; shift 4
    # shellcheck disable=SC2086
    "$PY" bench/measure.py --label "$label" --repeat "$repeat" --ok 0,1 --stdout "$groups" --count-groups \
        --json "$json" --data "$@" -- "$BIN" scan "$@" --format json --quiet $NEWSDEDUP_ARGS ||
        die "newsdedup failed on $* (exit status 2 means an error; see above)"
}

best_threshold() { # tool -> best-F1 threshold from the sweep, 0.5 without one
    "$PY" - "$1" "$RES/peers-labeled.json" <<'EOF'
import json, os, sys
tool, path = sys.argv[1], sys.argv[2]
t = 0.5
if os.path.exists(path):
    t = json.load(open(path))["tools"].get(tool, {}).get("best_threshold", 0.5)
print(t)
EOF
}

step_build() {
    say "cargo build --release"
    cargo build --release
    require_bin
}

step_generate() {
    require_corpora
    say "generating the labeled set from $CORPORA"
    "$PY" bench/generate.py --corpora "$CORPORA" --out "$LABELED" --truth-dir "$TRUTH"
    mkdir -p "$RES"
    cp "$TRUTH/manifest.json" "$RES/labeled-manifest.json"
}

step_setup() {
    say "peers' virtualenv"
    "$PY" bench/peers.py setup
}

peers_sweep() {
    require_labeled
    step_setup
    mkdir -p "$RES"
    say "peers: threshold sweep on the labeled set"
    "$PY" bench/peers.py sweep --truth-dir "$TRUTH" --outdir "$OUT/peers/labeled" \
        --json "$RES/peers-labeled.json" --quiet "$LABELED"
}

step_accuracy() {
    require_bin
    require_labeled
    mkdir -p "$RES"
    say "newsdedup on the labeled set"
    newsdedup_timed newsdedup "$RES/newsdedup-labeled.run.json" "$OUT/newsdedup-labeled.json" 1 "$LABELED"
    "$PY" bench/evaluate.py --truth-dir "$TRUTH" --docs "$LABELED" --pred "$OUT/newsdedup-labeled.json" \
        --format newsdedup --name "newsdedup on the labeled set" --json "$RES/newsdedup-labeled.eval.json"
    peers_sweep
}

speed_peers() { # dataset dir
    local ds=$1 dir=$2 tool t
    for tool in rensa datasketch; do
        t=$(best_threshold "$tool")
        say "$tool (threshold $t) on $ds"
        "$PY" bench/peers.py speed --tool "$tool" --threshold "$t" --outdir "$OUT/peers/$ds" \
            --json "$RES/speed-$ds-$tool.json" "$dir"
    done
}

speed_cat() { # dataset dir
    say "cat floor on $1"
    "$PY" bench/measure.py --label cat --warmup --repeat 3 --data "$2" --json "$RES/speed-$1-cat.json" \
        -- bash -c 'find "$1" -type f -print0 | xargs -0 cat > /dev/null' _ "$2"
}

step_speed() {
    require_bin
    require_labeled
    require_corpora
    step_setup
    mkdir -p "$RES"
    local ds dir
    for ds in labeled reuters; do
        if [[ $ds == labeled ]]; then dir=$LABELED; else dir=$REUTERS; fi
        say "cat, newsdedup, rensa and datasketch on $ds, in interleaved rounds"
        "$PY" bench/speed.py --dataset "$ds" --dir "$dir" --bin "$BIN" --resdir "$RES" --outdir "$OUT" \
            --rounds "${SPEED_ROUNDS:-5}" --newsdedup-args "$NEWSDEDUP_ARGS" \
            --threshold "rensa=$(best_threshold rensa)" --threshold "datasketch=$(best_threshold datasketch)" ||
            die "the speed step failed on $ds (see above)"
    done
}

step_peers() {
    require_corpora
    peers_sweep
    local ds dir
    for ds in labeled reuters; do
        if [[ $ds == labeled ]]; then dir=$LABELED; else dir=$REUTERS; fi
        speed_cat "$ds" "$dir"
        speed_peers "$ds" "$dir"
    done
}

step_scale() {
    require_bin
    require_corpora
    mkdir -p "$RES" "$SCALE_DIR"
    local n name
    for n in $SCALE_SIZES; do
        name=$(( n / 1000 ))k
        [[ $n -ge 1000000 && $(( n % 1000000 )) -eq 0 ]] && name=$(( n / 1000000 ))M
        say "scale: generating $n files in $SCALE_DIR/$name"
        "$PY" bench/generate.py --corpora "$CORPORA" --scale "$n" --jobs "$SCALE_JOBS" \
            --out "$SCALE_DIR/$name"
        say "scale: warming the cache, then newsdedup on $name"
        find "$SCALE_DIR/$name/docs" -type f -print0 | xargs -0 cat > /dev/null
        newsdedup_timed "newsdedup-$name" "$RES/scale-$name.run.json" "$SCALE_DIR/$name.groups.json" \
            "$SCALE_REPEAT" "$SCALE_DIR/$name/docs"
        "$PY" bench/evaluate.py --pred "$SCALE_DIR/$name.groups.json" --format newsdedup \
            --scale-truth "$SCALE_DIR/$name/truth.tsv" --json "$RES/scale-$name.eval.json" --quiet
    done
    "$PY" - "$RES" $SCALE_SIZES <<'EOF'
import json, sys
res, sizes = sys.argv[1], [int(x) for x in sys.argv[2:]]
def name(n):
    return f"{n // 1000000}M" if n >= 1000000 and n % 1000000 == 0 else f"{n // 1000}k"
runs = []
for n in sizes:
    r = json.load(open(f"{res}/scale-{name(n)}.run.json"))
    e = json.load(open(f"{res}/scale-{name(n)}.eval.json"))
    runs.append({"name": name(n), "files": r["files"], "bytes": r["bytes"], "wall": r["median_wall"],
                 "walls": [x["wall"] for x in r["runs"]], "max_rss_kb": r["max_rss_kb"], "planted": e})
out = {"runs": runs, "ratio_10x": None}
for a in runs:
    for b in runs:
        if b["files"] == 10 * a["files"]:
            out["ratio_10x"] = b["wall"] / a["wall"]
json.dump(out, open(f"{res}/scale.json", "w"), indent=2)
for r in runs:
    print(f"[run] scale {r['name']}: {r['wall']:.1f}s, peak RSS {r['max_rss_kb'] / 1024:.0f} MiB, "
          f"planted-pair recall {r['planted']['recall']:.3f}")
if out["ratio_10x"] is not None:
    print(f"[run] scale: 10x the documents took {out['ratio_10x']:.2f}x the time")
EOF
}

step_index() {
    require_bin
    mkdir -p "$RES"
    local small=100000 large=1000000 name
    for n in $small $large; do
        name=$(( n / 1000 ))k
        [[ $n -ge 1000000 ]] && name=$(( n / 1000000 ))M
        [[ -f $SCALE_DIR/$name/manifest.json ]] && continue
        require_corpora
        "$PY" bench/generate.py --corpora "$CORPORA" --scale "$n" --jobs "$SCALE_JOBS" \
            --out "$SCALE_DIR/$name"
    done
    "$PY" bench/index_bench.py --bin "$BIN" --scale-dir "$SCALE_DIR" --add-corpus 100k \
        --query-corpus 1M --json "$RES/index.json"
}

step_report() {
    "$PY" bench/report.py --results "$RES" --command "$INVOCATION"
}

steps=()
with_scale=0
for arg in "$@"; do
    case $arg in
        --scale) with_scale=1 ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        build|generate|setup|accuracy|peers|speed|scale|index|report) steps+=("$arg") ;;
        *) die "unknown step or option: $arg (see bench/run.sh --help)" ;;
    esac
done
if [[ ${#steps[@]} -eq 0 ]]; then
    steps=(build generate setup accuracy speed)
    [[ $with_scale -eq 1 ]] && steps+=(scale)
    steps+=(report)
elif [[ $with_scale -eq 1 ]]; then
    steps+=(scale)
fi
for s in "${steps[@]}"; do
    "step_$s"
done
