"""Outputs are replaced atomically; a kill in the middle of a write leaves the previous file intact;
inputs are never modified."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time

import pytest

from mapper.atomic import atomic_path
from mapper.errors import ExportError

from .conftest import EXAMPLES

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
