"""What can go wrong in the gazetteer: one tree of exceptions under :class:`GazetteerError`.

Each class also subclasses the matching built-in (``OSError``, ``PermissionError``, ``ValueError``), so
a caller may catch either, and carries ``exit_code``, the code a command-line shell should exit with:
3 when the place index itself is the problem, 2 when a file the user gave (a GeoNames dump, an overrides
CSV) is malformed. The gazetteer imports nothing from ``mapper``; ``mapper.errors`` re-exports this tree.
"""

from __future__ import annotations

__all__ = [
    "CorruptIndexError",
    "DiskFullError",
    "DumpFormatError",
    "GazetteerError",
    "GazetteerInputError",
    "IndexPermissionError",
    "IndexReadError",
    "IndexWriteError",
    "OverridesError",
]


class GazetteerError(Exception):
    """Root of every error the gazetteer raises on purpose: the place index cannot be built, opened,
    read or extended."""

    exit_code = 3


class IndexReadError(GazetteerError, OSError):
    """An index file (the bundled index or the imports layer) cannot be opened or read (missing, I/O)."""

    exit_code = 3


class IndexPermissionError(GazetteerError, PermissionError):
    """The index file or its folder may not be read or written by this user."""

    exit_code = 3


class CorruptIndexError(GazetteerError, ValueError):
    """A file is not a place index, or its pages are damaged; the message says how to rebuild it."""

    exit_code = 3


class IndexWriteError(GazetteerError, OSError):
    """The index (or the imports layer) cannot be written."""

    exit_code = 3


class DiskFullError(IndexWriteError):
    """The index cannot be written because the disk is full."""

    exit_code = 3


class GazetteerInputError(GazetteerError, ValueError):
    """A file the user gave the gazetteer is missing, unreadable or malformed (bad input)."""

    exit_code = 2


class DumpFormatError(GazetteerInputError):
    """A GeoNames dump or admin code file to import cannot be read or has a malformed line."""

    exit_code = 2


class OverridesError(GazetteerInputError):
    """An overrides CSV cannot be read or has a malformed row."""

    exit_code = 2
