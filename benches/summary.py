"""Medians and spreads of criterion results: `python3 benches/summary.py [REGEX]`.

Reads every target/criterion/GROUP/BENCH/new/sample.json whose GROUP/BENCH matches REGEX
and prints a Markdown row per benchmark: the median time per iteration over criterion's
samples, and the 10th and 90th percentiles, the spread BENCHMARKS.md reports.
"""

import json
import pathlib
import re
import statistics
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target/criterion"


def shown(ns):
    return f"{ns:.0f} ns" if ns < 1000 else f"{ns / 1000:.2f} µs"


def main():
    pattern = re.compile(sys.argv[1] if len(sys.argv) > 1 else ".")
    print("| benchmark | median | p10–p90 |")
    print("| --- | --- | --- |")
    for sample in sorted(ROOT.glob("*/*/new/sample.json")):
        name = f"{sample.parent.parent.parent.name}/{sample.parent.parent.name}"
        if not pattern.search(name):
            continue
        data = json.loads(sample.read_text())
        per_iteration = [t / n for t, n in zip(data["times"], data["iters"])]
        deciles = statistics.quantiles(per_iteration, n=10)
        print(f"| {name} | {shown(statistics.median(per_iteration))} "
              f"| {shown(deciles[0])}–{shown(deciles[-1])} |")


if __name__ == "__main__":
    main()
