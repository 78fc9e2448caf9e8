"""Markup passes through: links, images, code spans, tags, emphasis (and HTML placeholders)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import cache

from l10n.checks.registry import CheckContext, Pair, check


def compare(kind: str, source: Iterable[str], target: Iterable[str]) -> Iterator[str]:
    """What the target lost and gained, item by item and counting repeats."""
    want, have = Counter(source), Counter(target)
    for item, count in want.items():
        lost = count - have[item]
        if lost > 0:
            yield f"{kind} {item} missing" + (f" ({lost} of {count})" if count > 1 else "")
    for item, count in have.items():
        extra = count - want[item]
        if extra > 0:
            yield f"{kind} {item} added" + (f" ({extra} more)" if want[item] else "")


@cache
def _html_markup_problems() -> Callable[[str, str], list[str]] | None:
    try:
        from l10n.formats import html as html_format
    except ImportError:
        return None
    return getattr(html_format, "markup_problems", None)


def _own_markup(context: CheckContext) -> bool:
    # HTML articles use the format module's own comparison when it offers one.
    return context.format_name != "html" or _html_markup_problems() is None


@check("links", "critical", applies=_own_markup)
def links(pair: Pair) -> Iterator[str]:
    """Every link target of the source, as often as in the source; no new ones."""
    return compare("link", pair.source.links, pair.target.links)


@check("images", "critical", applies=_own_markup)
def images(pair: Pair) -> Iterator[str]:
    return compare("image", pair.source.images, pair.target.images)


@check("code", "critical", applies=_own_markup)
def code_spans(pair: Pair) -> Iterator[str]:
    """Code is never translated: the same code spans, byte for byte."""
    return compare("code span", (f"`{c}`" for c in pair.source.code),
                   (f"`{c}`" for c in pair.target.code))


@check("tags", "critical", applies=_own_markup)
def tags(pair: Pair) -> Iterator[str]:
    return compare("tag", pair.source.tags, pair.target.tags)


@check("emphasis", "functional", formats=("markdown",))
def emphasis(pair: Pair) -> Iterator[str]:
    # Emphasis takes * or _ delimiters: without any on either side, both counts are 0.
    if pair.msgid == pair.msgstr or not any(
            mark in pair.msgid or mark in pair.msgstr for mark in "*_"):
        return
    want, have = Counter(pair.source.emphasis), Counter(pair.target.emphasis)
    for kind, shown in (("emphasis", "*emphasis*"), ("strong", "**strong**")):
        if want[kind] != have[kind]:
            yield f"{shown} spans: {want[kind]} in the source, {have[kind]} in the translation"


@check("markup", "critical", formats=("html",))
def html_markup(pair: Pair) -> Iterable[str]:
    problems = _html_markup_problems()
    return problems(pair.msgid, pair.msgstr) if problems is not None else ()
