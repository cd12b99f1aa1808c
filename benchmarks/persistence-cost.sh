#!/usr/bin/env bash
# What persistence costs the broker: the load generator's 'qos1' (4 QoS 1 publishers to 1 QoS 1
# subscriber) and, for contrast, 'fanin' (QoS 0, nothing to store) against Herald with persistence
# off, on with 'batched' durability and on with 'sync' durability. The subscribers keep persistent
# sessions (--session-expiry 3600) in every mode, so with persistence on each QoS 1 message is
# written to the subscriber's session in the store, and with 'sync' its PUBACK waits for the fsync.
# Interleaved rounds (off, batched, sync, off, ...), one fresh Herald per mode and round, running
# both scenarios, each with a fresh temporary data directory that is deleted when it stops. Prints
# medians with the ratio to 'off'. Results: benchmarks/results/<time>-persistence.jsonl and .md.
#
#   benchmarks/persistence-cost.sh                        # 3 rounds, 8 s each after 3 s of warm-up
#   ROUNDS=5 SECONDS_PER=20 benchmarks/persistence-cost.sh
#   SCENARIOS=qos1 SKIP_BUILD=1 benchmarks/persistence-cost.sh
#   BATCH_INTERVAL=50ms benchmarks/persistence-cost.sh    # herald.mqtt.persistence.batch-interval
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_PER=${SECONDS_PER:-8}
WARMUP=${WARMUP:-3}
SCENARIOS=${SCENARIOS:-qos1 fanin}
HERALD_PORT=${HERALD_PORT:-18830}
SESSION_EXPIRY=${SESSION_EXPIRY:-3600}
BATCH_INTERVAL=${BATCH_INTERVAL:-10ms}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -q -B -DskipTests -pl server,benchmarks -am package
fi
source benchmarks/common.sh

start_run "-persistence"

start_herald() { # mode round
  port_open "$HERALD_PORT" && { echo "port $HERALD_PORT is in use" >&2; exit 1; }
  data="$work/data-$1-$2"
  {
    echo 'herald.admin.enabled = false'
    if [ "$1" = off ]; then
      echo 'herald.mqtt.persistence.enabled = false'
    else
      echo "herald.mqtt.persistence { enabled = true, durability = $1, batch-interval = $BATCH_INTERVAL, directory = \"$data\" }"
    fi
  } > "$work/$1.conf"
  java "${jvm_flags[@]}" -jar server/target/herald-server.jar --port "$HERALD_PORT" --config "$work/$1.conf" \
    > "$work/herald-$1-$2.log" 2>&1 &
  pid=$!; port=$HERALD_PORT
  wait_port "$port"
}

for round in $(seq 1 "$ROUNDS"); do
  for mode in off batched sync; do
    echo "round $round: persistence $mode" >&2
    start_herald "$mode" "$round"
    for scenario in $SCENARIOS; do
      gen "persist-$mode" "$scenario" --session-expiry "$SESSION_EXPIRY" \
        || echo "{\"broker\":\"persist-$mode\",\"scenario\":\"$scenario\",\"error\":\"generator failed\"}" | tee -a "$out"
    done
    stop_broker
    if [ "$mode" != off ]; then
      echo "data directory at the end ($mode, round $round): $(du -sk "$data" | cut -f1) kB" >&2
      rm -rf "$data"
    fi
    # The broker logs "Restored ..." only with persistence on: check that each mode ran as labelled.
    if grep -q "Restored" "$work/herald-$mode-$round.log"; then on=batched-or-sync; else on=off; fi
    [ "$on" = off ] && [ "$mode" != off ] && echo "WARNING: persistence was off in the '$mode' run" >&2
    [ "$on" != off ] && [ "$mode" = off ] && echo "WARNING: persistence was on in the 'off' run" >&2
    grep -E ' (ERROR|WARN) ' "$work/herald-$mode-$round.log" >&2 || true
  done
done

{
  echo "Persistence 'batched' vs off (persistent subscriber sessions in both):"
  java -cp benchmarks/target/benchmarks.jar dev.herald.bench.load.Report "$out" persist-batched persist-off
  echo
  echo "Persistence 'sync' vs off (persistent subscriber sessions in both):"
  java -cp benchmarks/target/benchmarks.jar dev.herald.bench.load.Report "$out" persist-sync persist-off
} | tee "${out%.jsonl}.md"
echo "Results: $out" >&2
