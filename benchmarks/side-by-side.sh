#!/usr/bin/env bash
# Runs Herald and Mosquitto side by side on 127.0.0.1 through the load generator's scenarios, in
# interleaved rounds (Herald, Mosquitto, Herald, Mosquitto, ...), and prints a table of medians with
# the ratio Herald/Mosquitto. Herald runs through ./herald, so with the run command's JVM options.
# Installs Mosquitto with apt-get when it is missing; starts and stops only the broker processes it
# started. Results: benchmarks/results/<time>.jsonl and .md.
#
#   benchmarks/side-by-side.sh                      # 3 rounds, 10 s per scenario
#   ROUNDS=5 SECONDS_PER=20 SCENARIOS="fanin qos1" benchmarks/side-by-side.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_PER=${SECONDS_PER:-10}
WARMUP=${WARMUP:-5}
SCENARIOS=${SCENARIOS:-"fanin fanout shared pairs qos1 qos2 latency0 latency1 conns"}
CONNECTIONS=${CONNECTIONS:-10000}
HERALD_PORT=${HERALD_PORT:-18830}
MOSQUITTO_PORT=${MOSQUITTO_PORT:-18831}

if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
  echo "Installing mosquitto with apt-get..." >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq mosquitto >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq mosquitto >/dev/null
  fi
fi
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

mvn -q -B -DskipTests -pl server,benchmarks -am package
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

source benchmarks/common.sh

start_run ""

start_broker() { # name
  case "$1" in
    herald)
      start_herald "$HERALD_PORT" "$work/herald.log"
      return ;;
    mosquitto)
      port_open "$MOSQUITTO_PORT" && { echo "port $MOSQUITTO_PORT is in use" >&2; exit 1; }
      cat > "$work/mosquitto.conf" <<CONF
listener $MOSQUITTO_PORT 127.0.0.1
allow_anonymous true
persistence false
max_inflight_messages 64
max_queued_messages 1000
log_dest stderr
log_type error
CONF
      "$MOSQUITTO" -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
      pid=$!; port=$MOSQUITTO_PORT ;;
  esac
  wait_port "$port"
}

echo "Mosquitto: $("$MOSQUITTO" -h 2>&1 | head -n 1); Java: $(java -version 2>&1 | head -n 1)" >&2
for round in $(seq 1 "$ROUNDS"); do
  for broker in herald mosquitto; do
    echo "round $round: $broker" >&2
    # One broker process for the traffic scenarios (a JVM is measured warm), a fresh one for
    # 'conns' so that its memory before, with and after the connections is its own.
    start_broker "$broker"
    for scenario in $SCENARIOS; do
      if [ "$scenario" = conns ]; then
        stop_broker
        start_broker "$broker"
      fi
      gen "$broker" "$scenario" --connections "$CONNECTIONS" || echo "{\"broker\":\"$broker\",\"scenario\":\"$scenario\",\"error\":\"generator failed\"}" | tee -a "$out"
    done
    stop_broker
  done
done

java -cp benchmarks/target/benchmarks.jar dev.herald.bench.load.Report "$out" herald mosquitto | tee "${out%.jsonl}.md"
echo "Results: $out" >&2
