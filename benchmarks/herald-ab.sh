#!/usr/bin/env bash
# Runs Herald variants against each other (A B A B ...): each variant is "label|java options|jar",
# the jar defaulting to the one built from this checkout, started by ./herald with the run command's
# JVM options and then the variant's; a fresh broker per variant and round runs
# the scenarios in order on one JVM (so later ones run warm). Builds nothing: build the jars first,
# e.g. copy server/target/herald-server.jar to before.jar before a change and build again after it.
#
#   benchmarks/herald-ab.sh "before||before.jar" "after|"
#   ROUNDS=2 SCENARIOS="fanout qos1" benchmarks/herald-ab.sh "512m|" "1g|-Xmx1g"
#
# Raw lines: benchmarks/results/<time>-ab.jsonl; at the end a table of medians of each later variant
# beside the first, with their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-2}
SECONDS_PER=${SECONDS_PER:-8}
WARMUP=${WARMUP:-4}
SCENARIOS=${SCENARIOS:-"fanout shared qos1 fanin pairs"}
CONNECTIONS=${CONNECTIONS:-10000}
PORT=${PORT:-18850}
[ $# -ge 1 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

source benchmarks/common.sh
start_run "-ab"

for round in $(seq 1 "$ROUNDS"); do
  for variant in "$@"; do
    label=${variant%%|*}
    rest=${variant#*|}
    options=${rest%%|*}
    jar=server/target/herald-server.jar
    [ "$rest" != "$options" ] && [ -n "${rest#*|}" ] && jar=${rest#*|}
    echo "round $round: $label" >&2
    start_herald "$PORT" "$work/herald-$label.log" "$jar" "$options"
    for scenario in $SCENARIOS; do
      gen "$label" "$scenario" --connections "$CONNECTIONS" || echo "{\"broker\":\"$label\",\"scenario\":\"$scenario\",\"error\":\"generator failed\"}" | tee -a "$out"
    done
    stop_broker
  done
done

# Each later variant against the first (its ratio to the first in the last column).
first=${1%%|*}
shift
for variant in "$@"; do
  java -cp benchmarks/target/benchmarks.jar dev.herald.bench.load.Report "$out" "${variant%%|*}" "$first"
done | tee "${out%.jsonl}.md"
echo "Results: $out" >&2
