"""Articles that swap names or are renamed onto another's name: each catalog starts from the one
that held its article's text, so every translation and its review state go with the text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polib
import pytest
from conftest import msgcat, msgfmt_check
from typer.testing import CliRunner

from l10n import moves
from l10n import update as update_module
from l10n.catalog import says_the_same
from l10n.cli import app
from l10n.pofile import format_catalog, parse_catalog
from l10n.project import Project

runner = CliRunner()

ALPHA = """\
# Alpha rises

The first paragraph tells how Alpha began in a small workshop by the river.

- Alpha ran on steam.
- Alpha moved to electricity.

Its legacy lives on in the people who built it and the towns it connected.
"""

BETA = """\
# Beta and the harbour

Beta was a ferry company that grew from one boat into a fleet of twelve.

- Beta crossed the bay twice a day.
- Beta carried mail before passengers.

The last ferry sailed in the spring, and the harbour kept its name.
"""

Row = tuple[str, str, bool]   # msgid, msgstr, fuzzy


def run(root: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["--root", str(root), *args])
    assert result.exit_code == code, result.output
    return result.output


def swap(source: Path, one: str, other: str) -> None:
    (source / one).rename(source / "swapping.md")
    (source / other).rename(source / one)
    (source / "swapping.md").rename(source / other)


def workspace(tmp_path: Path, articles: dict[str, str]) -> Path:
    root = tmp_path / "site"
    run(root, "init")
    config = root / "pyproject.toml"
    config.write_text(config.read_text().replace('languages = ["en", "zh"]',
                                                 'languages = ["en", "zh", "fr"]'))
    for name, text in articles.items():
        (root / "source" / name).write_text(text, encoding="utf-8")
    run(root, "extract")
    run(root, "update")
    return root


def translate(po_path: Path, tag: str, *, fuzzy: int = -1, untranslated: int = -1) -> list[Row]:
    """Translate every entry (``tag`` + msgid), entry number ``fuzzy`` left a draft under
    review and number ``untranslated`` left empty; the catalog's live entries afterwards."""
    catalog = polib.pofile(str(po_path))
    for number, entry in enumerate(catalog):
        entry.msgstr = "" if number == untranslated else f"{tag}{entry.msgid}"
        entry.flags = ["fuzzy"] if number == fuzzy else []
    catalog.save()
    return rows(po_path)


def rows(po_path: Path) -> list[Row]:
    return [(e.msgid, e.msgstr, e.fuzzy) for e in polib.pofile(str(po_path)) if not e.obsolete]


def obsolete(po_path: Path) -> list[Row]:
    return [(e.msgid, e.msgstr, e.fuzzy) for e in polib.pofile(str(po_path)) if e.obsolete]


def well_formed(po_path: Path) -> None:
    msgfmt_check(po_path)
    assert msgcat(po_path) == po_path.read_bytes()


def test_two_articles_that_swap_names_keep_every_translation_and_its_review(
        tmp_path: Path) -> None:
    root = workspace(tmp_path, {"a.md": ALPHA, "b.md": BETA})
    zh, fr = root / "locales" / "zh", root / "locales" / "fr"
    alpha_zh = translate(zh / "a.po", "甲：", fuzzy=2)
    beta_zh = translate(zh / "b.po", "乙：", untranslated=1)
    alpha_fr = translate(fr / "a.po", "A : ", fuzzy=0, untranslated=3)
    beta_fr = rows(fr / "b.po")                  # French Beta: not started at all
    swap(root / "source", "a.md", "b.md")
    run(root, "extract")
    before = {path: path.read_bytes() for path in (root / "locales").rglob("*.po")}
    checked = run(root, "update", "--check", code=1)
    assert "out of date: locales/zh/a.po" in checked and "started from" not in checked
    assert {path: path.read_bytes() for path in (root / "locales").rglob("*.po")} == before
    output = run(root, "update")
    for language in ("zh", "fr"):
        for new, old in (("a", "b"), ("b", "a")):
            assert (f"locales/{language}/{new}.po: started from locales/{language}/{old}.po, "
                    "which held its article's text (articles renamed or swapped?)") in output
    assert rows(zh / "a.po") == beta_zh and rows(zh / "b.po") == alpha_zh
    assert rows(fr / "a.po") == beta_fr and rows(fr / "b.po") == alpha_fr
    # Nothing turned into a suggestion or an obsolete entry: each catalog went whole.
    for po_path in (zh / "a.po", zh / "b.po", fr / "a.po", fr / "b.po"):
        assert obsolete(po_path) == []
        assert not any(e.previous_msgid for e in polib.pofile(str(po_path)))
        well_formed(po_path)
    heading = polib.pofile(str(zh / "a.po")).find("Beta and the harbour")
    assert heading.occurrences == [("source/a.md", "1")]
    again = run(root, "update")
    assert "started from" not in again and "update: 0 written, 4 unchanged" in again


def test_an_article_renamed_onto_a_deleted_articles_name_takes_its_own_catalog(
        tmp_path: Path) -> None:
    root = workspace(tmp_path, {"a.md": ALPHA, "b.md": BETA})
    zh = root / "locales" / "zh"
    alpha = translate(zh / "a.po", "甲：", fuzzy=1)
    beta = translate(zh / "b.po", "乙：", fuzzy=3, untranslated=0)
    beta_bytes = (zh / "b.po").read_bytes()
    (root / "source" / "a.md").unlink()
    (root / "source" / "b.md").rename(root / "source" / "a.md")
    run(root, "extract")
    output = run(root, "update")
    assert ("locales/zh/a.po: started from locales/zh/b.po, whose article is gone (moved or "
            "renamed?)") in output
    assert rows(zh / "a.po") == beta
    # Alpha's work stays in a.po as obsolete entries, as an ordinary update would keep it.
    assert obsolete(zh / "a.po") == alpha
    assert (zh / "b.po").read_bytes() == beta_bytes      # a translator's file is never touched
    well_formed(zh / "a.po")


def test_a_chain_of_renames_takes_each_catalog_to_its_text(tmp_path: Path) -> None:
    # a.md becomes c.md (a new name) and b.md takes a.md's: c.po starts from a.po, which held
    # Alpha before this run, and a.po from b.po, whose article is gone.
    root = workspace(tmp_path, {"a.md": ALPHA, "b.md": BETA})
    zh = root / "locales" / "zh"
    alpha = translate(zh / "a.po", "甲：", fuzzy=1)
    beta = translate(zh / "b.po", "乙：", untranslated=2)
    (root / "source" / "a.md").rename(root / "source" / "c.md")
    (root / "source" / "b.md").rename(root / "source" / "a.md")
    run(root, "extract")
    output = run(root, "update")
    assert ("locales/zh/c.po: started from locales/zh/a.po, which held its article's text "
            "(articles renamed or swapped?)") in output
    assert ("locales/zh/a.po: started from locales/zh/b.po, whose article is gone (moved or "
            "renamed?)") in output
    assert rows(zh / "c.po") == alpha and rows(zh / "a.po") == beta
    assert obsolete(zh / "a.po") == []      # Alpha's work went to c.po: no second copy
    for po_path in (zh / "a.po", zh / "c.po"):
        well_formed(po_path)
    assert "started from" not in run(root, "update")


def test_a_rewritten_article_no_other_catalog_holds_is_merged_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(tmp_path, {"a.md": ALPHA, "b.md": BETA})
    zh = root / "locales" / "zh"
    translate(zh / "a.po", "甲：")
    rewritten = ALPHA.replace("a small workshop by the river", "a small workshop by the sea")
    rewritten = rewritten.replace("# Alpha rises", "# Alpha rose quickly").replace(
        "- Alpha ran on steam.\n- Alpha moved to electricity.\n", "")
    (root / "source" / "a.md").write_text(rewritten, encoding="utf-8")
    run(root, "extract")
    assert "started from" not in run(root, "update")
    catalog = polib.pofile(str(zh / "a.po"))
    changed = catalog.find("The first paragraph tells how Alpha began in a small workshop by "
                           "the sea.")
    assert changed.fuzzy and changed.msgstr.startswith("甲：") and changed.previous_msgid
    assert {e.msgid for e in catalog if e.obsolete} == {"Alpha ran on steam.",
                                                        "Alpha moved to electricity."}
    # An ordinary edit never costs a look at the workspace's other catalogs.
    def refuse(*args: object) -> object:
        raise AssertionError("looked for another catalog")

    monkeypatch.setattr(update_module, "strayed_starts", refuse)
    (root / "source" / "b.md").write_text(BETA.replace("twelve", "thirteen"), encoding="utf-8")
    run(root, "extract")
    run(root, "update")
    assert polib.pofile(str(zh / "b.po")).find("Beta crossed the bay twice a day.") is not None


def test_a_copy_of_an_article_still_in_place_does_not_take_its_catalog(tmp_path: Path) -> None:
    # Only a catalog whose article is gone or changed is a move's start: a copy kept beside its
    # original starts empty (translate drafts it from memory, for review in its new place).
    root = workspace(tmp_path, {"a.md": ALPHA})
    zh = root / "locales" / "zh"
    alpha = translate(zh / "a.po", "甲：")
    alpha_bytes = (zh / "a.po").read_bytes()
    (root / "source" / "copy.md").write_text(ALPHA + "\nOne more paragraph for the copy.\n",
                                             encoding="utf-8")
    run(root, "extract")
    assert "started from" not in run(root, "update")
    assert all(msgstr == "" for _, msgstr, _ in rows(zh / "copy.po"))
    assert (zh / "a.po").read_bytes() == alpha_bytes and rows(zh / "a.po") == alpha


def test_a_copy_made_during_a_swap_starts_empty_and_the_swap_still_goes_whole(
        tmp_path: Path) -> None:
    root = workspace(tmp_path, {"a.md": ALPHA, "b.md": BETA})
    zh = root / "locales" / "zh"
    alpha, beta = translate(zh / "a.po", "甲："), translate(zh / "b.po", "乙：")
    swap(root / "source", "a.md", "b.md")
    # Alpha's text inside a longer new article (so no catalog holds half of it): a catalog made
    # (empty) by this run that holds all of Alpha's msgids and sorts before a.po, so it would
    # win a tie with the catalog that holds Alpha's work were it a candidate.
    longer = ALPHA + "".join(f"\nA new paragraph, number {n}, that only the longer article has, "
                             "about the river, the workshop and the people around them.\n"
                             for n in range(4))
    (root / "source" / "a-copy.md").write_text(longer, encoding="utf-8")
    run(root, "extract")
    output = run(root, "update")
    assert "locales/zh/a-copy.po: started from" not in output
    assert rows(zh / "a.po") == beta and rows(zh / "b.po") == alpha
    assert all(msgstr == "" for _, msgstr, _ in rows(zh / "a-copy.po"))


def test_a_swap_among_many_articles_reads_every_catalog_before_any_is_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Enough articles that the merges run in worker processes (parallel.MIN_ITEMS).
    monkeypatch.setenv("L10N_JOBS", "2")
    others = {f"n{number:02}.md": f"# Note {number}\n\nParagraph number {number} of notes.\n"
              for number in range(70)}
    root = workspace(tmp_path, {"a.md": ALPHA, "b.md": BETA, **others})
    zh = root / "locales" / "zh"
    alpha, beta = translate(zh / "a.po", "甲："), translate(zh / "b.po", "乙：", fuzzy=0)
    swap(root / "source", "a.md", "b.md")
    run(root, "extract")
    (root / ".l10n" / "state.json").unlink()     # every catalog due: the merges fan out
    run(root, "update")
    assert rows(zh / "a.po") == beta and rows(zh / "b.po") == alpha


def test_comparing_with_the_catalog_on_disk_leaves_it_as_it_was() -> None:
    entry = '\n#. paragraph\nmsgid "a"\nmsgstr "甲"\n'
    language, charset = '"Language: zh\\n"\n', '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    previous = parse_catalog(f'msgid ""\nmsgstr ""\n{language}{charset}{entry}', "zh.po")
    merged = parse_catalog(f'msgid ""\nmsgstr ""\n{charset}{language}{entry}', "zh.po")
    order = list(previous.metadata)
    assert order == ["Language", "Content-Type"] and list(merged.metadata) != order
    assert says_the_same(merged, previous, format_catalog(merged))
    assert list(previous.metadata) == order              # the caller's catalog is untouched
    previous.find("a").msgstr = "乙"
    assert not says_the_same(merged, previous, format_catalog(merged))


# -- work saved into the old catalog after the move ---------------------------------------

FIRST = "The first paragraph tells how Alpha began in a small workshop by the river."
LEGACY = "Its legacy lives on in the people who built it and the towns it connected."


def edit(po_path: Path, changes: dict[str, tuple[str, bool]], *, note: str = "") -> None:
    """Give each msgid of ``changes`` its (msgstr, fuzzy), with the extracted ``note`` added."""
    catalog = polib.pofile(str(po_path))
    for msgid, (msgstr, fuzzy) in changes.items():
        entry = catalog.find(msgid)
        entry.msgstr, entry.flags = msgstr, ["fuzzy"] if fuzzy else []
        if note:
            entry.comment = f"{entry.comment}\n{note}"
    catalog.save()


def moved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace whose a.md (translated into zh, one draft, one entry left empty; French not
    started) moved to news/a.md, and was updated once."""
    root = workspace(tmp_path, {"a.md": ALPHA, "b.md": BETA})
    translate(root / "locales" / "zh" / "a.po", "甲：", fuzzy=2, untranslated=3)
    (root / "source" / "news").mkdir()
    (root / "source" / "a.md").rename(root / "source" / "news" / "a.md")
    run(root, "extract")
    matched: list[str] = []   # whose text was looked for in other catalogs
    best_starts = moves.best_starts

    def recording(project: Project, language: str, wanted: dict[str, set[str]],
                  candidates: Sequence[Path]) -> dict[str, Path]:
        matched.extend(wanted)
        return best_starts(project, language, wanted, candidates)

    with monkeypatch.context() as patch:
        patch.setattr(moves, "best_starts", recording)
        output = run(root, "update")
    assert "locales/zh/news/a.po: started from locales/zh/a.po" in output and "took" not in output
    # The orphans the new catalogs just started from are not matched again.
    assert matched == ["news/a", "news/a"]
    return root


def test_work_approved_in_the_old_catalog_after_a_move_reaches_the_new_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = moved(tmp_path, monkeypatch)
    zh, fr = root / "locales" / "zh", root / "locales" / "fr"
    # Weblate still points at the old catalogs: there a translator approves the draft, fills the
    # empty entry, rewrites an approved one, and starts French.
    edit(zh / "a.po", {"Alpha ran on steam.": ("甲：蒸汽", False),
                       "Alpha moved to electricity.": ("甲：电", False),
                       LEGACY: ("甲：改写", False)})
    edit(fr / "a.po", {"Alpha rises": ("L'essor d'Alpha", False),
                       "Alpha ran on steam.": ("À vapeur", True)})      # a draft: not taken
    # Meanwhile in the new catalog: a machine draft, and a draft a reviewer rejected.
    edit(zh / "news" / "a.po", {FIRST: ("机：first", True)},
         note="machine translation: google (0a1b2c3d)")
    edit(zh / "news" / "a.po", {"Alpha moved to electricity.": ("", False)},
         note="rejected: machine translation: google")
    for po_path in (zh / "news" / "a.po", fr / "news" / "a.po"):   # as an editor saves them
        po_path.write_bytes(msgcat(po_path))
    orphans = {po_path: po_path.read_bytes() for po_path in (zh / "a.po", fr / "a.po")}
    before = {path: path.read_bytes() for path in (root / "locales").rglob("*.po")}
    checked = run(root, "update", "--check", code=1)
    assert "out of date: locales/zh/news/a.po" in checked and "took" not in checked
    assert {path: path.read_bytes() for path in (root / "locales").rglob("*.po")} == before
    output = run(root, "update")
    assert ("locales/zh/news/a.po: took 2 approved entries from locales/zh/a.po, whose article "
            "is gone") in output.splitlines()
    assert ("locales/fr/news/a.po: took 1 approved entry from locales/fr/a.po, whose article "
            "is gone") in output.splitlines()
    assert "update: 2 written, 2 unchanged" in output
    assert rows(zh / "news" / "a.po") == [
        ("Alpha rises", "甲：Alpha rises", False),
        (FIRST, f"甲：{FIRST}", False),                  # the machine draft gave way
        ("Alpha ran on steam.", "甲：蒸汽", False),
        ("Alpha moved to electricity.", "", False),      # a reviewer's rejection stands
        (LEGACY, f"甲：{LEGACY}", False)]                 # an approved entry never changes
    first = polib.pofile(str(zh / "news" / "a.po")).find(FIRST)
    assert first.comment == "paragraph" and first.previous_msgid is None
    assert first.occurrences == [("source/news/a.md", "3")]
    assert rows(fr / "news" / "a.po")[:3] == [("Alpha rises", "L'essor d'Alpha", False),
                                              (FIRST, "", False),
                                              ("Alpha ran on steam.", "", False)]
    assert {po_path: po_path.read_bytes() for po_path in orphans} == orphans
    for po_path in (zh / "news" / "a.po", fr / "news" / "a.po"):
        well_formed(po_path)
    settled = {path: path.read_bytes() for path in (root / "locales").rglob("*.po")}
    # Orphans that did not change since cost a digest each: nothing is matched or read.
    def refuse(*args: object) -> object:
        raise AssertionError("matched an orphan that did not change")

    monkeypatch.setattr("l10n.moves.best_starts", refuse)
    again = run(root, "update")
    assert "took" not in again and "update: 0 written" in again
    assert {path: path.read_bytes() for path in (root / "locales").rglob("*.po")} == settled


def test_carrying_again_without_the_state_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = moved(tmp_path, monkeypatch)
    zh = root / "locales" / "zh"
    edit(zh / "a.po", {"Alpha ran on steam.": ("甲：蒸汽", False)})
    assert "took 1 approved entry" in run(root, "update")
    # The new catalog's translator rewrites the carried text; the old one stays as it was.
    edit(zh / "news" / "a.po", {"Alpha ran on steam.": ("甲：蒸汽机", False)})
    run(root, "update")
    settled = {path: path.read_bytes() for path in (root / "locales").rglob("*.po")}
    (root / ".l10n" / "state.json").unlink()
    output = run(root, "update")
    assert "took" not in output and "wrote" not in output
    assert {path: path.read_bytes() for path in (root / "locales").rglob("*.po")} == settled
    assert polib.pofile(str(zh / "news" / "a.po")).find("Alpha ran on steam.").msgstr == "甲：蒸汽机"


def test_an_orphan_whose_text_no_catalog_holds_gives_nothing(tmp_path: Path) -> None:
    root = workspace(tmp_path, {"a.md": ALPHA, "b.md": BETA})
    zh = root / "locales" / "zh"
    translate(zh / "a.po", "甲：")
    beta = (zh / "b.po").read_bytes()
    (root / "source" / "a.md").unlink()                 # deleted, not moved
    run(root, "extract")
    run(root, "update")
    edit(zh / "a.po", {"Alpha rises": ("甲：升起", False)})
    output = run(root, "update")
    assert "took" not in output and "wrote" not in output
    assert (zh / "b.po").read_bytes() == beta
