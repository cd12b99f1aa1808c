#!/usr/bin/env bash
# Does the store grow without bound under session churn? One Herald with persistence on (DURABILITY,
# 'sync' by default) in a fresh temporary data directory; the load generator's 'churn' scenario
# connects SESSIONS clients (CONCURRENCY at a time) with a Session Expiry Interval of 1 or 2 s, each
# subscribes and disconnects, and every tenth gets a QoS 1 message queued while offline. The data
# directory's size on disk is sampled every 0.5 s and reported before, at its peak, once every
# session has expired (herald_sessions from admin /metrics back to 0), after a clean stop, after a
# compaction of the stopped store and after a restart on it. The directory is deleted at the end.
# Results: benchmarks/results/<time>-churn.jsonl.
#
#   benchmarks/churn.sh                     # 100,000 sessions, 100 at a time
#   SESSIONS=20000 DURABILITY=batched benchmarks/churn.sh
#   KEEP_DATA=/some/dir benchmarks/churn.sh   # keeps a copy of the data directory at the end
set -euo pipefail
cd "$(dirname "$0")/.."

SESSIONS=${SESSIONS:-100000}
CONCURRENCY=${CONCURRENCY:-100}
DURABILITY=${DURABILITY:-sync}
HERALD_PORT=${HERALD_PORT:-18830}
ADMIN_PORT=${ADMIN_PORT:-18081}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -q -B -DskipTests -pl server,benchmarks -am package
fi
source benchmarks/common.sh
start_run "-churn"
data="$work/data"
sampler=""
trap 'if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; fi; if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
cat > "$work/churn.conf" <<CONF
herald.admin { enabled = true, port = $ADMIN_PORT }
herald.mqtt.sys.interval = 0
herald.mqtt.persistence { enabled = true, durability = $DURABILITY, directory = "$data" }
CONF

# Sizes in kB: on disk (allocated; RocksDB preallocates its write-ahead log) and apparent (bytes written).
kb() { echo "$(du -sk "$data" | cut -f1)/$(du -sk --apparent-size "$data" | cut -f1)"; }
files() { (cd "$data" && ls -l | awk 'NR>1 {printf "%s:%s ", $9, $5}'); }
sessions() { curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" | sed -n 's/^herald_sessions[^ ]* \([0-9.e+]*\)$/\1/p' | head -1; }
start_herald() {
  for p in "$HERALD_PORT" "$ADMIN_PORT"; do
    port_open "$p" && { echo "port $p is in use" >&2; exit 1; }
  done
  java "${jvm_flags[@]}" -jar server/target/herald-server.jar --port "$HERALD_PORT" --config "$work/churn.conf" \
    >> "$work/herald.log" 2>&1 &
  pid=$!; port=$HERALD_PORT
  wait_port "$HERALD_PORT"; wait_port "$ADMIN_PORT"
}

start_herald
before=$(kb)
( while true; do kb >> "$work/sizes"; sleep 0.5; done ) &
sampler=$!
java "${jvm_flags[@]}" -cp benchmarks/target/benchmarks.jar dev.herald.bench.load.LoadGenerator \
  --port "$port" --pid "$pid" --label "herald-$DURABILITY" --scenario churn --connections "$SESSIONS" \
  --connects-in-flight "$CONCURRENCY" --session-expiry 1 > "$work/gen.json" 2>> "$work/generator.log"
at_end=$(kb)
expiry_wait=0
until [ "$(sessions)" = "0.0" ] || [ "$(sessions)" = "0" ] || [ $expiry_wait -ge 600 ]; do
  sleep 0.1; expiry_wait=$((expiry_wait + 1))
done
left=$(sessions)
after_expiry=$(kb)
kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=""
peak="$(cut -d/ -f1 "$work/sizes" | sort -n | tail -1)/$(cut -d/ -f2 "$work/sizes" | sort -n | tail -1)"
files_at_peak_end=$(files)
stop_broker
after_stop=$(kb)
files_after_stop=$(files)
compact=$(java "${jvm_flags[@]}" -cp benchmarks/target/benchmarks.jar dev.herald.bench.store.RecoveryBench compact "$data")
after_compact=$(kb)
start_herald
after_restart=$(kb)
files_after_restart=$(files)
restored=$(grep -o 'Restored [0-9]* sessions and [0-9]* retained' "$work/herald.log" | tail -1)
stop_broker
problems=$(grep -cE ' (ERROR|WARN) ' "$work/herald.log" || true)
grep -E ' (ERROR|WARN) ' "$work/herald.log" | head -20 >&2 || true

line=$(cat "$work/gen.json")
line="${line%\}},\"sessions_left\":\"$left\",\"expiry_wait_s\":$((expiry_wait / 10))"
line="$line,\"kb_disk_apparent\":{\"before\":\"$before\",\"peak\":\"$peak\",\"churn_end\":\"$at_end\""
line="$line,\"after_expiry\":\"$after_expiry\",\"after_stop\":\"$after_stop\",\"after_compact\":\"$after_compact\""
line="$line,\"after_restart\":\"$after_restart\"},\"restored\":\"$restored\",\"log_warnings_errors\":$problems"
line="$line,\"files_after_expiry\":\"$files_at_peak_end\",\"files_after_stop\":\"$files_after_stop\""
line="$line,\"files_after_restart\":\"$files_after_restart\",\"compact\":$compact}"
echo "$line" | tee -a "$out"
if [ -n "${KEEP_DATA:-}" ]; then cp -r "$data" "$KEEP_DATA"; echo "data directory kept in $KEEP_DATA" >&2; fi
echo "Results: $out" >&2
