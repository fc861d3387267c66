#!/usr/bin/env python3
"""Measure how Silo behaves with many tenants: workloads W3 to W7.

    scripts/bench-scale.py --jar target/silo.jar --northwind-dir DIR --output FILE.json
                           [--quick] [--tenants N] [--clients N] [--max-minutes M]
                           [--migration-parallelism N] [--log-dir DIR]

Starts Silo servers from the jar on free loopback ports, one after another, all on one
fresh data folder in a temporary folder, and measures:

  W4  provisioning rate: POST /admin/tenants from --clients threads, each with its own
      keep-alive connection. The tenants of the other workloads are provisioned as these
      runs, in batches of 2,000 (at least 3 batches), and each batch is one run.
  W5  migrate-all jobs (POST /admin/migrations, then GET /admin/migrations/{id} until the
      job is no longer running): 3 jobs with no migration pending, then 3 jobs with one
      new migration each. For those, the server restarts with
      tenant_migrations=classpath:db/tenant,filesystem:<temp>/migrations, a folder that
      gains one migration V<next> per run (adding a nullable column to products). Flyway
      needs the migrations that already ran to stay in the folder, so it keeps them.
  W3  W1's request (GET /api/products/{id}, random tenant token and product id, with
      scripts/bench-w1.lua) under wrk -t2 -c64, with a tenth of the tenants (1,000 of
      10,000) holding the Northwind products and receiving traffic. Short warm-up runs
      of 3 s repeat until two in a row are within 10% of each other, at least 5 and at
      most 8 of them, then 3 runs of 10 s.
  W7  latency of the first request to a tenant after a server start, so its pool is
      closed: one GET /api/products/{id} per tenant, one request at a time over one
      keep-alive connection, measured by the client. The pool-open counter of GET /metrics
      must rise by one per sample. A second request to the same tenant gives the latency
      with the pool open for comparison.
  W6  resident memory (VmRSS), threads and open file descriptors of the server process
      from /proc/<pid>, after `jcmd <pid> GC.run`, at 0 open tenant pools, after W7 opened
      the pools of the active tenants, and with as many open pools as fit under the
      process's descriptor limit with 10% headroom (all tenants when they fit).

--quick provisions 500 tenants (50 active) and runs W3 once for 3 s, W5 with one
migration once and W7 once, to check the script. On a 2-core machine it took 31 to 34 s
at load averages of 2 to 10. Its numbers are too small to judge the targets. A full run
took 5.6 minutes at a load average of 3 to 4, most of it in the 3 jobs with one migration
over 10,000 tenants (61 to 103 s each). At a load average of 10 to 19 these jobs took 210
to 450 s, so the second and third run only while the whole run stays within
--max-minutes (default 8), and the notes say when one was left out.

Every server has tenant_idle_timeout_ms at 1 hour, so no pool closes for being idle.
The servers of W3 and W5 have tenant_max_open at twice the active tenants, so W3 never
closes a pool to make room, and the server of W6 and W7 has it at the tenant count.

Writes the results as JSON to --output and prints a summary. SILO_* variables of the
calling shell are ignored. The server logs are removed with the temporary folder unless
--log-dir names a folder to copy them to. Needs Java 17+, wrk (apt-get install wrk) and,
to force a GC before memory readings, jcmd. Exits 2 when a prerequisite is missing, 1 when a request or
a server fails, and stops every server it started and removes its temporary folder in
all cases, including Ctrl-C.
"""

import argparse
import datetime
import hashlib
import http.client
import json
import math
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

SCRIPTS_DIR = Path(__file__).resolve().parent
W1_LUA = SCRIPTS_DIR / "bench-w1.lua"
NORTHWIND_TO_JSON = SCRIPTS_DIR / "northwind-to-json.py"

TENANT_PREFIX = "scale-"
PROVISION_BATCH = 2_000
READY_TIMEOUT_S = 180
STOP_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 60
JOB_TIMEOUT_S = 900
# Pools of the tenants that get traffic must not close while the workloads run.
IDLE_TIMEOUT_MS = 3_600_000
# Share of the descriptor limit that W6 leaves free for HTTP connections, jcmd and the JVM.
FD_HEADROOM = 0.10
WRK_THREADS = 2
WRK_CONNECTIONS = 64
WARMUP_TOLERANCE = 0.10

TARGETS = {
    "w4_rate": 200.0,
    "w5_one_migration_s": 60.0,
    "w5_none_pending_s": 5.0,
    "w6_per_tenant_kib": 256.0,
    # Threads added between the active tenants' point and the largest one. The JVM starts and
    # stops a few threads of its own (compiler threads, jcmd's attach listener), so not 0.
    # The same limit as bench-report.py's THREAD_GROWTH_ALLOWED.
    "w6_thread_growth": 2,
    "w7_p99_ms": 25.0,
}


class BenchError(Exception):
    """A failure that ends the benchmark with exit code 1."""


class MissingPrerequisite(Exception):
    """A missing tool or file, which ends the benchmark with exit code 2."""


# ---------------------------------------------------------------- plan

class Plan:
    """Counts and durations of one run, full or --quick."""

    def __init__(self, args):
        self.quick = args.quick
        self.tenants = args.tenants or (500 if args.quick else 10_000)
        if self.tenants < 20:
            raise MissingPrerequisite("--tenants must be at least 20")
        self.active = max(10, self.tenants // 10)
        self.clients = args.clients
        self.migration_parallelism = args.migration_parallelism
        self.provision_batches = max(3, math.ceil(self.tenants / PROVISION_BATCH))
        self.none_pending_runs = 3
        self.one_migration_runs = 1 if args.quick else 3
        self.w3_runs = 1 if args.quick else 3
        self.w3_seconds = 3 if args.quick else 10
        self.warmup_seconds = 2 if args.quick else 3
        self.warmup_max_runs = 1 if args.quick else 8
        # The JIT can raise the rate slowly enough that two 3 s runs agree within 10% while
        # it still climbs: a full run once settled at 14,900 requests/s and measured 22,800
        # to 25,100. Five runs are 15 s, as long as W1 took to settle in bench.sh.
        self.warmup_min_runs = 1 if args.quick else 5
        self.w7_runs = 1 if args.quick else 3
        # W7 warms the JIT up on a tenth of the active tenants, then splits the rest into runs.
        self.w7_warmup = max(2, self.active // 10)
        self.w7_samples = (self.active - self.w7_warmup) // self.w7_runs
        # tenant_max_open of the servers of W3 and W5: twice the active tenants, at least the
        # default 256, so that W3's traffic never closes a pool to make room for another.
        self.max_open_active = max(256, 2 * self.active)
        self.budget_s = args.max_minutes * 60

    def tenant_id(self, index):
        return f"{TENANT_PREFIX}{index:05d}"

    def to_json(self):
        return {key: value for key, value in vars(self).items()}


# ---------------------------------------------------------------- HTTP

class Client:
    """One keep-alive HTTP connection to a Silo server on 127.0.0.1."""

    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)

    def call(self, method, path, token=None, body=None, headers=None):
        """
        Send one request and return the parsed JSON reply, or the body's bytes when it is not
        JSON. Raise BenchError when the request fails or the status is not 2xx.
        """
        request_headers = {"Content-Type": "application/json"}
        if token:
            request_headers["Authorization"] = f"Bearer {token}"
        request_headers.update(headers or {})
        payload = None if body is None else json.dumps(body)
        try:
            self.connection.request(method, path, payload, request_headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as e:
            self.connection.close()
            raise BenchError(f"{method} {path} on port {self.port} failed: {e!r}") from e
        if not 200 <= response.status < 300:
            raise BenchError(f"{method} {path} returned {response.status}: {data[:300].decode(errors='replace')}")
        if data and response.getheader("Content-Type", "").startswith("application/json"):
            return json.loads(data)
        return data

    def close(self):
        self.connection.close()


def run_parallel(port, items, clients, work):
    """
    Call work(client, item) for every item from `clients` threads, each with its own
    keep-alive connection, and return (elapsed seconds, results in item order). The first
    failure stops the other threads and is raised.
    """
    results = [None] * len(items)
    next_index = [0]
    failures = []
    lock = threading.Lock()

    def worker():
        client = Client(port)
        try:
            while True:
                with lock:
                    if failures or next_index[0] >= len(items):
                        return
                    index = next_index[0]
                    next_index[0] += 1
                results[index] = work(client, items[index])
        except Exception as e:  # Handed to the main thread, which raises it.
            with lock:
                failures.append(e)
        finally:
            client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(clients, len(items)))]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise failures[0]
    return elapsed, results


def read_metrics(port):
    """Return the samples of GET /metrics as {name: value}, summed over labels."""
    client = Client(port)
    try:
        text = client.call("GET", "/metrics").decode()
    finally:
        client.close()
    values = {}
    for line in text.splitlines():
        match = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)", line)
        if match:
            values[match.group(1)] = values.get(match.group(1), 0.0) + float(match.group(3))
    return values


def percentile(values, p):
    """Return the p-th percentile of values, interpolating between the nearest ranks."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


# ---------------------------------------------------------------- servers

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SiloServer:
    """A `java -jar silo.jar` process on a free loopback port, started and stopped by this script."""

    running = []

    def __init__(self, name, jar, data_dir, log_dir, admin_token, settings):
        self.name = name
        self.jar = jar
        self.data_dir = data_dir
        self.log_path = log_dir / f"{name}.log"
        self.admin_token = admin_token
        self.settings = dict(settings)
        self.port = None
        self.process = None

    @property
    def pid(self):
        return self.process.pid

    def start(self):
        """Start the process and return the seconds until GET /ready returned 200."""
        self.port = free_port()
        environment = {k: v for k, v in os.environ.items() if not k.startswith("SILO_")}
        environment.update({
            "SILO_HTTP_HOST": "127.0.0.1",
            "SILO_HTTP_PORT": str(self.port),
            "SILO_DATA_DIR": str(self.data_dir),
            "SILO_ADMIN_TOKEN": self.admin_token,
            "SILO_LOG_ACCESS": "OFF",
        })
        environment.update({f"SILO_{key.upper()}": str(value) for key, value in self.settings.items()})
        start = time.perf_counter()
        with open(self.log_path, "a") as log:
            # A new session keeps a terminal's Ctrl-C away from the server, so this script stops it in order.
            self.process = subprocess.Popen(["java", "-jar", str(self.jar)], env=environment, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        SiloServer.running.append(self)
        self.wait_ready()
        return time.perf_counter() - start

    def wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"server {self.name} exited with code {self.process.returncode} before it was "
                                 f"ready\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/ready")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
                connection.close()
            except OSError:
                pass  # Connection refused until the server listens.
            time.sleep(0.1)
        raise BenchError(f"server {self.name} was not ready on port {self.port} within {READY_TIMEOUT_S} s\n"
                         f"{self.log_tail()}")

    def stop(self):
        """
        Send SIGTERM, wait for the process to exit, and return (seconds, exit code). A process
        still running after STOP_TIMEOUT_S gets SIGKILL.
        """
        if self.process is None or self.process.poll() is not None:
            return 0.0, None if self.process is None else self.process.returncode
        start = time.perf_counter()
        self.process.terminate()
        try:
            code = self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        if self in SiloServer.running:
            SiloServer.running.remove(self)
        return time.perf_counter() - start, code

    def log_tail(self, lines=30):
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        return f"last lines of {self.log_path.name}:\n" + "\n".join(text[-lines:])

    def log_matches(self, pattern):
        """Return the match objects of a regular expression in the server's log, in order."""
        try:
            return list(re.finditer(pattern, self.log_path.read_text(errors="replace"), re.M))
        except OSError:
            return []

    @classmethod
    def stop_all(cls):
        for server in list(cls.running):
            try:
                server.stop()
            except Exception as e:  # Best effort while cleaning up after another failure.
                print(f"stopping server {server.name} failed: {e!r}", file=sys.stderr)


# ---------------------------------------------------------------- process readings

def read_process(pid):
    """
    Return VmRSS with its anonymous and file-backed parts in KiB, the thread count and the
    open descriptor count of a process.
    """
    status = Path(f"/proc/{pid}/status").read_text()

    def field(name):
        match = re.search(rf"^{name}:\s+(\d+)", status, re.M)
        return int(match.group(1)) if match else None

    return {"rss_kib": field("VmRSS"), "rss_anon_kib": field("RssAnon"), "rss_file_kib": field("RssFile"),
            "threads": field("Threads"), "fds": len(os.listdir(f"/proc/{pid}/fd"))}


def process_fd_limit(pid):
    """Return the soft and hard 'Max open files' of a process from /proc/<pid>/limits."""
    text = Path(f"/proc/{pid}/limits").read_text()
    soft, hard = re.search(r"^Max open files\s+(\S+)\s+(\S+)", text, re.M).groups()
    return [None if value == "unlimited" else int(value) for value in (soft, hard)]


def force_gc(pid):
    """
    Run `jcmd <pid> GC.run` and return (heap in use afterwards in KiB, None), or
    (None, the reason) when no GC could be forced.
    """
    if shutil.which("jcmd") is None:
        return None, "jcmd is not installed, so no GC was forced before the readings"
    try:
        gc = subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, text=True, timeout=120)
        info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None, "jcmd timed out, so the GC before a reading may not have run"
    if gc.returncode != 0:
        return None, f"jcmd GC.run failed: {(gc.stdout + gc.stderr).strip()[:200]}"
    used = re.search(r"total \d+K, used (\d+)K", info.stdout)
    # The JVM returns freed pages to the system in the background after a GC, so wait a moment.
    time.sleep(1)
    return (int(used.group(1)) if used else None), None


# ---------------------------------------------------------------- workloads

def provision(port, admin_token, tenant_ids, clients):
    """Provision tenants from parallel clients (W4) and return the run's rate and latencies."""
    def create(client, tenant_id):
        start = time.perf_counter()
        client.call("POST", "/admin/tenants", admin_token,
                    {"id": tenant_id, "name": f"Scale {tenant_id}", "plan": "standard"})
        return (time.perf_counter() - start) * 1000

    elapsed, latencies = run_parallel(port, tenant_ids, clients, create)
    return {"tenants": len(tenant_ids), "seconds": round(elapsed, 3), "rate": round(len(tenant_ids) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 50), 2), "p99_ms": round(percentile(latencies, 99), 2)}


def load_active(port, admin_token, tenant_ids, products, clients):
    """Create a token for each active tenant, import the products with it, and return (seconds, tokens)."""
    def load(client, tenant_id):
        token = client.call("POST", f"/admin/tenants/{tenant_id}/tokens", admin_token, {"name": "bench"})["token"]
        client.call("POST", "/api/import", token, {"products": products})
        return token

    return run_parallel(port, tenant_ids, clients, load)


def run_migration_job(port, admin_token, expected_total):
    """Start a migrate-all job (W5), poll it until it no longer runs, and return (seconds, job)."""
    client = Client(port)
    try:
        start = time.perf_counter()
        job = client.call("POST", "/admin/migrations", admin_token)
        interval = 0.01
        while job["status"] == "running":
            if time.perf_counter() - start > JOB_TIMEOUT_S:
                raise BenchError(f"timed out: migration job {job['id']} was still running after "
                                 f"{JOB_TIMEOUT_S} s: {job}")
            time.sleep(interval)
            interval = min(0.2, interval * 1.5)
            job = client.call("GET", f"/admin/migrations/{job['id']}", admin_token)
        elapsed = time.perf_counter() - start
    finally:
        client.close()
    if job["status"] != "completed" or job["failed"] != 0 or job["migrated"] != job["total"] \
            or job["total"] != expected_total:
        raise BenchError(f"migration job {job['id']} ended {job['status']} with {job['migrated']} of "
                         f"{job['total']} migrated and {job['failed']} failed (expected {expected_total} tenants): "
                         f"{json.dumps(job.get('failures', [])[:3])}")
    return elapsed, job


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(port, seconds, environment):
    """Run wrk with scripts/bench-w1.lua and return {rate, p50_ms, p99_ms, socket_errors}."""
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency",
               "-s", str(W1_LUA), f"http://127.0.0.1:{port}/"]
    completed = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=seconds + 60)
    text = completed.stdout
    if completed.returncode != 0 or "Requests/sec" not in text:
        raise BenchError(f"wrk failed with code {completed.returncode}:\n{text}{completed.stderr}")
    if "Non-2xx or 3xx responses" in text:
        raise BenchError(f"W3 got responses other than 2xx; wrk output:\n{text}")

    def latency(p):
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
        return round(float(value) * UNITS_MS[unit], 3)

    errors = re.search(r"Socket errors:.*", text)
    return {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
            "p50_ms": latency(50), "p99_ms": latency(99), "socket_errors": errors.group(0) if errors else None}


def w3(port, plan, tokens_file, ids_file):
    """Run W3: at least warmup_min_runs short warm-up runs, until two in a row agree within WARMUP_TOLERANCE,
    then the measured runs."""
    environment = dict(os.environ, BENCH_TOKENS_FILE=str(tokens_file), BENCH_IDS_FILE=str(ids_file))
    warmup = []
    while len(warmup) < plan.warmup_max_runs:
        warmup.append(run_wrk(port, plan.warmup_seconds, environment)["rate"])
        print(f"  W3 warm-up run {len(warmup)}: {warmup[-1]:.0f} requests/s")
        settled = len(warmup) >= 2 and abs(warmup[-1] - warmup[-2]) <= WARMUP_TOLERANCE * max(warmup[-1], warmup[-2])
        if settled and len(warmup) >= plan.warmup_min_runs:
            break
    runs = []
    for run in range(plan.w3_runs):
        runs.append(run_wrk(port, plan.w3_seconds, environment))
        print(f"  W3 run {run + 1}: {runs[-1]['rate']:.0f} requests/s, p50 {runs[-1]['p50_ms']} ms, "
              f"p99 {runs[-1]['p99_ms']} ms")
    return {"runs": runs, "tenants": plan.tenants, "active": plan.active, "warmup_rates": warmup,
            "seconds_per_run": plan.w3_seconds, "threads": WRK_THREADS, "connections": WRK_CONNECTIONS,
            "median_rate": statistics.median(r["rate"] for r in runs)}


def first_requests(port, tenants, product_ids):
    """
    Send two GET /api/products/{id} to each tenant in turn, one request at a time over one
    keep-alive connection, and return the latencies in ms of the first and of the second
    requests (W7).
    """
    client = Client(port)
    first, second = [], []
    try:
        for index, (tenant_id, token) in enumerate(tenants):
            path = f"/api/products/{product_ids[index % len(product_ids)]}"
            start = time.perf_counter()
            client.call("GET", path, token)
            middle = time.perf_counter()
            client.call("GET", path, token)
            first.append((middle - start) * 1000)
            second.append((time.perf_counter() - middle) * 1000)
    finally:
        client.close()
    return first, second


def w7_run(port, tenants, product_ids):
    """Measure one W7 run and check with GET /metrics that each sample opened a pool."""
    opens_before = read_metrics(port).get("silo_tenant_pool_opens_total", 0)
    first, second = first_requests(port, tenants, product_ids)
    opened = read_metrics(port).get("silo_tenant_pool_opens_total", 0) - opens_before
    if opened != len(tenants):
        raise BenchError(f"W7 expected {len(tenants)} pool opens but silo_tenant_pool_opens_total rose by "
                         f"{opened:.0f}, so not every sample found its pool closed")
    return {"p50_ms": round(percentile(first, 50), 3), "p99_ms": round(percentile(first, 99), 3),
            "samples": len(first), "pool_opens": int(opened),
            "open_pool_p50_ms": round(percentile(second, 50), 3),
            "open_pool_p99_ms": round(percentile(second, 99), 3)}, first


def w6_point(server, notes):
    """Force a GC and read memory, threads and descriptors of the server with its open pool count."""
    heap_kib, problem = force_gc(server.pid)
    if problem and problem not in notes:
        notes.append(problem)
    reading = read_process(server.pid)
    open_pools = int(read_metrics(server.port).get("silo_tenant_pools_open", -1))
    return {"open_tenants": open_pools, **reading, "heap_used_kib": heap_kib}


def open_tenants(port, admin_token, tenant_ids, clients):
    """Open the pools of tenants with one GET /api/products?limit=1 each, as the admin with X-Tenant-ID."""
    def touch(client, tenant_id):
        client.call("GET", "/api/products?limit=1", admin_token, headers={"X-Tenant-ID": tenant_id})

    return run_parallel(port, tenant_ids, clients, touch)[0]


def per_tenant_breakdown(first, last):
    """Return the growth per open tenant between two W6 points of the Java heap in use and of anonymous and file-backed RSS."""
    tenants = max(1, last["open_tenants"] - first["open_tenants"])
    breakdown = {}
    for name, key in (("heap_used", "heap_used_kib"), ("rss_anon", "rss_anon_kib"), ("rss_file", "rss_file_kib")):
        if first.get(key) is not None and last.get(key) is not None:
            breakdown[name] = round((last[key] - first[key]) / tenants, 1)
    return breakdown


def largest_open_count(fd_limit, point, per_tenant_fds, tenants):
    """Return the open tenant count whose descriptors fit under the limit with FD_HEADROOM free."""
    spare = fd_limit * (1 - FD_HEADROOM) - point["fds"]
    fitting = point["open_tenants"] + int(spare / per_tenant_fds)
    rounded = fitting - fitting % 100 if fitting > 1000 else fitting
    return max(point["open_tenants"], min(tenants, rounded))


# ---------------------------------------------------------------- set-up

def check_prerequisites(args):
    if shutil.which("wrk") is None:
        raise MissingPrerequisite("wrk is not installed; install it with: apt-get install wrk")
    if shutil.which("java") is None:
        raise MissingPrerequisite("java is not installed; Silo needs Java 17 or later")
    if not args.jar.is_file():
        raise MissingPrerequisite(f"the jar {args.jar} does not exist; build it with: mvn -B -q package -DskipTests")
    if not (args.northwind_dir / "products.csv").is_file():
        raise MissingPrerequisite(f"no products.csv in {args.northwind_dir}; pass the Northwind folder "
                                  "with --northwind-dir")
    if args.clients < 1:
        raise MissingPrerequisite("--clients must be at least 1")
    if not os.access(args.output.resolve().parent, os.W_OK):
        raise MissingPrerequisite(f"cannot write {args.output}: its folder is missing or not writable")


def highest_migration_version(jar):
    """Return the highest major version of the tenant migrations in the jar, db/tenant/V<version>__*.sql."""
    with zipfile.ZipFile(jar) as archive:
        versions = [re.match(r"db/tenant/V([0-9]+)(?:[._][0-9._]*)?__", name) for name in archive.namelist()]
    majors = [int(match.group(1)) for match in versions if match]
    if not majors:
        raise BenchError(f"found no db/tenant/V*__*.sql migration in {jar}")
    return max(majors)


def describe_build(jar):
    """
    Return the version and checksum of the jar. When the jar lies in target/ of a git
    checkout, also return the last commit that changed src/ or pom.xml, whether the jar is
    older than that commit, and whether those files have uncommitted changes.
    """
    build = {"jar": str(jar), "jar_sha256": hashlib.sha256(jar.read_bytes()).hexdigest()[:16]}
    with zipfile.ZipFile(jar) as archive:
        try:
            properties = archive.read("META-INF/maven/dev.silo/silo/pom.properties").decode()
            build["version"] = re.search(r"^version=(.*)$", properties, re.M).group(1).strip()
        except (KeyError, AttributeError):
            build["version"] = None
    jar_time = jar.stat().st_mtime
    build["jar_built_at"] = datetime.datetime.fromtimestamp(jar_time, datetime.timezone.utc).isoformat(timespec="seconds")
    repository = jar.resolve().parent.parent

    def git(*arguments):
        completed = subprocess.run(["git", "-C", str(repository), *arguments], capture_output=True, text=True)
        return completed.stdout.strip() if completed.returncode == 0 else None

    source = git("log", "-1", "--format=%h %ct", "--", "src", "pom.xml")
    if source:
        commit, commit_time = source.split()
        build["commit"] = commit
        build["jar_older_than_commit"] = jar_time < int(commit_time)
        build["uncommitted_source_changes"] = bool(git("status", "--porcelain", "--", "src", "pom.xml"))
    build["head"] = git("rev-parse", "--short", "HEAD")
    return build


def describe_machine():
    java = subprocess.run(["java", "-version"], capture_output=True, text=True)
    memory_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {"cpus": os.cpu_count(), "memory_gib": round(memory_kib / 1024 / 1024, 1),
            "java": (java.stdout + java.stderr).splitlines()[0], "kernel": platform.release(),
            "fd_limit_of_this_script": list(resource.getrlimit(resource.RLIMIT_NOFILE)),
            "load_average_before": os.getloadavg()[0]}


# ---------------------------------------------------------------- the run

class Bench:
    """One benchmark run: its servers, its data folder and its results."""

    def __init__(self, args, plan, work_dir):
        self.args = args
        self.plan = plan
        self.work = work_dir
        self.data_dir = work_dir / "data"
        self.log_dir = work_dir / "logs"
        self.migrations_dir = work_dir / "migrations"
        self.log_dir.mkdir()
        self.migrations_dir.mkdir()
        self.admin_token = "scale_admin_" + secrets.token_hex(16)
        self.phases = []
        self.notes = []
        self.result = {}
        self.server_count = 0
        self.started = time.perf_counter()

    def phase(self, name, seconds, **details):
        self.phases.append({"name": name, "seconds": round(seconds, 3), **details})
        print(f"{name}: {seconds:.1f} s" + (f" {details}" if details else ""))

    def start_server(self, label, settings):
        self.server_count += 1
        server = SiloServer(f"server-{self.server_count}-{label}", self.args.jar, self.data_dir, self.log_dir,
                            self.admin_token, settings)
        seconds = server.start()
        logged = server.log_matches(r"Silo \S* ?started on .* in (\d+) ms")
        self.phase(f"start {server.name}", seconds, settings=settings,
                   server_start_ms=int(logged[-1].group(1)) if logged else None)
        return server

    def stop_server(self, server):
        seconds, code = server.stop()
        self.phase(f"stop {server.name}", seconds, exit_code=code)
        if code not in (0, None):
            self.notes.append(f"{server.name} exited with code {code} after SIGTERM ({seconds:.1f} s); "
                              f"see its log")

    def base_settings(self):
        return {"tenant_max_open": self.plan.max_open_active, "tenant_idle_timeout_ms": IDLE_TIMEOUT_MS,
                "migration_parallelism": self.plan.migration_parallelism}

    def run(self):
        plan = self.plan
        converted = self.work / "northwind.json"
        subprocess.run([sys.executable, str(NORTHWIND_TO_JSON), "--northwind-dir", str(self.args.northwind_dir),
                        "--output", str(converted)], check=True)
        products = json.loads(converted.read_text())["products"]

        server = self.start_server("provision", self.base_settings())
        tokens = self.provision_and_load(server, products)
        self.measure_none_pending(server)
        self.measure_w3(server, tokens, products)
        self.stop_server(server)

        self.measure_w7_and_w6(tokens, products)
        self.measure_one_migration()

    def provision_and_load(self, server, products):
        plan = self.plan
        ids = [plan.tenant_id(i) for i in range(plan.tenants)]
        size = math.ceil(len(ids) / plan.provision_batches)
        batches = []
        for start in range(0, len(ids), size):
            batch = provision(server.port, self.admin_token, ids[start:start + size], plan.clients)
            batches.append(batch)
            print(f"  W4 batch {len(batches)}: {batch['tenants']} tenants at {batch['rate']:.0f}/s, "
                  f"p50 {batch['p50_ms']} ms, p99 {batch['p99_ms']} ms")
        self.phase("provision (W4)", sum(b["seconds"] for b in batches), tenants=len(ids))
        # The admin verticle provisions one tenant at a time, so its time per tenant bounds the rate.
        provision_ms = [int(m.group(1)) for m in server.log_matches(r"Provisioned tenant \S+ at .* in (\d+) ms")]
        self.result["w4"] = {"runs": [b["rate"] for b in batches], "clients": plan.clients, "batches": batches,
                             "median_rate": statistics.median(b["rate"] for b in batches),
                             "server_ms_p50": percentile(provision_ms, 50) if provision_ms else None,
                             "server_ms_p99": percentile(provision_ms, 99) if provision_ms else None}

        seconds, tokens = load_active(server.port, self.admin_token, ids[:plan.active], products, plan.clients)
        self.phase("create tokens and import products", seconds, tenants=plan.active, products=len(products))
        return list(zip(ids[:plan.active], tokens))

    def measure_none_pending(self, server):
        runs = []
        for _ in range(self.plan.none_pending_runs):
            seconds, job = run_migration_job(server.port, self.admin_token, self.plan.tenants)
            runs.append(round(seconds, 3))
        self.phase("W5 none pending", sum(runs), runs=runs)
        self.result["w5"] = {"none_pending_s": runs, "one_migration_s": [], "tenants": self.plan.tenants,
                             "migration_parallelism": self.plan.migration_parallelism, "jobs": []}

    def measure_w3(self, server, tokens, products):
        tokens_file, ids_file = self.work / "tokens.txt", self.work / "product-ids.txt"
        tokens_file.write_text("\n".join(token for _, token in tokens) + "\n")
        ids_file.write_text("\n".join(str(p["id"]) for p in products) + "\n")
        start = time.perf_counter()
        self.result["w3"] = w3(server.port, self.plan, tokens_file, ids_file)
        self.result["w3"]["tenant_max_open"] = self.plan.max_open_active
        self.phase("W3", time.perf_counter() - start)
        opened = read_metrics(server.port)
        self.result["w3"]["pool_opens_total"] = int(opened.get("silo_tenant_pool_opens_total", 0))
        self.result["w3"]["pool_evictions_total"] = int(opened.get("silo_tenant_pool_evictions_total", 0))

    def measure_w7_and_w6(self, tokens, products):
        """
        Start a server, so that every pool is closed, and measure W6 with 0 open pools, then
        W7 on the active tenants, then W6 with the active tenants open and with the most
        open tenants that fit.
        """
        plan = self.plan
        settings = dict(self.base_settings(), tenant_max_open=plan.tenants)
        server = self.start_server("w7-w6", settings)
        w6_notes = []
        points = [w6_point(server, w6_notes)]
        if points[0]["open_tenants"] != 0:
            raise BenchError(f"{points[0]['open_tenants']} tenant pools were open right after the start")

        start = time.perf_counter()
        product_ids = [p["id"] for p in products]
        first_requests(server.port, tokens[:plan.w7_warmup], product_ids)
        runs, samples = [], []
        for run in range(plan.w7_runs):
            begin = plan.w7_warmup + run * plan.w7_samples
            summary, first = w7_run(server.port, tokens[begin:begin + plan.w7_samples], product_ids)
            runs.append(summary)
            samples += first
            print(f"  W7 run {run + 1}: p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms over "
                  f"{summary['samples']} first requests (open pool: p50 {summary['open_pool_p50_ms']} ms)")
        self.phase("W7", time.perf_counter() - start)
        self.result["w7"] = {"p50_ms": round(percentile(samples, 50), 3), "p99_ms": round(percentile(samples, 99), 3),
                             "samples": len(samples), "runs": runs, "warmup_tenants": plan.w7_warmup,
                             "method": "fresh server start on the existing data folder, so no pool was open; "
                                       "each sampled tenant was never requested since the start, checked with "
                                       "silo_tenant_pool_opens_total"}

        # Open the pools of the active tenants that W7 left closed, so the point has exactly that many.
        rest = [tenant_id for tenant_id, _ in tokens[plan.w7_warmup + plan.w7_runs * plan.w7_samples:]]
        if rest:
            open_tenants(server.port, self.admin_token, rest, plan.clients)
        points.append(w6_point(server, w6_notes))
        self.measure_w6_limit(server, points, w6_notes)
        self.stop_server(server)

    def measure_w6_limit(self, server, points, w6_notes):
        plan = self.plan
        middle = points[-1]
        soft, hard = process_fd_limit(server.pid)
        per_tenant_fds = (middle["fds"] - points[0]["fds"]) / max(1, middle["open_tenants"])
        target = plan.tenants if soft is None else largest_open_count(soft, middle, max(per_tenant_fds, 1.0),
                                                                     plan.tenants)
        start = time.perf_counter()
        if target > middle["open_tenants"]:
            ids = [plan.tenant_id(i) for i in range(middle["open_tenants"], target)]
            open_tenants(server.port, self.admin_token, ids, plan.clients)
            points.append(w6_point(server, w6_notes))
        self.phase("W6 open idle tenants", time.perf_counter() - start, open=points[-1]["open_tenants"])

        last = points[-1]
        per_tenant_kib = (last["rss_kib"] - points[0]["rss_kib"]) / max(1, last["open_tenants"])
        w6_notes.append(
            f"Points: right after a start (0 open pools), after W7 and a request to each remaining active tenant "
            f"({middle['open_tenants']} open), and {last['open_tenants']} open, each after jcmd GC.run. "
            f"Each open pool held one connection (one request at a time), {per_tenant_fds:.2f} descriptors per "
            f"tenant. The server's descriptor limit was soft {soft}, hard {hard}; this script's was "
            f"{list(resource.getrlimit(resource.RLIMIT_NOFILE))}.")
        if last["open_tenants"] < plan.tenants:
            w6_notes.append(
                f"{plan.tenants} open tenants would need about {points[0]['fds'] + per_tenant_fds * plan.tenants:.0f} "
                f"descriptors, over the limit of {soft} less {FD_HEADROOM:.0%} headroom, so the last point has "
                f"{last['open_tenants']} open tenants, the largest multiple of 100 that fits.")
        self.result["w6"] = {"points": points, "per_tenant_kib": round(per_tenant_kib, 1),
                             "per_tenant_kib_at_middle": round((middle["rss_kib"] - points[0]["rss_kib"])
                                                               / max(1, middle["open_tenants"]), 1),
                             # Excludes what the first requests cost once: worker threads, JIT code, classes.
                             "per_tenant_kib_marginal": round((last["rss_kib"] - middle["rss_kib"])
                                                              / max(1, last["open_tenants"] - middle["open_tenants"]), 1),
                             "per_tenant_breakdown_kib": per_tenant_breakdown(points[0], last),
                             "fds_per_tenant": round(per_tenant_fds, 2), "fd_limit": [soft, hard],
                             "notes": " ".join(w6_notes)}

    def measure_one_migration(self):
        plan = self.plan
        base = highest_migration_version(self.args.jar)
        locations = f"classpath:db/tenant,filesystem:{self.migrations_dir}"
        w5 = self.result["w5"]
        for run in range(plan.one_migration_runs):
            elapsed = time.perf_counter() - self.started
            if run > 0 and elapsed + w5["one_migration_s"][-1] + 20 > plan.budget_s:
                self.notes.append(
                    f"W5 with one migration ran {run} of {plan.one_migration_runs} times: after {elapsed:.0f} s, "
                    f"another job of about {w5['one_migration_s'][-1]:.0f} s would pass the time budget of "
                    f"{plan.budget_s:.0f} s (--max-minutes).")
                break
            version = base + 1 + run
            (self.migrations_dir / f"V{version}__scale_bench_note_{run + 1}.sql").write_text(
                f"-- Written by scripts/bench-scale.py: a nullable column, so every tenant has one migration.\n"
                f"ALTER TABLE products ADD COLUMN scale_bench_note_{run + 1} TEXT;\n")
            server = self.start_server(f"migrate-v{version}", dict(self.base_settings(), tenant_migrations=locations))
            seconds, job = run_migration_job(server.port, self.admin_token, plan.tenants)
            self.check_migrated(server, job, version)
            w5["one_migration_s"].append(round(seconds, 3))
            w5["jobs"].append({"version": version, "seconds": round(seconds, 3), "job_id": job["id"],
                               "migrated": job["migrated"], "total": job["total"], "failed": job["failed"],
                               **migration_log_figures(server)})
            self.phase(f"W5 one migration to V{version}", seconds)
            self.stop_server(server)
        w5["method"] = (
            "none pending: 3 jobs right after provisioning, every tenant at the target. One migration: for each run "
            "the server restarts with one more migration V<n> in a filesystem: location (ALTER TABLE products ADD "
            "COLUMN), which also builds a new template at start, and one job migrates every tenant; nothing else "
            "requests tenants meanwhile, so migrate-on-open does not run.")

    def check_migrated(self, server, job, version):
        """Check the job's target and that the last tenant of the job reports the new schema version."""
        if job["target_version"] != str(version):
            raise BenchError(f"the migration job's target is {job['target_version']}, expected {version}")
        client = Client(server.port)
        try:
            tenant = client.call("GET", f"/admin/tenants/{self.plan.tenant_id(self.plan.tenants - 1)}",
                                 self.admin_token)
        finally:
            client.close()
        if tenant["schema_version"] != str(version):
            raise BenchError(f"tenant {tenant['id']} is at schema version {tenant['schema_version']} "
                             f"after the job, expected {version}")


def migration_log_figures(server):
    """
    Read a migrate-all job's figures from the server log: the job's own duration and
    Flyway's time per tenant, whose difference is the job's bookkeeping. Also the rates in
    the first and the last tenth of the tenants. The first tenth includes the JIT's warm-up
    after the server start, and a cost per tenant that grew with the job's progress would
    slow the last tenth.
    """
    finished = server.log_matches(r"Finished migration job \S+ as \w+: .* in (\d+) ms")
    migrated = server.log_matches(r"^(\S+) .*Migrated tenant \S+ from .* in (\d+) ms")
    figures = {"server_ms": int(finished[-1].group(1)) if finished else None}
    if len(migrated) < 20:
        return figures
    times = [datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).timestamp() for m in migrated]
    tenant_ms = [int(m.group(2)) for m in migrated]
    tenth = len(times) // 10

    def rate(first, last):
        return round((last - first) / max(times[last] - times[first], 0.001), 1)

    figures.update({"flyway_ms_sum": sum(tenant_ms), "flyway_ms_p50": percentile(tenant_ms, 50),
                    "tenants_per_s_first_tenth": rate(0, tenth),
                    "tenants_per_s_last_tenth": rate(len(times) - 1 - tenth, len(times) - 1)})
    return figures


# ---------------------------------------------------------------- report

def evaluate(result):
    """
    Return each target with the measured value and whether it was met. The W5 targets are
    for 10,000 tenants, so a run with fewer tenants is not checked against them.
    """
    checks = {}

    def check(name, value, target, at_most):
        if value is not None:
            checks[name] = {"value": round(value, 2), "target": target,
                            "met": value <= target if at_most else value >= target}

    check("w4_rate", statistics.median(result["w4"]["runs"]), TARGETS["w4_rate"], False)
    w5 = result["w5"]
    if w5["tenants"] < 10_000:
        w5 = {"none_pending_s": [], "one_migration_s": []}
    if w5["none_pending_s"]:
        check("w5_none_pending_s", statistics.median(w5["none_pending_s"]), TARGETS["w5_none_pending_s"], True)
    if w5["one_migration_s"]:
        check("w5_one_migration_s", statistics.median(w5["one_migration_s"]), TARGETS["w5_one_migration_s"], True)
    check("w6_per_tenant_kib", result["w6"]["per_tenant_kib"], TARGETS["w6_per_tenant_kib"], True)
    points = result["w6"]["points"]
    check("w6_thread_growth", points[-1]["threads"] - points[1]["threads"], TARGETS["w6_thread_growth"], True)
    check("w7_p99_ms", result["w7"]["p99_ms"], TARGETS["w7_p99_ms"], True)
    return checks


def joined(values, pattern):
    return ", ".join(pattern.format(value) for value in values)


def print_summary(report):
    w3, w4, w5, w6, w7 = (report[k] for k in ("w3", "w4", "w5", "w6", "w7"))
    plan = report["plan"]
    print()
    print(f"Silo {report['silo'].get('version')} at {report['silo'].get('commit')} (the last commit that changed "
          f"src/ or pom.xml), {plan['tenants']} tenants, "
          f"{plan['active']} active{' (--quick)' if plan['quick'] else ''}, {report['wall_seconds']:.0f} s")
    print(f"W3  requests/s per run: {joined((r['rate'] for r in w3['runs']), '{:.0f}')}; "
          f"p50 {joined((r['p50_ms'] for r in w3['runs']), '{:.2f}')} ms; "
          f"p99 {joined((r['p99_ms'] for r in w3['runs']), '{:.2f}')} ms")
    print(f"W4  provisions/s per batch ({w4['clients']} clients): {joined(w4['runs'], '{:.0f}')}")
    print(f"W5  none pending: {joined(w5['none_pending_s'], '{:.2f}')} s; one migration: "
          f"{joined(w5['one_migration_s'], '{:.1f}')} s (migration_parallelism {w5['migration_parallelism']})")
    print("W6  " + "; ".join(f"{p['open_tenants']} open: {p['rss_kib'] / 1024:.0f} MiB RSS, {p['threads']} threads, "
                             f"{p['fds']} fds" for p in w6["points"]))
    print(f"    {w6['per_tenant_kib']} KiB per open tenant from 0 ({w6['per_tenant_kib_marginal']} KiB from the "
          f"middle point on)")
    print(f"W7  first request p50 {w7['p50_ms']} ms, p99 {w7['p99_ms']} ms over {w7['samples']} tenants "
          f"(p99 per run: {joined((r['p99_ms'] for r in w7['runs']), '{:.2f}')} ms)")
    if plan["quick"]:
        print("  (a --quick run is too small to judge these targets)")
    for name, check in report["targets"].items():
        relation = ">=" if name == "w4_rate" else "<="
        print(f"  {name}: {check['value']} (target {relation} {check['target']}): {'met' if check['met'] else 'NOT met'}")


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jar", type=Path, default=Path("target/silo.jar"), help="Silo fat jar (default target/silo.jar)")
    parser.add_argument("--northwind-dir", type=Path, default=Path("../shared/data/northwind"),
                        help="folder of the Northwind CSV files (default ../shared/data/northwind)")
    parser.add_argument("--output", type=Path, required=True, help="JSON file to write the results to")
    parser.add_argument("--quick", action="store_true", help="500 tenants and one short run of each workload")
    parser.add_argument("--tenants", type=int, help="tenants to provision (default 10000, --quick 500); a tenth get traffic")
    parser.add_argument("--clients", type=int, default=8, help="parallel HTTP clients for provisioning and set-up (default 8)")
    parser.add_argument("--log-dir", type=Path,
                        help="folder to copy the server logs into at the end (default: they are removed)")
    parser.add_argument("--max-minutes", type=float, default=8,
                        help="time budget in minutes: W5 with one migration is not repeated when a repeat "
                             "would pass it (default 8)")
    parser.add_argument("--migration-parallelism", type=int, default=1,
                        help="the server's migration_parallelism during migrate-all jobs (default 1, the server default)")
    return parser.parse_args()


def raise_on_signal(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main():
    args = parse_arguments()
    try:
        check_prerequisites(args)
        plan = Plan(args)
    except MissingPrerequisite as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    # Also for SIGINT: a shell starts background jobs with SIGINT ignored, and the servers must still stop.
    signal.signal(signal.SIGINT, raise_on_signal)
    signal.signal(signal.SIGTERM, raise_on_signal)
    started = time.perf_counter()
    work_dir = Path(tempfile.mkdtemp(prefix="silo-scale-"))
    bench = None
    try:
        bench = Bench(args, plan, work_dir)
        report = {"silo": describe_build(args.jar), "machine": describe_machine(), "plan": plan.to_json(),
                  "started_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
        if report["silo"].get("jar_older_than_commit") or report["silo"].get("uncommitted_source_changes"):
            bench.notes.append(f"The jar may not match commit {report['silo'].get('commit')}: it is older than that "
                               "commit, or src/ or pom.xml has uncommitted changes.")
        if plan.quick:
            bench.notes.append(f"--quick: {plan.tenants} tenants, {plan.active} active, one short run of W3, "
                               "W5 with one migration and W7; not for comparison with full runs")
        bench.run()
        report.update(bench.result)
        report["machine"]["load_average_after"] = os.getloadavg()[0]
        report["phases"] = bench.phases
        report["wall_seconds"] = round(time.perf_counter() - started, 1)
        report["targets"] = evaluate(report)
        report["targets_apply"] = not plan.quick
        report["notes"] = bench.notes + [
            f"W3 and W5 ran with tenant_max_open {plan.max_open_active} so the {plan.active} active tenants' "
            f"pools stay open, W6 and W7 with {plan.tenants}; every server had tenant_idle_timeout_ms "
            f"{IDLE_TIMEOUT_MS} and migration_parallelism {plan.migration_parallelism}.",
            f"The machine has {os.cpu_count()} CPUs shared by wrk, this script and the server; the 1-minute "
            f"load average was {report['machine']['load_average_before']:.2f} before and "
            f"{report['machine']['load_average_after']:.2f} after."]
        args.output.write_text(json.dumps(report, indent=2) + "\n")
        print_summary(report)
        print(f"wrote {args.output}")
        return 0
    except BenchError as e:
        print(f"error: {e}", file=sys.stderr)
        for server in SiloServer.running:
            print(server.log_tail(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; stopping the servers", file=sys.stderr)
        return 130
    finally:
        SiloServer.stop_all()
        if args.log_dir and (work_dir / "logs").is_dir():
            shutil.copytree(work_dir / "logs", args.log_dir, dirs_exist_ok=True)
        shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
