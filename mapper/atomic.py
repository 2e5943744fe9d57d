"""Atomic writes: every output goes to a temporary file beside its target and is moved into place."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from gazetteer.atomic import replacing

from .errors import ExportError


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder (same suffix); on success it replaces the target.
    On any error the temporary file is removed and the previous target is left as it was (the gazetteer's
    :func:`gazetteer.atomic.replacing`, with write errors as :class:`ExportError`)."""
    target = Path(target)
    try:
        with replacing(target, prefix=f".{target.stem}.", suffix=target.suffix, create=False) as tmp:
            yield tmp
    except OSError as e:
        raise ExportError(f"{target}: cannot write ({e.strerror or e})") from None


@contextlib.contextmanager
def atomic_dir(target: str | Path) -> Iterator[Path]:
    """Yield a new temporary folder beside ``target`` (a folder of files, such as partitioned Parquet); on
    success it replaces the target. On any error the temporary folder is removed and the previous target is
    left as it was."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as e:
        raise ExportError(f"{target}: cannot write ({e.strerror})") from None
    try:
        yield tmp
        if target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        tmp.rename(target)
    except OSError as e:
        raise ExportError(f"{target}: cannot write ({e.strerror or e})") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_text(target: str | Path, text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)
