"""One exception tree. Every error knows where it happened and, where it can, what to do."""

from __future__ import annotations

import re
from pathlib import Path


class L10nError(Exception):
    """Base of every error the tool reports to a user as one line.

    ``str(error)`` is ``path:line: message`` (parts omitted when unknown), followed by the hint.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries (parallel extract/build): keep path, line and hint.
        return (_rebuild, (type(self), self.message, self.path, self.line, self.hint))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ConfigError(L10nError):
    """The workspace settings are wrong: pyproject.toml [tool.l10n], an unknown language."""


class SourceError(L10nError):
    """An article cannot be read or parsed: not UTF-8, broken front matter, hostile markup."""


class CatalogError(L10nError):
    """A PO or POT file cannot be read: syntax error, wrong encoding, duplicate entries."""


class CatalogChanged(CatalogError):
    """A catalog changed on disk while l10n had it open (an editor, a `git pull`, Weblate): l10n
    does not write over it, so that change is not lost."""


class GlossaryError(L10nError):
    """glossary.yml is malformed or contradicts the workspace."""


class EngineError(L10nError):
    """A machine-translation provider failed: unreachable, bad key, refused the request."""

    exit_code = 2


class CheckError(L10nError):
    """A quality check blocks an action (approving or publishing)."""


class WorkspaceError(L10nError):
    """The workspace layout is not what a command needs (missing folder, existing file on init)."""


def decode_utf8(data: bytes, *, path: str | Path, error: type[L10nError] = L10nError,
                message: str = "not UTF-8", hint: str = "save the file as UTF-8") -> str:
    """``data`` as text, a leading byte-order mark dropped, or ``error`` naming the line and the
    value of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise error(f"{message} (byte 0x{data[exc.start]:02x})", path=path,
                    line=data.count(b"\n", 0, exc.start) + 1, hint=hint) from None


# The lines git writes into a file a merge left in conflict (diff3's "|||||||" is not needed:
# a conflict always has the other three).
CONFLICT_MARKER = re.compile(r"(?:<{7}|={7}|>{7})(?:[ \t\r]|$)")


def shorten(text: str, limit: int = 40) -> str:
    """``text`` as a message quotes it: at most ``limit`` characters, cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def merge_conflict(line: str) -> tuple[str, str]:
    """The message and the hint for ``line``, a conflict marker git wrote into a file."""
    shown = shorten(line.rstrip("\r\n"), 20)
    return (f"unresolved merge conflict: {shown!r} is a line git wrote",
            "keep one side of the conflict and delete its marker lines")


def _rebuild(cls: type[L10nError], message: str, path: str | None, line: int | None,
             hint: str | None) -> L10nError:
    return cls(message, path=path, line=line, hint=hint)


def toml_problem(error: Exception) -> tuple[str, int | None]:
    """What a ``tomllib.TOMLDecodeError`` says and the line it names (None at the end of the
    document): tomllib (3.11) puts the place in the message only, "... (at line 3, column 5)"."""
    message = str(error)
    at = re.search(r" ?\((?:at line (\d+), column \d+|at end of document)\)$", message)
    if at is None:
        return message, None
    return message[:at.start()], int(at.group(1)) if at.group(1) else None
