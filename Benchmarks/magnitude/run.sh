#!/usr/bin/env bash
# Magnitude benchmarks against a release build (kept out of the default build and of scripts/test):
#   1. GET /api/v1/chorus/magnitude with wrk, on databases seeded with 10 and with many voices (read cost must be flat);
#   2. SSE fan-out: how many /magnitude/live subscribers get a change within 1 s.
# Usage: Benchmarks/magnitude/run.sh [LARGE_N] [SUBSCRIBERS...]   (defaults: 1000000, 100 1000 4000)
# Needs: wrk (Debian package), python3 with requests (the e2e venv is used if present).
set -euo pipefail
cd "$(dirname "$0")/../.."
LARGE=${1:-1000000}
shift || true
SUBSCRIBERS=("$@")
[ ${#SUBSCRIBERS[@]} -eq 0 ] && SUBSCRIBERS=(100 1000 4000)
PORT=${CHORUS_BENCH_PORT:-18090}
SECONDS_PER_ROUND=${WRK_SECONDS:-10}
ROUNDS=${ROUNDS:-5}
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3
[ -n "${CHORUS_BIN:-}" ] || swift build -c release --product chorus >/dev/null
BIN=${CHORUS_BIN:-$(swift build -c release --show-bin-path)/chorus}
WORK=$(mktemp -d /tmp/chorus-bench-XXXX)
ulimit -n 65536 2>/dev/null || ulimit -n 8192 || true

serve() {  # $1 data dir
  "$BIN" serve --port "$PORT" --data-dir "$1" --bcrypt-cost 4 --log-level warning >"$1/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && return; sleep 0.1; done
  echo "server did not start" >&2; exit 1
}

for N in 10 "$LARGE"; do
  DATA=$WORK/n$N
  mkdir -p "$DATA"
  PEOPLE=$(( N < 1000 ? N : 1000 ))
  /usr/bin/time -f "seed $N voices: %es" "$BIN" seed --voices "$N" --people "$PEOPLE" --days 60 --data-dir "$DATA"
  serve "$DATA"
  curl -s "http://127.0.0.1:$PORT/api/v1/chorus/magnitude"; echo
  wrk -t2 -c16 -d3s "http://127.0.0.1:$PORT/api/v1/chorus/magnitude" >/dev/null  # warm-up
  for round in $(seq 1 "$ROUNDS"); do
    echo "N=$N round $round: $(wrk -t2 -c16 -d"${SECONDS_PER_ROUND}"s --latency "http://127.0.0.1:$PORT/api/v1/chorus/magnitude" \
      | awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print "req/s=" rps, "p50=" p50, "p99=" p99}')"
  done
  if [ "$N" = "$LARGE" ]; then
    for S in "${SUBSCRIBERS[@]}"; do
      "$PYTHON" Benchmarks/magnitude/sse_fanout.py --url "http://127.0.0.1:$PORT" --subscribers "$S" --rounds "$ROUNDS"
    done
  fi
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
done
echo "Data and logs: $WORK"
