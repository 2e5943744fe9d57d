"""The ``mapper`` command: a thin shell over the library — parse options, make one call into
:mod:`mapper.pipeline` (or the gazetteer), print. No job logic lives here.

The library is imported inside each command: ``mapper --help`` and ``mapper geocode`` must not pay for
geopandas, folium and dask at start-up (~1.5 s).
"""

from __future__ import annotations

import json
import sys
import traceback

import click

from .errors import USER_ERRORS

INTERNAL_ERROR = 70
USAGE_ERROR = 2


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
        except click.UsageError as e:  # a bad option: the documented one line, not the usage text
            click.echo(f"mapper: error: {e.format_message()}", err=True)
            ctx.exit(USAGE_ERROR)
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
    click.option("--fatalities-col", default=None, help="Tables: the column with the number of people killed."),
    click.option("--displaced-col", default=None, help="Tables: the column with the number of people displaced."),
    click.option("--families-col", default=None, help="Tables: the column with the number of families displaced."),
    click.option("--actor-col", default=None, help="Tables: the column naming the (first) actor."),
    click.option("--notes-col", default=None, help="Tables: the column with the event's description."),
    click.option("--id-col", default=None, help="Tables: the source's own row id (kept as source_id)."),
    click.option(
        "--columns",
        "columns_file",
        type=click.Path(dir_okay=False),
        default=None,
        help="Tables: a JSON or CSV (key,column) file naming columns, keys as the --*-col options (place, id, ...).",
    ),
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
    click.option(
        "--skip-unreadable",
        is_flag=True,
        help="Go on without files or subfolders of an input folder that cannot be read (a warning names each).",
    ),
]


def _with_inputs(f):
    for opt in reversed(_input_options):
        f = opt(f)
    return f


def _read_options(opts: dict):
    from .inputs import COLUMN_KEYS
    from .pipeline import ReadOptions, TableColumns, household_table_for

    return ReadOptions(
        date=opts["date"],
        household_table=household_table_for(opts["household_size"], opts["household_table"]),
        time_budget=opts["time_budget"] or None,
        overrides=opts["overrides"],
        columns=TableColumns.of(opts["columns_file"], **{k: opts[f"{k}_col"] for k in COLUMN_KEYS}),
        dedup=not opts["no_dedup"],
        engine=opts["engine"],
        scheduler=opts["scheduler"],
        workers=opts["workers"],
        progress=bool(opts["progress"]) if opts["progress"] is not None else sys.stderr.isatty(),
        skip_unreadable=opts["skip_unreadable"],
    )


def _note(line: str) -> None:
    click.echo(f"note: {line}", err=True)


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
    from .pipeline import map_job

    wanted = [s.strip() for s in layers.split(",")] if layers else None
    result = map_job(list(inputs), out_dir, title, wanted, not no_cluster, cdn, _read_options(opts), _note)
    click.echo(result.summary())


_output_options = [
    click.argument("inputs", nargs=-1, required=True),
    click.option(
        "-o", "--output", required=True, type=click.Path(), help="File to write (dask engine, .parquet: a folder)."
    ),
    click.option(
        "--format", "fmt", default=None, help="geojson, gpkg, csv, parquet or kml (default: from the suffix)."
    ),
]


def _with_output(f):
    for opt in reversed(_output_options):
        f = opt(f)
    return f


def _write_events(inputs, output, fmt, opts: dict, review: bool) -> None:
    from .pipeline import export_job

    click.echo(export_job(list(inputs), output, fmt, review, _read_options(opts), _note).summary())


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
    from .pipeline import places_text

    out = places_text(list(reports), jsonl, overrides)
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


@main.command("serve")
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--port", type=int, default=8765, show_default=True, help="Port to listen on (0: any free port).")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind (other than localhost: reachable from other machines).",
)
@click.option("--title", default="Incident map", show_default=True, help="Map title.")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="Date for reports (and table rows) that carry none.")
@click.option("--analyst", default=None, help="Name recorded with each change (default: the login name).")
@click.option(
    "--max-table-mb",
    type=int,
    default=100,
    show_default=True,
    help="Upload limit for one table (reports: 20 MB, as on the command line).",
)
def serve_cmd(folder, port, host, title, date, analyst, max_table_mb):
    """A local review page over FOLDER: add reports and tables, see the map, settle places (overrides.csv),
    edit events with an audit trail, export. Inputs go to FOLDER/inputs; FOLDER gets the files `mapper map`
    writes. Prints the URL (with this run's token); Ctrl-C stops it."""
    from .serve.app import serve

    if date is not None:
        from .reports import parse_date

        parse_date(date, "--date")
    serve(folder, host=host, port=port, title=title, date=date, who=analyst, max_table_bytes=max_table_mb * 2**20)


if __name__ == "__main__":  # pragma: no cover
    main()
