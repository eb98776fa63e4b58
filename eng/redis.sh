#!/usr/bin/env bash
# Starts (or stops) a throwaway redis-server on 127.0.0.1 for PeftGrid's integration tests.
#   eng/redis.sh start [PORT]   -> daemonized, data dir under /tmp, prints the connection string
#   eng/redis.sh stop  [PORT]
# Default port 6379. Loopback only; no persistence to disk beyond the temp dir.
set -euo pipefail
cmd=${1:-start}; port=${2:-6379}
dir=/tmp/peftgrid-redis-$port
case "$cmd" in
  start)
    command -v redis-server >/dev/null || { echo "eng/redis: redis-server not installed; run eng/setup.sh" >&2; exit 1; }
    if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then echo "eng/redis: already running on 127.0.0.1:$port"; exit 0; fi
    mkdir -p "$dir"
    redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --dir "$dir" --save "" --appendonly no \
      --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" >/dev/null
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null || { echo "eng/redis: redis-server did not start; see $dir/redis.log" >&2; exit 1; }
    echo "eng/redis: redis-server on 127.0.0.1:$port"
    ;;
  stop)
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
    echo "eng/redis: stopped 127.0.0.1:$port"
    ;;
  *) echo "usage: eng/redis.sh start|stop [PORT]" >&2; exit 2 ;;
esac
