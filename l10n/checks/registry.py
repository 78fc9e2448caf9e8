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

from l10n.checks.inline import LITERAL_TAG, Inline, parse

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
# code spans, <…>, brackets and link destinations or labels. The whole piece is group 1 (a code
# span needs group 2 for its closing run), so ``findall`` runs in C and yields (piece, backticks)
# pairs; the second is a function of the first, so comparing pairs is comparing pieces. The
# lookahead repeats what every piece starts with: it changes no match, but lets the engine skip
# plain text twice as fast.
_MARKUP_RAW = re.compile(r"(?=[\\`<!\[\]])(\\[\s\S]|(`+)[\s\S]*?(?<!`)\2(?!`)|<[^<>\n]*>|!?\["
                         r"|\]\([^)\n]*\)?|\]\[[^\]\n]*\]?|\])")
# The characters a piece can start with: a string with none of them has no pieces.
_MARKUP_START = re.compile(r"[\\`<\[\]]")
_MARKUP_CHECKS = frozenset({"links", "images", "code", "tags"})


def _same_markup(msgid: str, msgstr: str) -> bool:
    """True when both sides hold exactly the same raw markup pieces: then links, images, code
    and tags cannot differ, and the (slow) inline parse is not needed to know it."""
    if msgid == msgstr:
        return True
    if _MARKUP_START.search(msgid) is None:
        return _MARKUP_START.search(msgstr) is None or _MARKUP_RAW.search(msgstr) is None
    # In the same order only: the same pieces in another order can pair a link's text with
    # another target ("![a](/x) [b](/y)" -> "![a](/y) [b](/x)"); the inline parse tells those.
    # The pieces hold a code element's tags but not its content, which only the parse sees.
    return (_MARKUP_RAW.findall(msgid) == _MARKUP_RAW.findall(msgstr)
            and LITERAL_TAG.search(msgid) is None)


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
    plan, markup = _plan(context, tuple(severities))
    if markup and pair.same_markup:
        plan = tuple(c for c in plan if c.name not in _MARKUP_CHECKS)
    # The plan is in severity order already: the findings need no sorting.
    return [Finding(c.name, c.severity, message) for c in plan for message in c.function(pair)]


# The checks that apply to a context, by (id of the context, severities): a gate or a catalog
# runs thousands of entries with one context. The context is kept in the value so that its id
# cannot be reused while the entry lives; the table is emptied when it grows.
_PLANS: dict[tuple[int, tuple[str, ...], int], tuple[CheckContext, tuple[Check, ...], bool]] = {}


def _plan(context: CheckContext, severities: tuple[str, ...]) -> tuple[tuple[Check, ...], bool]:
    """The checks to run for ``context``, most severe first and in registration order within a
    severity (the order a stable sort of their findings would give), and whether any of them is
    one that equal markup makes pointless."""
    key = (id(context), severities, len(CHECKS))
    known = _PLANS.get(key)
    if known is not None and known[0] is context:
        return known[1], known[2]
    plan = tuple(sorted((c for c in CHECKS if c.severity in severities
                         and context.format_name in c.formats and c.applies(context)),
                        key=lambda c: SEVERITIES.index(c.severity)))
    if len(_PLANS) >= 256:
        _PLANS.clear()
    markup = any(c.name in _MARKUP_CHECKS for c in plan)
    _PLANS[key] = (context, plan, markup)
    return plan, markup


def has_critical(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "critical" for f in findings)
