#!/usr/bin/env bash
# End-to-end browser tests: builds the binary, serves the demo on a fresh data
# dir on a free loopback port, and runs the Playwright tests (Debian's
# chromium, driven by playwright-core) against it.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${RONGTONG_BIN:-bin/rongtong}
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
log="$data/server.log"

RONGTONG_DATA_DIR="$data" RONGTONG_ADDR="127.0.0.1:$port" RONGTONG_LOG_LEVEL=warn \
  "$bin" serve --demo-if-empty >"$log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

url="http://127.0.0.1:$port"
# /readyz answers 200 once the demo data and accounts are loaded.
ready=
for _ in $(seq 1 600); do
  if curl -fsS "$url/readyz" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || { echo "server not ready"; cat "$log"; exit 1; }

cd frontend
RONGTONG_URL="$url" RONGTONG_ADMIN_LOGIN=admin@demo.rongtong.cn RONGTONG_ADMIN_PASSWORD=Rongtong2026 npm run e2e
