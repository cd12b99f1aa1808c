#!/usr/bin/env bash
# What TLS costs the broker: QoS 0 fan-in throughput (the load generator's 'fanin') over plain TCP
# and over TLS (the generator's --tls, Netty's JDK TLS) against the same Herald, whose mqtt-tls
# listener uses a self-signed EC P-256 certificate made with keytool for this run. Interleaved
# rounds (plain, tls, plain, ...), one fresh Herald per run. Prints medians with the ratio to
# 'plain'. Results: benchmarks/results/<time>-tls.jsonl and .md.
#
#   benchmarks/tls-cost.sh                          # 3 rounds, 10 s each
#   ROUNDS=5 SECONDS_PER=20 benchmarks/tls-cost.sh
#   KEYALG=RSA benchmarks/tls-cost.sh               # an RSA 2048 certificate instead
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SECONDS_PER=${SECONDS_PER:-10}
WARMUP=${WARMUP:-5}
SCENARIO=${SCENARIO:-fanin}
HERALD_PORT=${HERALD_PORT:-18830}
TLS_PORT=${TLS_PORT:-18883}
KEYALG=${KEYALG:-EC}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -q -B -DskipTests -pl server,benchmarks -am package
fi
source benchmarks/common.sh

start_run "-tls"
key_options=(-keyalg EC -groupname secp256r1)
[ "$KEYALG" = RSA ] && key_options=(-keyalg RSA -keysize 2048)
keytool -genkeypair -alias herald "${key_options[@]}" -dname "CN=localhost" \
  -ext "san=ip:127.0.0.1,dns:localhost" -validity 2 \
  -storetype PKCS12 -keystore "$work/server.p12" -storepass herald-bench -keypass herald-bench 2> "$work/keytool.log"
cat > "$work/tls.conf" <<CONF
herald.admin.enabled = false
herald.mqtt.tls {
  enabled = true
  port = $TLS_PORT
  keystore = "$work/server.p12"
  keystore-password = "herald-bench"
  reload-interval = 0
}
CONF

start_herald() { # mode
  for p in "$HERALD_PORT" "$TLS_PORT"; do
    port_open "$p" && { echo "port $p is in use" >&2; exit 1; }
  done
  java "${jvm_flags[@]}" -jar server/target/herald-server.jar --port "$HERALD_PORT" --in-memory --config "$work/tls.conf" \
    > "$work/herald-$1.log" 2>&1 &
  pid=$!
  wait_port "$HERALD_PORT"
  wait_port "$TLS_PORT"
  port=$HERALD_PORT
  [ "$1" = tls ] && port=$TLS_PORT
  return 0
}

for round in $(seq 1 "$ROUNDS"); do
  for mode in plain tls; do
    echo "round $round: $mode" >&2
    start_herald "$mode"
    tls=()
    [ "$mode" = tls ] && tls=(--tls)
    gen "mqtt-$mode" "$SCENARIO" "${tls[@]}" \
      || echo "{\"broker\":\"mqtt-$mode\",\"scenario\":\"$SCENARIO\",\"error\":\"generator failed\"}" | tee -a "$out"
    stop_broker
  done
done

{
  echo "MQTT over TLS ($KEYALG certificate) vs plain TCP:"
  java -cp benchmarks/target/benchmarks.jar dev.herald.bench.load.Report "$out" mqtt-tls mqtt-plain
} | tee "${out%.jsonl}.md"
echo "Results: $out" >&2
