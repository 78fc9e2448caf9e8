"""Markup passes through: links, images, code spans, tags, emphasis (and HTML placeholders),
and in Markdown the labels of reference links and footnotes and a task list item's box."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import TypeVar

from l10n.checks.inline import LITERAL_TAG, Brackets, Literal, brackets, label_key
from l10n.checks.registry import CheckContext, Pair, check
from l10n.formats.html_markup import entity_problems, markup_problems
from l10n.formats.markdown import ATTRIBUTE_BLOCK

T = TypeVar("T")


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


def _own_markup(context: CheckContext) -> bool:
    # HTML articles use the format's own comparison (the markup check below).
    return context.format_name != "html"


@check("links", "critical", applies=_own_markup)
def links(pair: Pair) -> Iterator[str]:
    """Every link target of the source, as often as in the source; no new ones."""
    return compare("link", pair.source.links, pair.target.links)


@check("images", "critical", applies=_own_markup)
def images(pair: Pair) -> Iterator[str]:
    return compare("image", pair.source.images, pair.target.images)


@check("code", "critical")
def code_spans(pair: Pair) -> Iterator[str]:
    """Code is never translated: the same code spans, byte for byte, and the same content in
    each code element (<code>, <kbd>, <samp>, <var>, <tt>); either in any order."""
    if pair.context.format_name == "html" and LITERAL_TAG.search(pair.msgid) is None:
        # No code element to keep (one only the translation has is the markup check's), and an
        # HTML article has no code spans.
        return iter(())
    return code_changes(pair)


def code_changes(pair: Pair) -> Iterator[str]:
    """The code check the long way."""
    if pair.context.format_name == "markdown":   # an HTML article's code is all in elements
        yield from compare("code span", (f"`{c}`" for c in pair.source.code),
                           (f"`{c}`" for c in pair.target.code))
    yield from literal_changes(pair.source.literals, pair.target.literals)


def _literal_key(literal: Literal) -> tuple[str, str]:
    return literal.name, literal.content


def literal_changes(source: Sequence[Literal], target: Sequence[Literal]) -> Iterator[str]:
    """Each code element of the source whose content the translation changed, counted as code
    spans are (in any order); one the translation dropped whole is the tags' (or markup's) check's.
    A changed one is paired with a leftover element of the same name: in an HTML msgid each has a
    number ("code1"), so the pairing is exact."""
    lost = _lost(source, target, _literal_key)
    if not lost:
        return
    left = Counter(literal.name for literal in _lost(target, source, _literal_key))
    for literal in lost:
        if left[literal.name] > 0:
            left[literal.name] -= 1
            yield f"code {literal.written} changed: keep what is inside <{literal.name}> as written"


@check("tags", "critical", applies=_own_markup)
def tags(pair: Pair) -> Iterator[str]:
    return compare("tag", pair.source.tags, pair.target.tags)


# -- what links to a definition elsewhere in the article: labels are names, never words ----------
# The inline parse of one string cannot see reference links and footnotes, whose definitions
# ([pt]: https://…, [^1]: …) are other blocks: their labels are compared as written. A bare [x]
# is a shortcut reference or bracketed prose ([sic], [he]) and one string cannot tell which: it
# is critical only when the source shows it is a label (the same label in [text][x] or [x][], or
# digits only, as in [1]); otherwise its loss is functional, so that a person looks at it.


def _short(pair: Pair) -> bool:
    """No bracket on either side (or no change at all): nothing to compare."""
    return pair.msgid == pair.msgstr or ("[" not in pair.msgid and "[" not in pair.msgstr)


def _missing(want: Sequence[str], have: Iterable[str]) -> list[str]:
    """The labels of ``want`` (as written) that ``have`` lacks, matched as CommonMark matches
    labels and counting repeats."""
    return _lost(want, have, label_key)


def _lost(want: Sequence[T], have: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    """The items of ``want`` that ``have`` lacks, compared by ``key`` and counting repeats."""
    if not want:
        return []
    left = Counter(key(item) for item in have)
    lost = []
    for item in want:
        found = key(item)
        if left[found] > 0:
            left[found] -= 1
        else:
            lost.append(item)
    return lost


def _known_labels(source: Brackets) -> list[str]:
    """The labels a translation must keep: every [text][label], [label][] and ![alt], and each
    bare [x] that is surely one too."""
    named = {label_key(label) for label in source.references}
    return [*source.references,
            *(s for s in source.shortcuts if label_key(s) in named or s.strip().isdigit())]


def _changes(kind: str, lost: list[str], gained: list[str], keep: str, added: str, *,
             unpaired: str) -> Iterator[str]:
    """A message per label lost (``changed to`` the label gained in its place, if any) and per
    label gained that took no lost one's place."""
    for index, old in enumerate(lost):
        shown = f"changed to [{gained[index]}]" if index < len(gained) else unpaired
        yield f"{kind} [{old}] {shown}: {keep.format(old)}"
    for new in gained[len(lost):]:
        yield f"{kind} [{new}] added: {added.format(new)}"


@check("references", "critical", formats=("markdown",))
def references(pair: Pair) -> Iterator[str]:
    """Reference link labels ([text][label], [label][], [label], ![alt][label]) kept as written:
    their definitions are elsewhere, so a changed label is a broken link."""
    if _short(pair) or brackets(pair.msgid) == brackets(pair.msgstr):
        return iter(())   # the same labels, shortcuts and footnotes: none lost, none gained
    return reference_changes(pair)


def reference_changes(pair: Pair) -> Iterator[str]:
    """The references check the long way."""
    source, target = brackets(pair.msgid), brackets(pair.msgstr)
    lost = _missing(_known_labels(source), [*target.references, *target.shortcuts])
    # A lost label may have become a bare [x], which may be prose: "changed" covers both.
    gained = _missing(target.references, [*source.references, *source.shortcuts])
    return _changes("reference label", lost, gained,
                    "keep [{}] as written (the link text may change)",
                    "the source has no link labelled [{}]", unpaired="changed")


@check("footnotes", "critical", formats=("markdown",))
def footnotes(pair: Pair) -> Iterator[str]:
    """Footnote references [^label] kept as written; inline footnotes ^[text] kept as notes
    (their text is translated like any other)."""
    if _short(pair):
        return iter(())
    source, target = brackets(pair.msgid), brackets(pair.msgstr)
    if source.footnotes == target.footnotes and source.notes == target.notes:
        return iter(())
    return footnote_changes(pair)


def footnote_changes(pair: Pair) -> Iterator[str]:
    """The footnotes check the long way."""
    source, target = brackets(pair.msgid), brackets(pair.msgstr)
    yield from _changes("footnote", _missing(source.footnotes, target.footnotes),
                        _missing(target.footnotes, source.footnotes),
                        "keep [{}] as written", "the source has no footnote [{}]",
                        unpaired="missing")
    if source.notes != target.notes:
        yield (f"inline footnotes ^[…]: {source.notes} in the source, {target.notes} in the "
               "translation: keep each note as ^[note]")


# A task list box at the start of a translation, whether or not a space follows it.
_BOX_START = re.compile(r"[ \t]*(\[[ xX]\])")


@check("task-list", "critical", formats=("markdown",))
def task_list(pair: Pair) -> Iterator[str]:
    """A task list item keeps its box, in the same state, first: "[ ] ", "[x] "."""
    if pair.msgid == pair.msgstr or not (pair.msgid.lstrip(" \t").startswith("[")
                                         or pair.msgstr.lstrip(" \t").startswith("[")):
        return iter(())
    return task_list_changes(pair)


def task_list_changes(pair: Pair) -> Iterator[str]:
    """The task-list check the long way."""
    box, spaced = brackets(pair.msgid).task_box, brackets(pair.msgstr).task_box
    if box is None:
        if spaced is not None:
            yield f"task list box {spaced} added: the source is not a task list item"
        return
    written = _BOX_START.match(pair.msgstr)   # with or without the space a box needs
    if written is None:
        yield f"task list box {box} missing: start the translation with {box} as written"
    elif written.group(1).lower() != box.lower():   # [x] and [X] are both ticked
        yield (f"task list box {box} changed to {written.group(1)}: keep {box} as written "
               "(it is the box's state)")
    elif spaced is None:
        yield f"task list box {box} needs a space after it: start with {box} and a space"


def bracketed_changes(pair: Pair) -> Iterator[str]:
    """Each bare [x] of the source that the translation does not keep, unless it is surely a
    label (the references check's)."""
    source = brackets(pair.msgid)
    if not source.shortcuts:
        return
    target = brackets(pair.msgstr)
    known = {label_key(label) for label in _known_labels(source)}
    # [...] and [!] are no one's label: a translation may write them its own way.
    maybe = [s for s in source.shortcuts if label_key(s) not in known
             and any(ch.isalnum() for ch in s)]
    for label in _missing(maybe, [*target.references, *target.shortcuts]):
        yield (f"[{label}] changed: if it is a link reference (a line [{label}]: … in the "
               f"article), keep [{label}] as written")


@check("brackets", "functional", formats=("markdown",))
def bracketed(pair: Pair) -> Iterator[str]:
    """A bare [x] that may be a shortcut reference link, changed: a person decides."""
    if pair.msgid == pair.msgstr or "[" not in pair.msgid \
            or brackets(pair.msgid).shortcuts == brackets(pair.msgstr).shortcuts:
        return iter(())
    return bracketed_changes(pair)


# A heading's attribute block ({#id .cls key=value}, kramdown's {: #id}, Pandoc's {-}) as
# the Markdown format finds it at a heading's end, which keeps it out of the msgid.
_ATTRIBUTES = re.compile(ATTRIBUTE_BLOCK + r"(?=[ \t]*\Z)")


@check("attributes", "functional", formats=("markdown",))
def attributes(pair: Pair) -> Iterator[str]:
    """No attribute block typed at the end of a translation: a heading's stays in the source,
    out of the msgid, so one in the msgstr is text or a second block."""
    if pair.msgid == pair.msgstr or not pair.msgstr.rstrip(" \t").endswith("}"):
        return iter(())
    return attribute_changes(pair)


def attribute_changes(pair: Pair) -> Iterator[str]:
    """The attributes check the long way."""
    block = _ATTRIBUTES.search(pair.msgstr)
    if block is not None and block.group(0) not in pair.msgid:
        yield (f"attribute block {block.group(0)} added: a heading keeps the source's {{#id}} "
               "and classes outside its text; remove it from the translation")


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
    return markup_problems(pair.msgid, pair.msgstr)   # crossed tags said once: "tags cross: …"


@check("entities", "functional", formats=("html",))
def html_entities(pair: Pair) -> Iterator[str]:
    """Character references HTML does not know (``&nbps;``) or without their ``;``: the edition
    would show them as written, or as a character the translator did not mean."""
    for problem in entity_problems(pair.msgid, pair.msgstr):
        yield f"{problem}: write a known entity, or &amp; for a literal &"
