#!/usr/bin/env bash
# The inference benchmark of scripts/bench-inference.sh on an NVIDIA GPU: sextant's Java engine on the CUDA
# execution provider (the -Pgpu build, onnxruntime_gpu) against onnxruntime-genai on CUDA, on the same SmolLM2
# model directories, the same 32 prompts (inference/bench/prompts.json) and output length, printing the same table.
#
# Usage: gpu/bench-inference-gpu.sh [--app DIR] [--data-dir DIR] [--precisions int4,int8] [--concurrency 1,4,16,64]
#                                   [--new-tokens 128] [--device-id 0] [--baseline cuda|cpu|none] [--out FILE.json]
#   --app DIR     a full -Pgpu build's quarkus-app (`./mvnw -Pgpu package -pl app -am`, e.g. built elsewhere and
#                 copied: the onnxruntime_gpu jar is 613 MiB); default: build it here into app/target/quarkus-app
#   --baseline    onnxruntime-genai on cuda (default), on the cpu, or none
# Needs: an NVIDIA driver (nvidia-smi), Python >= 3.10, PyPI; a JDK 21+ (the launcher's rules).
# CUDA 12 / cuDNN 9 libraries: the system's (ldconfig) when present, else the nvidia-* wheels that
# `onnxruntime-gpu[cuda,cudnn]` brings into the benchmark venv, put on LD_LIBRARY_PATH for both engines.
# Exit: 0 done; 1 a step failed; 3 no GPU or the Java engine did not run on CUDA (it says why).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${SEXTANT_CACHE_DIR:-$HOME/.cache/sextant}"
VENV="$CACHE_DIR/gpu-bench-venv"
ORT_VERSION=1.29.0        # the Java side's com.microsoft.onnxruntime version
ORTGENAI_VERSION=0.15.2   # the last onnxruntime-genai release that works with onnxruntime 1.29 (as on CPU)
DATA_DIR="${SEXTANT_DATA_DIR:-$HOME/.sextant}"
APP=""
PRECISIONS="int4,int8"
CONCURRENCY="1,4,16,64"
NEW_TOKENS=128
DEVICE_ID=0
BASELINE=cuda
OUT="$ROOT/gpu/results-gpu.json"
PROMPTS="$ROOT/inference/bench/prompts.json"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --app) APP="$2"; shift 2 ;;
    --data-dir) DATA_DIR="$2"; shift 2 ;;
    --precisions) PRECISIONS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --new-tokens) NEW_TOKENS="$2"; shift 2 ;;
    --device-id) DEVICE_ID="$2"; shift 2 ;;
    --baseline) BASELINE="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-inference-gpu: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$BASELINE" in cuda|cpu|none) ;; *) echo "bench-inference-gpu: --baseline cuda|cpu|none" >&2; exit 2 ;; esac

log() { printf 'bench-inference-gpu: %s\n' "$*" >&2; }
die() { log "ERROR: $1"; exit "${2:-1}"; }

# ------------------------------------------------------------------ the GPU
command -v nvidia-smi >/dev/null 2>&1 || die "no nvidia-smi: this machine has no NVIDIA driver (see gpu/README.md)" 3
GPU_LINE="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader -i "$DEVICE_ID")" \
  || die "nvidia-smi cannot see GPU $DEVICE_ID" 3
log "GPU $DEVICE_ID: $GPU_LINE"

# ------------------------------------------------------------------ venv: onnxruntime-gpu + CUDA/cuDNN wheels + genai
# shellcheck source-path=SCRIPTDIR source=../scripts/lib/find-python.sh
source "$ROOT/scripts/lib/find-python.sh"
PINS="onnxruntime-gpu[cuda,cudnn]==$ORT_VERSION onnxruntime-genai-cuda==$ORTGENAI_VERSION"
if [[ "$(cat "$VENV/.pins" 2>/dev/null)" != "$PINS" ]] || ! "$VENV/bin/python" -c 'import onnxruntime_genai' 2>/dev/null; then
  py="$(find_python)" || die "no Python >= 3.10 with venv"
  log "creating $VENV ($PINS; the CUDA and cuDNN wheels are ~2-3 GB)"
  rm -rf "$VENV"
  "$py" -m venv "$VENV"
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install -q --disable-pip-version-check $PINS >&2 || die "pip install $PINS failed"
  printf '%s' "$PINS" >"$VENV/.pins"
fi
have_system_cuda() { ldconfig -p 2>/dev/null | grep -q 'libcublasLt.so.12' && ldconfig -p 2>/dev/null | grep -q 'libcudnn.so.9'; }
if have_system_cuda; then
  log "CUDA 12 / cuDNN 9 libraries: the system's (ldconfig)"
else
  libs="$("$VENV/bin/python" -c 'import glob, os, site
print(":".join(sorted(d for p in site.getsitepackages() for d in glob.glob(os.path.join(p, "nvidia", "*", "lib")))))')"
  [[ -n "$libs" ]] || die "no system CUDA 12/cuDNN 9 libraries and no nvidia-* wheels in $VENV"
  export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  log "CUDA 12 / cuDNN 9 libraries: the nvidia-* wheels in $VENV ($(tr ':' '\n' <<<"$libs" | wc -l) dirs on LD_LIBRARY_PATH)"
fi

# ------------------------------------------------------------------ the -Pgpu build
if [[ -z "$APP" ]]; then
  log "building with -Pgpu (onnxruntime_gpu $ORT_VERSION, a 613 MiB download the first time)"
  (cd "$ROOT" && ./mvnw -B -q -Dstyle.color=never package -DskipTests -Pgpu -pl app -am) >&2
  APP="$ROOT/app/target/quarkus-app"
fi
[[ -f "$APP/quarkus-run.jar" ]] || die "$APP is not a quarkus-app directory"
compgen -G "$APP/lib/main/com.microsoft.onnxruntime.onnxruntime_gpu-*.jar" >/dev/null \
  || die "$APP has no onnxruntime_gpu jar: build it with ./mvnw -Pgpu package"
source_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*; do
    [[ -n "$c" && -x "$c/bin/java" ]] || continue
    v="$("$c/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
    [[ -n "$v" && "$v" -ge 21 ]] && { printf '%s' "$c"; return 0; }
  done
  return 1
}
JDK="$(source_jdk)" || die "no JDK 21+ found"
JAVA=("$JDK/bin/java" -Djava.util.logging.manager=org.jboss.logmanager.LogManager --enable-native-access=ALL-UNNAMED
      -jar "$APP/quarkus-run.jar")
if ! "${JAVA[@]}" bench-inference --help 2>&1 | grep -q -- '--device'; then
  die "this build's bench-inference has no --device option: it would run the engine on the CPU (see gpu/README.md, 'Not verified')" 3
fi

# ------------------------------------------------------------------ models, then both engines
IFS=',' read -r -a precisions <<<"$PRECISIONS"
"$ROOT/scripts/model-prepare.sh" --data-dir "$DATA_DIR" --variants "$PRECISIONS" >/dev/null
results="$(mktemp)"; errlog="$(mktemp)"; rawlog="$(mktemp)"
trap 'rm -f "$results" "$errlog" "$rawlog"' EXIT
for p in "${precisions[@]}"; do
  model="$DATA_DIR/models/smollm2-135m-instruct-$p"
  log "$p: sextant (Java) engine on cuda:$DEVICE_ID"
  # The JSON lines and the log (which says where the decoder runs) may share stdout: keep both.
  "${JAVA[@]}" bench-inference --model-dir "$model" --prompts "$PROMPTS" --new-tokens "$NEW_TOKENS" \
      --concurrency "$CONCURRENCY" --device cuda --cuda-device-id "$DEVICE_ID" >"$rawlog" 2>"$errlog" \
    || { tail -n 20 "$errlog" "$rawlog" >&2; die "bench-inference failed"; }
  grep '^{' "$rawlog" | sed "s/^{/{\"engine\":\"sextant\",\"precision\":\"$p\",/" >>"$results"
  if ! grep -q "runs on cuda:$DEVICE_ID" "$rawlog" "$errlog"; then
    grep -hi 'inference runs on' "$rawlog" "$errlog" >&2 || tail -n 5 "$errlog" >&2
    die "the Java engine did not run on cuda:$DEVICE_ID (its log line above says why); no GPU figures" 3
  fi
  case "$BASELINE" in
    cuda)
      log "$p: onnxruntime-genai-cuda $ORTGENAI_VERSION on cuda:$DEVICE_ID"
      SEXTANT_CUDA_DEVICE_ID="$DEVICE_ID" "$VENV/bin/python" "$ROOT/gpu/ortgenai_cuda_baseline.py" --model-dir "$model" \
        --prompts "$PROMPTS" --new-tokens "$NEW_TOKENS" --concurrency "$CONCURRENCY" \
        | sed "s/^{/{\"engine\":\"onnxruntime-genai\",\"precision\":\"$p\",/" >>"$results" ;;
    cpu)
      log "$p: onnxruntime-genai $ORTGENAI_VERSION on the CPU"
      "$VENV/bin/python" "$ROOT/inference/bench/ortgenai_baseline.py" --model-dir "$model" --prompts "$PROMPTS" \
        --new-tokens "$NEW_TOKENS" --concurrency "$CONCURRENCY" \
        | sed "s/^{/{\"engine\":\"onnxruntime-genai\",\"precision\":\"$p\",/" >>"$results" ;;
    none) ;;
  esac
done

# The table of scripts/bench-inference.sh, with the device in the title.
python3 "$ROOT/inference/bench/print_table.py" "$results" "$OUT" "$NEW_TOKENS" "$GPU_LINE" "$BASELINE"
