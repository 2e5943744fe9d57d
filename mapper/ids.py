"""The one event-id hasher: a stable 16-hex-digit id from the source file's name and what identifies the
event inside it (a report's category, date and first sentence; a table's row)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def event_id(source: str, *parts: str) -> str:
    """sha1 of ``name|part|part...`` (``name``: the source's file name, so ids survive moving the folder)."""
    key = "|".join([Path(source).name, *parts])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def event_ids(source: str, *columns) -> list[str]:
    """:func:`event_id` of each row of aligned columns (the file name taken once)."""
    prefix = Path(source).name
    return [
        hashlib.sha1("|".join((prefix, *parts)).encode("utf-8")).hexdigest()[:16]
        for parts in zip(*columns, strict=True)
    ]
