"""When: relative time expressions resolved against the report date (pure).

Returns the best estimate of the day and a time precision (1 the day is known, 2 within a few days or a
week, 3 only the month or vaguer), as ACLED codes them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from gazetteer.words import MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAYS

from .numbers import UNITS

MONTHS = MONTH_NAMES
_MONTH = rf"({'|'.join(MONTH_NAMES + MONTH_ABBREVIATIONS)})\.?"
_WEEKDAY = "|".join(WEEKDAYS)  # month and weekday names: the one list, gazetteer/data/*.txt
_COUNT = r"(\d+|a couple of|a couple|couple of|couple|a few|few|several|two|three|four|five|six|seven|ten)"


def _month_no(word: str) -> int:
    w = word.lower().rstrip(".")
    for i, m in enumerate(MONTHS, start=1):
        if m.startswith(w[:3]):
            return i
    raise ValueError(word)


def _count(word: str) -> int:
    w = word.lower().replace(" of", "").strip()
    if w.isdigit():
        return int(w)
    return {"a couple": 2, "couple": 2, "a few": 3, "few": 3, "several": 4}.get(w, UNITS.get(w, 2))


def _last_weekday(report: dt.date, name: str) -> dt.date:
    target = WEEKDAYS.index(name.lower())
    delta = (report.weekday() - target) % 7
    return report - dt.timedelta(days=delta)


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


Resolver = Callable[[re.Match, dt.date], tuple[dt.date | None, int]]


# (pattern, resolver(match, report_date) -> (date, precision)); first match wins, most specific first
def _explicit_dmy(m, r):
    d = _safe(int(m.group(3)) if m.group(3) else r.year, _month_no(m.group(2)), int(m.group(1)))
    if d and not m.group(3) and d > r:
        d = _safe(r.year - 1, d.month, d.day)
    return d, 1


def _explicit_mdy(m, r):
    d = _safe(int(m.group(3)) if m.group(3) else r.year, _month_no(m.group(1)), int(m.group(2)))
    if d and not m.group(3) and d > r:
        d = _safe(r.year - 1, d.month, d.day)
    return d, 1


def _span_days(m, r):
    n = _count(m.group(1))
    return r - dt.timedelta(days=max(1, n // 2)), 2


def _hours(m, r):
    h = int(m.group(1))
    return (r if h <= 24 else r - dt.timedelta(days=h // 48 or 1)), 2 if h >= 24 else 1


def _month_only(m, r):
    mo = _month_no(m.group(1))
    y = int(m.group(2)) if m.group(2) else (r.year if mo <= r.month else r.year - 1)
    return _safe(y, mo, 15 if (y, mo) != (r.year, r.month) else min(15, r.day)), 3


RULES: list[tuple[re.Pattern, Resolver]] = [
    (re.compile(r"\b(?:\d{4}-\d{2}-\d{2})\b"), lambda m, r: (dt.date.fromisoformat(m.group(0)), 1)),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?\b", re.I), _explicit_dmy),
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I), _explicit_mdy),
    (re.compile(r"\b(?:last night|late on \w+day|yesterday)\b", re.I), lambda m, r: (r - dt.timedelta(days=1), 1)),
    (re.compile(r"\bday before yesterday\b", re.I), lambda m, r: (r - dt.timedelta(days=2), 1)),
    (re.compile(r"\b(?:in|over|during|within)\s+the\s+(?:last|past)\s+(\d+)\s+hours\b", re.I), _hours),
    (re.compile(rf"\b(?:in|over|during|for|within)\s+the\s+(?:last|past)\s+{_COUNT}\s+days\b", re.I), _span_days),
    (re.compile(rf"\b(?:over|in|during)\s+(?:the\s+)?(?:last|past)\s+{_COUNT}\s+days\b", re.I), _span_days),
    (re.compile(rf"\bover\s+the\s+(?:last|past)\s+{_COUNT}\s+(?:of\s+)?days\b", re.I), _span_days),
    (re.compile(rf"\b(?:the\s+)?(?:last|past)\s+{_COUNT}\s+days\b", re.I), _span_days),
    (
        re.compile(rf"\bsince\s+({_WEEKDAY})\b", re.I),
        lambda m, r: (_last_weekday(r - dt.timedelta(days=1), m.group(1)), 2),
    ),
    (
        re.compile(
            rf"\b(?:on\s+)?({_WEEKDAY})(?:\s+(?:night|morning|evening|afternoon))?\b",
            re.I,
        ),
        lambda m, r: (_last_weekday(r, m.group(1)), 1),
    ),
    (
        re.compile(r"\b(?:overnight|today|this morning|this afternoon|this evening|tonight|earlier today)\b", re.I),
        lambda m, r: (r, 1),
    ),
    (
        re.compile(r"\b(?:last|past|this)\s+week(?:end)?\b|\bin recent days\b|\bseveral days\b", re.I),
        lambda m, r: (r - dt.timedelta(days=3), 2),
    ),
    (
        re.compile(r"\b(?:earlier this month|this month|in recent weeks|past few weeks|last few weeks)\b", re.I),
        lambda m, r: (r - dt.timedelta(days=min(14, r.day - 1)), 3),
    ),
    (re.compile(r"\blast month\b", re.I), lambda m, r: ((r.replace(day=1) - dt.timedelta(days=1)).replace(day=15), 3)),
    (re.compile(rf"\bin\s+{_MONTH}(?:\s+(\d{{4}}))?\b", re.I), _month_only),
]


def resolve(text: str, report_date: dt.date) -> tuple[dt.date, int, str]:
    """(event date, time precision, the words that said so) for a sentence; the report date with
    precision 2 when the sentence says nothing about time."""
    best = None
    for pattern, fn in RULES:
        m = pattern.search(text)
        if not m:
            continue
        try:
            d, prec = fn(m, report_date)
        except (ValueError, OverflowError):
            continue
        # (d - report) rather than report + 1 day: a report dated 9999-12-31 has no day after it
        if d is None or (d - report_date).days > 1 or d.year < 1900:
            continue
        best = (d, prec, m.group(0))
        break
    if best is None:
        return report_date, 2, ""
    return best
