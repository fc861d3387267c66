#!/usr/bin/env bash
# Compare Silo's HTTP throughput with a bare Vert.x baseline on this machine.
#
#   scripts/bench.sh [--quick] [--northwind DIR]
#
# Starts two servers on free loopback ports: the Silo fat jar (fresh data folder,
# access log off) and BareHttpBaseline, a Vert.x endpoint that returns a small JSON
# object without a database. It provisions 100 tenants, imports the Northwind
# products into each, then runs wrk (2 threads, 64 connections, --latency) against
#   B1  GET / on the baseline
#   W1  GET /api/products/{id} on Silo, with a random tenant token and product id
#       per request (scripts/bench-w1.lua)
# alternating B1 and W1, 3 runs of 10 s each (--quick: 1 run of 3 s), after one
# unrecorded warm-up run of each. It prints a table and appends a dated section with
# the machine, per-run numbers, medians and the ratio W1/B1 to docs/benchmarks.md.
#
# --northwind DIR  folder of the Northwind CSV files (default ../shared/data/northwind)
#
# Needs java 17+, mvn, python3, curl and wrk (Debian: apt-get install wrk). SILO_*
# variables of the calling shell are ignored, so every run uses the default
# configuration. Server logs go to target/bench-logs/. Exits 2 when wrk is missing.
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
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see scripts/bench.sh --help)" >&2; exit 2 ;;
  esac
done

TENANTS=100
THREADS=2
CONNECTIONS=64
if [ "$QUICK" = 1 ]; then
  DURATION_S=3; RUNS=1; WARMUP_S=2
else
  DURATION_S=10; RUNS=3; WARMUP_S=5
fi
ADMIN_TOKEN="bench_admin_$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

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

if [ ! -f target/silo.jar ] || [ ! -f target/test-classes/dev/silo/bench/BareHttpBaseline.class ]; then
  echo "building target/silo.jar and the test classes"
  mvn -B -q package -DskipTests
fi
if [ ! -f target/bench.classpath ]; then
  mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/silo-bench.XXXXXX")
LOGS=target/bench-logs
mkdir -p "$LOGS"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_ready NAME PID URL: polls URL until it returns 200, for at most 60 s.
wait_ready() {
  local name=$1 pid=$2 url=$3
  for _ in $(seq 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited before it was ready; see $LOGS/$name.log" >&2
      exit 1
    fi
    if curl -fs -o /dev/null "$url"; then
      return 0
    fi
    sleep 0.1
  done
  echo "$name was not ready at $url within 60 s; see $LOGS/$name.log" >&2
  exit 1
}

echo "uptime before: $(uptime)"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)

SILO_PORT=$(free_port)
for variable in $(compgen -e | grep '^SILO_' || true); do
  unset "$variable"
done
SILO_HTTP_HOST=127.0.0.1 SILO_HTTP_PORT=$SILO_PORT SILO_DATA_DIR="$WORK/data" \
  SILO_ADMIN_TOKEN=$ADMIN_TOKEN SILO_LOG_ACCESS=OFF \
  java -jar target/silo.jar >"$LOGS/silo.log" 2>&1 &
PIDS+=($!)
SILO_PID=$!

BASELINE_PORT=$(free_port)
java -cp "target/test-classes:$(cat target/bench.classpath)" dev.silo.bench.BareHttpBaseline \
  127.0.0.1 "$BASELINE_PORT" >"$LOGS/baseline.log" 2>&1 &
PIDS+=($!)
BASELINE_PID=$!

wait_ready silo "$SILO_PID" "http://127.0.0.1:$SILO_PORT/ready"
wait_ready baseline "$BASELINE_PID" "http://127.0.0.1:$BASELINE_PORT/"

echo "provisioning $TENANTS tenants and importing the Northwind products into each"
python3 scripts/northwind-to-json.py --northwind-dir "$NORTHWIND_DIR" --output "$WORK/northwind.json"
python3 - "$SILO_PORT" "$ADMIN_TOKEN" "$TENANTS" "$WORK" <<'EOF'
import http.client, json, sys
port, admin_token, tenants, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(f"{work}/northwind.json") as f:
    products = json.load(f)["products"]
connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)

def send(method, path, body, token):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection.request(method, path, json.dumps(body), headers)
    response = connection.getresponse()
    payload = response.read()
    if response.status not in (200, 201):
        sys.exit(f"{method} {path} returned {response.status}: {payload[:300]!r}")
    return json.loads(payload)

tokens = []
for i in range(tenants):
    tenant = f"bench-{i:03d}"
    send("POST", "/admin/tenants", {"id": tenant, "name": f"Bench {i}", "plan": "standard"}, admin_token)
    token = send("POST", f"/admin/tenants/{tenant}/tokens", {"name": "bench"}, admin_token)["token"]
    send("POST", "/api/import", {"products": products}, token)
    tokens.append(token)
with open(f"{work}/tokens.txt", "w") as f:
    f.write("\n".join(tokens) + "\n")
with open(f"{work}/product-ids.txt", "w") as f:
    f.write("\n".join(str(p["id"]) for p in products) + "\n")
print(f"{tenants} tenants with {len(products)} products each")
EOF

# One request of each workload must succeed before any is measured.
FIRST_TOKEN=$(head -n 1 "$WORK/tokens.txt")
FIRST_ID=$(head -n 1 "$WORK/product-ids.txt")
curl -fs -o /dev/null -H "Authorization: Bearer $FIRST_TOKEN" \
  "http://127.0.0.1:$SILO_PORT/api/products/$FIRST_ID" \
  || { echo "W1 check failed: GET /api/products/$FIRST_ID did not return 2xx" >&2; exit 1; }

B1_URL="http://127.0.0.1:$BASELINE_PORT/"
W1_URL="http://127.0.0.1:$SILO_PORT/"
export BENCH_TOKENS_FILE="$WORK/tokens.txt" BENCH_IDS_FILE="$WORK/product-ids.txt"

# run_wrk NAME SECONDS OUTPUT
run_wrk() {
  local name=$1 seconds=$2 output=$3
  case "$name" in
    B1) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency "$B1_URL" >"$output" ;;
    W1) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s scripts/bench-w1.lua "$W1_URL" >"$output" ;;
  esac
  if grep -q 'Non-2xx or 3xx responses' "$output"; then
    echo "$name got error responses; wrk output:" >&2
    cat "$output" >&2
    exit 1
  fi
}

echo "warming up for ${WARMUP_S} s per workload"
run_wrk B1 "$WARMUP_S" "$WORK/warmup-B1.txt"
run_wrk W1 "$WARMUP_S" "$WORK/warmup-W1.txt"

mkdir -p "$WORK/runs"
for run in $(seq "$RUNS"); do
  for name in B1 W1; do
    echo "run $run of $RUNS: $name for ${DURATION_S} s"
    run_wrk "$name" "$DURATION_S" "$WORK/runs/$name-$run.txt"
  done
done

echo "uptime after: $(uptime)"
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)

python3 - "$WORK/runs" "$RUNS" <<EOF
import datetime, re, statistics, subprocess, sys
from pathlib import Path

runs_dir, runs = Path(sys.argv[1]), int(sys.argv[2])
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}

def parse(path):
    text = path.read_text()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def percentile(p):
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
        return float(value) * UNITS_MS[unit]
    errors = re.search(r"Socket errors:.*", text)
    return {"rate": rate, "p50": percentile(50), "p99": percentile(99),
            "errors": errors.group(0) if errors else None}

results = {name: [parse(runs_dir / f"{name}-{run}.txt") for run in range(1, runs + 1)]
           for name in ("B1", "W1")}
medians = {name: {key: statistics.median(r[key] for r in rows) for key in ("rate", "p50", "p99")}
           for name, rows in results.items()}
ratio = medians["W1"]["rate"] / medians["B1"]["rate"]

def run_text(*command):
    completed = subprocess.run(command, capture_output=True, text=True)
    return (completed.stdout + completed.stderr).strip()

java_version = run_text("java", "-version").splitlines()[0]
memory_gib = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
commit = run_text("git", "rev-parse", "--short", "HEAD")
dirty = " with uncommitted changes" if run_text("git", "status", "--porcelain", "--untracked-files=no") else ""
load_before, load_after = float("$LOAD_BEFORE"), float("$LOAD_AFTER")

descriptions = {"B1": "bare Vert.x GET /, no database",
                "W1": "GET /api/products/{id}, random tenant of $TENANTS"}
table = ["| workload | run | requests/s | p50 (ms) | p99 (ms) |", "|---|---|---|---|---|"]
for name, rows in results.items():
    for run, r in enumerate(rows, 1):
        table.append(f"| {name} | {run} | {r['rate']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} |")
for name, m in medians.items():
    table.append(f"| {name} | median | {m['rate']:.0f} | {m['p50']:.2f} | {m['p99']:.2f} |")
print("\n".join(table))
print(f"W1/B1 requests/s ratio: {ratio:.2f}")

errors = [f"{name} run {run}: {r['errors']}" for name, rows in results.items()
          for run, r in enumerate(rows, 1) if r["errors"]]
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
lines = [
    "", f"### {now}{' (--quick)' if $QUICK else ''}", "",
    f"Command: \`$COMMAND\`, at commit \`{commit}\`{dirty}. wrk ran with $THREADS threads and "
    f"$CONNECTIONS connections for ${DURATION_S} s per run, {runs} run{'s' if runs > 1 else ''} "
    f"of each workload, alternating, after a ${WARMUP_S} s warm-up of each.", "",
    f"Machine: $(nproc) CPUs, {memory_gib:.1f} GiB memory, {java_version}. wrk, Silo and the "
    "baseline shared these CPUs. The 1-minute load average was "
    f"{load_before:.2f} before the runs and {load_after:.2f} after them, which includes the benchmark itself.",
]
if load_before > 1:
    lines.append("Other work was running on the machine when the benchmark started "
                 "(load average above 1), so the numbers may be low.")
lines += ["", "Workloads: " + "; ".join(f"{k}: {v}" for k, v in descriptions.items()) + ".", ""]
lines += table
lines += ["", f"W1/B1 ratio of median requests/s: **{ratio:.2f}** (target: at least 0.35)."]
if errors:
    lines += ["", "wrk reported socket errors: " + "; ".join(errors) + "."]
with open("docs/benchmarks.md", "a") as f:
    f.write("\n".join(lines) + "\n")
print("appended the results to docs/benchmarks.md")
EOF
