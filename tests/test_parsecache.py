"""Build reuses what extract's parse of a Markdown source found (.l10n/parsed/), never trusting it
blindly: an entry is keyed by the exact text and the parser's code, and a missing or damaged one
only means parsing again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_workflow import approve_all, make_workspace, run

from l10n import parsecache
from l10n.formats import FormatOptions, markdown
from l10n.project import Project


def _editions(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "build").rglob("*"))
            if p.is_file()}


def _rebuild(root: Path) -> dict[str, bytes]:
    shutil.rmtree(root / "build")
    (root / ".l10n" / "state.json").unlink()
    markdown._RECENT.clear()  # as in a new process
    run(root, "build")
    return _editions(root)


def test_extract_keeps_one_entry_per_markdown_article_and_build_uses_it(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    (root / "source" / "page.html").write_text("<p>Hello <b>there</b>.</p>\n", encoding="utf-8")
    run(root, "sync", "--no-mt")
    for po in (root / "locales" / "zh").rglob("*.po"):
        approve_all(po)
    run(root, "build")
    entries = sorted((root / ".l10n" / "parsed").glob("*.json"))
    assert len(entries) == 1  # the Markdown article; HTML is parsed by lxml, fast enough

    project = Project.load(root)
    article = next(a for a in project.articles() if a.slug == "news/torch")
    parsed = parsecache.load(project, article)
    assert parsed is not None
    segments = markdown.extract(article.text, "x", options=FormatOptions())
    assert [row[0] for row in parsed.blocks] == [s.msgid for s in segments
                                                 if not s.kind.startswith("front matter")]
    assert parsed.outline.headings == (1,) and parsed.outline.tables == ((2, 2),)

    with_cache = _rebuild(root)
    assert "译：" in with_cache["build/zh/news/torch.md"].decode()
    # The build reads the entry: one whose first block claims another msgid leaves it unmatched.
    data = json.loads(entries[0].read_text(encoding="utf-8"))
    data["blocks"][0][0] = "Not in the catalog"
    entries[0].write_text(json.dumps(data), encoding="utf-8")
    assert _rebuild(root)["build/zh/news/torch.md"].decode().count("译：") == \
        with_cache["build/zh/news/torch.md"].decode().count("译：") - 1
    # Damaged rows (the outline intact), then a damaged outline: parsed again, same editions.
    data["blocks"] = [["half a row"]]
    entries[0].write_text(json.dumps(data), encoding="utf-8")
    assert _rebuild(root) == with_cache
    assert parsecache.load(project, article) == parsed   # the build's parse mended the rows
    entries[0].write_text('{"blocks": [], "outline": {}}', encoding="utf-8")
    assert parsecache.load(project, article) is None
    assert _rebuild(root) == with_cache
    assert parsecache.load(project, article) == parsed   # the build's parse mended the entry
    shutil.rmtree(root / ".l10n" / "parsed")
    assert _rebuild(root) == with_cache
    assert parsecache.load(project, article) == parsed   # and noted it again


def test_build_keeps_the_parse_extract_did_not(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # After an upgrade of l10n (a new parser key) extract skips every unchanged article, so only
    # the build's parse can fill the cache; without it every later build parses every source.
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    for po in (root / "locales" / "zh").rglob("*.po"):
        approve_all(po)
    shutil.rmtree(root / ".l10n" / "parsed")
    run(root, "build", "--check", code=1)
    assert not (root / ".l10n" / "parsed").exists()       # --check writes nothing
    run(root, "build")
    assert len(list((root / ".l10n" / "parsed").glob("*.json"))) == 1
    parses: list[str] = []
    real = markdown._BLOCKS.parse
    monkeypatch.setattr(markdown._BLOCKS, "parse",
                        lambda text, env=None: parses.append(text) or real(text, env))
    catalog = next((root / "locales" / "zh").rglob("*.po"))
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("译：", "译文：", 1),
                       encoding="utf-8")
    markdown._RECENT.clear()  # as in a new process
    run(root, "build")
    assert len(parses) == 1   # the edition's, to check its structure; not the source's


def test_an_edited_article_gets_a_new_entry_and_the_old_one_goes(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "extract")
    before = set((root / ".l10n" / "parsed").glob("*.json"))
    source = root / "source" / "news" / "torch.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more paragraph.\n",
                      encoding="utf-8")
    run(root, "extract")
    after = set((root / ".l10n" / "parsed").glob("*.json"))
    assert len(before) == len(after) == 1 and before != after
    # --check writes nothing, not even here.
    source.write_text(source.read_text(encoding="utf-8") + "\nAnd another.\n", encoding="utf-8")
    run(root, "extract", "--check", code=1)
    assert set((root / ".l10n" / "parsed").glob("*.json")) == after
