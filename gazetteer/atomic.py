"""Files replaced as a whole: a temporary file beside the target, moved into place when it is complete,
and the clean-up of temporaries a killed process left behind.

Raises plain ``OSError``; callers say what could not be written (``mapper.atomic`` builds on this).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: stale temporaries are told by their age alone
    fcntl = None  # type: ignore[assignment]

# a temporary younger than this is never taken for stale (the instant between creating and locking it)
STALE_AFTER_S = 10.0
# without file locks (Windows), a temporary untouched for this long is taken for stale
STALE_UNLOCKED_AFTER_S = 3600.0


@contextlib.contextmanager
def replacing(
    target: str | os.PathLike,
    *,
    prefix: str | None = None,
    suffix: str = ".tmp",
    create: bool = True,
    hold_lock: bool = False,
) -> Iterator[Path]:
    """Yield a temporary path in the target's folder (``prefix`` defaults to ``NAME.``); when the block
    ends without error the temporary replaces ``target`` in one rename, so readers see the old file or
    the new one, never a mix. On any error the temporary is removed and ``target`` left as it was.

    ``create=False``: the path is left free for writers that create the file themselves (GDAL).
    ``hold_lock``: an exclusive lock is held on the temporary while the block runs, so that
    :func:`remove_stale` in another process can tell a live writer from a killed one.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=target.name + "." if prefix is None else prefix, suffix=suffix, dir=target.parent
    )
    tmp = Path(name)
    try:
        if hold_lock and fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            os.close(fd)
            fd = -1
        if not create:
            os.unlink(tmp)
        yield tmp
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if fd >= 0:
            os.close(fd)


def write_text(target: str | os.PathLike, text: str) -> Path:
    """Write a UTF-8 text file as a whole (see :func:`replacing`)."""
    with replacing(target, prefix=f".{Path(target).name}.") as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def remove_stale(folder: str | os.PathLike, pattern: str, min_age_s: float = STALE_AFTER_S) -> list[Path]:
    """Remove the temporaries matching ``pattern`` in ``folder`` that no live process is writing (their
    writer was killed); an SQLite ``NAME-journal`` goes when its ``NAME`` is gone. Returns what was removed;
    never raises (a temporary that cannot be removed stays)."""
    removed: list[Path] = []
    now = time.time()
    try:
        found = sorted(Path(folder).glob(pattern))
    except OSError:
        return removed
    for path in found:
        try:
            if now - path.stat().st_mtime < min_age_s:
                continue
            if path.name.endswith("-journal"):
                if not path.with_name(path.name[: -len("-journal")]).exists():
                    path.unlink()
                    removed.append(path)
            elif _unlink_if_unlocked(path, now):
                removed.append(path)
        except OSError:
            continue
    return removed


def _unlink_if_unlocked(path: Path, now: float) -> bool:
    if fcntl is None:  # pragma: no cover - Windows
        if now - path.stat().st_mtime < STALE_UNLOCKED_AFTER_S:
            return False
        path.unlink()
        return True
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a live writer holds it
        path.unlink()
        return True
    finally:
        os.close(fd)
