"""One exception hierarchy for the whole project (gazetteer included).

Every error a user can cause is a :class:`MapperError`; the CLI turns each into a one-line message and
the exit code named on the class. Several also subclass the matching built-in, so callers may catch
either (as geopy's exceptions do).
"""

from __future__ import annotations


class MapperError(Exception):
    """Root of every error incident-mapper raises on purpose."""

    exit_code = 1


class InputError(MapperError, ValueError):
    """An input file or string cannot be read or understood (missing, empty, undecodable, undated, malformed)."""

    exit_code = 2


class GazetteerError(MapperError):
    """The place index cannot be built, loaded or extended (bad dump file, bad override row)."""

    exit_code = 3


class ExportError(MapperError, OSError):
    """An output cannot be written."""

    exit_code = 4


class LimitError(InputError):
    """An input is over a configured size or time limit."""

    exit_code = 5


class EngineError(MapperError):
    """The dask engine failed while running (its workers died, for example out of memory)."""

    exit_code = 6
