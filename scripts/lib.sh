# Helpers shared by the project's scripts. Sourced, not run.

# Installs the Debian packages the tests need, when missing.
ensure_system_packages() {
  local need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
  if [ ${#need[@]} -gt 0 ]; then
    echo "==> installing ${need[*]}"
    apt_get update -qq
    apt_get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}

# apt-get as root, waiting (up to 10 minutes) for another apt-get or
# unattended-upgrades to release the dpkg lock instead of failing at once.
apt_get() {
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

# Prints a free TCP port on the loopback interface.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts a throw-away PostgreSQL server on a free port; sets PG_URL and PG_DIR.
start_postgres() {
  local bin
  bin=$(dirname "$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1)")
  PG_DIR=$(mktemp -d /tmp/placeweave-pg.XXXXXX)
  local port
  port=$(free_port)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root.
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 >"$PG_DIR/initdb.log"
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  PG_CTL=("${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m fast stop)
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ]; then
    "${PG_CTL[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

# Waits (up to 30 s) until a URL answers.
wait_for() {
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.25
  done
  echo "no answer from $1" >&2
  exit 1
}

# "rps p99_ms" for one URL under wrk (CONNECTIONS connections for
# SECONDS_EACH seconds); further arguments go to wrk (a cookie header, say).
# Any answer but 2xx stops the run: a fast error is not a result.
load() {
  local url=$1 out
  shift
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$@" "$url")
  if echo "$out" | grep -q "Non-2xx"; then
    echo "non-2xx answers from $url:" >&2
    echo "$out" >&2
    exit 1
  fi
  local rps p99
  rps=$(echo "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {
    v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v);
    if (unit == "us") v = v / 1000; else if (unit == "s") v = v * 1000;
    printf "%.1f", v }')
  echo "$rps $p99"
}

# A process's peak resident memory, in MB.
rss_mb() {
  awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"
}
