"""Document formats. Each module knows one format and offers the same small interface:

- ``extract(text, path, *, options) -> list[Segment]``: the translatable blocks, in order;
- ``render(text, lookup, *, options) -> str``: the same document with each block whose msgid
  ``lookup`` translates replaced by its translation; every other byte is kept;
- ``render_checked(text, lookup, *, options, path) -> Rendered``: ``render``, and notes
  (``path:line: …``) on how the edition was made that its reader should know (the build prints
  them);
- ``untranslated_blocks(text) -> list[int]``: the first lines of blocks with text that extract
  leaves out (a Markdown article's HTML blocks): their text stays in the source language;
- ``declared_language(text, path) -> str | None`` and ``language_line(text) -> int | None``:
  the language the document says it is written in, and the line that says so.

``text`` is the document without a byte-order mark: ``l10n.project`` drops it when it reads an
article and ``l10n.build`` puts it back at the start of each edition.

``extract`` and ``render`` share one traversal inside each module, so they can never disagree about
where a block starts and ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Protocol, cast

from l10n.segment import Lookup, Segment


@dataclass(frozen=True)
class FormatOptions:
    """What a format needs to know beyond the text itself."""

    front_matter_keys: tuple[str, ...] = ("title", "summary", "description")
    # The edition's language, when rendering (``<html lang>``, front matter ``lang:``).
    language: str | None = None


@dataclass(frozen=True)
class Rendered:
    """An edition, and what the user should know about how it was made (``path:line: …``)."""

    text: str
    notes: tuple[str, ...] = ()


class Format(Protocol):
    NAME: str
    SUFFIXES: tuple[str, ...]

    def extract(self, text: str, path: str, *, options: FormatOptions) -> list[Segment]: ...

    def render(self, text: str, lookup: Lookup, *, options: FormatOptions) -> str: ...

    def render_checked(self, text: str, lookup: Lookup, *, options: FormatOptions,
                       path: str) -> Rendered: ...

    def untranslated_blocks(self, text: str) -> list[int]: ...

    def declared_language(self, text: str, path: str) -> str | None: ...

    def language_line(self, text: str) -> int | None: ...


SUFFIXES: dict[str, str] = {".md": "markdown", ".markdown": "markdown", ".html": "html",
                            ".htm": "html"}


def format_for(path: Path | str) -> Format:
    """The format module for a file, by its suffix."""
    import importlib

    suffix = Path(path).suffix.lower()
    module: ModuleType = importlib.import_module(f"l10n.formats.{SUFFIXES[suffix]}")
    return cast(Format, module)
