"""`l10n translate`: drafts from memory, cache and engine, against a LibreTranslate server on
127.0.0.1 that deep-translator's real LibreTranslator client talks to."""

from __future__ import annotations

import hashlib
import re
import sys
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from deep_translator import LibreTranslator
from typer.testing import CliRunner

from l10n import draft
from l10n.cli import app
from l10n.draft import DraftProgress, translate_workspace
from l10n.engines.cache import TranslationCache
from l10n.engines.dispatch import BATCH_MEMBERS
from l10n.errors import EngineError
from l10n.glossary import Glossary
from l10n.pofile import read_catalog, write_catalog
from l10n.project import Project
from l10n.protect import protect

sys.path.insert(0, str(Path(__file__).parent))
from conftest import msgcat, msgfmt_check
from libre_server import LibreServer, running

GLOSSARY = """\
terms:
  - en: Tian Yuandong
    zh: 田渊栋
    forbidden:
      zh: [田远东]
  - en: Yann LeCun
    zh: 杨立昆
    forbidden:
      zh: [扬·勒丘恩]
  - en: Jia Yangqing
    zh: 贾扬清
  - en: FAIR
    keep: true
  - en: Facebook
    keep: true
    forbidden:
      zh: [脸书]
  - en: PyTorch
    keep: true
"""

MSGIDS = [
    "Tian Yuandong joins FAIR",
    "Tian Yuandong works with **Yann LeCun** at [FAIR](https://ai.meta.com/research/).",
    "He wrote `torch.nn` code for PyTorch. It was fast.",
    "Facebook released PyTorch in 2017. Jia Yangqing built Caffe2. Yann LeCun approved.",
    "See <https://pytorch.org> and <b>bold</b> text about FAIR and Facebook.",
    "Jia Yangqing and Tian Yuandong met Yann LeCun at FAIR. They talked about PyTorch.",
    "*Yann LeCun* said: use `x = 1` and https://example.com/a_b now.",
    "The GPU team at FAIR uses CUDA.",
    "Plain words without names.",
    "`only_code()`",
]


def make_workspace(root: Path, articles: dict[str, list[str]],
                   approved: dict[str, dict[str, str]] | None = None) -> Project:
    """A workspace with one Markdown article and one zh catalog per slug."""
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_language = "en"\nlanguages = ["en", "zh"]\n', encoding="utf-8")
    (root / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    for slug, msgids in articles.items():
        (root / "source" / f"{slug}.md").write_text("\n\n".join(msgids) + "\n", encoding="utf-8")
        catalog = polib.POFile(wrapwidth=78)
        catalog.metadata = {"Project-Id-Version": slug, "Language": "zh",
                            "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                            "Content-Transfer-Encoding": "8bit",
                            "Plural-Forms": "nplurals=1; plural=0;"}
        for line, msgid in enumerate(msgids, start=1):
            msgstr = (approved or {}).get(slug, {}).get(msgid, "")
            catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr, comment="paragraph",
                                         occurrences=[(f"source/{slug}.md", str(line))]))
        path = root / "locales" / "zh" / f"{slug}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog.save(str(path))
    return Project.load(root)


def entries(project: Project, slug: str) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(project.catalog_path("zh", slug))) if e.msgid]


def glossary_of(project: Project) -> Glossary:
    return Glossary.load(project.glossary_path, languages=["en", "zh"])


def assert_sound(project: Project, slug: str) -> int:
    """Every draft in the catalog is intact: pinned forms, no forbidden variant, no leftover
    placeholder, code spans, URLs and markup of the msgid kept. Returns the number of drafts."""
    glossary = glossary_of(project)
    drafts = 0
    for entry in entries(project, slug):
        if not entry.msgstr:
            continue
        drafts += 1
        assert "fuzzy" in entry.flags
        for hit in glossary.find(entry.msgid, "en"):
            assert hit.term.form("zh") in entry.msgstr, (entry.msgid, entry.msgstr)
        assert not glossary.find_forbidden(entry.msgstr, "zh"), entry.msgstr
        assert not re.search(r"[{｛]\s*\d+\s*[}｝]", entry.msgstr), entry.msgstr
        for kept in re.findall(r"`[^`]+`|https?://[^\s)>]+|<[^>]+>|\*\*|\]\(", entry.msgid):
            assert entry.msgstr.count(kept) == entry.msgid.count(kept), (kept, entry.msgstr)
    msgfmt_check(project.catalog_path("zh", slug))
    return drafts


def test_hostile_engine_damage_never_reaches_a_po_file(tmp_path: Path) -> None:
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS})
    with running(mode="hostile") as server:
        # The server really is hostile: unprotected, the names come back wrong.
        raw = LibreTranslator(source="en", target="zh", api_key="k", custom_url=server.url)
        assert "田远东" in raw.translate("Tian Yuandong joins FAIR")
        assert "fair" in raw.translate("Tian Yuandong joins FAIR")
        report = translate_workspace(project, engine_name="libre", engine_url=server.url)
    zh = report.languages["zh"]
    drafts = assert_sound(project, "a")
    assert drafts == zh.drafts >= 4
    assert zh.failed, "a hostile engine must cost some drafts"
    failed = {f.msgid for f in zh.failed}
    for entry in entries(project, "a"):
        assert (entry.msgstr == "") == (entry.msgid in failed)
        if entry.msgid == "`only_code()`":   # nothing to translate: copied, nothing sent
            assert "copied: nothing to translate" in entry.comment
        elif entry.msgstr:
            assert "machine translation: libre" in entry.comment
    assert zh.copied == 1


def test_rerun_sends_nothing_even_after_the_catalog_is_deleted(tmp_path: Path) -> None:
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS})
    with running(mode="honest") as server:
        first = translate_workspace(project, engine_name="libre", engine_url=server.url)
        sent = server.translate_requests
        assert sent == first.requests > 0
        assert first.languages["zh"].failed == []
        before = project.catalog_path("zh", "a").read_bytes()
        again = translate_workspace(project, engine_name="libre", engine_url=server.url)
        assert (again.requests, server.translate_requests) == (0, sent)
        assert project.catalog_path("zh", "a").read_bytes() == before
        project.catalog_path("zh", "a").unlink()
        make_workspace(tmp_path / "ws2", {"a": MSGIDS})
        (tmp_path / "ws2" / ".l10n").mkdir()
        for item in (project.root / ".l10n").iterdir():
            (tmp_path / "ws2" / ".l10n" / item.name).write_bytes(item.read_bytes())
        third = translate_workspace(Project.load(tmp_path / "ws2"), engine_name="libre",
                                    engine_url=server.url)
        assert server.translate_requests == sent
        assert third.languages["zh"].from_cache == first.languages["zh"].from_engine


def test_identical_segments_are_sent_once(tmp_path: Path) -> None:
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS[:6], "b": MSGIDS[2:8]})
    with running(mode="honest") as server:
        translate_workspace(project, engine_name="libre", engine_url=server.url)
        sent_texts = [piece for text in server.texts
                      for piece in re.split(r"\n\n\{\d+00\}\n\n", text)]
    normalised = [re.sub(r"\{\d+\}", "{}", t) for t in sent_texts]
    assert len(normalised) == len(set(normalised)) == 8
    assert assert_sound(project, "a") == 6 and assert_sound(project, "b") == 6


def test_memory_first_and_approved_entries_untouched(tmp_path: Path) -> None:
    approved = {"b": {MSGIDS[8]: "没有名字的普通词语。", MSGIDS[0]: "田渊栋 加入 FAIR"}}
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS[:3] + [MSGIDS[8]],
                                              "b": [MSGIDS[0], MSGIDS[8]]}, approved)
    with running(mode="honest") as server:
        report = translate_workspace(project, engine_name="libre", engine_url=server.url)
        assert not any(MSGIDS[8] in text or "joins" in text for text in server.texts)
    a = {e.msgid: e for e in entries(project, "a")}
    assert a[MSGIDS[8]].msgstr == "没有名字的普通词语。"
    assert "fuzzy" in a[MSGIDS[8]].flags
    assert "translation memory: b" in a[MSGIDS[8]].comment
    b = {e.msgid: e for e in entries(project, "b")}
    assert b[MSGIDS[0]].msgstr == "田渊栋 加入 FAIR" and "fuzzy" not in b[MSGIDS[0]].flags
    assert not b[MSGIDS[0]].comment.count("machine")
    assert report.languages["zh"].from_memory == 2


def test_memory_includes_obsolete_entries(tmp_path: Path) -> None:
    project = make_workspace(tmp_path / "ws", {"a": [MSGIDS[8]], "b": [MSGIDS[2]]})
    path = project.catalog_path("zh", "b")
    catalog = polib.pofile(str(path))
    catalog.append(polib.POEntry(msgid=MSGIDS[8], msgstr="旧的译文。", obsolete=True))
    catalog.save(str(path))
    report = translate_workspace(project, engine_name="pseudo")
    assert entries(project, "a")[0].msgstr == "旧的译文。"
    assert report.languages["zh"].from_memory == 1


def test_rate_limits_are_retried_after_retry_after(tmp_path: Path) -> None:
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS[:3]})
    with running(mode="honest") as server:
        server.rate_limited, server.retry_after = 2, "1"
        started = time.monotonic()
        report = translate_workspace(project, engine_name="libre", engine_url=server.url,
                                     backoff=0.01)
        assert time.monotonic() - started >= 1.0
    assert report.languages["zh"].drafts == 3 and not report.failures
    assert report.requests == server.translate_requests


def test_no_answer_is_a_timeout_with_exit_code_2(tmp_path: Path) -> None:
    project = make_workspace(tmp_path / "ws", {"a": [MSGIDS[8]], "b": [MSGIDS[2]]},
                             {"a": {MSGIDS[8]: "普通词语。"}})
    with running(mode="honest") as server:
        server.hang = 1.5
        with pytest.raises(EngineError) as caught:
            translate_workspace(project, engine_name="libre", engine_url=server.url,
                                timeout=0.2, backoff=0.01)
    assert caught.value.exit_code == 2
    assert "did not answer within 0.2 s" in str(caught.value)
    msgfmt_check(project.catalog_path("zh", "b"))


def test_server_dying_mid_run_keeps_drafts_and_a_rerun_resumes(tmp_path: Path) -> None:
    many = [f"Sentence number {n} about FAIR and Tian Yuandong." for n in range(40)]
    project = make_workspace(tmp_path / "ws", {"a": many})
    (project.root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_language = "en"\nlanguages = ["en", "zh"]\nconcurrency = 1\n',
        encoding="utf-8")
    project = Project.load(project.root)
    with running(mode="honest") as server:
        server.die_after = 3
        with pytest.raises(EngineError, match="unreachable"):
            translate_workspace(project, engine_name="libre", engine_url=server.url,
                                backoff=0.01)
    msgfmt_check(project.catalog_path("zh", "a"))
    kept = assert_sound(project, "a")
    assert kept == 3 * 8   # three batches of eight arrived before it died
    first_texts = list(server.texts)
    with running(mode="honest") as second:
        report = translate_workspace(project, engine_name="libre", engine_url=second.url)
    assert assert_sound(project, "a") == 40
    assert report.languages["zh"].from_engine == 40 - kept
    assert not set(first_texts) & set(second.texts)


def test_a_refused_key_is_one_line_and_never_shows_the_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS[:2]})
    monkeypatch.setenv("LIBRE_API_KEY", "s3cret-wrong")
    with running(mode="honest", api_key="right") as server:
        result = CliRunner().invoke(app, ["--root", str(project.root), "translate", "--engine",
                                          "libre", "--engine-url", server.url])
    assert result.exit_code == 2
    assert "s3cret" not in result.output
    lines = result.output.strip().splitlines()
    assert lines == [(f"error: libre at {server.url} refused the API key (HTTP 403) "
                     "(check the key in the environment variable, then rerun)")]


def test_self_hosted_libre_needs_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIBRE_API_KEY", raising=False)
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS[:3]})
    with running(mode="honest") as server:
        result = CliRunner().invoke(app, ["--root", str(project.root), "translate", "--engine",
                                          "libre", "--engine-url", server.url])
    assert result.exit_code == 0, result.output
    assert "wrote locales/zh/a.po" in result.output
    assert "zh: 3 drafts (0 memory, 0 cache, 3 libre, 0 copied), 0 failed; 1 request" \
        in result.output


def test_unreachable_engine_exit_code_2(tmp_path: Path) -> None:
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS[:2]})
    with running() as server:
        url = server.url
    result = CliRunner().invoke(app, ["--root", str(project.root), "translate", "--engine",
                                      "libre", "--engine-url", url])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: libre at {url} is unreachable")
    assert len(result.output.strip().splitlines()) == 1


def test_an_empty_machine_translation_is_a_failure_not_a_draft(tmp_path: Path) -> None:
    # An engine that answers "" for a text: no draft, nothing cached, the entry named; a rerun
    # asks again (the engine may answer this time) and the catalog does not flip.
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS})
    blank = "Plain words without names."
    with running(mode="honest") as server:
        server.blank = ("Plain words",)
        first = translate_workspace(project, engine_name="libre", engine_url=server.url)
        assert [f.msgid for f in first.languages["zh"].failed] == [blank]
        assert "empty translation" in first.languages["zh"].failed[0].reason
        after_first = project.catalog_path("zh", "a").read_bytes()
        entry = next(e for e in entries(project, "a") if e.msgid == blank)
        assert (entry.msgstr, entry.flags, entry.comment) == ("", [], "paragraph")
        assert assert_sound(project, "a") == len(MSGIDS) - 1
        again = translate_workspace(project, engine_name="libre", engine_url=server.url)
        assert [f.msgid for f in again.languages["zh"].failed] == [blank]
        assert again.requests == 1 and server.texts[-1] == blank
        assert project.catalog_path("zh", "a").read_bytes() == after_first
        server.blank = ()
        third = translate_workspace(project, engine_name="libre", engine_url=server.url)
        assert not third.failures and third.languages["zh"].from_engine == 1
    assert next(e for e in entries(project, "a") if e.msgid == blank).msgstr


def test_a_rejected_answer_comes_back_from_the_cache_until_refresh(tmp_path: Path) -> None:
    # The cache keeps what was paid for, rejected answers too: a rerun sends nothing and says
    # how to ask again; --refresh asks the engine again (here: a server that was fixed).
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS})
    with running(mode="hostile") as server:
        first = translate_workspace(project, engine_name="libre", engine_url=server.url)
        failed = {f.msgid for f in first.failures}
        assert failed
        server.mode = "honest"
        again = translate_workspace(project, engine_name="libre", engine_url=server.url)
        assert again.requests == 0 and {f.msgid for f in again.failures} == failed
        assert all("translate --refresh" in f.reason for f in again.failures)
        assert not any("--refresh" in f.reason for f in first.failures)
        fresh = translate_workspace(project, engine_name="libre", engine_url=server.url,
                                    refresh=True)
        assert fresh.requests > 0 and not fresh.failures
        assert fresh.languages["zh"].from_engine == len(failed)
    assert assert_sound(project, "a") == len(MSGIDS)
    result = CliRunner().invoke(app, ["--root", str(project.root), "translate", "--help"])
    assert "--refresh" in result.output


def test_dry_run_counts_and_sends_nothing(tmp_path: Path) -> None:
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS[:4], "b": MSGIDS[:2]},
                             {"b": {MSGIDS[0]: "田渊栋 加入 FAIR"}})
    before = project.catalog_path("zh", "a").read_bytes()
    with running(mode="honest") as server:
        result = CliRunner().invoke(app, ["--root", str(project.root), "translate", "--engine",
                                          "libre", "--engine-url", server.url, "--dry-run"])
        assert server.requests == 0
    assert result.exit_code == 0, result.output
    assert project.catalog_path("zh", "a").read_bytes() == before
    # MSGIDS[0] comes from memory; MSGIDS[1] is needed twice but sent once.
    assert re.search(r"^zh: would send 3 segments \(\d+ characters\) to libre; 1 from memory, "
                     r"0 from cache$", result.output, re.MULTILINE), result.output


def test_interrupt_leaves_valid_files_and_rerun_resumes(tmp_path: Path) -> None:
    many = [f"Line {n} about Yann LeCun at FAIR." for n in range(30)]
    project = make_workspace(tmp_path / "ws", {"a": many})
    with running(mode="honest") as server:
        def interrupt(event: DraftProgress) -> None:
            if event.done == 10:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            translate_workspace(project, engine_name="libre", engine_url=server.url,
                                progress=interrupt)
        msgfmt_check(project.catalog_path("zh", "a"))
        assert assert_sound(project, "a") == 10
        report = translate_workspace(project, engine_name="libre", engine_url=server.url)
        assert assert_sound(project, "a") == 30
        assert report.languages["zh"].from_engine + report.languages["zh"].from_cache == 20
        # Whatever was in flight at the interrupt was cached, not sent again: how much that was
        # depends on timing, but no text ever reaches the server twice.
        sent = "\n".join(server.texts)
        assert all(sent.count(f"Line {n} about ") == 1 for n in range(30)), server.texts


def test_a_catalog_saved_elsewhere_during_the_run_is_not_written_over(tmp_path: Path) -> None:
    many = [f"Line {n} about Yann LeCun at FAIR." for n in range(30)]
    project = make_workspace(tmp_path / "ws", {"a": many})
    path = project.catalog_path("zh", "a")
    with running(mode="honest") as server:
        def translator_saves(event: DraftProgress) -> None:
            if event.done == 10:   # a translator saves the catalog in an editor (or a git pull)
                catalog = read_catalog(path)
                catalog.find(many[29]).msgstr = "译者的译文。"
                write_catalog(catalog, path)

        report = translate_workspace(project, engine_name="libre", engine_url=server.url,
                                     progress=translator_saves)
        assert [str(c) for c in report.changed] == [(
            "locales/zh/a.po: changed on disk while l10n had it open; not written over (the "
            "drafts made for it are cached: run `l10n translate` again)")]
        assert report.files_written == []
        saved = {e.msgid: e.msgstr for e in entries(project, "a")}
        assert saved[many[29]] == "译者的译文。" and sum(map(bool, saved.values())) == 1
        sent = len(server.texts)

        again = translate_workspace(project, engine_name="libre", engine_url=server.url)
        assert again.changed == [] and again.files_written == ["locales/zh/a.po"]
        assert len(server.texts) == sent       # every draft came from the cache
        final = {e.msgid: e for e in entries(project, "a")}
        assert final[many[29]].msgstr == "译者的译文。" and "fuzzy" not in final[many[29]].flags
        assert all(e.msgstr and "fuzzy" in e.flags for m, e in final.items() if m != many[29])
        msgfmt_check(path)


def test_pseudo_engine_keeps_markup_and_pins_names(tmp_path: Path) -> None:
    project = make_workspace(tmp_path / "ws", {"a": MSGIDS})
    report = translate_workspace(project, engine_name="pseudo")
    assert report.requests == 0 and not report.failures
    assert assert_sound(project, "a") == len(MSGIDS)
    drafts = {e.msgid: e.msgstr for e in entries(project, "a")}
    assert drafts[MSGIDS[1]].startswith("田渊栋 ŵööŕķš ŵîîţĥ **杨立昆** ààţ [FAIR](https://")
    assert not (project.state_dir / "mt-cache.sqlite3").exists()


def test_each_draft_note_fingerprints_the_text_it_was_written_with(tmp_path: Path) -> None:
    """``#. <origin> (<8 hex of the BLAKE2b hash of the msgstr written>)``: review compares it
    with the msgstr to tell a draft someone rewrote since."""
    def mark(text: str) -> str:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()

    memory = "没有名字的普通词语。"
    project = make_workspace(tmp_path / "ws", {"a": [MSGIDS[0], MSGIDS[8], MSGIDS[9]],
                                               "b": [MSGIDS[8]]}, {"b": {MSGIDS[8]: memory}})
    translate_workspace(project, engine_name="pseudo")
    a = {e.msgid: e for e in entries(project, "a")}
    machine = a[MSGIDS[0]].msgstr
    assert machine.startswith("田渊栋 ")
    assert {msgid: e.comment.splitlines() for msgid, e in a.items()} == {
        MSGIDS[0]: ["paragraph", f"machine translation: pseudo ({mark(machine)})"],
        MSGIDS[8]: ["paragraph", f"translation memory: b ({mark(memory)})"],
        MSGIDS[9]: ["paragraph", ("copied: nothing to translate but glossary terms, code, "
                                  f"URLs or numbers ({mark('`only_code()`')})")],
    }
    path = project.catalog_path("zh", "a")
    msgfmt_check(path)
    before = path.read_bytes()
    assert msgcat(path) == before
    translate_workspace(project, engine_name="pseudo")
    assert path.read_bytes() == before
    # A translator empties the copy in an editor: the next run copies it again, with one note.
    catalog = read_catalog(path)
    catalog.find(MSGIDS[9]).msgstr = ""
    write_catalog(catalog, path)
    translate_workspace(project, engine_name="pseudo")
    assert path.read_bytes() == before


# -- windows: catalogs are opened a few at a time, and nothing about the result may show it ----
SHARED = [f"Shared sentence {n} about Yann LeCun and FAIR." for n in range(5)]


def windowed_workspace(root: Path) -> Project:
    """Seven catalogs: texts shared across them, one from memory, one copied, one in the cache,
    one a reviewer rejected, and enough distinct texts that batches span catalogs."""
    articles = {
        "a": MSGIDS[:6],
        "b": MSGIDS[2:8] + SHARED[:2],
        "c": [MSGIDS[8], MSGIDS[9], MSGIDS[0], "Only in c, about PyTorch."],
        "d": [MSGIDS[0], MSGIDS[1], *SHARED],
        "e": [f"Distinct line {n} at FAIR." for n in range(13)] + ["A rejected draft."],
        "f": SHARED[::-1],
        "g": [f"Distinct line {n} at FAIR." for n in range(7, 11)] + [MSGIDS[3]],
    }
    project = make_workspace(root, articles, {"d": {MSGIDS[0]: "田渊栋 加入 FAIR"}})
    path = project.catalog_path("zh", "e")
    catalog = polib.pofile(str(path))
    catalog.find("A rejected draft.").comment = "paragraph\nrejected: machine translation: libre"
    catalog.save(str(path))
    text = protect(MSGIDS[8], "zh", source_language="en", glossary=glossary_of(project)).text
    cache = TranslationCache.for_state_dir(project.state_dir)
    cache.put("libre", "en", "zh", text.strip(), "没有名字的普通词语。")
    cache.close()
    return project


def sent_pieces(server: LibreServer) -> list[str]:
    """Every text the server was sent, batches split into their members, placeholders blanked."""
    return [re.sub(r"\{\d+\}", "{}", piece) for text in server.texts
            for piece in re.split(r"\n\n\{\d+00\}\n\n", text)]


def catalog_bytes(project: Project) -> dict[str, bytes]:
    folder = project.locales_dir / "zh"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.po"))}


@pytest.mark.parametrize("window", [(1, 10_000), (10_000, 1), (2, 5)])
def test_windows_change_nothing_but_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           window: tuple[int, int]) -> None:
    results = []
    for name, (catalogs, entries_) in (("all", (10_000, 10_000)), ("windowed", window)):
        monkeypatch.setattr(draft, "WINDOW_CATALOGS", catalogs)
        monkeypatch.setattr(draft, "WINDOW_ENTRIES", entries_)
        project = windowed_workspace(tmp_path / name)
        events: list[DraftProgress] = []
        with running(mode="honest") as server:
            report = translate_workspace(project, engine_name="libre", engine_url=server.url,
                                         progress=events.append)
            results.append((report, catalog_bytes(project), sorted(server.texts), events,
                            server.translate_requests))
        pieces = sent_pieces(server)
        assert len(pieces) == len(set(pieces)), "a text was sent twice"
    (full, full_files, full_texts, full_events, full_requests), \
        (windowed, files, texts, events, requests) = results
    zh = full.languages["zh"]
    assert (zh.from_memory, zh.from_cache, zh.copied, zh.left_for_review) == (2, 1, 1, 1)
    assert zh.from_engine > 20 and not zh.failed
    assert windowed == full           # every counter, requests and characters included
    assert files == full_files        # byte for byte
    assert texts == full_texts        # the very same batches
    assert requests == full_requests == full.requests
    assert full.files_written == [f"locales/zh/{slug}.po" for slug in "abcdefg"]
    # The progress total is known from the first event and every entry is counted once.
    total = zh.drafts      # rejected entries are not to settle; nothing failed
    assert [e.total for e in events] == [total] * total == [e.total for e in full_events]
    assert [e.done for e in events] == list(range(1, total + 1))


def test_dry_run_counts_are_the_same_in_windows(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    counts = []
    for name, size in (("all", 10_000), ("windowed", 1)):
        monkeypatch.setattr(draft, "WINDOW_CATALOGS", size)
        project = windowed_workspace(tmp_path / name)
        before = catalog_bytes(project)
        with running(mode="honest") as server:
            report = translate_workspace(project, engine_name="libre", engine_url=server.url,
                                         dry_run=True)
            assert server.translate_requests == 0
        assert catalog_bytes(project) == before and report.files_written == []
        zh = report.languages["zh"]
        counts.append((zh.would_send, zh.would_send_chars, zh.from_memory, zh.from_cache,
                       zh.copied, zh.left_for_review))
    # Distinct texts only: the five shared sentences count once although four catalogs hold them.
    engine_texts = set(MSGIDS[1:8]) | set(SHARED) | {"Only in c, about PyTorch."} \
        | {f"Distinct line {n} at FAIR." for n in range(13)}
    assert counts[0] == counts[1]
    assert counts[0][0] == len(engine_texts)
    assert counts[0][2:] == (2, 1, 1, 1)


def test_texts_shared_across_windows_are_sent_once(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draft, "WINDOW_CATALOGS", 1)
    project = make_workspace(tmp_path / "ws", {slug: SHARED for slug in "pqrst"})
    with running(mode="honest") as server:
        report = translate_workspace(project, engine_name="libre", engine_url=server.url)
        assert report.requests == server.translate_requests == 1
        assert sorted(sent_pieces(server)) == sorted(re.sub(r"\{\d+\}", "{}", s) for s in
                                                     [protect(t, "zh", source_language="en",
                                                              glossary=glossary_of(project)).text
                                                      for t in SHARED])
    zh = report.languages["zh"]
    assert (zh.from_engine, zh.from_cache) == (25, 0)   # one answer drafts all five catalogs
    assert len({p.read_bytes() for p in (project.locales_dir / "zh").glob("*.po")}) == 5
    for slug in "pqrst":
        assert assert_sound(project, slug) == 5


def test_a_dead_server_stops_the_first_window_and_keeps_every_catalog_valid(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draft, "WINDOW_CATALOGS", 1)
    slugs = "uvwxyz"
    project = make_workspace(tmp_path / "ws", {
        slug: [f"Line {n} of {slug} about Jia Yangqing." for n in range(10)] for slug in slugs})
    (project.root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_language = "en"\nlanguages = ["en", "zh"]\nconcurrency = 1\n',
        encoding="utf-8")
    project = Project.load(project.root)
    opened: list[str] = []
    on_every_read(monkeypatch, lambda path, catalog: opened.append(path.stem))
    with running(mode="honest") as server:
        server.die_after = 2
        started = time.monotonic()
        with pytest.raises(EngineError, match="unreachable"):
            translate_workspace(project, engine_name="libre", engine_url=server.url,
                                backoff=0.01)
        assert time.monotonic() - started < 10
    # Every catalog read to find the work, again for the memory, then only the first few
    # opened for drafts.
    assert opened[:2 * len(slugs)] == list(slugs) * 2
    assert len(opened) - 2 * len(slugs) <= 3
    drafts = {slug: assert_sound(project, slug) for slug in slugs}   # msgfmt -c on each
    assert sum(drafts.values()) == 2 * 8          # two batches of eight came back
    assert drafts["u"] == 10 and drafts["y"] == drafts["z"] == 0


def test_unreachable_server_on_many_catalogs_fails_before_opening_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draft, "WINDOW_CATALOGS", 2)
    project = make_workspace(tmp_path / "ws", {f"n{i:02}": [f"Text {i} {n}." for n in range(5)]
                                              for i in range(30)})
    opened: list[str] = []
    on_every_read(monkeypatch, lambda path, catalog: opened.append(path.stem))
    with running() as server:
        url = server.url
    with pytest.raises(EngineError, match="unreachable"):
        translate_workspace(project, engine_name="libre", engine_url=url, backoff=0.01)
    assert len(opened) - 2 * 30 <= 4      # the survey and the memory, then the first window
    for i in range(30):
        msgfmt_check(project.catalog_path("zh", f"n{i:02}"))


def on_every_read(monkeypatch: pytest.MonkeyPatch,
                  seen: Callable[[Path, polib.POFile], object]) -> None:
    """Call ``seen(path, catalog)`` for every catalog translate reads, whichever way it reads."""
    real_read, real_read_seen = draft.read_catalog, draft.read_catalog_seen

    def read(path: Path, display: str | None = None) -> polib.POFile:
        catalog = real_read(path, display)
        seen(path, catalog)
        return catalog

    def read_seen(path: Path, display: str | None = None) -> tuple[polib.POFile, str]:
        catalog, digest = real_read_seen(path, display)
        seen(path, catalog)
        return catalog, digest

    monkeypatch.setattr(draft, "read_catalog", read)
    monkeypatch.setattr(draft, "read_catalog_seen", read_seen)


class HeldCatalogs:
    """How many catalogs translate reads, and the most it holds in memory at once (read and not
    yet collected), seen at each progress event."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.alive: list[weakref.ref[polib.POFile]] = []
        self.most = 0
        on_every_read(monkeypatch, lambda path, catalog: self.alive.append(weakref.ref(catalog)))

    @property
    def read(self) -> int:
        return len(self.alive)

    def watch(self, event: DraftProgress) -> None:
        self.most = max(self.most, sum(ref() is not None for ref in self.alive))


def test_open_catalogs_stay_within_the_window(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draft, "WINDOW_CATALOGS", 2)
    project = make_workspace(tmp_path / "ws", {f"m{i:02}": [f"Phrase {i} {n} about FAIR."
                                                            for n in range(9)]
                                              for i in range(12)})
    held = HeldCatalogs(monkeypatch)
    with running(mode="honest") as server:
        report = translate_workspace(project, engine_name="libre", engine_url=server.url,
                                     progress=held.watch)
    assert report.languages["zh"].from_engine == 12 * 9
    # Read to find the work, for the memory, then for drafting; in memory at once: the window,
    # and one opened to fill a batch.
    assert held.read == 3 * 12 and 2 <= held.most <= 3


def test_a_finished_workspace_is_read_once_and_kept_nowhere(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    texts = {f"k{i}": [f"Finished line {i} {n}." for n in range(4)] for i in range(6)}
    project = make_workspace(tmp_path / "ws", texts,
                             {slug: {t: f"完成 {t}" for t in lines} for slug, lines in texts.items()})
    opened: list[str] = []
    on_every_read(monkeypatch, lambda path, catalog: opened.append(path.stem))
    report = translate_workspace(project, engine_name="pseudo")
    assert report.languages["zh"].drafts == 0 and report.files_written == []
    assert opened == list(texts)        # no second reading: nothing to recall for


def test_catalogs_sharing_their_texts_do_not_all_open_to_fill_a_batch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A footer added to every article: each catalog waits only for texts already asked for, so
    # opening more of them never fills the batch; past the window the batch goes as it is.
    monkeypatch.setattr(draft, "WINDOW_CATALOGS", 2)
    footer = ["Follow FAIR for more.", "Written with PyTorch."]
    project = make_workspace(tmp_path / "ws", {f"s{i:02}": footer for i in range(40)})
    held = HeldCatalogs(monkeypatch)
    with running(mode="honest") as server:
        report = translate_workspace(project, engine_name="libre", engine_url=server.url,
                                     progress=held.watch)
        assert server.translate_requests == 1       # the batch, then the cache for the rest
    assert report.languages["zh"].from_engine == 40 * 2
    assert 2 <= held.most <= 2 + BATCH_MEMBERS
