"""One sentence splitter with character offsets (gazetteer/sentences.py), used by both the geoparser's
sentence context and the extractor (mapper/text.py re-exports it)."""

from __future__ import annotations

import pytest

from gazetteer.sentences import SentenceIndex, sentences


def test_offsets_abbreviations_and_headings():
    text = "Gen. Smith said the U.S. strikes hit Kabul. Fighting continues\nAround 1,500 families fled."
    ss = sentences(text)
    assert [s.text for s in ss] == [
        "Gen. Smith said the U.S. strikes hit Kabul.",
        "Fighting continues",
        "Around 1,500 families fled.",
    ]
    assert all(text[s.start : s.end] == s.text for s in ss)
    assert ss[1].heading and not ss[0].heading and not ss[2].heading


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Clashes in Bor. Then quiet.", ["Clashes in Bor.", "Then quiet."]),
        ("He left on Oct. 3 for Kabul.", ["He left on Oct. 3 for Kabul."]),  # a month abbreviation
        ("J. Smith arrived. He spoke.", ["J. Smith arrived.", "He spoke."]),  # a single letter
        ('"Leave now!" he said. Nobody did.', ['"Leave now!" he said.', "Nobody did."]),
        ("Shelling (near Idlib.) Then calm.", ["Shelling (near Idlib.)", "Then calm."]),
        ("Prices rose 3.5 percent. Markets shut.", ["Prices rose 3.5 percent.", "Markets shut."]),
        ("Attacks e.g. in Gao. Others too.", ["Attacks e.g. in Gao.", "Others too."]),
        ("Fighting in Aleppo. more later", ["Fighting in Aleppo. more later"]),  # lower case: not a new one
        ("Helmand\nTwo people died in Nad Ali.", ["Helmand", "Two people died in Nad Ali."]),  # a line ends one
        ("  \n\n  ", []),
    ],
)
def test_rules(text, expected):
    assert [s.text for s in sentences(text)] == expected


def test_index_of_an_offset():
    text = "Clashes in Bor. Gen. Lam spoke in Jonglei.\nNext line."
    which = SentenceIndex(text)
    assert which(0) == 0 and which(text.index("Bor")) == 0
    assert which(text.index("Gen.")) == 1 and which(text.index("Jonglei")) == 1  # "Gen." does not split
    assert which(text.index("Next")) == 2 and which(len(text)) == 2
    assert which(text.index(" Gen")) == 0  # the blank between two sentences belongs to the first


def test_mapper_text_is_the_same_splitter():
    import mapper.text

    assert mapper.text.sentences is sentences


def test_the_geoparser_uses_the_same_splitter():
    import gazetteer.geoparse as geoparse

    assert geoparse.SentenceIndex is SentenceIndex
    assert not hasattr(geoparse, "_sentence_bounds")
