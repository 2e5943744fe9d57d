"""Browser assets, one mechanism for all of them: every element declares its JS/CSS folium's way
(``default_js`` / ``default_css``: a name and a reference), and the page renders each reference as an
:class:`Asset` element.

A reference is either an npm CDN URL of a vendored package (``mapper/maps/vendor/NAME@VERSION/``, fetched
from the npm registry by ``scripts/vendor_assets.py``) or a file of this package (``js/*.js``, ``css/*.css``,
see :func:`own`). A self-contained page (``render(embedded=True)``) carries the content of every asset;
otherwise the vendored ones are linked from the CDN. This package's own files have no URL and are always
carried.
"""

from __future__ import annotations

import base64
import json
import re
from functools import lru_cache
from pathlib import Path

from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.elements import ElementAddToElement

from ..errors import ExportError

HERE = Path(__file__).parent
VENDOR = HERE / "vendor"
CDN = "https://cdn.jsdelivr.net/npm/"
OWN = "incident-mapper:"  # prefix of a reference to a file of this package

LEAFLET = "leaflet@1.9.4"
MARKERCLUSTER = "leaflet.markercluster@1.5.3"
HEAT = "leaflet.heat@0.2.0"
FULLSCREEN = "leaflet.fullscreen@3.0.0"
MINIMAP = "leaflet-minimap@3.6.1"


def cdn(package: str, path: str) -> str:
    return f"{CDN}{package}/{path}"


def own(path: str) -> str:
    """A reference to a file shipped in this package (``js/event-layer.js``)."""
    if not (HERE / path).is_file():
        raise FileNotFoundError(HERE / path)
    return OWN + path


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


def asset_file(ref: str) -> Path:
    return HERE / ref[len(OWN) :] if ref.startswith(OWN) else vendored_file(ref)


def asset_label(ref: str) -> str:
    """The comment naming an embedded asset: ``leaflet@1.9.4/dist/leaflet.js`` or ``incident-mapper:js/x.js``."""
    return ref[len(CDN) :] if ref.startswith(CDN) else ref


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


class Asset(Element):
    """One script or stylesheet in the page header: a link to the CDN, or the file's content when the page
    is self-contained (``embedded``) or the file is this package's own. Never a Jinja template."""

    def __init__(self, ref: str, kind: str):
        super().__init__()
        self._name = "Asset"
        self.ref, self.kind = ref, kind

    def render(self, **kwargs) -> str:
        if not (kwargs.get("embedded") or self.ref.startswith(OWN)):
            if self.kind == "js":
                return f'<script src="{self.ref}"></script>'
            return f'<link rel="stylesheet" href="{self.ref}"/>'
        f = asset_file(self.ref)
        body = f.read_text(encoding="utf-8")
        if self.kind == "js":
            if "</script" in body.lower():
                raise ExportError(f"{self.ref} cannot be inlined safely")
            return f"<script>/* {asset_label(self.ref)} */\n{body}\n</script>"
        if "</style" in body.lower():
            raise ExportError(f"{self.ref} cannot be inlined safely")
        return f"<style>/* {asset_label(self.ref)} */\n{_css_inline(body, f.parent)}\n</style>"


class Page(Figure):
    """The root of a map page. Before the header is written, the script and stylesheet links folium's
    elements declared (``JSCSSMixin``) become :class:`Asset` elements, keeping their names and places;
    every element gets a name numbered in tree order, so the same input gives the same bytes."""

    def render(self, **kwargs) -> str:
        number_elements(self)
        for child in self._children.values():
            child.render(**kwargs)
        for name, link in list(self.header._children.items()):
            if isinstance(link, JavascriptLink | CssLink):
                self.header.add_child(Asset(link.url, "js" if isinstance(link, JavascriptLink) else "css"), name)
        return self._template.render(this=self, kwargs=kwargs)


def number_elements(root: Element) -> None:
    """Number the elements of a tree in order, including elements held as attributes (the mini-map's tile
    layer), instead of branca's random ids (folium re-ids elements the same way in ``utilities.deep_copy``)."""
    seen: set[int] = set()
    counter = 0

    def walk(el: Element) -> None:
        nonlocal counter
        if id(el) in seen or isinstance(el, ElementAddToElement):  # added by a render, named by its layer
            return
        seen.add(id(el))
        el._id = f"{counter:012x}"
        counter += 1
        for child in list(el._children.values()):
            walk(child)
        for name, value in vars(el).items():
            if name != "_parent" and isinstance(value, Element) and value._parent in (None, el):
                walk(value)

    walk(root)
