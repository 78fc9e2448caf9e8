"""A new catalog is its template's entries under a catalog header: the quick way to write it must
give exactly what the full merge gives, and the merge must still run when it would add anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import msgcat, msgfmt_check

from l10n.catalog import copies_template, new_catalog_text, update_catalog
from l10n.pofile import format_catalog, parse_catalog

TEMPLATES = sorted((Path(__file__).parent.parent / "locales" / "templates").glob("*.pot"))
DATE = "2026-11-26 12:00+0000"


@pytest.mark.parametrize("language", ["zh", "en", "pt_BR"])
@pytest.mark.parametrize("template_path", TEMPLATES, ids=lambda p: p.stem)
def test_a_new_catalog_is_the_template_under_a_catalog_header(
        template_path: Path, language: str, tmp_path: Path) -> None:
    text = template_path.read_text(encoding="utf-8")
    template = parse_catalog(text, template_path.name)
    assert copies_template(template, None)
    quick = new_catalog_text(template, text, language, DATE)
    assert quick == format_catalog(update_catalog(template, None, language=language, date=DATE))
    po = tmp_path / "new.po"
    po.write_text(quick, encoding="utf-8")
    assert msgcat(po) == quick.encode("utf-8")
    msgfmt_check(po)


def test_the_merge_runs_when_a_glossary_hint_or_a_flag_would_change_an_entry() -> None:
    text = TEMPLATES[0].read_text(encoding="utf-8")
    template = parse_catalog(text, "t.pot")
    first = next(entry for entry in template if entry.msgid)

    def hint(msgid: str) -> list[str]:
        return ["glossary: a hint"] if msgid == first.msgid else []

    assert not copies_template(template, hint)
    # ... because the merge writes what a copy of the template would lose:
    merged = format_catalog(update_catalog(template, None, language="zh", comments=hint,
                                           date=DATE))
    assert "#. glossary: a hint\n" in merged
    assert "glossary: a hint" not in new_catalog_text(template, text, "zh", DATE)
    first.flags = ["no-wrap"]
    assert not copies_template(template, None)
    # ... because a copy of the flagged template would not be what the merge writes:
    flagged = format_catalog(template)
    assert "#, no-wrap\n" in flagged
    assert new_catalog_text(template, flagged, "zh", DATE) != format_catalog(
        update_catalog(template, None, language="zh", date=DATE))


def test_a_template_without_a_header_is_merged_so_no_entry_is_lost() -> None:
    text = '#. paragraph\nmsgid "a"\nmsgstr ""\n\n#. paragraph\nmsgid "b"\nmsgstr ""\n'
    template = parse_catalog(text, "t.pot")  # as `xgettext --omit-header` writes it
    assert not copies_template(template, None)
    merged = format_catalog(update_catalog(template, None, language="zh", date=DATE))
    assert [entry.msgid for entry in parse_catalog(merged, "zh.po")] == ["a", "b"]
