"""Browser assets: every element declares its JS/CSS as npm CDN URLs (folium's way); for a self-contained
page each URL is swapped for the content of the vendored copy (``mapper/vendor/NAME@VERSION/``, fetched
from the npm registry by ``scripts/vendor_assets.py``). One mechanism for every asset."""

from __future__ import annotations

import base64
import json
import re
from functools import lru_cache
from pathlib import Path

from .errors import ExportError

VENDOR = Path(__file__).parent / "vendor"
CDN = "https://cdn.jsdelivr.net/npm/"

LEAFLET = "leaflet@1.9.4"
MARKERCLUSTER = "leaflet.markercluster@1.5.3"


def cdn(package: str, path: str) -> str:
    return f"{CDN}{package}/{path}"


@lru_cache(maxsize=1)
def manifest() -> dict:
    return json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))


def vendored_file(url: str) -> Path:
    if not url.startswith(CDN):
        raise ExportError(f"asset {url} is not from the npm CDN and cannot be embedded")
    package, _, path = url[len(CDN) :].partition("/")
    if package not in manifest() or path not in manifest()[package]["files"]:
        raise ExportError(f"asset {url} is not vendored (run scripts/vendor_assets.py)")
    return VENDOR / package / path


def _css_inline(css: str, base: Path) -> str:
    """url(images/x.png) -> data: URI, from the vendored package."""

    def repl(m: re.Match) -> str:
        ref = m.group(2)
        if ref.startswith(("data:", "http:", "https:", "#")):
            return m.group(0)
        f = (base / ref).resolve()
        if not f.is_file():
            return m.group(0)
        mime = (
            "image/png" if f.suffix == ".png" else "image/svg+xml" if f.suffix == ".svg" else "application/octet-stream"
        )
        return f"url(data:{mime};base64,{base64.b64encode(f.read_bytes()).decode()})"

    return re.sub(r"url\((['\"]?)([^)'\"]+)\1\)", repl, css)


_SCRIPT = re.compile(r'<script src="([^"]+)"></script>')
_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"\s*/?>')


def inline_assets(html: str) -> str:
    """Replace every external script and stylesheet by its vendored content; fail on any we do not carry."""

    def script(m: re.Match) -> str:
        body = vendored_file(m.group(1)).read_text(encoding="utf-8")
        if "</script" in body.lower():
            raise ExportError(f"{m.group(1)} cannot be inlined safely")
        return f"<script>/* {m.group(1)[len(CDN) :]} */\n{body}\n</script>"

    def style(m: re.Match) -> str:
        f = vendored_file(m.group(1))
        return (
            f"<style>/* {m.group(1)[len(CDN) :]} */\n{_css_inline(f.read_text(encoding='utf-8'), f.parent)}\n</style>"
        )

    return _LINK.sub(style, _SCRIPT.sub(script, html))
