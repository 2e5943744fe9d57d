"""The exceptions of incident-mapper: the mapper's own tree under :class:`MapperError`, and the
gazetteer's tree under :class:`GazetteerError` (defined in ``gazetteer.errors``, which imports nothing
from mapper, and re-exported here).

Every error a user can cause is one of :data:`USER_ERRORS`; the CLI turns each into a one-line message
and the exit code named on the class (3 for the place index, 2 for a malformed GeoNames dump or
overrides file). Several also subclass the matching built-in, so callers may catch either (as geopy's
exceptions do).
"""

from __future__ import annotations

from gazetteer.errors import (
    CorruptIndexError,
    DiskFullError,
    DumpFormatError,
    GazetteerError,
    GazetteerInputError,
    IndexPermissionError,
    IndexReadError,
    IndexWriteError,
    OverridesError,
)


class MapperError(Exception):
    """Root of every error incident-mapper raises on purpose."""

    exit_code = 1


class InputError(MapperError, ValueError):
    """An input file or string cannot be read or understood (missing, empty, undecodable, undated, malformed)."""

    exit_code = 2


class ExportError(MapperError, OSError):
    """An output cannot be written."""

    exit_code = 4


class LimitError(InputError):
    """An input is over a configured size or time limit."""

    exit_code = 5


# what the CLI reports as one line with the class's exit code (anything else is a bug of ours)
USER_ERRORS: tuple[type[MapperError], type[GazetteerError]] = (MapperError, GazetteerError)

__all__ = [
    "USER_ERRORS",
    "CorruptIndexError",
    "DiskFullError",
    "DumpFormatError",
    "ExportError",
    "GazetteerError",
    "GazetteerInputError",
    "IndexPermissionError",
    "IndexReadError",
    "IndexWriteError",
    "InputError",
    "LimitError",
    "MapperError",
    "OverridesError",
]
