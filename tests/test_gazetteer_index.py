"""The place index file in trouble: damaged pages (rebuilt automatically, said once on stderr), a damaged
imports layer (a clear exit-3 error that says what to do), a full disk, permission problems, working
copies left by killed builds, and the progress line of a slow first build. Every test works on a small
index in its own cache folder: none rebuilds the 20-second bundled one."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import gazetteer.build as build
import gazetteer.index as index
from gazetteer import Gazetteer
from gazetteer.atomic import remove_stale, replacing
from gazetteer.errors import (
    CorruptIndexError,
    DiskFullError,
    GazetteerError,
    IndexPermissionError,
    IndexReadError,
    IndexWriteError,
)
from mapper.cli import main
from tests.small_index import RECORDS, build_small

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder in use, with the bundled build replaced by the small one."""
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("INCIDENT_MAPPER_CACHE", str(folder))
    monkeypatch.setattr(index, "build_index", lambda path, records=None: build_small(path))
    Gazetteer.reset_default()
    yield folder
    Gazetteer.reset_default()


def _damage_pages(path: Path) -> None:
    """Overwrite every page after the first two with garbage (the header and schema stay readable)."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for i in range(2 * page, len(data)):
        data[i] = (i * 7 + 13) % 256
    path.write_bytes(bytes(data))


def _damage_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = b"\x00not sqlite" * 9 + b"\x00"
    path.write_bytes(bytes(data))


# -- damaged files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", [_damage_pages, _damage_header], ids=["pages", "header"])
def test_damaged_bundled_index_is_rebuilt_and_said_once(cache, capsys, damage):
    path = index.ensure_index()
    damage(path)
    with pytest.raises(sqlite3.DatabaseError):  # really damaged: SQLite itself refuses it
        con = sqlite3.connect(path)
        con.execute("SELECT * FROM names WHERE key='n:kandahar'").fetchall()
        con.execute("PRAGMA integrity_check").fetchall()
    capsys.readouterr()
    gz = Gazetteer.default()
    assert gz.geocode("Lashkargah").place.place_id == "geonames:1134720"
    assert gz.geocode("Kandahar").place.place_id == "geonames:1138335"
    err = capsys.readouterr().err
    assert err.count("is damaged") == 1 and "rebuilding it" in err and str(path) in err
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_damage_found_in_the_middle_of_a_run_is_repaired(cache, capsys):
    gz = Gazetteer.default()
    assert gz.geocode("Kandahar") is not None
    _damage_pages(gz.path)
    gz._layers[0].keys.cache_clear()
    assert gz.geocode("Helmand Province").place.kind == "admin1"  # asked again after the repair
    assert capsys.readouterr().err.count("is damaged") == 1


def test_a_file_that_stays_damaged_is_a_clear_error(cache, monkeypatch):
    path = index.ensure_index()
    _damage_pages(path)

    def rebuild_badly(p, records=None):
        build_small(p)
        _damage_pages(p)

    monkeypatch.setattr(index, "build_index", rebuild_badly)
    with pytest.raises(CorruptIndexError, match=r"damaged .*run `mapper gazetteer build`") as e:
        Gazetteer.default().geocode("Kandahar")
    assert "\n" not in str(e.value)


def test_damaged_imports_layer_says_to_import_again(cache):
    bundled = index.ensure_index()
    imports = index.imports_path()
    build_small(imports)
    con = sqlite3.connect(imports)
    con.execute("INSERT INTO meta VALUES ('key_version', ?)", (__import__("gazetteer.imports").imports.key_version(),))
    con.commit()
    con.close()
    _damage_pages(imports)
    with pytest.raises(CorruptIndexError, match="imports.sqlite: the place index is damaged .*import` again"):
        Gazetteer(bundled, imports=imports).geocode("Kandahar")
    r = CliRunner().invoke(main, ["geocode", "Kandahar"])
    assert r.exit_code == 3
    assert r.output.startswith("mapper: error: ") and r.output.count("\n") == 1
    assert "damaged" in r.output and "mapper gazetteer import" in r.output


def test_not_an_index_at_all(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"hello, not a database" * 100)
    with pytest.raises(CorruptIndexError, match="not a gazetteer index"):
        Gazetteer(junk)
    with pytest.raises(IndexReadError, match="no such index file"):
        Gazetteer(tmp_path / "missing.sqlite")
    with pytest.raises(CorruptIndexError, match="it is a folder"):
        Gazetteer(tmp_path)


def test_cli_repairs_a_damaged_index(cache):
    _damage_header(index.ensure_index())
    r = CliRunner().invoke(main, ["geocode", "Lashkargah"])
    assert r.exit_code == 0, r.output
    assert "geonames:1134720" in r.output


# -- a full disk -----------------------------------------------------------------------------------


class _FullDisk:
    """A connection whose bulk inserts fail as SQLite's do when the disk is full."""

    def __init__(self, con):
        self._con = con

    def __getattr__(self, name):
        return getattr(self._con, name)

    def executemany(self, *_a):
        raise sqlite3.OperationalError("database or disk is full")


@pytest.mark.parametrize("how", ["sqlite", "oserror"])
def test_disk_full_during_the_first_build(cache, monkeypatch, how):
    path = index.index_path()
    monkeypatch.setattr(build, "_records", lambda: iter(RECORDS))  # the real build, of a small index
    if how == "sqlite":
        real = build.replacing_database

        @contextlib.contextmanager
        def full(target, copy_existing=False):
            with real(target, copy_existing) as con:
                yield _FullDisk(con)

        monkeypatch.setattr(build, "replacing_database", full)
    else:

        def no_space(*_a):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(build, "_build", no_space)
    with pytest.raises(DiskFullError, match=r"cannot write the place index to .*: the disk is full") as e:
        build.build_index(path, records=RECORDS)
    assert isinstance(e.value, IndexWriteError) and isinstance(e.value, OSError)
    assert list(cache.iterdir()) == []  # no working copy left behind
    monkeypatch.setattr(index, "build_index", build.build_index)  # the first use builds for real
    r = CliRunner().invoke(main, ["geocode", "Kabul"])
    assert r.exit_code == 3
    assert r.output.startswith("mapper: error: cannot write the place index to ") and "the disk is full" in r.output
    r = CliRunner().invoke(main, ["gazetteer", "build"])
    assert r.exit_code == 3 and "the disk is full" in r.output and r.output.count("\n") == 1


def test_disk_full_on_a_real_small_filesystem(tmp_path):
    """A tmpfs of 64 KB where the machine lets us mount one (root in a container); else skipped."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        many = [
            ((f"t:{i}", f"Town {i}", 1.0, 2.0, "AF", "", "", "", "place", i, "", "t"), [f"Town {i}"] * 3)
            for i in range(3000)
        ]
        before = mnt / "gazetteer-x.sqlite"
        build_small(before)
        old = before.read_bytes()
        with pytest.raises(DiskFullError, match="the disk is full"):
            build.build_index(before, records=many)
        assert before.read_bytes() == old  # the previous index is kept
        assert [p.name for p in mnt.iterdir()] == [before.name]  # and no working copy is left
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


# -- permissions -------------------------------------------------------------------------------------


def test_permission_problem_is_said_so(tmp_path, monkeypatch):
    path = build_small(tmp_path / "gz.sqlite")
    real_open = open

    def no_access(file, *a, **k):
        if Path(file) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *a, **k)

    monkeypatch.setattr("builtins.open", no_access)
    e = index.open_error(path, sqlite3.OperationalError("unable to open database file"), index.BUILD_HINT)
    assert isinstance(e, IndexPermissionError) and isinstance(e, PermissionError)
    assert "permission denied" in str(e) and "not a gazetteer index" not in str(e)


def _as_nobody(args, env):
    return subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", PYTHON, "-m", "mapper.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to run as another user")
def test_unreadable_index_file_and_folder_as_another_user(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    tmp_path.chmod(0o755)
    env = {**os.environ, "INCIDENT_MAPPER_CACHE": str(cache)}
    env.pop("PYTHONPATH", None)
    build_small(cache / index.index_path().name)  # owned by root, mode 0600
    cache.chmod(0o755)
    r = _as_nobody(["geocode", "Kabul"], env)
    if "No module named" in r.stderr:
        pytest.skip("the other user cannot read the virtualenv")
    assert r.returncode == 3, r.stderr
    assert "permission denied" in r.stderr and "not a gazetteer index" not in r.stderr
    assert r.stderr.count("\n") == 1
    cache.chmod(0o700)  # now the folder itself cannot be looked into
    r = _as_nobody(["geocode", "Kabul"], env)
    assert r.returncode == 3 and "permission denied" in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1


# -- working copies left by killed builds ----------------------------------------------------------------


def test_stale_working_copy_is_removed_on_the_next_run(cache):
    path = index.ensure_index()
    stale = cache / f"{path.name}.k1ll3d.locked.tmp"  # a killed build's copy: nobody holds its lock
    stale.write_bytes(b"half an index")
    journal = cache / "imports.sqlite.k1ll3d.locked.tmp-journal"
    journal.write_bytes(b"journal of a dead import")
    fresh = cache / f"{path.name}.fresh1.locked.tmp"  # another process is creating this one right now
    fresh.write_bytes(b"")
    older_kind = cache / f"{path.name}.abcdef.tmp"  # unlocked, as earlier versions wrote them
    older_kind.write_bytes(b"")
    older_kind_live = cache / f"{path.name}.ghijkl.tmp"  # ... maybe still being written by one
    older_kind_live.write_bytes(b"")
    for p, age in ((stale, 600), (journal, 600), (older_kind, 7200), (older_kind_live, 600)):
        os.utime(p, (time.time() - age, time.time() - age))
    Gazetteer.reset_default()
    gz = Gazetteer.default()
    assert not stale.exists() and not journal.exists() and not older_kind.exists()
    assert fresh.exists() and older_kind_live.exists()
    assert gz.geocode("Kandahar") is not None


def test_a_live_build_keeps_its_working_copy(tmp_path):
    target = tmp_path / "gazetteer-x.sqlite"
    with replacing(target, hold_lock=True) as tmp:
        tmp.write_bytes(b"being written")
        os.utime(tmp, (time.time() - 600, time.time() - 600))
        assert remove_stale(tmp_path, "*.tmp") == []  # locked by a live writer
        assert tmp.exists()
    assert target.read_bytes() == b"being written"


def test_kill_9_during_a_build_leaves_a_copy_the_next_run_removes(cache):
    """The real CLI killed in the middle of `mapper gazetteer build`; the next use cleans up."""
    env = {**os.environ, "INCIDENT_MAPPER_CACHE": str(cache)}
    proc = subprocess.Popen([PYTHON, "-m", "mapper.cli", "gazetteer", "build"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 120
        while not list(cache.glob("*.tmp")) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        left = list(cache.glob("*.tmp"))
        assert all(p.name.endswith(".locked.tmp") for p in left)
        if not left:
            pytest.fail("the build never started its working copy")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert [p for p in cache.glob("*.tmp") if p.exists()] == left  # kill -9: nothing cleaned up
    for p in left:
        os.utime(p, (time.time() - 600, time.time() - 600))
    path = index.ensure_index()  # the next run (with the small build)
    assert list(cache.glob("*.tmp")) == []
    assert Gazetteer(path).geocode("Kandahar") is not None


# -- progress ----------------------------------------------------------------------------------------------


def test_a_slow_first_build_says_so(cache, monkeypatch, capsys):
    def slow(path, records=None):
        time.sleep(0.4)
        return build_small(path)

    monkeypatch.setattr(index, "PROGRESS_AFTER_S", 0.1)
    monkeypatch.setattr(index, "build_index", slow)
    index.ensure_index()
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "gazetteer: building the place index (first run, ~20 s) …"
    assert err[1].startswith("gazetteer: place index ready: ") and len(err) == 2


def test_a_quick_build_says_nothing(cache, capsys):
    index.ensure_index()
    assert capsys.readouterr().err == ""


def test_every_error_here_is_a_gazetteer_error():
    for cls in (CorruptIndexError, DiskFullError, IndexPermissionError, IndexReadError, IndexWriteError):
        assert issubclass(cls, GazetteerError) and cls.exit_code == 3
