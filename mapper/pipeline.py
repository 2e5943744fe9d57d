"""The jobs, as library calls a notebook can make; the ``mapper`` command is a thin shell over them.

* Reading: :func:`events_from_files` (reports and tables, files or folders -> one GeoDataFrame of events,
  duplicates across sources merged), :func:`read_reports`, :func:`read_table`, :func:`extract_events`.
* Jobs: :func:`map_job` (what ``mapper map`` does: map.html, events.geojson, review.csv; OUT_DIR/overrides.csv
  used when present; the dask engine's aggregate map), :func:`export_job` (``mapper export`` and ``mapper
  extract``), :func:`places_of` / :func:`places_of_jsonl` (``mapper places``), :func:`make_map` (a map of a
  pandas or a dask frame).

Report files (.txt, .md, .html) go through the extractor, event tables (.csv, .tsv, .xlsx, .json, .geojson)
through the table reader; both give rows of the event schema in one GeoDataFrame (EPSG:4326). The outputs
of one job are written into a staging folder and swapped in together (:func:`mapper.atomic.output_set`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from gazetteer import Gazetteer
from gazetteer.geoparse import Geoparser

from . import maps
from .atomic import output_set, write_text
from .dedup import merge_duplicates
from .errors import ExportError, InputError
from .export import format_for, to_file, unstorable_note
from .extract import DEFAULT_TIME_BUDGET, extract, why_no_events
from .frame import is_dask, to_geodataframe
from .geo import join_admin1, map_inputs
from .geoparquet import count_rows, flagged, read_parquet, write_parquet
from .households import HOUSEHOLD_SIZE, read_household_table
from .inputs import InputFiles, TableColumns, find_inputs, input_date
from .overrides import MentionOverrides, apply_mention_overrides, merge_review
from .reports import REPORT_SUFFIXES, Report, decode, read_report
from .reports import read_reports as _read_reports
from .review import write_review
from .scale import choose_engine, dask_client, events_dask
from .schema import CATEGORIES, source_label, storable_text
from .tables import EVENT_COLUMNS
from .tables import read_table as _read_table
from .walk import files_under

__all__ = [
    "TableColumns",
    "ReadOptions",
    "JobResult",
    "geoparser_for",
    "household_table_for",
    "extract_events",
    "load_reports",
    "read_reports",
    "read_table",
    "events_from_files",
    "make_map",
    "map_job",
    "export_job",
    "places_of",
    "places_of_jsonl",
    "places_text",
    "split_inputs",
]

Note = Callable[[str], None]


@dataclass(frozen=True)
class ReadOptions:
    """How a job reads its inputs (the CLI's input options)."""

    date: dt.date | str | None = None
    household_table: dict[str, float] | None = None
    time_budget: float | None = DEFAULT_TIME_BUDGET
    overrides: str | Path | None = None
    columns: TableColumns = field(default_factory=TableColumns)
    dedup: bool = True
    engine: str = "pandas"  # pandas, dask, or auto (dask above mapper.scale.AUTO_DASK_BYTES of CSV/reports)
    scheduler: str | None = None  # dask: an existing scheduler's address (implies dask unless engine="pandas")
    workers: int | None = None  # dask: worker processes of the local cluster
    progress: bool = False  # dask: a progress bar
    skip_unreadable: bool = False  # an unreadable file or subfolder of an input folder: a note, not an error


@dataclass
class JobResult:
    """What a job wrote: the number of events, the outputs, the rows of review.csv (None: not written)."""

    events: int
    outputs: list[Path]
    review: int | None = None
    drawn: int | None = None  # a dask map: the events drawn as points (the aggregates count all)

    def summary(self) -> str:
        """One line, as the CLI prints it."""
        shown = []
        for p in self.outputs:
            s = str(p)
            if p.name == "map.html" and self.drawn is not None:
                s += f" (aggregates + {self.drawn:,} points)"
            elif p.suffix == ".parquet" and self.drawn is None and p.is_dir():
                s += "/ (partitioned GeoParquet, Hilbert-sorted)"
            elif p.name == "review.csv" and self.review is not None:
                s += f" ({self.review} to review)"
            shown.append(s)
        return f"{self.events} events -> " + ", ".join(shown)


# -- reading -------------------------------------------------------------------------------------------
def geoparser_for(overrides: str | Path | None = None) -> Geoparser:
    """The geoparser over the default gazetteer, with a user's overrides CSV on top if given."""
    return Geoparser(Gazetteer.default().with_overrides(overrides))


def household_table_for(size: float | None = None, table: str | Path | None = None) -> dict[str, float] | None:
    """The household sizes to use: a CSV ``country_code,household_size`` over the built-in table, or one
    ``size`` for every country (the ``--household-size`` / ``--household-table`` options)."""
    t = read_household_table(table) if table else None
    if size is not None:
        if size <= 0:
            raise InputError("--household-size must be a positive number")
        t = {"*": size} | {k: size for k in (t or HOUSEHOLD_SIZE)}
    return t


def extract_events(
    reports: list[Report],
    geoparser: Geoparser | None = None,
    household_table: dict[str, float] | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> gpd.GeoDataFrame:
    """Events of many reports as one GeoDataFrame (EPSG:4326); ``source`` names a report file relative to
    the working folder (:func:`mapper.schema.source_label`)."""
    gp = geoparser or Geoparser()
    records: list[dict] = []
    for r in reports:
        records.extend(extract(_labelled(r), gp, household_table, time_budget=time_budget))
    return to_geodataframe(records)


def load_reports(inputs: list[str | Path] | str | Path, date: dt.date | str | None = None) -> list[Report]:
    """The parsed reports (text, date, source) of report files and folders."""
    return _read_reports(inputs, date=date)


def split_inputs(inputs: list[str | Path]) -> tuple[list[Path], list[Path]]:
    """(report files, table files) from files and folders, in a stable order (see :func:`find_inputs`)."""
    found = find_inputs(inputs)
    return found.reports, found.tables


def _engine(files: InputFiles, options: ReadOptions) -> str:
    if options.scheduler and options.engine == "pandas":
        raise InputError("--scheduler needs --engine dask")
    if options.scheduler and options.engine == "auto":
        return "dask"
    return choose_engine(options.engine, files)


@contextmanager
def _session(engine: str, options: ReadOptions) -> Iterator[bool]:
    """Runs the body on ``engine``; for dask with a client (a local cluster or ``options.scheduler``) and
    yields True."""
    if engine != "dask":
        yield False
        return
    with dask_client(options.scheduler, options.workers):
        yield True


def _events(files: InputFiles, options: ReadOptions, on_note: Note | None, dask: bool, overrides=None):
    overrides = options.overrides if overrides is None else overrides
    date = input_date(options.date)
    if dask:
        events = events_dask(files, date, options.household_table, options.time_budget, overrides, options.columns)
        labels = _labels(files)
        if labels:
            events = events.map_partitions(_relabel, labels, meta=events._meta)
        if overrides is None:
            return events
        mentions = MentionOverrides.from_file(overrides, Gazetteer.default())
        return events.map_partitions(lambda part: mentions.apply(part)[0], meta=events._meta) if mentions else events
    gp = geoparser_for(overrides)
    records: list[dict] = []
    for path in files.reports:
        given = read_report(path, date=date)
        r = _labelled(given)
        found = extract(r, gp, options.household_table, time_budget=options.time_budget)
        if not found and on_note is not None:
            on_note(f"{given.source}: no events: {why_no_events(r)}")  # the path as the user gave it
        records.extend(found)
    c = options.columns
    # tables stay columnar: one frame per table, report records as one more frame
    frames = [
        _read_table(t, gp.gz, c.place, c.country, c.date, c.category, date, options.household_table, c.named(), on_note)
        for t in files.tables
    ]
    if records:
        frames.insert(0, pd.DataFrame.from_records(records, columns=EVENT_COLUMNS))
    if not frames:
        events = to_geodataframe([])
    else:
        events = to_geodataframe(pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0])
    events = _relabel(events, _labels(files))
    events = merge_duplicates(events) if options.dedup else events
    return apply_mention_overrides(events, overrides, gp.gz, on_note)


def _labelled(report: Report) -> Report:
    """The report with its file named as ``source`` names it (no absolute path in any output)."""
    label = source_label(report.source)
    return report if label == report.source else replace(report, source=label)


def _labels(files: InputFiles) -> dict[str, str]:
    """Input paths as given -> as ``source`` names them (:func:`mapper.schema.source_label`), where they differ."""
    paths = (str(p) for p in (*files.reports, *files.tables))
    return {p: label for p in paths if (label := source_label(p)) != p}


def _relabel(events, labels: dict[str, str]):
    """``events`` whose ``source`` names its inputs by :func:`_labels` (no absolute path in any output)."""
    if not labels or not len(events):
        return events
    events = events.copy()
    col = events["source"]
    for given in sorted(labels, key=len, reverse=True):  # only a whole path at the start of a source
        pattern = r"(^| \| )" + re.escape(given) + r"(?=#| |$)"
        col = col.str.replace(pattern, lambda m, label=labels[given]: m.group(1) + label, regex=True)
    events["source"] = col
    return events


def read_reports(
    inputs: list[str | Path] | str | Path,
    date: dt.date | str | None = None,
    overrides: str | Path | None = None,
    household_table: dict[str, float] | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    engine: str = "pandas",
):
    """Report files or folders -> their events as a GeoDataFrame (``engine="dask"``: a lazy
    dask-geopandas one, see :func:`events_from_files`)."""
    if engine != "pandas":
        files = find_inputs(inputs)
        files.tables = []
        options = ReadOptions(date, household_table, time_budget, overrides, engine=engine)
        if _engine(files, options) == "dask":
            return _events(files, options, None, dask=True)
    return extract_events(load_reports(inputs, date=date), geoparser_for(overrides), household_table, time_budget)


def read_table(
    path: str | Path,
    columns: TableColumns | None = None,
    date: dt.date | str | None = None,
    overrides: str | Path | None = None,
    household_table: dict[str, float] | None = None,
    engine: str = "pandas",
):
    """An event table (CSV, Excel, JSON, GeoJSON; ACLED, UCDP GED, HXL or named columns) as a GeoDataFrame
    (``engine="dask"``: a lazy dask-geopandas one of a CSV/TSV table, see :func:`events_from_files`)."""
    options = ReadOptions(date, household_table, None, overrides, columns or TableColumns(), False, engine)
    files = InputFiles(tables=[Path(path)])
    return _events(files, options, None, dask=_engine(files, options) == "dask")


def events_from_files(
    inputs: list[str | Path],
    date: dt.date | str | None = None,
    household_table: dict[str, float] | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    overrides: str | Path | None = None,
    columns: TableColumns | None = None,
    dedup: bool = True,
    on_note: Note | None = None,
    engine: str = "pandas",
    skip_unreadable: bool = False,
):
    """Reports and tables (files or folders) -> one GeoDataFrame of events.

    ``on_note`` receives a line for every report that gave no events, saying why. ``engine="dask"``
    (or ``"auto"`` for inputs over :data:`mapper.scale.AUTO_DASK_BYTES`) gives a lazy dask-geopandas
    GeoDataFrame with the same rows, computed partition by partition on the current dask scheduler
    (duplicates across sources are not merged there; see :mod:`mapper.scale`)."""
    options = ReadOptions(
        date, household_table, time_budget, overrides, columns or TableColumns(), dedup, engine, None, None, False
    )
    files = find_inputs(inputs, skip_unreadable, on_note)
    return _events(files, options, on_note, dask=_engine(files, options) == "dask")


# -- maps ----------------------------------------------------------------------------------------------
def sampled_title(title: str, drawn: int, total: int) -> str:
    return f"{title} ({drawn:,} of {total:,} events drawn; provinces and hexagons count all)"


def make_map(
    events, title: str = "Incident map", cluster: bool = True, layers: list[str] | None = None, **kwargs
) -> folium.Map:
    """:func:`mapper.maps.make_map` for a pandas frame; a lazy dask frame is filtered to ``layers``, sampled
    and aggregated first (every event counted per province and hexagon, a sample drawn as points)."""
    if is_dask(events):
        if layers:
            events = events[events["category"].isin(layers)]
        points, admin, hexes, total = map_inputs(events)
        kwargs.setdefault("admin_polys", admin)
        kwargs.setdefault("hexes", hexes)
        title = sampled_title(title, len(points), total)
        events = points
    return maps.make_map(events, title=title, cluster=cluster, layers=layers, **kwargs)


# -- jobs ----------------------------------------------------------------------------------------------
def _layers(layers: list[str] | None) -> list[str] | None:
    if layers:
        bad = [w for w in layers if w not in CATEGORIES]
        if bad:
            raise InputError(f"--layers: unknown categories {', '.join(bad)} (choose from {', '.join(CATEGORIES)})")
    return layers or None


def _overrides(options: ReadOptions, folder: Path, on_note: Note | None) -> str | Path | None:
    """--overrides, else FOLDER/overrides.csv when present (the review loop). Rows the analyst filled in
    FOLDER/review.csv are first appended to that file, so the new review.csv cannot overwrite them."""
    target = Path(options.overrides) if options.overrides is not None else folder / "overrides.csv"
    merged = merge_review(folder / "review.csv", target)
    if merged and on_note is not None:
        on_note(
            f"{merged} filled row(s) of {folder / 'review.csv'} added to {target} (edit that file from now on; "
            "review.csv is rewritten by every run)"
        )
    if options.overrides is None and (folder / "overrides.csv").exists():
        if on_note is not None:
            on_note(f"using overrides from {folder / 'overrides.csv'}")
        return folder / "overrides.csv"
    return options.overrides


def _clean(events: gpd.GeoDataFrame, on_note: Note | None) -> gpd.GeoDataFrame:
    """Text every output can store, changed the same way for all of them, with one note."""
    events, changed = storable_text(events)
    if changed and on_note is not None:
        on_note(unstorable_note(changed))
    return events


def map_job(
    inputs: list[str | Path],
    out_dir: str | Path = "outputs",
    title: str = "Incident map",
    layers: list[str] | None = None,
    cluster: bool = True,
    cdn: bool = False,
    options: ReadOptions | None = None,
    on_note: Note | None = None,
) -> JobResult:
    """``mapper map``: OUT_DIR/map.html, OUT_DIR/events.geojson and OUT_DIR/review.csv from reports and
    tables, replaced together (a second run into OUT_DIR at the same time stops with an error).
    OUT_DIR/overrides.csv is used when present and ``options.overrides`` is not set. On the dask engine:
    every event into OUT_DIR/events.parquet, the map drawing per-province and per-hexagon aggregates of
    all events with a sample of points (also in OUT_DIR/events-sample.geojson)."""
    options = options or ReadOptions()
    wanted = _layers(layers)
    out = Path(out_dir)
    input_date(options.date)  # a malformed --date fails before the work
    files = find_inputs(inputs, options.skip_unreadable, on_note)
    engine = _engine(files, options)
    with output_set(out) as stage:
        overrides = _overrides(options, out, on_note)
        with _session(engine, options) as on_dask:
            events = _events(files, options, on_note, on_dask, overrides)
            if on_dask:
                return _map_on_dask(events, out, stage, title, wanted, cluster, cdn, options.progress, on_note)
        events = _clean(events, on_note)
        page = maps.map_html(maps.make_map(events, title=title, cluster=cluster, layers=wanted), cdn=cdn)
        to_file(events, stage / "events.geojson")
        write_text(stage / "map.html", page)
        n = write_review(events, stage / "review.csv")
    return JobResult(len(events), [out / "map.html", out / "events.geojson", out / "review.csv"], n)


def _map_on_dask(events, out: Path, stage: Path, title, wanted, cluster, cdn, progress, on_note) -> JobResult:
    """Map of a big input: the pipeline runs once, into the GeoParquet; the map's aggregates, sample and
    review list are read back from it."""
    if wanted:
        events = events[events["category"].isin(wanted)]
    parquet = stage / "events.parquet"
    write_parquet(join_admin1(events), parquet, progress=progress)
    points, admin, hexes, total = map_inputs(read_parquet(parquet), total=count_rows(parquet))
    points = _clean(points, on_note)
    label = sampled_title(title, len(points), total)
    m = maps.make_map(points, title=label, cluster=cluster, layers=wanted, admin_polys=admin, hexes=hexes)
    write_text(stage / "map.html", maps.map_html(m, cdn=cdn))
    to_file(points, stage / "events-sample.geojson")
    n = write_review(flagged(parquet), stage / "review.csv")
    outputs = [out / "map.html", out / "events.parquet", out / "events-sample.geojson", out / "review.csv"]
    return JobResult(total, outputs, n, drawn=len(points))


def export_job(
    inputs: list[str | Path],
    output: str | Path,
    fmt: str | None = None,
    review: bool = True,
    options: ReadOptions | None = None,
    on_note: Note | None = None,
) -> JobResult:
    """``mapper export`` (``review=True``: review.csv beside the output, and the folder's overrides.csv used
    when present) and ``mapper extract`` (``review=False``). On the dask engine a ``.parquet`` output is a
    folder of Hilbert-sorted GeoParquet files written by the workers; other formats are computed here."""
    options = options or ReadOptions()
    output = Path(output)
    found = format_for(output, fmt)  # a wrong format fails before the work
    input_date(options.date)
    files = find_inputs(inputs, options.skip_unreadable, on_note)
    engine = _engine(files, options)
    if output.is_dir() and not (found == "parquet" and engine == "dask"):
        raise ExportError(f"{output}: is a folder; choose a file name")
    folder = output.parent
    with output_set(folder) as stage:
        overrides = _overrides(options, folder, on_note) if review else options.overrides
        staged = stage / output.name
        with _session(engine, options) as on_dask:
            events = _events(files, options, on_note, on_dask, overrides)
            if on_dask:
                joined = join_admin1(events)
                if found == "parquet":  # partitioned GeoParquet: a folder of files, written by the workers
                    write_parquet(joined, staged, progress=options.progress)
                    n = write_review(flagged(staged), stage / "review.csv") if review else None
                    outputs = [output] + ([folder / "review.csv"] if review else [])
                    return JobResult(count_rows(staged), outputs, n)
                events = joined.compute()  # other formats are single files, written by this process
        events = _clean(events, on_note)
        to_file(events, staged, found)
        n = write_review(events, stage / "review.csv") if review else None
    return JobResult(len(events), [output] + ([folder / "review.csv"] if review else []), n)


# -- places ----------------------------------------------------------------------------------------------
NO_DATE = dt.date(1970, 1, 1)  # places need no report date: a report without one is still read


def _places(text: str, gp: Geoparser) -> list[dict]:
    return [m.as_dict() for m in gp.parse(text)]


def places_of(
    reports: list[str | Path], overrides: str | Path | None = None, skip_unreadable: bool = False
) -> list[tuple[str, list[dict]]]:
    """``(source, places)`` of every report file (folders walked for report files): each file is read
    exactly as ``map`` reads it (size limit, binary check, HTML and Markdown to text, the date line
    removed), and the offsets of the places are offsets into that text."""
    gp = geoparser_for(overrides)
    paths: list[Path] = []
    for raw in [reports] if isinstance(reports, str | Path) else reports:
        p = Path(raw)
        if p.is_dir():
            paths += [f for f in files_under(p, skip_unreadable) if f.suffix.lower() in REPORT_SUFFIXES]
        else:
            paths.append(p)
    out = []
    for path in paths:
        r = read_report(path, date=NO_DATE)
        out.append((r.source, _places(r.text, gp)))
    return out


def places_text(
    reports: list[str | Path] | None = None, jsonl: str | Path | None = None, overrides: str | Path | None = None
) -> str:
    """``mapper places`` output: for one report file, ``{"places": [...]}`` (indented JSON); for several
    reports, folders or a ``jsonl`` file, one line ``{"id": ..., "places": [...]}`` per text."""
    if jsonl:
        found: list[tuple[object, list[dict]]] = list(places_of_jsonl(jsonl, overrides))
    elif not reports:
        raise InputError("give REPORT files or folders, or --jsonl FILE")
    elif len(reports) == 1 and not Path(reports[0]).is_dir():
        (_, places), *_ = places_of(reports, overrides)
        return json.dumps({"places": places}, ensure_ascii=False, indent=2) + "\n"
    else:
        found = list(places_of(reports, overrides))
    return "".join(json.dumps({"id": i, "places": p}, ensure_ascii=False) + "\n" for i, p in found)


def places_of_jsonl(path: str | Path, overrides: str | Path | None = None) -> list[tuple[object, list[dict]]]:
    """``(id, places)`` of every line ``{"id": ..., "text": ...}`` of a JSON Lines file. Lines end at "\\n"
    only (a JSON string may hold U+0085 or U+2028 raw); a line that is not such an object is an error
    naming its line number."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror})") from None
    gp = geoparser_for(overrides)
    out = []
    for n, raw in enumerate(decode(data, str(p)).split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            doc = json.loads(raw)
            text, doc_id = doc["text"], doc.get("id")
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InputError(f"{p}, line {n}: need a JSON object with a string 'text'") from None
        out.append((doc_id, _places(text, gp)))
    return out
