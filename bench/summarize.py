#!/usr/bin/env python3
"""Median and range of bench/openrosa_load.py results over runs.

    bench/summarize.py bench/results/*/results.jsonl

Results are grouped by their label (scenario and server configuration); each figure is printed as
"median (min–max)" over the runs of that group. A run during which other processes on the machine
used more than --max-other % of one core (other_cpu_pct) is left out and counted as skipped.
"""

import argparse
import json
import statistics
from collections import defaultdict

LOAD_FIELDS = [
    ("throughput", "req/s (submissions/s)", "{:.1f}"),
    ("p50_ms", "p50 ms", "{:.1f}"),
    ("p95_ms", "p95 ms", "{:.1f}"),
    ("p99_ms", "p99 ms", "{:.1f}"),
    ("head_post_p99_ms", "HEAD+POST p99 ms", "{:.1f}"),
    ("upload_mb_s", "upload MB/s", "{:.1f}"),
    ("server_cpu_pct", "app server CPU %", "{:.0f}"),
    ("postgres_cpu_pct", "postgres CPU %", "{:.0f}"),
    ("loadgen_cpu_pct", "loadgen CPU %", "{:.0f}"),
    ("tasks_cpu_pct", "task workers CPU %", "{:.0f}"),
    ("other_cpu_pct", "other CPU %", "{:.0f}"),
    ("server_rss_mib_start", "RSS start MiB", "{:.0f}"),
    ("server_rss_mib_end", "RSS end MiB", "{:.0f}"),
    ("cpu_probe_ns", "CPU probe ns (before/after)", "{:.0f}"),
    ("failures", "failures", "{:.0f}"),
]
UPLOAD_FIELDS = [
    ("seconds", "seconds", "{:.2f}"),
    ("server_rss_mib_before", "RSS before MiB", "{:.1f}"),
    ("server_rss_mib_peak", "RSS peak MiB", "{:.1f}"),
    ("server_rss_mib_after", "RSS after MiB", "{:.1f}"),
    ("rss_growth_mib", "RSS growth MiB", "{:+.1f}"),
    ("peak_growth_mib", "peak growth MiB", "{:+.1f}"),
    ("worker_hwm_growth_mib", "worker VmHWM growth MiB", "{:+.1f}"),
    ("cpu_probe_ns", "CPU probe ns (before/after)", "{:.0f}"),
    ("failures", "failures", "{:.0f}"),
]


def cell(values: list[float], fmt: str) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return fmt.format(values[0])
    mid = statistics.median(values)
    return f"{fmt.format(mid)} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def main(paths: list[str], max_other: float) -> None:
    groups: dict[str, list[dict]] = defaultdict(list)
    skipped: dict[str, int] = defaultdict(int)
    for path in paths:
        with open(path) as f:
            for line in f:
                if line.strip():
                    result = json.loads(line)
                    label = (result.get("label") or result["scenario"]).strip()
                    if result.get("other_cpu_pct", 0) > max_other:
                        skipped[label] += 1
                    else:
                        groups[label].append(result)
    for label, results in groups.items():
        fields = UPLOAD_FIELDS if results[0]["scenario"] == "upload" else LOAD_FIELDS
        extra = f", skipped as disturbed: {skipped[label]}" if skipped[label] else ""
        print(f"\n{label}  (runs: {len(results)}{extra})")
        for key, name, fmt in fields:
            values = [r[key] for r in results if r.get(key) is not None]
            if key == "cpu_probe_ns":
                values = [sum(v) / len(v) for v in values]
            if key == "upload_mb_s" and max(values, default=0) < 1:
                continue
            if values:
                print(f"  {name:<26} {cell(values, fmt)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="+", help="results.jsonl files")
    parser.add_argument(
        "--max-other",
        type=float,
        default=20.0,
        help="leave out runs where other processes used more CPU than this",
    )
    args = parser.parse_args()
    main(args.results, args.max_other)
