"""The loop of issue 2, through the CLI: init, extract, update (msgmerge semantics), build, sync."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import polib
import pytest
from conftest import gettext_tool, msgcat, msgfmt_check
from typer.testing import CliRunner

from l10n import update as update_module
from l10n.cli import app
from l10n.pofile import parse_catalog

runner = CliRunner()

ARTICLE = """\
---
title: Torch grew into PyTorch
date: 2025-11-06
---

# Torch grew into PyTorch

**Soumith Chintala** wrote the first lines with a few
friends at [FAIR](https://ai.meta.com/research/).

- It ran on Lua.
- It moved to Python.

| Year | Event |
| ---- | ----- |
| 2017 | First release |

```python
import torch
```
"""


def run(root: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["--root", str(root), *args])
    assert result.exit_code == code, result.output
    return result.output


def make_workspace(tmp_path: Path, article: str = ARTICLE) -> Path:
    root = tmp_path / "site"
    run(root, "init")
    (root / "source" / "news").mkdir()
    (root / "source" / "news" / "torch.md").write_text(article, encoding="utf-8")
    return root


def approve_all(po_path: Path, translate=lambda msgid: f"译：{msgid}") -> None:
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        entry.msgstr = translate(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalog.save()


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".l10n" not in path.parts
    }


def test_init_lays_out_a_workspace_and_refuses_to_overwrite(tmp_path: Path) -> None:
    root = tmp_path / "site"
    run(root, "init")
    assert (root / "pyproject.toml").read_text().startswith("[tool.l10n]")
    assert (root / "source").is_dir() and (root / "locales" / "templates").is_dir()
    assert "build/" in (root / ".gitignore").read_text()
    output = run(root, "init", code=1)
    assert "already exists: pyproject.toml, source, locales, glossary.yml, .gitignore" in output


def test_extract_writes_one_entry_per_block_with_references_and_kinds(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    assert "wrote locales/templates/news/torch.pot" in run(root, "extract")
    template = root / "locales" / "templates" / "news" / "torch.pot"
    msgfmt_check(template)
    assert msgcat(template) == template.read_bytes()
    pot = polib.pofile(str(template))
    by_id = {e.msgid: e for e in pot}
    title = by_id["Torch grew into PyTorch"]
    assert title.occurrences == [("source/news/torch.md", "2"), ("source/news/torch.md", "6")]
    assert title.comment == "front matter: title; heading 1"
    wrapped = ("**Soumith Chintala** wrote the first lines with a few friends at "
               "[FAIR](https://ai.meta.com/research/).")
    assert by_id[wrapped].comment == "paragraph"
    assert by_id["It ran on Lua."].occurrences == [("source/news/torch.md", "11")]
    assert {"Year", "Event", "First release"} <= set(by_id)
    assert "2017" not in by_id          # nothing to translate in a number
    assert not any("import torch" in msgid for msgid in by_id)
    assert not any("2025-11-06" in msgid for msgid in by_id)


def test_update_keeps_work_marks_changes_fuzzy_and_obsoletes_vanished_blocks(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "extract")
    run(root, "update")
    po_path = root / "locales" / "zh" / "news" / "torch.po"
    header = polib.pofile(str(po_path)).metadata
    assert header["Language"] == "zh" and header["Plural-Forms"] == "nplurals=1; plural=0;"
    approve_all(po_path)
    source = root / "source" / "news" / "torch.md"
    text = source.read_text().replace("It ran on Lua.", "It ran on Lua and C.")
    text = text.replace("- It moved to Python.\n", "")
    source.write_text(text)
    run(root, "extract")
    run(root, "update")
    catalog = polib.pofile(str(po_path))
    changed = catalog.find("It ran on Lua and C.")
    assert changed.msgstr == "译：It ran on Lua." and "fuzzy" in changed.flags
    assert changed.previous_msgid == "It ran on Lua."
    kept = catalog.find("Torch grew into PyTorch")
    assert kept.msgstr == "译：Torch grew into PyTorch" and "fuzzy" not in kept.flags
    gone = [e for e in catalog if e.obsolete]
    # The changed item's old entry is its suggestion now, not an obsolete copy (msgmerge).
    assert [e.msgid for e in gone] == ["It moved to Python."]
    msgfmt_check(po_path)
    assert msgcat(po_path) == po_path.read_bytes()
    # The block comes back: its approved translation comes back with it.
    source.write_text(ARTICLE)
    run(root, "extract")
    run(root, "update")
    back = polib.pofile(str(po_path)).find("It moved to Python.")
    assert back.msgstr == "译：It moved to Python." and not back.obsolete
    assert "fuzzy" not in back.flags


def test_update_serves_every_target_language_from_one_template(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_workspace(tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"en", "zh"', '"en", "zh", "ja", "fr"'))
    run(root, "extract")
    assert run(root, "update", "--lang", "ja").count("wrote ") == 1
    run(root, "update")
    catalogs = {lang: root / "locales" / lang / "news" / "torch.po" for lang in ("zh", "ja", "fr")}
    for lang, path in catalogs.items():
        catalog = polib.pofile(str(path))
        assert catalog.metadata["Language"] == lang
        assert "**Soumith Chintala** wrote the first lines with a few friends at " \
               "[FAIR](https://ai.meta.com/research/)." in {e.msgid for e in catalog}
        msgfmt_check(path)
        approve_all(path)
    article = root / "source" / "news" / "torch.md"
    article.write_text(article.read_text().replace("It ran on Lua.", "It ran on LuaJIT."))
    run(root, "extract")
    merge, jobs = update_module.merged_texts, []

    def recorded(job: update_module.UpdateJob) -> list[update_module.Merged]:
        jobs.append((job.article.slug, job.languages))
        return merge(job)

    monkeypatch.setattr(update_module, "merged_texts", recorded)
    assert run(root, "update").count("wrote ") == 3
    assert jobs == [("news/torch", ("zh", "ja", "fr"))]   # one job reads the template for all
    for path in catalogs.values():
        changed = polib.pofile(str(path)).find("It ran on LuaJIT.")
        assert changed is not None and changed.fuzzy
        assert changed.previous_msgid == "It ran on Lua."


def test_build_uses_only_approved_entries_and_respects_min_approved(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "extract")
    run(root, "update")
    output = run(root, "build")
    assert ("build/zh/news/torch.md: not built: 0% approved, below min_approved 80%" in output)
    assert (root / "build" / "en" / "news" / "torch.md").read_text() == ARTICLE
    po_path = root / "locales" / "zh" / "news" / "torch.po"
    approve_all(po_path)
    catalog = polib.pofile(str(po_path))
    catalog.find("It ran on Lua.").flags.append("fuzzy")
    catalog.save()
    run(root, "build")
    edition = (root / "build" / "zh" / "news" / "torch.md").read_text()
    assert "# 译：Torch grew into PyTorch\n" in edition
    assert "- It ran on Lua.\n" in edition          # a draft is not published
    assert "- 译：It moved to Python.\n" in edition
    assert "```python\nimport torch\n```" in edition
    run(root, "build", "--include-drafts")
    assert "- 译：It ran on Lua.\n" in (root / "build" / "zh" / "news" / "torch.md").read_text()


def test_an_edition_that_falls_below_min_approved_is_removed_not_left_stale(
        tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    approve_all(root / "locales" / "zh" / "news" / "torch.po")
    run(root, "build")
    edition = root / "build" / "zh" / "news" / "torch.md"
    assert "译：It ran on Lua." in edition.read_text()
    # The editor rewrites most of the article: the old zh edition no longer says what it says.
    source = root / "source" / "news" / "torch.md"
    source.write_text(source.read_text().replace("It ran on Lua.", "It first ran on Lua.")
                      .replace("It moved to Python.", "Later it moved to Python.")
                      .replace("Torch grew into PyTorch", "From Torch to PyTorch"))
    run(root, "extract")
    run(root, "update")
    assert "out of date: build/zh/news/torch.md" in run(root, "build", "--check", code=1)
    assert edition.exists()                                  # --check writes and removes nothing
    output = run(root, "build")
    assert "build/zh/news/torch.md: not built: " in output
    assert ("removed build/zh/news/torch.md: the edition built before is out of date, and "
            "this build makes none" in output)
    assert not edition.exists()
    assert (root / "build" / "en" / "news" / "torch.md").exists()
    again = run(root, "build")                               # nothing left to remove
    assert "removed" not in again and "build: 0 written, 1 unchanged" in again


def test_a_moved_article_keeps_its_translations_and_their_review(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    old_catalog = root / "locales" / "zh" / "news" / "torch.po"
    approve_all(old_catalog)
    catalog = polib.pofile(str(old_catalog))
    catalog.find("It ran on Lua.").flags.append("fuzzy")      # one draft still under review
    catalog.save()
    (root / "source" / "history").mkdir()
    (root / "source" / "news" / "torch.md").rename(root / "source" / "history" / "torch.md")
    run(root, "extract")
    output = run(root, "update")
    assert ("locales/zh/history/torch.po: started from locales/zh/news/torch.po, whose article "
            "is gone (moved or renamed?)" in output)
    moved = polib.pofile(str(root / "locales" / "zh" / "history" / "torch.po"))
    assert [(e.msgid, e.msgstr, e.fuzzy) for e in moved] == [
        (e.msgid, e.msgstr, e.fuzzy) for e in polib.pofile(str(old_catalog))]
    assert moved.find("It moved to Python.").occurrences == [("source/history/torch.md", "12")]
    assert old_catalog.exists()                      # a translator's file is never deleted
    msgfmt_check(root / "locales" / "zh" / "history" / "torch.po")
    run(root, "build")
    assert "- 译：It moved to Python.\n" in (root / "build" / "zh" / "history" / "torch.md"
                                              ).read_text()
    run(root, "sync", "--no-mt")
    assert "started from" not in run(root, "sync", "--no-mt")   # said once, not every run


def test_a_moved_article_keeps_a_language_that_is_barely_started(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    catalog = polib.pofile(str(root / "locales" / "zh" / "news" / "torch.po"))
    catalog.find("It ran on Lua.").msgstr = "它运行在 Lua 上。"    # one entry of many
    catalog.save()
    (root / "source" / "history").mkdir()
    (root / "source" / "news" / "torch.md").rename(root / "source" / "history" / "torch.md")
    run(root, "extract")
    assert "started from locales/zh/news/torch.po" in run(root, "update")
    moved = polib.pofile(str(root / "locales" / "zh" / "history" / "torch.po"))
    assert moved.find("It ran on Lua.").msgstr == "它运行在 Lua 上。"


def test_a_broken_catalog_no_article_owns_does_not_stop_update(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    (root / "locales" / "zh" / "backup.po").write_text("<<<<<<< HEAD\n", encoding="utf-8")
    (root / "source" / "news" / "other.md").write_text("# Another story\n", encoding="utf-8")
    run(root, "extract")
    assert "wrote locales/zh/news/other.po" in run(root, "update")


@pytest.mark.parametrize("other", [
    # Its title and a list item in common with the deleted article, not most of its text.
    ("---\ntitle: Torch grew into PyTorch\n---\n\nA different story.\n\n- It ran on Lua.\n"
    "- Another item.\n\nA closing paragraph.\n"),
    # Half of its messages, but a small part of its text: a heading.
    "# Torch grew into PyTorch\n\nA brand new article about sandwiches and their many fillings.\n",
])
def test_a_new_article_does_not_start_from_an_unrelated_orphan(tmp_path: Path,
                                                               other: str) -> None:
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    approve_all(root / "locales" / "zh" / "news" / "torch.po")
    (root / "source" / "news" / "torch.md").unlink()
    (root / "source" / "news" / "other.md").write_text(other, encoding="utf-8")
    run(root, "extract")
    output = run(root, "update")
    assert "started from" not in output
    fresh = polib.pofile(str(root / "locales" / "zh" / "news" / "other.po"))
    assert all(not e.msgstr for e in fresh)


@pytest.mark.parametrize(("add_location", "reference"), [
    ("file", "#: source/news/torch.md\n"),
    ("never", None),
])
def test_add_location_keeps_line_numbers_out_of_the_catalogs(
        tmp_path: Path, add_location: str, reference: str | None) -> None:
    # As xgettext --add-location: an editor's new line at the top of an article then changes no
    # catalog, so a translator's approval on another branch merges without a conflict.
    root = make_workspace(tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        "[tool.l10n]\n", f'[tool.l10n]\nadd_location = "{add_location}"\n', 1))
    run(root, "sync", "--no-mt")
    template = root / "locales" / "templates" / "news" / "torch.pot"
    po_path = root / "locales" / "zh" / "news" / "torch.po"
    for path in (template, po_path):
        text = path.read_text(encoding="utf-8")
        assert "source/news/torch.md:" not in text
        assert (reference in text) if reference else ("#:" not in text)
        msgfmt_check(path)
        assert msgcat(path) == path.read_bytes()
    approve_all(po_path)
    msgcat_to(po_path)
    approved = po_path.read_bytes()
    # Every block moves down one line: a front-matter key nobody translates.
    source = root / "source" / "news" / "torch.md"
    source.write_text(source.read_text().replace("date: 2025-11-06\n",
                                                 "date: 2025-11-06\nauthor: Ada\n"))
    run(root, "extract")
    assert "update: 0 written, 1 unchanged" in run(root, "update")
    assert po_path.read_bytes() == approved


def test_add_location_must_be_full_file_or_never(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        "[tool.l10n]\n", '[tool.l10n]\nadd_location = "lines"\n', 1))
    output = run(root, "extract", code=1)
    assert ('pyproject.toml:2: add_location "lines" is not one of full, file, never'
            in output)


def test_second_run_changes_nothing(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    approve_all(root / "locales" / "zh" / "news" / "torch.po")
    run(root, "sync", "--no-mt")
    before = snapshot(root)
    output = run(root, "sync", "--no-mt")
    assert "extract: 0 written, 1 unchanged" in output
    assert "build: 0 written, 2 unchanged" in output
    assert snapshot(root) == before
    # Losing the private state only costs time, never a rewrite.
    shutil.rmtree(root / ".l10n")
    run(root, "sync", "--no-mt")
    assert snapshot(root) == before


def test_check_mode_lists_out_of_date_files_without_writing(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    output = run(root, "extract", "--check", code=1)
    assert output == "out of date: locales/templates/news/torch.pot\n"
    assert not (root / "locales" / "templates" / "news").exists()


def test_bad_input_is_one_line_with_file_and_line(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, "---\ntitle: [unclosed\n---\n\nText.\n")
    output = run(root, "extract", code=1)
    assert output.startswith("error: source/news/torch.md:3: malformed YAML front matter: ")
    assert output.count("\n") == 1
    assert not (root / "locales" / "templates" / "news").exists()

    (root / "source" / "news" / "torch.md").write_bytes(b"# Caf\xe9\n")
    output = run(root, "extract", code=1)
    assert output == ("error: source/news/torch.md:1: not UTF-8 (byte 0xe9) "
                      "(save the file as UTF-8)\n")

    pyproject = root / "pyproject.toml"
    pyproject.write_bytes(pyproject.read_bytes() + b"# r\xe9sum\xe9\n")
    lines = pyproject.read_bytes().count(b"\n")
    output = run(root, "extract", code=1)
    assert output == (f"error: {pyproject}:{lines}: not UTF-8 (byte 0xe9) "
                      "(save the file as UTF-8)\n")


def test_unknown_language_names_the_setting_and_file(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"en", "zh"', '"en", "xx"'))
    output = run(root, "extract", code=1)
    assert output.startswith(f"error: {pyproject}:3: [tool.l10n] languages: unknown language 'xx'")


def test_malformed_po_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    po_path = root / "locales" / "zh" / "news" / "torch.po"
    broken = po_path.read_text().replace('msgid "It ran on Lua."', 'msgid "It ran on Lua.', 1)
    assert broken != po_path.read_text()
    po_path.write_text(broken)
    (root / "source" / "news" / "torch.md").write_text(ARTICLE + "\nOne more line.\n")
    output = run(root, "sync", "--no-mt", code=1)
    assert output.splitlines()[-1].startswith("error: locales/zh/news/torch.po:")
    assert po_path.read_text() == broken


def test_languages_are_normalised_with_babel(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"en", "zh"', '"en_US", "zh-Hans"'))
    run(root, "sync", "--no-mt")
    assert (root / "locales" / "zh_Hans" / "news" / "torch.po").exists()
    assert (root / "build" / "en_US" / "news" / "torch.md").read_text() == ARTICLE
    assert sorted(os.listdir(root / "locales")) == ["templates", "zh_Hans"]


def test_generated_files_of_a_deleted_article_go_but_its_catalog_stays(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    (root / "source" / "other.md").write_text("# Other\n", encoding="utf-8")
    run(root, "sync", "--no-mt")
    approve_all(root / "locales" / "zh" / "other.po")
    run(root, "sync", "--no-mt")
    assert (root / "build" / "zh" / "other.md").exists()
    parsed = root / ".l10n" / "parsed"
    assert len(list(parsed.glob("*.json"))) == 2            # what extract's parse found, each
    (root / "source" / "other.md").unlink()
    assert "out of date: locales/templates/other.pot" in run(root, "extract", "--check", code=1)
    output = run(root, "sync", "--no-mt")
    assert "removed locales/templates/other.pot (its article is gone)" in output
    assert "removed build/zh/other.md (its article is gone)" in output
    assert not (root / "build" / "en" / "other.md").exists()
    assert (root / "locales" / "zh" / "other.po").exists()       # a translator's work is kept
    assert len(list(parsed.glob("*.json"))) == 1            # sync prunes the parse cache too
    assert (root / "build" / "zh" / "news" / "torch.md").exists() is False  # 0% approved
    assert (root / "build" / "en" / "news" / "torch.md").exists()


CHANGED = ("error: locales/zh/news/torch.po: changed on disk while l10n had it open; not written "
           "over (run `l10n update` again)")


def approved_then_edited(tmp_path: Path) -> tuple[Path, Path]:
    """A workspace whose zh catalog is all approved, and whose article then gained a paragraph
    (extracted): the next update merges into translators' work. Returns the root and catalog."""
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    po = root / "locales" / "zh" / "news" / "torch.po"
    approve_all(po)
    source = root / "source" / "news" / "torch.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA late paragraph.\n",
                      encoding="utf-8")
    run(root, "extract")
    return root, po


def test_update_does_not_write_over_a_catalog_saved_while_it_merged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, po = approved_then_edited(tmp_path)
    merge = update_module.merged_texts

    def merged_then_saved_elsewhere(job: update_module.UpdateJob) -> list[update_module.Merged]:
        merges = merge(job)   # a translator saves in an editor just after the merge read the file
        po.write_text(po.read_text(encoding="utf-8").replace("译：", "译者：", 1), encoding="utf-8")
        return merges

    monkeypatch.setattr(update_module, "merged_texts", merged_then_saved_elsewhere)
    output = run(root, "update", code=1)
    assert CHANGED in output
    assert "译者：" in po.read_text(encoding="utf-8")
    monkeypatch.undo()
    run(root, "update")
    merged = po.read_text(encoding="utf-8")
    assert "译者：" in merged and 'msgid "A late paragraph."' in merged


def test_update_does_not_replace_a_catalog_saved_while_its_merge_was_staged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, po = approved_then_edited(tmp_path)

    class SavedWhileStaged(update_module.Batch):
        def write(self, path: Path, text: str) -> None:
            super().write(path, text)   # staged; an editor saves by renaming a new file
            saved = path.with_name("editor-save")
            saved.write_text(path.read_text(encoding="utf-8").replace("译：", "译者：", 1),
                             encoding="utf-8")
            os.replace(saved, path)

    monkeypatch.setattr(update_module, "Batch", SavedWhileStaged)
    output = run(root, "update", code=1)
    assert CHANGED in output
    assert "wrote locales/zh/news/torch.po" not in output
    kept = po.read_text(encoding="utf-8")
    assert "译者：" in kept and "A late paragraph." not in kept
    assert sorted(p.name for p in po.parent.iterdir()) == ["torch.po"]   # nothing staged left
    monkeypatch.undo()
    run(root, "update")   # the state was not recorded for it: the merge runs again
    merged = po.read_text(encoding="utf-8")
    assert "译者：" in merged and 'msgid "A late paragraph."' in merged


@pytest.mark.parametrize("resave", [
    pytest.param(lambda po: po.write_bytes(po.read_bytes().replace(b"\n", b"\r\n")), id="crlf"),
    pytest.param(lambda po: po.write_bytes(b"\xef\xbb\xbf" + po.read_bytes()), id="bom"),
    pytest.param(lambda po: msgcat_to(po, "-w", "77"), id="weblate-width-77"),
    pytest.param(lambda po: msgcat_to(po, "--no-wrap"), id="no-wrap"),
    pytest.param(lambda po: polib.pofile(str(po)).save(), id="polib"),
    pytest.param(lambda po: reorder_header(po), id="header-reordered"),
])
def test_a_catalog_saved_in_another_layout_is_left_as_it_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resave) -> None:
    # Weblate, an editor or a script may save a catalog in a layout of its own. Rewriting it in
    # msgcat's when nothing in it changed would be diff noise in every round trip.
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    po = root / "locales" / "zh" / "news" / "torch.po"
    approve_all(po, translate=lambda msgid: f"译：{msgid} " * 6)   # long enough to wrap
    msgcat_to(po)
    assert "update: 0 written, 1 unchanged" in run(root, "update")
    assert msgcat(po) == po.read_bytes()
    resave(po)
    saved = po.read_bytes()
    assert "update: 0 written, 1 unchanged" in run(root, "update")
    assert po.read_bytes() == saved

    def merged_texts(job: update_module.UpdateJob) -> list[update_module.Merged]:
        raise AssertionError(f"{job.article.slug} merged again")

    with monkeypatch.context() as patched:
        patched.setattr(update_module, "merged_texts", merged_texts)
        assert "update: 0 written, 1 unchanged" in run(root, "update")    # fresh: not merged
    # A change in the source is a change in the catalog: written, in msgcat's layout.
    source = root / "source" / "news" / "torch.md"
    source.write_text(source.read_text().replace("It ran on Lua.", "It ran on Lua and C."))
    run(root, "extract")
    assert "wrote locales/zh/news/torch.po" in run(root, "update")
    assert msgcat(po) == po.read_bytes() != saved


def reorder_header(po: Path) -> None:
    """An editor's save: Language moved to the top of the header, X-Generator in the middle."""
    text = po.read_text(encoding="utf-8")
    assert '"Language: zh\\n"\n' in text and '"MIME-Version: 1.0\\n"\n' in text
    text = text.replace('"Language: zh\\n"\n', "", 1)
    text = text.replace('msgstr ""\n', 'msgstr ""\n"Language: zh\\n"\n', 1)
    text = text.replace('"MIME-Version: 1.0\\n"\n',
                        '"X-Generator: Poedit 3.4.2\\n"\n"MIME-Version: 1.0\\n"\n', 1)
    po.write_text(text, encoding="utf-8")


def msgmerged(tmp_path: Path, catalog: bytes, template: Path, *options: str) -> polib.POFile:
    """What GNU msgmerge makes of ``catalog`` (bytes) and ``template``: the reference merge."""
    path = tmp_path / "msgmerge.po"
    path.write_bytes(catalog)
    subprocess.run([gettext_tool("msgmerge"), "-q", "-U", "--backup=off", *options, str(path),
                    str(template)], check=True)
    return parse_catalog(path.read_text(encoding="utf-8"), "msgmerge.po")


def msgcat_to(po: Path, *options: str) -> None:
    subprocess.run([gettext_tool("msgcat"), *options, "-o", str(po), str(po)], check=True)


HAND_ADDED = """
# added by hand: a plural the template does not have
msgid "one file"
msgid_plural "%d files"
msgstr[0] "%d 个文件"

#, fuzzy
#| msgid "a draft somebody extracted"
msgid "a draft nobody extracted"
msgstr "没人提取的草稿"

#~ msgid "an old plural"
#~ msgid_plural "old plurals"
#~ msgstr[0] "旧的复数"
"""


def test_a_changed_paragraph_keeps_its_translator_notes_and_leaves_no_obsolete_copy(
        tmp_path: Path) -> None:
    # msgmerge --previous: the old translation becomes the fuzzy suggestion of the changed
    # paragraph, with the translator's comments; the old entry is used up, not kept as #~.
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    po_path = root / "locales" / "zh" / "news" / "torch.po"
    approve_all(po_path)
    catalog = polib.pofile(str(po_path))
    catalog.find("It ran on Lua.").tcomment = "Translator: keep Lua in Latin letters"
    catalog.save()
    before = po_path.read_bytes()
    source = root / "source" / "news" / "torch.md"
    source.write_text(source.read_text().replace("It ran on Lua.", "It first ran on Lua."))
    run(root, "extract")
    run(root, "update")
    ours = parse_catalog(po_path.read_text(encoding="utf-8"), "ours.po")
    expected = msgmerged(tmp_path, before, root / "locales" / "templates" / "news" / "torch.pot",
                         "--previous")

    def entries(catalog: polib.POFile) -> list[tuple[Any, ...]]:
        return [(e.msgid, e.msgstr, e.tcomment, e.fuzzy, e.previous_msgid, e.obsolete)
                for e in catalog]

    assert entries(ours) == entries(expected)
    changed = ours.find("It first ran on Lua.")
    assert (changed.msgstr, changed.tcomment, changed.fuzzy, changed.previous_msgid) == (
        "译：It ran on Lua.", "Translator: keep Lua in Latin letters", True, "It ran on Lua.")
    assert not [e for e in ours if e.obsolete]


def test_a_paragraph_changed_twice_keeps_the_text_its_translation_was_made_for(
        tmp_path: Path) -> None:
    # msgmerge --previous: the #| line stays the msgid the translation translates, so the
    # reviewer's diff covers both edits, not only the last one.
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    po_path = root / "locales" / "zh" / "news" / "torch.po"
    approve_all(po_path)
    source = root / "source" / "news" / "torch.md"
    for edited in ("It first ran on Lua.", "It first ran on LuaJIT."):
        source.write_text(ARTICLE.replace("It ran on Lua.", edited))
        before = po_path.read_bytes()
        run(root, "extract")
        run(root, "update")
    expected = msgmerged(tmp_path, before, root / "locales" / "templates" / "news" / "torch.pot",
                         "--previous")
    ours = parse_catalog(po_path.read_text(encoding="utf-8"), "ours.po")
    changed, merged = ours.find("It first ran on LuaJIT."), expected.find("It first ran on LuaJIT.")
    assert (changed.msgstr, changed.fuzzy, changed.previous_msgid) == (
        "译：It ran on Lua.", True, "It ran on Lua.")
    assert (merged.msgstr, merged.fuzzy, merged.previous_msgid) == (
        "译：It ran on Lua.", True, "It ran on Lua.")


def test_update_keeps_hand_added_entries_as_msgmerge_does(tmp_path: Path) -> None:
    # msgmerge keeps every translated entry the template lacks as an obsolete #~ entry, plurals
    # included; dropping them would lose a translator's work.
    root = make_workspace(tmp_path)
    run(root, "extract")
    run(root, "update")
    po_path = root / "locales" / "zh" / "news" / "torch.po"
    text = po_path.read_text(encoding="utf-8")
    singular = 'msgid "It ran on Lua."\nmsgstr ""\n'
    assert singular in text
    text = text.replace(singular, 'msgid "It ran on Lua."\nmsgid_plural "They ran on Lua."\n'
                                  'msgstr[0] "它们运行在 Lua 上。"\n')
    text = text.replace('msgid ""\nmsgstr ""\n', '#, fuzzy\nmsgid ""\nmsgstr ""\n', 1)
    po_path.write_text(text + HAND_ADDED, encoding="utf-8")
    before = po_path.read_bytes()
    run(root, "update")
    ours = parse_catalog(po_path.read_text(encoding="utf-8"), "ours.po")   # polib drops #~|
    expected = msgmerged(tmp_path, before, root / "locales" / "templates" / "news" / "torch.pot",
                         "--no-fuzzy-matching")

    def gone(catalog: polib.POFile) -> list[tuple[Any, ...]]:
        return sorted((e.msgid, e.msgid_plural, e.msgstr_plural, e.msgstr, "fuzzy" in e.flags,
                       e.previous_msgid) for e in catalog if e.obsolete)

    assert gone(ours) == gone(expected)
    assert ("one file", "%d files", {0: "%d 个文件"}, "", False, None) in gone(ours)
    assert ("a draft nobody extracted", "", {}, "没人提取的草稿", True,
            "a draft somebody extracted") in gone(ours)
    assert ours.metadata_is_fuzzy and expected.metadata_is_fuzzy   # the header's flag stays
    # A plural whose msgid the template has as a singular: its first form, as a draft.
    kept = ours.find("It ran on Lua.")
    merged = expected.find("It ran on Lua.")
    assert (kept.msgstr, kept.msgid_plural, kept.flags) == (merged.msgstr, "", ["fuzzy"])
    assert merged.msgstr == "它们运行在 Lua 上。"
    msgfmt_check(po_path)
    assert msgcat(po_path) == po_path.read_bytes()
    run(root, "update")
    assert gone(parse_catalog(po_path.read_text(encoding="utf-8"), "ours.po")) == gone(expected)
