#!/usr/bin/env bash
# Measure Silo's HTTP throughput and latency against hand-written baselines.
#
#   scripts/bench.sh [--quick] [--northwind DIR]
#
# Starts three servers on free loopback ports: the Silo fat jar (new data folder,
# default configuration, access log off), BareHttpBaseline and SqliteTenantBaseline
# (both under src/test/java/dev/silo/bench/). It provisions 100 tenants in Silo and
# imports the Northwind customers, products (with 10^9 units in stock) and orders into
# each. SqliteTenantBaseline gets copies of these tenant files. Then wrk (2 threads,
# --latency, a 10 s timeout) measures
#   B1  GET / on BareHttpBaseline: Vert.x HTTP, no database                  64 conn.
#   B2  GET /api/products/{id} on SqliteTenantBaseline                       64 conn.
#   B3  POST /api/orders on SqliteTenantBaseline                             64 conn.
#   W1  GET /api/products/{id} on Silo (scripts/bench-w1.lua)         64 and 256 conn.
#   W2  POST /api/orders on Silo, 1 to 3 lines (scripts/bench-w2.lua) 64 and 256 conn.
# with a random tenant per request. B2 and W1 run the same wrk script, and so do B3
# and W2. Each of B1, B2, B3, W1 and W2 first gets warm-up runs of 3 s until two in a
# row differ by less than 10% in requests/s (at most 8; --quick: 1 s, at most 2).
# Then come 3 rounds of 10 s runs (--quick: 1 round of 2 s), each round in the order
# B1, W1, B2, W1 at 256, B3, W2, W2 at 256. After each Silo run the script waits until
# Silo has completed the requests still in flight, so they do not slow the next run.
# A non-2xx response does not stop the runs, but the report lists it and the script
# exits with status 1.
#
# Then, when scripts/bench-scale.py exists, it stops these servers and runs it for
# W3 to W7 (with --quick when given; at most 9 minutes, --quick 4). The report from
# scripts/bench-report.py, with medians, ratios and targets, goes to
# target/bench-report.md and the terminal; a full run also appends it to
# docs/benchmarks.md. Raw wrk output goes to target/bench-runs/ and server logs to
# target/bench-logs/.
#
# --northwind DIR  folder of the Northwind CSV files (default ../shared/data/northwind)
# --quick          short smoke run to check the setup; its report is not appended to the docs
#
# Needs java 17+, mvn, python3, curl and wrk (Debian: apt-get install wrk). SILO_*
# variables of the calling shell are ignored, so every run uses the default
# configuration. Exits 1 when a server or wrk fails, and after writing the report when
# a response was not 2xx or bench-scale.py failed. Exits 2 when a tool or input is missing.
set -euo pipefail

cd "$(dirname "$0")/.."

QUICK=0
NORTHWIND_DIR=../shared/data/northwind
COMMAND="scripts/bench.sh${*:+ $*}"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --northwind)
      [ $# -ge 2 ] || { echo "--northwind needs a folder" >&2; exit 2; }
      NORTHWIND_DIR=$2; shift 2 ;;
    -h|--help) sed -n '2,39p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see scripts/bench.sh --help)" >&2; exit 2 ;;
  esac
done

TENANTS=100
THREADS=2
CONNECTIONS=64
CONNECTIONS_HIGH=256
# wrk leaves requests slower than its timeout (default 2 s) out of the latency
# percentiles, so a longer one keeps stalls in p99.
WRK_TIMEOUT_S=10
SETTLE_TOLERANCE_PERCENT=10
if [ "$QUICK" = 1 ]; then
  DURATION_S=2; RUNS=1; SETTLE_S=1; SETTLE_MAX_RUNS=2; SCALE_TIMEOUT_S=240
else
  DURATION_S=10; RUNS=3; SETTLE_S=3; SETTLE_MAX_RUNS=8; SCALE_TIMEOUT_S=540
fi

if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is not installed. On Debian or Ubuntu install it with: sudo apt-get install wrk" >&2
  exit 2
fi
for tool in java mvn python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is missing: install it and run again" >&2; exit 2; }
done
if [ ! -f "$NORTHWIND_DIR/products.csv" ]; then
  echo "no products.csv in $NORTHWIND_DIR; pass the Northwind folder with --northwind DIR" >&2
  exit 2
fi

if [ ! -f target/silo.jar ] || [ ! -f target/test-classes/dev/silo/bench/SqliteTenantBaseline.class ]; then
  echo "building target/silo.jar and the test classes"
  mvn -B -q package -DskipTests
fi
if [ ! -f target/bench.classpath ]; then
  mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/silo-bench.XXXXXX")
LOGS=target/bench-logs
RUNS_DIR=target/bench-runs
rm -rf "$RUNS_DIR" "$LOGS"
mkdir -p "$LOGS" "$RUNS_DIR/settle"
PIDS=()
stop_servers() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
trap 'stop_servers; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_ready NAME PID URL [CURL_OPTION...]: polls URL until it returns 2xx, for at most 60 s.
wait_ready() {
  local name=$1 pid=$2 url=$3
  shift 3
  for _ in $(seq 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited before it was ready; see $LOGS/$name.log" >&2
      exit 1
    fi
    if curl -fs -o /dev/null "$@" "$url"; then
      return 0
    fi
    sleep 0.1
  done
  echo "$name was not ready at $url within 60 s; see $LOGS/$name.log" >&2
  exit 1
}

START_SECONDS=$SECONDS
echo "uptime before: $(uptime)"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)

for variable in $(compgen -e | grep '^SILO_' || true); do
  unset "$variable"
done
python3 -c 'import secrets; print("bench_admin_" + secrets.token_hex(16))' >"$WORK/admin.token"
chmod 600 "$WORK/admin.token"

SILO_PORT=$(free_port)
SILO_HTTP_HOST=127.0.0.1 SILO_HTTP_PORT=$SILO_PORT SILO_DATA_DIR="$WORK/data" \
  SILO_ADMIN_TOKEN=$(cat "$WORK/admin.token") SILO_LOG_ACCESS=OFF \
  java -jar target/silo.jar >"$LOGS/silo.log" 2>&1 &
PIDS+=($!)
SILO_PID=$!

# The baselines log through Silo's logback.xml, not the test configuration.
BASELINE_JAVA=(java -Dlogback.configurationFile=target/classes/logback.xml
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)")
BARE_PORT=$(free_port)
"${BASELINE_JAVA[@]}" dev.silo.bench.BareHttpBaseline 127.0.0.1 "$BARE_PORT" >"$LOGS/bare-baseline.log" 2>&1 &
PIDS+=($!)
BARE_PID=$!

wait_ready silo "$SILO_PID" "http://127.0.0.1:$SILO_PORT/ready"
wait_ready bare-baseline "$BARE_PID" "http://127.0.0.1:$BARE_PORT/"

echo "provisioning $TENANTS tenants and importing the Northwind data into each"
python3 scripts/northwind-to-json.py --northwind-dir "$NORTHWIND_DIR" --output "$WORK/northwind.json"
python3 scripts/bench-setup.py --port "$SILO_PORT" --admin-token-file "$WORK/admin.token" --tenants "$TENANTS" \
  --northwind-json "$WORK/northwind.json" --data-dir "$WORK/data" --work "$WORK"

SQLITE_PORT=$(free_port)
"${BASELINE_JAVA[@]}" dev.silo.bench.SqliteTenantBaseline 127.0.0.1 "$SQLITE_PORT" "$WORK/baseline-tenants" \
  >"$LOGS/sqlite-baseline.log" 2>&1 &
PIDS+=($!)
SQLITE_PID=$!
wait_ready sqlite-baseline "$SQLITE_PID" "http://127.0.0.1:$SQLITE_PORT/api/products/1" -H "X-Tenant-ID: bench-000"

export BENCH_TOKENS_FILE="$WORK/tokens.txt" BENCH_IDS_FILE="$WORK/product-ids.txt" \
  BENCH_ORDER_PRODUCT_IDS_FILE="$WORK/order-product-ids.txt" BENCH_CUSTOMER_IDS_FILE="$WORK/customer-ids.txt"

# One request of each workload must succeed before any is measured.
read -r FIRST_TENANT FIRST_TOKEN <"$WORK/tokens.txt"
FIRST_PRODUCT=$(head -n 1 "$WORK/order-product-ids.txt")
FIRST_CUSTOMER=$(head -n 1 "$WORK/customer-ids.txt")
ORDER_BODY="{\"customer_id\":\"$FIRST_CUSTOMER\",\"lines\":[{\"product_id\":$FIRST_PRODUCT,\"quantity\":1}]}"
check() {
  local name=$1; shift
  curl -fs -o /dev/null "$@" || { echo "$name check failed: $* did not return 2xx" >&2; exit 1; }
}
check W1 -H "Authorization: Bearer $FIRST_TOKEN" "http://127.0.0.1:$SILO_PORT/api/products/$FIRST_PRODUCT"
check W2 -H "Authorization: Bearer $FIRST_TOKEN" -H "Content-Type: application/json" -d "$ORDER_BODY" \
  "http://127.0.0.1:$SILO_PORT/api/orders"
check B2 -H "X-Tenant-ID: $FIRST_TENANT" "http://127.0.0.1:$SQLITE_PORT/api/products/$FIRST_PRODUCT"
check B3 -H "X-Tenant-ID: $FIRST_TENANT" -H "Content-Type: application/json" -d "$ORDER_BODY" \
  "http://127.0.0.1:$SQLITE_PORT/api/orders"

# run_wrk MEASURE CONNECTIONS SECONDS OUTPUT: one wrk run of workload MEASURE, which is
# one of B1, B2, B3, W1 and W2. Sets ERROR_RESPONSES=1 on a non-2xx response, and stops
# the script when wrk fails or a server has stopped.
ERROR_RESPONSES=0
run_wrk() {
  local measure=$1 connections=$2 seconds=$3 output=$4
  local target=silo port=$SILO_PORT
  local options=(-t"$THREADS" -c"$connections" -d"${seconds}s" --timeout "${WRK_TIMEOUT_S}s" --latency)
  case "$measure" in
    B1) port=$BARE_PORT ;;
    B2) target=baseline; port=$SQLITE_PORT; options+=(-s scripts/bench-w1.lua) ;;
    B3) target=baseline; port=$SQLITE_PORT; options+=(-s scripts/bench-w2.lua) ;;
    W1) options+=(-s scripts/bench-w1.lua) ;;
    W2) options+=(-s scripts/bench-w2.lua) ;;
  esac
  if ! BENCH_TARGET=$target wrk "${options[@]}" "http://127.0.0.1:$port/" >"$output" 2>&1 \
      || ! grep -q '^Requests/sec' "$output"; then
    echo "wrk failed on $measure; its output:" >&2
    cat "$output" >&2
    exit 1
  fi
  if grep -q 'Non-2xx or 3xx responses' "$output"; then
    # Measuring goes on, so that the report shows how often it happens; the script fails at the end.
    echo "$measure got error responses: $(grep 'Non-2xx or 3xx responses' "$output" | tr -s ' ')" >&2
    ERROR_RESPONSES=1
  fi
  for pid in "$SILO_PID" "$BARE_PID" "$SQLITE_PID"; do
    kill -0 "$pid" 2>/dev/null || { echo "a server stopped during $measure; see $LOGS/" >&2; exit 1; }
  done
  case "$measure" in W*) wait_for_silo_drained "$(basename "$output" .txt)" ;; esac
}

# wait_for_silo_drained LABEL: waits until Silo has no request in flight besides the
# metrics request itself. wrk stops sending at the end of a run without waiting for
# replies, and the requests left over would slow the next run. Appends
# "LABEL <milliseconds>" to $RUNS_DIR/drain.txt, or "LABEL timeout" after 30 s.
wait_for_silo_drained() {
  local label=$1 started active=""
  started=$(date +%s%N)
  for _ in $(seq 300); do
    active=$(curl -fs "http://127.0.0.1:$SILO_PORT/metrics" \
      | awk '/^vertx_http_server_active_requests/ { sum += $2 } END { printf "%d", sum }')
    if [ "${active:-0}" -le 1 ]; then
      echo "$label $(( ($(date +%s%N) - started) / 1000000 ))" >>"$RUNS_DIR/drain.txt"
      return 0
    fi
    sleep 0.1
  done
  echo "$label timeout" >>"$RUNS_DIR/drain.txt"
  echo "Silo still had $active requests in flight 30 s after $label ended; measuring on" >&2
}

requests_per_second() {
  sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"
}

# settle MEASURE: runs short runs until two in a row differ by less than
# SETTLE_TOLERANCE_PERCENT, or SETTLE_MAX_RUNS is reached. Writes the rate of each run,
# then "settled" or "not settled", to $RUNS_DIR/settle/MEASURE.summary.
settle() {
  local measure=$1 previous="" rate run record="$RUNS_DIR/settle/$1.summary"
  : >"$record"
  for run in $(seq "$SETTLE_MAX_RUNS"); do
    run_wrk "$measure" "$CONNECTIONS" "$SETTLE_S" "$RUNS_DIR/settle/$measure-$run.txt"
    rate=$(requests_per_second "$RUNS_DIR/settle/$measure-$run.txt")
    echo "$rate" >>"$record"
    if [ -n "$previous" ] && python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); \
sys.exit(0 if abs(a - b) < max(a, b) * $SETTLE_TOLERANCE_PERCENT / 100 else 1)" "$previous" "$rate"; then
      echo "settled" >>"$record"
      echo "$measure settled after $run warm-up runs of ${SETTLE_S} s (last: $previous, $rate requests/s)"
      return 0
    fi
    previous=$rate
  done
  echo "not settled" >>"$record"
  echo "$measure did not settle within $SETTLE_MAX_RUNS warm-up runs of ${SETTLE_S} s; measuring anyway"
}

for measure in B1 W1 B2 B3 W2; do
  settle "$measure"
done

ROUND=(B1:$CONNECTIONS W1:$CONNECTIONS B2:$CONNECTIONS W1:$CONNECTIONS_HIGH B3:$CONNECTIONS
  W2:$CONNECTIONS W2:$CONNECTIONS_HIGH)
for run in $(seq "$RUNS"); do
  for entry in "${ROUND[@]}"; do
    measure=${entry%%:*}
    connections=${entry##*:}
    echo "run $run of $RUNS: $measure at $connections connections for ${DURATION_S} s"
    run_wrk "$measure" "$connections" "$DURATION_S" "$RUNS_DIR/$measure-c$connections-$run.txt"
  done
done
LOAD_AFTER_HTTP=$(cut -d' ' -f1 /proc/loadavg)
HTTP_SECONDS=$((SECONDS - START_SECONDS))
echo "uptime after the HTTP workloads: $(uptime)"
# Silo's counts of responses by status code and route, for the report.
curl -fs -o "$RUNS_DIR/silo-metrics.txt" "http://127.0.0.1:$SILO_PORT/metrics" || echo "could not read Silo's metrics" >&2
stop_servers

SCALE_STATUS=absent
if [ -f scripts/bench-scale.py ]; then
  echo "running scripts/bench-scale.py for W3 to W7 (at most $SCALE_TIMEOUT_S s); output in $LOGS/scale.log"
  SCALE_ARGS=(--jar target/silo.jar --northwind-dir "$NORTHWIND_DIR" --output "$RUNS_DIR/scale.json")
  [ "$QUICK" = 1 ] && SCALE_ARGS+=(--quick)
  set +e
  timeout --kill-after=30 "$SCALE_TIMEOUT_S" python3 scripts/bench-scale.py "${SCALE_ARGS[@]}" 2>&1 | tee "$LOGS/scale.log"
  SCALE_STATUS=${PIPESTATUS[0]}
  set -e
  [ "$SCALE_STATUS" = 0 ] || echo "scripts/bench-scale.py failed with exit status $SCALE_STATUS; see $LOGS/scale.log" >&2
fi
echo "uptime after: $(uptime)"

python3 - "$RUNS_DIR/meta.json" "$COMMAND" <<EOF
import json, sys
meta = {
    "command": sys.argv[2], "quick": $QUICK == 1, "tenants": $TENANTS, "threads": $THREADS,
    "connections": $CONNECTIONS, "connections_high": $CONNECTIONS_HIGH, "duration_s": $DURATION_S, "runs": $RUNS,
    "wrk_timeout_s": $WRK_TIMEOUT_S,
    "settle_s": $SETTLE_S, "settle_max_runs": $SETTLE_MAX_RUNS, "settle_tolerance_percent": $SETTLE_TOLERANCE_PERCENT,
    "load_before": $LOAD_BEFORE, "load_after_http": $LOAD_AFTER_HTTP, "load_after": $(cut -d' ' -f1 /proc/loadavg),
    "http_seconds": $HTTP_SECONDS, "total_seconds": $((SECONDS - START_SECONDS)),
    "scale_status": "$SCALE_STATUS", "scale_timeout_s": $SCALE_TIMEOUT_S,
}
with open(sys.argv[1], "w") as f:
    json.dump(meta, f, indent=2)
EOF

REPORT_ARGS=(--runs "$RUNS_DIR" --logs "$LOGS" --output target/bench-report.md)
[ "$QUICK" = 1 ] || REPORT_ARGS+=(--append docs/benchmarks.md)
python3 scripts/bench-report.py "${REPORT_ARGS[@]}"
if [ "$ERROR_RESPONSES" = 1 ]; then
  echo "failed: some responses were not 2xx; the report lists them" >&2
  exit 1
fi
[ "$SCALE_STATUS" = absent ] || [ "$SCALE_STATUS" = 0 ] || exit 1
