"""Event tables in: CSV, Excel, JSON and GeoJSON with ACLED, UCDP GED or HXL columns, or columns the user names.

Pure core (`normalise_table`, `table_events`) over a pandas DataFrame, column by column; file reading at the
edge (`read_table_file`), with limits checked before a parser can be made to run away. Rows with coordinates
keep them, and their admin hierarchy is filled by one spatial query for the whole table (admin-1 by the
polygon the point falls in, the rest from the nearest populated place); rows without are geocoded from
their most precise place column with the coarser ones as context, each distinct place once. The vocabulary
(column names, ACLED/UCDP codes, category words) lives in ``mapper/data/*.tsv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from gazetteer import ADMIN1, ADMIN2, COUNTRY, PLACE, Gazetteer, Place

from .errors import InputError, LimitError
from .households import household_size
from .ids import event_ids
from .reports import decode
from .schema import CATEGORIES, FIELDS

DATA = Path(__file__).parent / "data"
TABLE_SUFFIXES = {".csv", ".tsv", ".xlsx", ".json", ".geojson"}
# limits: a table over one of these is refused with a LimitError (exit 5) before it is parsed
MAX_TABLE_BYTES = 2_000_000_000  # file size
MAX_COLUMNS = 2_000  # columns in a header (ACLED has 31; pandas takes minutes over 100,000 names)
MAX_CELLS = 100_000_000  # rows x columns of an Excel sheet (about 3 M ACLED rows)
MAX_XLSX_UNCOMPRESSED = 1_000_000_000  # bytes of the workbook's unpacked parts (a zip bomb unpacks to 100x)
MAX_JSON_DEPTH = 64  # nesting of JSON arrays/objects (a GeoJSON MultiPolygon needs 8)
DATE_TYPE = pd.ArrowDtype(pa.date32())  # the one date type of a table's dates, as GeoParquet stores them
NEAREST_DEG = 0.5  # a located row's nearest populated place is looked for within this box


def _tsv(name: str) -> list[list[str]]:
    """Rows of a tab-separated vocabulary file in mapper/data (``#`` lines are comments)."""
    with open(DATA / name, encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip() and not line.startswith("#")]


def _aliases() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for canon, name in _tsv("table_columns.tsv"):
        out.setdefault(canon, []).append(name)
    return out


# canonical column -> names it goes by (lower-cased header or HXL hashtag, attributes sorted)
ALIASES: dict[str, list[str]] = _aliases()
# ACLED event types and sub-event types -> map category
TYPE_CATEGORY = {name: cat for level, name, cat in _tsv("acled_event_types.tsv") if level == "event_type"}
SUB_EVENT_CATEGORY = {name: cat for level, name, cat in _tsv("acled_event_types.tsv") if level == "sub_event_type"}
CATEGORY_WORDS = [(word, cat) for word, cat in _tsv("category_words.tsv")]
# UCDP GED: type_of_violence -> (category, event type, sub-event type); where_prec -> geo_precision
_UCDP = _tsv("ucdp_codes.tsv")
UCDP_VIOLENCE = {r[1]: (r[2], r[3], r[4]) for r in _UCDP if r[0] == "type_of_violence"}
UCDP_PRECISION = {r[1]: int(r[5]) for r in _UCDP if r[0] == "where_prec"}
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
    named: dict[str, str] | None = None,
) -> ColumnMap:
    """Map a table's header (and HXL hashtag row, if any) to canonical columns; ``named`` (canonical ->
    column, from ``--fatalities-col`` ... ``--id-col``, see :meth:`mapper.inputs.TableColumns.named`) and
    the ``*_col`` arguments win over the recognised names."""
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
        *(named or {}).items(),
        ("place", place_col),
        ("country", country_col),
        ("date", date_col),
        ("category", category_col),
    ):
        if given:
            if given not in header and given.strip().lower() not in lowered:
                option = OPTION_OF.get(canon, canon)
                raise InputError(f"--{option}-col: no column {given!r} (columns: {', '.join(header)})")
            out.columns[canon] = given if given in header else lowered[given.strip().lower()]
    return out


# canonical column -> the --NAME-col option naming it, where the two differ
OPTION_OF = {"displaced_people": "displaced", "displaced_families": "families", "actor1": "actor", "row_id": "id"}
# canonical column -> the output field it feeds, where the two differ (for the note on stderr)
FIELD_OF = {"row_id": "source_id", "source_name": "source", "notes": "source_text", "place": "location"}


def describe_columns(cmap: ColumnMap, header: list[str], source: str) -> str:
    """One line: which columns of a table fed which field, and which were ignored."""
    used = ", ".join(f"{FIELD_OF.get(canon, canon)} <- {col}" for canon, col in cmap.columns.items())
    taken = set(cmap.columns.values())
    ignored = [str(h) for h in header if h not in taken]
    return f"{source} ({cmap.dialect}): {used or 'no column recognised'}; " + (
        f"ignored: {', '.join(ignored)}" if ignored else "nothing ignored"
    )


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
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a table")
    if size > MAX_TABLE_BYTES:
        raise LimitError(f"{path}: {size / 1e9:.1f} GB is over the {MAX_TABLE_BYTES / 1e9:.0f} GB table limit")
    if size == 0:
        raise InputError(f"{path}: the table is empty")
    suffix = path.suffix.lower()
    geometry = None
    if suffix == ".xlsx":
        df = _read_xlsx(path)
    elif suffix in (".json", ".geojson"):
        df, geometry = _read_json(path, decode(_read_bytes(path), str(path)))
    else:
        df = _read_csv(path, decode(_read_bytes(path), str(path)), "\t" if suffix == ".tsv" else None)
    df.columns = [str(c).strip() for c in df.columns]
    _check_header(path, list(df.columns))
    hashtags = None
    if len(df) and is_hashtag_row(df.iloc[0]):
        hashtags = [str(v) for v in df.iloc[0]]
        df = df.iloc[1:].reset_index(drop=True)
        if geometry is not None:
            geometry = geometry.iloc[1:].reset_index(drop=True)
    return df, hashtags, geometry


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:  # PermissionError, EIO ...: as for an unreadable report
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None


def is_hashtag_row(values: Iterable) -> bool:
    """True if a table's first data row is an HXL hashtag row (half its cells or more start with ``#``)."""
    cells = [str(v).strip() for v in values]
    return sum(c.startswith("#") for c in cells) >= max(1, len(cells) // 2)


def _check_header(path: Path, header: list[str]) -> None:
    if len(header) > MAX_COLUMNS:
        raise LimitError(f"{path}: {len(header):,} columns is over the {MAX_COLUMNS:,}-column table limit")
    if len(set(header)) != len(header):
        seen: set[str] = set()
        dup = sorted({c for c in header if c in seen or seen.add(c)})  # type: ignore[func-returns-value]
        shown = ", ".join(repr(c) for c in dup[:5]) + (f" and {len(dup) - 5:,} more" if len(dup) > 5 else "")
        raise InputError(f"{path}: duplicate column names {shown}")


def sniff_separator(text: str, suffix: str = "") -> str:
    """The field separator of a CSV text (``\\t`` for .tsv; else sniffed among , ; tab | from its start)."""
    if suffix.lower() == ".tsv":
        return "\t"
    try:
        return csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def csv_header(path: Path, text: str, sep: str) -> list[str]:
    """The header of a CSV text, read from its first record before pandas sees it: an absurd header (too many
    columns, duplicate names) is refused here, in milliseconds, not after minutes of pandas' name mangling."""
    first = text[: text.find("\n") + 1] if "\n" in text else text
    if first.count(sep) + 1 > MAX_COLUMNS:  # before splitting a header of millions of names
        raise LimitError(f"{path}: {first.count(sep) + 1:,} columns is over the {MAX_COLUMNS:,}-column table limit")
    try:
        header = next(csv.reader(io.StringIO(text[:1_000_000], newline=""), delimiter=sep), [])
    except csv.Error:
        return []
    header = [h.strip() for h in header]
    _check_header(path, header)
    return header


def _read_csv(path: Path, text: str, sep: str | None) -> pd.DataFrame:
    sep = sep or sniff_separator(text)
    if text.strip():
        csv_header(path, text, sep)
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


def read_table_head(path: Path, size: int = 200_000) -> tuple[pd.DataFrame, str]:
    """(the first rows of a CSV/TSV file, its separator), checked as :func:`read_table_file` checks a whole
    table: for readers that take the rest in blocks (the dask engine). HXL tables are refused there."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(size)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    text = data.decode("utf-8", errors="replace")
    text = text[: text.rfind("\n") + 1] or text
    sep = sniff_separator(text, path.suffix)
    head = _read_csv(path, text, sep)
    if len(head) and is_hashtag_row(head.iloc[0]):
        raise InputError(f"{path}: HXL tables (a hashtag row) are read by the pandas engine only")
    return head, sep


def _first_ragged_line(path: Path, text: str, sep: str) -> str:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    width = None
    for row in reader:
        if width is None:
            width = len(row)
        elif len(row) > width:
            return f"{path}:{reader.line_num}"
    return str(path)


def _read_xlsx(path: Path) -> pd.DataFrame:
    """The first sheet of a workbook as strings, within the limits: the unpacked size of its parts is read
    from the zip directory before anything is unpacked, and rows x columns are counted while streaming."""
    import openpyxl

    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        if isinstance(e, PermissionError):
            raise InputError(f"{path}: cannot read ({e.strerror})") from None
        raise InputError(f"{path}: not a readable Excel workbook ({type(e).__name__}: {e})") from None
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        raise LimitError(
            f"{path}: the workbook unpacks to {unpacked / 1e9:.1f} GB, over the "
            f"{MAX_XLSX_UNCOMPRESSED / 1e9:.0f} GB limit for Excel tables (save it as CSV instead)"
        )
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            rows: list[list[str]] = []
            cells = 0
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_CELLS or len(row) > MAX_COLUMNS:
                    raise LimitError(
                        f"{path}: over the Excel table limit of {MAX_CELLS:,} cells (rows x columns) or "
                        f"{MAX_COLUMNS:,} columns (save it as CSV instead)"
                    )
                rows.append([_xlsx_cell(v) for v in row])
        finally:
            wb.close()
    except LimitError:
        raise
    except Exception as e:  # openpyxl raises many types for broken files
        raise InputError(f"{path}: not a readable Excel workbook ({type(e).__name__}: {e})") from None
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise InputError(f"{path}: the table is empty")
    header, body = rows[0], rows[1:]
    while header and not header[-1] and not any(len(r) >= len(header) and r[len(header) - 1] for r in body):
        header = header[:-1]  # trailing empty columns
    width = len(header)
    if any(len(r) > width and any(r[width:]) for r in body):
        raise InputError(f"{path}: malformed sheet (cells to the right of the last named column)")
    header = [h or f"Unnamed: {i}" for i, h in enumerate(header)]
    return pd.DataFrame([(r + [""] * width)[:width] for r in body], columns=header, dtype=object)


def _xlsx_cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date().isoformat()  # an Excel date cell
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# a high surrogate escape not followed by a low one, or a low one not after a high one
_LONE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings do not count), in
    chunks: no Python object is built, so a hostile file is refused before it costs memory."""
    bare = _STRING.sub("", text)
    depth = peak = 0
    step = 1 << 24
    for i in range(0, len(bare), step):
        b = np.frombuffer(bare[i : i + step].encode("ascii", "ignore"), dtype=np.uint8)
        delta = (b == ord("[")).astype(np.int32) + (b == ord("{")) - (b == ord("]")) - (b == ord("}"))
        if len(delta):
            run = depth + np.cumsum(delta)
            peak, depth = max(peak, int(run.max())), int(run[-1])
    return peak


def _read_json(path: Path, text: str) -> tuple[pd.DataFrame, pd.Series | None]:
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise LimitError(f"{path}: JSON nested {depth:,} levels deep, over the limit of {MAX_JSON_DEPTH}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from None
    except RecursionError:
        raise LimitError(f"{path}: JSON nested too deeply") from None
    if "\\u" in text and re.search(r"\\u[dD][89abcdefABCDEF]", text):
        _refuse_lone_surrogates(path, text, data)
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


def _refuse_lone_surrogates(path: Path, text: str, data) -> None:
    """A ``\\ud800`` escape not paired with a low surrogate is no character: no output format can hold it."""

    def strings(v):
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            for k, x in v.items():
                yield k
                yield from strings(x)
        elif isinstance(v, list):
            for x in v:
                yield from strings(x)

    for s in strings(data):
        if _LONE_SURROGATE.search(s):
            m = _LONE_ESCAPE.search(text)
            line = text.count("\n", 0, m.start()) + 1 if m else None
            where = f"{path}:{line}" if line else str(path)
            esc = m.group(0) if m else "a \\uD800-\\uDFFF escape"
            raise InputError(
                f"{where}: {esc} is half of a UTF-16 surrogate pair, not a character (fix or remove that escape)"
            )


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


# -- the pure core ---------------------------------------------------------------------------------

EVENT_COLUMNS = [*FIELDS, "lat", "lon"]


def table_events(
    df: pd.DataFrame,
    source: str,
    gazetteer: Gazetteer,
    columns: ColumnMap,
    geometry: pd.Series | None = None,
    date: dt.date | None = None,
    household_table: dict[str, float] | None = None,
    first_row: int = 0,
) -> pd.DataFrame:
    """Events (schema fields + lat/lon, one row per table row, schema dtypes) from a table of strings, built
    column by column; ``review`` says what to check.

    ``first_row`` is the position of ``df``'s first row in the whole table (a partition of a big file), so
    row numbers in errors, sources and event ids are the file's."""
    n = len(df)
    col = columns.columns
    blank = np.full(n, "", dtype=object)

    def get(canon: str) -> np.ndarray:
        if canon in col:
            return _stripped(df[col[canon]])
        return blank

    if "date" not in col and date is None:
        raise InputError(f"{source}: no date column (name it with --date-col, or give --date for all rows)")
    if not any(c in col for c in ("place", "admin2", "admin1", "country", "lat")) and geometry is None:
        raise InputError(
            f"{source}: no place or coordinate columns (name the place column with --place-col; "
            f"found columns: {', '.join(map(str, df.columns))})"
        )
    line0 = (3 if columns.dialect == "hxl" else 2) + first_row  # file line of the first data row
    lines = np.arange(line0, line0 + n)
    dates = date_column(get("date"), date, source, line0)
    category, etype, subtype = _categories(get, columns.dialect, source, line0)

    lat_text, lon_text = get("lat"), get("lon")
    lat, lat_bad = coordinate_column(lat_text, "lat")
    lon, lon_bad = coordinate_column(lon_text, "lon")
    if geometry is not None:
        gx = np.array([g[0] for g in geometry], dtype=float)
        gy = np.array([g[1] for g in geometry], dtype=float)
        lon, lat = np.where(np.isnan(lon) & ~lon_bad, gx, lon), np.where(np.isnan(lat) & ~lat_bad, gy, lat)
    bad = (~np.isnan(lat) & ((lat < -90) | (lat > 90))) | (~np.isnan(lon) & ((lon < -180) | (lon > 180)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{source}:{i + line0}: coordinates {lat[i]}, {lon[i]} are out of range")
    has_xy = ~np.isnan(lat) & ~np.isnan(lon)
    # coordinates written but not read (text that is no coordinate, or one of the pair missing): say so
    unread = ~has_xy & ((lat_text != "") | (lon_text != ""))

    country_names = get("country")
    cc = _country_codes(get("country_code"), country_names, gazetteer)
    place_codes, place_names = pd.factorize(get("place"))
    places = np.array([_PLACE_SUFFIX.sub("", p) for p in place_names] or [""], dtype=object)[place_codes]
    admin2, admin1 = get("admin2"), get("admin1")
    written = np.where(
        places != "", places, np.where(admin2 != "", admin2, np.where(admin1 != "", admin1, country_names))
    )

    # rows without a point: geocoded by name (each distinct place once)
    distinct: list[Place | None] = [None]  # the places rows point to; 0 is "none"
    place_of = np.zeros(n, dtype=np.int64)
    precision = np.full(n, np.nan)
    confidence = np.full(n, 0.95)
    review = np.full(n, None, dtype=object)
    todo = np.flatnonzero(~has_xy)
    if len(todo):
        for row, g in zip(
            todo.tolist(), _geocode_rows(places[todo], admin2[todo], admin1[todo], cc[todo], gazetteer), strict=True
        ):
            if g.place is not None:
                place_of[row] = len(distinct)
                distinct.append(g.place)
            precision[row] = np.nan if g.precision is None else g.precision
            confidence[row] = g.confidence
            review[row] = g.reason
    for row in np.flatnonzero(unread).tolist():
        what = f"unreadable coordinates {lat_text[row]!r}, {lon_text[row]!r}"
        review[row] = f"{what}; placed by name ({review[row]})" if review[row] else f"{what}; placed by name"
    # rows with a point: the admin hierarchy from one spatial query for the whole table
    located = np.flatnonzero(has_xy)
    poly_cc = np.full(n, "", dtype=object)
    poly_a1 = np.full(n, "", dtype=object)
    poly_key = np.full(n, "", dtype=object)
    if len(located):
        from gazetteer.nearest import nearest_places, unique_points

        back, ulat, ulon = unique_points(lat[located], lon[located])
        near = nearest_places(gazetteer, ulat, ulon, within_deg=NEAREST_DEG)
        place_of[located] = np.arange(len(distinct), len(distinct) + len(near))[back]
        distinct.extend(near)
        key, name, iso = admin1_at(ulat, ulon)
        poly_key[located], poly_a1[located], poly_cc[located] = key[back], name[back], iso[back]
        given = pd.to_numeric(pd.Series(get("geo_precision")[located]).replace("", np.nan), errors="coerce")
        if columns.dialect == "ucdp":
            given = pd.Series(get("geo_precision")[located]).map(UCDP_PRECISION).astype(float)
        g = given.to_numpy(dtype=float)
        precision[located] = np.where((g >= 1) & (g <= 3), np.trunc(g), 1)

    def attr(f, none) -> np.ndarray:
        return np.array([none] + [none if p is None else f(p) for p in distinct[1:]], dtype=object)[place_of]

    p_name = attr(lambda p: p.name, "")
    p_id = attr(lambda p: p.place_id, None)
    p_cc = attr(lambda p: p.country_code, "")
    p_a1 = attr(lambda p: p.admin1, "")
    p_a1key = attr(lambda p: f"{p.country_code}.{p.admin1_code}", "")
    p_a2 = attr(lambda p: p.admin2, "")
    p_lat = attr(lambda p: p.lat, np.nan).astype(float)
    p_lon = attr(lambda p: p.lon, np.nan).astype(float)
    # a located row: admin-1 (and country) of the polygon it falls in, else of its nearest place; admin-2 of
    # the nearest place only when that place lies in the same admin-1
    in_poly = poly_a1 != ""
    fill_cc = np.where(in_poly, poly_cc, p_cc)
    fill_a1 = np.where(in_poly, poly_a1, p_a1)
    fill_a2 = np.where(in_poly & (p_a1key != poly_key), "", p_a2)
    cc_out = np.where(cc != "", cc, fill_cc)
    admin1_out = np.where(admin1 != "", admin1, fill_a1)
    admin2_out = np.where(admin2 != "", admin2, fill_a2)
    location = np.where(has_xy, np.where(written != "", written, p_name), np.where(p_name != "", p_name, written))
    place_id = p_id.copy()
    place_id[has_xy] = None

    tprec = pd.to_numeric(pd.Series(get("time_precision")).replace("", np.nan), errors="coerce").to_numpy(dtype=float)
    fatalities = _ints(get("fatalities"), "fatalities", source, line0)
    people = _ints(get("displaced_people"), "displaced people", source, line0)
    families = _ints(get("displaced_families"), "displaced families", source, line0)
    hh = np.full(n, np.nan)
    from_families = ~np.isnan(families) & np.isnan(people)
    if from_families.any():
        sizes = {c: household_size(c, household_table) for c in pd.unique(cc_out[from_families])}
        hh[from_families] = [sizes[c] for c in cc_out[from_families]]
        people = np.where(from_families, np.round(families * hh), people)
    if "category" not in col and "event_type" not in col:
        shift = ~np.isnan(people) & (category == "other")
        category = np.where(shift, "displacement", category)
        etype = np.where(shift, "Displacement", etype)
        subtype = np.where(shift, "Displacement", subtype)

    notes, source_names, row_ids = get("notes"), get("source_name"), get("row_id")
    text = notes.copy()
    empty = np.flatnonzero(notes == "")
    if len(empty):
        names = [str(c) for c in df.columns]
        cells = df.iloc[empty].to_numpy(dtype=object)
        text[empty] = [_row_summary(names, r) for r in cells]
    src = np.array(
        [f"{source}#row={ln}" + (f" ({s})" if s else "") for ln, s in zip(lines.tolist(), source_names, strict=True)],
        dtype=object,
    )
    row_keys = np.where(row_ids != "", row_ids, lines.astype(str).astype(object))
    ids = event_ids(source, np.full(n, "row", dtype=object), row_keys, category)
    out = pd.DataFrame(
        {
            "event_id": ids,
            "category": category,
            "event_type": etype,
            "sub_event_type": subtype,
            "event_date": dates,
            "time_precision": np.where((tprec >= 1) & (tprec <= 3), np.trunc(tprec), 1),
            "location": _or_none(location),
            "place_id": place_id,
            "country_code": _or_none(cc_out),
            "admin1": _or_none(admin1_out),
            "admin2": _or_none(admin2_out),
            "geo_precision": precision,
            "location_text": _or_none(written),
            "actor1": _or_none(get("actor1")),
            "actor2": _or_none(get("actor2")),
            "fatalities": fatalities,
            "fatalities_text": None,
            "displaced_families": families,
            "displaced_people": people,
            "household_size": hh,
            "destination": None,
            "report_date": None,
            "source": src,
            "source_id": _or_none(row_ids),
            "source_text": text,
            "confidence": confidence,
            "review": review,
            "lat": np.where(has_xy, lat, p_lat),
            "lon": np.where(has_xy, lon, p_lon),
        },
        index=pd.RangeIndex(n),
    )
    for field_name, dtype in FIELDS.items():
        if field_name == "event_date":
            continue
        if dtype == "string":
            out[field_name] = _string_column(out[field_name].to_numpy(dtype=object))
        else:
            out[field_name] = out[field_name].astype(dtype)
    return out


def _stripped(column: pd.Series) -> np.ndarray:
    """A column of text cells as a numpy array of stripped Python strings ("" for missing)."""
    if not pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
        column = column.astype("str")
    return column.str.strip().to_numpy(dtype=object, na_value="")


def _string_column(values: np.ndarray) -> pd.arrays.ArrowStringArray:
    """Python strings (None or NaN for null) as the schema's "string" column, built by Arrow in one call."""
    return pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string(), from_pandas=True))


def _or_none(values: np.ndarray) -> np.ndarray:
    """Empty strings as None (null in every output)."""
    out = values.astype(object)
    out[out == ""] = None
    return out


def admin1_at(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(GeoNames admin-1 key "AF.10", admin-1 name, country code) of the admin-1 polygon each point falls
    in ("" outside every named polygon): one query of the polygons against a tree of the points."""
    import shapely

    polys, names, isos, keys = _admin1_polygons()
    n = len(lat)
    key = np.full(n, "", dtype=object)
    name = np.full(n, "", dtype=object)
    iso = np.full(n, "", dtype=object)
    if not n:
        return key, name, iso
    tree = shapely.STRtree(shapely.points(lon, lat))
    poly, point = tree.query(polys, predicate="contains")
    order = np.lexsort((poly, point))  # a point in two polygons (overlap): the first polygon
    poly, point = poly[order], point[order]
    first = np.ones(len(point), dtype=bool)
    first[1:] = point[1:] != point[:-1]
    poly, point = poly[first], point[first]
    key[point], name[point], iso[point] = keys[poly], names[poly], isos[poly]
    return key, name, iso


@lru_cache(maxsize=1)
def _admin1_polygons() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from .geo import admin1_polygons

    g = admin1_polygons()
    g = g[g["name"].notna() & (g["name"].astype(str) != "")]
    return (
        g.geometry.to_numpy(),
        g["name"].astype(str).to_numpy(dtype=object),
        g["iso_a2"].astype(str).to_numpy(dtype=object),
        g["key"].astype(str).to_numpy(dtype=object),
    )


def factorize_rows(*columns: np.ndarray) -> tuple[np.ndarray, list[tuple]]:
    """(code of each row, the distinct rows as tuples) of aligned columns: each column hashed on its own,
    the codes combined as integers (no tuple per row is built)."""
    n = len(columns[0])
    combined = np.zeros(n, dtype=np.int64)
    parts = []
    for c in columns:
        codes, uniques = pd.factorize(c, use_na_sentinel=False)
        parts.append((codes, np.asarray(uniques, dtype=object)))
        combined, _ = pd.factorize(combined * max(1, len(uniques)) + codes)
        combined = combined.astype(np.int64)
    first = np.full(int(combined.max()) + 1 if n else 0, -1, dtype=np.int64)
    first[combined[::-1]] = np.arange(n - 1, -1, -1)  # the first row of each distinct combination
    rows = list(zip(*(u[c[first]] for c, u in parts), strict=True)) if n else []
    return combined, rows


@dataclass
class _Geo:
    place: Place | None
    precision: int | None
    reason: str | None
    confidence: float


def _geocode_rows(
    places: np.ndarray, admin2: np.ndarray, admin1: np.ndarray, cc: np.ndarray, gz: Gazetteer
) -> list[_Geo]:
    """Each distinct (place, admin2, admin1, country) geocoded once; most precise column first."""
    codes, uniques = factorize_rows(places, admin2, admin1, cc)
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


def _country_codes(codes: np.ndarray, names: np.ndarray, gz: Gazetteer) -> np.ndarray:
    """ISO alpha-2 per row from a code column (alpha-2/alpha-3/ACLED numeric iso ignored) or country names."""
    table: dict[str, str] = {"": ""}
    for value in pd.unique(np.concatenate([codes, names])):
        v = str(value).strip()
        if v in table:
            continue
        if len(v) == 2 and v.isalpha():
            table[v] = v.upper() if gz.country(v) else ""
            continue
        hit = gz.search(v, kind=COUNTRY, limit=1, fuzzy=False)
        table[v] = hit[0].place.country_code if hit else ""
    from_codes = np.array([table[v] for v in codes], dtype=object)
    from_names = np.array([table[v] for v in names], dtype=object)
    return np.where(from_codes != "", from_codes, from_names)


# -- dates ------------------------------------------------------------------------------------------

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%d %b %Y",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%B %d, %Y",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
)


def parse_table_date(value: str) -> dt.date | None:
    """A table cell's date: ISO, ACLED's "12 October 2020", d/m/Y, d.m.Y, "October 12, 2020", an ISO
    timestamp, or epoch seconds/milliseconds; None if it is none of these."""
    v = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(v[:19] if "T" in v or fmt.endswith("%S") else v, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{10,13}", v):  # epoch seconds or milliseconds
        try:
            return dt.datetime.fromtimestamp(int(v) / (1000 if len(v) == 13 else 1), dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    return None


def date_column(values, default: dt.date | None, source: str, line0: int = 2) -> pd.Series:
    """A column of date cells as the one date type (:data:`DATE_TYPE`, Arrow date32), each distinct value
    parsed once; an empty cell takes ``default``; a cell that is no date is a clear error naming its line."""
    cells = pd.Series([str(v).strip() for v in values], dtype=object)
    codes, uniques = pd.factorize(cells)
    if default is None and "" in set(uniques):
        i = int(np.flatnonzero(cells.to_numpy() == "")[0])
        raise InputError(f"{source}:{i + line0}: the date is empty (give --date for rows without one)")
    uniq = np.asarray(uniques, dtype=object)
    days = np.full(len(uniq), np.iinfo(np.int32).min, dtype=np.int64)
    if default is not None:
        days[uniq == ""] = (default - dt.date(1970, 1, 1)).days
    for fmt in _DATE_FORMATS[:3]:  # the common forms, all distinct values at once
        left = np.flatnonzero((days == np.iinfo(np.int32).min) & (uniq != ""))
        if not len(left):
            break
        got = pd.to_datetime(pd.Series(uniq[left], dtype=object), format=fmt, errors="coerce")
        ok = got.notna().to_numpy()
        days[left[ok]] = (got[ok].to_numpy(dtype="datetime64[D]").astype(np.int64)).tolist()
    for j in np.flatnonzero((days == np.iinfo(np.int32).min) & (uniq != "")).tolist():
        d = parse_table_date(uniq[j])
        if d is None:
            i = int(np.flatnonzero(cells.to_numpy() == uniq[j])[0])
            raise InputError(f"{source}:{i + line0}: {uniq[j]!r} is not a date (use YYYY-MM-DD)")
        days[j] = (d - dt.date(1970, 1, 1)).days
    days = days.astype(np.int32) if len(days) else np.zeros(1, dtype=np.int32)
    arr = pa.array(days[codes] if len(codes) else np.array([], dtype=np.int32), type=pa.int32()).cast(pa.date32())
    return pd.Series(arr, dtype=DATE_TYPE, index=cells.index)


# -- coordinates --------------------------------------------------------------------------------------

_HEMI = {"N": 1, "S": -1, "E": 1, "W": -1}
_AXIS_HEMI = {"lat": "NS", "lon": "EW"}
_DMS = re.compile(
    r"""^\s*(?P<h1>[NSEW])?\s*(?P<sign>[-+−])?\s*
    (?P<d>\d+(?:[.,]\d+)?)\s*(?:°|º|˚|d|deg|\s)?\s*
    (?:(?P<m>\d+(?:[.,]\d+)?)\s*(?:['′’m]|min)?\s*)?
    (?:(?P<s>\d+(?:[.,]\d+)?)\s*(?:["″”]|''|′′|s|sec)?\s*)?
    (?P<h2>[NSEW])?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def parse_coordinate(text: str, axis: str) -> float | None:
    """A latitude (``axis="lat"``) or longitude written as text, in degrees; None if it cannot be read.

    Reads decimal degrees with a point or a decimal comma (``34.5``, ``34,5``, ``-64.37``), with a
    hemisphere letter before or after (``34.5 N``, ``W 64.3``), and degrees-minutes(-seconds) with or without
    symbols (``34°20′N``, ``34°20'30"N``, ``34 20 30 N``, ``34°20.5'S``). A hemisphere letter of the other axis
    (``34 E`` as a latitude), minutes or seconds of 60 or more, or a sign together with S/W are not read."""
    t = text.strip().replace("\u00a0", " ")
    if not t:
        return None
    try:
        return float(t)
    except ValueError:
        pass
    m = _DMS.match(t)
    if m is None or (m.group("h1") and m.group("h2")):
        return None
    hemi = (m.group("h1") or m.group("h2") or "").upper()
    if hemi and hemi not in _AXIS_HEMI[axis]:
        return None
    if hemi and m.group("sign"):
        return None

    def num(s: str | None) -> float:
        return float(s.replace(",", ".")) if s else 0.0

    deg, mins, secs = num(m.group("d")), num(m.group("m")), num(m.group("s"))
    if mins >= 60 or secs >= 60 or (m.group("s") and not m.group("m")):
        return None
    if (m.group("m") or m.group("s")) and ("." in m.group("d") or "," in m.group("d")):
        return None  # decimal degrees followed by minutes
    value = deg + mins / 60 + secs / 3600
    if m.group("sign") in ("-", "−") or _HEMI.get(hemi, 1) < 0:
        value = -value
    return value


def coordinate_column(values: np.ndarray, axis: str) -> tuple[np.ndarray, np.ndarray]:
    """(degrees, NaN where empty or unreadable; mask of non-empty cells that could not be read) of a column of
    coordinate text: numbers in one vectorised pass, the rest through :func:`parse_coordinate` once per value."""
    cells = pd.Series(values, dtype=object)  # stripped text
    out = pd.to_numeric(cells.replace("", np.nan), errors="coerce").to_numpy(dtype=float, copy=True)
    rest = np.flatnonzero(np.isnan(out) & (cells != "").to_numpy())
    if len(rest):
        table = {v: parse_coordinate(v, axis) for v in pd.unique(cells.iloc[rest])}
        out[rest] = [np.nan if table[v] is None else table[v] for v in cells.iloc[rest]]
    out[~np.isfinite(out)] = np.nan
    unread = np.isnan(out) & (cells != "").to_numpy()
    return out, unread


# -- categories, figures ----------------------------------------------------------------------------


def acled_category(event_type: str | None, sub_event_type: str | None) -> str:
    """Our map category of an ACLED event type and sub-event type (``mapper/data/acled_event_types.tsv``),
    else of a word in a free-text type (``category_words.tsv``), else "other"."""
    return (
        SUB_EVENT_CATEGORY.get((sub_event_type or "").lower())
        or TYPE_CATEGORY.get((event_type or "").lower())
        or _category_word(event_type)
    )


def _categories(get, dialect: str, source: str, line0: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    given = np.array([g.lower() for g in get("category")], dtype=object)
    etype, sub, violence = get("event_type"), get("sub_event_type"), get("type_of_violence")
    codes, uniques = factorize_rows(given, etype, sub, violence if dialect == "ucdp" else np.full(len(given), ""))
    rows = []
    for g, t, s, v in uniques:
        t, s = t or None, s or None
        if g:
            if g not in CATEGORIES:
                i = int(np.flatnonzero(given == g)[0])
                raise InputError(f"{source}:{i + line0}: unknown category {g!r} (use {', '.join(CATEGORIES)})")
            rows.append((g, t, s))
        elif v in UCDP_VIOLENCE:
            rows.append(UCDP_VIOLENCE[v])
        else:
            rows.append((acled_category(t, s), t, s))
    table = np.array(rows or [("", None, None)], dtype=object).reshape(-1, 3)
    picked = table[codes] if len(codes) else np.empty((0, 3), dtype=object)
    return picked[:, 0].copy(), picked[:, 1].copy(), picked[:, 2].copy()


def _category_word(t: str | None) -> str:
    low = (t or "").lower()
    for word, cat in CATEGORY_WORDS:
        if word in low:
            return cat
    return "other"


def _ints(values: np.ndarray, what: str, source: str, line0: int) -> np.ndarray:
    """Whole numbers (thousands commas allowed) as floats, NaN for empty cells; else a clear error."""
    cells = pd.Series([str(v).replace(",", "").strip() for v in values], dtype=object)
    x = pd.to_numeric(cells.replace("", np.nan), errors="coerce").to_numpy(dtype=float)
    wrong = np.isnan(x) & (cells != "").to_numpy()
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        raise InputError(f"{source}:{i + line0}: {what} {cells.iloc[i]!r} is not a number")
    out_of_range = ~np.isnan(x) & (~np.isfinite(x) | (x < 0) | (x > 1e9))
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range)[0])
        raise InputError(f"{source}:{i + line0}: {what} {cells.iloc[i]!r} is out of range")
    return np.round(x)


def _row_summary(columns: list[str], values) -> str:
    return "; ".join(f"{k}: {v}" for k, v in zip(columns, values, strict=True) if str(v).strip())[:500]


def read_table(
    path: str | Path,
    gazetteer: Gazetteer | None = None,
    place_col: str | None = None,
    country_col: str | None = None,
    date_col: str | None = None,
    category_col: str | None = None,
    date: dt.date | str | None = None,
    household_table: dict[str, float] | None = None,
    named: dict[str, str] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Read one event table file into events, one row per table row (see :func:`table_events`);
    ``on_note`` receives one line saying which columns were used for what and which were ignored."""
    df, hashtags, geometry = read_table_file(path)
    cmap = recognise_columns(list(df.columns), hashtags, place_col, country_col, date_col, category_col, named)
    if on_note is not None:
        on_note(describe_columns(cmap, [str(c) for c in df.columns], str(path)))
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    return table_events(df, str(path), gazetteer or Gazetteer.default(), cmap, geometry, d, household_table)


def is_table(path: str | Path) -> bool:
    return Path(path).suffix.lower() in TABLE_SUFFIXES


def table_paths(paths: Iterable[Path]) -> list[Path]:
    return [p for p in paths if is_table(p)]
