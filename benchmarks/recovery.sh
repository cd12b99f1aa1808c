#!/usr/bin/env bash
# Start-up with a big store: fills a fresh temporary data directory with RETAINED retained messages
# and SESSIONS persistent sessions (1 or 2 subscriptions each, every third with a QoS 1 message
# queued) through the broker's store, then, in a fresh JVM with -Xmx$HEAP, starts an embedded broker
# on it and reports the start time, the broker's own "Restored ..." line, the heap used after a GC,
# the directory's size and how long clients take to resume a session and get its queued message.
# The directory is deleted at the end. Results: benchmarks/results/<time>-recovery.jsonl.
#
#   benchmarks/recovery.sh                                 # 1,000,000 retained, 100,000 sessions
#   HEAPS="512m 1g" RETAINED=100000 SESSIONS=10000 benchmarks/recovery.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RETAINED=${RETAINED:-1000000}
SESSIONS=${SESSIONS:-100000}
HEAPS=${HEAPS:-default}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -q -B -DskipTests -pl benchmarks -am package
fi
source benchmarks/common.sh
start_run "-recovery"

bench() { # heap mode args...
  local heap=()
  [ "$1" != default ] && heap=("-Xmx$1")
  shift
  java "${jvm_flags[@]}" "${heap[@]}" -cp benchmarks/target/benchmarks.jar dev.herald.bench.store.RecoveryBench "$@"
}

echo "filling $work/data with $RETAINED retained messages and $SESSIONS sessions" >&2
bench default fill "$work/data" --retained "$RETAINED" --sessions "$SESSIONS" | tee -a "$out"
run=0
for heap in $HEAPS; do
  echo "starting on it with heap $heap" >&2
  if bench "$heap" start "$work/data" --sessions "$SESSIONS" --offset "$run" > "$work/start.out" 2> "$work/start.log"; then
    sed "s/^{/{\"heap\":\"$heap\",/" "$work/start.out" | tee -a "$out"
  else
    echo "{\"heap\":\"$heap\",\"mode\":\"start\",\"error\":\"$(grep -m1 -E 'OutOfMemory|Exception' "$work/start.log" | tr '"' "'")\"}" \
      | tee -a "$out"
  fi
  grep -h "Restored" "$work/start.log" >&2 || true
  run=$((run + 1))
done
echo "Results: $out" >&2
