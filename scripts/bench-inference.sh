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

python3 "$ROOT/inference/bench/print_table.py" "$results" "$OUT" "$NEW_TOKENS"
