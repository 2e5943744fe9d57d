"""The README documents every CLI command (the docs cannot drift from the code)."""

from __future__ import annotations

import re

import click
import pytest

from mapper.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


@pytest.mark.parametrize("path,cmd", list(_commands(main)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_command_in_readme_with_help(path, cmd):
    assert f"mapper {' '.join(path)}" in README
    assert cmd.help


def test_quick_start_has_two_commands():
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    lines = [ln for ln in block.splitlines()[1:] if ln.strip() and not ln.startswith("#")]
    assert len(lines) == 2


def _long_options(cmd: click.Command):
    for p in cmd.params:
        if isinstance(p, click.Option):
            for o in (*p.opts, *p.secondary_opts):
                if o.startswith("--") and o not in ("--help",):
                    yield o


@pytest.mark.parametrize(
    "path,option",
    [(path, o) for path, cmd in _commands(main) for o in _long_options(cmd)],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else v,
)
def test_every_option_is_documented(path, option):
    """Every long option of every command is named in the README (a new option needs its line there)."""
    assert re.search(re.escape(option) + r"(?![\w-])", README), option


def test_every_exit_code_is_documented():
    import mapper.errors as errors

    codes = {c.exit_code for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.MapperError)}
    table = README.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    documented = {int(line.split("|")[1]) for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()}
    assert codes - {1} <= documented and {2, 70} <= documented
