"""Event tables in: CSV, Excel, JSON and GeoJSON with ACLED, UCDP GED or HXL columns, or columns the user names.

Pure core (`normalise_table`, `table_events`) over a pandas DataFrame; file reading at the edge
(`read_table_file`). Rows with coordinates keep them; rows without are geocoded from their most precise
place column with the coarser ones as context, each distinct place once.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gazetteer import ADMIN1, ADMIN2, COUNTRY, PLACE, Gazetteer, Place

from .errors import InputError, LimitError
from .households import household_size
from .reports import decode
from .schema import CATEGORIES

TABLE_SUFFIXES = {".csv", ".tsv", ".xlsx", ".json", ".geojson"}
MAX_TABLE_BYTES = 2_000_000_000

# canonical column -> names it goes by (lower-cased header or HXL hashtag, attributes sorted)
ALIASES: dict[str, list[str]] = {
    "date": ["event_date", "date", "date_start", "#date", "#date+occurred", "#date+start", "day"],
    "category": ["category", "#event+category"],
    "event_type": ["event_type", "type", "#event+type"],
    "sub_event_type": ["sub_event_type", "#event+subtype", "#event+type+sub"],
    "actor1": ["actor1", "side_a", "#org", "#actor", "#actor+1", "#org+actor1"],
    "actor2": ["actor2", "side_b", "#actor+2", "#org+actor2"],
    "place": [
        "location",
        "where_coordinates",
        "place",
        "town",
        "village",
        "city",
        "#loc+name",
        "#loc",
        "#adm3+name",
    ],
    "admin2": ["admin2", "adm_2", "district", "#adm2+name", "#adm2"],
    "admin1": ["admin1", "adm_1", "province", "state", "governorate", "region", "#adm1+name", "#adm1"],
    "country": ["country", "#country+name", "#country"],
    "country_code": ["iso2", "country_code", "#country+code", "iso3", "iso_a3"],
    "lat": ["latitude", "lat", "#geo+lat", "y"],
    "lon": ["longitude", "lon", "lng", "long", "#geo+lon", "x"],
    "geo_precision": ["geo_precision", "where_prec", "#geo+precision"],
    "time_precision": ["time_precision", "date_prec", "#date+precision"],
    "fatalities": ["fatalities", "best", "deaths", "killed", "#affected+killed", "#affected+dead", "#killed"],
    "displaced_people": [
        "displaced",
        "idps",
        "displaced_people",
        "#affected+idps",
        "#affected+displaced",
        "#affected+idps+ind",
    ],
    "displaced_families": ["displaced_families", "families", "households", "#affected+hh", "#affected+idps+hh"],
    "notes": ["notes", "description", "source_article", "#description", "#meta+description", "#narrative"],
    "source_name": ["source", "#meta+source", "source_headline"],
    "row_id": ["event_id_cnty", "id", "event_id", "#event+code", "#event+id"],
    "type_of_violence": ["type_of_violence"],
}

# ACLED event/sub-event types (and UCDP's violence types) -> our map category
TYPE_CATEGORY = {
    "battles": "clash",
    "explosions/remote violence": "strike",
    "violence against civilians": "attack",
    "protests": "unrest",
    "riots": "unrest",
    "strategic developments": "other",
    "displacement": "displacement",
}
UCDP_VIOLENCE = {
    "1": ("clash", "Battles", "Armed clash"),
    "2": ("clash", "Battles", "Armed clash"),
    "3": ("attack", "Violence against civilians", "Attack"),
}
# UCDP where_prec (1 exact ... 7 international waters) -> geo_precision
UCDP_PRECISION = {"1": 1, "2": 2, "3": 2, "4": 3, "5": 3, "6": 3, "7": 3}
_PLACE_SUFFIX = re.compile(r"\s+(?:town|city|village|district|province|governorate|area)$", re.IGNORECASE)


@dataclass
class ColumnMap:
    """Which input column feeds which canonical column."""

    columns: dict[str, str] = field(default_factory=dict)  # canonical -> input column
    dialect: str = "generic"  # acled | ucdp | hxl | generic


def recognise_columns(
    header: list[str],
    hashtags: list[str] | None = None,
    place_col: str | None = None,
    country_col: str | None = None,
    date_col: str | None = None,
    category_col: str | None = None,
) -> ColumnMap:
    """Map a table's header (and HXL hashtag row, if any) to canonical columns."""
    lowered = {h.strip().lower(): h for h in header}
    tags = {}
    if hashtags:
        for h, tag in zip(header, hashtags, strict=False):
            if tag and tag.strip().startswith("#"):
                base, *attrs = tag.strip().lower().split("+")
                tags["+".join([base, *sorted(attrs)])] = h
                tags.setdefault(base, h)
    out = ColumnMap()
    if "event_id_cnty" in lowered or ("sub_event_type" in lowered and "event_type" in lowered):
        out.dialect = "acled"
    elif "type_of_violence" in lowered or "where_coordinates" in lowered:
        out.dialect = "ucdp"
    elif tags:
        out.dialect = "hxl"
    for canon, names in ALIASES.items():
        for n in names:
            if n.startswith("#"):
                base, *attrs = n.split("+")
                key = "+".join([base, *sorted(attrs)])
                if key in tags:
                    out.columns[canon] = tags[key]
                    break
            elif n in lowered:
                out.columns[canon] = lowered[n]
                break
    if out.dialect == "ucdp" and lowered.get("id") and "row_id" not in out.columns:
        out.columns["row_id"] = lowered["id"]
    for canon, given in (
        ("place", place_col),
        ("country", country_col),
        ("date", date_col),
        ("category", category_col),
    ):
        if given:
            if given not in header and given.lower() not in lowered:
                raise InputError(f"--{canon.replace('_', '-')}-col: no column {given!r} (columns: {', '.join(header)})")
            out.columns[canon] = given if given in header else lowered[given.lower()]
    return out


# -- file reading (the I/O edge) -----------------------------------------------------------------


def read_table_file(path: str | Path) -> tuple[pd.DataFrame, list[str] | None, pd.Series | None]:
    """(table as strings, HXL hashtag row or None, geometry from GeoJSON or None); clear errors."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    if size > MAX_TABLE_BYTES:
        raise LimitError(f"{path}: {size / 1e9:.1f} GB is over the {MAX_TABLE_BYTES / 1e9:.0f} GB table limit")
    if size == 0:
        raise InputError(f"{path}: the table is empty")
    suffix = path.suffix.lower()
    geometry = None
    if suffix == ".xlsx":
        try:
            df = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        except Exception as e:  # openpyxl raises many types for broken files
            raise InputError(f"{path}: not a readable Excel workbook ({type(e).__name__}: {e})") from None
    elif suffix in (".json", ".geojson"):
        df, geometry = _read_json(path, decode(path.read_bytes(), str(path)))
    else:
        df = _read_csv(path, decode(path.read_bytes(), str(path)), "\t" if suffix == ".tsv" else None)
    df.columns = [str(c).strip() for c in df.columns]
    if len(set(df.columns)) != len(df.columns):
        dup = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
        raise InputError(f"{path}: duplicate column names {', '.join(dup)}")
    hashtags = None
    if len(df) and sum(str(v).strip().startswith("#") for v in df.iloc[0]) >= max(1, len(df.columns) // 2):
        hashtags = [str(v) for v in df.iloc[0]]
        df = df.iloc[1:].reset_index(drop=True)
        if geometry is not None:
            geometry = geometry.iloc[1:].reset_index(drop=True)
    return df, hashtags, geometry


def _read_csv(path: Path, text: str, sep: str | None) -> pd.DataFrame:
    if sep is None:
        try:
            sep = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
        except csv.Error:
            sep = ","
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)  # rows longer than the header
            df = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                dtype=str,
                keep_default_na=False,
                on_bad_lines="error",
                engine="c",
                index_col=False,
            )
    except pd.errors.ParserWarning:
        raise InputError(
            f"{_first_ragged_line(path, text, sep)}: malformed CSV (more fields than the header)"
        ) from None
    except pd.errors.ParserError as e:
        m = re.search(r"line (\d+)", str(e))
        where = f"{path}:{m.group(1)}" if m else str(path)
        raise InputError(f"{where}: malformed CSV ({str(e).strip().splitlines()[-1]})") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: the table is empty") from None
    if df.empty and not len(df.columns):
        raise InputError(f"{path}: the table is empty")
    return df


def _first_ragged_line(path: Path, text: str, sep: str) -> str:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    width = None
    for row in reader:
        if width is None:
            width = len(row)
        elif len(row) > width:
            return f"{path}:{reader.line_num}"
    return str(path)


def _read_json(path: Path, text: str) -> tuple[pd.DataFrame, pd.Series | None]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        feats = data.get("features")
        if not isinstance(feats, list):
            raise InputError(f"{path}: a FeatureCollection without a 'features' list")
        rows, lons, lats = [], [], []
        for i, f in enumerate(feats):
            if not isinstance(f, dict) or not isinstance(f.get("properties") or {}, dict):
                raise InputError(f"{path}: feature {i} is not a GeoJSON Feature object")
            rows.append({k: _cell(v) for k, v in (f.get("properties") or {}).items()})
            g = f.get("geometry") or {}
            c = g.get("coordinates") if isinstance(g, dict) and g.get("type") == "Point" else None
            if isinstance(c, list) and len(c) >= 2 and all(isinstance(x, int | float) for x in c[:2]):
                lons.append(float(c[0]))
                lats.append(float(c[1]))
            else:
                lons.append(np.nan)
                lats.append(np.nan)
        df = pd.DataFrame.from_records(rows).fillna("")
        return df.astype(str), pd.Series(list(zip(lons, lats, strict=True)))
    if isinstance(data, dict):  # ACLED's API: {"data": [...]}
        for key in ("data", "events", "records", "Result", "results"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputError(f"{path}: expected a list of objects (or a GeoJSON FeatureCollection)")
    df = pd.DataFrame.from_records([{k: _cell(v) for k, v in r.items()} for r in data]).fillna("")
    return df.astype(str), None


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


# -- the pure core ---------------------------------------------------------------------------------


def table_events(
    df: pd.DataFrame,
    source: str,
    gazetteer: Gazetteer,
    columns: ColumnMap,
    geometry: pd.Series | None = None,
    date: dt.date | None = None,
    household_table: dict[str, float] | None = None,
    first_row: int = 0,
) -> list[dict]:
    """Event records (schema fields + lat/lon) from a table of strings; ``review`` says what to check.

    ``first_row`` is the position of ``df``'s first row in the whole table (a partition of a big file), so
    row numbers in errors, sources and event ids are the file's."""
    n = len(df)
    col = columns.columns

    def get(canon: str) -> pd.Series:
        if canon in col:
            return df[col[canon]].astype(str).str.strip()
        return pd.Series([""] * n, index=df.index, dtype=object)

    if "date" not in col and date is None:
        raise InputError(f"{source}: no date column (name it with --date-col, or give --date for all rows)")
    if not any(c in col for c in ("place", "admin2", "admin1", "country", "lat")) and geometry is None:
        raise InputError(
            f"{source}: no place or coordinate columns (name the place column with --place-col; "
            f"found columns: {', '.join(map(str, df.columns))})"
        )
    line0 = (3 if columns.dialect == "hxl" else 2) + first_row  # file line of the first data row
    dates = _dates(get("date"), date, source, line0)
    category, etype, subtype = _categories(get, columns.dialect, source, line0)

    lat = pd.to_numeric(get("lat").replace("", np.nan), errors="coerce")
    lon = pd.to_numeric(get("lon").replace("", np.nan), errors="coerce")
    if geometry is not None:
        lon = lon.fillna(pd.Series([g[0] for g in geometry], index=df.index))
        lat = lat.fillna(pd.Series([g[1] for g in geometry], index=df.index))
    bad = (lat.notna() & ~lat.between(-90, 90)) | (lon.notna() & ~lon.between(-180, 180))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{source}:{i + line0}: coordinates {lat.iloc[i]}, {lon.iloc[i]} are out of range")
    has_xy = lat.notna() & lon.notna()

    country_names = get("country")
    cc = _country_codes(get("country_code"), country_names, gazetteer)
    places = get("place").str.replace(_PLACE_SUFFIX, "", regex=True)
    admin2, admin1 = get("admin2"), get("admin1")
    geo = _geocode_rows(places, admin2, admin1, cc, gazetteer)

    precision = pd.to_numeric(get("geo_precision").replace("", np.nan), errors="coerce")
    if columns.dialect == "ucdp":
        precision = get("geo_precision").map(UCDP_PRECISION).astype("float")
    tprec = pd.to_numeric(get("time_precision").replace("", np.nan), errors="coerce")
    fatalities = _ints(get("fatalities"), "fatalities", source, line0)
    people = _ints(get("displaced_people"), "displaced people", source, line0)
    families = _ints(get("displaced_families"), "displaced families", source, line0)
    notes, source_names, row_ids = get("notes"), get("source_name"), get("row_id")
    actor1, actor2 = get("actor1"), get("actor2")

    # plain lists: indexing a Series per row costs more than all the rest of the loop
    places_l, admin2_l, admin1_l, names_l = places.tolist(), admin2.tolist(), admin1.tolist(), country_names.tolist()
    has_xy_l, lat_l, lon_l, precision_l, tprec_l = (
        has_xy.tolist(),
        lat.tolist(),
        lon.tolist(),
        precision.tolist(),
        tprec.tolist(),
    )
    cc_l, notes_l, row_ids_l, source_names_l = cc.tolist(), notes.tolist(), row_ids.tolist(), source_names.tolist()
    actor1_l, actor2_l = actor1.tolist(), actor2.tolist()
    columns_ = [str(c) for c in df.columns]
    rows = df.to_numpy(dtype=object)
    records = []
    for i in range(n):
        line = i + line0
        g = geo[i]
        written = places_l[i] or admin2_l[i] or admin1_l[i] or names_l[i]
        own_xy = bool(has_xy_l[i])
        la: float | None
        lo: float | None
        gp: int | None
        place: Place | None
        if own_xy:  # the row's own point; the gazetteer only fills the hierarchy (nearest town)
            la, lo = float(lat_l[i]), float(lon_l[i])
            gp = int(precision_l[i]) if pd.notna(precision_l[i]) and 1 <= precision_l[i] <= 3 else 1
            place = gazetteer.nearest(la, lo, within_deg=0.5)
        elif g.place is not None:
            la, lo, gp, place = g.place.lat, g.place.lon, g.precision, g.place
        else:
            la = lo = None
            gp, place = None, None
        cat = category[i]
        fam = families[i]
        ppl = people[i]
        hh = None
        cc_i = cc_l[i] or (place.country_code if place is not None else None)
        if fam is not None and ppl is None:
            hh = household_size(cc_i or "", household_table)
            ppl = int(round(fam * hh))
        if ppl is not None and cat == "other" and "category" not in col and "event_type" not in col:
            cat, etype[i], subtype[i] = "displacement", "Displacement", "Displacement"
        reason = None if own_xy else g.reason
        text = notes_l[i] or _row_summary(columns_, rows[i])
        rid = row_ids_l[i]
        rec = {
            "event_id": _row_event_id(source, rid or str(line), cat),
            "category": cat,
            "event_type": etype[i],
            "sub_event_type": subtype[i],
            "event_date": dates[i],
            "time_precision": int(tprec_l[i]) if pd.notna(tprec_l[i]) and 1 <= tprec_l[i] <= 3 else 1,
            "location": (written or (place.name if place else None)) if own_xy else (place.name if place else written),
            "place_id": None if own_xy or place is None else place.place_id,
            "country_code": cc_i,
            "admin1": (admin1_l[i] or (place.admin1 if place is not None else "")) or None,
            "admin2": (admin2_l[i] or (place.admin2 if place is not None else "")) or None,
            "geo_precision": gp,
            "location_text": written or None,
            "actor1": actor1_l[i] or None,
            "actor2": actor2_l[i] or None,
            "fatalities": fatalities[i],
            "fatalities_text": None,
            "displaced_families": fam,
            "displaced_people": ppl,
            "household_size": hh,
            "destination": None,
            "report_date": None,
            "source": f"{source}#row={line}" + (f" ({source_names_l[i]})" if source_names_l[i] else ""),
            "source_text": text,
            "confidence": 0.95 if own_xy else g.confidence,
            "review": reason,
            "lat": la,
            "lon": lo,
        }
        records.append(rec)
    return records


@dataclass
class _Geo:
    place: Place | None
    precision: int | None
    reason: str | None
    confidence: float


def _geocode_rows(places: pd.Series, admin2: pd.Series, admin1: pd.Series, cc: pd.Series, gz: Gazetteer) -> list[_Geo]:
    """Each distinct (place, admin2, admin1, country) geocoded once; most precise column first."""
    keys = pd.DataFrame({"p": places, "a2": admin2, "a1": admin1, "cc": cc}).fillna("")
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(keys))
    found = [_geocode_one(str(p), str(a2), str(a1), str(c), gz) for p, a2, a1, c in uniques]
    return [found[c] for c in codes]


def _geocode_one(place: str, admin2: str, admin1: str, cc: str, gz: Gazetteer) -> _Geo:
    country = cc or None
    a1 = None
    if admin1:
        hits = gz.search(admin1, country=country, kind=ADMIN1, limit=1)
        a1 = hits[0].place if hits else None
        if a1 is not None and country is None:
            country = a1.country_code
    for name, level in ((place, 1), (admin2, 2)):
        if not name:
            continue
        # transliteration guesses (the skeleton tier) only within a known country
        found = gz.search(name, country=country, limit=10, fuzzy=country is not None)
        cands = [c for c in found if c.place.kind != COUNTRY]
        if level == 2:
            cands = [c for c in cands if c.place.kind in (ADMIN2, PLACE)]
        if a1 is not None:
            inside = [
                c for c in cands if c.place.admin1_code == a1.admin1_code and c.place.country_code == a1.country_code
            ]
            cands = inside or []
        if cands:
            best = cands[0]
            precision = 1 if level == 1 and best.place.kind == PLACE else 2
            if best.place.kind == ADMIN1:
                precision = 3
            reason = None
            if len(cands) > 1 and cands[1].score >= best.score - 0.05 and _far(best.place, cands[1].place):
                alts = "; ".join(
                    f"{c.place.place_id} {c.place.name} ({c.place.admin1}, {c.place.country_code})" for c in cands[1:3]
                )
                reason = f"ambiguous: {name} (also {alts})"
            elif best.matched == "skeleton":
                reason = f"spelling guess: {name} read as {best.place.name} ({best.place.place_id})"
            return _Geo(best.place, precision, reason, round(0.6 + 0.3 * min(1.0, best.score), 2))
        if level == 1:
            missing = name
            break
    else:
        missing = None
    if a1 is not None:
        return _Geo(a1, 3, f"not found: {missing}" if missing else "province only", 0.5)
    if country:
        c = gz.country(country)
        if c is not None:
            return _Geo(c, 3, f"not found: {missing or admin1 or admin2}", 0.3)
    return _Geo(None, None, f"not found: {missing or admin2 or admin1 or cc or '(no place)'}", 0.0)


def _far(a, b) -> bool:
    return abs(a.lat - b.lat) + abs(a.lon - b.lon) > 0.5


def _country_codes(codes: pd.Series, names: pd.Series, gz: Gazetteer) -> pd.Series:
    """ISO alpha-2 per row from a code column (alpha-2/alpha-3/ACLED numeric iso ignored) or country names."""
    out = pd.Series([""] * len(names), index=names.index, dtype=object)
    table: dict[str, str] = {}
    for value in pd.unique(pd.concat([codes, names])):
        v = str(value).strip()
        if not v or v in table:
            continue
        if len(v) == 2 and v.isalpha():
            table[v] = v.upper() if gz.country(v) else ""
            continue
        hit = gz.search(v, kind=COUNTRY, limit=1, fuzzy=False)
        table[v] = hit[0].place.country_code if hit else ""
    from_codes = codes.map(lambda v: table.get(str(v).strip(), ""))
    from_names = names.map(lambda v: table.get(str(v).strip(), ""))
    out = from_codes.where(from_codes != "", from_names)
    return out.fillna("")


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%d %b %Y",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%B %d, %Y",
    "%Y-%m-%dT%H:%M:%S",
)


def _dates(values: pd.Series, default: dt.date | None, source: str, line0: int) -> list[str]:
    out = []
    cache: dict[str, str] = {}
    for i, v in enumerate(values):
        v = v.strip()
        if not v:
            if default is None:
                raise InputError(f"{source}:{i + line0}: the date is empty (give --date for rows without one)")
            out.append(default.isoformat())
            continue
        if v not in cache:
            parsed = None
            for fmt in _DATE_FORMATS:
                try:
                    parsed = dt.datetime.strptime(v[:19] if "T" in v else v, fmt).date()
                    break
                except ValueError:
                    continue
            if parsed is None and re.fullmatch(r"\d{10,13}", v):  # epoch seconds or milliseconds
                secs = int(v) / (1000 if len(v) == 13 else 1)
                parsed = dt.datetime.fromtimestamp(secs, dt.UTC).date()
            if parsed is None:
                raise InputError(f"{source}:{i + line0}: {v!r} is not a date (use YYYY-MM-DD)")
            cache[v] = parsed.isoformat()
        out.append(cache[v])
    return out


def _categories(get, dialect: str, source: str, line0: int) -> tuple[list[str], list[str | None], list[str | None]]:
    given = get("category").str.lower().tolist()
    etype = get("event_type").tolist()
    sub = get("sub_event_type").tolist()
    violence = get("type_of_violence").tolist()
    cats, types, subs = [], [], []
    sub_cat = {
        "air/drone strike": "strike",
        "shelling/artillery/missile attack": "strike",
        "remote explosive/landmine/ied": "strike",
        "suicide bomb": "strike",
        "grenade": "strike",
        "armed clash": "clash",
        "non-state actor overtakes territory": "clash",
        "government regains territory": "clash",
        "attack": "attack",
        "abduction/forced disappearance": "attack",
        "sexual violence": "attack",
        "displacement": "displacement",
    }
    for i in range(len(given)):
        g = given[i]
        t, s = etype[i] or None, sub[i] or None
        if g:
            if g not in CATEGORIES:
                raise InputError(f"{source}:{i + line0}: unknown category {g!r} (use {', '.join(CATEGORIES)})")
            cat = g
        elif dialect == "ucdp" and violence[i] in UCDP_VIOLENCE:
            cat, t, s = UCDP_VIOLENCE[violence[i]]
        else:
            cat = sub_cat.get((s or "").lower()) or TYPE_CATEGORY.get((t or "").lower()) or _category_word(t)
        cats.append(cat)
        types.append(t)
        subs.append(s)
    return cats, types, subs


def _category_word(t: str | None) -> str:
    low = (t or "").lower()
    for word, cat in (
        ("strike", "strike"),
        ("shell", "strike"),
        ("bomb", "strike"),
        ("explos", "strike"),
        ("clash", "clash"),
        ("battle", "clash"),
        ("fight", "clash"),
        ("displace", "displacement"),
        ("idp", "displacement"),
        ("protest", "unrest"),
        ("riot", "unrest"),
        ("attack", "attack"),
        ("civilian", "attack"),
    ):
        if word in low:
            return cat
    return "other"


def _ints(values: pd.Series, what: str, source: str, line0: int) -> list[int | None]:
    out: list[int | None] = []
    for i, v in enumerate(values):
        v = v.replace(",", "").strip()
        if not v:
            out.append(None)
            continue
        try:
            x = float(v)
        except ValueError:
            raise InputError(f"{source}:{i + line0}: {what} {v!r} is not a number") from None
        if not np.isfinite(x) or x < 0 or x > 1e9:
            raise InputError(f"{source}:{i + line0}: {what} {v!r} is out of range")
        out.append(int(round(x)))
    return out


def _row_summary(columns: list[str], values) -> str:
    return "; ".join(f"{k}: {v}" for k, v in zip(columns, values, strict=True) if str(v).strip())[:500]


def _row_event_id(source: str, row: str, category: str) -> str:
    return hashlib.sha1(f"{Path(source).name}|row|{row}|{category}".encode()).hexdigest()[:16]


def read_table(
    path: str | Path,
    gazetteer: Gazetteer | None = None,
    place_col: str | None = None,
    country_col: str | None = None,
    date_col: str | None = None,
    category_col: str | None = None,
    date: dt.date | str | None = None,
    household_table: dict[str, float] | None = None,
) -> list[dict]:
    """Read one event table file into event records (see :func:`table_events`)."""
    df, hashtags, geometry = read_table_file(path)
    cmap = recognise_columns(list(df.columns), hashtags, place_col, country_col, date_col, category_col)
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    return table_events(df, str(path), gazetteer or Gazetteer.default(), cmap, geometry, d, household_table)


def is_table(path: str | Path) -> bool:
    return Path(path).suffix.lower() in TABLE_SUFFIXES


def table_paths(paths: Iterable[Path]) -> list[Path]:
    return [p for p in paths if is_table(p)]
