"""The registry: checks register themselves with a name and a severity; ``run_checks`` runs them.

Severities: ``critical`` blocks approval and publication; ``functional`` is probably wrong;
``cosmetic`` is style.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from l10n.checks.inline import Inline, parse

if TYPE_CHECKING:
    from l10n.glossary import Glossary

SEVERITIES = ("critical", "functional", "cosmetic")


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.check}: {self.message}"


@dataclass(frozen=True)
class CheckContext:
    """What the checks need beyond the two strings."""

    source_language: str = "en"
    target_language: str = "zh"
    format_name: str = "markdown"            # "markdown" or "html"
    glossary: Glossary | None = None
    zh_latin_spacing: str = "any"            # "space" | "none" | "any"


class Pair:
    """A msgid and its translation; each side is parsed only if a check asks for it."""

    def __init__(self, msgid: str, msgstr: str, context: CheckContext) -> None:
        self.msgid = msgid
        self.msgstr = msgstr
        self.context = context

    @cached_property
    def source(self) -> Inline:
        return parse(self.msgid, self.context.format_name)

    @cached_property
    def target(self) -> Inline:
        return parse(self.msgstr, self.context.format_name)

    @cached_property
    def same_markup(self) -> bool:
        return self.context.format_name == "markdown" and _same_markup(self.msgid, self.msgstr)


# The raw material of links, images, code spans, autolinks and inline HTML in Markdown: escapes,
# code spans, <…>, brackets and link destinations or labels.
_MARKUP_RAW = re.compile(r"\\[\s\S]|(`+)[\s\S]*?(?<!`)\1(?!`)|<[^<>\n]*>|!?\[|\]\([^)\n]*\)?|\]\[[^\]\n]*\]?|\]")
_MARKUP_CHECKS = frozenset({"links", "images", "code", "tags"})


def _same_markup(msgid: str, msgstr: str) -> bool:
    """True when both sides hold exactly the same raw markup pieces: then links, images, code
    and tags cannot differ, and the (slow) inline parse is not needed to know it."""
    def pieces(text: str) -> list[str]:
        return sorted(m.group(0) for m in _MARKUP_RAW.finditer(text))

    return pieces(msgid) == pieces(msgstr)


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    function: Callable[[Pair], Iterable[str]]
    formats: tuple[str, ...]
    applies: Callable[[CheckContext], bool]


CHECKS: list[Check] = []


def check(name: str, severity: str, *, formats: tuple[str, ...] = ("markdown", "html"),
          applies: Callable[[CheckContext], bool] | None = None,
          ) -> Callable[[Callable[[Pair], Iterable[str]]], Callable[[Pair], Iterable[str]]]:
    """Register a check: a function from a Pair to the messages of the problems it finds."""
    assert severity in SEVERITIES

    def register(function: Callable[[Pair], Iterable[str]]) -> Callable[[Pair], Iterable[str]]:
        CHECKS.append(Check(name, severity, function, formats,
                            applies if applies is not None else (lambda context: True)))
        return function

    return register


def run_checks(msgid: str, msgstr: str, context: CheckContext, *,
               severities: Sequence[str] = SEVERITIES) -> list[Finding]:
    """Every problem the checks (of the given severities) find in one translation, most severe
    first. An empty msgstr (nothing translated yet) has none."""
    if not msgstr or not msgid:
        return []
    pair = Pair(msgid, msgstr, context)
    skip = _MARKUP_CHECKS if pair.same_markup else frozenset()
    findings = [Finding(c.name, c.severity, message)
                for c in CHECKS if c.severity in severities and c.name not in skip
                and context.format_name in c.formats and c.applies(context)
                for message in c.function(pair)]
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))


def has_critical(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "critical" for f in findings)
