"""Both error trees (gazetteer.errors under GazetteerError, mapper.errors under MapperError): every class
is a subclass of its root and of its built-in, carries the exit code README documents, and the CLI turns
each into one line with that code (in the style of geopy's test/test_exc.py)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import gazetteer.errors as gerr
import mapper.errors as merr

README = Path(__file__).resolve().parents[1] / "README.md"

# class -> (the built-in it also is, exit code)
GAZETTEER_TREE: dict[type, tuple[type, int]] = {
    gerr.GazetteerError: (Exception, 3),
    gerr.IndexReadError: (OSError, 3),
    gerr.IndexPermissionError: (PermissionError, 3),
    gerr.CorruptIndexError: (ValueError, 3),
    gerr.IndexWriteError: (OSError, 3),
    gerr.DiskFullError: (OSError, 3),
    gerr.GazetteerInputError: (ValueError, 2),
    gerr.DumpFormatError: (ValueError, 2),
    gerr.OverridesError: (ValueError, 2),
}
# the mapper's own classes known when this test was written (others may be added: they are checked
# against the root and README's codes below)
MAPPER_TREE: dict[type, tuple[type, int]] = {
    merr.MapperError: (Exception, 1),
    merr.InputError: (ValueError, 2),
    merr.ExportError: (OSError, 4),
    merr.LimitError: (ValueError, 5),
}


def _defined_in(module) -> list[type]:
    return [
        obj
        for _name, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, BaseException) and obj.__module__ == module.__name__
    ]


def _documented_codes() -> set[int]:
    """The codes of README's exit-code table (plus 1, MapperError's generic code)."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("### Exit codes") :]
    table = table[: table.index("\n\n", table.index("|---"))]
    return {int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)} | {1}


def test_every_gazetteer_error_is_listed_here():
    assert set(_defined_in(gerr)) == set(GAZETTEER_TREE)
    assert set(gerr.__all__) == {c.__name__ for c in GAZETTEER_TREE}


@pytest.mark.parametrize("cls", list(GAZETTEER_TREE), ids=lambda c: c.__name__)
def test_gazetteer_error_class(cls):
    builtin, code = GAZETTEER_TREE[cls]
    assert issubclass(cls, gerr.GazetteerError)
    assert issubclass(cls, builtin)
    assert not issubclass(cls, merr.MapperError)  # the gazetteer knows nothing of the mapper
    assert cls.exit_code == code
    assert code in _documented_codes()
    assert cls.__doc__ and cls.__doc__.strip()
    e = cls("x.sqlite: something is wrong")
    assert str(e) == "x.sqlite: something is wrong"  # OSError subclasses too: the message as given


@pytest.mark.parametrize("cls", _defined_in(merr), ids=lambda c: c.__name__)
def test_mapper_error_class(cls):
    assert issubclass(cls, merr.MapperError)
    assert cls.exit_code in _documented_codes()
    assert cls.__doc__ and cls.__doc__.strip()
    if cls in MAPPER_TREE:
        builtin, code = MAPPER_TREE[cls]
        assert issubclass(cls, builtin) and cls.exit_code == code


def test_mapper_errors_reexports_the_gazetteer_tree():
    for cls in GAZETTEER_TREE:
        assert getattr(merr, cls.__name__) is cls
    assert set(merr.USER_ERRORS) == {merr.MapperError, gerr.GazetteerError}
    import mapper

    assert mapper.GazetteerError is gerr.GazetteerError


def test_readme_names_exit_3_for_the_gazetteer_and_2_for_bad_input():
    assert {3, 2} <= _documented_codes()


@pytest.mark.parametrize("cls", [*GAZETTEER_TREE, *MAPPER_TREE], ids=lambda c: c.__name__)
def test_cli_turns_each_error_into_one_line_and_its_code(monkeypatch, cls):
    from gazetteer import Gazetteer
    from mapper.cli import main

    def fail(*_a, **_k):
        raise cls("somewhere: it went wrong")

    monkeypatch.setattr(Gazetteer, "default", classmethod(fail))
    r = CliRunner().invoke(main, ["geocode", "Kabul"])
    assert r.exit_code == cls.exit_code
    assert r.output == "mapper: error: somewhere: it went wrong\n"
