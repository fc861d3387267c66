#!/usr/bin/env python3
"""Write the report of scripts/bench.sh: per-run numbers, medians, ratios and targets.

Reads from the runs folder that bench.sh fills:
  meta.json                  settings and load averages of the invocation
  <M>-c<C>-<run>.txt         wrk --latency output of measure M at C connections
  settle/<M>.summary         warm-up rates of M, then "settled" or "not settled"
  drain.txt                  "<M>-c<C>-<run> <ms>": how long Silo took to finish the
                             requests still in flight when a run ended
  silo-metrics.txt           Silo's GET /metrics after the HTTP workloads
  scale.json                 W3 to W7 from scripts/bench-scale.py, when it ran
and the ERROR and WARN lines of the server logs in --logs. Writes one Markdown section
to --output, prints it, and appends it to the file given with --append. A value that
is missing or not a number shows as "not measured".
"""

import argparse
import datetime
import json
import re
import statistics
import subprocess
from pathlib import Path

NOT_MEASURED = "not measured"
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}

# Measures of bench.sh in report order: name, connection level, what a request does.
HTTP_MEASURES = [
    ("B1", "low", "bare Vert.x HTTP, GET / returns a small JSON object, no database"),
    ("B2", "low", "hand-written GET /api/products/{id}: executeBlocking, one sqlite-jdbc connection per thread and tenant"),
    ("B3", "low", "hand-written POST /api/orders: the same, one BEGIN IMMEDIATE transaction"),
    ("W1", "low", "Silo GET /api/products/{id}"),
    ("W1", "high", "Silo GET /api/products/{id}"),
    ("W2", "low", "Silo POST /api/orders, 1 to 3 lines"),
    ("W2", "high", "Silo POST /api/orders, 1 to 3 lines"),
]

# W6 allows this many more threads at its largest number of open tenants than at its
# smallest non-zero one, because JDK 17 starts and stops JIT compiler threads on its own.
THREAD_GROWTH_ALLOWED = 2


def dig(data, *keys):
    """Returns data[k1][k2]..., or None when a level is missing or not a dict."""
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def as_list(value):
    return value if isinstance(value, list) else []


def as_number(value):
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return value if is_number else None


def median(values):
    numbers = [v for v in map(as_number, values) if v is not None]
    return statistics.median(numbers) if numbers else None


def number(value, digits=2, unit=""):
    value = as_number(value)
    return NOT_MEASURED if value is None else f"{value:.{digits}f}{unit}"


def connections_of(meta, level):
    return meta.get("connections" if level == "low" else "connections_high")


def parse_wrk(path):
    """Returns rate, p50 and p99 (ms) and problems of one wrk --latency output, or None."""
    if not path.is_file():
        return None
    text = path.read_text()
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if not rate:
        return None

    def percentile(p):
        match = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        return float(match.group(1)) * UNITS_MS[match.group(2)] if match else None

    errors = re.search(r"Socket errors:.*", text)
    problems = [errors.group(0).strip()] if errors else []
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if non_2xx:
        problems.append(f"**{non_2xx.group(1)} non-2xx responses**")
    if re.search(r"^\s+0 requests in", text, re.M):
        problems.append("no response within the run")
    return {"rate": float(rate.group(1)), "p50": percentile(50), "p99": percentile(99),
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0, "problems": "; ".join(problems) or None}


def load_http(runs_dir, meta):
    """Returns {(measure, connections): {"runs": [...], "rate", "p50", "p99"}} with medians."""
    results = {}
    for name, level, _ in HTTP_MEASURES:
        connections = connections_of(meta, level)
        runs = [parse_wrk(runs_dir / f"{name}-c{connections}-{run}.txt") for run in range(1, meta.get("runs", 0) + 1)]
        runs = [r for r in runs if r]
        results[(name, connections)] = {"runs": runs, **{key: median(r[key] for r in runs) for key in ("rate", "p50", "p99")}}
    return results


def load_settle(runs_dir):
    settle = {}
    for path in sorted((runs_dir / "settle").glob("*.summary")):
        lines = path.read_text().split("\n")
        rates = [f"{float(line):.0f}" for line in lines if re.fullmatch(r"[\d.]+", line)]
        settle[path.stem] = (rates, "settled" in lines)
    return settle


def load_drain(runs_dir):
    """Returns the runs after which Silo needed over a second to finish, as text, or None."""
    path = runs_dir / "drain.txt"
    if not path.is_file():
        return None
    slow = []
    for line in path.read_text().splitlines():
        label, _, value = line.partition(" ")
        # Warm-up outputs are named <M>-<run>, measured ones <M>-c<C>-<run>.
        warm_up = re.fullmatch(r"([A-Z][0-9])-([0-9]+)", label)
        if warm_up:
            label = f"{warm_up.group(1)} warm-up run {warm_up.group(2)}"
        if value == "timeout":
            slow.append(f"{label}: over 30 s")
        elif value.isdigit() and int(value) > 1000:
            slow.append(f"{label}: {int(value) / 1000:.1f} s")
    return ", ".join(slow) or None


def error_responses(runs_dir):
    """
    Returns the lines that list non-2xx responses: wrk's count of each run with any,
    warm-up runs included, and Silo's counts by status code and route.
    """
    lines = []
    for path in sorted(runs_dir.glob("*.txt")) + sorted((runs_dir / "settle").glob("*.txt")):
        run = parse_wrk(path)
        if run and run["non_2xx"]:
            kind = "warm-up run" if path.parent.name == "settle" else "run"
            lines.append(f"- {kind} {path.stem}: {run['non_2xx']} non-2xx responses")
    metrics = runs_dir / "silo-metrics.txt"
    if lines and metrics.is_file():
        pattern = re.compile(r'^vertx_http_server_requests_total\{code="([0-9]+)",method="([A-Z]+)",route="([^"]*)"\}'
                             r"\s+([0-9.]+)", re.M)
        for code, method, route, count in pattern.findall(metrics.read_text()):
            if not code.startswith("2"):
                lines.append(f"- Silo replied {code} to {float(count):.0f} {method} {route} requests in this invocation")
    return lines


def log_problems(logs_dir):
    """Returns one line per server log with ERROR or WARN lines: their count and the first."""
    lines = []
    for path in sorted(logs_dir.glob("*.log")) if logs_dir else []:
        if path.name == "scale.log":
            continue
        found = [line for line in path.read_text(errors="replace").splitlines()
                 if re.search(r"\b(ERROR|WARN)\b| failed: ", line)]
        if found:
            lines.append(f"- {path.name}: {len(found)} ERROR or WARN lines, the first: `{found[0].strip()[:200]}`")
    return lines


def run_text(*command):
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except OSError as e:
        return f"unknown ({e})"
    return (completed.stdout + completed.stderr).strip()


def machine_line():
    model = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.M)
    memory_gib = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    java = " ".join(run_text("java", "-version").splitlines()[:2])
    return (f"Machine: {run_text('nproc')} CPUs ({model.group(1) if model else 'model unknown'}), "
            f"{memory_gib:.1f} GiB memory, {run_text('uname', '-sr')}, {java}.")


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def w6_values(scale):
    """
    Returns W6's KiB of resident memory per open tenant and its thread growth, each or None.
    The memory is bench-scale.py's per_tenant_kib, or else the growth from the first point
    to the last divided by the tenants opened in between.
    """
    points = [p for p in as_list(dig(scale, "w6", "points")) if as_number(dig(p, "open_tenants")) is not None]
    points.sort(key=lambda p: p["open_tenants"])

    per_tenant = as_number(dig(scale, "w6", "per_tenant_kib"))
    with_memory = [p for p in points if as_number(p.get("rss_kib")) is not None]
    if per_tenant is None and len(with_memory) >= 2:
        first, last = with_memory[0], with_memory[-1]
        if last["open_tenants"] > first["open_tenants"]:
            per_tenant = (last["rss_kib"] - first["rss_kib"]) / (last["open_tenants"] - first["open_tenants"])

    with_threads = [p for p in points if as_number(p.get("threads")) is not None]
    open_points = [p for p in with_threads if p["open_tenants"] > 0]
    compared = open_points if len(open_points) >= 2 else with_threads
    thread_growth = None
    if len(compared) >= 2 and compared[-1]["open_tenants"] > compared[0]["open_tenants"]:
        thread_growth = compared[-1]["threads"] - compared[0]["threads"]
    return per_tenant, thread_growth


def targets(http, scale, meta):
    """Returns rows of (target, value, required, result) for the targets table."""
    low, high = meta.get("connections"), meta.get("connections_high")
    w1 = http[("W1", low)]["rate"]
    w3 = median(dig(r, "rate") for r in as_list(dig(scale, "w3", "runs")))
    w7_p99 = as_number(dig(scale, "w7", "p99_ms"))
    if w7_p99 is None:
        w7_p99 = median(dig(r, "p99_ms") for r in as_list(dig(scale, "w7", "runs")))
    w6_memory, w6_threads = w6_values(scale)

    rows = [
        # (target, value, relation, limit, unit, digits)
        ("W1/B2 requests/s", ratio(w1, http[("B2", low)]["rate"]), ">=", 0.7, "", 2),
        ("W1/B1 requests/s", ratio(w1, http[("B1", low)]["rate"]), ">=", 0.35, "", 2),
        ("W2/B3 requests/s", ratio(http[("W2", low)]["rate"], http[("B3", low)]["rate"]), ">=", 0.5, "", 2),
        (f"W3/W1 requests/s (W1 at {low} connections)", ratio(w3, w1), ">=", 0.8, "", 2),
        (f"W1 p99 at {high} connections", http[("W1", high)]["p99"], "<=", 20, " ms", 1),
        ("W4 provisioning", median(as_list(dig(scale, "w4", "runs"))), ">=", 200, " tenants/s", 0),
        ("W5 migrate-all, one migration", median(as_list(dig(scale, "w5", "one_migration_s"))), "<=", 60, " s", 1),
        ("W5 migrate-all, none pending", median(as_list(dig(scale, "w5", "none_pending_s"))), "<=", 5, " s", 1),
        ("W6 resident memory per open idle tenant", w6_memory, "<=", 256, " KiB", 0),
        ("W6 thread growth with open tenants", w6_threads, "<=", THREAD_GROWTH_ALLOWED, " threads", 0),
        ("W7 p99", w7_p99, "<=", 25, " ms", 1),
    ]
    non_2xx = sum(r["non_2xx"] for result in http.values() for r in result["runs"])
    rows.insert(0, ("non-2xx responses in the measured runs", non_2xx, "<=", 0, "", 0))
    table = []
    for name, value, relation, limit, unit, digits in rows:
        required = f"{relation} {limit}{unit}"
        if value is None:
            table.append((name, NOT_MEASURED, required, NOT_MEASURED))
            continue
        met = value >= limit if relation == ">=" else value <= limit
        table.append((name, number(value, digits, unit), required, "met" if met else "**not met**"))
    return table


def http_tables(http, meta):
    lines = ["| measure | connections | run | requests/s | p50 (ms) | p99 (ms) | problems |",
             "|---|---|---|---|---|---|---|"]
    for (name, connections), result in http.items():
        if not result["runs"]:
            lines.append(f"| {name} | {connections} | all | {NOT_MEASURED} | | | |")
        for run, r in enumerate(result["runs"], 1):
            lines.append(f"| {name} | {connections} | {run} | {r['rate']:.0f} | {number(r['p50'])} | "
                         f"{number(r['p99'])} | {r['problems'] or 'none'} |")
    lines += ["", "| measure | what | connections | median requests/s | median p50 (ms) | median p99 (ms) |",
              "|---|---|---|---|---|---|"]
    for name, level, description in HTTP_MEASURES:
        connections = connections_of(meta, level)
        result = http[(name, connections)]
        lines.append(f"| {name} | {description} | {connections} | {number(result['rate'], 0)} | "
                     f"{number(result['p50'])} | {number(result['p99'])} |")
    return lines


def joined(items, text):
    """Returns text(item) of every item joined with "; ", or "not measured" when there is none."""
    return "; ".join(text(item) for item in items) or NOT_MEASURED


def scale_lines(scale, meta):
    """Returns the lines that list W3 to W7 as scripts/bench-scale.py measured them."""
    status = meta.get("scale_status")
    if status == "absent":
        return ["W3 to W7: not measured, because scripts/bench-scale.py does not exist in this checkout."]
    lines = []
    if status == "124":
        lines.append(f"scripts/bench-scale.py ran longer than {meta.get('scale_timeout_s')} s and was stopped, "
                     "so some of W3 to W7 may be missing; see target/bench-logs/scale.log.")
    elif status != "0":
        lines.append(f"scripts/bench-scale.py failed with exit status {status}, so some of W3 to W7 may be "
                     "missing; see target/bench-logs/scale.log.")
    if not isinstance(scale, dict):
        return lines + ["W3 to W7: not measured, because scripts/bench-scale.py wrote no readable JSON object."]

    lines.append(f"W3 to W7 by scripts/bench-scale.py (its own Silo servers; {NOT_MEASURED} where it gave no value):")
    w3_size = ""
    if as_number(dig(scale, "w3", "active")) is not None and as_number(dig(scale, "w3", "tenants")) is not None:
        w3_size = f" with {scale['w3']['active']} active tenants of {scale['w3']['tenants']}"
    lines.append(f"- W3{w3_size}, per run: " + joined(
        as_list(dig(scale, "w3", "runs")), lambda r: f"{number(dig(r, 'rate'), 0)} requests/s, "
        f"p50 {number(dig(r, 'p50_ms'), unit=' ms')}, p99 {number(dig(r, 'p99_ms'), unit=' ms')}"))
    lines.append("- W4 provisioning, tenants/s per run: "
                 + joined(as_list(dig(scale, "w4", "runs")), lambda v: number(v, 1)))
    w5_size = f" of {scale['w5']['tenants']} tenants" if as_number(dig(scale, "w5", "tenants")) is not None else ""
    lines.append(f"- W5 migrate-all{w5_size}, s per run: one migration "
                 + joined(as_list(dig(scale, "w5", "one_migration_s")), lambda v: number(v, 1))
                 + "; none pending " + joined(as_list(dig(scale, "w5", "none_pending_s")), lambda v: number(v, 1)))
    w6_notes = f" ({scale['w6']['notes']})" if isinstance(dig(scale, "w6", "notes"), str) else ""
    lines.append("- W6 open idle tenants: " + joined(
        as_list(dig(scale, "w6", "points")), lambda p: f"{number(dig(p, 'open_tenants'), 0)} open: "
        f"{number(dig(p, 'rss_kib'), 0, ' KiB')} resident, {number(dig(p, 'threads'), 0)} threads, "
        f"{number(dig(p, 'fds'), 0)} file descriptors") + w6_notes)
    w7_size = f" with {scale['w7']['samples']} samples" if as_number(dig(scale, "w7", "samples")) is not None else ""
    lines.append(f"- W7{w7_size}: p50 "
                 f"{number(dig(scale, 'w7', 'p50_ms'), unit=' ms')}, p99 {number(dig(scale, 'w7', 'p99_ms'), unit=' ms')}; "
                 "per run: " + joined(as_list(dig(scale, "w7", "runs")), lambda r: f"p50 "
                 f"{number(dig(r, 'p50_ms'), unit=' ms')}, p99 {number(dig(r, 'p99_ms'), unit=' ms')}"))
    notes = dig(scale, "notes")
    for note in [notes] if isinstance(notes, str) else as_list(notes):
        lines.append(f"- Note from bench-scale.py: {note}")
    return lines


def header_lines(meta, settle):
    commit = run_text("git", "rev-parse", "--short", "HEAD")
    dirty = " with uncommitted changes" if run_text("git", "status", "--porcelain", "--untracked-files=no") else ""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    runs = meta.get("runs", 0)
    warm_up = "; ".join(f"{name} {'settled' if settled else 'did not settle'} ({', '.join(rates)} requests/s)"
                        for name, (rates, settled) in settle.items())
    return [
        f"#### {now}{' (--quick)' if meta.get('quick') else ''}", "",
        f"Command: `{meta.get('command')}`, at commit `{commit}`{dirty}. It took {meta.get('total_seconds')} s, "
        f"{meta.get('http_seconds')} s of them for setup, warm-up and the HTTP workloads.", "",
        machine_line() + " wrk, Silo and the baselines shared these CPUs with other work. The 1-minute load "
        f"average was {meta.get('load_before')} before the run, {meta.get('load_after_http')} after the HTTP "
        f"workloads and {meta.get('load_after')} at the end; the later values include the benchmark itself.", "",
        f"wrk: {meta.get('threads')} threads, {runs} round{'s' if runs != 1 else ''} of {meta.get('duration_s')} s "
        f"runs, a timeout of {meta.get('wrk_timeout_s', 2)} s, {meta.get('tenants')} tenants. Warm-up runs of "
        f"{meta.get('settle_s')} s went on until two in a row were within {meta.get('settle_tolerance_percent')}%, "
        f"at most {meta.get('settle_max_runs')} runs.", "",
        f"Warm-up: {warm_up}.", "",
    ]


def report(runs_dir, logs_dir):
    meta = json.loads((runs_dir / "meta.json").read_text())
    try:
        scale = json.loads((runs_dir / "scale.json").read_text())
    except (OSError, json.JSONDecodeError):
        scale = None
    http = load_http(runs_dir, meta)

    lines = header_lines(meta, load_settle(runs_dir)) + http_tables(http, meta)
    drain = load_drain(runs_dir)
    if drain:
        lines += ["", "Silo needed more than a second after these runs to complete the requests still in flight, "
                  f"and the next run waited for them: {drain}."]
    error_lines = error_responses(runs_dir)
    if error_lines:
        lines += ["", "Responses that were not 2xx, which make bench.sh exit with status 1:"] + error_lines
    problems = log_problems(logs_dir)
    if problems:
        lines += ["", "Server logs (target/bench-logs/):"] + problems
    lines += [""] + scale_lines(scale, meta)
    lines += ["", "| target | value | required | result |", "|---|---|---|---|"]
    lines += [f"| {name} | {value} | {required} | {result} |" for name, value, required, result in targets(http, scale, meta)]
    if meta.get("quick"):
        lines += ["", "A --quick run has one short run per measure: use it to check the setup, not to compare."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=Path, required=True, help="runs folder written by scripts/bench.sh")
    parser.add_argument("--logs", type=Path, help="folder of the server logs, such as target/bench-logs")
    parser.add_argument("--output", type=Path, required=True, help="file to write the report to")
    parser.add_argument("--append", type=Path, help="Markdown file to append the report to, such as docs/benchmarks.md")
    args = parser.parse_args()

    text = report(args.runs, args.logs)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(text)
    print(f"wrote the report to {args.output}")
    if args.append:
        with args.append.open("a") as f:
            f.write("\n" + text)
        print(f"appended the report to {args.append}")


if __name__ == "__main__":
    main()
