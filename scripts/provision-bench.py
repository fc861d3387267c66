#!/usr/bin/env python3
"""Measure how long Silo takes to provision tenants over HTTP.

Starts the fat jar on a free loopback port with a new temporary data folder and sends
COUNT provisioning requests one after another over one keep-alive connection. Prints
the median and 90th percentile latency and the rate, then stops the server and removes
the folder. The server's output goes to a log file beside that folder. Run it from the repository folder after `mvn -B -q package -DskipTests`:

    scripts/provision-bench.py [--jar target/silo.jar] [--count 200] [--runs 3]

With several runs it also prints the median of the runs' medians and rates.
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

TOKEN = "provision_bench_admin_token"
START_TIMEOUT_S = 60


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, process):
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"silo.jar exited with code {process.returncode} before it was ready")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/ready")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass  # Connection refused until the server listens.
        time.sleep(0.1)
    raise SystemExit(f"silo.jar was not ready on port {port} within {START_TIMEOUT_S} s")


def provision_all(port, count):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    latencies = []
    for i in range(count):
        body = json.dumps({"id": f"bench-{i:05d}", "name": f"Bench {i}", "plan": "standard"})
        start = time.perf_counter()
        connection.request("POST", "/admin/tenants", body, headers)
        response = connection.getresponse()
        response.read()
        latencies.append((time.perf_counter() - start) * 1000)
        if response.status != 201:
            raise SystemExit(f"provisioning bench-{i:05d} returned {response.status}")
    return latencies


def run_once(jar, count):
    data_dir = tempfile.mkdtemp(prefix="silo-bench-")
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SILO_")}
    environment.update({"SILO_HTTP_HOST": "127.0.0.1", "SILO_HTTP_PORT": str(port),
                        "SILO_DATA_DIR": data_dir, "SILO_ADMIN_TOKEN": TOKEN})
    with open(os.path.join(data_dir, "..", os.path.basename(data_dir) + ".log"), "w") as log:
        process = subprocess.Popen(["java", "-jar", jar], env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_ready(port, process)
            wall_start = time.perf_counter()
            latencies = provision_all(port, count)
            wall = time.perf_counter() - wall_start
        finally:
            process.terminate()
            process.wait(30)
            shutil.rmtree(data_dir, ignore_errors=True)
    return statistics.median(latencies), statistics.quantiles(latencies, n=10)[8], count / wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", default="target/silo.jar")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    medians, rates = [], []
    for run in range(1, args.runs + 1):
        median, p90, rate = run_once(args.jar, args.count)
        medians.append(median)
        rates.append(rate)
        print(f"run {run}: {args.count} provisions, median {median:.1f} ms, p90 {p90:.1f} ms, {rate:.1f} per second")
    if args.runs > 1:
        print(f"median of {args.runs} runs: median latency {statistics.median(medians):.1f} ms, "
              f"{statistics.median(rates):.1f} provisions per second")


if __name__ == "__main__":
    main()
