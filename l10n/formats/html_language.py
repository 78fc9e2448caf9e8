"""The language an HTML edition says it is in: ``<html lang>``, ``dir``, og:locale and
content-language, and the ``lang`` and ``dir`` inside the page.

An edition built with some blocks still untranslated keeps their source text, so it holds two
languages. W3C's "Declaring language in HTML" asks that a change of language be marked on an
element around the text; screen readers pick their voice and search engines their index from it.
So inside the page the edition says which text is which: an element whose ``lang`` names the
source's language names the edition's only when every block inside it was translated, and the
element that holds untranslated blocks (and nothing translated) gets ``lang="<source>"`` (with the
source's ``dir`` where the two languages run in opposite directions). A fully translated edition,
the identity edition (every msgstr equal to its msgid, approved) and an edition in the source's
own language get none: every block there is in the edition's language.
"""

from __future__ import annotations

import functools
from typing import Any

from babel import Locale, UnknownLocaleError

from l10n.errors import ConfigError
from l10n.formats.html_nodes import WS, Attr, Item, Run, escape, is_element, opaque
from l10n.protect import LITERAL_NAMES
from l10n.settings import likely_locale, normalise_language, same_language

# What a block inside an element is: translated (or approved as it is), or left in the source.
SHOWN, KEPT = 1, 2
# The language text inside an element is in, as far as the edition can tell.
_EDITION, _SOURCE, _OTHER = "edition", "source", "other"


def declared(tree: Any) -> str | None:
    """The ``lang`` (else ``xml:lang``) of the ``<html>`` element, if the document has one."""
    if tree is None or tree.getroot().tag != "html":
        return None
    root = tree.getroot()
    value = (root.get("lang") or root.get("xml:lang") or "").strip()
    return value or None


def root_changes(tree: Any, has_html_tag: bool, language: str | None) -> dict[str, str]:
    """The attributes of ``<html>`` the edition in ``language`` changes: ``lang`` (and
    ``xml:lang`` where present) to its BCP 47 code, and ``dir``: ``rtl`` in a right-to-left
    language, ``ltr`` in another where the source says ``rtl`` (none added where none is
    needed, so a left-to-right edition of a source without ``dir`` stays as it was)."""
    root = tree.getroot()
    if not language or root.tag != "html" or not has_html_tag:
        return {}
    code = language.replace("_", "-")
    changes = {key: code for key in ("lang", "xml:lang")
               if root.get(key) != code and (key == "lang" or root.get(key) is not None)}
    direction = (root.get("dir") or "").strip(WS).lower()
    if right_to_left(language):
        if direction != "rtl":
            changes["dir"] = "rtl"
    elif direction == "rtl":
        changes["dir"] = "ltr"
    return changes


def page_changes(tree: Any, language: str | None,
                 blocks: list[tuple[Item, int]]) -> list[tuple[Item, str]]:
    """The language metadata (``_metadata_change``) and the ``lang`` and ``dir`` inside the page
    that say ``language``, given each block and whether it is ``SHOWN`` or ``KEPT``: one walk.

    Inside the page: a ``lang`` naming the source's language (``<html lang>``) names the
    edition's when every block inside its element is shown, and the same goes for a ``dir``
    saying the source's direction where the two languages run in opposite directions. An
    element holding kept blocks and no shown one gets the source's ``lang`` (and ``dir``), and
    inside one that keeps the source's, an element holding shown blocks only gets the edition's.
    Code and other text kept as it is (``pre``, ``code``, ``translate="no"``) keep theirs, and
    so does a phrase in a third language."""
    if not language:
        return []
    root = tree.getroot()
    source = (root.get("lang") or root.get("xml:lang") or "").strip(WS)
    walk = _Walk(language, source, blocks) if root.tag == "html" and source else None
    changes: list[tuple[Item, str]] = []
    if walk is None or walk.same or not walk.kept:
        # Nothing to add (no block left in the source's language): only the elements that say a
        # language or direction, and the meta tags, can change; found by lxml, not walked to.
        for element in root.xpath(".//*[@lang or @dir or self::meta]"):
            if element.tag == "meta":
                changes.extend(_metadata_change(element, language))
            if walk is not None and not any(opaque(node) or node.tag in LITERAL_NAMES
                                            for node in (element, *element.iterancestors())):
                walk.element(element, _EDITION, walk.directions[1], changes)
        return changes
    stack = [(child, _EDITION, walk.directions[1]) for child in root]
    while stack:
        element, said, direction = stack.pop()
        if not is_element(element):
            continue
        if element.tag == "meta":
            changes.extend(_metadata_change(element, language))
        if opaque(element) or element.tag in LITERAL_NAMES:
            continue
        said, direction = walk.element(element, said, direction, changes)
        stack.extend((child, said, direction) for child in element)
    return changes


class _Walk:
    """What ``page_changes`` knows on its way down: the two languages and where each block is."""

    def __init__(self, language: str, source: str, blocks: list[tuple[Item, int]]) -> None:
        self.source_code, self.edition_code = source, language.replace("_", "-")
        self.source, edition = canonical(source), canonical(language)
        self.same = same_language(self.source, edition)
        self.directions = ("rtl" if right_to_left(self.source) else "ltr",
                           "rtl" if right_to_left(edition) else "ltr")
        self.inside: dict[Any, int] = {}   # each element: the kinds of block inside it
        self.own: dict[Any, int] = {}      # each block's element: the kinds of block it holds
        self.in_run: set[Any] = set()      # inline elements, part of a run's text
        self.kept = not self.same and any(kind == KEPT for _, kind in blocks)
        for item, kind in blocks if self.kept else ():   # where each block is: needed to add
            if isinstance(item, Run):
                self._mark(item.container, kind)
                self.own[item.container] = self.own.get(item.container, 0) | kind
                for node in item.names.values():
                    self.inside[node] = self.inside.get(node, 0) | kind
                    self.in_run.add(node)
            else:
                self._mark(item.element, kind)
                holder = item.element
                while holder in self.in_run:   # an attribute of an inline element: its run's
                    holder = holder.getparent()
                self.own[holder] = self.own.get(holder, 0) | kind

    def _mark(self, node: Any, kind: int) -> None:
        # Every mark goes up to the root, so an element marked already has marked ancestors.
        while node is not None and not self.inside.get(node, 0) & kind:
            self.inside[node] = self.inside.get(node, 0) | kind
            node = node.getparent()

    def element(self, element: Any, said: str, direction: str,
                changes: list[tuple[Item, str]]) -> tuple[str, str]:
        """The changes to ``element`` (inheriting language ``said`` and ``direction``); what its
        children inherit."""
        inside = self.inside.get(element, 0)
        line = element.sourceline or 1
        lang = element.get("lang")
        labelled = lang is not None
        if self.same:
            said = _OTHER
        elif lang is not None:
            if not same_language(canonical(lang.strip(WS)), self.source):
                said = _OTHER
            elif inside & KEPT:
                said = _SOURCE
            else:
                said = _EDITION
                changes.append((Attr(element, "lang", "", line, "lang"),
                                escape(self.edition_code)))
        elif said != _OTHER and element not in self.in_run:
            wanted = _wanted(inside, self.own.get(element, 0), said)
            if wanted != said:
                said, labelled = wanted, True
                code = self.source_code if said == _SOURCE else self.edition_code
                changes.append((Attr(element, "lang", "", line, "lang"), escape(code)))
        if self.directions[0] == self.directions[1]:
            return said, direction
        written = (element.get("dir") or "").strip(WS).lower()
        if written == self.directions[0] and not inside & KEPT:
            changes.append((Attr(element, "dir", "", line, "dir"), self.directions[1]))
            return said, self.directions[1]
        if written in ("ltr", "rtl"):
            return said, written
        wanted_dir = {_SOURCE: self.directions[0], _EDITION: self.directions[1]}.get(said)
        if labelled and not written and wanted_dir and wanted_dir != direction:
            changes.append((Attr(element, "dir", "", line, "dir"), wanted_dir))
            return said, wanted_dir
        return said, direction


def _wanted(inside: int, own: int, said: str) -> str:
    """The language an element without ``lang`` is to say: that of every block inside it, else
    (some of each) that of the blocks of its own text, else the one it inherits."""
    for kinds in (inside, own):
        if kinds == KEPT:
            return _SOURCE
        if kinds == SHOWN:
            return _EDITION
    return said


def _metadata_change(meta: Any, language: str) -> list[tuple[Item, str]]:
    """``<meta property="og:locale">`` and ``<meta http-equiv="content-language">`` made to say
    ``language``: og:locale as ``og_locale`` writes it, content-language as BCP 47 (``zh-Hant``).
    A value that already names ``language`` (``en_GB`` for ``en``) is kept."""
    key = (meta.get("property") or meta.get("name") or meta.get("http-equiv") or "").lower()
    value = meta.get("content")
    if key not in ("og:locale", "content-language") or value is None:
        return []
    if same_language(canonical(value.strip(WS)), canonical(language)):
        return []
    wanted = og_locale(language) if key == "og:locale" else language.replace("_", "-")
    return [(Attr(meta, "content", "", meta.sourceline or 1, key), escape(wanted))]


def og_locale(language: str) -> str:
    """``language`` in Open Graph's ``ll_TT`` form. A code without a territory takes CLDR's likely
    one for its language and script (``zh`` -> ``zh_CN``, ``zh_Hant`` -> ``zh_TW``, ``en`` ->
    ``en_US``); the script itself is dropped (og:locale has no place for it)."""
    lang, _, territory, _ = likely_locale(canonical(language))
    return f"{lang}_{territory}" if territory else lang


def canonical(code: str) -> str:
    try:
        return normalise_language(code)
    except ConfigError:
        return code


@functools.lru_cache(maxsize=64)
def right_to_left(language: str) -> bool:
    try:
        return bool(Locale.parse(canonical(language)).character_order == "right-to-left")
    except (UnknownLocaleError, ValueError, TypeError):
        return False
