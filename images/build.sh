#!/usr/bin/env bash
# Builds (and optionally pushes) the six sextant images with Docker BuildKit or Podman.
#
# Usage: images/build.sh REGISTRY [TAG] [--push] [--only router,embeddings,inference,inference-gpu,tools,model-prep]
#   REGISTRY  e.g. registry.example.com/ml  (images: REGISTRY/sextant-<target>:TAG; the chart's image.registry)
#   TAG       default: the chart's appVersion (helm/sextant/Chart.yaml)
# Environment: BUILDER=docker|podman (default: whichever is installed, docker first).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $# -ge 1 ]] || { sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
REGISTRY="${1%/}"; shift
TAG="$(awk -F'"' '/^appVersion:/ {print $2}' "$ROOT/helm/sextant/Chart.yaml")"
if [[ $# -gt 0 && "$1" != --* ]]; then TAG="$1"; shift; fi
PUSH=0
ALL_TARGETS=(router embeddings inference inference-gpu tools model-prep)
TARGETS=("${ALL_TARGETS[@]}")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --push) PUSH=1; shift ;;
    --only) IFS=',' read -r -a TARGETS <<<"$2"; shift 2 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for t in "${TARGETS[@]}"; do
  [[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || { echo "build.sh: unknown target '$t' (one of: ${ALL_TARGETS[*]})" >&2; exit 2; }
done
BUILDER="${BUILDER:-$(command -v docker >/dev/null 2>&1 && echo docker || echo podman)}"
command -v "$BUILDER" >/dev/null 2>&1 || { echo "build.sh: neither docker nor podman found" >&2; exit 1; }
for t in "${TARGETS[@]}"; do
  ref="$REGISTRY/sextant-$t:$TAG"
  echo "build.sh: $ref" >&2
  if [[ "$BUILDER" == docker ]]; then
    DOCKER_BUILDKIT=1 docker build -f "$ROOT/images/Dockerfile" --target "$t" -t "$ref" "$ROOT"
  else
    podman build -f "$ROOT/images/Dockerfile" --target "$t" -t "$ref" "$ROOT"
  fi
  if [[ $PUSH -eq 1 ]]; then "$BUILDER" push "$ref"; fi
done
