"""Table reading on real-shaped ACLED exports: located rows/s against the same rows without coordinates.

Builds an ACLED-shaped CSV of N rows (event_id_cnty, event_date, event_type, sub_event_type, actor1,
actor2, country, admin1, admin2, location, latitude, longitude, geo_precision, fatalities, notes, source)
from populated places of the bundled index, with coordinates on 95% of the rows (the place's point moved
by up to ~5 km on half of them, as ACLED codes a village near its town), and the same table with the latitude and
longitude columns dropped. Each table is read by ``mapper.read_table`` (pandas engine, one process) in a
fresh subprocess with a warm index; reported: wall time and CPU time of the call (on a shared machine the
CPU figure is the one to compare), rows/s of each, the process's peak RSS. The first call in a process
includes loading the admin-1 polygons and the index's points (about 1 s of CPU, once per process).

    python benchmarks/tables.py [--rows 50000] [--compare OLD_CHECKOUT]

``--compare DIR`` also runs the tables through another checkout of the project (e.g. main before this
change, as a git worktree) and counts rows whose event fields differ, with a few examples.
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
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SUB_TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Violence against civilians", "Attack"),
    ("Violence against civilians", "Abduction/forced disappearance"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Mob violence"),
    ("Strategic developments", "Looting/property destruction"),
]
ACTORS = ["Military Forces", "Unidentified Armed Group", "Rebel Militia", "Protesters", "Civilians", "Police Forces"]
SOURCES = ["Local media", "Agency report", "Radio station", "NGO report"]

WORKER = """
import json, resource, sys, time
import mapper
from gazetteer import Gazetteer
Gazetteer.default().search("Kabul")  # open the index before timing
src, out, warm = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
t, c = time.perf_counter(), time.process_time()
gdf = mapper.read_table(src)
secs, cpu = time.perf_counter() - t, time.process_time() - c
t, c = time.perf_counter(), time.process_time()
if warm:
    mapper.read_table(src)  # again in the same process: what every further table (or dask block) costs
warm_secs, warm_cpu = time.perf_counter() - t, time.process_time() - c
if out != "-":
    cols = ["event_id", "category", "location", "place_id", "country_code", "admin1", "admin2", "geo_precision",
            "review", "household_size", "displaced_people"]
    gdf[cols].assign(x=gdf.geometry.x.round(6), y=gdf.geometry.y.round(6)).to_csv(out, index=False)
print(json.dumps({"rows": len(gdf), "seconds": secs, "cpu": cpu, "warm_seconds": warm_secs, "warm_cpu": warm_cpu, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def places(seed: int = 1) -> pd.DataFrame:
    from gazetteer import ensure_index

    con = sqlite3.connect(ensure_index())
    rows = con.execute(
        "SELECT p.name, p.admin1, p.lat, p.lon, c.name FROM places p JOIN places c "
        "ON c.country_code = p.country_code AND c.kind = 'country' "
        "WHERE p.kind = 'populated place' AND p.population > 5000"
    ).fetchall()
    rng = random.Random(seed)
    return pd.DataFrame(rng.sample(rows, min(8000, len(rows))), columns=["location", "admin1", "lat", "lon", "country"])


def make_table(n: int, pool: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pick = pool.iloc[rng.integers(0, len(pool), n)].reset_index(drop=True)
    kinds = rng.integers(0, len(SUB_TYPES), n)
    days = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 2500, n), unit="D")
    located = rng.random(n) < 0.95
    moved = rng.random(n) < 0.5  # half at the place's own point, half a village up to ~5 km away
    lat = (pick["lat"] + moved * rng.uniform(-0.05, 0.05, n)).clip(-90, 90).round(4)
    lon = (pick["lon"] + moved * rng.uniform(-0.05, 0.05, n)).clip(-180, 180).round(4)
    return pd.DataFrame(
        {
            "event_id_cnty": [f"XYZ{i}" for i in range(n)],
            "event_date": days.strftime("%d %B %Y"),
            "event_type": [SUB_TYPES[k][0] for k in kinds],
            "sub_event_type": [SUB_TYPES[k][1] for k in kinds],
            "actor1": np.array(ACTORS)[rng.integers(0, len(ACTORS), n)],
            "actor2": np.where(rng.random(n) < 0.5, np.array(ACTORS)[rng.integers(0, len(ACTORS), n)], ""),
            "country": pick["country"],
            "admin1": np.where(rng.random(n) < 0.9, pick["admin1"], ""),
            "admin2": "",
            "location": pick["location"],
            "latitude": np.where(located, lat.astype(str), ""),
            "longitude": np.where(located, lon.astype(str), ""),
            "geo_precision": rng.integers(1, 4, n),
            "fatalities": rng.poisson(1.5, n),
            "notes": [f"On a day in the period, an incident was coded near {p}." for p in pick["location"]],
            "source": np.array(SOURCES)[rng.integers(0, len(SOURCES), n)],
        }
    )


def run(src: Path, checkout: Path, out: str, warm: bool = True) -> dict:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, str(src), out, "1" if warm else "0"],
        capture_output=True,
        text=True,
        cwd=checkout,
        env=env,
    )
    if proc.returncode:
        return {"failed": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def line(name: str, r: dict) -> str:
    if "failed" in r:
        return f"  {name:<28} FAILED ({r['failed']})"
    n = r["rows"]
    out = (
        f"  {name:<28} first call {r['seconds']:7.2f} s ({n / r['seconds']:>7,.0f} rows/s), "
        f"CPU {r['cpu']:6.2f} s ({n / r['cpu']:>7,.0f} rows/s)"
    )
    if r["warm_cpu"] > 0.01:
        out += (
            f"; warm {r['warm_seconds']:6.2f} s ({n / r['warm_seconds']:>7,.0f} rows/s), "
            f"CPU {r['warm_cpu']:6.2f} s ({n / r['warm_cpu']:>7,.0f} rows/s)"
        )
    return out + f"; peak {r['peak_mb']:5.0f} MB ({n:,} rows)"


def compare(a: Path, b: Path, limit: int = 5) -> None:
    x = pd.read_csv(a, dtype=str, keep_default_na=False).set_index("event_id")
    y = pd.read_csv(b, dtype=str, keep_default_na=False).set_index("event_id").loc[x.index]
    differ = x.ne(y)
    print(f"  rows that differ: {int(differ.any(axis=1).sum()):,} of {len(x):,}")
    for c in differ.columns[differ.any()]:
        rows = differ.index[differ[c]]
        print(f"    {c}: {len(rows):,} rows, e.g.")
        for r in rows[:limit]:
            print(f"      {r}: {x.at[r, c]!r} -> {y.at[r, c]!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--compare", type=Path, default=None, help="another checkout to compare results with")
    args = ap.parse_args()
    table = make_table(args.rows, places())
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        located, bare = tmp / "acled.csv", tmp / "acled-no-coordinates.csv"
        table.to_csv(located, index=False)
        table.drop(columns=["latitude", "longitude"]).to_csv(bare, index=False)
        n_xy = int((table["latitude"] != "").sum())
        print(f"{args.rows:,} ACLED-shaped rows, {n_xy:,} with coordinates ({located.stat().st_size / 1e6:.1f} MB)")
        runs = [(ROOT, "this checkout")] + ([(args.compare.resolve(), str(args.compare))] if args.compare else [])
        for k, (checkout, name) in enumerate(runs):
            print(name)
            warm = k == 0  # the old checkout's located rows take minutes: once is enough
            with_xy = run(located, checkout, str(tmp / f"run{k}-xy.csv"), warm)
            print(line("with coordinates", with_xy), flush=True)
            print(line("without coordinate columns", run(bare, checkout, "-", warm)), flush=True)
        if args.compare:
            print(f"differences, {args.compare} -> this checkout (rows with coordinates):")
            compare(tmp / "run1-xy.csv", tmp / "run0-xy.csv")


if __name__ == "__main__":
    main()
