#!/usr/bin/env bash
# Lays out the files of the sextant-model-prep image under ROOTFS: `sextant model prepare` (scripts/model-prepare.sh
# and the Python tools it runs), in the repository layout the script expects, plus the image's entrypoint.
# The Dockerfile runs this script and then warms the cache (venv + GGUF) by running model-prepare.sh once;
# images/check.sh runs the same script here.
#
# Usage: images/scripts/assemble-model-prep.sh ROOTFS REPO_ROOT
#
# Result: /opt/sextant-model/{scripts/model-prepare.sh,scripts/lib/find-python.sh,inference/tools/...,bin/model-prep}
#         /opt/sextant-model/cache (filled at image build: model-venv/, gguf/)
set -euo pipefail

die() { printf 'assemble-model-prep: %s\n' "$*" >&2; exit 1; }
[[ $# -eq 2 ]] || die "usage: assemble-model-prep.sh ROOTFS REPO_ROOT"
ROOTFS="$1"; REPO="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOTFS/opt/sextant-model"

# What model-prepare.sh reads (it checks for the first three itself).
FILES=(scripts/model-prepare.sh scripts/lib/find-python.sh inference/tools/model-requirements.txt
       inference/tools/prepare_model.py inference/tools/decoder_graph.py)
for f in "${FILES[@]}"; do
  [[ -f "$REPO/$f" ]] || die "missing $REPO/$f"
done

rm -rf "${DEST:?}/scripts" "${DEST:?}/inference" "${DEST:?}/bin"
install -d -m 0755 "$DEST/bin" "$DEST/cache" "$ROOTFS/var/lib/sextant/models"
for f in "${FILES[@]}"; do
  install -D -m 0644 "$REPO/$f" "$DEST/$f"
done
chmod 0755 "$DEST/scripts/model-prepare.sh"
install -m 0755 "$HERE/files/model-prep" "$DEST/bin/model-prep"
printf 'assemble-model-prep: %s (%s files)\n' "$DEST" "$(find "$DEST" -type f | wc -l)" >&2
