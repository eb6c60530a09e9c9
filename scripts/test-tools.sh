#!/usr/bin/env bash
# Tools the test suite drives besides the JDK: Debian's Chromium (the eval HTML report is rendered headless).
#
# Usage: scripts/test-tools.sh install     (idempotent; apt-get, root or sudo)
set -euo pipefail

log() { printf 'test-tools: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $*"
  fi
}

install() {
  [[ -x /usr/bin/chromium ]] && return 0
  command -v apt-get >/dev/null 2>&1 || die "no apt-get here; install Chromium by hand (/usr/bin/chromium)"
  log "installing chromium (apt-get, ~1-2 min once)"
  local alog
  alog="$(mktemp)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update >"$alog" 2>&1 \
    || { tail -5 "$alog" >&2; die "apt-get update failed"; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation \
    >>"$alog" 2>&1 || { tail -5 "$alog" >&2; die "apt-get install chromium failed"; }
  rm -f "$alog"
}

case "${1:-}" in
  install) install ;;
  *) die "usage: scripts/test-tools.sh install" ;;
esac
