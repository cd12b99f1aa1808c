# Shell helpers the benchmark scripts share (sourced, not run): JVM flags for the running Java,
# waiting for a port, and running the load generator against a broker process.

jvm_flags=()
if [ "$(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')" -ge 24 ] 2>/dev/null; then
  jvm_flags=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi

# start_run SUFFIX: $out (benchmarks/results/<time>SUFFIX.jsonl) for the figures, $work for logs, and
# the broker process in $pid killed and $work removed however the script ends.
start_run() {
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  mkdir -p benchmarks/results
  out=benchmarks/results/$stamp$1.jsonl
  work=$(mktemp -d)
  pid=""
  trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 300); do port_open "$1" && return 0; sleep 0.1; done
  echo "broker did not open port $1" >&2; return 1
}

# gen LABEL SCENARIO [generator options...]: one run against $port / $pid, its JSON line appended to $out.
gen() {
  local label=$1 scenario=$2; shift 2
  java "${jvm_flags[@]}" -cp benchmarks/target/benchmarks.jar dev.herald.bench.load.LoadGenerator \
    --port "$port" --pid "$pid" --label "$label" --scenario "$scenario" --seconds "$SECONDS_PER" --warmup "$WARMUP" \
    "$@" 2>> "$work/generator.log" | tee -a "$out"
}

# start_herald PORT LOG [JAR [JAVA_OPTIONS]]: Herald through ./herald, so with the JVM options the run
# command gives it (JAVA_OPTIONS after them win), in memory, admin HTTP on a free port; sets $pid
# and $port. JAR defaults to this checkout's build.
start_herald() {
  port_open "$1" && { echo "port $1 is in use" >&2; exit 1; }
  HERALD_JAR=${3:-server/target/herald-server.jar} JAVA_OPTS=${4:-} ./herald --port "$1" --admin-port 0 \
    --in-memory > "$2" 2>&1 &
  pid=$!; port=$1
  wait_port "$port"
}

stop_broker() {
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
