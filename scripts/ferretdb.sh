#!/usr/bin/env bash
# FerretDB (MongoDB wire protocol on SQLite) for local runs and tests, without Docker.
#
#   scripts/ferretdb.sh start <dir> <port>   start in the background, print the MONGO_URL to use
#   scripts/ferretdb.sh stop <dir>           stop the instance started with <dir>
#   scripts/ferretdb.sh status <dir>         exit 0 when it runs
#
#   export MONGO_URL="$(scripts/ferretdb.sh start .tmp/ferretdb 27018)"
#
# Data, state, log (ferretdb.log) and pid (ferretdb.pid) live in <dir>. Only the URL goes to stdout.
#
# The binary: $FERRETDB_BIN, else $(go env GOPATH)/bin/ferretdb if it runs, else it is built from
# the module source. `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` is not used: the
# module zip lacks the generated build/version/version.txt, so that binary panics at startup
# ("Invalid build/version/version.txt file content"). The build writes version.txt first.
set -euo pipefail

FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
FERRETDB_MODULE="github.com/FerretDB/FerretDB"
START_TIMEOUT_S="${FERRETDB_START_TIMEOUT:-60}"
DATABASE="whatsmine"

log() { printf 'ferretdb.sh: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

works() { [[ -x "$1" ]] && "$1" --version >/dev/null 2>&1; }

build_from_source() {
  local target="$1" info dir work
  command -v go >/dev/null || die "go is not installed: cannot build FerretDB"
  log "building FerretDB $FERRETDB_VERSION from source (once; takes a minute or two)"
  info="$(go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION")" || die "go mod download $FERRETDB_MODULE@$FERRETDB_VERSION failed"
  dir="$(printf '%s\n' "$info" | sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}[[:space:]]*$/\1/p')"
  [[ -d "$dir" ]] || die "go mod download gave no source directory"
  work="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-build.XXXXXX")"
  # The module cache is read-only; build a writable copy with the generated version file in place.
  cp -R "$dir/." "$work/src"
  chmod -R u+w "$work/src"
  printf '%s\n' "$FERRETDB_VERSION" >"$work/src/build/version/version.txt"
  if ! (cd "$work/src" && go build -buildvcs=false -o "$work/ferretdb" ./cmd/ferretdb) >&2; then
    rm -rf "$work"
    die "go build of FerretDB failed"
  fi
  mkdir -p "$(dirname "$target")"
  mv -f "$work/ferretdb" "$target"
  rm -rf "$work"
}

ensure_binary() {
  if [[ -n "${FERRETDB_BIN:-}" ]]; then
    works "$FERRETDB_BIN" || die "FERRETDB_BIN=$FERRETDB_BIN does not run"
    printf '%s\n' "$FERRETDB_BIN"
    return
  fi
  command -v go >/dev/null || die "go is not installed and FERRETDB_BIN is not set"
  local bin
  bin="$(go env GOPATH)/bin/ferretdb"
  if ! works "$bin"; then
    [[ -e "$bin" ]] && log "$bin does not run (a plain 'go install' build?); rebuilding it"
    build_from_source "$bin"
    works "$bin" || die "the FerretDB build at $bin does not run"
  fi
  printf '%s\n' "$bin"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The pid from <dir>/ferretdb.pid when that process is alive and is FerretDB.
running_pid() {
  local pidfile="$1/ferretdb.pid" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q ferretdb || return 1
  fi
  printf '%s\n' "$pid"
}

cmd_start() {
  [[ $# -eq 2 ]] || usage
  local dir="$1" port="$2" bin pid deadline
  [[ "$port" =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || die "invalid port: $port"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  local url="mongodb://127.0.0.1:$port/$DATABASE"

  if pid="$(running_pid "$dir")"; then
    port_open "$port" || die "FerretDB (pid $pid) already runs for $dir, but not on port $port"
    log "already running (pid $pid)"
    printf '%s\n' "$url"
    return
  fi
  port_open "$port" && die "port $port is already in use"

  bin="$(ensure_binary)"
  # setsid: its own session, so it outlives this shell and Ctrl-C on the caller.
  setsid "$bin" \
    --handler=sqlite \
    --sqlite-url="file:$dir/" \
    --state-dir="$dir" \
    --telemetry=disable \
    --listen-addr="127.0.0.1:$port" \
    --debug-addr=- \
    --log-level=warn \
    </dev/null >>"$dir/ferretdb.log" 2>&1 &
  pid=$!
  printf '%s\n' "$pid" >"$dir/ferretdb.pid"

  deadline=$((SECONDS + START_TIMEOUT_S))
  until port_open "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$dir/ferretdb.pid"
      tail -n 20 "$dir/ferretdb.log" >&2 || true
      die "FerretDB exited during startup (log: $dir/ferretdb.log)"
    fi
    if ((SECONDS >= deadline)); then
      kill "$pid" 2>/dev/null || true
      rm -f "$dir/ferretdb.pid"
      die "FerretDB did not accept connections on 127.0.0.1:$port within ${START_TIMEOUT_S}s (log: $dir/ferretdb.log)"
    fi
    sleep 0.2
  done
  log "started (pid $pid, data in $dir)"
  printf '%s\n' "$url"
}

cmd_stop() {
  [[ $# -eq 1 ]] || usage
  local dir="$1" pid
  if ! pid="$(running_pid "$dir")"; then
    rm -f "$dir/ferretdb.pid"
    log "not running"
    return
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after 10s; killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/ferretdb.pid"
  log "stopped (pid $pid)"
}

cmd_status() {
  [[ $# -eq 1 ]] || usage
  local pid
  if pid="$(running_pid "$1")"; then
    log "running (pid $pid)"
  else
    log "not running"
    return 1
  fi
}

[[ $# -ge 1 ]] || usage
command="$1"
shift
case "$command" in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
status) cmd_status "$@" ;;
*) usage ;;
esac
