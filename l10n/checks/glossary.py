"""The glossary check: terms in their pinned form, no forbidden variants."""

from __future__ import annotations

from collections.abc import Iterator

from l10n.checks.registry import Pair, check


@check("glossary", "critical")
def glossary(pair: Pair) -> Iterator[str]:
    """Every glossary term in the source appears in its pinned form; no forbidden variant does."""
    context = pair.context
    if context.glossary is None or not context.glossary.terms:
        return
    source, target = context.source_language, context.target_language
    pinned = context.glossary.pinned(pair.msgid, source, target)
    if pinned:
        present = {id(hit.term) for hit in context.glossary.find(pair.msgstr, target)}
        for hit, form in pinned:
            if id(hit.term) not in present:
                yield f'"{hit.text}" must be {form}'
    for hit in context.glossary.find_forbidden(pair.msgstr, target):
        named = hit.term.form(source) or hit.term.label
        yield f'"{named}" must not be {hit.text}; use {hit.term.form(target) or named}'
