"""One review folder: its inputs, its outputs (the files ``mapper map`` writes) and the analyst's changes.

FOLDER/
  inputs/          report files and tables (uploads land here; an existing file is never overwritten)
  map.html         \\
  events.geojson    > what ``mapper map FOLDER/inputs --out-dir FOLDER`` writes, rewritten atomically
  review.csv       /
  overrides.csv    the analyst's place decisions (read by ``mapper map`` too)
  changes.csv      the audit log: every place pick, edit and undo (who, when, old and new value)
  exports/         events.gpkg, events.csv, ... written by the export buttons

Every path the web app touches goes through :meth:`Workspace.inside`, which refuses anything that
resolves outside FOLDER (``..``, absolute paths, symlinks pointing out).
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError, LimitError, MapperError
from ..geo import distance_km

OUTPUTS = ("map.html", "events.geojson", "review.csv")
OVERRIDES = "overrides.csv"
CHANGES = "changes.csv"
CHANGE_COLUMNS = ["seq", "when", "who", "action", "event_id", "field", "old_value", "new_value"]
# the overrides columns as README documents them, plus the event the row was written for (issue 19: scope)
OVERRIDE_COLUMNS = ["name", "country", "lat", "lon", "place_id", "kind", "admin1", "event_id"]
EDITABLE = ("category", "event_date", "fatalities", "displaced_families", "displaced_people")
FIGURES = ("fatalities", "displaced_families", "displaced_people")
EXPORT_SUFFIX = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv", "parquet": ".parquet", "kml": ".kml"}
DEFAULT_TABLE_UPLOAD = 100 * 1024 * 1024
MAX_NAME = 200
_BAD_NAME = re.compile(r"[/\\\x00-\x1f\x7f]")


class PathError(InputError):
    """A name or path that would leave the review folder, or is not a plain file name."""


def map_folder(
    inputs: list[Path],
    out_dir: Path,
    title: str = "Incident map",
    overrides: Path | None = None,
    date: str | None = None,
    on_note: Callable[[str], None] | None = None,
    adjust: Callable[[Any], Any] | None = None,
):
    """What ``mapper map INPUTS --out-dir OUT_DIR`` does (cli.map_cmd, pandas engine), as library calls:
    events of every input (OUT_DIR/overrides.csv on top), then map.html, events.geojson and review.csv,
    each written atomically. ``adjust`` may change the events before anything is written (the analyst's
    recorded edits). Returns the events. This is the one place to swap for ``mapper.pipeline.map_job``."""
    from ..atomic import write_text
    from ..export import to_file
    from ..maps import make_map, map_html
    from ..pipeline import events_from_files
    from ..review import write_review

    events = events_from_files(list(inputs), date=date, overrides=overrides, on_note=on_note)
    if adjust is not None:
        events = adjust(events)
    page = map_html(make_map(events, title=title, cluster=True))
    to_file(events, out_dir / "events.geojson")
    write_text(out_dir / "map.html", page)
    write_review(events, out_dir / "review.csv")
    return events


def check_name(raw: str) -> str:
    """A plain file name with a report or table suffix, or PathError."""
    from ..reports import REPORT_SUFFIXES
    from ..tables import TABLE_SUFFIXES

    name = raw.strip()
    if not name or name != raw or name in (".", "..") or name.startswith(".") or _BAD_NAME.search(name):
        raise PathError(f"{raw!r}: not a plain file name")
    if len(name) > MAX_NAME:
        raise PathError(f"{name[:40]}...: file name longer than {MAX_NAME} characters")
    suffix = Path(name).suffix.lower()
    if suffix not in REPORT_SUFFIXES | TABLE_SUFFIXES:
        known = ", ".join(sorted(REPORT_SUFFIXES | TABLE_SUFFIXES))
        raise InputError(f"{name}: not a report or table file (use {known})")
    return name


def _text(v) -> str:
    if v is None:
        return ""
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


def _num(v) -> float | int | None:
    t = _text(v)
    if not t:
        return None
    f = float(t)
    return int(f) if f.is_integer() else f


km = distance_km


@dataclass
class Change:
    seq: int
    when: str
    who: str
    action: str  # edit | place | undo
    event_id: str
    field: str
    old_value: str
    new_value: str

    def as_dict(self) -> dict[str, str]:
        return {k: str(getattr(self, k)) for k in CHANGE_COLUMNS}


class Workspace:
    """A review folder and the state of the page over it. Methods that change files hold one lock, so two
    requests never rebuild at the same time."""

    def __init__(
        self,
        folder: str | Path,
        title: str = "Incident map",
        date: str | None = None,
        who: str | None = None,
        max_table_bytes: int = DEFAULT_TABLE_UPLOAD,
    ):
        self.root = Path(folder).resolve()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise InputError(f"{folder}: cannot create the review folder ({e.strerror})") from None
        if not self.root.is_dir():
            raise InputError(f"{folder}: not a folder")
        self.title = title
        self.date = date
        self.who = who or _user()
        self.max_table_bytes = max_table_bytes
        self.lock = threading.RLock()
        self.events: Any = None  # GeoDataFrame after the first build
        self.version = 0
        self.notes: list[str] = []
        self.error: str | None = None
        self._review: list[dict] = []
        self._gz: Any = None

    # -- paths ------------------------------------------------------------------------------------
    def inside(self, rel: str | Path) -> Path:
        """FOLDER/rel, refused (PathError) when it resolves outside FOLDER."""
        rel = Path(rel)
        if rel.is_absolute():
            raise PathError(f"{rel}: absolute paths are not allowed")
        p = self.root / rel
        if not p.resolve().is_relative_to(self.root):
            raise PathError(f"{rel}: outside the review folder")
        return p

    @property
    def inputs_dir(self) -> Path:
        d = self.inside("inputs")
        d.mkdir(exist_ok=True)
        return self.inside("inputs")

    def input_files(self) -> tuple[list[Path], list[str]]:
        """The report and table files in FOLDER/inputs (sorted, as ``mapper map FOLDER/inputs`` finds them)
        and a note for every file skipped because it leads outside FOLDER."""
        from ..reports import REPORT_SUFFIXES
        from ..tables import TABLE_SUFFIXES

        d = self.inputs_dir
        files, skipped = [], []
        for f in sorted(p for p in d.rglob("*") if p.is_file() and not p.name.startswith(".")):
            if f.suffix.lower() not in REPORT_SUFFIXES | TABLE_SUFFIXES:
                continue
            if not f.resolve().is_relative_to(self.root):
                skipped.append(f"{f.relative_to(self.root)}: skipped, it leads outside the review folder")
                continue
            files.append(f)
        return files, skipped

    def overrides_path(self) -> Path | None:
        p = self.inside(OVERRIDES)
        return p if p.exists() else None

    # -- building ---------------------------------------------------------------------------------
    def gazetteer(self):
        if self._gz is None:
            from gazetteer import Gazetteer

            self._gz = Gazetteer.default()
        return self._gz

    def build(self) -> None:
        """Reads every input and rewrites map.html, events.geojson and review.csv (atomically each)."""
        with self.lock:
            files, skipped = self.input_files()
            notes = list(skipped)
            if not files:
                self.events, self._review, self.notes, self.error = None, [], notes, None
                self.version += 1
                return
            changes = self.active_changes()

            def adjust(events):
                return self._apply_edits(events, changes, notes)

            try:
                self.events = map_folder(
                    files,
                    self.root,
                    self.title,
                    overrides=self.overrides_path(),
                    date=self.date,
                    on_note=notes.append,
                    adjust=adjust,
                )
            except MapperError as e:
                self.error = str(e)
                raise
            self.error = None
            self.notes = [self._short(n) for n in notes]
            self._review = self._review_rows(self.events)
            self.version += 1

    def _short(self, text: str) -> str:
        """Messages name files relative to FOLDER."""
        return text.replace(str(self.root) + os.sep, "")

    # -- uploads ----------------------------------------------------------------------------------
    def upload_limit(self, name: str) -> int:
        from ..reports import MAX_REPORT_BYTES, REPORT_SUFFIXES

        return MAX_REPORT_BYTES if Path(name).suffix.lower() in REPORT_SUFFIXES else self.max_table_bytes

    def limit_error(self, name: str, size: int) -> LimitError:
        limit = self.upload_limit(name)
        return LimitError(
            f"{name}: {size / 1e6:.1f} MB is over the {limit // 2**20} MB upload limit for this file type"
        )

    def save_upload(self, name: str, chunks: Iterable[bytes]) -> dict:
        """Stores an upload in FOLDER/inputs under ``name`` (or ``stem-2.ext`` if a different file has that
        name; nothing is overwritten), after reading it with the same readers and limits as the CLI. A
        file that cannot be read is not kept. Returns what was saved and how many events it gives."""
        name = check_name(name)
        limit = self.upload_limit(name)
        d = self.inputs_dir
        fd, tmp_name = tempfile.mkstemp(prefix=".upload-", suffix=Path(name).suffix.lower(), dir=d)
        tmp = Path(tmp_name)
        try:
            size = 0
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        raise self.limit_error(name, size)
                    fh.write(chunk)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; an input is an ordinary file of the folder
            notes: list[str] = []
            events = self._check(tmp, name, notes)
            with self.lock:
                saved, same = self._place_file(tmp, d, name)
            return {
                "name": name,
                "saved_as": saved.relative_to(self.root).as_posix(),
                "already_there": same,
                "events": events,
                "notes": notes,
            }
        finally:
            tmp.unlink(missing_ok=True)

    def _check(self, tmp: Path, name: str, notes: list[str]) -> int:
        """Reads one file as ``mapper map`` would (same readers, limits and messages, named as uploaded)."""
        from ..pipeline import events_from_files

        try:
            events = events_from_files(
                [tmp], date=self.date, overrides=self.overrides_path(), on_note=notes.append, dedup=False
            )
        except MapperError as e:
            e.args = (str(e).replace(str(tmp), name),)
            raise
        notes[:] = [n.replace(str(tmp), name) for n in notes]
        return len(events)

    @staticmethod
    def _place_file(tmp: Path, d: Path, name: str) -> tuple[Path, bool]:
        stem, suffix = Path(name).stem, Path(name).suffix
        data = tmp.read_bytes()
        for i in range(1, 1000):
            target = d / (name if i == 1 else f"{stem}-{i}{suffix}")
            try:
                os.link(tmp, target)  # fails if the target exists: never overwrites
                return target, False
            except FileExistsError:
                if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
                    return target, True
        raise InputError(f"{name}: too many files with this name in inputs/")

    # -- changes (audit log) ----------------------------------------------------------------------
    def changes(self) -> list[Change]:
        p = self.inside(CHANGES)
        if not p.exists():
            return []
        text = p.read_text(encoding="utf-8-sig")
        out = []
        for row in csv.DictReader(io.StringIO(text, newline="")):
            try:
                out.append(Change(**{k: row.get(k) or "" for k in CHANGE_COLUMNS}))  # type: ignore[arg-type]
            except TypeError:
                raise InputError(f"{p}: malformed change log") from None
        for c in out:
            c.seq = int(c.seq)
        return out

    def _write_changes(self, changes: list[Change]) -> None:
        from ..atomic import write_text

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=CHANGE_COLUMNS, lineterminator="\n")
        w.writeheader()
        for c in changes:
            w.writerow(c.as_dict())
        write_text(self.inside(CHANGES), buf.getvalue())

    def _record(self, action: str, event_id: str, field: str, old: str, new: str, who: str | None) -> Change:
        log = self.changes()
        c = Change(
            seq=(log[-1].seq + 1) if log else 1,
            when=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            who=(who or self.who).strip()[:80] or self.who,
            action=action,
            event_id=event_id,
            field=field,
            old_value=old,
            new_value=new,
        )
        self._write_changes([*log, c])
        return c

    def active_changes(self) -> list[Change]:
        """Changes in order, without those an undo took back."""
        undone = {int(c.field) for c in self.changes() if c.action == "undo" and c.field.isdigit()}
        return [c for c in self.changes() if c.action != "undo" and c.seq not in undone]

    def _apply_edits(self, events, changes: list[Change], notes: list[str]):
        from ..schema import FIELDS

        edits = [c for c in changes if c.action == "edit"]
        if not edits or not len(events):
            return events
        events = events.copy()
        stale = 0
        for c in edits:
            mask = events["event_id"] == c.event_id
            if not mask.any():
                stale += 1
                continue
            value: object = c.new_value if c.new_value != "" else None
            if c.field in FIGURES and value is not None:
                value = int(str(value))
            events.loc[mask, c.field] = pd.Series([value] * int(mask.sum()), dtype=FIELDS[c.field]).to_numpy()
        if stale:
            notes.append(f"{stale} recorded edit(s) match no event of the current inputs")
        return events

    # -- analyst actions --------------------------------------------------------------------------
    def event(self, event_id: str) -> dict:
        if self.events is None:
            raise InputError("no events yet: add reports or tables first")
        rows = self.events[self.events["event_id"] == event_id]
        if not len(rows):
            raise InputError(f"no event {event_id!r}")
        return rows.iloc[0].to_dict()

    def edit(self, event_id: str, values: dict[str, object], who: str | None = None) -> list[Change]:
        """Records each changed field (old and new value) and rebuilds."""
        with self.lock:
            ev = self.event(event_id)
            clean = {f: self._valid(f, v) for f, v in values.items()}
            done = []
            for field, new in clean.items():
                old = _text(ev.get(field))
                if old == new:
                    continue
                done.append(self._record("edit", event_id, field, old, new, who))
            if done:
                self.build()
            return done

    @staticmethod
    def _valid(field: str, value: object) -> str:
        from ..schema import CATEGORIES

        if field not in EDITABLE:
            raise InputError(f"{field!r} cannot be edited (editable: {', '.join(EDITABLE)})")
        text = "" if value is None else str(value).strip()
        if field == "category":
            if text not in CATEGORIES:
                raise InputError(f"category: {text!r} is not one of {', '.join(CATEGORIES)}")
        elif field == "event_date":
            try:
                if len(text) != 10:
                    raise ValueError
                dt.date.fromisoformat(text)
            except ValueError:
                raise InputError(f"event_date: {text!r} is not a date in YYYY-MM-DD form") from None
        elif text:
            if not text.isdigit() or len(text) > 9:
                raise InputError(f"{field}: {text!r} is not a whole number (0 or more)")
            text = str(int(text))
        return text

    def pick(
        self,
        event_id: str,
        name: str,
        place_id: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
        who: str | None = None,
    ) -> Change:
        """Settles a review row: an overrides.csv row for the name (a gazetteer record or a point), written
        atomically; an earlier row for the same mention (event id, name, country) is replaced (kept in the
        change log, so undo puts it back). Then rebuilds."""
        from gazetteer import normalize
        from gazetteer.overrides import Overrides

        with self.lock:
            ev = self.event(event_id)
            name = (name or "").strip()
            if not name or _BAD_NAME.search(name):
                raise InputError("the name is empty or has control characters")
            gz = self.gazetteer()
            row = dict.fromkeys(OVERRIDE_COLUMNS, "")
            row.update(name=name, event_id=event_id)
            if place_id:
                place = gz.get(place_id)
                if place is None:
                    raise InputError(f"place_id {place_id!r} is not in the gazetteer")
                row.update(country=place.country_code, place_id=place_id)
            else:
                if lat is None or lon is None:
                    raise InputError("give a place_id, or lat and lon")
                lat, lon = float(lat), float(lon)
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise InputError(f"{lat}, {lon} is not a point on Earth")
                # the story's country (the override applies to the name there); a point clicked near a border
                # would often get the neighbour's nearest town
                cc = _text(ev.get("country_code"))
                if not cc:
                    near = gz.nearest(lat, lon, within_deg=1.0)
                    cc = near.country_code if near is not None else ""
                if not cc:
                    raise InputError("no country for this point: pick a gazetteer place instead")
                row.update(country=cc, lat=f"{lat:.6f}", lon=f"{lon:.6f}")
                # the overrides reader takes admin-1 from the nearest town of the same country; near a border
                # that town is across it and admin-1 stays empty, and then "Palma in Cabo Delgado province"
                # rules the override out. The story's province is the better guess there.
                from gazetteer import ADMIN1, PLACE

                near = gz.nearest(lat, lon, kinds=(PLACE, ADMIN1), within_deg=1.0)
                if (near is None or near.country_code != cc) and _text(ev.get("country_code")) == cc:
                    row["admin1"] = _text(ev.get("admin1"))
            Overrides.from_rows([(1, row)], gz, source=OVERRIDES)  # the same checks as `mapper map`
            fields, rows = self._read_overrides()
            key = normalize(name)
            kept: list[dict[str, str]] = []
            removed: list[dict[str, str]] = []
            for r in rows:
                # a row settles one mention (event id + name): only an earlier row for the same mention goes
                same = (
                    normalize(r.get("name") or "") == key
                    and (r.get("country") or "").upper() in ("", row["country"])
                    and (r.get("event_id") or "") == event_id
                )
                (removed if same else kept).append(r)
            self._write_overrides(fields, [*kept, row])
            old = {
                "location": _text(ev.get("location")),
                "place_id": _text(ev.get("place_id")),
                "removed_rows": removed,
            }
            c = self._record("place", event_id, "place", json.dumps(old, ensure_ascii=False), json.dumps(row), who)
            self.build()
            return c

    def _read_overrides(self) -> tuple[list[str], list[dict[str, str]]]:
        p = self.overrides_path()
        if p is None:
            return list(OVERRIDE_COLUMNS), []
        try:
            text = p.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{OVERRIDES}: not UTF-8 text; fix it before settling places here") from None
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "name" not in fields:
            raise InputError(
                f"{OVERRIDES}:1: no 'name' column (expected columns name,country,lat,lon or name,place_id)"
            )
        reader.fieldnames = fields
        rows = [{k: (v or "") for k, v in r.items() if k is not None} for r in reader]
        return fields + [c for c in OVERRIDE_COLUMNS if c not in fields], rows

    def _write_overrides(self, fields: list[str], rows: list[dict[str, str]]) -> None:
        from ..atomic import write_text

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in fields})
        write_text(self.inside(OVERRIDES), buf.getvalue())

    def undo(self, who: str | None = None) -> Change | None:
        """Takes back the last change still in force (an edit, or a place pick: its overrides row goes and
        the rows it replaced come back). The undo is itself recorded. Returns the change undone."""
        with self.lock:
            active = self.active_changes()
            if not active:
                return None
            last = active[-1]
            if last.action == "place":
                fields, rows = self._read_overrides()
                added = json.loads(last.new_value)
                old = json.loads(last.old_value)
                rows = [r for r in rows if not all((r.get(k) or "") == (added.get(k) or "") for k in added)]
                self._write_overrides(fields, rows + list(old.get("removed_rows", [])))
            self._record("undo", last.event_id, str(last.seq), "", "", who)
            self.build()
            return last

    # -- exports ----------------------------------------------------------------------------------
    def export(self, fmt: str) -> Path:
        from ..export import to_file

        if fmt not in EXPORT_SUFFIX:
            raise InputError(f"unknown export format {fmt!r} (use {', '.join(EXPORT_SUFFIX)})")
        with self.lock:
            if self.events is None:
                raise InputError("no events yet: add reports or tables first")
            d = self.inside("exports")
            d.mkdir(exist_ok=True)
            target = self.inside(f"exports/events{EXPORT_SUFFIX[fmt]}")
            to_file(self.events, target, fmt)
            return target

    # -- what the page shows ----------------------------------------------------------------------
    def _review_rows(self, events) -> list[dict]:
        from ..review import review_rows

        rows: list[dict[str, Any]] = [dict(r) for r in review_rows(events)]
        if not rows:
            return []
        points = {
            str(r.event_id): (r.geometry.y, r.geometry.x, _text(r.location), _text(r.source))
            for r in events.itertuples()
            if r.geometry is not None and not r.geometry.is_empty
        }
        for row in rows:
            row["lat"], row["lon"] = points.get(row["event_id"], (None, None, "", ""))[:2]
            sources = set(row["source"].split(" | "))
            others = [
                (la, lo, loc)
                for eid, (la, lo, loc, src) in points.items()
                if eid != row["event_id"] and sources & set(src.split(" | "))
            ]
            row["candidates"] = self.candidates(row["name"], row["country"], others)
        return rows

    def candidates(self, name: str, country: str = "", others: list | None = None, limit: int = 8) -> list[dict]:
        """Gazetteer records for a name, best first (the story's country first), with admin-1, country and
        the distance to the nearest other place of the same story."""
        gz = self.gazetteer()
        found = gz.search(name, country=country, limit=limit) if country else []
        seen = {c.place.place_id for c in found}
        found += [c for c in gz.search(name, limit=limit) if c.place.place_id not in seen]
        out = []
        for c in found[:limit]:
            p = c.place
            d: dict[str, Any] = {
                "place_id": p.place_id,
                "name": p.name,
                "kind": p.kind,
                "admin1": p.admin1,
                "country_code": p.country_code,
                "lat": p.lat,
                "lon": p.lon,
                "population": p.population,
                "score": round(c.score, 3),
                "km": None,
                "km_to": "",
            }
            if others:
                dist, to = min((km(p.lat, p.lon, la, lo), loc) for la, lo, loc in others)
                d["km"], d["km_to"] = round(dist, 1), to
            out.append(d)
        return out

    def search(self, q: str, country: str = "") -> list[dict]:
        q = (q or "").strip()[:200]
        if not q:
            return []
        cc = (country or "").strip().upper()
        if cc and (len(cc) != 2 or not cc.isalpha()):
            raise InputError(f"country {cc!r} is not a two-letter ISO code")
        return self.candidates(q, cc, None, limit=12)

    def state(self) -> dict:
        files, skipped = self.input_files()
        events: list[dict[str, Any]] = []
        edits: dict[str, list[dict]] = {}
        log = self.changes()
        for c in self.active_changes():
            edits.setdefault(c.event_id, []).append(c.as_dict())
        if self.events is not None:
            for r in self.events.itertuples():
                has = r.geometry is not None and not r.geometry.is_empty
                events.append(
                    {
                        "event_id": _text(r.event_id),
                        "category": _text(r.category),
                        "sub_event_type": _text(r.sub_event_type),
                        "event_date": _text(r.event_date),
                        "location": _text(r.location),
                        "place_id": _text(r.place_id),
                        "country_code": _text(r.country_code),
                        "admin1": _text(r.admin1),
                        "geo_precision": _num(r.geo_precision),
                        "location_text": _text(r.location_text),
                        "fatalities": _num(r.fatalities),
                        "displaced_families": _num(r.displaced_families),
                        "displaced_people": _num(r.displaced_people),
                        "source": self._short(_text(r.source)),
                        "source_text": _text(r.source_text),
                        "review": _text(r.review),
                        "lat": r.geometry.y if has else None,
                        "lon": r.geometry.x if has else None,
                        "changes": edits.get(_text(r.event_id), []),
                    }
                )
        review = [dict(row, source=self._short(row["source"])) for row in self._review]
        from ..schema import CATEGORIES

        return {
            "folder": str(self.root),
            "title": self.title,
            "version": self.version,
            "built": self.events is not None,
            "inputs": [{"name": f.relative_to(self.inputs_dir).as_posix(), "bytes": f.stat().st_size} for f in files],
            "events": events,
            "review": review,
            "changes": [c.as_dict() for c in reversed(log[-50:])],
            "can_undo": bool(self.active_changes()),
            "notes": list(dict.fromkeys(skipped + self.notes)),
            "error": self.error,
            "categories": list(CATEGORIES),
            "editable": list(EDITABLE),
            "formats": list(EXPORT_SUFFIX),
            "who": self.who,
        }


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"
