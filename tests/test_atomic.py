"""Outputs are replaced atomically; a kill in the middle of a write leaves the previous file intact;
inputs are never modified."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapper import atomic
from mapper.atomic import atomic_dir, atomic_path, folder_lock, output_set, recover
from mapper.cli import main
from mapper.errors import ExportError

from .conftest import EXAMPLES

DEAD_PID = 2**22 + 12345  # above the kernel's largest pid (PID_MAX_LIMIT): no process has it

WRITER = r"""
import sys
import numpy as np, geopandas as gpd, pandas as pd, shapely
from mapper.export import to_file
from mapper.schema import FIELDS
n = int(sys.argv[2])
df = pd.DataFrame({k: pd.Series(["x" * 40] * n, dtype="string") if t == "string" else pd.Series(np.arange(n) % 3 + 1, dtype=t)
                   for k, t in FIELDS.items()})
gdf = gpd.GeoDataFrame(df, geometry=shapely.points(np.random.default_rng(0).uniform(-10, 10, (n, 2))), crs=4326)
print("ready", flush=True)
to_file(gdf, sys.argv[1])
"""


@pytest.mark.slow
def test_kill_during_write_keeps_the_previous_file(tmp_path):
    target = tmp_path / "events.geojson"
    target.write_text('{"type": "FeatureCollection", "features": []}\n')
    before = target.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), "400000"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until the temporary file is being written
        tmp = [p for p in tmp_path.iterdir() if p.name.startswith(".events.") and p.stat().st_size > 1_000_000]
        if tmp or proc.poll() is not None:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the writer finished before it could be killed; raise the row count"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert target.read_bytes() == before
    # the killed writer's temporary file is ours by name and its process is gone: the next write removes it
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".events.geojson.mapper-tmp-")]
    assert left
    with atomic_path(target) as tmp:
        tmp.write_text("new")
    assert [p.name for p in tmp_path.iterdir()] == ["events.geojson"] and target.read_text() == "new"


def test_error_inside_the_block_removes_the_temporary_file(tmp_path):
    target = tmp_path / "out.geojson"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


def test_unwritable_folder_is_an_export_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot write"):
        with atomic_path(blocker / "sub" / "out.geojson"):
            pass


def test_inputs_are_never_modified(tmp_path):
    from click.testing import CliRunner

    from mapper.cli import main

    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in EXAMPLES.iterdir()}
    mtimes = {p.name: p.stat().st_mtime_ns for p in EXAMPLES.iterdir()}
    assert CliRunner().invoke(main, ["map", str(EXAMPLES), "--out-dir", str(tmp_path)]).exit_code == 0
    assert digest == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in EXAMPLES.iterdir()}
    assert mtimes == {p.name: p.stat().st_mtime_ns for p in EXAMPLES.iterdir()}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _map(out: Path, *extra) -> object:
    return CliRunner().invoke(main, ["map", str(EXAMPLES), "--out-dir", str(out), *map(str, extra)])


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("first") / "out"
    r = _map(out)
    assert r.exit_code == 0, r.output
    return out


def _copy(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for p in src.iterdir():
        (dst / p.name).write_bytes(p.read_bytes())
    return dst


def test_a_failed_map_replaces_none_of_its_outputs(first_run, tmp_path, monkeypatch):
    """Regression: a failed `mapper map` (disk full while writing map.html) still replaced events.geojson."""
    out = _copy(first_run, tmp_path / "out")
    before = _files(out)
    from mapper import pipeline

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline, "write_review", full)  # the last of the three outputs fails
    r = _map(out, "--title", "Other")
    assert r.exit_code == 4 and r.output.strip().splitlines() == [
        f"mapper: error: {out}: cannot write: the disk is full (no space left on device)"
    ]
    assert _files(out) == before and sorted(p.name for p in out.iterdir()) == sorted(before)


def test_an_output_that_is_a_folder_stops_the_run_before_any_swap(first_run, tmp_path):
    out = _copy(first_run, tmp_path / "out")
    (out / "map.html").unlink()
    (out / "map.html").mkdir()
    (out / "map.html" / "notes.txt").write_text("an analyst's file")
    before = _files(out)
    r = _map(out, "--title", "Other")
    assert r.exit_code == 4 and "map.html: is a folder" in r.output and len(r.output.strip().splitlines()) == 1
    assert _files(out) == before and (out / "map.html" / "notes.txt").read_text() == "an analyst's file"


def test_a_second_run_into_the_same_folder_stops_with_a_message(first_run, tmp_path):
    """Regression: two concurrent map runs into one folder could leave a mixed set. Here the real CLI runs in
    a subprocess while this process holds the folder's lock."""
    out = _copy(first_run, tmp_path / "out")
    before = _files(out)
    with folder_lock(out):
        proc = subprocess.run(
            [sys.executable, "-m", "mapper.cli", "map", str(EXAMPLES), "--out-dir", str(out)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert proc.returncode == 4, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"mapper: error: {out}: another mapper run (process {os.getpid()}) is writing into this folder; "
        "wait for it to finish or choose another output folder"
    ]
    assert _files(out) == before
    assert not (out / atomic.LOCK).exists()  # released and removed


def test_concurrent_runs_leave_one_whole_set(tmp_path):
    """Two real runs at once into one folder, with different titles: whatever happens to the second, the
    folder holds the three outputs of one run."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "mapper.cli", "map", str(EXAMPLES), "--out-dir", str(out), "--no-dedup"]
    procs = [subprocess.Popen([*cmd, "--title", t], stderr=subprocess.PIPE, text=True) for t in ("Run A", "Run B")]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert any(code == 0 for code, _ in results), results
    for code, err in results:
        assert code == 0 or (code == 4 and "another mapper run" in err), err
    page = (out / "map.html").read_text(encoding="utf-8")
    title = "Run A" if "<title>Run A</title>" in page else "Run B"
    assert f"<title>{title}</title>" in page
    assert sorted(p.name for p in out.iterdir()) == ["events.geojson", "map.html", "review.csv"]


def test_kill_9_during_a_map_run_is_cleaned_by_the_next_run(first_run, tmp_path):
    """Regression: kill -9 left temporaries that were never cleaned. The real CLI is killed once its
    staging folder exists; the previous outputs are intact, and the next run leaves nothing hidden."""
    out = _copy(first_run, tmp_path / "out")
    before = _files(out)
    proc = subprocess.Popen([sys.executable, "-m", "mapper.cli", "map", str(EXAMPLES), "--out-dir", str(out)])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(out.glob(".mapper-stage-*")) and proc.poll() is None:
        time.sleep(0.01)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _files(out) == before | {k: v for k, v in _files(out).items() if k == atomic.LOCK}
    assert list(out.glob(".mapper-stage-*"))
    r = _map(out)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["events.geojson", "map.html", "review.csv"]


def test_a_swap_killed_half_way_is_completed_by_the_next_run(tmp_path):
    """The staging folder is marked ready before the first rename: a kill in the swap leaves a state the
    next run rolls forward, so the folder ends with the new set, never a mix."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("old a")
    (out / "b.txt").write_text("old b")
    stage = out / f"{atomic.STAGE}-{DEAD_PID}-0000"
    (stage / ".old").mkdir(parents=True)
    (stage / ".ready").touch()
    os.rename(out / "a.txt", stage / ".old" / "a.txt")  # a was swapped: old aside, new in ...
    (out / "a.txt").write_text("new a")
    (stage / "b.txt").write_text("new b")  # ... b was not yet
    with folder_lock(out):
        recover(out)
    assert {p.name: p.read_text() for p in out.iterdir()} == {"a.txt": "new a", "b.txt": "new b"}


def test_a_staging_folder_not_ready_is_dropped(tmp_path):
    out = tmp_path / "out"
    (out / f"{atomic.STAGE}-{DEAD_PID}-0000").mkdir(parents=True)
    (out / f"{atomic.STAGE}-{DEAD_PID}-0000" / "a.txt").write_text("half")
    (out / "a.txt").write_text("old")
    (out / ".notes.txt").write_text("not ours")
    (out / ".a.txt.7f3a").write_text("not ours either")
    with output_set(out) as stage:
        (stage / "b.txt").write_text("b")
    assert sorted(p.name for p in out.iterdir()) == [".a.txt.7f3a", ".notes.txt", "a.txt", "b.txt"]
    assert (out / "a.txt").read_text() == "old"


def test_folder_swap_keeps_a_complete_folder_at_every_instant(tmp_path, monkeypatch):
    """Regression: the dask engine deleted the old events.parquet folder before renaming the new one in.
    Now the old one is renamed aside first; a kill between the two renames leaves it complete under its
    hidden name, and the next write restores it."""
    target = tmp_path / "events.parquet"
    target.mkdir()
    (target / "part.0.parquet").write_text("old")

    class Killed(BaseException):
        pass

    real_rename = os.rename
    calls: list[tuple[str, str]] = []

    def rename(a, b):
        calls.append((Path(a).name, Path(b).name))
        if len(calls) == 2:  # the new folder's rename into place: the process dies here
            raise Killed
        real_rename(a, b)

    monkeypatch.setattr(atomic.os, "rename", rename)
    monkeypatch.setattr(atomic, "_remove", lambda p: None)  # a killed process cleans nothing
    with pytest.raises(Killed):
        with atomic_dir(target) as tmp:
            (tmp / "part.0.parquet").write_text("new")
    monkeypatch.undo()
    assert calls[0][0] == "events.parquet" and ".mapper-old-" in calls[0][1]
    aside = [p for p in tmp_path.iterdir() if ".mapper-old-" in p.name]
    assert not target.exists() and (aside[0] / "part.0.parquet").read_text() == "old"
    os.rename(aside[0], tmp_path / aside[0].name.replace(str(os.getpid()), str(DEAD_PID)))
    for p in tmp_path.iterdir():
        if ".mapper-tmp-" in p.name:
            os.rename(p, tmp_path / p.name.replace(str(os.getpid()), str(DEAD_PID)))
    atomic.clean_stale(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.parquet"]
    assert (target / "part.0.parquet").read_text() == "old"


def test_reruns_keep_the_mode_and_new_outputs_get_the_umask(first_run, tmp_path):
    """Regression: a rerun reset 0600 to 0644, and dask output folders were created 0700."""
    out = _copy(first_run, tmp_path / "out")
    os.chmod(out / "events.geojson", 0o600)
    os.chmod(out / "review.csv", 0o640)
    old = os.umask(0o022)
    try:
        assert _map(out).exit_code == 0
        mode = {p.name: p.stat().st_mode & 0o777 for p in out.iterdir()}
        assert mode == {"events.geojson": 0o600, "review.csv": 0o640, "map.html": 0o644}
        folder = tmp_path / "events.parquet"
        with atomic_dir(folder) as tmp:
            (tmp / "part.0.parquet").write_text("x")
        assert folder.stat().st_mode & 0o777 == 0o755
        os.chmod(folder, 0o750)
        with atomic_dir(folder) as tmp:
            (tmp / "part.0.parquet").write_text("y")
        assert folder.stat().st_mode & 0o777 == 0o750
        os.umask(0o077)
        with atomic_path(tmp_path / "new.csv") as tmp:
            tmp.write_text("x")
        assert (tmp_path / "new.csv").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


def test_writers_survive_lone_surrogates(tmp_path):
    """Regression: a lone surrogate escape (JSON "\\ud800") reaching the writers crashed map and every export
    with UnicodeEncodeError. Records holding one become frames, maps, review lists and every format, with
    U+FFFD in its place. (Reading such JSON is the table reader's part.)"""
    import mapper
    from mapper.frame import to_geodataframe

    record = {
        "event_id": "e1",
        "category": "clash",
        "event_date": "2020-10-12",
        "location": "Lashkar Gah",
        "source": "t.json",
        "source_text": "bad \ud800 escape",
        "review": "not found: X\udfff",
        "lat": 31.59,
        "lon": 64.37,
    }
    events = to_geodataframe([record])
    assert events["source_text"][0] == "bad \ufffd escape"
    mapper.save_map(mapper.make_map(events, title="T \ud800"), tmp_path / "map.html")
    assert "T \ufffd" in (tmp_path / "map.html").read_text(encoding="utf-8")
    assert mapper.write_review(events, tmp_path / "review.csv") == 1
    for suffix in (".geojson", ".gpkg", ".kml", ".csv", ".parquet"):
        mapper.to_file(events, tmp_path / f"e{suffix}")
    fc = json.loads((tmp_path / "e.geojson").read_text(encoding="utf-8"))
    assert fc["features"][0]["properties"]["source_text"] == "bad \ufffd escape"
