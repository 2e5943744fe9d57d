"""``mapper serve``: a local review page over one folder (inputs, map, GeoJSON, review list, overrides).

    >>> from mapper.serve import create_app, serve
    >>> app = create_app("review/")          # a Starlette app; app.state.token is the per-run token
    >>> serve("review/", port=8765)          # blocks; Ctrl-C stops it cleanly

Names are imported lazily so that ``mapper --help`` does not load the web framework.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "serve", "Workspace", "map_folder"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "serve"):
        from . import app

        return getattr(app, name)
    if name in ("Workspace", "map_folder"):
        from . import workspace

        return getattr(workspace, name)
    raise AttributeError(f"module 'mapper.serve' has no attribute {name!r}")
