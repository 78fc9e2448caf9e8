"""The README cannot rot: every command is documented there, with help text in the CLI too."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from l10n.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, str]:
    group = typer.main.get_command(app)
    return {name: command.help or "" for name, command in group.commands.items()}  # type: ignore[attr-defined]


def test_every_command_has_help_and_a_row_in_the_readme_table() -> None:
    assert set(commands()) == {"init", "extract", "update", "translate", "review", "check",
                               "status", "build", "sync"}
    for name, help_text in commands().items():
        assert help_text.strip(), f"`l10n {name}` has no help text"
        assert re.search(rf"^\| `{name}` \| .+ \| `l10n .*{name}.*` \|$", README, re.MULTILINE), (
            f"README's command table has no row with an example for `{name}`")


def test_quick_start_is_exactly_two_commands_and_ci_runs_the_second() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert lines == ["make sync", "make test"]
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "make test" in ci
