"""The index files on disk (the bundled index, the imports layer): written as a whole through a locked
working copy, opened read-only, and what went wrong said plainly (damaged, not an index, permission
denied, disk full), with the fix in the message. Kept apart from ``build.py``, whose source is part of
the index's data version: changes here do not rebuild anyone's index.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from .atomic import STALE_UNLOCKED_AFTER_S, remove_stale, replacing
from .errors import (
    CorruptIndexError,
    DiskFullError,
    GazetteerError,
    IndexPermissionError,
    IndexReadError,
    IndexWriteError,
)

SQLITE_FULL = 13  # sqlite3 error codes: "database or disk is full"
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26  # "database disk image is malformed", "file is not a database"
_SQLITE_MAGIC = b"SQLite format 3\x00"
BUILD_HINT = "run `mapper gazetteer build` to rebuild it"
LOCKED_SUFFIX = ".locked.tmp"  # working copies whose writer holds a lock on them while it lives
IMPORTS_HINT = "delete it and run `mapper gazetteer import` again with your GeoNames files"


@contextlib.contextmanager
def replacing_database(target: Path, copy_existing: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection to a working copy beside ``target`` (a copy of it when ``copy_existing``). On success
    it is committed and moved into place; on any error it is removed and ``target`` is left as it was, so
    concurrent readers and interrupted runs never see a half-written index. The working copy is locked
    while it is written: a copy left by a killed run is told apart and removed by :func:`remove_stale_copies`."""
    with replacing(target, suffix=LOCKED_SUFFIX, hold_lock=True) as tmp:
        if copy_existing and target.exists():
            shutil.copyfile(target, tmp)
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA synchronous=OFF")
            yield con
            con.commit()
        finally:
            con.close()


def remove_stale_copies(folder: Path) -> list[Path]:
    """Remove the working copies and their journals that killed runs left in ``folder``: a locked kind
    (``*.sqlite.*.locked.tmp``) as soon as no live process holds its lock; the unlocked kind that
    earlier versions wrote (``*.sqlite.*.tmp``) only when untouched for an hour, since its writer may
    still be at work."""
    return (
        remove_stale(folder, f"*.sqlite.*{LOCKED_SUFFIX}")
        + remove_stale(folder, "*.sqlite.*.tmp", min_age_s=STALE_UNLOCKED_AFTER_S)
        + remove_stale(folder, "*.sqlite.*.tmp-journal")
    )


def write_error(what: str, e: BaseException) -> GazetteerError:
    """The error to raise when writing an index failed: ``what`` (\"cannot write the place index to
    DIR\") and why, saying plainly when the disk is full or permission is denied."""
    if isinstance(e, GazetteerError):
        return e
    if isinstance(e, PermissionError):
        return IndexPermissionError(f"{what}: permission denied ({e.strerror or e})")
    full = (isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT)) or (
        isinstance(e, sqlite3.Error) and getattr(e, "sqlite_errorcode", 0) & 0xFF == SQLITE_FULL
    )
    if full or "disk is full" in str(e):
        return DiskFullError(f"{what}: the disk is full ({e.strerror if isinstance(e, OSError) and e.strerror else e})")
    return IndexWriteError(f"{what}: {e.strerror if isinstance(e, OSError) and e.strerror else e}")


def is_damage(e: sqlite3.Error) -> bool:
    """True when SQLite says the file is damaged or not a database at all."""
    code = getattr(e, "sqlite_errorcode", 0) & 0xFF
    return code in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in str(e) or "not a database" in str(e)


def open_error(path: Path, e: sqlite3.Error, hint: str) -> GazetteerError:
    """The error to raise when an index file cannot be opened or read: missing, a permission problem,
    not an index, damaged, or an I/O error, each said plainly (with ``hint`` for the damaged ones)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return IndexReadError(f"{path}: no such index file")
    except PermissionError:
        return IndexPermissionError(
            f"{path}: permission denied (cannot read the place index; check the permissions of the file and its folder)"
        )
    except IsADirectoryError:
        return CorruptIndexError(f"{path}: not a gazetteer index (it is a folder)")
    except OSError as err:
        return IndexReadError(f"{path}: cannot read the place index ({err.strerror or err})")
    if head != _SQLITE_MAGIC:
        return CorruptIndexError(f"{path}: not a gazetteer index (not an SQLite file); {hint}")
    if is_damage(e) or "no such table" in str(e) or "no version" in str(e):
        return CorruptIndexError(f"{path}: the place index is damaged ({e}); {hint}")
    return IndexReadError(f"{path}: cannot read the place index ({e})")
