"""The command line: each command parses its options, calls one library function, prints.

Errors from the library (``L10nError``) become one line on stderr and an exit code, in one place.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from l10n.errors import L10nError
from l10n.project import Project

app = typer.Typer(
    help="Translate articles through gettext PO files: extract, update, translate, review, build.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@contextmanager
def reported() -> Iterator[None]:
    """Turn library errors into one line on stderr and the error's exit code."""
    try:
        yield
    except L10nError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted: every file written so far is complete; rerun to resume", err=True)
        raise typer.Exit(130) from None


def say(message: str) -> None:
    typer.echo(message)


@app.callback()
def root(
    ctx: typer.Context,
    root_dir: Annotated[
        Path, typer.Option("--root", help="The workspace folder (default: the current folder).")
    ] = Path("."),
) -> None:
    """Load the workspace into ctx.obj for every command (init makes its own)."""
    if ctx.invoked_subcommand == "init":
        ctx.obj = root_dir
        return
    with reported():
        ctx.obj = Project.load(root_dir)


def project_of(ctx: typer.Context) -> Project:
    project = ctx.obj
    assert isinstance(project, Project)
    return project


def main() -> None:
    """Entry point of the ``l10n`` script."""
    sys.exit(app())
