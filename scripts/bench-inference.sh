#!/usr/bin/env bash
# The inference benchmark: sextant's Java engine against onnxruntime-genai (Python) on the same ONNX model
# directories, the same 32 prompts (inference/bench/prompts.json) and the same output length, in one run.
#
# Usage: scripts/bench-inference.sh [--data-dir DIR] [--precisions int4,int8] [--concurrency 1,4,16]
#                                   [--new-tokens 128] [--out FILE.json]
# Needs the prepared models (./sextant model prepare). Prints a table with ratios; writes all figures as JSON.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${SEXTANT_CACHE_DIR:-$HOME/.cache/sextant}"
VENV="$CACHE_DIR/bench-venv"
ORTGENAI_VERSION="${SEXTANT_ORTGENAI_VERSION:-0.15.2}"  # 0.16+ needs onnxruntime >= 1.30; we pin 1.29
DATA_DIR="${SEXTANT_DATA_DIR:-$HOME/.sextant}"
PRECISIONS="int4,int8"
CONCURRENCY="1,4,16"
NEW_TOKENS=128
OUT="$ROOT/inference/bench/results.json"
PROMPTS="$ROOT/inference/bench/prompts.json"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --data-dir) DATA_DIR="$2"; shift 2 ;;
    --precisions) PRECISIONS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --new-tokens) NEW_TOKENS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "bench-inference: unknown argument $1" >&2; exit 2 ;;
  esac
done

log() { printf 'bench-inference: %s\n' "$*" >&2; }

if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c "import onnxruntime_genai" 2>/dev/null; then
  log "creating $VENV with onnxruntime-genai==$ORTGENAI_VERSION"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "onnxruntime==1.29.0" "onnxruntime-genai==$ORTGENAI_VERSION" >&2
fi

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
IFS=',' read -r -a precisions <<<"$PRECISIONS"
for p in "${precisions[@]}"; do
  model="$DATA_DIR/models/smollm2-135m-instruct-$p"
  [[ -f "$model/genai_config.json" ]] || { log "missing $model: run ./sextant model prepare"; exit 1; }
  log "$p: sextant (Java) engine"
  "$ROOT/sextant" bench-inference --model-dir "$model" --prompts "$PROMPTS" --new-tokens "$NEW_TOKENS" \
      --concurrency "$CONCURRENCY" 2>/dev/null | grep '^{' | sed "s/^{/{\"engine\":\"sextant\",\"precision\":\"$p\",/" >>"$results"
  log "$p: onnxruntime-genai $ORTGENAI_VERSION (Python)"
  "$VENV/bin/python" "$ROOT/inference/bench/ortgenai_baseline.py" --model-dir "$model" --prompts "$PROMPTS" \
      --new-tokens "$NEW_TOKENS" --concurrency "$CONCURRENCY" \
      | sed "s/^{/{\"engine\":\"onnxruntime-genai\",\"precision\":\"$p\",/" >>"$results"
done

python3 - "$results" "$OUT" "$NEW_TOKENS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {(r["engine"], r["precision"], r["concurrency"]): r for r in rows}
print(f"SmolLM2-135M-Instruct, 32 prompts, {sys.argv[3]} new tokens each, greedy; tokens/s = all generated tokens / wall time")
print(f"{'prec':5} {'conc':>4} | {'sextant tok/s':>13} {'ortgenai tok/s (mode)':>16} {'ratio':>6} | "
      f"{'sextant TTFT p50/p99 ms':>23} | {'ortgenai TTFT p50/p99 ms':>24}")
print("(ortgenai: the faster of N threads with batch-1 generators and static batches of N, see ortgenai_baseline.py)")
for (engine, prec, conc), r in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][2])):
    if engine != "sextant":
        continue
    g = by.get(("onnxruntime-genai", prec, conc))
    ratio = r["tokensPerSecond"] / g["tokensPerSecond"] if g else float("nan")
    gtps = f"{g['tokensPerSecond']:8.1f} {g.get('mode', ''):>7}" if g else f"{'-':>16}"
    gttft = f"{g['ttftP50Millis']:10.0f} / {g['ttftP99Millis']:8.0f}" if g else "-"
    print(f"{prec:5} {conc:>4} | {r['tokensPerSecond']:13.1f} {gtps} {ratio:6.2f} | "
          f"{r['ttftP50Millis']:10.0f} / {r['ttftP99Millis']:10.0f} | {gttft:>24}")
for prec in sorted({p for _, p, _ in by}):
    levels = sorted(c for e, p, c in by if e == "sextant" and p == prec)
    if len(levels) > 1:
        lo, hi = by[("sextant", prec, levels[0])], by[("sextant", prec, levels[-1])]
        print(f"{prec}: sextant scaling, concurrency {levels[-1]} vs {levels[0]}: "
              f"x{hi['tokensPerSecond'] / lo['tokensPerSecond']:.2f}")
json.dump(rows, open(sys.argv[2], "w"), indent=1)
print(f"figures written to {sys.argv[2]}")
PY
