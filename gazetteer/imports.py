"""Import full GeoNames dumps into a second, user-owned index layer.

The bundled index holds cities500, countries and admin-1 units. A user who downloads a GeoNames dump
(``allCountries.zip`` or a country file such as ``AF.zip`` / ``AF.txt``, optionally with
``admin1CodesASCII.txt`` and ``admin2Codes.txt``) adds its districts, villages and other features with
``mapper gazetteer import PATH...``. The records go to ``imports.sqlite`` in the cache folder (same
schema as the bundled index plus the raw names, so the lookup keys can be rebuilt when the name folding
changes). The layer is opened next to the bundled index by :meth:`gazetteer.Gazetteer.default`.

GeoNames dump format (tab-separated, 19 columns, UTF-8): geonameid, name, asciiname, alternatenames
(comma-separated), latitude, longitude, feature class, feature code, country code, cc2, admin1 code,
admin2 code, admin3 code, admin4 code, population, elevation, dem, timezone, modification date.
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import normalize as _normalize_module
from .build import INDEXES, SCHEMA, name_keys, read_tsv
from .errors import DumpFormatError, GazetteerError
from .records import ADMIN1, ADMIN2, COUNTRY, PLACE
from .store import IMPORTS_HINT, open_error, replacing_database, write_error

IMPORTS_FILE = "imports.sqlite"
RAW_SCHEMA = "CREATE TABLE IF NOT EXISTS raw_names (place INTEGER NOT NULL, name TEXT NOT NULL, is_main INTEGER);"

# GeoNames feature classes -> our kinds (A and P refined by feature code below)
CLASS_KIND = {
    "H": "water",
    "L": "area",
    "R": "road",
    "S": "spot",
    "T": "terrain",
    "U": "undersea",
    "V": "vegetation",
}
ADMIN_CODE_KIND = {"ADM1": ADMIN1, "ADM1H": ADMIN1, "ADM2": ADMIN2, "ADM2H": ADMIN2, "ADM3": "admin3", "ADM4": "admin4"}
DEFAULT_CLASSES = "AP"


def key_version() -> str:
    """Changes when the name folding changes: the keys of an imports layer are rebuilt then."""
    h = hashlib.sha256()
    h.update(Path(_normalize_module.__file__).read_bytes())
    return h.hexdigest()[:12]


@dataclass
class ImportResult:
    path: Path
    added: int = 0
    replaced: int = 0
    per_file: dict[str, int] = field(default_factory=dict)


def _kind(fclass: str, fcode: str) -> str:
    if fclass == "P":
        return PLACE
    if fclass == "A":
        if fcode.startswith("PCL"):
            return COUNTRY
        return ADMIN_CODE_KIND.get(fcode, "admin division")
    return CLASS_KIND.get(fclass, "feature")


def _text_lines(path: Path) -> Iterator[tuple[str, int, str]]:
    """(member name, line number, line) for a .txt file or every data .txt inside a .zip."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as zf:
                members = [m for m in zf.namelist() if m.lower().endswith(".txt") and "readme" not in m.lower()]
                if not members:
                    raise DumpFormatError(f"{path}: no GeoNames .txt file inside the zip")
                for m in members:
                    with zf.open(m) as raw:
                        member = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                        for n, line in enumerate(member, start=1):
                            yield f"{path}!{m}", n, line
        else:
            with open(path, encoding="utf-8", newline="") as fh:
                for n, line in enumerate(fh, start=1):
                    yield str(path), n, line
    except FileNotFoundError:
        raise DumpFormatError(f"{path}: no such file") from None
    except UnicodeDecodeError as e:
        raise DumpFormatError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except zipfile.BadZipFile:
        raise DumpFormatError(f"{path}: not a readable zip file") from None
    except OSError as e:
        raise DumpFormatError(f"{path}: cannot read ({e.strerror or e})") from None


def read_code_names(path: Path) -> dict[str, str]:
    """``admin1CodesASCII.txt`` / ``admin2Codes.txt``: code ("AF.10" or "AF.10.1234") -> name."""
    out = {}
    for where, n, line in _text_lines(path):
        line = line.rstrip("\r\n")
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or "." not in cols[0] or not cols[1]:
            raise DumpFormatError(f"{where}:{n}: not an admin code line (expected CODE<TAB>NAME...)")
        out[cols[0]] = cols[1]
    return out


def parse_dump_line(where: str, n: int, line: str) -> tuple[tuple, list[str], str] | None:
    """One dump line -> (places row, names, admin2 code key) or None for a blank/comment line."""
    line = line.rstrip("\r\n")
    if not line.strip() or line.startswith("#"):
        return None
    cols = line.split("\t")
    if len(cols) != 19:
        raise DumpFormatError(f"{where}:{n}: expected 19 tab-separated GeoNames columns, found {len(cols)}")
    gid, name, ascii_name, alts, lat, lon, fclass, fcode, cc = cols[:9]
    a1, a2, pop = cols[10], cols[11], cols[14]
    if not gid.isdigit() or not name:
        raise DumpFormatError(f"{where}:{n}: geonameid {gid!r} is not a number or the name is empty")
    try:
        la, lo = float(lat), float(lon)
    except ValueError:
        raise DumpFormatError(f"{where}:{n}: latitude/longitude {lat!r}, {lon!r} are not numbers") from None
    if not (-90 <= la <= 90 and -180 <= lo <= 180):
        raise DumpFormatError(f"{where}:{n}: coordinates {la}, {lo} are out of range")
    try:
        population = int(pop or 0)
    except ValueError:
        raise DumpFormatError(f"{where}:{n}: population {pop!r} is not a whole number") from None
    kind = _kind(fclass, fcode)
    names = [name, ascii_name, *(a for a in alts.split(",") if a and not _looks_like_code(a))]
    if kind == ADMIN2:  # "Nad Ali District" is also "Nad Ali", and the other way round
        names += [f"{n} District" for n in names[:2] if "district" not in n.lower()]
        names += [n[: -len(" District")] for n in names[:2] if n.lower().endswith(" district")]
    row = (f"geonames:{gid}", name, la, lo, cc, a1, "", "", kind, population, "", "")
    return row, names, f"{cc}.{a1}.{a2}" if a2 else ""


def _looks_like_code(alt: str) -> bool:
    return (len(alt) <= 4 and alt.isupper() and alt.isascii()) or alt.startswith("http")


class _Writer:
    """Appends records to an imports database (a working copy moved into place at the end)."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con
        row = con.execute("SELECT coalesce(max(rowid), 0) FROM places").fetchone()
        self.next_rowid = row[0] + 1
        self.places: list[tuple] = []
        self.names: list[tuple] = []
        self.raw: list[tuple] = []
        self.admin2_of: list[tuple[int, str]] = []

    def add(self, row: tuple, names: list[str], admin2_key: str) -> bool:
        old = self.con.execute("SELECT rowid FROM places WHERE place_id=?", (row[0],)).fetchone()
        if old:
            self.con.execute("DELETE FROM places WHERE rowid=?", (old[0],))
            self.con.execute("DELETE FROM names WHERE place=?", (old[0],))
            self.con.execute("DELETE FROM raw_names WHERE place=?", (old[0],))
        rowid = self.next_rowid
        self.next_rowid += 1
        self.places.append((rowid, *row))
        self.names.extend((k, rowid, int(m)) for k, m in name_keys(names))
        self.raw.extend((rowid, nm, int(i == 0)) for i, nm in enumerate(dict.fromkeys(names)) if nm)
        if admin2_key:
            self.admin2_of.append((rowid, admin2_key))
        if len(self.places) >= 20_000:
            self.flush()
        return bool(old)

    def flush(self) -> None:
        c = self.con
        c.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", self.places)
        c.executemany("INSERT INTO names VALUES (?,?,?)", self.names)
        c.executemany("INSERT INTO raw_names VALUES (?,?,?)", self.raw)
        c.executemany("INSERT INTO admin2_of VALUES (?,?)", self.admin2_of)
        self.places, self.names, self.raw, self.admin2_of = [], [], [], []


def _prepare(con: sqlite3.Connection, fresh: bool) -> None:
    """Schema of an imports layer (when new) and the working tables an import needs."""
    if fresh:
        con.executescript(SCHEMA + INDEXES)
        con.execute("INSERT INTO meta VALUES ('key_version', ?)", (key_version(),))
    con.executescript(RAW_SCHEMA + "CREATE TEMP TABLE admin2_of (place INTEGER, key TEXT);")
    con.execute("CREATE INDEX IF NOT EXISTS raw_place ON raw_names(place)")
    con.execute("CREATE INDEX IF NOT EXISTS names_place ON names(place)")


def import_geonames(
    paths: Iterable[str | os.PathLike],
    target: str | os.PathLike,
    classes: str = DEFAULT_CLASSES,
    countries: Iterable[str] | None = None,
) -> ImportResult:
    """Add the records of GeoNames dump files to the imports layer at ``target`` (created if missing).

    ``classes``: GeoNames feature classes to keep (default ``AP``: administrative units and populated
    places; ``*`` keeps all). ``countries``: ISO codes to keep (default all). Admin code files
    (``admin1CodesASCII.txt``, ``admin2Codes.txt``) among ``paths`` name the admin-1/admin-2 units;
    without them the bundled admin-1 names and the dump's own ADM2 records are used. Importing a record
    again replaces it. All or nothing: on an error the previous layer is left as it was.
    """
    target = Path(target)
    dumps: list[Path] = []
    admin1_names: dict[str, str] = {
        f"{r['country_code']}.{r['admin1_code']}": r["name"] for r in read_tsv("admin1.tsv.gz")
    }
    admin2_names: dict[str, str] = {}
    for p in map(Path, paths):
        low = p.name.lower()
        if low.startswith("admin1codes"):
            admin1_names.update(read_code_names(p))
        elif low.startswith("admin2codes"):
            admin2_names.update(read_code_names(p))
        elif not p.exists():
            raise DumpFormatError(f"{p}: no such file")
        else:
            dumps.append(p)
    if not dumps and not (admin1_names or admin2_names):
        raise DumpFormatError("nothing to import: give a GeoNames dump (e.g. AF.zip, allCountries.zip, AF.txt)")
    keep_classes = None if classes == "*" else set(classes.upper())
    keep_cc = {c.upper() for c in countries} if countries else None
    result = ImportResult(target)
    fresh = not target.exists()
    try:
        with replacing_database(target, copy_existing=True) as con:
            _prepare(con, fresh)
            w = _Writer(con)
            for p in dumps:
                count = 0
                for where, n, line in _text_lines(p):
                    parsed = parse_dump_line(where, n, line)
                    if parsed is None:
                        continue
                    row, names, a2key = parsed
                    cols = line.split("\t")
                    if keep_classes is not None and cols[6] not in keep_classes:
                        continue
                    if keep_cc is not None and row[4] not in keep_cc:
                        continue
                    if row[8] == ADMIN2 and a2key and a2key not in admin2_names:
                        admin2_names[a2key] = row[1]
                    a1name = admin1_names.get(f"{row[4]}.{row[5]}", "")
                    row = (*row[:6], a1name, *row[7:11], f"import:{p.name}")
                    result.replaced += w.add(row, names, a2key)
                    count += 1
                result.per_file[str(p)] = count
                result.added += count
            w.flush()
            con.execute("CREATE TEMP TABLE IF NOT EXISTS a2names (key TEXT PRIMARY KEY, name TEXT)")
            con.executemany("INSERT OR REPLACE INTO a2names VALUES (?,?)", admin2_names.items())
            con.execute(
                "UPDATE places SET admin2 = coalesce((SELECT n.name FROM admin2_of o JOIN a2names n "
                "ON n.key = o.key WHERE o.place = places.rowid), '') WHERE rowid IN (SELECT place FROM admin2_of)"
            )
    except (OSError, sqlite3.Error) as e:
        if isinstance(e, GazetteerError):
            raise
        raise write_error(f"cannot write the imports layer {target}", e) from None
    return result


def ensure_current_keys(path: Path) -> Path:
    """Rebuild the lookup keys of an imports layer made with an older name folding (rare, one-off)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT v FROM meta WHERE k='key_version'").fetchone()
        finally:
            con.close()
    except sqlite3.Error as e:
        raise open_error(path, e, IMPORTS_HINT) from None
    if row and row[0] == key_version():
        return path
    try:
        return _rebuild_keys(path)
    except (OSError, sqlite3.Error) as e:
        raise write_error(f"cannot write the imports layer {path}", e) from None


def _rebuild_keys(path: Path) -> Path:
    with replacing_database(path, copy_existing=True) as con:
        _prepare(con, fresh=False)
        con.execute("DELETE FROM names")
        names: dict[int, list[str]] = {}
        for place, name, _m in con.execute("SELECT place, name, is_main FROM raw_names ORDER BY place, is_main DESC"):
            names.setdefault(place, []).append(name)
        con.executemany(
            "INSERT INTO names VALUES (?,?,?)",
            ((k, place, int(m)) for place, nms in names.items() for k, m in name_keys(nms)),
        )
        con.execute("INSERT OR REPLACE INTO meta VALUES ('key_version', ?)", (key_version(),))
    return path
