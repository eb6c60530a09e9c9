#!/usr/bin/env bash
# Real documentation corpora from Debian packages, for the retrieval-quality test and the benchmarks.
#
# Usage: scripts/corpora.sh install [postgresql-15] [python-3.11] [sqlite-3]   (default: postgresql-15)
#        scripts/corpora.sh path NAME                                            (prints the HTML directory)
# Installs only what is missing (apt-get; root or sudo). Idempotent.
set -euo pipefail

log() { printf 'corpora: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

package_of() {
  case "$1" in
    postgresql-15) printf 'postgresql-doc-15' ;;
    python-3.11) printf 'python3.11-doc' ;;
    sqlite-3) printf 'sqlite3-doc' ;;
    *) die "unknown corpus '$1' (known: postgresql-15, python-3.11, sqlite-3)" ;;
  esac
}

html_dir_of() {
  case "$1" in
    postgresql-15) printf '/usr/share/doc/postgresql-doc-15/html' ;;
    python-3.11) printf '/usr/share/doc/python3.11/html' ;;
    # shared with the sqlite3 package (changelog, copyright), so "installed" means index.html is there
    sqlite-3) printf '/usr/share/doc/sqlite3' ;;
    *) die "unknown corpus '$1' (known: postgresql-15, python-3.11, sqlite-3)" ;;
  esac
}

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $*"
  fi
}

install() {
  local missing=() name
  for name in "${@:-postgresql-15}"; do
    [[ -f "$(html_dir_of "$name")/index.html" ]] || missing+=("$(package_of "$name")")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  command -v apt-get >/dev/null 2>&1 || die "no apt-get here; install ${missing[*]} by hand"
  log "installing ${missing[*]} (apt-get)"
  local alog
  alog="$(mktemp)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update >"$alog" 2>&1 \
    || { tail -5 "$alog" >&2; die "apt-get update failed"; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$alog" 2>&1 \
    || { tail -5 "$alog" >&2; die "apt-get install ${missing[*]} failed"; }
  rm -f "$alog"
}

case "${1:-}" in
  install) shift; install "$@" ;;
  path) [[ $# -eq 2 ]] || die "usage: scripts/corpora.sh path NAME"; html_dir_of "$2"; echo ;;
  *) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
