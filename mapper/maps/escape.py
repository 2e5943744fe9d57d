"""Text and data on their way into the page: JSON safe inside a <script> block, HTML text, and the Jinja
template class every element uses (folium's, with a ``safe_json`` filter).

branca renders the output of every MacroElement macro a second time as a Jinja template, so text that
reaches a macro must not contain a Jinja opening delimiter ("{{", "{%", "{#"): both helpers make sure of it.
"""

from __future__ import annotations

import html
import json
import re

import folium.template

_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def safe_json(obj) -> str:
    """JSON that is safe inside an HTML <script> block (no '<', '>', '&', U+2028/9 as raw characters) and
    inert for Jinja. In JSON text a brace followed by '{', '%' or '#' can only stand inside a string, where
    the escape \\u007b means the same character."""
    s = json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    s = s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _JINJA_OPEN.sub(r"\\u007b", s)


def safe_html_text(text: str) -> str:
    """Text for an HTML element body or attribute: escaped, and braces as character references (Jinja-inert)."""
    return html.escape(str(text)).replace("{", "&#123;").replace("}", "&#125;")


def number(n) -> str:
    """An integer with thousands separators, the same in every locale: 819,869."""
    return f"{int(n):,}"


def count(n, singular: str, plural: str | None = None) -> str:
    """ "1 event", "2 events", "1,500 events"; an irregular plural is given: count(n, "place needs", "places need")."""
    return f"{number(n)} {singular if int(n) == 1 else (plural or singular + 's')}"


class _Environment(folium.template.Environment):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["safe_json"] = safe_json
        self.filters["text"] = safe_html_text
        self.filters["number"] = number
        self.filters["count"] = count


class Template(folium.template.Template):
    """folium's template (``tojavascript`` for options and element references) with ``safe_json`` for data
    and ``text`` for HTML text, both of which may carry report text."""

    environment_class = _Environment
