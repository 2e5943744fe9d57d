"""Atomic writes: every output is written beside its target under a temporary name and moved into place.

* :func:`atomic_path` — one file: a temporary file beside the target, renamed over it when complete.
* :func:`atomic_dir` — one folder (partitioned GeoParquet): the new folder is built beside the target; then
  the old one is renamed aside, the new one renamed in, and only then the old one deleted, so at every
  instant a complete folder exists (at the target, or at its hidden ``.NAME.mapper-old-…`` name, from
  which the next run restores it).
* :func:`output_set` — the outputs of one run (``map.html``, ``events.geojson``, ``review.csv``, …):
  written into one staging folder beside them, then swapped in together. A lock file (``.mapper.lock``)
  stops a second run into the same folder with a message. A run killed in the swap is completed by the
  next run into that folder (the staging folder is marked ready before the first rename), a run killed
  before it is dropped: the folder holds either the old set or the new one.

Temporaries carry the writer's process id (``.NAME.mapper-tmp-PID-…``, ``.mapper-stage-PID-…``); those
of a process that no longer runs are removed by the next write to the same place. Nothing else is touched.
A replaced output keeps its permission mode; a new one gets the umask's.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

from .errors import ExportError

TMP = "mapper-tmp"
OLD = "mapper-old"
STAGE = ".mapper-stage"
LOCK = ".mapper.lock"
_READY = ".ready"
_SURROGATE = re.compile("[\ud800-\udfff]")
_ASIDE = ".old"


def cannot_write(target: str | Path, e: OSError) -> ExportError:
    """The one-line error for an OS error while writing ``target`` (a full disk says so)."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExportError(f"{target}: cannot write: the disk is full (no space left on device)")
    return ExportError(f"{target}: cannot write ({e.strerror or e})")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def default_mode(is_dir: bool) -> int:
    """The mode a new file or folder gets under the current umask."""
    return (0o777 if is_dir else 0o666) & ~_umask()


def _keep_mode(new: Path, previous: Path | None) -> None:
    """``new`` gets ``previous``'s permission mode, or the umask's when there is none."""
    try:
        mode = stat.S_IMODE(previous.stat().st_mode) if previous is not None else None
    except OSError:
        mode = None
    os.chmod(new, mode if mode is not None else default_mode(new.is_dir()))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            p.unlink()


def clean_stale(target: Path) -> None:
    """Remove temporaries of ``target`` left by a process that no longer runs; restore a folder that a killed
    :func:`atomic_dir` had renamed aside when the new one never arrived."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.({TMP}|{OLD})-(\d+)-")
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for e in entries:
        m = pattern.match(e.name)
        if not m or _alive(int(m.group(2))):
            continue
        p = Path(e.path)
        if m.group(1) == OLD and not os.path.lexists(target):
            with contextlib.suppress(OSError):
                os.rename(p, target)
                continue
        _remove(p)


def _temp_name(target: Path, kind: str = TMP) -> Path:
    return target.parent / f".{target.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}{target.suffix}"


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder (same suffix, not yet created: writers such as GDAL
    want to create the file themselves); on success it replaces the target. On any error the temporary
    file is removed and the previous target is left as it was."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise cannot_write(target, e) from None
    clean_stale(target)
    tmp = _temp_name(target)
    try:
        yield tmp
        _keep_mode(tmp, target if target.exists() else None)
        os.replace(tmp, target)
    except ExportError:
        raise
    except OSError as e:
        raise cannot_write(target, e) from None
    finally:
        if os.path.lexists(tmp):
            _remove(tmp)


@contextlib.contextmanager
def atomic_dir(target: str | Path) -> Iterator[Path]:
    """Yield a new temporary folder beside ``target`` (a folder of files, such as partitioned Parquet); on
    success it replaces the target: the old one is renamed aside, the new one in, then the old one
    deleted. On any error the temporary folder is removed and the previous target is left as it was."""
    target = Path(target)
    tmp = _temp_name(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(target)
        tmp.mkdir()
    except OSError as e:
        raise cannot_write(target, e) from None
    try:
        yield tmp
        _keep_mode(tmp, target if target.exists() else None)
        old = None
        if os.path.lexists(target):
            old = _temp_name(target, OLD)
            os.rename(target, old)
        os.rename(tmp, target)
        if old is not None:
            _remove(old)
    except ExportError:
        raise
    except OSError as e:
        raise cannot_write(target, e) from None
    finally:
        if os.path.lexists(tmp):
            _remove(tmp)


def write_text(target: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically (a lone surrogate, which UTF-8 cannot encode, becomes U+FFFD)."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(_SURROGATE.sub("\ufffd", text).encode("utf-8"))
    return Path(target)


# -- one run's outputs, swapped in together --------------------------------------------------------------
class BusyError(ExportError):
    """Another run is writing into the same output folder."""


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the lock file ``folder/.mapper.lock`` (an advisory lock, released when the process ends,
    however it ends; the file is removed on a normal exit); a second holder stops at once with a
    :class:`BusyError`."""
    path = folder / LOCK
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as e:
            raise cannot_write(folder, e) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            raise BusyError(
                f"{folder}: another mapper run{f' (process {other})' if other else ''} is writing into this "
                "folder; wait for it to finish or choose another output folder"
            ) from None
        try:  # the holder before us may have removed the file between our open and our lock: lock anew
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)  # releases the lock


def _roll_forward(stage: Path, folder: Path) -> None:
    """Move every entry of a ready staging folder over its target (the target aside first), then remove the
    staging folder with the old outputs in it. Safe to run again after a kill at any point."""
    aside = stage / _ASIDE
    aside.mkdir(exist_ok=True)
    for entry in sorted(stage.iterdir()):
        if entry.name in (_READY, _ASIDE):
            continue
        target = folder / entry.name
        previous = target if os.path.lexists(target) else aside / entry.name
        _keep_mode(entry, previous if os.path.lexists(previous) else None)
        if os.path.lexists(target):
            if os.path.lexists(aside / entry.name):
                _remove(aside / entry.name)
            os.rename(target, aside / entry.name)
        os.rename(entry, target)
    shutil.rmtree(stage)


def recover(folder: Path) -> None:
    """Finish the swap of a run that was killed in it; drop the staging folders of runs killed earlier. Call
    with the folder's lock held."""
    for p in sorted(folder.glob(f"{STAGE}-*")):
        if not p.is_dir():
            continue
        if (p / _READY).exists():
            _roll_forward(p, folder)
        else:
            shutil.rmtree(p, ignore_errors=True)


@contextlib.contextmanager
def output_set(folder: str | Path) -> Iterator[Path]:
    """Yield a staging folder inside ``folder``: write every output of the run into it under its final
    name; when the body returns, all of them replace their targets together. On an error nothing in
    ``folder`` changes. A second run into the same folder at the same time stops with :class:`BusyError`."""
    folder = Path(folder)
    created = [p for p in (folder, *folder.parents) if not p.exists()]  # removed again if the run fails
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise cannot_write(folder, e) from None
    try:
        with _locked_set(folder) as stage:
            yield stage
    except BaseException:
        for p in created:  # innermost first; only folders this call made and that stayed empty
            with contextlib.suppress(OSError):
                p.rmdir()
        raise


@contextlib.contextmanager
def _locked_set(folder: Path) -> Iterator[Path]:
    with folder_lock(folder):
        try:
            recover(folder)
            stage = folder / f"{STAGE}-{os.getpid()}-{secrets.token_hex(4)}"
            stage.mkdir()
        except OSError as e:
            raise cannot_write(folder, e) from None
        try:
            yield stage
            _check_replaceable(stage, folder)
            (stage / _READY).touch()
            _roll_forward(stage, folder)
        except ExportError:
            raise
        except OSError as e:
            raise cannot_write(folder, e) from None
        finally:
            if stage.exists() and not (stage / _READY).exists():
                shutil.rmtree(stage, ignore_errors=True)


def _check_replaceable(stage: Path, folder: Path) -> None:
    """A file output never replaces a folder (an analyst's folder named like an output stays)."""
    for entry in stage.iterdir():
        target = folder / entry.name
        if target.is_dir() and not entry.is_dir():
            raise ExportError(f"{target}: is a folder; move it away or choose another output folder")
