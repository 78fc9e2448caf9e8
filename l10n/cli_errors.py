"""How the command line fails: a usage error or an error from the library is one line on stderr
and an exit code, decided here for every command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from typer.core import TyperGroup

from l10n.errors import L10nError

try:  # typer 0.27+ carries its own copy of click
    from typer._click import Context as ClickContext
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover -- older typer runs on click itself
    from click import Context as ClickContext  # type: ignore[assignment,no-redef]
    from click.exceptions import UsageError  # type: ignore[assignment,no-redef]


class Commands(TyperGroup):
    """The ``l10n`` group. A usage error (unknown option, missing or bad value) is one line on
    stderr and exit 1, like every other error: exit 2 means a machine-translation provider failed.
    Parsing happens in ``make_context`` (the root's options) and ``invoke`` (the command's), so
    catching it there covers ``main()``, ``app()`` and the test runner alike."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: ClickContext | None = None, **extra: Any) -> ClickContext:
        with usage_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: ClickContext) -> Any:
        with usage_errors(ctx):
            return super().invoke(ctx)

    def resolve_command(self, ctx: ClickContext, args: list[str]) -> Any:
        # Remembered for errors that come without their command's context (a missing value).
        found = super().resolve_command(ctx, args)
        ctx.meta[COMMAND_KEY] = found[0]
        return found


COMMAND_KEY = "l10n.command"


@contextmanager
def usage_errors(where: ClickContext | None = None) -> Iterator[None]:
    try:
        yield
    except UsageError as error:
        if type(error).__name__ == "NoArgsIsHelpError":
            # Bare `l10n`: typer printed the help while making the error; exit 1, not 2.
            raise typer.Exit(1) from None
        message = " ".join(error.format_message().split()).rstrip(".")
        typer.echo(f"error: {message}; see {command_line(error.ctx or where)} --help", err=True)
        raise typer.Exit(1) from None


def command_line(ctx: ClickContext | None) -> str:
    """``l10n`` and the command names that lead to ``ctx`` (whatever the program was called)."""
    names: list[str] = []
    if ctx is not None and ctx.parent is None and ctx.meta.get(COMMAND_KEY):
        names.append(ctx.meta[COMMAND_KEY])
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["l10n", *reversed(names)])


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
