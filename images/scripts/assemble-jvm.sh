#!/usr/bin/env bash
# Lays out the filesystem of a sextant JVM image (router, embeddings, inference, inference-gpu) under ROOTFS from a
# Quarkus fast-jar build. The Dockerfile runs this script in its assemble stage, and images/check.sh runs the same
# script here, so what the check tests is what the image contains.
#
# Usage: images/scripts/assemble-jvm.sh ROOTFS QUARKUS_APP_DIR [--extras REPO_ROOT]
#   --extras REPO_ROOT   also copy samples/corpus and eval/suites (the router image: it runs ingestion and eval Jobs)
#
# Result (all files owned by the builder, read-only for others; nothing under /opt is written at run time):
#   /opt/sextant/app/{quarkus-run.jar,lib/,app/,quarkus/}   the fast-jar, unchanged
#   /opt/sextant/bin/sextant                                entrypoint (images/files/sextant)
#   /opt/sextant/config/                                    empty; the chart mounts application.properties here
#   /opt/sextant/samples/corpus, /opt/sextant/eval/suites   with --extras
#   /var/lib/sextant                                        data dir mount point (a volume at run time)
set -euo pipefail

die() { printf 'assemble-jvm: %s\n' "$*" >&2; exit 1; }

[[ $# -ge 2 ]] || die "usage: assemble-jvm.sh ROOTFS QUARKUS_APP_DIR [--extras REPO_ROOT]"
ROOTFS="$1"; APP="$2"; shift 2
EXTRAS=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --extras) EXTRAS="${2:?--extras needs REPO_ROOT}"; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

[[ -f "$APP/quarkus-run.jar" && -d "$APP/lib/main" && -d "$APP/app" && -d "$APP/quarkus" ]] \
  || die "$APP is not a Quarkus fast-jar (quarkus-run.jar, lib/main, app, quarkus): build with ./mvnw package first"

rm -rf "$ROOTFS/opt/sextant"
install -d -m 0755 "$ROOTFS/opt/sextant/app" "$ROOTFS/opt/sextant/bin" "$ROOTFS/opt/sextant/config" \
  "$ROOTFS/var/lib/sextant"
cp -R "$APP/lib" "$APP/app" "$APP/quarkus" "$ROOTFS/opt/sextant/app/"
install -m 0644 "$APP/quarkus-run.jar" "$ROOTFS/opt/sextant/app/quarkus-run.jar"
install -m 0755 "$HERE/files/sextant" "$ROOTFS/opt/sextant/bin/sextant"
if [[ -n "$EXTRAS" ]]; then
  install -d -m 0755 "$ROOTFS/opt/sextant/samples" "$ROOTFS/opt/sextant/eval"
  cp -R "$EXTRAS/samples/corpus" "$ROOTFS/opt/sextant/samples/corpus"
  cp -R "$EXTRAS/eval/suites" "$ROOTFS/opt/sextant/eval/suites"
fi
# Read-only for everyone but the owner (root in the image); the process runs as uid 10001.
chmod -R u+rwX,go+rX,go-w "$ROOTFS/opt/sextant"
printf 'assemble-jvm: %s (%s files, %s)\n' "$ROOTFS/opt/sextant" \
  "$(find "$ROOTFS/opt/sextant" -type f | wc -l)" "$(du -sh "$ROOTFS/opt/sextant" | cut -f1)" >&2
