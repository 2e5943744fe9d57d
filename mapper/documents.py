"""PDF and Word (.docx) reports in: their text, where each page starts in it, and their date (the I/O edge).

``reports.read_report`` hands a file's bytes here when the file is a PDF or a DOCX; what comes back is plain
text laid out as the text reports are (one paragraph a line, blocks apart), so the extractor reads it the
same way, plus ``pages``: ``(character offset, page number)`` for the start of every page, so an event can
name the page its sentence is on (``report.pdf#page=3``).

PDF text comes from pdfminer.six's layout analysis, which reads a two-column page column by column (measured:
on a page whose two columns are drawn line across line, pypdf 7's ``extract_text`` gives the lines of the
two columns alternately; ``tests/test_documents.py`` checks the column order). The lines of one layout block
are joined into one paragraph line (see :func:`join_lines`). Word text comes from the document body (paragraphs and tables,
in order; headers, footers and deleted text left out); its pages are those Word last laid out
(``w:lastRenderedPageBreak``), else its hard page breaks, else none are named.

The report date, first found wins:
1. a ``date YYYY-MM-DD`` first line (as in text reports);
2. a full date written at the top of the first page (its first ``FIRST_PAGE_CHARS`` characters):
   ``5 March 2024``, ``March 5, 2024`` or ``2024-03-05``;
3. the document's metadata: PDF ``/CreationDate``, else XMP ``xmp:CreateDate``; DOCX core property
   ``created``;
4. ``--date``.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gazetteer.words import MONTH_ABBREVIATIONS, MONTH_NAMES

from .errors import InputError, LimitError

DOCUMENT_SUFFIXES = {".pdf", ".docx"}
MAX_DOCUMENT_PAGES = 500  # a situation report has tens; more is a book or a mistake
DOCUMENT_TIME_BUDGET = 60.0  # seconds to read the text of one document
MAX_DOCUMENT_CHARS = 20 * 1024 * 1024  # text drawn out of one document (a compressed stream may hold a lot)
MAX_DOCX_UNZIPPED_BYTES = 200 * 1024 * 1024  # what a .docx may unpack to (declared sizes, checked before opening)
FIRST_PAGE_CHARS = 1000  # the top of the first page, where a report prints its date
BOXES_FLOW: float | None = 0.5  # pdfminer: how much a block's height counts against its column in reading order

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc, and password-protected Office files

_DATE_LINE = re.compile(r"\A\s*(?:date|dated|report date)\s*[:=]?\s*(\d{4}-\d{2}-\d{2})\b[ \t]*\n?", re.I)
_MONTH = "|".join(MONTH_NAMES + MONTH_ABBREVIATIONS)
_WRITTEN_DATES = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "m", "d")),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.I), ("d", "m", "y")),
    (re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), ("m", "d", "y")),
]
_PDF_DATE = re.compile(rb"(?:D:)?\s*(\d{4})(\d{2})?(\d{2})?")
_XMP_CREATE = re.compile(rb"xmp:CreateDate\s*(?:=\s*[\"']|>)\s*(\d{4})-(\d{2})-(\d{2})")
_CID = re.compile(r"\(cid:\d+\)")


@dataclass(frozen=True)
class Document:
    """The text of a PDF or DOCX, where its pages start, and its report date."""

    text: str
    pages: tuple[tuple[int, int], ...]
    date: dt.date
    kind: str  # "PDF" or "DOCX"


def is_document(suffix: str, data: bytes) -> bool:
    """True for the files this module reads: a .pdf or .docx name, or PDF bytes under any name."""
    return suffix.lower() in DOCUMENT_SUFFIXES or data[:1024].lstrip().startswith(_PDF_MAGIC)


def read_document(
    data: bytes,
    source: str,
    date: dt.date | None = None,
    max_pages: int | None = None,
    time_budget: float | None = None,
) -> Document:
    """A PDF's or DOCX's text, page starts and report date (see the module's precedence; ``date`` is the
    last resort). Limits default to ``MAX_DOCUMENT_PAGES`` and ``DOCUMENT_TIME_BUDGET``. Every problem is an
    :class:`InputError` (a :class:`LimitError` for the limits)."""
    head = data[:1024].lstrip()
    if head.startswith(_PDF_MAGIC):
        pages_limit = MAX_DOCUMENT_PAGES if max_pages is None else max_pages
        budget = DOCUMENT_TIME_BUDGET if time_budget is None else time_budget
        blocks, meta_date = _pdf_pages(data, source, pages_limit, budget)
        kind = "PDF"
    elif data.startswith(_ZIP_MAGIC):
        blocks, meta_date = _docx_pages(data, source)
        kind = "DOCX"
    elif data.startswith(_OLE_MAGIC):
        raise InputError(
            f"{source}: a password-protected Office file or an old Word .doc; save it unprotected as .docx or PDF"
        )
    elif source.lower().endswith(".docx"):
        raise InputError(f"{source}: not a Word .docx file (not a zip package)")
    else:
        raise InputError(f"{source}: not a PDF file (no %PDF header)")
    text, pages = _assemble(blocks)
    found = _DATE_LINE.match(text)
    first_line = dt.date.fromisoformat(found.group(1)) if found and _valid_iso(found.group(1)) else None
    if found:
        cut = found.end()
        text = text[cut:]
        lead = len(text) - len(text.lstrip())
        text = text[lead:]
        pages = _shift(pages, cut + lead)
    if not text.strip():
        raise InputError(f"{source}: the {kind} has no text")
    first_page_end = pages[1][0] if len(pages) > 1 else len(text)
    written = first_written_date(text[: min(first_page_end, FIRST_PAGE_CHARS)])
    report_date = first_line or written or meta_date or date
    if report_date is None:
        raise InputError(
            f"{source}: no report date (no date on its first page nor in its metadata); pass --date YYYY-MM-DD"
        )
    return Document(text=text, pages=pages, date=report_date, kind=kind)


def first_written_date(text: str) -> dt.date | None:
    """The first full date (with its year) written in ``text``: ISO, ``5 March 2024`` or ``March 5, 2024``."""
    best: tuple[int, dt.date] | None = None
    for pattern, order in _WRITTEN_DATES:
        for m in pattern.finditer(text):
            parts = dict(zip(order, m.groups(), strict=True))
            try:
                month = int(parts["m"]) if parts["m"].isdigit() else _month_number(parts["m"])
                d = dt.date(int(parts["y"]), month, int(parts["d"]))
            except ValueError:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), d)
            break
    return best[1] if best else None


def _month_number(word: str) -> int:
    w = word.lower()
    for i, name in enumerate(MONTH_NAMES, start=1):
        if name.startswith(w[:3]):
            return i
    raise ValueError(word)


def _valid_iso(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _shift(pages: tuple[tuple[int, int], ...], by: int) -> tuple[tuple[int, int], ...]:
    return tuple((max(0, off - by), no) for off, no in pages)


def _assemble(blocks: list[tuple[int, list[str]]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """One text from (page number, paragraphs) pairs: paragraphs apart by a blank line; where each page starts
    (page number 0: not known, not recorded)."""
    out: list[str] = []
    pages: list[tuple[int, int]] = []
    pos = 0  # len("\n\n".join(out))
    for page_no, paras in blocks:
        paras = [p for p in paras if p.strip()]
        if out and paras and continues(out[-1], paras[0]):  # a sentence that runs on over the page break
            joined = join_lines([out[-1], paras.pop(0)])[0]
            pos += len(joined) - len(out[-1])
            out[-1] = joined
        if not paras:
            continue
        if page_no and (not pages or pages[-1][1] != page_no):  # 0: the page is not known
            pages.append((pos + 2 if out else 0, page_no))
        for p in paras:
            pos += (2 if out else 0) + len(p)
            out.append(p)
    return "\n\n".join(out), tuple(pages)


# -- joining a block's lines into paragraphs --------------------------------------------------------------

_LIGATURES = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}  # ﬁ -> fi, for str.translate


def _starts_item(line: str) -> bool:
    """A line that begins a list item (a bullet, dash or symbol) starts a paragraph of its own."""
    c = line[0]
    return unicodedata.category(c) in ("So", "Sm", "Pd", "Po") and c not in "\"'%&#@"


def join_lines(lines: list[str], ends: list[bool] | None = None) -> list[str]:
    """The lines of one layout block as paragraphs: a wrapped line joins the one before it with a space
    ("displace-" + "ment" is "displacement"; "an-" + "Nu'man" keeps its hyphen); a bulleted line starts anew,
    and so does the line after one that ``ends`` marks (a line that stops short: a paragraph's last line or a
    heading), unless it starts in lower case."""
    paras: list[str] = []
    cur = ""
    ended = False
    for i, raw in enumerate(lines):
        line = " ".join(raw.translate(_LIGATURES).split())
        if not line:
            continue
        if not cur:
            cur = line
        elif _starts_item(line) or (ended and not line[0].islower()):
            paras.append(cur)
            cur = line
        elif cur.endswith("\xad"):
            cur = cur[:-1] + line
        elif cur.endswith("-") and len(cur) > 1 and cur[-2].isalpha():
            cur = (cur[:-1] if cur[-2].islower() and line[0].islower() else cur) + line
        else:
            cur = cur + " " + line
        ended = bool(ends and ends[i])
    if cur:
        paras.append(cur)
    return [p.replace("\xad", "") for p in paras]


SHORT_LINE = 0.15  # a line ending this share of its block's width before the block's right edge stops short


# -- PDF ---------------------------------------------------------------------------------------------------


def _pdf_pages(
    data: bytes, source: str, max_pages: int, time_budget: float
) -> tuple[list[tuple[int, list[str]]], dt.date | None]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # pdfminer warns on every small flaw; the outcome is reported here
    try:
        try:
            doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        except PDFPasswordIncorrect:
            raise InputError(
                f"{source}: encrypted PDF (it needs a password to open); save an unlocked copy and read that"
            ) from None
        except PDFEncryptionError as e:
            raise InputError(f"{source}: encrypted PDF that cannot be opened ({_short(e)})") from None
        meta_date = _pdf_meta_date(doc, resolve1)
        try:
            declared = int(resolve1(resolve1(doc.catalog.get("Pages")).get("Count")) or 0)
        except Exception:
            declared = 0
        if declared > max_pages:
            raise LimitError(f"{source}: {declared:,} pages is over the {max_pages:,}-page limit for one document")
        rsrc = PDFResourceManager(caching=True)
        device = PDFPageAggregator(rsrc, laparams=LAParams(all_texts=True, boxes_flow=BOXES_FLOW))
        interp = PDFPageInterpreter(rsrc, device)
        deadline = time.monotonic() + time_budget
        blocks: list[tuple[int, list[str]]] = []
        images = chars = 0
        for page_no, page in enumerate(PDFPage.create_pages(doc), start=1):
            if page_no > max_pages:
                raise LimitError(f"{source}: more than {max_pages:,} pages, the limit for one document")
            interp.process_page(page)
            layout = device.get_result()
            paras, n_images = _layout_paragraphs(layout)
            images += n_images
            chars += sum(len(p) for p in paras)
            if chars > MAX_DOCUMENT_CHARS:
                raise LimitError(f"{source}: over {MAX_DOCUMENT_CHARS // 2**20} M characters of text")
            blocks.append((page_no, paras))
            if time.monotonic() > deadline:
                raise LimitError(
                    f"{source}: reading its text took longer than {time_budget:g} s (page {page_no:,}); split the PDF"
                )
    except InputError:
        raise
    except Exception as e:  # pdfminer's many parse failures: a damaged or not-quite-PDF file
        raise InputError(f"{source}: damaged or unreadable PDF ({_short(e)})") from None
    finally:
        logger.setLevel(level)
    if not blocks:
        raise InputError(f"{source}: the PDF has no pages")
    text = "".join("".join(p) for _, ps in blocks for p in ps)
    if not text.strip():
        what = "its pages are images" if images else "no text on its pages"
        raise InputError(f"{source}: no text layer ({what}): scanned PDF? run OCR first (e.g. ocrmypdf)")
    cid = sum(len(m) for m in _CID.findall(text))
    if cid > 0.3 * len(text):
        raise InputError(
            f"{source}: the PDF's fonts carry no Unicode map, so its text reads as glyph numbers; "
            "run OCR on it (e.g. ocrmypdf --force-ocr) or export it again as PDF"
        )
    return blocks, meta_date


def _layout_paragraphs(layout: Any) -> tuple[list[str], int]:
    """(paragraphs of a page in reading order, number of images on it)."""
    from pdfminer.layout import LTContainer, LTImage, LTTextBox, LTTextLine

    boxes: list[Box] = []
    images = 0

    def walk(obj: Any) -> None:
        nonlocal images
        if isinstance(obj, LTTextBox):
            lines = [line for line in obj if isinstance(line, LTTextLine)]
            short = [line.x1 < obj.x1 - SHORT_LINE * obj.width for line in lines]
            boxes.append((obj.x0, obj.y0, obj.x1, obj.y1, [line.get_text() for line in lines], short))
        elif isinstance(obj, LTTextLine):
            boxes.append((obj.x0, obj.y0, obj.x1, obj.y1, [obj.get_text()], [False]))
        elif isinstance(obj, LTImage):
            images += 1
        elif isinstance(obj, LTContainer):
            for child in obj:
                walk(child)

    for obj in layout:
        walk(obj)
    paras: list[str] = []
    for box in reading_order(boxes):
        for p in join_lines(box[4], box[5]):
            if paras and continues(paras[-1], p):  # a paragraph that runs on into the next column
                paras[-1] = join_lines([paras[-1], p])[0]
            else:
                paras.append(p)
    return paras, images


def continues(before: str, after: str) -> bool:
    """True when ``after`` goes on with the sentence ``before`` broke off (no closing mark, a lowercase start)."""
    return before[-1] not in '.!?:;"”’)]' and after[0].islower()


# x0, y0, x1, y1 (PDF points, y up), its lines, whether each line stops short
Box = tuple[float, float, float, float, list[str], list[bool]]
COLUMN_GAP = 6.0  # points of blank between two columns
WIDE = 0.6  # a block wider than this share of the page's text is full width (a title, a one-column paragraph)


def reading_order(boxes: list[Box]) -> list[Box]:
    """Text blocks in reading order: full-width blocks top to bottom, and between two of them the narrower
    blocks column by column (left to right, each column top to bottom). pdfminer's own order stands when the
    narrow blocks form no columns. (pdfminer alone reads a column-filled page well, but on a page whose right
    column is shorter it may read the right column first.)"""
    if len(boxes) < 3:
        return boxes
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    wide = [b for b in boxes if b[2] - b[0] > WIDE * (right - left)]
    narrow = [b for b in boxes if b[2] - b[0] <= WIDE * (right - left)]
    spans: list[list[float]] = []
    for b in sorted(narrow, key=lambda b: b[0]):
        if spans and b[0] < spans[-1][1] + COLUMN_GAP:
            spans[-1][1] = max(spans[-1][1], b[2])
        else:
            spans.append([b[0], b[2]])
    if len(spans) < 2:
        return boxes
    column = {id(b): next(i for i, s in enumerate(spans) if s[0] <= b[0] <= s[1]) for b in narrow}
    out: list[Box] = []
    pending = sorted(narrow, key=lambda b: (column[id(b)], -b[3]))
    for w in sorted(wide, key=lambda b: -b[3]):
        middle = (w[1] + w[3]) / 2
        out += [b for b in pending if (b[1] + b[3]) / 2 > middle]
        pending = [b for b in pending if (b[1] + b[3]) / 2 <= middle]
        out.append(w)
    return out + pending


def _pdf_meta_date(doc: Any, resolve1: Any) -> dt.date | None:
    for info in doc.info or []:
        raw = resolve1(info.get("CreationDate")) if isinstance(info, dict) else None
        if isinstance(raw, str):
            raw = raw.encode("latin-1", "replace")
        if isinstance(raw, bytes):
            d = pdf_date(raw)
            if d:
                return d
    try:
        stream = resolve1(doc.catalog.get("Metadata"))
        xmp = stream.get_data() if stream is not None else b""
    except Exception:
        xmp = b""
    m = _XMP_CREATE.search(xmp[:200_000])
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def pdf_date(raw: bytes) -> dt.date | None:
    """The day of a PDF date string (``D:YYYYMMDDHHmmSS+hh'mm'``, the author's local day), None if it is not one."""
    m = _PDF_DATE.match(raw.strip())
    if not m:
        return None
    try:
        d = dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    return d if d.year >= 1990 else None  # 0000 / 1601 / 1970 placeholders say nothing


def _short(e: BaseException) -> str:
    msg = " ".join(str(e).split()) or type(e).__name__
    return msg if len(msg) <= 120 else msg[:117] + "..."


# -- DOCX --------------------------------------------------------------------------------------------------

Marks = list[tuple[str, int]]
# the 'created' time in python-docx's own template: a file made by a script that never set it says nothing
_PYTHON_DOCX_TEMPLATE_CREATED = dt.datetime(2013, 12, 23, 23, 15)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _docx_pages(data: bytes, source: str) -> tuple[list[tuple[int, list[str]]], dt.date | None]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unzipped = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise InputError(f"{source}: damaged or unreadable .docx ({_short(e)})") from None
    if unzipped > MAX_DOCX_UNZIPPED_BYTES:
        raise LimitError(
            f"{source}: unpacks to {unzipped / 1e6:.0f} MB, over the {MAX_DOCX_UNZIPPED_BYTES // 2**20} MB limit"
        )
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        created = document.core_properties.created
        paragraphs = list(_docx_paragraphs(body))
    except Exception as e:  # python-docx: not a Word package, a missing part, bad XML
        raise InputError(f"{source}: damaged or unreadable .docx ({_short(e)})") from None
    rendered = any(kind == "rendered" for _, marks in paragraphs for kind, _at in marks)
    counted = ("rendered",) if rendered else ("hard", "before")
    blocks: list[tuple[int, list[str]]] = []
    page = 1
    for text, marks in paragraphs:
        # a break before any of a paragraph's text puts the paragraph on the new page; a later one, what follows
        page += sum(1 for kind, at in marks if kind in counted and at == 0)
        if text.strip():
            if blocks and blocks[-1][0] == page:
                blocks[-1][1].append(text)
            else:
                blocks.append((page, [text]))
        page += sum(1 for kind, at in marks if kind in counted and at > 0)
    if not any(kind in counted for _, marks in paragraphs for kind, _at in marks):
        blocks = [(0, ps) for _, ps in blocks]  # no page breaks of any kind: its pages are unknown
    placeholder = isinstance(created, dt.datetime) and (
        created.year < 1990 or created.replace(tzinfo=None) == _PYTHON_DOCX_TEMPLATE_CREATED
    )
    meta = created.date() if isinstance(created, dt.datetime) and not placeholder else None
    return blocks, meta


def _docx_paragraphs(body: Any) -> Iterator[tuple[str, Marks]]:
    """(text, page marks) per body paragraph and per table row, in document order."""
    for child in body.iterchildren():
        if child.tag == _W + "p":
            yield _docx_paragraph(child)
        elif child.tag == _W + "tbl":
            for row in child.iter(_W + "tr"):
                cells: list[str] = []
                marks: Marks = []
                for tc in row.iterchildren(_W + "tc"):
                    texts = []
                    for p in tc.iter(_W + "p"):
                        t, m = _docx_paragraph(p)
                        texts.append(t)
                        marks += [(k, 1) for k, _at in m]  # a break inside a table: after the row
                    cells.append(" ".join(t for t in texts if t))
                yield " | ".join(c for c in cells if c), marks
        elif child.tag == _W + "sdt":  # a content control around paragraphs (a cover page, a table of contents)
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _docx_paragraphs(content)


def _docx_paragraph(p: Any) -> tuple[str, Marks]:
    """A paragraph's visible text and its page marks, (kind, characters of text before it): "rendered" (Word's
    own layout), "hard" (a page break), "before" (the paragraph's page-break-before property)."""
    out: list[str] = []
    marks: Marks = []
    ppr = p.find(_W + "pPr")
    if ppr is not None:
        pbb = ppr.find(_W + "pageBreakBefore")
        if pbb is not None and pbb.get(_W + "val", "true") not in ("0", "false", "off"):
            marks.append(("before", 0))
    stack = [iter(p)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if not isinstance(tag, str) or tag == _MC_FALLBACK:
            continue
        if tag == _W + "t":
            out.append(el.text or "")
        elif tag in (_W + "tab", _W + "cr"):
            out.append(" ")
        elif tag == _W + "br":
            if el.get(_W + "type") == "page":
                marks.append(("hard", len("".join(out).strip())))
            out.append(" ")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif tag == _W + "lastRenderedPageBreak":
            marks.append(("rendered", len("".join(out).strip())))
        elif tag == _W + "p":  # a paragraph inside a text box
            out.append("\n")
            stack.append(iter(el))
        elif tag not in (_W + "pPr", _W + "rPr", _W + "delText", _W + "instrText"):
            stack.append(iter(el))
    text = " ".join("".join(out).translate(_LIGATURES).split())
    return text, marks
