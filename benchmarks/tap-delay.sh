#!/usr/bin/env bash
# The tap-delay table: one build, one machine, one run; dispatch mode (inline or actor) and the tap
# handler's delay (0, 1, 5, 25 ms) are the only variables, tap inbox depth 256. For each, a fresh
# broker with one tap on the load topics: QoS 0 fan-in throughput and the p99 publish-to-delivery
# latency at 5,000 msg/s seen by a normal subscriber, and the tap's delivered and dropped counts.
# Results: benchmarks/results/<time>-taps.jsonl and .md.
#
#   benchmarks/tap-delay.sh                         # 3 rounds, 10 s per scenario
#   ROUNDS=1 SECONDS_PER=5 DELAYS="0 25" benchmarks/tap-delay.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_PER=${SECONDS_PER:-10}
WARMUP=${WARMUP:-3}
DELAYS=${DELAYS:-"0 1 5 25"}
MODES=${MODES:-"inline actor"}
HERALD_PORT=${HERALD_PORT:-18830}

mvn -q -B -DskipTests -pl benchmarks -am package
source benchmarks/common.sh

start_run "-taps"

for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    for delay in $DELAYS; do
      label="$mode-${delay}ms"
      echo "round $round: $label" >&2
      port_open "$HERALD_PORT" && { echo "port $HERALD_PORT is in use" >&2; exit 1; }
      java "${jvm_flags[@]}" -cp benchmarks/target/benchmarks.jar dev.herald.bench.tap.TapBenchServer \
        --port "$HERALD_PORT" --dispatch "$mode" --delay-ms "$delay" --inbox 256 --label "$label" \
        > "$work/tap-stats.jsonl" 2> "$work/herald.log" &
      pid=$!; port=$HERALD_PORT
      wait_port "$port"
      for scenario in fanin latency0; do
        gen "$label" "$scenario" || echo "{\"broker\":\"$label\",\"scenario\":\"$scenario\",\"error\":\"generator failed\"}" | tee -a "$out"
      done
      stop_broker
      tee -a "$out" < "$work/tap-stats.jsonl"
    done
  done
done

java -cp benchmarks/target/benchmarks.jar dev.herald.bench.tap.TapReport "$out" | tee "${out%.jsonl}.md"
echo "Results: $out" >&2
