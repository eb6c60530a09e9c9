#!/usr/bin/env bash
# A/B of the router's overhead: runs `bench-router` from two builds of the app alternately (each build starts its own
# inference process and routers) and prints, per rate, what the router adds over calling inference directly (p50 and
# p99 of streamed completions, end to end and to the first token) for each build, and new/old ratios.
#
# Usage: scripts/bench-router-ab.sh OLD_APP_JAR NEW_APP_JAR [bench-router args...]
#   e.g. scripts/bench-router-ab.sh /tmp/old/app/target/quarkus-app/quarkus-run.jar \
#          app/target/quarkus-app/quarkus-run.jar --rates 5,10 --seconds 20 --warmup-seconds 10
# Each jar runs from the checkout it was built in (two levels above quarkus-app/: its samples/corpus).
# Env: ROUNDS (default 2; each round runs both jars, the first one alternating), JAVA (default: Temurin 25),
#      OUT (directory for the JSON results; default: a temporary directory).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -lt 2 ]]; then
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
OLD_JAR="$(realpath "$1")"
NEW_JAR="$(realpath "$2")"
shift 2
ROUNDS="${ROUNDS:-2}"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"

log() { printf 'bench-router-ab: %s\n' "$*" >&2; }
checkout_of() { # the checkout a fast-jar was built in: JAR = CHECKOUT/MODULE/target/quarkus-app/quarkus-run.jar
  dirname "$(dirname "$(dirname "$(dirname "$1")")")"
}
for jar in "$OLD_JAR" "$NEW_JAR"; do
  [[ -f "$jar" ]] || { log "no such jar: $jar"; exit 2; }
  [[ -d "$(checkout_of "$jar")/samples/corpus" ]] || { log "no samples/corpus beside $jar"; exit 2; }
done

run() { # run NAME JAR ROUND
  local name="$1" jar="$2" round="$3"
  shift 3
  log "round $round: $name ($jar)"
  (cd "$(checkout_of "$jar")" && "$JAVA" --enable-native-access=ALL-UNNAMED \
      -Djava.util.logging.manager=org.jboss.logmanager.LogManager -jar "$jar" bench-router "$@" \
      --out "$OUT/$name-$round.json" >/dev/null)
}

for ((r = 1; r <= ROUNDS; r++)); do
  if (( r % 2 == 1 )); then
    run old "$OLD_JAR" "$r" "$@"; run new "$NEW_JAR" "$r" "$@"
  else
    run new "$NEW_JAR" "$r" "$@"; run old "$OLD_JAR" "$r" "$@"
  fi
done

python3 "$ROOT/scripts/bench_router_ab_table.py" "$OUT"
log "results: $OUT"
