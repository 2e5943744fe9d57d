"""Scale: synthetic ACLED-like tables through geocode + admin-1 join + GeoParquet export on the pandas
engine and on the dask engine (local cluster, one worker per core), in one run; wall time, rows/s and
peak memory (RSS of the whole process tree, sampled every 0.1 s); then a folder of short reports through
extract on dask workers vs one process.

    python benchmarks/scale.py [--rows 100000 1000000 10000000] [--reports 100000] [--skip-pandas-above N]

Tables are generated here (not committed) from 5,000 places of the bundled index, written to a temporary
folder; each engine runs in a fresh subprocess. Goal (scale-out issue): the 10 M-row run under 8 GB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import psutil  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots"]
MEMORY_CAP = 16e9  # a run above this is stopped and reported as failed (the machine has 24 GB)

WORKER = """
import sys, time, json
from mapper import geo, geoparquet, scale
from mapper.frame import is_dask
from mapper.pipeline import events_from_files
from mapper.export import to_file
engine, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
t = time.perf_counter()
if engine == "pandas":
    ev = geo.join_admin1(events_from_files([src], dedup=False))
    to_file(ev, out)
    n = len(ev)
elif engine == "dask":
    with scale.dask_client():
        ev = geo.join_admin1(events_from_files([src], engine="dask"))
        geoparquet.write_parquet(ev, out)
        import pyarrow.dataset as ds
        n = ds.dataset(out).count_rows()
else:  # reports: extract only
    from mapper.pipeline import split_inputs
    reports, _ = split_inputs([src])
    if engine == "reports-dask":
        with scale.dask_client():
            n = len(scale.read_reports_dask(reports, time_budget=None).compute())
    else:
        n = len(events_from_files([src], dedup=False, time_budget=None))
print(json.dumps({"rows": n, "seconds": time.perf_counter() - t}))
"""


def places(n: int = 5000, seed: int = 1) -> pd.DataFrame:
    from gazetteer import ensure_index

    con = sqlite3.connect(ensure_index())
    rows = con.execute(
        "SELECT p.name, p.admin1, c.name FROM places p JOIN places c ON c.country_code = p.country_code "
        "AND c.kind = 'country' WHERE p.kind = 'populated place' AND p.population > 20000"
    ).fetchall()
    rng = random.Random(seed)
    return pd.DataFrame(rng.sample(rows, min(n, len(rows))), columns=["location", "admin1", "country"])


def make_table(path: Path, n: int, pool: pd.DataFrame, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    chunk = 1_000_000
    with path.open("w", encoding="utf-8") as fh:
        for start in range(0, n, chunk):
            m = min(chunk, n - start)
            pick = pool.iloc[rng.integers(0, len(pool), m)].reset_index(drop=True)
            days = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, m), unit="D")
            df = pd.DataFrame(
                {
                    "event_id_cnty": [f"SYN{start + i}" for i in range(m)],
                    "event_date": days.strftime("%Y-%m-%d"),
                    "event_type": np.array(TYPES)[rng.integers(0, len(TYPES), m)],
                    "actor1": "Synthetic group",
                    "location": pick["location"],
                    "admin1": pick["admin1"],
                    "country": pick["country"],
                    "fatalities": rng.poisson(2, m),
                }
            )
            df.to_csv(fh, index=False, header=start == 0)


def make_reports(folder: Path, n: int) -> None:
    from mapper.reports import read_report
    from mapper.text import sentences

    pool = []
    for p in sorted((ROOT / "examples").iterdir()):
        if p.is_file():
            pool += [s.text for s in sentences(read_report(p).text)]
    rng = random.Random(5)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = " ".join(rng.sample(pool, 4))
        (folder / f"r{i:06d}.txt").write_text(f"date 2024-0{1 + i % 9}-15\n{body}\n", encoding="utf-8")


def run(engine: str, src: Path, out: Path) -> dict:
    """Runs one engine in a fresh process; peak RSS of its whole process tree (workers included)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, engine, str(src), str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    root = psutil.Process(proc.pid)
    peak = 0
    killed = False
    while proc.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
            rss = sum(p.memory_info().rss for p in procs if p.is_running())
        except psutil.Error:
            rss = 0
        peak = max(peak, rss)
        if rss > MEMORY_CAP:
            for p in [root, *root.children(recursive=True)]:
                p.kill()
            killed = True
        time.sleep(0.1)
    stdout, stderr = proc.communicate()
    if proc.returncode != 0 or killed:
        why = f"stopped above {MEMORY_CAP / 1e9:.0f} GB" if killed else stderr.strip().splitlines()[-1:]
        return {"failed": str(why), "peak_gb": peak / 1e9}
    res = json.loads(stdout.strip().splitlines()[-1])
    res["peak_gb"] = peak / 1e9
    return res


def line(name: str, r: dict) -> str:
    if "failed" in r:
        return f"  {name:<8} FAILED ({r['failed']}), peak {r['peak_gb']:.1f} GB"
    rate = r["rows"] / r["seconds"]
    return (
        f"  {name:<8} {r['seconds']:8.1f} s  {rate:>10,.0f} rows/s  peak {r['peak_gb']:5.2f} GB  ({r['rows']:,} rows)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="*", default=[100_000, 1_000_000, 10_000_000])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--skip-pandas-above", type=int, default=None, help="do not run pandas above N rows")
    ap.add_argument("--tmp", default=None, help="folder for the generated inputs (default: a temp folder)")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 1e9:.0f} GB RAM")
    pool = places()
    with tempfile.TemporaryDirectory(dir=args.tmp) as d:
        tmp = Path(d)
        for n in args.rows:
            src = tmp / f"acled-{n}.csv"
            t = time.perf_counter()
            make_table(src, n, pool)
            print(
                f"\n{n:,} rows ({src.stat().st_size / 1e6:,.0f} MB CSV, generated in {time.perf_counter() - t:.0f} s)"
            )
            results = {}
            if args.skip_pandas_above is None or n <= args.skip_pandas_above:
                results["pandas"] = run("pandas", src, tmp / f"pandas-{n}.parquet")
                print(line("pandas", results["pandas"]), flush=True)
            else:
                print("  pandas   skipped (--skip-pandas-above)")
            results["dask"] = run("dask", src, tmp / f"dask-{n}.parquet")
            print(line("dask", results["dask"]), flush=True)
            p, k = results.get("pandas", {}), results["dask"]
            if "seconds" in p and "seconds" in k:
                print(
                    f"  dask/pandas: time x{k['seconds'] / p['seconds']:.2f}, memory x{k['peak_gb'] / p['peak_gb']:.2f}"
                )
            src.unlink()
        if args.reports:
            folder = tmp / "reports"
            make_reports(folder, args.reports)
            print(f"\n{args.reports:,} short reports (4 sentences each)")
            one = run("reports-one", folder, tmp / "x")
            many = run("reports-dask", folder, tmp / "y")
            for name, r in (("one", one), ("dask", many)):
                if "failed" in r:
                    print(f"  {name:<5} FAILED ({r['failed']})")
                else:
                    print(
                        f"  {name:<5} {r['seconds']:7.1f} s  {args.reports / r['seconds']:,.0f} reports/s  "
                        f"peak {r['peak_gb']:.2f} GB  ({r['rows']:,} events)"
                    )
            if "seconds" in one and "seconds" in many:
                print(f"  dask/one process: x{one['seconds'] / many['seconds']:.2f} reports/s")


if __name__ == "__main__":
    main()
