"""Extraction speed: reports per second for extract + geocode on one core, and memory, next to a naive
baseline measured in the same run (every geotext place in a sentence that has an event keyword).

    python benchmarks/extract.py [--reports 1000] [--size 2000]

The reports are made by recombining the sentences of the bundled examples into ~2 KB texts (our own text).
Goal (extraction issue): >= 1,000 reports/s for 2 KB reports.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from gazetteer.geoparse import Geoparser  # noqa: E402
from mapper.extract import extract  # noqa: E402
from mapper.reports import parse_report, read_report  # noqa: E402
from mapper.text import sentences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = re.compile(r"\b(?:strikes?|shell\w*|killed|clash\w*|attack\w*|fled|displaced|bomb\w*|fighting)\b", re.I)


def corpus(n: int, size: int, seed: int = 7) -> list[str]:
    pool = []
    for p in sorted((ROOT / "examples").iterdir()):
        if p.is_file():
            r = read_report(p)
            pool += [s.text for s in sentences(r.text)]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts, total = [], 0
        while total < size:
            s = rng.choice(pool)
            parts.append(s)
            total += len(s) + 1
        out.append("date 2024-05-06\n" + " ".join(parts))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--size", type=int, default=2000)
    args = ap.parse_args()
    texts = corpus(args.reports, args.size)
    gp = Geoparser()
    extract(parse_report(texts[0], "warm.txt"), gp)  # open the index before timing

    t = time.perf_counter()
    events = 0
    for i, text in enumerate(texts):
        events += len(extract(parse_report(text, f"r{i}.txt"), gp))
    ours = len(texts) / (time.perf_counter() - t)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    try:
        from geotext import GeoText
    except ImportError:
        print("geotext not installed (pip install -e '.[bench]') - no baseline")
        GeoText = None
    base = float("nan")
    base_events = 0
    if GeoText is not None:
        t = time.perf_counter()
        for text in texts:
            for s in sentences(text):
                if KEYWORDS.search(s.text):
                    base_events += len(GeoText(s.text).cities)
        base = len(texts) / (time.perf_counter() - t)
    kb = sum(len(x) for x in texts) / len(texts) / 1000
    print(f"{len(texts)} reports of {kb:.1f} KB, one process")
    print(f"incident-mapper extract+geocode: {ours:,.0f} reports/s, {events / len(texts):.1f} events/report")
    print(f"baseline geotext+keyword:        {base:,.0f} reports/s, {base_events / len(texts):.1f} places/report")
    print(f"ratio ours/baseline: x{ours / base:.2f}; peak RSS {rss:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
