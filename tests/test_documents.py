"""PDF and DOCX reports: text in reading order, pages in the provenance, dates, and one-line errors.

Every PDF here is made by the test: a small writer below (full control of text operators, metadata and
images) and, where it needs a real producer's output or encryption, reportlab. DOCX files come from
python-docx.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapper import documents
from mapper.cli import main
from mapper.dedup import source_file
from mapper.documents import continues, first_written_date, join_lines, pdf_date, read_document, reading_order
from mapper.errors import InputError, LimitError
from mapper.extract import extract
from mapper.reports import Report, read_report, report_paths

# -- a minimal PDF writer ----------------------------------------------------------------------------------

Line = tuple[float, float, str]  # x, y (points from the bottom left), text


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(
    pages: list[list[Line]],
    info: dict[str, str] | None = None,
    xmp: str | None = None,
    image_pages: tuple[int, ...] = (),
    compress: bool = False,
) -> bytes:
    """A PDF whose pages draw the given lines in the given order (Helvetica 11); pages whose index is in
    ``image_pages`` draw one grey image instead (a scan)."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    def stream(dict_: str, data: bytes) -> bytes:
        if compress:
            data = zlib.compress(data)
            dict_ += " /Filter /FlateDecode"
        return b"<< " + dict_.encode() + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = add(
        stream(
            "/Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8",
            b"\x80" * 16,
        )
    )
    kids = []
    for i, lines in enumerate(pages):
        if i in image_pages:
            content = b"q 400 0 0 500 100 200 cm /Im1 Do Q"
        else:
            content = b"".join(
                b"BT /F1 11 Tf %.1f %.1f Td (%s) Tj ET\n" % (x, y, _esc(t).encode("cp1252")) for x, y, t in lines
            )
        c = add(stream("", content))
        kids.append(
            add(
                (
                    f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 595 842] /Contents {c} 0 R "
                    f"/Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {image} 0 R >> >> >>"
                ).encode()
            )
        )
    objs[pages_obj - 1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    meta = ""
    if xmp is not None:
        packet = (
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>{xmp}</xmp:CreateDate>'
            "</rdf:Description></rdf:RDF></x:xmpmeta>"
        )
        meta = f" /Metadata {add(stream('/Type /Metadata /Subtype /XML', packet.encode()))} 0 R"
    objs[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R{meta} >>".encode()
    info_ref = ""
    if info:
        entries = " ".join(f"/{k} ({_esc(v)})" for k, v in info.items())
        info_ref = f" /Info {add(f'<< {entries} >>'.encode())} 0 R"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R{info_ref} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def text_page(*paragraphs: str, x: float = 60, top: float = 780, width: int = 80) -> list[Line]:
    """Paragraphs wrapped at ``width`` characters, one line each 14 pt down, a blank line between them."""
    lines: list[Line] = []
    y = top
    for para in paragraphs:
        cur = ""
        for word in para.split():
            if cur and len(cur) + 1 + len(word) > width:
                lines.append((x, y, cur))
                y -= 14
                cur = word
            else:
                cur = f"{cur} {word}".strip()
        lines.append((x, y, cur))
        y -= 28
    return lines


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


STRIKE = "On Monday an air strike hit the main market in Aleppo, killing 12 civilians and wounding 30 others."
CALM = "The humanitarian situation across the country remains serious, agencies said in their weekly update."
LEFT = [
    "Shelling hit the eastern quarter of the",
    "town overnight, the council said in a",
    "statement. Families sheltered in schools.",
]
RIGHT = [
    "Aid convoys waited at the crossing for",
    "a third day while officials discussed",
    "new permits for the trucks and drivers.",
]


def two_column_page() -> list[Line]:
    """Two columns drawn line across line (left, right, left, right ...), as many producers draw them."""
    lines: list[Line] = []
    for i, (a, b) in enumerate(zip(LEFT, RIGHT, strict=True)):
        lines += [(50, 780 - 14 * i, a), (320, 780 - 14 * i, b)]
    return lines


# -- PDF text -----------------------------------------------------------------------------------------------


def test_two_column_page_reads_column_by_column(tmp_path):
    r = read_report(write(tmp_path, "cols.pdf", make_pdf([two_column_page()])), date="2024-03-05")
    left, right = " ".join(LEFT), " ".join(RIGHT)
    assert left in r.text and right in r.text  # each column's lines joined into its paragraph
    assert r.text.index(left) < r.text.index(right)
    assert "the Aid" not in r.text and "of the Aid" not in r.text  # no line runs across both columns


def test_sitrep_layout_title_and_two_columns_over_pages(tmp_path):
    """A title across the page, then two columns over three pages, the last right column short, paragraphs
    running on from one column (and page) into the next: every paragraph whole and in order.
    (pdfminer's order alone: 2 paragraphs out of order on the last page, 5 paragraphs cut in two.)"""
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageTemplate, Paragraph

    styles = getSampleStyleSheet()
    w, h = A4
    first = [
        Frame(40, h - 140, w - 80, 100),
        Frame(40, 60, w / 2 - 50, h - 210),
        Frame(w / 2 + 10, 60, w / 2 - 50, h - 210),
    ]
    rest = [Frame(40, 60, w / 2 - 50, h - 120), Frame(w / 2 + 10, 60, w / 2 - 50, h - 120)]
    path = tmp_path / "sitrep.pdf"
    doc = BaseDocTemplate(
        str(path), pagesize=A4, pageTemplates=[PageTemplate("first", first), PageTemplate("rest", rest)]
    )
    words = "shelling hit the town as families fled and aid convoys waited at the crossing for permits".split()
    story = [Paragraph("Flash Update No. 7, 5 March 2024", styles["Title"]), NextPageTemplate("rest"), FrameBreak()]
    story += [
        Paragraph(
            f"P{i}: " + " ".join(words[(i * 7 + k) % len(words)] for k in range(10 + (i * 37) % 60)) + ".",
            styles["BodyText"] if i % 2 else styles["Normal"],  # with and without space between paragraphs
        )
        for i in range(60)
    ]
    doc.build(story)
    r = read_report(path)
    paras = r.text.split("\n\n")
    assert paras[0] == "Flash Update No. 7, 5 March 2024" and r.report_date == dt.date(2024, 3, 5)
    assert [int(n) for n in re.findall(r"\bP(\d+):", r.text)] == list(range(60))
    assert all(p.startswith("P") and p.endswith(".") for p in paras[1:])  # none cut at a column or page break
    assert len(paras) >= 55  # a paragraph whose last line fills the column may join the next (no blank between)
    assert len(r.pages) >= 3


def test_reading_order_of_blocks():
    def box(x0, y0, x1, y1, name):
        return (x0, y0, x1, y1, [name], [False])

    title = box(40, 780, 550, 800, "title")
    l1, l2 = box(40, 500, 280, 760, "l1"), box(40, 100, 280, 490, "l2")
    r1 = box(310, 600, 550, 760, "r1")  # a short right column, higher than the left's second block
    foot = box(40, 40, 550, 60, "footer")
    got = [b[4][0] for b in reading_order([r1, title, l2, foot, l1])]
    assert got == ["title", "l1", "l2", "r1", "footer"]
    one_column = [box(40, 700, 550, 760, "a"), box(40, 600, 200, 690, "heading"), box(40, 500, 550, 590, "b")]
    assert reading_order(one_column) == one_column  # no columns: pdfminer's order stands
    assert continues("families fled to the", "nearby camps.") and not continues("They fled.", "nearby")
    assert not continues("Key figures", "Idlib")


def test_event_on_page_two_names_page_two(tmp_path, geoparser):
    pdf = make_pdf([text_page("Flash Update No. 4", CALM), text_page(STRIKE)], info={"CreationDate": "D:20240305"})
    r = read_report(write(tmp_path, "update.pdf", pdf))
    assert r.pages[0] == (0, 1) and [no for _, no in r.pages] == [1, 2]
    assert r.text[r.pages[1][0] :].startswith("On Monday an air strike")
    events = extract(r, geoparser)
    assert len(events) == 1
    ev = events[0]
    assert ev["source"] == f"{r.source}#page=2"
    assert ev["location"] == "Aleppo" and ev["fatalities"] == 12 and ev["event_date"] == "2024-03-04"
    assert ev["source_text"] == STRIKE


def test_cli_extract_pdf_names_the_page(tmp_path, monkeypatch):
    pdf = make_pdf([text_page(CALM), text_page(CALM), text_page(STRIKE)], info={"CreationDate": "D:20240305"})
    write(tmp_path, "report.pdf", pdf)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["extract", "report.pdf", "-o", "out.geojson"])
    assert r.exit_code == 0, r.output
    (feature,) = json.loads((tmp_path / "out.geojson").read_text())["features"]
    assert feature["properties"]["source"].endswith("report.pdf#page=3")
    assert feature["properties"]["report_date"] == "2024-03-05"


def test_wrapped_lines_join_into_one_paragraph_per_block(tmp_path):
    r = read_report(write(tmp_path, "wrap.pdf", make_pdf([text_page(STRIKE, CALM, width=40)])), date="2024-03-05")
    assert r.text.split("\n\n") == [STRIKE, CALM]


def test_paragraphs_without_space_between_them(tmp_path):
    """No blank between paragraphs (one layout block): a line that stops short ends its paragraph."""
    lines = [(x, y + 14, t) for x, y, t in text_page("Key figures", width=40)]
    lines += [(x, y - 14 * (len(lines) - 1), t) for x, y, t in text_page(STRIKE, width=40)]
    lines += [(x, lines[-1][1] - 14 * (i + 1), t) for i, (x, _y, t) in enumerate(text_page(CALM, width=40))]
    r = read_report(write(tmp_path, "tight.pdf", make_pdf([lines])), date="2024-03-05")
    assert r.text.split("\n\n") == ["Key figures", STRIKE, CALM]


def test_reportlab_pdf_compressed_and_multi_page(tmp_path, geoparser):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "rl.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 11)
    c.drawString(60, 780, "Situation Report 12 | 5 March 2024")
    c.showPage()
    c.setFont("Helvetica", 11)
    c.drawString(60, 780, STRIKE)
    c.showPage()
    c.save()
    r = read_report(path)
    assert r.report_date == dt.date(2024, 3, 5)  # the date printed on the first page, not the file's creation
    assert [ev["source"] for ev in extract(r, geoparser)] == [f"{path}#page=2"]


def test_compressed_streams(tmp_path):
    r = read_report(write(tmp_path, "z.pdf", make_pdf([text_page(STRIKE)], compress=True)), date="2024-03-05")
    assert r.text == STRIKE


# -- dates --------------------------------------------------------------------------------------------------


def test_date_precedence(tmp_path):
    def date_of(first_page: list[str], date=None, **kw) -> dt.date:
        path = write(tmp_path, "d.pdf", make_pdf([text_page(*first_page), text_page(STRIKE)], **kw))
        return read_report(path, date=date).report_date

    info = {"CreationDate": "D:20240301120000+02'00'"}
    # 1. a 'date YYYY-MM-DD' first line beats all; it is not part of the text
    r = read_report(
        write(tmp_path, "a.pdf", make_pdf([text_page("date 2024-02-02", "Update of 9 March 2024", CALM)], info=info))
    )
    assert r.report_date == dt.date(2024, 2, 2) and r.text.startswith("Update of 9 March 2024")
    assert r.pages == ((0, 1),)
    # 2. a full date on the first page beats the metadata and --date
    assert date_of(["Flash Update | 9 March 2024", CALM], date="2020-01-01", info=info) == dt.date(2024, 3, 9)
    assert date_of(["Weekly brief, March 10, 2024", CALM], info=info) == dt.date(2024, 3, 10)
    # a date with no year is not a report date; a date on page 2 does not count
    assert date_of(["Clashes since 3 March", CALM], info=info) == dt.date(2024, 3, 1)
    # 3. metadata: /CreationDate, else XMP CreateDate; both beat --date
    assert date_of([CALM], date="2020-01-01", info=info) == dt.date(2024, 3, 1)
    assert date_of([CALM], date="2020-01-01", xmp="2024-03-07T10:00:00Z") == dt.date(2024, 3, 7)
    assert date_of([CALM], info=info, xmp="2024-03-07T10:00:00Z") == dt.date(2024, 3, 1)
    # placeholder creation dates say nothing
    assert date_of([CALM], date="2020-01-01", info={"CreationDate": "D:19700101"}) == dt.date(2020, 1, 1)
    # 4. --date
    assert date_of([CALM], date="2020-01-01") == dt.date(2020, 1, 1)
    with pytest.raises(InputError, match=r"no report date .*--date YYYY-MM-DD"):
        date_of([CALM])


def test_written_and_pdf_dates():
    assert first_written_date("Report of 5 March 2024 covering 1-4 March") == dt.date(2024, 3, 5)
    assert first_written_date("Issued Mar. 6, 2024") == dt.date(2024, 3, 6)
    assert first_written_date("as of 2024-03-07, then 1 March 2024") == dt.date(2024, 3, 7)
    assert first_written_date("31 February 2024 is no date; 2 April 2024 is") == dt.date(2024, 4, 2)
    assert first_written_date("Since 3 March") is None
    assert pdf_date(b"D:20240305233000-05'00'") == dt.date(2024, 3, 5)
    assert pdf_date(b"D:2024") == dt.date(2024, 1, 1)
    assert pdf_date(b"D:20241399") is None and pdf_date(b"yesterday") is None and pdf_date(b"D:00000101") is None


# -- bad input: one clear line --------------------------------------------------------------------------------


def test_scanned_pdf_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match=r"no text layer \(its pages are images\): scanned PDF\? run OCR first"):
        read_report(write(tmp_path, "scan.pdf", make_pdf([[], []], image_pages=(0, 1))), date="2024-03-05")
    with pytest.raises(InputError, match=r"no text layer \(no text on its pages\)"):
        read_report(write(tmp_path, "blank.pdf", make_pdf([[]])), date="2024-03-05")


def test_partly_scanned_pdf_reads_its_text_pages(tmp_path, geoparser):
    pdf = make_pdf([[], text_page(STRIKE)], image_pages=(0,))
    r = read_report(write(tmp_path, "part.pdf", pdf), date="2024-03-05")
    assert r.pages == ((0, 2),)
    assert [ev["source"] for ev in extract(r, geoparser)] == [f"{r.source}#page=2"]


def test_encrypted_pdf(tmp_path):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from reportlab.lib.pdfencrypt import StandardEncryption

    def rl(name: str, user: str) -> Path:
        path = tmp_path / name
        c = canvas.Canvas(str(path), encrypt=StandardEncryption(user, "owner-secret"))
        c.drawString(60, 780, "Flash update 5 March 2024")
        c.drawString(60, 760, STRIKE)
        c.showPage()
        c.save()
        return path

    with pytest.raises(InputError, match=r"locked.pdf: encrypted PDF \(it needs a password to open\)"):
        read_report(rl("locked.pdf", "user-secret"))
    # encrypted with an empty user password (only printing/copying restricted): any reader opens it
    r = read_report(rl("open.pdf", ""))
    assert STRIKE in r.text and r.report_date == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("cut.pdf", make_pdf([text_page(STRIKE)])[:200], "damaged or unreadable PDF"),
        ("junk.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8, "damaged or unreadable PDF"),
        ("text.pdf", b"this is not a pdf at all", "not a PDF file"),
        ("empty.pdf", b"", "not a PDF file"),
        ("text.docx", b"plain words", "not a Word .docx file"),
        ("zip.docx", b"PK\x03\x04" + b"\x00" * 60, "damaged or unreadable .docx"),
        ("old.docx", documents._OLE_MAGIC + b"\x00" * 500, "password-protected Office file or an old Word .doc"),
    ],
)
def test_corrupt_files_are_one_line_errors(tmp_path, name, data, message):
    path = write(tmp_path, name, data)
    with pytest.raises(InputError, match=message) as e:
        read_report(path, date="2024-03-05")
    assert "\n" not in str(e.value) and str(e.value).startswith(str(path))


def test_broken_page_tree_or_xref(tmp_path):
    """A catalog pointing at no page tree, an xref table pointing nowhere: pages are still found by their type."""
    data = make_pdf([text_page(STRIKE)])
    no_tree = data.replace(b"/Pages 2 0 R", b"/Pages 9 0 R")
    assert read_report(write(tmp_path, "tree.pdf", no_tree), date="2024-03-05").text == STRIKE
    bad_xref = data[: data.rindex(b"startxref")] + b"startxref\n999999\n%%EOF\n"
    assert read_report(write(tmp_path, "xref.pdf", bad_xref), date="2024-03-05").text == STRIKE


def test_cli_bad_pdf_exit_2_no_traceback(tmp_path):
    bad = write(tmp_path, "bad.pdf", make_pdf([[]], image_pages=(0,)))
    r = CliRunner().invoke(main, ["extract", str(bad), "-o", str(tmp_path / "out.geojson"), "--date", "2024-03-05"])
    assert r.exit_code == 2
    assert "no text layer" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out.geojson").exists()


def test_pdf_found_by_its_bytes_under_any_name(tmp_path):
    r = read_report(write(tmp_path, "download.bin", make_pdf([text_page(STRIKE)])), date="2024-03-05")
    assert r.text == STRIKE and r.pages == ((0, 1),)


# -- limits ---------------------------------------------------------------------------------------------------


def test_page_and_time_limits(tmp_path, monkeypatch):
    data = make_pdf([text_page(CALM), text_page(STRIKE)])
    with pytest.raises(LimitError, match=r"2 pages is over the 1-page limit"):
        read_document(data, "a.pdf", dt.date(2024, 3, 5), max_pages=1)
    with pytest.raises(LimitError, match=r"took longer than 0 s"):
        read_document(data, "a.pdf", dt.date(2024, 3, 5), time_budget=0)
    monkeypatch.setattr(documents, "MAX_DOCUMENT_PAGES", 1)
    with pytest.raises(LimitError):
        read_report(write(tmp_path, "two.pdf", data), date="2024-03-05")


def test_size_limit_applies_to_documents(tmp_path, monkeypatch):
    import mapper.reports

    monkeypatch.setattr(mapper.reports, "MAX_REPORT_BYTES", 100)
    with pytest.raises(LimitError, match="report limit"):
        read_report(write(tmp_path, "big.pdf", make_pdf([text_page(STRIKE)])), date="2024-03-05")


def test_docx_unpacked_size_limit(tmp_path, monkeypatch):
    docx = pytest.importorskip("docx")
    buf = io.BytesIO()
    docx.Document().save(buf)
    monkeypatch.setattr(documents, "MAX_DOCX_UNZIPPED_BYTES", 1000)
    with pytest.raises(LimitError, match="unpacks to"):
        read_report(write(tmp_path, "big.docx", buf.getvalue()), date="2024-03-05")


# -- DOCX -----------------------------------------------------------------------------------------------------


def make_docx(*parts: str, created: dt.datetime | None = None, page_break_before: tuple[int, ...] = ()) -> bytes:
    """A .docx of paragraphs; a part "<page>" is a hard page break, "<table>" a 2x2 table of figures."""
    docx = pytest.importorskip("docx")
    d = docx.Document()
    if created is not None:  # else python-docx's template date (2013-12-23), which says nothing
        d.core_properties.created = created
    for i, part in enumerate(parts):
        if part == "<page>":
            d.add_page_break()
        elif part == "<table>":
            t = d.add_table(rows=2, cols=2)
            for r, row in enumerate([("Location", "Displaced"), ("Idlib", "1,200")]):
                for c, value in enumerate(row):
                    t.cell(r, c).text = value
        else:
            p = d.add_paragraph(part)
            if i in page_break_before:
                p.paragraph_format.page_break_before = True
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_text_pages_and_date(tmp_path, geoparser):
    data = make_docx("Weekly brief", CALM, "<table>", "<page>", STRIKE, created=dt.datetime(2024, 3, 5, 22, 0))
    r = read_report(write(tmp_path, "brief.docx", data))
    assert r.report_date == dt.date(2024, 3, 5)
    assert r.text.split("\n\n") == ["Weekly brief", CALM, "Location | Displaced", "Idlib | 1,200", STRIKE]
    assert [no for _, no in r.pages] == [1, 2]
    assert [ev["source"] for ev in extract(r, geoparser)] == [f"{r.source}#page=2"]


def test_docx_page_break_before_and_rendered_breaks(tmp_path):
    r = read_report(write(tmp_path, "b.docx", make_docx(CALM, STRIKE, page_break_before=(1,))), date="2024-03-05")
    assert r.source_at(r.text.index(STRIKE)).endswith("#page=2")
    # Word's own layout (w:lastRenderedPageBreak), when present, is what counts; hard breaks then are not
    data = make_docx(CALM, "<page>", CALM, STRIKE)
    import docx
    from docx.oxml import OxmlElement

    d = docx.Document(io.BytesIO(data))
    last = d.paragraphs[-1]
    last.runs[0]._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    buf = io.BytesIO()
    d.save(buf)
    r = read_report(write(tmp_path, "r.docx", buf.getvalue()), date="2024-03-05")
    assert r.source_at(r.text.index(STRIKE)).endswith("#page=2")
    assert r.source_at(r.text.rindex(CALM)).endswith("#page=1")  # the hard break is not counted twice


def test_docx_without_page_breaks_names_no_page(tmp_path, geoparser):
    r = read_report(write(tmp_path, "plain.docx", make_docx(CALM, STRIKE)), date="2024-03-05")
    assert r.pages == () and r.report_date == dt.date(2024, 3, 5)
    assert [ev["source"] for ev in extract(r, geoparser)] == [r.source]


def test_docx_date_on_first_page_and_first_line(tmp_path):
    created = dt.datetime(2024, 3, 1)
    r = read_report(write(tmp_path, "a.docx", make_docx("Update, 9 March 2024", CALM, created=created)))
    assert r.report_date == dt.date(2024, 3, 9)
    r = read_report(write(tmp_path, "b.docx", make_docx("date 2024-02-02", CALM, created=created)))
    assert r.report_date == dt.date(2024, 2, 2) and r.text == CALM
    with pytest.raises(InputError, match="no report date"):
        read_report(write(tmp_path, "c.docx", make_docx(CALM)))  # python-docx's template date is no date
    with pytest.raises(InputError, match="no report date"):
        read_report(write(tmp_path, "d.docx", make_docx(CALM, created=dt.datetime(1980, 1, 1))))


def test_cli_extract_docx(tmp_path):
    write(tmp_path, "brief.docx", make_docx(CALM, "<page>", STRIKE, created=dt.datetime(2024, 3, 5)))
    out = tmp_path / "out.geojson"
    r = CliRunner().invoke(main, ["extract", str(tmp_path / "brief.docx"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    (feature,) = json.loads(out.read_text())["features"]
    assert feature["properties"]["source"].endswith("brief.docx#page=2")


# -- the small rules -------------------------------------------------------------------------------------------


def test_join_lines():
    assert join_lines(["Shelling hit the", "town overnight."]) == ["Shelling hit the town overnight."]
    assert join_lines(["people were displace-", "ment camps"]) == ["people were displacement camps"]
    assert join_lines(["in Ma'arrat an-", "Nu'man town"]) == ["in Ma'arrat an-Nu'man town"]
    assert join_lines(["a soft\xad", "ware update"]) == ["a software update"]
    assert join_lines(["Key points", "• Clashes in the north", "• Aid reached 3 towns"]) == [
        "Key points",
        "• Clashes in the north",
        "• Aid reached 3 towns",
    ]
    assert join_lines(["ﬁghting  near   the", "", "ﬂood plain"]) == ["fighting near the flood plain"]
    assert join_lines(["“Quoted words", "go on,” she said."]) == ["“Quoted words go on,” she said."]
    ends = [False, True, False, True]
    assert join_lines(["Shelling hit the", "town.", "Families", "fled."], ends) == [
        "Shelling hit the town.",
        "Families fled.",
    ]
    assert join_lines(["Shelling hit", "the town"], [True, False]) == ["Shelling hit the town"]  # lower case goes on


def test_report_source_at():
    plain = Report("text", dt.date(2024, 1, 1), "a.txt")
    assert plain.source_at(2) == "a.txt"
    paged = Report("page one\n\npage two", dt.date(2024, 1, 1), "a.pdf", pages=((0, 1), (10, 2)))
    assert [paged.source_at(i) for i in (0, 9, 10, 17)] == ["a.pdf#page=1", "a.pdf#page=1"] + ["a.pdf#page=2"] * 2


def test_pages_of_one_pdf_are_one_source_for_dedup():
    """Events on two pages of one report are never taken for duplicates of each other (as rows of one table)."""
    assert source_file("a/b.pdf#page=3") == "a/b.pdf" == source_file("a/b.pdf#page=1")


def test_folder_walk_finds_pdf_and_docx(tmp_path):
    for name in ("a.pdf", "b.docx", "c.txt", "d.png"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in report_paths([tmp_path])] == ["a.pdf", "b.docx", "c.txt"]
