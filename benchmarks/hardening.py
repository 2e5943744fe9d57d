"""Does extraction time grow linearly with report size? (issue: hardening)

Builds reports of 10 KB to 10 MB by repeating the bundled examples, extracts events from each with the
time budget off, and prints time, throughput and the ratio of per-KB cost to the 10 KB baseline measured
in the same run. A ratio near 1 at every size means linear; a quadratic step would show as a ratio that
grows with size. Exits non-zero when the 10 MB per-KB cost is over 3x the baseline.

    python benchmarks/hardening.py [--max-mb 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from gazetteer.geoparse import Geoparser
from mapper.extract import extract
from mapper.reports import parse_report, read_report

ROOT = Path(__file__).resolve().parent.parent


def corpus() -> str:
    parts = [read_report(p).text for p in sorted((ROOT / "examples").iterdir())]
    return "\n\n".join(parts) + "\n\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max-mb", type=float, default=10)
    args = ap.parse_args()
    gp = Geoparser()
    base = corpus()
    extract(parse_report(base, "warm.txt", date="2021-01-01"), gp)  # warm the caches
    sizes = [10_000, 100_000, 1_000_000, 10_000_000]
    sizes = [s for s in sizes if s <= args.max_mb * 1_000_000]
    baseline = None
    print(f"{'size':>10} {'events':>7} {'seconds':>8} {'KB/s':>8} {'cost/KB vs 10 KB':>17}")
    worst = 1.0
    for size in sizes:
        text = (base * (size // len(base) + 1))[:size]
        report = parse_report(text, "bench.txt", date="2021-01-01")
        t = time.perf_counter()
        events = extract(report, gp, time_budget=None)
        secs = time.perf_counter() - t
        per_kb = secs / (size / 1000)
        baseline = baseline or per_kb
        ratio = per_kb / baseline
        worst = max(worst, ratio)
        print(f"{size:>10,} {len(events):>7} {secs:>8.2f} {size / 1000 / secs:>8.0f} {ratio:>16.2f}x")
    print(f"worst per-KB cost relative to 10 KB: {worst:.2f}x ({'linear' if worst < 3 else 'NOT linear'})")
    return 0 if worst < 3 else 1


if __name__ == "__main__":
    sys.exit(main())
