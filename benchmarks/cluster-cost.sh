#!/usr/bin/env bash
# What a cluster costs: QoS 0 fan-in and fan-out (the load generator's 'fanin' and 'fanout') against
# a single Herald and against a 2-node Herald cluster on 127.0.0.1 whose publishers connect to node A
# and whose subscribers connect to node B, so every delivery crosses from one node to the other once.
# Interleaved rounds (single, cluster, single, ...), fresh broker processes per mode and round, both
# scenarios in each. The broker's CPU is the sum of its processes (both nodes for the cluster).
# Prints medians with the ratio cluster/single. Results: benchmarks/results/<time>-cluster.jsonl and .md.
#
# It does not build (so that it can run under a build lock that a Maven build would also take):
# build the server and the generator first, then run it.
#
#   mvn -B -q -DskipTests -pl server,benchmarks -am package
#   benchmarks/cluster-cost.sh                      # 3 rounds, 10 s each after 5 s of warm-up
#   ROUNDS=5 SECONDS_PER=20 SCENARIOS=fanin benchmarks/cluster-cost.sh
#   MODES="single cluster local" benchmarks/cluster-cost.sh
#     # 'local': the same 2-node cluster with publishers and subscribers all on node A (no hop)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_PER=${SECONDS_PER:-10}
WARMUP=${WARMUP:-5}
SCENARIOS=${SCENARIOS:-"fanin fanout"}
MODES=${MODES:-"single cluster"}
PORT_A=${PORT_A:-18830}
PORT_B=${PORT_B:-18832}
ADMIN_A=${ADMIN_A:-18091}
ADMIN_B=${ADMIN_B:-18092}
CLUSTER_PORT_A=${CLUSTER_PORT_A:-25520}
CLUSTER_PORT_B=${CLUSTER_PORT_B:-25521}
FORM_TIMEOUT=${FORM_TIMEOUT:-60}

for jar in server/target/herald-server.jar benchmarks/target/benchmarks.jar; do
  if [ ! -f "$jar" ]; then
    echo "$jar is missing: build first with mvn -B -q -DskipTests -pl server,benchmarks -am package" >&2
    exit 1
  fi
done
command -v curl >/dev/null || { echo "curl is needed to ask the nodes' admin HTTP for GET /cluster" >&2; exit 1; }

source benchmarks/common.sh

start_run "-cluster"
pid_b=""
# Node B first, then node A (or the single broker): only the processes this script started.
trap 'for p in "$pid_b" "$pid"; do if [ -n "$p" ]; then kill "$p" 2>/dev/null || true; fi; done; rm -rf "$work"' EXIT

herald() { # log-name [server options...]: starts a Herald in the background, its process id in $started
  local name=$1; shift
  java "${jvm_flags[@]}" -jar server/target/herald-server.jar "$@" > "$work/$name.log" 2>&1 &
  started=$!
}

# Both members Up and reachable in this node's view (admin HTTP GET /cluster).
cluster_up() { # admin-port
  local body
  body=$(curl -s --max-time 2 "http://127.0.0.1:$1/cluster") || return 1
  grep -q '"selfStatus":"Up"' <<< "$body" && grep -q '"unreachable":\[\]' <<< "$body" \
    && [ "$(grep -o '"status":"Up"' <<< "$body" | wc -l)" -eq 2 ] && grep -q '"brokerActor":"pekko' <<< "$body"
}

start_mode() { # mode round
  for p in "$PORT_A" "$PORT_B" "$ADMIN_A" "$ADMIN_B" "$CLUSTER_PORT_A" "$CLUSTER_PORT_B"; do
    port_open "$p" && { echo "port $p is in use" >&2; exit 1; }
  done
  if [ "$1" = single ]; then
    herald "single-$2" --port "$PORT_A" --admin-port "$ADMIN_A" --in-memory
    pid=$started
    wait_port "$PORT_A"; wait_port "$ADMIN_A"
    return
  fi
  # Node A seeds itself (the oldest member: the BrokerActor runs there), node B joins through A.
  herald "$1-a-$2" --port "$PORT_A" --admin-port "$ADMIN_A" \
    --cluster-port "$CLUSTER_PORT_A" --seed "127.0.0.1:$CLUSTER_PORT_A"
  pid=$started
  wait_port "$PORT_A"; wait_port "$ADMIN_A"
  herald "$1-b-$2" --port "$PORT_B" --admin-port "$ADMIN_B" \
    --cluster-port "$CLUSTER_PORT_B" --seed "127.0.0.1:$CLUSTER_PORT_A"
  pid_b=$started
  wait_port "$PORT_B"; wait_port "$ADMIN_B"
  local deadline=$((SECONDS + FORM_TIMEOUT))
  until cluster_up "$ADMIN_A" && cluster_up "$ADMIN_B"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "the cluster did not form within $FORM_TIMEOUT s; node A says: $(curl -s --max-time 2 "http://127.0.0.1:$ADMIN_A/cluster")" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "cluster formed: $(curl -s --max-time 2 "http://127.0.0.1:$ADMIN_A/cluster" | grep -o '"brokerActor":"[^"]*"')" >&2
}

# SIGTERM, then at most 30 s before SIGKILL (a node that leaves the cluster takes a moment).
stop_node() { # pid
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$1" 2>/dev/null; then
    echo "process $1 still running 30 s after SIGTERM: killed" >&2
    kill -KILL "$1" 2>/dev/null || true
  fi
  wait "$1" 2>/dev/null || true
}

stop_mode() {
  if [ -n "$pid_b" ]; then stop_node "$pid_b"; pid_b=""; fi
  stop_node "$pid"; pid=""
}

# QoS 0 messages the broker dropped (slow subscriber), per node, from admin /metrics: cumulative over
# the process, so a second scenario's figure includes the first's.
dropped() { # admin-port
  curl -s --max-time 2 "http://127.0.0.1:$1/metrics" | grep -E '^herald_messages_dropped' | tr '\n' ' ' || true
}

for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    echo "round $round: $mode" >&2
    start_mode "$mode" "$round"
    for scenario in $SCENARIOS; do
      case "$mode" in
        single) extra=() ;;
        cluster) extra=(--pid "$pid_b" --subscriber-port "$PORT_B") ;;
        local) extra=(--pid "$pid_b") ;;
        *) echo "unknown mode $mode (single, cluster, local)" >&2; exit 2 ;;
      esac
      port=$PORT_A
      if ! gen "$mode" "$scenario" "${extra[@]}"; then
        echo "{\"broker\":\"$mode\",\"scenario\":\"$scenario\",\"error\":\"generator failed\"}" | tee -a "$out"
        tail -n 5 "$work/generator.log" >&2
      fi
      echo "  after $scenario, dropped on A: $(dropped "$ADMIN_A")" >&2
      [ "$mode" = single ] || echo "  after $scenario, dropped on B: $(dropped "$ADMIN_B")" >&2
    done
    # Warnings and errors while the broker ran (not those of its stop).
    for log in "$work/$mode"*"-$round.log"; do
      grep -E ' (ERROR|WARN) ' "$log" | head -n 20 | sed "s|^|  $(basename "$log"): |" >&2 || true
    done
    stop_mode
  done
done

{
  for mode in $MODES; do
    [ "$mode" = single ] && continue
    echo "2-node cluster ($mode) vs a single node; broker CPU summed over the nodes:"
    java -cp benchmarks/target/benchmarks.jar dev.herald.bench.load.Report "$out" "$mode" single broker_cpu_s routed_after_ms
    echo
  done
} | tee "${out%.jsonl}.md"
echo "Results: $out" >&2
