#!/usr/bin/env bash
# A/B of the inference engine: runs `bench-inference` from two builds of the app alternately on the same model and
# prompts, and prints new/old ratios of tokens/s and inter-token latency p99 per concurrency level.
#
# Usage: scripts/bench-ab.sh OLD_APP_JAR NEW_APP_JAR [bench-inference args...]
#   e.g. scripts/bench-ab.sh /work/wt-old/router/target/quarkus-app/quarkus-run.jar \
#          router/target/quarkus-app/quarkus-run.jar --concurrency 1,16 --new-tokens 128
# Without --model-dir / --prompts the int8 SmolLM2 model and inference/bench/prompts.json are used.
# Env: ROUNDS (default 3; each round runs both jars, the first one alternating), JAVA (default: Temurin 25),
#      OUT (a file for all JSON lines; default: a temporary file).
# Both jars need a ThroughputBenchmark that reports itlP99Millis; an older one shows "n/a" for inter-token latency.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -lt 2 ]]; then
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
OLD_JAR="$1"
NEW_JAR="$2"
shift 2
ROUNDS="${ROUNDS:-3}"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
DATA_DIR="${SEXTANT_DATA_DIR:-$HOME/.sextant}"

log() { printf 'bench-ab: %s\n' "$*" >&2; }

for jar in "$OLD_JAR" "$NEW_JAR"; do
  [[ -f "$jar" ]] || { log "no such jar: $jar"; exit 2; }
done
args=("$@")
given() { local a; for a in "${args[@]}"; do [[ $a == "$1" || $a == "$1="* ]] && return 0; done; return 1; }
given --model-dir || args+=(--model-dir "$DATA_DIR/models/smollm2-135m-instruct-int8")
given --prompts || args+=(--prompts "$ROOT/inference/bench/prompts.json")

results="${OUT:-$(mktemp)}"
[[ -n "${OUT:-}" ]] || trap 'rm -f "$results"' EXIT
: >"$results"

run() {  # label jar round
  log "round $3: $1 ($2)"
  "$JAVA" --enable-native-access=ALL-UNNAMED -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
      -jar "$2" bench-inference "${args[@]}" 2>/dev/null \
    | grep '^{' | sed "s/^{/{\"jar\":\"$1\",\"round\":$3,/" >>"$results" \
    || { log "$1 failed in round $3 (run it by hand to see why)"; exit 1; }
}

for ((round = 1; round <= ROUNDS; round++)); do
  # Alternating which build goes first spreads warm-up and drift of the machine over both.
  if ((round % 2)); then run old "$OLD_JAR" "$round"; run new "$NEW_JAR" "$round"
  else run new "$NEW_JAR" "$round"; run old "$OLD_JAR" "$round"; fi
done

python3 - "$results" <<'EOF'
import json, statistics, sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]

def median(jar, conc, key):
    values = [r[key] for r in rows if r["jar"] == jar and r["concurrency"] == conc and r.get(key) is not None]
    return statistics.median(values) if values else None

def ratios(conc, key):
    """new/old of each round, to show how much the machine wandered."""
    by_round = {}
    for r in rows:
        if r["concurrency"] == conc and r.get(key) is not None:
            by_round.setdefault(r["round"], {})[r["jar"]] = r[key]
    out = [v["new"] / v["old"] for v in by_round.values() if "new" in v and "old" in v and v["old"]]
    return f"{min(out):.2f}-{max(out):.2f}" if out else "n/a"

def cell(v, fmt):
    return format(v, fmt) if v is not None else "n/a"

rounds = max(r["round"] for r in rows)
print(f"bench-ab: medians of {rounds} round(s); ratio = new/old (tokens/s: higher is better, ITL: lower is better)")
print(f"{'conc':>4} | {'old tok/s':>9} {'new tok/s':>9} {'ratio':>5} {'rounds':>9} | "
      f"{'old ITL p99':>11} {'new ITL p99':>11} {'ratio':>5} {'rounds':>9} | {'old/new ITL p50 ms':>18}")
for conc in sorted({r["concurrency"] for r in rows}):
    ot, nt = median("old", conc, "tokensPerSecond"), median("new", conc, "tokensPerSecond")
    oi, ni = median("old", conc, "itlP99Millis"), median("new", conc, "itlP99Millis")
    op, np_ = median("old", conc, "itlP50Millis"), median("new", conc, "itlP50Millis")
    tr = cell(nt / ot, ".2f") if ot and nt else "n/a"
    ir = cell(ni / oi, ".2f") if oi and ni else "n/a"
    print(f"{conc:>4} | {cell(ot, '9.1f')} {cell(nt, '9.1f')} {tr:>5} {ratios(conc, 'tokensPerSecond'):>9} | "
          f"{cell(oi, '11.1f')} {cell(ni, '11.1f')} {ir:>5} {ratios(conc, 'itlP99Millis'):>9} | "
          f"{cell(op, '8.1f')} / {cell(np_, '7.1f')}")
EOF
[[ -z "${OUT:-}" ]] || log "all figures: $results"
