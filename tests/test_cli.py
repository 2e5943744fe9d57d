"""The CLI end to end: outputs on the examples, and one-line errors with no output on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapper.cli import main

from .conftest import EXAMPLES


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_map_on_the_examples(tmp_path):
    r = run("map", EXAMPLES, "--out-dir", tmp_path)
    assert r.exit_code == 0, r.output
    fc = json.loads((tmp_path / "events.geojson").read_text())
    assert len(fc["features"]) >= 8
    assert {f["properties"]["country_code"] for f in fc["features"]} >= {"SD", "SY", "YE", "MZ"}
    assert "<html" in (tmp_path / "map.html").read_text()[:500].lower()


def test_extract_writes_only_the_events(tmp_path):
    out = tmp_path / "ev.geojson"
    r = run("extract", EXAMPLES / "yemen-hodeidah-2018-06-20.txt", "-o", out)
    assert r.exit_code == 0, r.output
    assert os.listdir(tmp_path) == ["ev.geojson"]


def test_geocode_prints_matches():
    r = run("geocode", "Lashkargah", "--country", "AF")
    assert r.exit_code == 0
    assert "geonames:1134720" in r.output and "31.59382" in r.output
    r = run("geocode", "Qwxzyville")
    assert r.exit_code == 0 and "not found" in r.output


def test_places_json(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("Clashes near Lashkar Gah and talks in Doha.")
    r = run("places", f)
    assert r.exit_code == 0
    places = json.loads(r.output)["places"]
    assert [p["name"] for p in places] == ["Lashkar Gah", "Doha"]
    assert places[0]["place_id"] == "geonames:1134720" and places[0]["start"] == 13


def test_places_over_a_folder_one_line_per_report(tmp_path):
    for i, text in enumerate(["Shelling hit Aleppo.", "Floods in Bor, Jonglei state.", "Nothing here."]):
        (tmp_path / f"r{i}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "places.jsonl"
    r = run("places", tmp_path, "-o", out)
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [Path(x["id"]).name for x in lines] == ["r0.txt", "r1.txt", "r2.txt"]
    assert [p["country_code"] for p in lines[1]["places"]] == ["SS", "SS"]
    assert lines[2]["places"] == []


def test_places_reads_html_as_map_does(tmp_path):
    """Regression: `places x.html` geoparsed the raw HTML (a name inside <script> was found)."""
    f = tmp_path / "r.html"
    f.write_text(
        "<html><head><script>var city = 'Kabul';</script><style>.Herat{}</style></head>"
        "<body><p>Clashes near Lashkar Gah.</p></body></html>",
        encoding="utf-8",
    )
    r = run("places", f)
    assert r.exit_code == 0, r.output
    places = json.loads(r.output)["places"]
    assert [p["name"] for p in places] == ["Lashkar Gah"]


def test_places_keeps_the_report_limits(tmp_path, monkeypatch):
    """Regression: `places` skipped the binary check and the size limit that map/extract apply."""
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"Kabul\x00\x01\x02" * 10)
    r = run("places", binary)
    assert r.exit_code == 2 and "binary file" in r.output
    from mapper import reports

    monkeypatch.setattr(reports, "MAX_REPORT_BYTES", 10)
    big = tmp_path / "big.txt"
    big.write_text("Clashes near Lashkar Gah and talks in Doha.")
    r = run("places", big)
    assert r.exit_code == 5 and "report limit" in r.output


def test_places_jsonl_splits_on_newline_only(tmp_path):
    """Regression: a raw U+0085 (or U+2028) inside a JSON string broke the line (str.splitlines)."""
    f = tmp_path / "in.jsonl"
    docs = [{"id": 1, "text": "Shelling hit Aleppo.\u0085Then Homs."}, {"id": 2, "text": "Talks in\u2028Doha."}]
    f.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    assert "\u0085" in f.read_text(encoding="utf-8")
    r = run("places", "--jsonl", f)
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.output.strip().split("\n")]
    assert [x["id"] for x in lines] == [1, 2]
    assert [p["name"] for p in lines[0]["places"]] == ["Aleppo", "Homs"]


@pytest.mark.parametrize("bad", ["not json", "[1, 2]", '{"id": 3}', '{"text": 5}'])
def test_places_jsonl_bad_line_names_its_number(tmp_path, bad):
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": 1, "text": "Shelling hit Aleppo."}\n\n' + bad + "\n", encoding="utf-8")
    r = run("places", "--jsonl", f)
    assert r.exit_code == 2 and r.output.strip() == (
        f"mapper: error: {f}, line 3: need a JSON object with a string 'text'"
    )


def test_one_walker_skips_hidden_files_everywhere(tmp_path):
    """map, extract, places and the Python API see the same files of a folder: hidden files and folders
    (an editor's backup, .git, our own temporaries) are skipped by all of them."""
    from mapper.inputs import find_inputs
    from mapper.reports import report_paths

    (tmp_path / "a.txt").write_text("date 2024-03-01\nShelling hit Aleppo.", encoding="utf-8")
    (tmp_path / ".b.txt").write_text("date 2024-03-01\nShelling hit Homs.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.txt").write_text("date 2024-03-01\nShelling hit Idlib.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.md").write_text("date 2024-03-01\nShelling hit Hama.", encoding="utf-8")
    expected = [tmp_path / "a.txt", tmp_path / "sub" / "d.md"]
    assert find_inputs([tmp_path]).reports == expected
    assert report_paths([tmp_path]) == expected
    r = run("places", tmp_path)
    assert [Path(json.loads(x)["id"]) for x in r.output.splitlines()] == expected


def test_jobs_are_library_calls(tmp_path):
    """What `mapper map` and `mapper export` do is one call each (the CLI prints their summary)."""
    import mapper

    notes: list[str] = []
    res = mapper.map_job([EXAMPLES], tmp_path / "out", title="T", on_note=notes.append)
    assert [p.name for p in res.outputs] == ["map.html", "events.geojson", "review.csv"]
    assert all(p.exists() for p in res.outputs) and res.events >= 8 and res.review is not None
    res = mapper.export_job([EXAMPLES], tmp_path / "x" / "ev.gpkg", options=mapper.ReadOptions(dedup=False))
    assert (tmp_path / "x" / "ev.gpkg").exists() and (tmp_path / "x" / "review.csv").exists()
    assert res.summary().startswith(f"{res.events} events -> {tmp_path / 'x' / 'ev.gpkg'}")


@pytest.mark.parametrize(
    "cmd", [[], ["map"], ["extract"], ["geocode"], ["places"], ["gazetteer"], ["gazetteer", "import"]]
)
def test_help(cmd):
    r = run(*cmd, "--help")
    assert r.exit_code == 0 and "Usage" in r.output


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    nodate = tmp_path / "nodate.txt"
    nodate.write_text("Air strikes hit Aleppo.")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("date 2020-01-01\nAttaque près de Gao, déplacés.".encode("latin-1"))
    return {"missing": tmp_path / "missing.txt", "nodate": nodate, "empty": empty, "latin": latin}


@pytest.mark.parametrize(
    "case,message",
    [
        ("missing", "no such file"),
        ("nodate", "no report date"),
        ("empty", "empty"),
        ("latin", "not UTF-8"),
    ],
)
def test_bad_input_one_line_no_traceback_no_output(tmp_path, case, message):
    path = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "mapper.cli", "map", str(path), "--out-dir", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mapper: error:") and message in lines[0]
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_failed_run_keeps_previous_outputs(tmp_path):
    assert run("map", EXAMPLES / "yemen-hodeidah-2018-06-20.txt", "--out-dir", tmp_path).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    bad = tmp_path / "bad.txt"
    bad.write_text("no date")
    assert run("map", bad, "--out-dir", tmp_path).exit_code == 2
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != "bad.txt"}
    assert after == before


def test_unknown_layer_and_date_errors(tmp_path):
    r = run("map", EXAMPLES, "--layers", "strike,bogus", "--out-dir", tmp_path)
    assert r.exit_code == 2 and "bogus" in r.output
    r = run("extract", EXAMPLES / "yemen-hodeidah-2018-06-20.txt", "--date", "2020-13-45", "-o", tmp_path / "x.geojson")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output


def test_reruns_are_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("map", EXAMPLES, "--out-dir", a).exit_code == 0
    assert run("map", EXAMPLES, "--out-dir", b).exit_code == 0
    assert (a / "events.geojson").read_bytes() == (b / "events.geojson").read_bytes()


@pytest.mark.slow
def test_time_budget_gives_a_clear_error(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("date 2021-01-01\n" + "Air strikes hit Aleppo on Monday, killing 3 people. " * 40000)
    r = run("extract", big, "-o", tmp_path / "o.geojson", "--time-budget", "0.01")
    assert r.exit_code == 5 and "budget" in r.output and not (tmp_path / "o.geojson").exists()


def test_option_errors_are_one_line(tmp_path):
    """Regression: option errors printed three lines of usage instead of the documented one line."""
    folder = tmp_path / "out.geojson"
    folder.mkdir()
    r = run("export", EXAMPLES, "-o", folder)  # the output is a folder
    assert r.exit_code == 4 and r.output.strip().splitlines() == [
        f"mapper: error: {folder}: is a folder; choose a file name"
    ]
    r = run("export", EXAMPLES, "-o", tmp_path)
    assert r.exit_code == 4 and len(r.output.strip().splitlines()) == 1 and "unknown output format" in r.output
    r = run("map", EXAMPLES, "--engine", "bogus")
    lines = r.output.strip().splitlines()
    assert r.exit_code == 2 and len(lines) == 1 and lines[0].startswith("mapper: error: Invalid value for '--engine'")
    r = run("map")
    assert r.exit_code == 2 and r.output.strip().splitlines() == ["mapper: error: Missing argument 'INPUTS...'."]


def test_auto_engine_sends_only_csv_and_reports_to_dask(tmp_path, monkeypatch):
    """Regression: a JSON/XLSX table over 200 MB went to dask, which refuses it; it stays on pandas (up to
    the 2 GB table limit)."""
    from mapper import scale
    from mapper.inputs import find_inputs

    monkeypatch.setattr(scale, "AUTO_DASK_BYTES", 10)
    for name in ("t.json", "t.xlsx", "t.geojson", "t.csv", "r.txt"):
        (tmp_path / name).write_text("x" * 100)
    for name in ("t.json", "t.xlsx", "t.geojson"):
        assert scale.choose_engine("auto", find_inputs([tmp_path / name])) == "pandas", name
        assert scale.choose_engine("auto", find_inputs([tmp_path / name, tmp_path / "t.csv"])) == "pandas"
    assert scale.choose_engine("auto", find_inputs([tmp_path / "t.csv"])) == "dask"
    assert scale.choose_engine("auto", find_inputs([tmp_path / "r.txt"])) == "dask"


def test_killed_workers_are_one_line_with_their_exit_code(tmp_path, monkeypatch):
    """Regression: dask's KilledWorker was printed on two lines as an internal error."""
    from contextlib import contextmanager

    from distributed.scheduler import KilledWorker

    from mapper import pipeline, scale

    @contextmanager
    def client(*a, **k):
        with scale._worker_errors():  # the real translation, without starting a cluster
            yield None

    def dying(*a, **k):
        raise KilledWorker("('read-csv-abc', 3)", None, 3)

    monkeypatch.setattr(pipeline, "dask_client", client)
    monkeypatch.setattr(pipeline, "events_dask", dying)
    r = run("export", "--engine", "dask", EXAMPLES, "-o", tmp_path / "e.parquet")
    lines = r.output.strip().splitlines()
    assert r.exit_code == 6 and len(lines) == 1
    assert lines[0].startswith("mapper: error: dask workers died while running a task")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_unreadable_subfolder_is_an_error_or_a_named_warning(tmp_path, monkeypatch):
    """Regression: an unreadable subfolder was skipped silently (exit 0, fewer events)."""
    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    for name in ("a.txt", "locked/b.txt"):
        (src / name).write_text("date 2024-03-01\nShelling hit Aleppo.", encoding="utf-8")
    locked = src / "locked"
    real = os.scandir

    def scandir(path="."):  # as a permission-less folder behaves for a user who is not root
        if isinstance(path, str | os.PathLike) and Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    r = run("map", src, "--out-dir", tmp_path / "out")
    assert r.exit_code == 2 and r.output.strip().splitlines() == [
        f"mapper: error: {locked}: cannot read this folder "
        "(fix its permissions, or pass --skip-unreadable to go on without it)"
    ]
    assert not (tmp_path / "out").exists()
    r = run("map", src, "--out-dir", tmp_path / "out", "--skip-unreadable")
    assert r.exit_code == 0, r.output
    assert f"note: {locked}: cannot read this folder; skipped" in r.output
