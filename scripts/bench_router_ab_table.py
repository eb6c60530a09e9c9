"""Summarises scripts/bench-router-ab.sh results: the router's added latency per rate, old vs new build."""
import glob
import json
import os
import statistics
import sys

out = sys.argv[1]
DIRECT, ROUTED = "completions direct", "completions via router"


def added(path):
    """{rate: {metric: router minus direct}} for one bench-router result."""
    runs = json.load(open(path))["runs"]
    result = {}
    for direct, routed in zip(runs[DIRECT]["steps"], runs[ROUTED]["steps"]):
        rate = direct["spec"]["target_rate"]
        result[rate] = {
            "p50": routed["latency"]["p50_ms"] - direct["latency"]["p50_ms"],
            "p99": routed["latency"]["p99_ms"] - direct["latency"]["p99_ms"],
            "ttft p50": routed["ttft"]["p50_ms"] - direct["ttft"]["p50_ms"],
            "errors": sum(v for k, v in routed["outcomes"].items() if k != "ok"),
        }
    return result


def median_over(name):
    rounds = [added(p) for p in sorted(glob.glob(os.path.join(out, name + "-*.json")))]
    rates = sorted(rounds[0])
    return {rate: {m: statistics.median(r[rate][m] for r in rounds) for m in rounds[0][rate]} for rate in rates}, len(rounds)


old, n_old = median_over("old")
new, n_new = median_over("new")
print(f"router overhead over direct inference (streamed completions), median of {n_old}/{n_new} rounds, ms added")
print("| rate/s | old p50 | new p50 | old p99 | new p99 | old TTFT p50 | new TTFT p50 | new/old p50 | errors old/new |")
print("|---|---|---|---|---|---|---|---|---|")
for rate in sorted(old):
    o, n = old[rate], new[rate]
    ratio = n["p50"] / o["p50"] if o["p50"] > 0 else float("nan")
    print(f"| {rate:g} | {o['p50']:.2f} | {n['p50']:.2f} | {o['p99']:.2f} | {n['p99']:.2f} | "
          f"{o['ttft p50']:.2f} | {n['ttft p50']:.2f} | x{ratio:.2f} | {o['errors']:.0f}/{n['errors']:.0f} |")
