#!/usr/bin/env bash
# Start, stop and report the local backing services of sextant, without Docker:
#   - Redis   (Debian package redis-server, no persistence)
#   - Milvus  (PyPI milvus-lite gRPC server, Milvus protocol, in a cached venv)
# Both listen on 127.0.0.1 only.
#
# Usage: scripts/services.sh start|stop|status [redis|milvus]...   (default: both)
#
# Environment:
#   SEXTANT_REDIS_PORT        Redis port                    (default 6379)
#   SEXTANT_MILVUS_PORT       Milvus Lite port              (default 19530)
#   SEXTANT_CACHE_DIR         cache root                    (default $HOME/.cache/sextant)
#   SEXTANT_SERVICES_DIR      pid/log/data files            (default $SEXTANT_CACHE_DIR/services)
#   SEXTANT_SERVICES_TIMEOUT  seconds to wait for a service (default 60)
#   SEXTANT_PYTHON            python (>= 3.10) for the venv (default: first found)
#
# `start` prints SEXTANT_REDIS_URL=... / SEXTANT_MILVUS_URI=... on stdout; progress goes to stderr.
# `stop` stops only the services this script started (it keeps pid files); a service that
# someone else started is left alone.
set -euo pipefail

readonly MILVUS_LITE_VERSION="3.2.2"
readonly PYMILVUS_VERSION="3.0.2"
readonly HOST="127.0.0.1"

if [[ -z "${HOME:-}" ]]; then
  HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"
fi
CACHE_DIR="${SEXTANT_CACHE_DIR:-$HOME/.cache/sextant}"
STATE_DIR="${SEXTANT_SERVICES_DIR:-$CACHE_DIR/services}"
VENV="$CACHE_DIR/milvus-venv"
REDIS_PORT="${SEXTANT_REDIS_PORT:-6379}"
MILVUS_PORT="${SEXTANT_MILVUS_PORT:-19530}"
TIMEOUT="${SEXTANT_SERVICES_TIMEOUT:-60}"

REDIS_PIDFILE="$STATE_DIR/redis.pid"
REDIS_PORTFILE="$STATE_DIR/redis.port"
REDIS_LOG="$STATE_DIR/redis.log"
MILVUS_PIDFILE="$STATE_DIR/milvus.pid"
MILVUS_PORTFILE="$STATE_DIR/milvus.port"
MILVUS_LOG="$STATE_DIR/milvus.log"
MILVUS_DATA="$STATE_DIR/milvus-data"
VENV_STAMP="$VENV/.sextant-pins"
readonly PIN_ARGS=("milvus-lite==$MILVUS_LITE_VERSION" "pymilvus==$PYMILVUS_VERSION")
readonly PINS="${PIN_ARGS[*]}"

log() { printf 'services: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
  cat >&2 <<EOF
usage: ${0##*/} start|stop|status [redis|milvus]...   (default: redis milvus)
env: SEXTANT_REDIS_PORT (6379), SEXTANT_MILVUS_PORT (19530), SEXTANT_CACHE_DIR,
     SEXTANT_SERVICES_DIR, SEXTANT_SERVICES_TIMEOUT (60), SEXTANT_PYTHON
EOF
  exit 2
}

now() { printf '%s' "${EPOCHREALTIME:-$(date +%s)}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

is_port() { [[ "$1" =~ ^[0-9]+$ ]] && (( $1 > 0 && $1 < 65536 )); }

show_log_tail() {
  local f="$1"
  if [[ -s "$f" ]]; then
    log "last lines of $f:"
    tail -n 20 "$f" | sed 's/^/    /' >&2
  else
    log "($f is empty or missing)"
  fi
}

# Is something accepting TCP connections on HOST:port?
port_open() {
  # shellcheck disable=SC2016 # expanded by the inner shell
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null
}

# pid of the process listening on the port, if it can be seen (needs ss and privileges).
listener_pid() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true
}

# Prints the pid from a pid file if that process is alive and its command line matches.
live_pid() {
  local pidfile="$1" pattern="$2" pid
  [[ -s "$pidfile" ]] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern" || return 1
  printf '%s' "$pid"
}

# Sends signals in turn (each given as SIG:SECONDS) until the process is gone.
stop_pid() {
  local pid="$1" step sig secs i
  shift
  for step in "$@"; do
    sig="${step%%:*}"
    secs="${step##*:}"
    kill "-$sig" "$pid" 2>/dev/null || return 0
    for ((i = 0; i < secs * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || return 0
      sleep 0.1
    done
  done
  ! kill -0 "$pid" 2>/dev/null
}

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $*"
  fi
}

# ---------------------------------------------------------------- redis

redis_ping() {
  local port="$1" reply
  if command -v redis-cli >/dev/null 2>&1; then
    reply="$(timeout 3 redis-cli -h "$HOST" -p "$port" ping 2>/dev/null || true)"
  else
    # shellcheck disable=SC2016 # expanded by the inner shell
    reply="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "PING\r\n" >&3 && head -n 1 <&3' \
      "$HOST" "$port" 2>/dev/null | tr -d '\r+' || true)"
  fi
  [[ "$reply" == "PONG" ]]
}

redis_install() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    return 0
  fi
  local t0
  t0="$(now)"
  log "redis: redis-server not found; installing Debian package redis-server (apt-get)"
  command -v apt-get >/dev/null 2>&1 || die "redis: no apt-get here; install redis-server (Redis >= 7) by hand"
  mkdir -p "$STATE_DIR"
  local alog="$STATE_DIR/apt-install.log"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update >"$alog" 2>&1; then
    show_log_tail "$alog"
    die "redis: apt-get update failed"
  fi
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server >>"$alog" 2>&1; then
    show_log_tail "$alog"
    die "redis: apt-get install -y redis-server failed"
  fi
  command -v redis-server >/dev/null 2>&1 || die "redis: redis-server still not on PATH after install"
  log "redis: installed redis-server $(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p') in $(since "$t0") (apt log $alog)"
}

redis_start() {
  local port="$REDIS_PORT" pid t0 oldport
  if pid="$(live_pid "$REDIS_PIDFILE" redis-server)"; then
    oldport="$(cat "$REDIS_PORTFILE" 2>/dev/null || echo "?")"
    if [[ "$oldport" != "$port" ]]; then
      die "redis: sextant's redis already runs on port $oldport (pid $pid), not $port; run 'stop redis' first"
    fi
  fi
  if redis_ping "$port"; then
    if [[ -n "${pid:-}" ]]; then
      log "redis: already running on $HOST:$port (pid $pid, started by sextant)"
    else
      log "redis: already running on $HOST:$port (not started by sextant; will be left alone by stop)"
    fi
    return 0
  fi
  if port_open "$port"; then
    die "redis: port $port is in use by something that does not answer PING; set SEXTANT_REDIS_PORT"
  fi
  redis_install
  # The package's own service may have been started by the install (not in containers with policy-rc.d).
  if redis_ping "$port"; then
    log "redis: already running on $HOST:$port (not started by sextant; will be left alone by stop)"
    return 0
  fi

  t0="$(now)"
  mkdir -p "$STATE_DIR"
  rm -f "$REDIS_PIDFILE"
  log "redis: starting redis-server on $HOST:$port (no persistence, log $REDIS_LOG)"
  if ! redis-server --daemonize yes --bind "$HOST" --port "$port" --protected-mode yes \
      --save "" --appendonly no --dir "$STATE_DIR" \
      --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" >&2 9>&-; then
    show_log_tail "$REDIS_LOG"
    die "redis: redis-server failed to start"
  fi
  printf '%s\n' "$port" >"$REDIS_PORTFILE"
  local deadline=$((SECONDS + TIMEOUT))
  until redis_ping "$port"; do
    if ((SECONDS >= deadline)) || { [[ -s "$REDIS_PIDFILE" ]] && ! live_pid "$REDIS_PIDFILE" redis-server >/dev/null; }; then
      if pid="$(live_pid "$REDIS_PIDFILE" redis-server)"; then
        stop_pid "$pid" TERM:5 KILL:2 || true
      fi
      rm -f "$REDIS_PIDFILE" "$REDIS_PORTFILE"
      show_log_tail "$REDIS_LOG"
      die "redis: no PONG on $HOST:$port within ${TIMEOUT}s"
    fi
    sleep 0.2
  done
  pid="$(live_pid "$REDIS_PIDFILE" redis-server || echo "?")"
  log "redis: up on $HOST:$port (pid $pid) in $(since "$t0")"
}

redis_stop() {
  local pid port
  port="$(cat "$REDIS_PORTFILE" 2>/dev/null || echo "$REDIS_PORT")"
  if pid="$(live_pid "$REDIS_PIDFILE" redis-server)"; then
    log "redis: stopping pid $pid (port $port)"
    stop_pid "$pid" TERM:10 KILL:3 || die "redis: pid $pid did not exit"
    rm -f "$REDIS_PIDFILE" "$REDIS_PORTFILE"
    log "redis: stopped"
  else
    rm -f "$REDIS_PIDFILE" "$REDIS_PORTFILE"
    if redis_ping "$REDIS_PORT"; then
      log "redis: running on $HOST:$REDIS_PORT but not started by sextant; left alone"
    else
      log "redis: not running"
    fi
  fi
}

redis_status() {
  local pid="" who=""
  if pid="$(live_pid "$REDIS_PIDFILE" redis-server)"; then
    who=", started by sextant"
  else
    pid="$(listener_pid "$REDIS_PORT")"
    [[ -n "$pid" ]] && who=", not started by sextant"
  fi
  if redis_ping "$REDIS_PORT"; then
    echo "redis   running      $HOST:$REDIS_PORT  pid ${pid:-unknown}$who"
    return 0
  fi
  echo "redis   not running  $HOST:$REDIS_PORT${pid:+  (pid $pid alive but no PONG$who)}"
  return 1
}

# ---------------------------------------------------------------- milvus

# shellcheck source-path=SCRIPTDIR source=lib/find-python.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/find-python.sh"

milvus_install() {
  if [[ -x "$VENV/bin/milvus-lite" && -x "$VENV/bin/python" && "$(cat "$VENV_STAMP" 2>/dev/null)" == "$PINS" ]] \
      && "$VENV/bin/python" -c 'import milvus_lite, pymilvus' >/dev/null 2>&1; then
    return 0
  fi
  local py t0
  py="$(find_python)" || die "milvus: no Python >= 3.10 with venv found; install one (Debian: apt-get install python3 python3-venv) or set SEXTANT_PYTHON"
  t0="$(now)"
  log "milvus: creating venv $VENV with $py ($("$py" --version 2>&1)) and installing $PINS"
  rm -rf "$VENV"
  mkdir -p "$CACHE_DIR"
  "$py" -m venv "$VENV" || die "milvus: could not create venv $VENV"
  local plog="$CACHE_DIR/milvus-venv-install.log"
  if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input "${PIN_ARGS[@]}" >"$plog" 2>&1; then
    show_log_tail "$plog"
    die "milvus: pip install $PINS failed (needs PyPI)"
  fi
  "$VENV/bin/python" -c 'import milvus_lite, pymilvus' || die "milvus: the venv cannot import milvus_lite/pymilvus"
  printf '%s' "$PINS" >"$VENV_STAMP"
  log "milvus: venv ready in $(since "$t0")"
}

# Waits up to $2 seconds for a Milvus-protocol answer (list_collections) on the port.
# With a pid as $3, gives up as soon as that process has exited.
milvus_wait() {
  local port="$1" secs="$2" pid="${3:-0}"
  "$VENV/bin/python" - "$HOST" "$port" "$secs" "$pid" <<'PY'
import os, sys, time
host, port, secs, pid = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
import logging
logging.disable(logging.CRITICAL)
from pymilvus import MilvusClient
deadline = time.monotonic() + secs
last = "no answer"
while True:
    try:
        client = MilvusClient(uri=f"http://{host}:{port}", timeout=2)
        try:
            client.list_collections()
        finally:
            client.close()
        sys.exit(0)
    except Exception as e:  # not up yet
        last = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
    if pid:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            sys.exit(3)
    if time.monotonic() >= deadline:
        print(f"last error: {last}", file=sys.stderr)
        sys.exit(1)
    time.sleep(0.25)
PY
}

# Milvus-protocol check usable without the venv: full check if the venv is there, TCP otherwise.
milvus_answers() {
  local port="$1"
  port_open "$port" || return 1
  if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import pymilvus' >/dev/null 2>&1; then
    milvus_wait "$port" 0 2>/dev/null
  else
    port_open "$port"
  fi
}

milvus_start() {
  local port="$MILVUS_PORT" pid oldport t0
  milvus_install
  if pid="$(live_pid "$MILVUS_PIDFILE" milvus-lite)"; then
    oldport="$(cat "$MILVUS_PORTFILE" 2>/dev/null || echo "?")"
    if [[ "$oldport" != "$port" ]]; then
      die "milvus: sextant's milvus-lite already runs on port $oldport (pid $pid), not $port; run 'stop milvus' first"
    fi
    if milvus_wait "$port" "$TIMEOUT" "$pid"; then
      log "milvus: already running on $HOST:$port (pid $pid, started by sextant)"
      return 0
    fi
    show_log_tail "$MILVUS_LOG"
    die "milvus: sextant's milvus-lite (pid $pid) does not answer on $HOST:$port"
  fi
  if port_open "$port" && milvus_wait "$port" 0 2>/dev/null; then
    log "milvus: already running on $HOST:$port (not started by sextant; will be left alone by stop)"
    return 0
  fi
  # gRPC binds with SO_REUSEPORT: a second gRPC server on a busy port would start and share it.
  if port_open "$port"; then
    die "milvus: port $port is in use by something that does not speak the Milvus protocol; set SEXTANT_MILVUS_PORT"
  fi

  t0="$(now)"
  mkdir -p "$STATE_DIR" "$MILVUS_DATA"
  rm -f "$MILVUS_PIDFILE"
  log "milvus: starting milvus-lite $MILVUS_LITE_VERSION server on $HOST:$port (data $MILVUS_DATA, log $MILVUS_LOG)"
  {
    printf '\n=== %s: milvus-lite server --data-dir %s --host %s --port %s\n' \
      "$(date '+%F %T')" "$MILVUS_DATA" "$HOST" "$port"
  } >>"$MILVUS_LOG"
  local -a detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  # `trap - INT`: bash makes background jobs ignore SIGINT; restore it so that `stop` can use
  # SIGINT, which milvus-lite handles with a clean shutdown (drain, close the data dir).
  # The inner sh writes its own pid, which exec hands on to the server.
  (
    trap - INT
    exec 9>&- # the start/stop lock must not live on in the server
    cd "$STATE_DIR"
    # shellcheck disable=SC2016 # expanded by the inner shell
    exec "${detach[@]}" sh -c 'echo "$$" >"$0"; exec "$@"' "$MILVUS_PIDFILE" \
      nohup env PYTHONUNBUFFERED=1 "$VENV/bin/milvus-lite" server \
      --data-dir "$MILVUS_DATA" --host "$HOST" --port "$port" \
      >>"$MILVUS_LOG" 2>&1 </dev/null
  ) &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$MILVUS_PIDFILE" ]] && break
    sleep 0.1
  done
  pid="$(tr -dc '0-9' <"$MILVUS_PIDFILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "milvus: server did not start (no pid file $MILVUS_PIDFILE)"
  printf '%s\n' "$port" >"$MILVUS_PORTFILE"
  local rc=0
  milvus_wait "$port" "$TIMEOUT" "$pid" || rc=$?
  if ((rc != 0)); then
    kill -0 "$pid" 2>/dev/null && { stop_pid "$pid" INT:5 TERM:5 KILL:2 || true; }
    rm -f "$MILVUS_PIDFILE" "$MILVUS_PORTFILE"
    show_log_tail "$MILVUS_LOG"
    if ((rc == 3)); then
      die "milvus: milvus-lite server (pid $pid) exited during startup; see $MILVUS_LOG"
    fi
    die "milvus: no Milvus answer on $HOST:$port within ${TIMEOUT}s (server stopped again)"
  fi
  log "milvus: up on $HOST:$port (pid $pid) in $(since "$t0")"
}

milvus_stop() {
  local pid port
  port="$(cat "$MILVUS_PORTFILE" 2>/dev/null || echo "$MILVUS_PORT")"
  if pid="$(live_pid "$MILVUS_PIDFILE" milvus-lite)"; then
    log "milvus: stopping pid $pid (port $port)"
    stop_pid "$pid" INT:10 TERM:5 KILL:3 || die "milvus: pid $pid did not exit"
    rm -f "$MILVUS_PIDFILE" "$MILVUS_PORTFILE"
    log "milvus: stopped"
  else
    rm -f "$MILVUS_PIDFILE" "$MILVUS_PORTFILE"
    if milvus_answers "$MILVUS_PORT"; then
      log "milvus: running on $HOST:$MILVUS_PORT but not started by sextant; left alone"
    else
      log "milvus: not running"
    fi
  fi
}

milvus_status() {
  local pid="" who=""
  if pid="$(live_pid "$MILVUS_PIDFILE" milvus-lite)"; then
    who=", started by sextant"
  else
    pid="$(listener_pid "$MILVUS_PORT")"
    [[ -n "$pid" ]] && who=", not started by sextant"
  fi
  if milvus_answers "$MILVUS_PORT"; then
    echo "milvus  running      $HOST:$MILVUS_PORT  pid ${pid:-unknown}$who"
    return 0
  fi
  echo "milvus  not running  $HOST:$MILVUS_PORT${pid:+  (pid $pid alive but not answering$who)}"
  return 1
}

# ---------------------------------------------------------------- main

main() {
  (($# >= 1)) || usage
  local cmd="$1" s
  shift
  case "$cmd" in start | stop | status) ;; -h | --help | help) usage ;; *) usage ;; esac
  local -a services=("$@")
  ((${#services[@]})) || services=(redis milvus)
  for s in "${services[@]}"; do
    case "$s" in redis | milvus) ;; *) log "unknown service '$s'"; usage ;; esac
  done
  is_port "$REDIS_PORT" || die "SEXTANT_REDIS_PORT is not a port: $REDIS_PORT"
  is_port "$MILVUS_PORT" || die "SEXTANT_MILVUS_PORT is not a port: $MILVUS_PORT"
  [[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "SEXTANT_SERVICES_TIMEOUT is not a number of seconds: $TIMEOUT"

  case "$cmd" in
    start | stop)
      mkdir -p "$STATE_DIR"
      # One start/stop at a time (e.g. a launcher and a test run racing).
      if command -v flock >/dev/null 2>&1; then
        exec 9>"$STATE_DIR/.lock"
        flock -w $((TIMEOUT * 2 + 600)) 9 || die "could not lock $STATE_DIR/.lock"
      fi
      for s in "${services[@]}"; do "${s}_$cmd"; done
      if [[ "$cmd" == start ]]; then
        for s in "${services[@]}"; do
          case "$s" in
            redis) echo "SEXTANT_REDIS_URL=redis://$HOST:$REDIS_PORT" ;;
            milvus) echo "SEXTANT_MILVUS_URI=http://$HOST:$MILVUS_PORT" ;;
          esac
        done
      fi
      ;;
    status)
      local rc=0
      for s in "${services[@]}"; do "${s}_status" || rc=1; done
      return "$rc"
      ;;
  esac
}

main "$@"
