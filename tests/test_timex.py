"""Time expressions at the edges of the calendar: a report dated 9999-12-31 (or 0001-01-01) never crashes;
a date the rules would put out of range is ignored and the report date kept."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from mapper.timex import resolve

PHRASES = [
    "on Monday",
    "since Tuesday",
    "late on Friday",
    "yesterday",
    "day before yesterday",
    "over the past 48 hours",
    "in the last 3 days",
    "this week",
    "earlier this month",
    "last month",
    "in March",
    "on 12 March",
    "March 12",
    "2020-01-01",
]


@pytest.mark.parametrize("phrase", PHRASES)
@pytest.mark.parametrize("day", [dt.date.max, dt.date.min, dt.date(1, 1, 2)], ids=str)
def test_calendar_edges_do_not_crash(phrase, day):
    d, prec, _words = resolve(f"Clashes {phrase} near the town.", day)
    assert isinstance(d, dt.date) and prec in (1, 2, 3)
    assert d <= day


def test_weekday_in_a_report_dated_9999_12_31_is_read():
    # 9999-12-31 is a Friday: "on Monday" is the Monday before it
    assert resolve("Fighting on Monday.", dt.date(9999, 12, 31)) == (dt.date(9999, 12, 27), 1, "on Monday")
    assert resolve("Fighting yesterday.", dt.date(9999, 12, 31))[0] == dt.date(9999, 12, 30)


def test_cli_extract_of_a_report_dated_9999_12_31(tmp_path):
    from mapper.cli import main

    report = tmp_path / "far.txt"
    report.write_text(
        "date 9999-12-31\nOn Monday, an airstrike hit Lashkar Gah in Helmand province, killing 3 people.\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(main, ["extract", str(report), "-o", str(tmp_path / "e.geojson")])
    assert r.exit_code == 0, r.output
    assert "9999-12-27" in (tmp_path / "e.geojson").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "phrase,expected,prec",
    [
        ("yesterday", "2020-10-11", 1),
        ("on Monday", "2020-10-12", 1),
        ("on Saturday", "2020-10-10", 1),
        ("over the past couple days", "2020-10-11", 2),
        ("in the last 24 hours", "2020-10-12", 2),
        ("since Friday", "2020-10-09", 2),
        ("last week", "2020-10-09", 2),
        ("on 3 October", "2020-10-03", 1),
        ("on October 3", "2020-10-03", 1),
        ("earlier this month", "2020-10-01", 3),
        ("nothing about time", "2020-10-12", 2),
    ],
)
def test_relative_dates(phrase, expected, prec):
    d, p, _ = resolve(f"Clashes broke out {phrase}.", dt.date(2020, 10, 12))
    assert (d.isoformat(), p) == (expected, prec)
