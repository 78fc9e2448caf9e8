"""The records a review passes around: a pending draft as the reviewer sees it, a decision on
it, what became of it, and the report of a whole review; with the text helpers presenters use.
l10n.review applies the decisions; l10n.review_notes says what each does to a PO entry."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from l10n.checks import Finding, has_critical
from l10n.errors import CatalogChanged, shorten

# Severities that keep a draft out of ``--approve-clean``.
UNCLEAN = ("critical", "functional")


@dataclass(frozen=True)
class Draft:
    """One pending draft, with everything a reviewer needs to judge it."""

    path: str                       # the catalog, relative to the workspace
    line: int                       # the line of its msgid in the PO file (as `check` says)
    language: str
    article: str                    # the article's slug
    msgid: str
    msgstr: str
    msgctxt: str | None = None
    origin: tuple[str, ...] = ()    # "machine translation: google", "translation memory: …"
    glossary: tuple[str, ...] = ()  # "Tian Yuandong → 田渊栋 (note)": terms the draft must use
    previous_msgid: str | None = None   # the source before it changed (``#|``)
    findings: tuple[Finding, ...] = ()

    @property
    def critical(self) -> bool:
        return has_critical(self.findings)

    @property
    def clean(self) -> bool:
        """No critical or functional finding: safe to approve without a human look."""
        return not any(f.severity in UNCLEAN for f in self.findings)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def __str__(self) -> str:
        """The ``--list`` line: ``locales/zh/x.po:12: <msgid> → <msgstr>`` (excerpts)."""
        return f"{self.where}: {excerpt(self.msgid)} → {excerpt(self.msgstr)}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "language": self.language,
                "article": self.article, "msgctxt": self.msgctxt, "msgid": self.msgid,
                "msgstr": self.msgstr, "origin": list(self.origin),
                "glossary": list(self.glossary), "previous_msgid": self.previous_msgid,
                "findings": [{"check": f.check, "severity": f.severity, "message": f.message}
                             for f in self.findings]}


class Action(Enum):
    APPROVE = "approve"
    EDIT = "edit"
    REJECT = "reject"
    SKIP = "skip"
    QUIT = "quit"


@dataclass(frozen=True)
class Decision:
    """What a reviewer decided on one draft; ``msgstr`` is the new text of an edit."""

    action: Action
    msgstr: str | None = None

    @classmethod
    def edit(cls, msgstr: str) -> Decision:
        return cls(Action.EDIT, msgstr)


APPROVE = Decision(Action.APPROVE)
REJECT = Decision(Action.REJECT)
SKIP = Decision(Action.SKIP)
QUIT = Decision(Action.QUIT)


@dataclass(frozen=True)
class Outcome:
    """What became of one draft. ``result`` is approved, edited, rejected, skipped, held (an
    approval refused because of a critical finding; ``findings`` say which; nothing written) or
    kept (the reviewer's edit saved, but as a draft: a critical finding refused its approval)."""

    draft: Draft
    result: str
    findings: tuple[Finding, ...] = ()

    @property
    def changed(self) -> bool:
        return self.result in ("approved", "edited", "kept", "rejected")


@dataclass
class ReviewReport:
    outcomes: list[Outcome] = field(default_factory=list)
    written: list[str] = field(default_factory=list)     # catalogs written, relative paths
    # Catalogs changed on disk meanwhile: not written over; their remaining drafts were skipped.
    changed: list[CatalogChanged] = field(default_factory=list)
    quit: bool = False

    def final(self) -> list[Outcome]:
        """One outcome per draft, the last that did something: a draft offered again after an
        edit kept as a draft is still that edit when the reviewer then skips it."""
        last: dict[tuple[str, str | None, str], Outcome] = {}
        for outcome in self.outcomes:
            key = (outcome.draft.path, outcome.draft.msgctxt, outcome.draft.msgid)
            if not (outcome.result == "skipped" and key in last):
                last[key] = outcome
        return list(last.values())

    def count(self, result: str) -> int:
        """Drafts whose final outcome is ``result``."""
        return sum(1 for o in self.final() if o.result == result)

    @property
    def held(self) -> list[Outcome]:
        return [o for o in self.final() if o.result == "held"]

    @property
    def kept(self) -> list[Outcome]:
        return [o for o in self.final() if o.result == "kept"]

    def summary(self) -> str:
        """``review: 1 approved, 2 edited (1 kept as a draft: critical finding), 0 rejected,
        0 skipped, 0 held back``: what became of each draft offered."""
        kept = len(self.kept)
        edited = f"{self.count('edited') + kept} edited"
        if kept:
            edited += (" (1 kept as a draft: critical finding)" if kept == 1
                       else f" ({kept} kept as drafts: critical findings)")
        return (f"review: {self.count('approved')} approved, {edited}, "
                f"{self.count('rejected')} rejected, {self.count('skipped')} skipped, "
                f"{self.count('held')} held back")


Decide = Callable[[Draft], Decision]
Notify = Callable[[Outcome], None]


# -- text helpers for presenters -------------------------------------------------------------

def excerpt(text: str, limit: int = 40) -> str:
    """One line of at most ``limit`` characters: whitespace collapsed, cut with an ellipsis."""
    return shorten(" ".join(text.split()), limit)


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> str:
    """``git diff --word-diff`` style: ``[-removed-]{+added+}`` marks in the new text."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append(f"[-{''.join(a[i1:i2])}-]")
        if j2 > j1:
            out.append(f"{{+{''.join(b[j1:j2])}+}}")
    return "".join(out)
