"""The one walk over an input folder: every layer that expands a folder into files calls :func:`files_under`.

Rules: files are returned sorted by path; hidden files and hidden folders (names starting with ".", such as
``.git`` or this tool's own temporaries) are skipped; symbolic links to folders are not followed; a
subfolder or file that cannot be read is an error naming it, or — with ``skip_unreadable`` — a warning
naming it, passed to ``on_warning``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .errors import InputError


def files_under(
    folder: str | Path,
    skip_unreadable: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> list[Path]:
    """Every visible, readable file under ``folder`` (recursively), sorted."""
    out: list[Path] = []

    def unreadable(path: str, why: str) -> None:
        message = f"{path}: cannot read this {why}"
        if not skip_unreadable:
            raise InputError(f"{message} (fix its permissions, or pass --skip-unreadable to go on without it)")
        if on_warning is not None:
            on_warning(f"{message}; skipped")

    def onerror(e: OSError) -> None:
        unreadable(str(e.filename), "folder")

    for root, dirs, files in os.walk(folder, onerror=onerror):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            if os.path.isfile(path):
                if not os.access(path, os.R_OK):
                    unreadable(path, "file")
                    continue
                out.append(Path(path))
    return sorted(out)
