# A throw-away PostgreSQL for tests: its own data folder, port and socket, removed when stopped.
# Source this file, then call start_postgres; it sets CHORUS_PG_URL (without a database name).
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG_PORT=${CHORUS_PG_PORT:-55432}
PG_DIR=${CHORUS_PG_DIR:-/tmp/chorus-pg-$PG_PORT}

start_postgres() {
  stop_postgres >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"
  local as=()
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PG_DIR"; as=(runuser -u postgres --); fi
  "${as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U chorus --auth=trust -E UTF8 >/dev/null
  # The port may be taken for a moment (it is in the range the kernel lends to outgoing connections): the next one is tried.
  local tries=0
  until "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=on -c log_line_prefix='%m ' ${CHORUS_PG_OPTIONS:-}" start >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ] || ! grep -q "Address already in use" "$PG_DIR/log"; then
      tail -n 20 "$PG_DIR/log" >&2
      return 1
    fi
    echo "Port $PG_PORT is in use; trying $((PG_PORT + 1))"
    PG_PORT=$((PG_PORT + 1))
    : >"$PG_DIR/log"
  done
  # Exported so a later `source` of this file (the restart checks run one in a shell of their own) finds this server.
  export CHORUS_PG_PORT=$PG_PORT CHORUS_PG_DIR=$PG_DIR
  export CHORUS_PG_URL="postgres://chorus@127.0.0.1:$PG_PORT"
  echo "PostgreSQL is running on port $PG_PORT"
}

stop_postgres() {
  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  [ -d "$PG_DIR/data" ] && "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
}

restart_postgres() {
  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null
}

# Starts the server again after stop_postgres, keeping its data (for restart tests).
restart_postgres_after_stop() {
  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null
}
