#!/usr/bin/env bash
# What the admin HTTP binding costs the broker: QoS 0 fan-in throughput (the load generator's
# 'fanin') with admin HTTP off, on, and on while /metrics is scraped every 100 ms, in interleaved
# rounds (off, on, scraped, off, ...), one fresh Herald per run. Prints medians with the ratio to
# 'off'. Results: benchmarks/results/<time>-admin.jsonl and .md.
#
#   benchmarks/admin-cost.sh                        # 3 rounds, 10 s each
#   ROUNDS=5 SECONDS_PER=20 benchmarks/admin-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_PER=${SECONDS_PER:-10}
WARMUP=${WARMUP:-5}
SCENARIO=${SCENARIO:-fanin}
HERALD_PORT=${HERALD_PORT:-18830}
ADMIN_PORT=${ADMIN_PORT:-18081}
SCRAPE_EVERY=${SCRAPE_EVERY:-100}

mvn -q -B -DskipTests -pl server,benchmarks -am package
source benchmarks/common.sh

start_run "-admin"
echo 'herald.admin.enabled = false' > "$work/admin-off.conf"

start_herald() { # mode
  for p in "$HERALD_PORT" "$ADMIN_PORT"; do
    port_open "$p" && { echo "port $p is in use" >&2; exit 1; }
  done
  local admin=(--admin-port "$ADMIN_PORT")
  [ "$1" = off ] && admin=(--config "$work/admin-off.conf")
  java "${jvm_flags[@]}" -jar server/target/herald-server.jar --port "$HERALD_PORT" --in-memory "${admin[@]}" \
    > "$work/herald-$1.log" 2>&1 &
  pid=$!; port=$HERALD_PORT
  wait_port "$port"
  [ "$1" = off ] || wait_port "$ADMIN_PORT"
}

for round in $(seq 1 "$ROUNDS"); do
  for mode in off on scraped; do
    echo "round $round: admin $mode" >&2
    start_herald "$mode"
    scrape=()
    [ "$mode" = scraped ] && scrape=(--scrape "http://127.0.0.1:$ADMIN_PORT/metrics" --scrape-every "$SCRAPE_EVERY")
    gen "admin-$mode" "$SCENARIO" "${scrape[@]}" \
      || echo "{\"broker\":\"admin-$mode\",\"scenario\":\"$SCENARIO\",\"error\":\"generator failed\"}" | tee -a "$out"
    stop_broker
  done
done

{
  echo "Admin HTTP on vs off:"
  java -cp benchmarks/target/benchmarks.jar dev.herald.bench.load.Report "$out" admin-on admin-off
  echo
  echo "Admin HTTP scraped every ${SCRAPE_EVERY} ms vs off:"
  java -cp benchmarks/target/benchmarks.jar dev.herald.bench.load.Report "$out" admin-scraped admin-off
} | tee "${out%.jsonl}.md"
grep -o '"scrapes":[0-9]*,"scrape_failures":[0-9]*,"scrape_mean_ms":[0-9.]*' "$out" >&2 || true
echo "Results: $out" >&2
