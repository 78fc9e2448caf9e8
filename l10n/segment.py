"""The Segment: one translatable block, the record every stage passes on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """One translatable piece of an article, as a format module found it.

    ``msgid`` is the text translators see (inline markup kept); ``path`` and ``line`` become the
    PO reference ``path:line``; ``kind`` becomes the extracted comment (``heading 2``,
    ``paragraph``, ``table cell``, ``front matter: title``, ``alt text``, ...).
    """

    msgid: str
    path: str
    line: int
    kind: str


# What render asks for each block: the approved translation of a msgid, or None to keep the source.
Lookup = Callable[[str], "str | None"]
