"""The gazetteer's vocabularies are data files (gazetteer/data/*.txt|tsv) read by gazetteer/words.py; the
Python names other modules import keep their shapes, and every data file ships in the wheel."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest

from gazetteer import build, words

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "gazetteer" / "data"
WORD_LISTS = sorted(p.name for p in DATA.glob("*.txt"))


def test_the_word_lists_are_data_files():
    assert {"titles.txt", "not_places.txt", "person_names.txt", "months.txt", "abbreviations.txt"} <= set(WORD_LISTS)
    assert {"demonyms.tsv", "regions.tsv", "country_aliases.tsv"} <= {p.name for p in DATA.glob("*.tsv")}
    # no word list left as a Python literal
    source = (ROOT / "gazetteer" / "words.py").read_text(encoding="utf-8")
    assert '"' + "monday" + '"' not in source and '"' + "taliban" + '"' not in source
    assert "REGIONS: dict" in (ROOT / "gazetteer" / "build.py").read_text() and '"Sahel"' not in (
        ROOT / "gazetteer" / "build.py"
    ).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", WORD_LISTS)
def test_each_word_list_is_clean(name):
    items = words.read_list(name)
    assert items, name
    assert len(set(items)) == len(items), f"{name}: duplicates"
    assert all(i == i.strip().lower() and "\t" not in i for i in items), name


def test_reader_skips_comments_and_blank_lines(tmp_path, monkeypatch):
    (tmp_path / "x.txt").write_text("# a comment\n\nalpha\n  beta  # and a note\n#gamma\n", encoding="utf-8")
    (tmp_path / "t.tsv").write_text("# c\nname\tlat\talternates\nA\t1.5\t\nB\t2\tx|y\n", encoding="utf-8")
    monkeypatch.setattr(words, "DATA_DIR", tmp_path)
    assert words.read_list.__wrapped__("x.txt") == ("alpha", "beta")
    assert words.read_table.__wrapped__("t.tsv") == (
        {"name": "A", "lat": "1.5", "alternates": ""},
        {"name": "B", "lat": "2", "alternates": "x|y"},
    )


def test_python_names_keep_their_shapes():
    assert words.WEEKDAYS[0] == "monday" and len(words.WEEKDAYS) == 7
    assert words.MONTH_NAMES[0] == "january" and words.MONTH_NAMES[11] == "december"
    assert "sept" in words.MONTH_ABBREVIATIONS and words.MONTHS >= set(words.MONTH_NAMES)
    assert words.DEMONYMS["afghan"] == "AF" and words.DEMONYMS["south sudanese"] == "SS"
    # NOT_PLACES holds its own list plus months, days and function words
    assert {"street", "taliban", "march", "monday", "the"} <= words.NOT_PLACES
    assert "gen" in words.ABBREVIATIONS and "oct" in words.ABBREVIATIONS
    assert build.REGIONS["Sahel"] == (15.0, 2.0, ["the Sahel"]) and build.REGIONS["Darfur"] == (13.0, 24.0, [])
    assert build.COUNTRY_ALIASES["CD"] == ["DRC", "DR Congo", "Democratic Republic of Congo", "Congo-Kinshasa"]


def test_build_inputs_are_in_the_data_version():
    for name in build.BUILD_DATA:
        assert (DATA / name).exists(), name
    assert {"regions.tsv", "country_aliases.tsv"} <= set(build.BUILD_DATA)


def test_every_data_file_is_package_data():
    """pyproject's package-data globs for the gazetteer cover every file in gazetteer/data (a subfolder
    would need its own glob)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["gazetteer"]
    files = [p.relative_to(ROOT / "gazetteer").as_posix() for p in DATA.rglob("*") if p.is_file()]
    assert files
    for f in files:
        assert any(fnmatch.fnmatch(f, g) and f.count("/") == g.count("/") for g in globs), f
