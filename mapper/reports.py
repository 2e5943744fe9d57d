"""Reports in: files to (text, report date, source). Parsing is pure; reading files is the thin edge."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

from .documents import DOCUMENT_SUFFIXES, is_document, read_document
from .errors import InputError, LimitError
from .schema import Report
from .walk import files_under

REPORT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text"} | DOCUMENT_SUFFIXES  # PDF, DOCX
MAX_REPORT_BYTES = 20 * 1024 * 1024

_DATE_LINE = re.compile(r"\A\s*(?:date|dated|report date)\s*[:=]?\s*(\d{4}-\d{2}-\d{2})\b[ \t]*\n?", re.I)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_FM_DATE = re.compile(r"^date\s*:\s*['\"]?(\d{4}-\d{2}-\d{2})", re.M | re.I)
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def parse_date(value: str, where: str = "date") -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InputError(f"{where}: {value!r} is not a date in YYYY-MM-DD form") from None


class _HTMLText(HTMLParser):
    """Text of an HTML page: scripts and styles dropped, blocks on their own lines, dates noted."""

    SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
    BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "hr",
        "title",
    }
    META_DATE = {
        "date",
        "dc.date",
        "article:published_time",
        "og:published_time",
        "pubdate",
        "publishdate",
        "dcterms.date",
        "datepublished",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.date: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta" and self.date is None:
            key = (a.get("name") or a.get("property") or a.get("itemprop") or "").lower()
            found = _ISO_DATE.search(a.get("content", ""))
            if key in self.META_DATE and found:
                self.date = found.group(1)
        if tag == "time" and self.date is None:
            found = _ISO_DATE.search(a.get("datetime", ""))
            if found:
                self.date = found.group(1)
        if tag in self.SKIP and tag != "head":
            self.skip += 1
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and tag != "head" and self.skip:
            self.skip -= 1
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str | None]:
    """(visible text, a date found in <meta> or <time>, if any)."""
    p = _HTMLText()
    p.feed(html)
    p.close()
    text = "".join(p.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n[ \n]*\n *", "\n\n", text)
    return text.strip(), p.date


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def markdown_to_text(md: str) -> str:
    out = []
    for line in md.splitlines():
        line = re.sub(r"^\s{0,3}#{1,6}\s*", "", line)
        line = re.sub(r"^\s{0,3}>\s?", "", line)
        line = re.sub(r"^\s*[-*+]\s+", "", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_MARK.sub(r"\2", line)
        out.append(line)
    return "\n".join(out)


def _kind(source: str, text: str) -> str:
    suffix = Path(source).suffix.lower()
    if suffix in (".html", ".htm") or (
        suffix not in (".md", ".markdown") and re.match(r"\s*<(!doctype|html)", text, re.I)
    ):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def parse_report(raw: str, source: str = "<text>", date: dt.date | str | None = None) -> Report:
    """A report from its text. The date comes from the text (a ``date YYYY-MM-DD`` first line or prefix,
    YAML front matter ``date:``, HTML ``<meta>``/``<time>``), else from ``date``; none at all is an error."""
    if isinstance(date, str):
        date = parse_date(date, "--date")
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    found: str | None = None
    fm = _FRONT_MATTER.match(raw)
    if fm:
        m = _FM_DATE.search(fm.group(1))
        found = m.group(1) if m else None
        raw = raw[fm.end() :]
    kind = _kind(source, raw)
    if kind == "html":
        raw, html_date = html_to_text(raw)
        found = found or html_date
    m = _DATE_LINE.match(raw)
    if m:
        found = found or m.group(1)
        raw = raw[m.end() :]
    if kind == "markdown":
        raw = markdown_to_text(raw)
    text = raw.strip()
    if not text:
        raise InputError(f"{source}: the report is empty")
    if found:
        report_date = parse_date(found, f"{source}: report date")
    elif date is not None:
        report_date = date
    else:
        raise InputError(f"{source}: no report date (add a first line 'date YYYY-MM-DD' or pass --date YYYY-MM-DD)")
    return Report(text=text, report_date=report_date, source=source)


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is a clear error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{source}: not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); "
            "convert it, e.g. iconv -f latin1 -t utf-8"
        ) from None


def read_report(path: str | Path, date: dt.date | str | None = None) -> Report:
    """Read one report file."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_REPORT_BYTES:
            raise LimitError(f"{p}: {size / 1e6:.1f} MB is over the {MAX_REPORT_BYTES // 2**20} MB report limit")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a folder (pass the folder itself to read every report in it)") from None
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror})") from None
    if is_document(p.suffix, data):  # PDF and DOCX: documents.py
        d = read_document(data, str(p), parse_date(date, "--date") if isinstance(date, str) else date)
        return Report(text=d.text, report_date=d.date, source=str(p), pages=d.pages)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{p}: binary file, not a text report")
    return parse_report(decode(data, str(p)), source=str(p), date=date)


def report_paths(inputs: list[str | Path]) -> list[Path]:
    """Expand folders to the report files inside them (sorted), keep files as given."""
    out: list[Path] = []
    for i in inputs:
        p = Path(i)
        if p.is_dir():
            out.extend(f for f in files_under(p) if f.suffix.lower() in REPORT_SUFFIXES)
        else:
            out.append(p)
    return out


def read_reports(inputs: list[str | Path] | str | Path, date: dt.date | str | None = None) -> list[Report]:
    """Read report files and folders of reports."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    paths = report_paths(list(inputs))
    if not paths:
        raise InputError("no report files found in " + ", ".join(map(str, inputs)))
    return [read_report(p, date=date) for p in paths]
