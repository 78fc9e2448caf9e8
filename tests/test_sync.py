"""`l10n sync` end to end: the whole chain, idempotent, resilient when the engine is not."""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path

import polib
import pytest
from conftest import GLOSSARY, msgfmt_check
from libre_server import running
from typer.testing import CliRunner

from l10n import build as build_module
from l10n.cli import app

runner = CliRunner()

ARTICLE = """\
---
title: Tian Yuandong leaves FAIR
---

# Tian Yuandong leaves FAIR

**Tian Yuandong** spent ten years at [FAIR](https://ai.meta.com/research/).

- He worked on game-playing systems.
- He wrote about planning.
"""


def make_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    assert runner.invoke(app, ["--root", str(root), "init"]).exit_code == 0
    (root / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    (root / "source" / "tian.md").write_text(ARTICLE, encoding="utf-8")
    return root


def sync(root: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["--root", str(root), "sync", *args])
    assert result.exit_code == code, result.output
    return result.output


def files(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and ".l10n" not in p.parts}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_sync_drafts_with_the_engine_and_says_what_needs_a_reviewer(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    with running(mode="hostile") as server:
        output = sync(root, "--engine", "libre", "--engine-url", server.url)
    po = polib.pofile(str(root / "locales" / "zh" / "tian.po"))
    drafts = [e for e in po if e.msgstr]
    assert drafts and all("fuzzy" in e.flags for e in drafts)
    assert all("田渊栋" in e.msgstr for e in drafts if "Tian Yuandong" in e.msgid)
    assert all("田远东" not in e.msgstr for e in po)
    msgfmt_check(root / "locales" / "zh" / "tian.po")
    assert f"zh: {len(drafts)} drafts to review — run `l10n review --lang zh`" in output
    # Drafts are not approved: the zh edition waits for a reviewer; the source edition is built.
    assert "build/zh/tian.md: not built: 0% approved" in output
    assert (root / "build" / "en" / "tian.md").read_text(encoding="utf-8") == ARTICLE


def test_a_second_sync_writes_nothing_and_sends_nothing(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    with running(mode="honest") as server:
        sync(root, "--engine", "libre", "--engine-url", server.url)
        assert runner.invoke(app, ["--root", str(root), "review", "--approve-all"]).exit_code == 0
        sync(root, "--engine", "libre", "--engine-url", server.url)
        before, sent = files(root), server.translate_requests
        assert (root / "build" / "zh" / "tian.md").exists()
        output = sync(root, "--engine", "libre", "--engine-url", server.url)
        assert files(root) == before
        assert server.translate_requests == sent
    assert "build: 0 written, 2 unchanged" in output


def test_an_unreachable_engine_does_not_stop_the_rest(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    url = f"http://127.0.0.1:{closed_port()}/"
    output = sync(root, "--engine", "libre", "--engine-url", url, code=2)
    assert (root / "locales" / "templates" / "tian.pot").exists()
    assert (root / "build" / "en" / "tian.md").read_text(encoding="utf-8") == ARTICLE
    errors = [line for line in output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "libre" in errors[0]
    msgfmt_check(root / "locales" / "zh" / "tian.po")
    # Once the engine is back, a rerun fills the gaps.
    with running(mode="honest") as server:
        output = sync(root, "--engine", "libre", "--engine-url", server.url)
    assert "zh: 4 drafts to review" in output


def test_build_names_the_entry_that_would_change_the_document_structure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(tmp_path)
    sync(root, "--no-mt")
    po_path = root / "locales" / "zh" / "tian.po"
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        entry.msgstr = "译" + entry.msgid.replace("Tian Yuandong", "田渊栋")
    catalog.save()
    # A renderer with a bug: this translation of the heading loses its "#" marker.
    real = build_module.render_edition

    def broken(project, article, language, table):  # type: ignore[no-untyped-def]
        rendered = real(project, article, language, table)
        return dataclasses.replace(rendered, text=rendered.text.replace(
            "# 译田渊栋 leaves FAIR", "译田渊栋 leaves FAIR"))

    monkeypatch.setattr(build_module, "render_edition", broken)
    result = runner.invoke(app, ["--root", str(root), "build"])
    assert result.exit_code == 1
    heading_line = next(i for i, line in enumerate(po_path.read_text().splitlines(), 1)
                        if line == 'msgid "Tian Yuandong leaves FAIR"')
    assert (f"error: locales/zh/tian.po:{heading_line}: the translation changes the document's "
            "structure (heading 1 (level 1) missing); the source text is kept for that block") in result.output
    edition = (root / "build" / "zh" / "tian.md").read_text(encoding="utf-8")
    assert "# Tian Yuandong leaves FAIR\n" in edition          # the source text, kept
    assert "- 译He worked on game-playing systems.\n" in edition


def test_a_deleted_article_leaves_no_empty_folder_behind_but_keeps_its_catalogs(
        tmp_path: Path) -> None:
    root = make_site(tmp_path)
    (root / "source" / "sub").mkdir()
    (root / "source" / "sub" / "deep").mkdir()
    (root / "source" / "sub" / "deep" / "x.md").write_text("# Gone soon\n", encoding="utf-8")
    sync(root, "--engine", "pseudo")
    assert runner.invoke(app, ["--root", str(root), "review", "--approve-all"]).exit_code == 0
    sync(root, "--no-mt")
    assert (root / "build" / "zh" / "sub" / "deep" / "x.md").exists()
    (root / "source" / "sub" / "deep" / "x.md").unlink()
    (root / "build" / "en" / "empty").mkdir()             # empty before: not ours to remove
    runner.invoke(app, ["--root", str(root), "extract", "--check"])
    assert (root / "locales" / "templates" / "sub" / "deep").is_dir()   # --check removes nothing
    output = sync(root, "--no-mt")
    assert "removed build/zh/sub/deep/x.md (its article is gone)" in output
    for gone in ("locales/templates/sub", "build/en/sub", "build/zh/sub"):
        assert not (root / gone).exists(), gone
    # What holds other files stays; a translator's catalog and its folder stay.
    assert (root / "locales" / "templates" / "tian.pot").exists()
    assert (root / "build" / "en" / "tian.md").exists() and (root / "build" / "en" / "empty").is_dir()
    assert (root / "locales" / "zh" / "sub" / "deep" / "x.po").exists()
