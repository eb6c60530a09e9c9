# shellcheck shell=bash
# Sourced by the scripts that build venvs. find_python prints the first Python >= 3.10 that can create a venv
# ($SEXTANT_PYTHON first), or returns 1. Expects a `log` function from the sourcing script.
find_python() {
  local c v
  local -a candidates=()
  [[ -n "${SEXTANT_PYTHON:-}" ]] && candidates+=("$SEXTANT_PYTHON")
  candidates+=(python3 python3.13 python3.12 python3.11 python3.10 /usr/bin/python3 /usr/local/bin/python3)
  for c in "${candidates[@]}"; do
    command -v "$c" >/dev/null 2>&1 || continue
    v="$("$c" -c 'import sys; print("%d.%d" % sys.version_info[:2]) if sys.version_info >= (3, 10) else None' 2>/dev/null || true)"
    [[ -n "$v" && "$v" != "None" ]] || continue
    # Debian's python3 needs python3-venv for ensurepip.
    if ! "$c" -c 'import venv, ensurepip' >/dev/null 2>&1; then
      log "$c ($v) has no venv/ensurepip module (Debian: apt-get install python3-venv); skipping it"
      continue
    fi
    command -v "$c"
    return 0
  done
  return 1
}
