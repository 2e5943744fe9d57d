"""Sentences with their character offsets (pure): the one splitter the geoparser (sentence context) and
the extractor (one event per sentence) both use.

Rules: every line is split on its own (a line break always ends a sentence, so a heading never runs into
the text under it); inside a line a sentence ends at ``.``, ``!`` or ``?`` (and any closing quotes or
brackets) followed by a space and a capital letter, a digit or an opening quote, unless the word before
the stop is an abbreviation (``data/abbreviations.txt``, month abbreviations) or a single letter
("Gen. Smith", "the U.S. strikes", "J. Smith"). A line without closing punctuation and of at most 14
words is a heading.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .words import ABBREVIATIONS

_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_LINE = re.compile(r"[^\n]+")
HEADING_MAX_WORDS = 14


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    heading: bool  # a line with no closing punctuation, e.g. a sub-heading


def sentences(text: str) -> list[Sentence]:
    """Split text into sentences; every line is split separately, headings kept apart. Each sentence is
    ``text[start:end]`` without surrounding blanks."""
    out: list[Sentence] = []
    for block in _LINE.finditer(text):
        bstart, chunk = block.start(), block.group(0)
        pos = 0
        for m in _BOUNDARY.finditer(chunk):
            before = chunk[max(0, m.start() - 40) : m.start()].rsplit(None, 1)
            last = before[-1].lower().rstrip(".") if before else ""
            if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            _add(out, text, bstart + pos, bstart + m.end())
            pos = m.end()
        _add(out, text, bstart + pos, bstart + len(chunk))
    return out


def _add(out: list[Sentence], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e <= s:
        return
    t = text[s:e]
    heading = t[-1] not in ".!?\"”’')" and len(t.split()) <= HEADING_MAX_WORDS
    out.append(Sentence(s, e, t, heading))


class SentenceIndex:
    """Which sentence a character offset falls in (the sentence before it, for blanks between two)."""

    def __init__(self, text: str, split: list[Sentence] | None = None):
        found = sentences(text) if split is None else split
        self.starts = [0] + [s.start for s in found[1:]]

    def __call__(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)
