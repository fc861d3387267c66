#!/usr/bin/env python3
"""Summarize the CPU samples of a Java Flight Recording.

    scripts/jfr-summary.py RECORDING.jfr [--top N] [--match TEXT ...]

Reads the jdk.ExecutionSample events through the JDK's `jfr` tool, with stacks of up to
64 frames. Prints the share of samples per thread pool, per top frame and per package of
the top frame. For every --match text it also prints the share of samples with a frame
whose class or method name contains that text. Record a running Silo with

    java -XX:StartFlightRecording=name=profile,settings=profile -jar target/silo.jar
    jcmd <pid> JFR.dump name=profile filename=silo.jfr

while a load such as wrk with scripts/bench-w1.lua runs against it.
"""
import argparse
import collections
import json
import re
import shutil
import subprocess
import sys


def samples(recording):
    """Return the stacks of the recording's execution samples, each as (thread, frames)."""
    if shutil.which("jfr") is None:
        sys.exit("jfr is missing: it ships in the bin folder of every JDK 17 or later")
    completed = subprocess.run(
        ["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", recording],
        capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(f"jfr print failed on {recording}: {completed.stderr.strip()}")
    stacks = []
    for event in json.loads(completed.stdout)["recording"]["events"]:
        trace = event["values"]["stackTrace"]
        if not trace:
            continue
        thread = event["values"]["sampledThread"]["javaName"] or "?"
        frames = [f"{frame['method']['type']['name'].replace('/', '.')}.{frame['method']['name']}"
                  for frame in trace["frames"]]
        stacks.append((re.sub(r"-?\d+$", "", thread), frames))
    return stacks


def print_shares(title, counts, total, top):
    print(f"\n{title}")
    for name, count in counts.most_common(top):
        print(f"{count * 100 / total:6.1f}%  {name}")


def main():
    parser = argparse.ArgumentParser(description="Summarize the CPU samples of a JFR recording.")
    parser.add_argument("recording", help="a .jfr file")
    parser.add_argument("--top", type=int, default=15, help="lines per table (default 15)")
    parser.add_argument("--match", action="append", default=[],
                        help="text to look for in every frame of a stack; may repeat")
    arguments = parser.parse_args()

    stacks = samples(arguments.recording)
    total = len(stacks)
    if total == 0:
        sys.exit(f"{arguments.recording} has no execution samples; record with settings=profile")
    print(f"{total} execution samples in {arguments.recording}")

    threads = collections.Counter(thread for thread, _ in stacks)
    top_frames = collections.Counter(frames[0] for _, frames in stacks)
    packages = collections.Counter(".".join(frames[0].split(".")[:3]) for _, frames in stacks)
    print_shares("thread pools", threads, total, arguments.top)
    print_shares("top frames", top_frames, total, arguments.top)
    print_shares("packages of the top frame", packages, total, arguments.top)

    if arguments.match:
        print("\nsamples with a frame that contains")
        for text in arguments.match:
            count = sum(1 for _, frames in stacks if any(text in frame for frame in frames))
            print(f"{count * 100 / total:6.1f}%  {text}")


if __name__ == "__main__":
    main()
