#!/usr/bin/env bash
# Every issue-8 benchmark in one command, from a fresh release build:
#   Benchmarks/run.sh [SMALL] [LARGE]        (defaults: 10000 and 10000000 voices; LARGE 0 skips the large seeds)
# For each engine (SQLite, then a throw-away PostgreSQL with pg_stat_statements) and each size, Benchmarks/http/bench.py
# seeds the database with `chorus seed`, measures the ceiling (`chorus ceiling`) and every scenario in rounds, and
# prints Markdown tables. Results go to Benchmarks/results/ (one .md with the tables and one .json per run).
# Needs: wrk, postgresql (apt-get install wrk postgresql), python3. Takes about an hour with the 10M-voice seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${1:-10000}
LARGE=${2:-10000000}
ROUNDS=${ROUNDS:-3}
SECONDS_PER_ROUND=${WRK_SECONDS:-8}
OUT=Benchmarks/results
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%d-%H%M)
REPORT=$OUT/$STAMP.md

swift build -c release --product chorus --scratch-path .build-release >/dev/null
BIN=$PWD/.build-release/release/chorus

export CHORUS_PG_PORT=${CHORUS_BENCH_PG_PORT:-55433}
export CHORUS_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c shared_buffers=512MB"
# shellcheck source=../scripts/postgres.sh
source scripts/postgres.sh
start_postgres >/dev/null
trap stop_postgres EXIT

{
  echo "# Benchmark run $STAMP"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg). Command: \`Benchmarks/run.sh $SMALL $LARGE\` (ROUNDS=$ROUNDS, WRK_SECONDS=$SECONDS_PER_ROUND)."
} >"$REPORT"

for engine in sqlite postgres; do
  for voices in "$SMALL" "$LARGE"; do
    [ "$voices" = 0 ] && continue
    sse=()
    [ "$voices" = "$SMALL" ] && sse=(--sse 1000 10000) || sse=(--sse)
    echo "== $engine, $voices voices" | tee -a "$REPORT"
    python3 Benchmarks/http/bench.py --binary "$BIN" --engine "$engine" --voices "$voices" --rounds "$ROUNDS" \
      --seconds "$SECONDS_PER_ROUND" "${sse[@]}" --json "$OUT/$STAMP-$engine-$voices.json" | tee -a "$REPORT"
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$REPORT"
  done
done
echo "Report: $REPORT"
