"""The README documents what the code does: every quality flag, every command's options."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.translate.quality import ALL_FLAGS

README = Path(__file__).parent.parent / "README.md"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(title)
    end = text.find("\n#", start + len(title))
    return text[start:end]


def test_every_quality_flag_is_documented_and_every_documented_flag_exists():
    table = _section("### Quality flags")
    documented = set(re.findall(r"^\| `([a-z-]+)`(?: / `([a-z-]+)`)?", table, re.M))
    names = {name for pair in documented for name in pair if name}
    assert names == set(ALL_FLAGS)


def test_the_build_options_table_lists_every_build_option():
    import click
    import typer.main

    from toolkit.cli import app

    group = typer.main.get_command(app)
    command = group.commands["build"]  # type: ignore[attr-defined]
    table = _section("### Build options")
    for param in command.params:
        if isinstance(param, click.Option):
            long = next(o for o in param.opts if o.startswith("--"))
            if long != "--help":
                assert f"`{long}" in table, f"{long} missing from the README's build options"
