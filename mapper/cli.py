"""The ``mapper`` command: a thin shell over the library (parse options, call, print)."""

from __future__ import annotations

import json
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

import click

from .errors import USER_ERRORS, InputError

INTERNAL_ERROR = 70


class _Group(click.Group):
    """Turns every user error (MapperError, GazetteerError) into one line on stderr and its exit code;
    tracebacks only with --verbose."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except USER_ERRORS as e:
            if ctx.obj and ctx.obj.get("verbose"):
                traceback.print_exc()
            click.echo(f"mapper: error: {e}", err=True)
            ctx.exit(e.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("mapper: interrupted", err=True)
            ctx.exit(130)
        except Exception as e:  # a bug of ours: still one line, never a traceback by default
            if ctx.obj and ctx.obj.get("verbose"):
                traceback.print_exc()
            click.echo(f"mapper: internal error: {type(e).__name__}: {e} (run with --verbose for details)", err=True)
            ctx.exit(INTERNAL_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", "-v", is_flag=True, help="Show tracebacks of errors.")
@click.version_option(package_name="incident-mapper")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """incident-mapper: conflict reports and event tables to maps and GIS files, offline."""
    ctx.obj = {"verbose": verbose}


def _household(size: float | None, table: str | None) -> dict[str, float] | None:
    from .households import HOUSEHOLD_SIZE, read_household_table

    t = read_household_table(table) if table else None
    if size is not None:
        if size <= 0:
            raise InputError("--household-size must be a positive number")
        t = {"*": size} | {k: size for k in (t or HOUSEHOLD_SIZE)}
    return t


_overrides_option = click.option(
    "--overrides",
    type=click.Path(dir_okay=False),
    default=None,
    help="CSV of names that must resolve to a given point or record (name,country,lat,lon or name,place_id).",
)
_input_options = [
    click.option("--date", "date", metavar="YYYY-MM-DD", help="Date for reports (and table rows) that carry none."),
    click.option(
        "--time-budget",
        type=float,
        default=60.0,
        show_default=True,
        help="Seconds one report may take before it is given up with an error (0: no limit).",
    ),
    click.option(
        "--household-size",
        type=float,
        default=None,
        help="People per family for every country (default: the built-in per-country table).",
    ),
    click.option(
        "--household-table",
        type=click.Path(dir_okay=False),
        default=None,
        help="CSV country_code,household_size overriding the built-in table.",
    ),
    _overrides_option,
    click.option("--place-col", default=None, help="Tables: the column naming the place."),
    click.option("--country-col", default=None, help="Tables: the column naming the country."),
    click.option("--date-col", default=None, help="Tables: the column with the event date."),
    click.option("--category-col", default=None, help="Tables: the column with the category (strike, clash, ...)."),
    click.option("--no-dedup", is_flag=True, help="Keep every source's telling as its own event."),
    click.option(
        "--engine",
        type=click.Choice(["auto", "pandas", "dask"]),
        default="auto",
        show_default=True,
        help="dask: partitions on a dask cluster for inputs bigger than memory; auto: dask above 200 MB of input.",
    ),
    click.option("--scheduler", metavar="ADDRESS", default=None, help="dask: an existing scheduler (tcp://host:8786)."),
    click.option(
        "--workers", type=int, default=None, help="dask: worker processes of the local cluster (default: cores)."
    ),
    click.option("--progress/--no-progress", default=None, help="dask: a progress bar (default: when on a terminal)."),
]


def _with_inputs(f):
    for opt in reversed(_input_options):
        f = opt(f)
    return f


def _read_events(inputs, opts: dict, out_dir: Path | None = None):
    """Events of all inputs; OUT_DIR/overrides.csv is used when present and --overrides is not given."""
    from .pipeline import TableColumns, events_from_files

    overrides = opts["overrides"]
    if overrides is None and out_dir is not None and (out_dir / "overrides.csv").exists():
        overrides = out_dir / "overrides.csv"
        click.echo(f"using overrides from {overrides}", err=True)
    return events_from_files(
        list(inputs),
        date=opts["date"],
        household_table=_household(opts["household_size"], opts["household_table"]),
        time_budget=opts["time_budget"] or None,
        overrides=overrides,
        columns=TableColumns(opts["place_col"], opts["country_col"], opts["date_col"], opts["category_col"]),
        dedup=not opts["no_dedup"],
        on_note=lambda line: click.echo(f"note: {line}", err=True),
        engine=opts.get("engine_chosen", "pandas"),
    )


@contextmanager
def _engine(inputs, opts: dict):
    """Chooses the engine for these inputs; for dask, runs the body with a dask client (local cluster or
    --scheduler) and yields True."""
    from .scale import choose_engine

    if opts["scheduler"] and opts["engine"] == "pandas":
        raise InputError("--scheduler needs --engine dask")
    engine = "dask" if opts["scheduler"] and opts["engine"] == "auto" else choose_engine(opts["engine"], inputs)
    opts["engine_chosen"] = engine
    if engine != "dask":
        yield False
        return
    from .scale import dask_client

    with dask_client(opts["scheduler"], opts["workers"]):
        yield True


def _show_progress(opts: dict) -> bool:
    """A progress bar for dask runs when asked, or when stderr is a terminal."""
    return bool(opts["progress"]) if opts["progress"] is not None else sys.stderr.isatty()


def _write_review(events, folder: Path) -> str:
    from .review import write_review

    n = write_review(events, folder / "review.csv")
    return f"{folder / 'review.csv'} ({n} to review)"


@main.command("map")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out-dir",
    default="outputs",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for map.html, events.geojson and review.csv.",
)
@click.option("--title", default="Incident map", show_default=True, help="Map title.")
@click.option("--layers", default=None, help="Comma-separated categories to draw (default: all).")
@click.option("--no-cluster", is_flag=True, help="Do not cluster markers.")
@click.option("--cdn", is_flag=True, help="Load Leaflet from CDNs instead of embedding it (smaller page).")
@_with_inputs
def map_cmd(inputs, out_dir, title, layers, no_cluster, cdn, **opts):
    """Read reports and event tables (files or folders); write OUT_DIR/map.html, OUT_DIR/events.geojson
    and OUT_DIR/review.csv."""
    from .atomic import write_text
    from .export import to_file
    from .maps import make_map, map_html
    from .schema import CATEGORIES

    wanted = [s.strip() for s in layers.split(",")] if layers else None
    if wanted:
        bad = [w for w in wanted if w not in CATEGORIES]
        if bad:
            raise InputError(f"--layers: unknown categories {', '.join(bad)} (choose from {', '.join(CATEGORIES)})")
    out = Path(out_dir)
    with _engine(inputs, opts) as on_dask:
        if on_dask:
            return _map_on_dask(inputs, out, title, wanted, no_cluster, cdn, opts)
        events = _read_events(inputs, opts, out)
    page = map_html(make_map(events, title=title, cluster=not no_cluster, layers=wanted), cdn=cdn)
    to_file(events, out / "events.geojson")
    write_text(out / "map.html", page)
    review = _write_review(events, out)
    click.echo(f"{len(events)} events -> {out / 'map.html'}, {out / 'events.geojson'}, {review}")


def _map_on_dask(inputs, out: Path, title, wanted, no_cluster, cdn, opts) -> None:
    """Map of a big input: every event counted per province and per hexagon, a sample drawn as points;
    all events written as partitioned GeoParquet."""
    from .atomic import write_text
    from .export import to_file
    from .maps import make_map, map_html
    from .scale import count_rows, flagged, join_admin1, map_inputs, read_parquet, sampled_title, write_parquet

    events = _read_events(inputs, opts, out)
    if wanted:
        events = events[events["category"].isin(wanted)]
    # the pipeline runs once, into the GeoParquet; the map's aggregates and sample are read back from it
    write_parquet(join_admin1(events), out / "events.parquet", progress=_show_progress(opts))
    points, admin, hexes, total = map_inputs(
        read_parquet(out / "events.parquet"), total=count_rows(out / "events.parquet")
    )
    label = sampled_title(title, len(points), total)
    page = map_html(
        make_map(points, title=label, cluster=not no_cluster, layers=wanted, admin_polys=admin, hexes=hexes),
        cdn=cdn,
    )
    write_text(out / "map.html", page)
    to_file(points, out / "events-sample.geojson")
    review = _write_review(flagged(out / "events.parquet"), out)
    click.echo(
        f"{total} events -> {out / 'map.html'} (aggregates + {len(points):,} points), {out / 'events.parquet'}, "
        f"{out / 'events-sample.geojson'}, {review}"
    )


_output_options = [
    click.argument("inputs", nargs=-1, required=True),
    click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write."),
    click.option(
        "--format", "fmt", default=None, help="geojson, gpkg, csv, parquet or kml (default: from the suffix)."
    ),
]


def _with_output(f):
    for opt in reversed(_output_options):
        f = opt(f)
    return f


def _write_events(inputs, output, fmt, opts: dict, review: bool) -> None:
    from .export import format_for, to_file

    found = format_for(output, fmt)  # a wrong format fails before the work
    folder = Path(output).parent
    with _engine(inputs, opts) as on_dask:
        events = _read_events(inputs, opts, folder if review else None)
        if on_dask:
            from .scale import count_rows, flagged, join_admin1, write_parquet

            joined = join_admin1(events)
            if found == "parquet":  # partitioned GeoParquet: a folder of files, written by the workers
                write_parquet(joined, output, progress=_show_progress(opts))
                click.echo(
                    f"{count_rows(output)} events -> {output}/ (partitioned GeoParquet, Hilbert-sorted)"
                    + (f", {_write_review(flagged(output), folder)}" if review else "")
                )
                return
            events = joined.compute()  # other formats are single files, written by this process
    to_file(events, output, fmt)
    click.echo(f"{len(events)} events -> {output}" + (f", {_write_review(events, folder)}" if review else ""))


@main.command("extract")
@_with_output
@_with_inputs
def extract_cmd(inputs, output, fmt, **opts):
    """Read reports (and tables) and write only their events (GeoJSON RFC 7946 by default)."""
    _write_events(inputs, output, fmt, opts, review=False)


@main.command("export")
@_with_output
@_with_inputs
def export_cmd(inputs, output, fmt, **opts):
    """Reports and event tables to one GIS file (GeoJSON, GeoPackage, CSV, GeoParquet, KML), plus
    review.csv beside it."""
    _write_events(inputs, output, fmt, opts, review=True)


@main.command("geocode")
@click.argument("names", nargs=-1, required=True)
@click.option("--country", "-c", default=None, help="ISO 3166 alpha-2 code(s), comma-separated.")
@click.option("--all", "show_all", is_flag=True, help="Show every candidate, not only the best five.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_overrides_option
def geocode_cmd(names, country, show_all, as_json, overrides):
    """Look place names up in the offline gazetteer."""
    from gazetteer import Gazetteer

    gz = Gazetteer.default().with_overrides(overrides)
    countries = [c.strip() for c in country.split(",")] if country else None
    results = {}
    for name in names:
        results[name] = gz.search(name, country=countries, limit=100 if show_all else 5)
    if as_json:
        click.echo(
            json.dumps({n: [c.as_dict() for c in cs] for n, cs in results.items()}, ensure_ascii=False, indent=2)
        )
        return
    for name, cands in results.items():
        click.echo(f"{name}:")
        if not cands:
            click.echo("  not found")
        for c in cands:
            p = c.place
            click.echo(
                f"  {c.score:.3f}  {p.place_id:<20} {p.name} ({p.kind}; {p.admin1 or '-'}, {p.country_code})"
                f"  {p.lat:.5f}, {p.lon:.5f}  pop {p.population}"
            )


@main.command("places")
@click.argument("reports", nargs=-1)
@click.option("--jsonl", "jsonl", type=click.Path(dir_okay=False), help='Bulk: lines of {"id", "text"}.')
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@click.option("--json", "as_json", is_flag=True, default=True, help="Print JSON (the default).")
@_overrides_option
def places_cmd(reports, jsonl, output, as_json, overrides):
    """Find the place names in a report (or, with several reports, a folder or --jsonl, in many texts)
    with character offsets and their gazetteer records."""
    from .atomic import write_text
    from .pipeline import geoparser_for
    from .reports import decode, report_paths

    gp = geoparser_for(overrides)

    def line(doc_id, text: str) -> str:
        return json.dumps({"id": doc_id, "places": [m.as_dict() for m in gp.parse(text)]}, ensure_ascii=False)

    def read(path) -> str:
        try:
            return decode(Path(path).read_bytes(), str(path))
        except OSError as e:
            raise InputError(f"{path}: cannot read ({e.strerror})") from None

    if jsonl:
        lines = []
        for n, raw in enumerate(read(jsonl).splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                doc = json.loads(raw)
                text, doc_id = doc["text"], doc.get("id")
                if not isinstance(text, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError):
                raise InputError(f"{jsonl}, line {n}: need a JSON object with a string 'text'") from None
            lines.append(line(doc_id, text))
        out = "\n".join(lines) + "\n"
    elif not reports:
        raise InputError("give REPORT files or folders, or --jsonl FILE")
    elif len(reports) == 1 and not Path(reports[0]).is_dir():
        text = read(reports[0])
        out = json.dumps({"places": [m.as_dict() for m in gp.parse(text)]}, ensure_ascii=False, indent=2) + "\n"
    else:  # many reports: one line per report, as in --jsonl mode, with the file as id
        out = "".join(line(str(p), read(p)) + "\n" for p in report_paths(list(reports)))
    if output:
        write_text(output, out)
    else:
        sys.stdout.write(out)


@main.group("gazetteer")
def gazetteer_group():
    """Manage the offline place index."""


@gazetteer_group.command("build")
def gazetteer_build():
    """Build (or rebuild) the place index in the user cache folder."""
    from gazetteer.build import build_index
    from gazetteer.index import index_path

    path = build_index(index_path())
    click.echo(f"place index: {path}")


@gazetteer_group.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--classes",
    default="AP",
    show_default=True,
    help="GeoNames feature classes to keep (A admin, P populated, H water, L area, S spot, T terrain...; * = all).",
)
@click.option("--country", "-c", default=None, help="Keep only these ISO codes (comma-separated).")
def gazetteer_import(paths, classes, country):
    """Add GeoNames dump files (AF.zip, allCountries.zip, AF.txt; admin1CodesASCII.txt, admin2Codes.txt)
    to the place index, so their villages, districts and features resolve too."""
    from gazetteer import Gazetteer
    from gazetteer.imports import import_geonames
    from gazetteer.index import imports_path

    countries = [c.strip() for c in country.split(",")] if country else None
    res = import_geonames(paths, imports_path(), classes=classes, countries=countries)
    Gazetteer.reset_default()
    for p, n in res.per_file.items():
        click.echo(f"{p}: {n} records")
    click.echo(f"{res.added} records imported ({res.replaced} replaced) -> {res.path}")


@gazetteer_group.command("info")
def gazetteer_info():
    """Show the index files in use and how many records each holds."""
    from gazetteer import Gazetteer

    gz = Gazetteer.default()
    for path, count, kinds in gz.layer_stats():
        click.echo(f"{path}: {count} records ({', '.join(f'{k} {n}' for k, n in kinds)})")


if __name__ == "__main__":  # pragma: no cover
    main()
