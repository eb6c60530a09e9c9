#!/usr/bin/env bash
# Tools the test suite drives besides the JDK: Debian's Chromium (the eval HTML report is rendered headless), and a
# venv with the official openai Python client and Pydantic (OpenAiPythonClientTest), kept in the cache.
#
# Usage: scripts/test-tools.sh install     (idempotent; apt-get with root or sudo, pip from PyPI)
set -euo pipefail

log() { printf 'test-tools: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $*"
  fi
}

CACHE_DIR="${SEXTANT_CACHE_DIR:-$HOME/.cache/sextant}"
OPENAI_VENV="$CACHE_DIR/openai-venv"
OPENAI_PINS="openai==3.57.0 pydantic==2.14.4"

install() {
  install_chromium
  install_openai_client
}

install_openai_client() {
  local stamp="$OPENAI_VENV/.sextant-pins"
  if [[ -x "$OPENAI_VENV/bin/python" && "$(cat "$stamp" 2>/dev/null)" == "$OPENAI_PINS" ]]; then
    return 0
  fi
  local py="${SEXTANT_PYTHON:-python3}"
  command -v "$py" >/dev/null 2>&1 || die "no $py for the openai client venv (Debian: apt-get install python3-venv)"
  log "creating $OPENAI_VENV with $OPENAI_PINS (~30 s once)"
  rm -rf "$OPENAI_VENV"
  mkdir -p "$CACHE_DIR"
  "$py" -m venv "$OPENAI_VENV" || die "could not create $OPENAI_VENV"
  local plog="$CACHE_DIR/openai-venv-install.log"
  # shellcheck disable=SC2086
  "$OPENAI_VENV/bin/python" -m pip install --disable-pip-version-check --no-input $OPENAI_PINS >"$plog" 2>&1 \
    || { tail -5 "$plog" >&2; die "pip install $OPENAI_PINS failed (needs PyPI)"; }
  "$OPENAI_VENV/bin/python" -c 'import openai, pydantic' || die "the venv cannot import openai/pydantic"
  printf '%s' "$OPENAI_PINS" >"$stamp"
}

install_chromium() {
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
