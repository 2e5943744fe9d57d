from __future__ import annotations

import datetime as dt

import pytest

from mapper.errors import InputError
from mapper.reports import parse_report, read_report, read_reports


def test_date_prefix_on_the_first_line():
    r = parse_report(" date 2020-10-12 American forces struck.", "x.txt")
    assert r.report_date == dt.date(2020, 10, 12) and r.text == "American forces struck."


def test_date_line_front_matter_html_and_fallback():
    assert parse_report("date: 2021-01-02\nText.", "a.txt").report_date == dt.date(2021, 1, 2)
    r = parse_report("---\ntitle: x\ndate: 2022-03-04\n---\n# Head\n\nSome **bold** text.", "a.md")
    assert r.report_date == dt.date(2022, 3, 4) and "**" not in r.text and "#" not in r.text
    html = (
        '<html><head><meta name="date" content="2023-05-06"><script>alert(1)</script></head>'
        "<body><p>Shelling hit the town.</p><style>p{}</style></body></html>"
    )
    r = parse_report(html, "a.html")
    assert r.report_date == dt.date(2023, 5, 6) and "alert" not in r.text and "Shelling" in r.text
    assert parse_report("No date here.", "a.txt", date="2024-01-01").report_date == dt.date(2024, 1, 1)


def test_no_date_is_an_error_naming_the_file():
    with pytest.raises(InputError, match="b.txt: no report date"):
        parse_report("Text without a date.", "b.txt")


def test_bad_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_report(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_report(empty)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("date 2020-01-01\nAttaque à Gao, déplacés.".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_report(latin)
    binary = tmp_path / "junk.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InputError, match="binary"):
        read_report(binary)
    (tmp_path / "no-reports").mkdir()
    with pytest.raises(InputError, match="no report files"):
        read_reports([tmp_path / "no-reports"])


def test_bom_and_crlf(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes("\ufeffdate 2020-01-01\r\nShelling in Aleppo.\r\n".encode("utf-8"))
    r = read_report(f)
    assert r.report_date == dt.date(2020, 1, 1) and r.text == "Shelling in Aleppo."
