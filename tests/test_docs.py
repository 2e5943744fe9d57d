"""The README documents every CLI command (the docs cannot drift from the code)."""

from __future__ import annotations

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
