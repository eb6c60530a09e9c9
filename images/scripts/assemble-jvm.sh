#!/usr/bin/env bash
# Lays out the filesystem of a sextant JVM image (router, embeddings, inference, inference-gpu, tools) under ROOTFS
# from a Quarkus fast-jar build. The Dockerfile runs this script in its build stages, and images/check.sh runs the
# same script here, so what the check tests is what the image contains.
#
# Usage: images/scripts/assemble-jvm.sh ROOTFS QUARKUS_APP_DIR [--corpus REPO_ROOT] [--suites REPO_ROOT]
#   --corpus REPO_ROOT   also copy samples/corpus (router and tools images: the ingestion Job's default documents,
#                        and the corpus the eval suites ingest)
#   --suites REPO_ROOT   also copy eval/suites (the tools image only: it runs the eval Job)
#
# Result (all files owned by the builder, read-only for others; nothing under /opt is written at run time):
#   /opt/sextant/app/{quarkus-run.jar,lib/,app/,quarkus/}   the fast-jar, unchanged
#   /opt/sextant/bin/sextant                                entrypoint (images/files/sextant)
#   /opt/sextant/config/                                    empty; the chart mounts application.properties here
#   /opt/sextant/samples/corpus                             with --corpus
#   /opt/sextant/eval/suites                                with --suites
#   /var/lib/sextant                                        data dir mount point (a volume at run time)
set -euo pipefail

die() { printf 'assemble-jvm: %s\n' "$*" >&2; exit 1; }

USAGE="usage: assemble-jvm.sh ROOTFS QUARKUS_APP_DIR [--corpus REPO_ROOT] [--suites REPO_ROOT]"
[[ $# -ge 2 ]] || die "$USAGE"
ROOTFS="$1"; APP="$2"; shift 2
CORPUS_FROM=""; SUITES_FROM=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --corpus) CORPUS_FROM="${2:?--corpus needs REPO_ROOT}"; shift 2 ;;
    --suites) SUITES_FROM="${2:?--suites needs REPO_ROOT}"; shift 2 ;;
    *) die "unknown argument $1 ($USAGE)" ;;
  esac
done
[[ -z "$CORPUS_FROM" || -d "$CORPUS_FROM/samples/corpus" ]] || die "--corpus $CORPUS_FROM: no samples/corpus there"
[[ -z "$SUITES_FROM" || -d "$SUITES_FROM/eval/suites" ]] || die "--suites $SUITES_FROM: no eval/suites there"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

[[ -f "$APP/quarkus-run.jar" && -d "$APP/lib/main" && -d "$APP/app" && -d "$APP/quarkus" ]] \
  || die "$APP is not a Quarkus fast-jar (quarkus-run.jar, lib/main, app, quarkus): build with ./mvnw package first"

rm -rf "$ROOTFS/opt/sextant"
install -d -m 0755 "$ROOTFS/opt/sextant/app" "$ROOTFS/opt/sextant/bin" "$ROOTFS/opt/sextant/config" \
  "$ROOTFS/var/lib/sextant"
cp -R "$APP/lib" "$APP/app" "$APP/quarkus" "$ROOTFS/opt/sextant/app/"
install -m 0644 "$APP/quarkus-run.jar" "$ROOTFS/opt/sextant/app/quarkus-run.jar"
install -m 0755 "$HERE/files/sextant" "$ROOTFS/opt/sextant/bin/sextant"
if [[ -n "$CORPUS_FROM" ]]; then
  install -d -m 0755 "$ROOTFS/opt/sextant/samples"
  cp -R "$CORPUS_FROM/samples/corpus" "$ROOTFS/opt/sextant/samples/corpus"
fi
if [[ -n "$SUITES_FROM" ]]; then
  install -d -m 0755 "$ROOTFS/opt/sextant/eval"
  cp -R "$SUITES_FROM/eval/suites" "$ROOTFS/opt/sextant/eval/suites"
fi
# Read-only for everyone but the owner (root in the image); the process runs as uid 10001.
chmod -R u+rwX,go+rX,go-w "$ROOTFS/opt/sextant"
printf 'assemble-jvm: %s (%s files, %s)\n' "$ROOTFS/opt/sextant" \
  "$(find "$ROOTFS/opt/sextant" -type f | wc -l)" "$(du -sh "$ROOTFS/opt/sextant" | cut -f1)" >&2
