#!/usr/bin/env bash
# shellcheck disable=SC2016  # the bash -c snippets below take their values as arguments, on purpose
# The part of the image builds that runs without a container engine, run for real:
#   1. the Dockerfile's layout scripts (images/scripts/assemble-*.sh) lay out each image's filesystem from this
#      checkout and its Quarkus fast-jar (app/target/quarkus-app) into a temporary root; the files each image
#      needs are checked, and nothing in it is writable by the runtime user;
#   2. that layout is run as the images run it: uid/gid 10001, the image entrypoint (images/files/sextant), working
#      directory /opt/sextant with the chart's rendered application.properties in config/, and only two writable
#      places (the /tmp and data-dir volumes; java.io.tmpdir is pointed at the first). Checked: `--help` lists the
#      commands the chart runs; `inference` with the inference container's environment as the chart renders it
#      (secrets replaced by test values) starts, answers /q/health/started, /live, /ready, exports the queue-depth
#      metric KEDA scales on, and serves a chat completion to a non-loopback caller that sends the internal key;
#      the eval suite of the chart's values parses; the process wrote nothing outside the two volumes;
#   3. the model-prep image's entrypoint (images/files/model-prep) over its assembled layout: --help, `wait` on a
#      complete and on an empty model dir, and `prepare` against this machine's prepared model and warm venv (the
#      up-to-date path, ~2 s); with SEXTANT_IMAGES_CHECK_FULL=1 a full build of the int8 model into an empty dir.
# Not run here (no container engine, no registry, no GPU): the FROM images, the Maven build inside the build stage,
# the CUDA image. See images/README.md.
#
# Usage: images/check.sh --manifest RENDERED_DEFAULT.yaml --python PYTHON_WITH_PYYAML
# Exit 0 when every check passes; prints one line per check ("ok ..." / "FAIL ...").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MANIFEST=""; PY=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --manifest) MANIFEST="$2"; shift 2 ;;
    --python) PY="$2"; shift 2 ;;
    *) echo "images/check.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -f "$MANIFEST" && -x "$PY" ]] || { echo "usage: images/check.sh --manifest RENDERED.yaml --python PYTHON" >&2; exit 2; }

FAILS=0; PASSES=0
ok() { printf 'images: ok   %s\n' "$*"; PASSES=$((PASSES + 1)); }
fail() { printf 'images: FAIL %s\n' "$*"; FAILS=$((FAILS + 1)); }
note() { printf 'images: --   %s\n' "$*"; }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

APP="$ROOT/app/target/quarkus-app"
if [[ ! -f "$APP/quarkus-run.jar" ]]; then
  fail "no Quarkus build at $APP (run ./sextant build first)"
  exit 1
fi

# The images run Temurin 25; the entrypoint's flags need a JDK >= 24.
find_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*; do
    [[ -n "$c" && -x "$c/bin/java" ]] || continue
    v="$("$c/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
    if [[ -n "$v" && "$v" -ge 24 ]]; then printf '%s' "$c"; return 0; fi
  done
  return 1
}
JDK="$(find_jdk)" || { fail "no JDK >= 24 under /usr/lib/jvm (the images run Temurin 25)"; exit 1; }

UID_RT=10001
T="$(mktemp -d /tmp/sextant-images-check.XXXXXX)"
SERVER_PID=""
cleanup() {
  find /tmp -maxdepth 1 -name 'mat-debug-*.log' -uid "$UID_RT" -delete 2>/dev/null || true
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$T"
}
trap cleanup EXIT
chmod 0755 "$T"

# ------------------------------------------------------------------ 1. layouts
RFS="$T/router-rootfs"
"$ROOT/images/scripts/assemble-jvm.sh" "$RFS" "$APP" --extras "$ROOT" 2>/dev/null
O="$RFS/opt/sextant"
check "router layout: fast-jar (quarkus-run.jar, $(find "$O/app/lib/main" -name '*.jar' | wc -l) jars in lib/main, app/, quarkus/)" \
  test -f "$O/app/quarkus-run.jar" -a -d "$O/app/lib/main" -a -d "$O/app/app" -a -f "$O/app/quarkus/quarkus-application.dat"
check "router layout: entrypoint bin/sextant is executable" test -x "$O/bin/sextant"
check "router layout: samples/corpus ($(find "$O/samples/corpus" -type f | wc -l) files) and eval/suites/smoke.yaml" \
  test -f "$O/eval/suites/smoke.yaml" -a -d "$O/samples/corpus"
check "router layout: onnxruntime and DJL tokenizers jars present" \
  bash -c "ls '$O/app/lib/main' | grep -q '^com.microsoft.onnxruntime.onnxruntime' && ls '$O/app/lib/main' | grep -q '^ai.djl.huggingface.tokenizers'"
writable="$(find "$RFS" -perm -o+w -o -perm -g+w | head -n 3)"
check "router layout: nothing group/world-writable" test -z "$writable"

BFS="$T/base-rootfs"
"$ROOT/images/scripts/assemble-jvm.sh" "$BFS" "$APP" 2>/dev/null
check "inference/embeddings layout: no samples or eval suites" test ! -e "$BFS/opt/sextant/samples" -a ! -e "$BFS/opt/sextant/eval"

# The ConfigMap's application.properties, as the chart renders it, goes where the chart mounts it.
"$PY" - "$MANIFEST" "$O/config/application.properties" <<'PY'
import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d and d.get("kind") == "ConfigMap" and d["metadata"]["name"].endswith("-config"):
        open(sys.argv[2], "w").write(d["data"]["application.properties"])
        break
else:
    sys.exit("no <fullname>-config ConfigMap in the manifest")
PY
chmod 0644 "$O/config/application.properties"

# ------------------------------------------------------------------ 2. run the layout as the image runs it
VTMP="$T/vol-tmp"; VDATA="$T/vol-data"
install -d -m 0700 -o "$UID_RT" -g "$UID_RT" "$VTMP" "$VDATA"
# (mat-debug-PID.log: empty files this workplace's sandbox creates in /tmp for every process, whoever runs it.)
stray_files() { find /tmp /var/tmp /dev/shm -maxdepth 3 -uid "$UID_RT" ! -name 'mat-debug-*.log' 2>/dev/null | grep -v "^$T" | sort || true; }
STRAY_BEFORE="$(stray_files)"
run_image() { # run_image ENVFILE ARGS... : the entrypoint in the emulated container, output to stdout
  local envfile="$1"; shift
  # shellcheck disable=SC2046  # NAME=VALUE words (values checked to have no blanks)
  (cd "$O" && env -i PATH=/usr/bin:/bin HOME="$VTMP" JAVA_HOME="$JDK" SEXTANT_APP_DIR="$O/app" \
     $(cat "$envfile") setpriv --reuid="$UID_RT" --regid="$UID_RT" --clear-groups -- "$O/bin/sextant" "$@")
}

# Volumes remapped: /tmp -> $VTMP (also HOME, as in the images), /var/lib/sextant -> $VDATA (JAVA_OPTS gets
# java.io.tmpdir last, so it wins).
BASE_ENV="$T/base.env"
cat >"$BASE_ENV" <<EOF
DJL_CACHE_DIR=$VTMP/djl
SEXTANT_DATA_DIR=$VDATA
JAVA_OPTS=-Djava.io.tmpdir=$VTMP
EOF

help_out="$(run_image "$BASE_ENV" --help 2>&1 || true)"
for c in router inference embeddings ingest eval; do
  check "entrypoint: 'sextant --help' lists '$c'" grep -qE "^ +$c( |$)" <<<"$help_out"
done
out="$(run_image "$BASE_ENV" ingest --help 2>&1 || true)"
check "entrypoint: 'sextant ingest --help' (the ingestion Job's command) prints its usage" grep -q "Usage: sextant ingest" <<<"$out"

# The inference container's environment from the rendered manifest.
INTERNAL_KEY="sk-sextant-internal-imagescheck-0123456789abcdef"
INF_ENV="$T/inference.env"
JOPTS_FILE="$T/inference.java-opts"
"$PY" - "$MANIFEST" "$VDATA" "$VTMP" "$INTERNAL_KEY" "$JOPTS_FILE" >"$INF_ENV" <<'PY'
import sys, yaml
manifest, data, tmp, key, jopts = sys.argv[1:]
for d in yaml.safe_load_all(open(manifest)):
    if d and d.get("kind") == "StatefulSet" and d["metadata"]["name"].endswith("-inference"):
        c = [c for c in d["spec"]["template"]["spec"]["containers"] if c["name"] == "inference"][0]
        break
else:
    sys.exit("no inference StatefulSet in the manifest")
for e in c["env"]:
    name = e["name"]
    if "valueFrom" in e:
        ref = e["valueFrom"]["secretKeyRef"]["key"]
        value = key if ref == "internal-key" else "x" * 32
    else:
        value = str(e["value"]).replace("/var/lib/sextant", data)
    if name == "JAVA_OPTS":  # the only value with spaces: kept apart
        open(jopts, "w").write(value + f" -Djava.io.tmpdir={tmp} -XX:ErrorFile={tmp}/hs_err_pid%p.log")
        continue
    if any(ch.isspace() for ch in value) or not value:
        sys.exit(f"env {name}: empty or blank-containing value {value!r}: cannot pass it through env(1) here")
    print(f"{name}={value}")
print(f"DJL_CACHE_DIR={tmp}/djl")
PY
JOPTS="$(cat "$JOPTS_FILE")"
cp "$INF_ENV" "$INF_ENV.words"
model_dir="$(grep '^SEXTANT_INFERENCE_MODEL_DIR=' "$INF_ENV.words" | cut -d= -f2-)"
host_model="${SEXTANT_DATA_DIR:-$HOME/.sextant}/models/$(basename "$model_dir")"
if [[ -f "$host_model/genai_config.json" ]]; then
  install -d -m 0755 "$(dirname "$model_dir")"
  cp -al "$host_model" "$model_dir" 2>/dev/null || cp -a "$host_model" "$model_dir"
  chmod -R go+rX,go-w "$(dirname "$model_dir")"
  note "inference runs the prepared model $(basename "$model_dir") (from $host_model, read-only to uid $UID_RT)"
else
  grep -v '^SEXTANT_INFERENCE_MODEL_DIR=' "$INF_ENV.words" >"$INF_ENV.tmp" && mv "$INF_ENV.tmp" "$INF_ENV.words"
  note "no prepared model at $host_model: inference runs the bundled test decoder (run ./sextant model prepare)"
fi
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
LOG="$T/inference.log"
# exec all the way down (env, setpriv, the entrypoint's exec java): $! is the JVM itself.
# shellcheck disable=SC2046  # NAME=VALUE words (values checked to have no blanks)
(cd "$O" && exec env -i PATH=/usr/bin:/bin HOME="$VTMP" JAVA_HOME="$JDK" SEXTANT_APP_DIR="$O/app" JAVA_OPTS="$JOPTS" \
   $(cat "$INF_ENV.words") setpriv --reuid="$UID_RT" --regid="$UID_RT" --clear-groups -- \
   "$O/bin/sextant" inference --port "$PORT" >"$LOG" 2>&1) &
SERVER_PID=$!
up=0
for _ in $(seq 1 240); do
  if curl -fsS "http://127.0.0.1:$PORT/q/health/started" >/dev/null 2>&1; then up=1; break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.5
done
if [[ $up -eq 1 ]]; then
  ok "inference (chart env, uid $UID_RT, read-only layout) started: $(grep -o 'engine [^ ]*' "$LOG" | head -n 1)"
  for p in started live ready; do
    check "inference: /q/health/$p answers UP" bash -c "curl -fsS http://127.0.0.1:$PORT/q/health/$p | grep -q '\"status\": \"UP\"'"
  done
  check "inference: /q/metrics exports sextant_inference_waiting_sequences (the KEDA query's metric)" \
    bash -c "curl -fsS http://127.0.0.1:$PORT/q/metrics | grep -q '^sextant_inference_waiting_sequences{'"
  check "inference: device setting taken from the chart's env ($(grep -o 'inference runs on [a-z:0-9]*' "$LOG" | head -n 1))" \
    grep -q 'inference runs on' "$LOG"
  # A caller that is not on loopback, as the router is in a cluster: the internal key must be accepted.
  ip="$(hostname -I 2>/dev/null | awk '{print $1}')"
  if [[ -n "$ip" && "$ip" != 127.* ]]; then
    code="$(curl -s -o "$T/chat.json" -w '%{http_code}' "http://$ip:$PORT/v1/chat/completions" \
      -H "authorization: Bearer $INTERNAL_KEY" -H 'content-type: application/json' \
      -d '{"messages":[{"role":"user","content":"Say hi"}],"max_tokens":4}' || true)"
    check "inference: chat completion from $ip (non-loopback) with the internal key -> 200 (got $code)" test "$code" = 200
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://$ip:$PORT/v1/chat/completions" \
      -H 'content-type: application/json' -d '{"messages":[{"role":"user","content":"hi"}],"max_tokens":2}' || true)"
    check "inference: the same without a key -> 401 (got $code)" test "$code" = 401
  else
    note "no non-loopback address here: the keyed remote call was not tried"
  fi
else
  fail "inference did not start within 120 s; last log lines:"
  tail -n 20 "$LOG" | sed 's/^/    /'
fi
if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi

# The eval suite that the chart mounts at /opt/sextant/eval/suites/k8s-suite.yaml parses (exit 2 = bad suite).
"$PY" - "$ROOT/helm/sextant/values.yaml" "$O/eval/suites/k8s-suite.yaml" <<'PY'
import sys, yaml
open(sys.argv[2], "w").write(yaml.safe_load(open(sys.argv[1]))["eval"]["suite"])
PY
chmod 0644 "$O/eval/suites/k8s-suite.yaml"
set +e
eval_out="$(run_image "$BASE_ENV" eval "$O/eval/suites/k8s-suite.yaml" --url "http://127.0.0.1:9" --out "$VTMP/eval-out" 2>&1)"
eval_rc=$?
set -e
check "eval: the chart's default suite is valid (exit $eval_rc against an unreachable URL, not 2)" test "$eval_rc" -ne 2
[[ $eval_rc -eq 2 ]] && grep -m3 'k8s-suite' <<<"$eval_out" | sed 's/^/    /'

STRAY_AFTER="$(stray_files)"
stray="$(comm -13 <(printf '%s\n' "$STRAY_BEFORE") <(printf '%s\n' "$STRAY_AFTER") | grep -v '^$' || true)"
check "runtime user wrote nothing outside the /tmp and data-dir volumes${stray:+ (found: $(head -n 3 <<<"$stray" | tr '\n' ' '))}" test -z "$stray"

# ------------------------------------------------------------------ 3. model-prep image
MFS="$T/model-prep-rootfs"
"$ROOT/images/scripts/assemble-model-prep.sh" "$MFS" "$ROOT" 2>/dev/null
M="$MFS/opt/sextant-model"
check "model-prep layout: model-prepare.sh, find-python.sh, inference/tools, bin/model-prep" \
  test -x "$M/scripts/model-prepare.sh" -a -f "$M/scripts/lib/find-python.sh" -a -f "$M/inference/tools/prepare_model.py" \
       -a -f "$M/inference/tools/decoder_graph.py" -a -f "$M/inference/tools/model-requirements.txt" -a -x "$M/bin/model-prep"
out="$(SEXTANT_MODEL_PREP_HOME="$M" "$M/bin/model-prep" --help 2>&1 || true)"
check "model-prep: --help shows both commands and model-prepare.sh's usage" \
  bash -c 'grep -q "model-prep wait" <<<"$1" && grep -q "Usage: scripts/model-prepare.sh" <<<"$1"' _ "$out"
install -d "$T/empty-model"
check "model-prep: 'wait' on an empty model dir gives up after its timeout" \
  bash -c '! SEXTANT_MODEL_PREP_HOME="$1" "$1/bin/model-prep" wait "$2" 0 2>/dev/null' _ "$M" "$T/empty-model"
CACHE="${SEXTANT_CACHE_DIR:-$HOME/.cache/sextant}"
HOST_MODELS="${SEXTANT_DATA_DIR:-$HOME/.sextant}/models"
if [[ -x "$CACHE/model-venv/bin/python" && -d "$CACHE/gguf" && -f "$HOST_MODELS/smollm2-135m-instruct-int8/.sextant-build" ]]; then
  # The baked cache of the image is this machine's warm cache; the image's own files are read-only; the data dir
  # (the model cache volume) holds an up-to-date model, as after a first run.
  install -d "$T/mp-data/models"
  cp -al "$HOST_MODELS/smollm2-135m-instruct-int8" "$T/mp-data/models/" 2>/dev/null \
    || cp -a "$HOST_MODELS/smollm2-135m-instruct-int8" "$T/mp-data/models/"
  chmod -R a-w "$M"
  set +e
  out="$(cd / && env -i PATH=/usr/bin:/bin HOME="$T" TMPDIR="$T/mp-tmp" SEXTANT_MODEL_PREP_HOME="$M" \
    SEXTANT_MODEL_PREP_BAKED_CACHE="$CACHE" bash -c 'mkdir -p "$TMPDIR" && "$0" prepare --data-dir "$1" --variants int8' \
    "$M/bin/model-prep" "$T/mp-data" 2>&1)"
  rc=$?
  set -e
  chmod -R u+w "$M"
  check "model-prep: 'prepare' with the baked venv/GGUF, read-only image files -> up to date (exit $rc)" \
    bash -c '[[ $1 -eq 0 ]] && grep -q "is up to date" <<<"$2"' _ "$rc" "$out"
  [[ $rc -ne 0 ]] && tail -n 8 <<<"$out" | sed 's/^/    /'
  check "model-prep: 'wait' on the prepared dir returns at once" \
    bash -c 'SEXTANT_MODEL_PREP_HOME="$1" "$1/bin/model-prep" wait "$2" 0 2>/dev/null' _ "$M" "$T/mp-data/models/smollm2-135m-instruct-int8"
  if [[ "${SEXTANT_IMAGES_CHECK_FULL:-0}" == 1 ]]; then
    set +e
    out="$(cd / && env -i PATH=/usr/bin:/bin HOME="$T" TMPDIR="$T/mp-tmp2" SEXTANT_MODEL_PREP_HOME="$M" \
      SEXTANT_MODEL_PREP_BAKED_CACHE="$CACHE" bash -c 'mkdir -p "$TMPDIR" && "$0" prepare --data-dir "$1" --variants int8' \
      "$M/bin/model-prep" "$T/mp-full" 2>&1)"
    rc=$?
    set -e
    check "model-prep: full 'prepare' of int8 into an empty volume (exit $rc)" \
      test "$rc" -eq 0 -a -s "$T/mp-full/models/smollm2-135m-instruct-int8/model.onnx.data"
  fi
else
  note "no warm model-prepare cache ($CACHE/model-venv, $CACHE/gguf) or prepared model in $HOST_MODELS: 'prepare' not run (./sextant model prepare makes them)"
fi

printf 'images: %d passed, %d failed\n' "$PASSES" "$FAILS"
[[ $FAILS -eq 0 ]]
