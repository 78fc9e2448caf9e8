"""`l10n review`: pending drafts, bulk approval, the interactive reviewer, and the whole loop."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import pty
import re
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

import polib
import pytest
from conftest import msgcat, msgfmt_check
from typer.testing import CliRunner

from l10n import review
from l10n.cli import app
from l10n.errors import CatalogError, ConfigError
from l10n.pofile import read_catalog, write_catalog
from l10n.project import Project
from l10n.review import (
    APPROVE,
    QUIT,
    REJECT,
    SKIP,
    Decision,
    Draft,
    approve,
    edit,
    pending_drafts,
    reject,
    review_workspace,
    word_diff,
)
from l10n.review_notes import fingerprint
from l10n.review_prompt import ReviewPrompt

runner = CliRunner()

PYPROJECT = """\
[tool.l10n]
source_language = "en"
languages = ["en", "zh"]
"""

GLOSSARY = """\
terms:
  - en: Tian Yuandong
    zh: 田渊栋
    forbidden:
      zh: [田远东]
  - en: FAIR
    keep: true
"""

ARTICLE = """\
# Tian Yuandong joins FAIR

Tian Yuandong studies games.

Read the [paper](https://example.com/paper).

Torch used Lua 5.1 in 2002.
"""

TITLE = "Tian Yuandong joins FAIR"
GAMES = "Tian Yuandong studies games."
PAPER = "Read the [paper](https://example.com/paper)."
TORCH = "Torch used Lua 5.1 in 2002."

# One clean draft, one that breaks the glossary (critical), one clean, one that loses a number
# (functional).
DRAFTS = {
    TITLE: "田渊栋加入 FAIR",
    GAMES: "田远东研究游戏。",
    PAPER: "阅读[论文](https://example.com/paper)。",
    TORCH: "Torch 在 2002 年使用 Lua。",
}
REVIEWER = "Ann Lee <ann@example.org>"


def run(root: Path, *args: str, code: int = 0, input: str | None = None,
        env: dict[str, str | None] | None = None) -> str:
    result = runner.invoke(app, ["--root", str(root), *args], input=input, env=env)
    assert result.exit_code == code, result.output
    return result.output


def make_workspace(tmp_path: Path, drafts: dict[str, str] | None = None) -> Path:
    """A workspace with source/x.md, its template and zh catalog, and machine drafts in it."""
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    (root / "source" / "x.md").write_text(ARTICLE, encoding="utf-8")
    run(root, "extract")
    run(root, "update")
    write_drafts(root, DRAFTS if drafts is None else drafts)
    return root


def po_path(root: Path) -> Path:
    return root / "locales" / "zh" / "x.po"


def write_drafts(root: Path, drafts: dict[str, str], note: str = "machine translation: google"
                 ) -> None:
    """What `l10n translate` leaves: fuzzy entries with a note saying where they came from."""
    catalog = read_catalog(po_path(root))
    for entry in catalog:
        if entry.msgid in drafts:
            entry.msgstr = drafts[entry.msgid]
            entry.flags = ["fuzzy"]
            entry.comment = f"{entry.comment}\n{note}"
    write_catalog(catalog, po_path(root))


def entries(root: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(po_path(root))) if not e.obsolete}


def state(root: Path) -> dict[str, str]:
    """Each entry as a reviewer sees it: approved, draft or untranslated."""
    return {msgid: ("draft" if "fuzzy" in e.flags else "approved") if e.msgstr else "untranslated"
            for msgid, e in entries(root).items()}


def header(root: Path) -> dict[str, str]:
    return polib.pofile(str(po_path(root))).metadata


def assert_canonical(path: Path) -> None:
    msgfmt_check(path)
    assert msgcat(path) == path.read_bytes()


def line_of(root: Path, msgid: str) -> int:
    """The line of the entry's ``msgid`` keyword in the PO file (what `l10n check` reports)."""
    lines = po_path(root).read_text(encoding="utf-8").split("\n")
    return lines.index(f'msgid "{msgid}"') + 1


# -- listing -------------------------------------------------------------------------------------

def test_list_prints_one_line_per_draft_with_file_and_line(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    output = run(root, "review", "--list")
    assert output.splitlines() == [
        f"locales/zh/x.po:{line_of(root, TITLE)}: Tian Yuandong joins FAIR → 田渊栋加入 FAIR",
        f"locales/zh/x.po:{line_of(root, GAMES)}: Tian Yuandong studies games. → 田远东研究游戏。",
        (f"locales/zh/x.po:{line_of(root, PAPER)}: Read the [paper](https://example.com/pa… "
        "→ 阅读[论文](https://example.com/paper)。"),
        (f"locales/zh/x.po:{line_of(root, TORCH)}: Torch used Lua 5.1 in 2002. "
        "→ Torch 在 2002 年使用 Lua。"),
    ]
    assert line_of(root, TITLE) == 22
    # An article by slug or by source path, a language: the same drafts.
    assert run(root, "review", "x", "--list") == output
    assert run(root, "review", "source/x.md", "--lang", "zh", "--list") == output
    assert run(root, "review", "--lang", "en", "--list") == ""
    # Listing writes nothing.
    assert state(root) == dict.fromkeys(DRAFTS, "draft")


def test_unknown_article_is_one_error_line(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    output = run(root, "review", "nope", "--list", code=1)
    assert output == ("error: source: no article 'nope' (name a slug such as x or a file under "
                      "the source folder)\n")


def test_json_gives_origin_glossary_hints_and_findings(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    drafts = json.loads(run(root, "review", "--json"))
    assert [d["msgid"] for d in drafts] == list(DRAFTS)
    first, games = drafts[0], drafts[1]
    assert first == {
        "path": "locales/zh/x.po", "line": 22, "language": "zh", "article": "x",
        "msgctxt": None, "msgid": TITLE, "msgstr": "田渊栋加入 FAIR",
        "origin": ["machine translation: google"],
        "glossary": ["Tian Yuandong → 田渊栋", "FAIR → FAIR (keep)"],
        "previous_msgid": None, "findings": [],
    }
    assert games["findings"] == [
        {"check": "glossary", "severity": "critical",
         "message": '"Tian Yuandong" must be 田渊栋'},
        {"check": "glossary", "severity": "critical",
         "message": '"Tian Yuandong" must not be 田远东; use 田渊栋'},
    ]
    assert drafts[3]["findings"][0]["severity"] == "functional"


def test_obsolete_and_untranslated_entries_are_not_pending(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, {TITLE: DRAFTS[TITLE], TORCH: DRAFTS[TORCH]})
    source = root / "source" / "x.md"
    source.write_text(ARTICLE.replace(f"\n{TORCH}\n", ""), encoding="utf-8")
    run(root, "extract")
    run(root, "update")
    assert f'#~ msgid "{TORCH}"' in po_path(root).read_text(encoding="utf-8")
    assert [d.msgid for d in pending_drafts(Project.load(root))] == [TITLE]


# -- bulk ----------------------------------------------------------------------------------------

def test_approve_clean_approves_clean_drafts_and_leaves_the_others(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    before = header(root)["PO-Revision-Date"]
    output = run(root, "review", "--approve-clean", "--reviewer", REVIEWER)
    games, torch = line_of(root, GAMES), line_of(root, TORCH)   # lines in the file as written
    assert output.splitlines() == [
        (f'locales/zh/x.po:{games}: left as a draft: critical: glossary: "Tian Yuandong" must be '
        "田渊栋"),
        (f'locales/zh/x.po:{games}: left as a draft: critical: glossary: "Tian Yuandong" must not '
        "be 田远东; use 田渊栋"),
        f"locales/zh/x.po:{torch}: left as a draft: functional: numbers: number 5.1 missing",
        "wrote locales/zh/x.po",
        "review: 2 approved, 0 edited, 0 rejected, 2 skipped, 0 held back",
    ]
    assert state(root) == {TITLE: "approved", GAMES: "draft", PAPER: "approved", TORCH: "draft"}
    assert entries(root)[TITLE].msgstr == "田渊栋加入 FAIR"
    # Where the draft came from stays on record.
    assert "machine translation: google" in entries(root)[TITLE].comment
    assert header(root)["Last-Translator"] == REVIEWER
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d\+0000", header(root)["PO-Revision-Date"])
    assert header(root)["PO-Revision-Date"] >= before
    assert_canonical(po_path(root))
    # Nothing clean is left: a second run changes nothing.
    written = po_path(root).read_bytes()
    output = run(root, "review", "--approve-clean", "--reviewer", "Someone Else")
    assert output.endswith("review: 0 approved, 0 edited, 0 rejected, 2 skipped, 0 held back\n")
    assert "wrote" not in output
    assert po_path(root).read_bytes() == written


def test_approve_all_holds_back_critical_drafts_without_force(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    output = run(root, "review", "--approve-all", "--reviewer", REVIEWER, code=1)
    games = line_of(root, GAMES)
    assert output.splitlines() == [
        f'locales/zh/x.po:{games}: held back: critical: glossary: "Tian Yuandong" must be 田渊栋',
        (f'locales/zh/x.po:{games}: held back: critical: glossary: "Tian Yuandong" must not be '
        "田远东; use 田渊栋"),
        "wrote locales/zh/x.po",
        "review: 3 approved, 0 edited, 0 rejected, 0 skipped, 1 held back",
    ]
    assert state(root) == {TITLE: "approved", GAMES: "draft", PAPER: "approved",
                           TORCH: "approved"}
    assert_canonical(po_path(root))
    output = run(root, "review", "--approve-all", "--force", "--reviewer", REVIEWER)
    assert output.splitlines() == [
        "wrote locales/zh/x.po",
        "review: 1 approved, 0 edited, 0 rejected, 0 skipped, 0 held back",
    ]
    assert set(state(root).values()) == {"approved"}
    assert_canonical(po_path(root))


def test_bulk_options_exclude_each_other(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    output = run(root, "review", "--approve-all", "--list", code=1)
    assert "choose one of --approve-all, --approve-clean, --list/--json" in output
    assert state(root) == dict.fromkeys(DRAFTS, "draft")


def test_approving_a_changed_paragraph_clears_the_previous_msgid(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "review", "--approve-all", "--force", "--reviewer", REVIEWER)
    changed = "Torch used Lua 5.1 in early 2002."
    source = root / "source" / "x.md"
    source.write_text(ARTICLE.replace(TORCH, changed), encoding="utf-8")
    run(root, "extract")
    run(root, "update")
    assert f'#| msgid "{TORCH}"' in po_path(root).read_text(encoding="utf-8")
    output = run(root, "review", "--reviewer", REVIEWER, input="a\n")
    assert "changed:  Torch used Lua 5.1 in {+early +}2002.\n" in output
    assert "approved locales/zh/x.po:" in output
    assert entries(root)[changed].previous_msgid is None
    assert "#|" not in po_path(root).read_text(encoding="utf-8")
    assert state(root)[changed] == "approved"
    assert_canonical(po_path(root))


# -- interactive -------------------------------------------------------------------------------

def test_interactive_review_approves_skips_rejects_and_quits(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    output = run(root, "review", "--reviewer", REVIEWER, input="a\ns\nr\nq\n")
    # The first draft, as the reviewer sees it.
    assert ("── locales/zh/x.po:22 (zh)\n"
            "source:   Tian Yuandong joins FAIR\n"
            "draft:    田渊栋加入 FAIR\n"
            "from:     machine translation: google\n"
            "glossary: Tian Yuandong → 田渊栋\n"
            "glossary: FAIR → FAIR (keep)\n") in output
    assert ('check:    critical: glossary: "Tian Yuandong" must be 田渊栋\n') in output
    assert output.endswith("review: 1 approved, 0 edited, 1 rejected, 1 skipped, 0 held back\n")
    assert state(root) == {TITLE: "approved", GAMES: "draft", PAPER: "untranslated",
                           TORCH: "draft"}
    rejected = entries(root)[PAPER]
    assert "fuzzy" not in rejected.flags
    notes = rejected.comment.splitlines()
    assert "machine translation: google" not in notes       # no longer a draft's origin...
    assert "rejected: machine translation: google" in notes  # ...but remembered as refused
    assert header(root)["Last-Translator"] == REVIEWER
    assert_canonical(po_path(root))


def test_in_a_terminal_one_key_decides(tmp_path: Path) -> None:
    """In a real (pseudo-)terminal each decision is a single key press, no Enter."""
    root = make_workspace(tmp_path)
    master, slave = pty.openpty()
    command = [sys.executable, "-c", "from l10n.cli import main; main()", "--root", str(root),
               "review", "--reviewer", REVIEWER]
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    output = b""

    def pump(seconds: float) -> None:
        nonlocal output
        if select.select([master], [], [], seconds)[0]:
            try:
                output += os.read(master, 4096)
            except OSError:     # the other side closed
                pass

    try:
        for count, key in enumerate([b"a", b"s", b"q"], 1):
            # Press the key once the prompt is up and the terminal is in raw mode (entering raw
            # mode flushes keys typed ahead).
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not (
                    output.count(b"[q]uit? ") >= count
                    and not termios.tcgetattr(master)[3] & termios.ICANON):
                pump(0.05)
            os.write(master, key)
        assert process.wait(30) == 0
        pump(0.5)
    finally:
        process.kill()
        os.close(master)
    text = output.decode("utf-8", "replace")
    assert "approved locales/zh/x.po:22" in text
    assert "review: 1 approved, 0 edited, 0 rejected, 1 skipped, 0 held back" in text
    assert state(root) == {TITLE: "approved", GAMES: "draft", PAPER: "draft", TORCH: "draft"}


def test_each_decision_is_on_disk_before_the_next_draft_is_shown(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    seen: list[dict[str, str]] = []
    decisions = iter([APPROVE, SKIP, REJECT, APPROVE])

    def decide(draft: Draft) -> Decision:
        seen.append(state(root))
        assert draft.line == line_of(root, draft.msgid)     # lines follow the saved file
        return next(decisions)

    report = review_workspace(Project.load(root), decide=decide, reviewer=REVIEWER)
    assert seen == [
        dict.fromkeys(DRAFTS, "draft"),
        {TITLE: "approved", GAMES: "draft", PAPER: "draft", TORCH: "draft"},
        {TITLE: "approved", GAMES: "draft", PAPER: "draft", TORCH: "draft"},
        {TITLE: "approved", GAMES: "draft", PAPER: "untranslated", TORCH: "draft"},
    ]
    assert [o.result for o in report.outcomes] == ["approved", "skipped", "rejected", "approved"]
    assert state(root)[TORCH] == "approved"


def test_a_catalog_saved_elsewhere_during_review_is_not_written_over(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    shown: list[str] = []

    def decide(draft: Draft) -> Decision:
        shown.append(draft.msgid)
        if len(shown) == 2:   # meanwhile a translator saves the catalog in an editor
            catalog = read_catalog(po_path(root))
            catalog.find(TORCH).msgstr = "译者自己的译文"
            catalog.find(TORCH).flags = []
            write_catalog(catalog, po_path(root))
        return APPROVE

    report = review_workspace(Project.load(root), decide=decide, reviewer=REVIEWER)
    assert [str(changed) for changed in report.changed] == [
        ("locales/zh/x.po: changed on disk while l10n had it open; not written over (its "
        "decisions saved before stand; run `l10n review` again for the rest)")]
    # GAMES is held (critical): nothing to save; the save after approving PAPER is refused,
    # and the catalog's other drafts are not offered.
    assert shown == [TITLE, GAMES, PAPER]
    assert [(o.draft.msgid, o.result) for o in report.outcomes] == [(TITLE, "approved")]
    assert entries(root)[TORCH].msgstr == "译者自己的译文"      # the editor's save stands
    assert state(root)[TITLE] == "approved"                    # so does the decision before
    assert state(root)[PAPER] == "draft"                       # the refused one is not saved
    msgfmt_check(po_path(root))


def test_bulk_approval_goes_on_past_a_catalog_saved_elsewhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_workspace(tmp_path)
    (root / "source" / "y.md").write_text(ARTICLE.replace("games", "chess"), encoding="utf-8")
    run(root, "extract")
    run(root, "update")
    y_po = root / "locales" / "zh" / "y.po"
    catalog = read_catalog(y_po)
    for entry in catalog:
        if entry.msgid == TITLE:
            entry.msgstr, entry.flags = "田渊栋加入 FAIR", ["fuzzy"]
    write_catalog(catalog, y_po)
    real_format = review.format_catalog

    def format_while_an_editor_saves(catalog: polib.POFile) -> str:
        if catalog.fpath == str(po_path(root)):   # x.po: the editor saves just before l10n
            po_path(root).write_text(po_path(root).read_text(encoding="utf-8") + "\n",
                                     encoding="utf-8")
        return real_format(catalog)

    monkeypatch.setattr(review, "format_catalog", format_while_an_editor_saves)
    before = po_path(root).read_bytes()
    result = runner.invoke(app, ["--root", str(root), "review", "--approve-clean"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["wrote locales/zh/y.po",
                                          ("review: 1 approved, 0 edited, 0 rejected, 0 skipped, "
                                          "0 held back")]
    assert result.stderr == (
        "error: locales/zh/x.po: changed on disk while l10n had it open; not written over (its "
        "decisions saved before stand; run `l10n review` again for the rest)\n")
    assert po_path(root).read_bytes() == before + b"\n"       # the editor's save stands
    assert {e.msgid: e.flags for e in read_catalog(y_po)}[TITLE] == []   # y.po went on


def test_ctrl_c_keeps_every_decision_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    root = make_workspace(tmp_path)
    keys = iter(["a", "r"])

    def key(self: ReviewPrompt) -> str:
        try:
            return next(keys)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(ReviewPrompt, "key", key)
    output = run(root, "review", "--reviewer", REVIEWER, code=130)
    assert output.endswith("interrupted: every file written so far is complete; rerun to "
                           "resume\n")
    assert state(root) == {TITLE: "approved", GAMES: "untranslated", PAPER: "draft",
                           TORCH: "draft"}
    assert_canonical(po_path(root))


def test_end_of_input_quits_and_keeps_what_was_decided(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    output = run(root, "review", "--reviewer", REVIEWER, input="a\n")
    assert output.endswith("review: 1 approved, 0 edited, 0 rejected, 0 skipped, 0 held back\n")
    assert state(root)[TITLE] == "approved"


def test_approving_a_critical_draft_asks_again(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    output = run(root, "review", "--reviewer", REVIEWER, input="s\na\ns\nq\n")
    assert "a critical finding blocks approval: edit the draft, or rerun with --force" in output
    assert state(root)[GAMES] == "draft"
    run(root, "review", "--reviewer", REVIEWER, "--force", input="s\na\nq\n")
    assert state(root)[GAMES] == "approved"


def editor_script(tmp_path: Path, text: str) -> str:
    """An $EDITOR that replaces the file it is given with ``text`` and a newline."""
    script = tmp_path / "editor.py"
    script.write_text(f"import sys\nopen(sys.argv[1], 'w', encoding='utf-8').write({text!r} "
                      "+ '\\n')\n", encoding="utf-8")
    return f"{sys.executable} {script}"


def test_edit_opens_the_editor_on_the_draft_and_approves_the_result(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    editor = editor_script(tmp_path, "田渊栋研究游戏。")
    shown = line_of(root, GAMES)
    output = run(root, "review", "--reviewer", REVIEWER, input="s\ne\nq\n",
                 env={"EDITOR": editor, "VISUAL": None})
    assert f"edited locales/zh/x.po:{shown}" in output
    fixed = entries(root)[GAMES]
    assert fixed.msgstr == "田渊栋研究游戏。" and "fuzzy" not in fixed.flags
    assert "machine translation" not in fixed.comment     # the reviewer's words now
    assert state(root) == {TITLE: "draft", GAMES: "approved", PAPER: "draft", TORCH: "draft"}
    assert_canonical(po_path(root))


def test_an_edit_that_still_fails_a_critical_check_is_kept_as_the_draft(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    editor = editor_script(tmp_path, "田远东玩游戏。")
    output = run(root, "review", "--reviewer", REVIEWER, input="s\ne\ns\nq\n",
                 env={"EDITOR": editor, "VISUAL": None}, code=1)
    assert 'held back: critical: glossary: "Tian Yuandong" must be 田渊栋' in output
    # Offered again with the reviewer's text, then skipped.
    assert "draft:    田远东玩游戏。\n" in output
    assert entries(root)[GAMES].msgstr == "田远东玩游戏。"
    assert state(root)[GAMES] == "draft"
    assert_canonical(po_path(root))


def test_edit_without_an_editor_prompts_inline(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "review", "--reviewer", REVIEWER, input="e\n田渊栋加入 FAIR 实验室\nq\n",
        env={"EDITOR": None, "VISUAL": None})
    assert entries(root)[TITLE].msgstr == "田渊栋加入 FAIR 实验室"
    assert state(root)[TITLE] == "approved"


# -- the reviewer's name ---------------------------------------------------------------------

def test_reviewer_defaults_to_git_config_then_the_login_name(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Bo Chen\n\temail = bo@example.org\n", encoding="utf-8")
    git_env: dict[str, str | None] = {"GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1"}
    run(root, "review", input="a\nq\n", env=git_env)
    assert header(root)["Last-Translator"] == "Bo Chen <bo@example.org>"
    no_git: dict[str, str | None] = {"GIT_CONFIG_GLOBAL": str(tmp_path / "none"),
                                     "GIT_CONFIG_NOSYSTEM": "1"}
    run(root, "review", "--approve-clean", env=no_git)
    assert header(root)["Last-Translator"] == getpass.getuser()


def test_a_git_user_name_on_two_lines_is_refused_before_anything_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A line break in Last-Translator would end the header field and start another.
    root = make_workspace(tmp_path)
    before = po_path(root).read_bytes()
    config = tmp_path / "gitconfig"
    config.write_text('[user]\n\tname = "Bo\\nChen"\n', encoding="utf-8")
    git_env: dict[str, str | None] = {"GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1"}
    result = runner.invoke(app, ["--root", str(root), "review", "--approve-clean"], env=git_env)
    assert result.exit_code == 1, result.output
    assert result.stderr == ("error: git config user.name 'Bo\\nChen' contains a line break or a "
                             "control character, which cannot go into the PO header's "
                             "Last-Translator (correct it with `git config user.name`, or pass "
                             "--reviewer)\n")
    assert po_path(root).read_bytes() == before
    # --reviewer stands in for it.
    run(root, "review", "--approve-clean", "--reviewer", REVIEWER, env=git_env)
    assert header(root)["Last-Translator"] == REVIEWER
    # The library's default says the same, for the email too.
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    with pytest.raises(ConfigError, match=r"^git config user.name 'Bo\\nChen' contains"):
        review.default_reviewer(root)
    config.write_text('[user]\n\tname = Bo Chen\n\temail = "bo@\\texample.org"\n',
                      encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^git config user.email 'bo@\\texample.org' contains"):
        review.default_reviewer(root)


@pytest.mark.parametrize("reviewer", ["Ann\nLee", "Ann Lee\r", "Ann\u2028Lee", "Ann\u2029Lee",
                                      "Ann\x00Lee", "Ann\x85Lee"])
def test_the_library_refuses_a_reviewer_that_would_break_the_header(tmp_path: Path,
                                                                    reviewer: str) -> None:
    root = make_workspace(tmp_path)
    before = po_path(root).read_bytes()
    project = Project.load(root)
    title = pending_drafts(project)[0]
    message = (f"^reviewer {re.escape(repr(reviewer))} contains a line break or a control "
               "character")
    with pytest.raises(ConfigError, match=message) as caught:
        review.approve_drafts(project, reviewer=reviewer)
    assert "\n" not in str(caught.value) and caught.value.exit_code == 1
    with pytest.raises(ConfigError, match=message):
        approve(project, title, reviewer=reviewer)
    with pytest.raises(ConfigError, match=message):
        review_workspace(project, decide=lambda d: APPROVE, reviewer=reviewer)
    assert po_path(root).read_bytes() == before
    # Spaces of other kinds are names like any other.
    assert approve(project, title, reviewer="Ann\u00a0Lee <ann@example.org>").result == "approved"


# -- the library ------------------------------------------------------------------------------

def test_single_draft_calls_save_the_catalog(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    project = Project.load(root)
    title, games, paper, torch = pending_drafts(project)
    assert games.critical and not games.clean and torch.clean is False and title.clean
    assert approve(project, games, reviewer=REVIEWER).result == "held"
    assert approve(project, title, reviewer=REVIEWER).result == "approved"
    assert reject(project, paper, reviewer=REVIEWER).result == "rejected"
    assert edit(project, torch, "Torch 在 2002 年使用 Lua 5.1。",
                reviewer=REVIEWER).result == "edited"
    assert state(root) == {TITLE: "approved", GAMES: "draft", PAPER: "untranslated",
                           TORCH: "approved"}
    assert [d.msgid for d in pending_drafts(project)] == [GAMES]
    assert review_workspace(project, decide=lambda d: QUIT, reviewer=REVIEWER).quit
    assert_canonical(po_path(root))


def test_a_draft_changed_since_it_was_listed_is_not_approved_blind(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    project = Project.load(root)
    title = pending_drafts(project)[0]
    write_drafts(root, {TITLE: "田渊栋加入 Meta"}, note="translation memory: x.po")
    with pytest.raises(CatalogError, match="changed since it was shown"):
        approve(project, title, reviewer=REVIEWER)
    assert state(root)[TITLE] == "draft"


def test_word_diff_marks_removed_and_added_words() -> None:
    assert word_diff("It ran on Lua.", "It ran on Lua and C.") == "It ran on Lua{+ and C+}."
    assert word_diff("a big cat", "a small cat") == "a [-big-]{+small+} cat"


# -- the whole loop ------------------------------------------------------------------------------

def test_edit_sync_review_build(workspace: Path) -> None:
    """An editor changes an article; sync drafts it; the reviewer approves what is clean; the
    edition carries the approved translation and keeps the source where a draft was held."""
    article = workspace / "source" / "soumith-chintala-leaves-pytorch.md"
    changed = "He did not say where he is going next, and Meta did not comment."
    text = article.read_text(encoding="utf-8")
    assert "He did not say where he is going next.\n" in text
    text = text.replace("He did not say where he is going next.", changed)
    article.write_text(text + "\nTian Yuandong wrote about it on the same day.\n",
                       encoding="utf-8")
    output = run(workspace, "sync", "--engine", "pseudo")
    assert "zh: 2 drafts to review — run `l10n review --lang zh`" in output
    output = run(workspace, "review", "--lang", "zh", "--approve-clean", "--reviewer", REVIEWER)
    # The changed paragraph keeps its old translation as a fuzzy suggestion, which lacks Meta.
    assert 'left as a draft: critical: glossary: "Meta" must be Meta' in output
    assert output.endswith("review: 1 approved, 0 edited, 0 rejected, 1 skipped, 0 held back\n")
    run(workspace, "build")
    edition = (workspace / "build" / "zh" / "soumith-chintala-leaves-pytorch.md").read_text(
        encoding="utf-8")
    assert "\n田渊栋 ŵŕööţéé ààƀööûûţ îîţ ööñ ţĥéé šààɱéé đààýý.\n" in edition
    assert f"\n{changed}\n" in edition
    po = workspace / "locales" / "zh" / "soumith-chintala-leaves-pytorch.po"
    assert polib.pofile(str(po)).metadata["Last-Translator"] == REVIEWER
    assert_canonical(po)
    assert [d.msgid for d in pending_drafts(Project.load(workspace))] == [changed]


def test_a_rejected_draft_is_not_drafted_again(tmp_path: Path) -> None:
    """Reject means "a human will translate this": neither the cache nor the engine brings the
    same draft back on the next sync, and the mark survives an update."""
    root = tmp_path / "site"
    assert CliRunner().invoke(app, ["--root", str(root), "init"]).exit_code == 0
    (root / "source" / "x.md").write_text("# Hello world\n\nA second paragraph.\n",
                                          encoding="utf-8")
    sync = ["--root", str(root), "sync", "--engine", "pseudo"]
    assert CliRunner().invoke(app, sync).exit_code == 0
    result = CliRunner().invoke(app, ["--root", str(root), "review", "--lang", "zh"],
                                input="r\ns\n")
    assert result.exit_code == 0, result.output
    po_path = root / "locales" / "zh" / "x.po"
    entry = polib.pofile(str(po_path)).find("Hello world")
    assert entry.msgstr == "" and "rejected: machine translation: pseudo" in entry.comment
    (root / "source" / "x.md").write_text("# Hello world\n\nA changed second paragraph.\n",
                                          encoding="utf-8")
    result = CliRunner().invoke(app, sync)
    assert result.exit_code == 0, result.output
    assert "zh: 1 entry whose draft a reviewer rejected is left for a human" in result.output
    entry = polib.pofile(str(po_path)).find("Hello world")
    assert entry.msgstr == "" and "rejected: machine translation: pseudo" in entry.comment
    msgfmt_check(po_path)
    assert msgcat(po_path) == po_path.read_bytes()


# -- rejecting a changed paragraph's suggestion -----------------------------------------------------

FOX = "The quick brown fox jumps over the lazy dog."
FOX_CHANGED = "The quick brown fox jumps over the lazy cat."
FOX_ZH = "敏捷的棕色狐狸跳过了懒狗。"


def changed_paragraph_workspace(tmp_path: Path) -> Path:
    """QA's case: machine drafts approved, one of them then corrected by hand; its paragraph
    changes a little, and `l10n update` offers the reviewed text as the fuzzy suggestion."""
    root = tmp_path / "site"
    assert CliRunner().invoke(app, ["--root", str(root), "init"]).exit_code == 0
    article = root / "source" / "x.md"
    article.write_text(f"# Hello world\n\n{FOX}\n", encoding="utf-8")
    run(root, "sync", "--engine", "pseudo")
    run(root, "review", "--approve-all", "--reviewer", REVIEWER)
    catalog = read_catalog(po_path(root))
    catalog.find(FOX).msgstr = FOX_ZH               # the reviewer's correction
    write_catalog(catalog, po_path(root))
    article.write_text(f"# Hello world\n\n{FOX_CHANGED}\n", encoding="utf-8")
    run(root, "extract")
    run(root, "update")
    return root


def test_a_changed_paragraphs_suggestion_says_where_it_came_from(tmp_path: Path) -> None:
    root = changed_paragraph_workspace(tmp_path)
    [draft] = pending_drafts(Project.load(root))
    assert (draft.msgid, draft.msgstr, draft.previous_msgid) == (FOX_CHANGED, FOX_ZH, FOX)
    # The reviewer corrected the machine's text before the paragraph changed.
    assert draft.origin == ("previous translation of a changed paragraph",
                            "machine translation: pseudo, edited since")
    output = run(root, "review", "--reviewer", REVIEWER, input="s\n")
    assert ("draft:    敏捷的棕色狐狸跳过了懒狗。\n"
            "from:     previous translation of a changed paragraph\n"
            "from:     machine translation: pseudo, edited since\n") in output


def test_rejecting_a_changed_paragraphs_suggestion_keeps_it_obsolete(tmp_path: Path) -> None:
    """The rejected text is the reviewed translation of the old paragraph: it stays in the
    catalog as an obsolete entry of the old msgid, and machine translation may still draft the
    new paragraph, since no machine ever proposed the rejected text for it."""
    root = changed_paragraph_workspace(tmp_path)
    output = run(root, "review", "--lang", "zh", "--reviewer", REVIEWER, input="r\n")
    assert output.endswith("review: 0 approved, 0 edited, 1 rejected, 0 skipped, 0 held back\n")
    catalog = polib.pofile(str(po_path(root)))
    live = catalog.find(FOX_CHANGED)
    assert (live.msgstr, live.flags, live.previous_msgid) == ("", [], None)
    assert live.comment == "paragraph"                # neither a draft's origin nor "rejected:"
    [kept] = catalog.obsolete_entries()
    assert (kept.msgid, kept.msgstr, kept.msgctxt, kept.previous_msgid) == (FOX, FOX_ZH, None, None)
    # The note as the engine's draft was written: its fingerprint is not the reviewed text's.
    assert re.fullmatch(r"machine translation: pseudo \([0-9a-f]{8}\)", kept.comment)
    assert fingerprint(FOX_ZH) not in kept.comment
    assert "#~ msgid \"The quick brown fox jumps over the lazy dog.\"\n" in po_path(root).read_text(
        encoding="utf-8")
    assert header(root)["Last-Translator"] == REVIEWER
    assert_canonical(po_path(root))
    # The next sync drafts the paragraph by machine and keeps the old translation.
    output = run(root, "sync", "--engine", "pseudo")
    assert "rejected is left for a human" not in output
    catalog = polib.pofile(str(po_path(root)))
    drafted = catalog.find(FOX_CHANGED)
    assert drafted.fuzzy and drafted.msgstr.startswith("Ţĥéé ǫûûîîçķ")
    assert drafted.comment.splitlines() == [
        "paragraph", f"machine translation: pseudo ({fingerprint(drafted.msgstr)})"]
    assert [(e.msgid, e.msgstr) for e in catalog.obsolete_entries()] == [(FOX, FOX_ZH)]
    assert_canonical(po_path(root))
    # The old paragraph comes back, and with it its translation (as a draft: the reviewer who
    # rejected it judged it against the new text only; whether it was approved is not known).
    (root / "source" / "x.md").write_text(f"# Hello world\n\n{FOX}\n", encoding="utf-8")
    run(root, "extract")
    run(root, "update")
    back = entries(root)[FOX]
    assert (back.msgstr, back.fuzzy) == (FOX_ZH, True)


def test_a_rejected_suggestion_already_in_the_catalog_is_not_kept_twice(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, {})
    text = po_path(root).read_text(encoding="utf-8")
    games = f'msgid "{GAMES}"\nmsgstr ""\n'
    assert games in text
    # A suggestion whose previous msgid the catalog still has (the title), and one whose old
    # text a reviewer rejected before (already obsolete): neither is written a second time.
    text = text.replace(games, f'#, fuzzy\n#| msgid "{TITLE}"\nmsgid "{GAMES}"\n'
                        'msgstr "田渊栋研究游戏。"\n')
    torch = f'msgid "{TORCH}"\nmsgstr ""\n'
    text = text.replace(torch, f'#, fuzzy\n#| msgid "Torch used Lua."\nmsgid "{TORCH}"\n'
                        'msgstr "Torch 在 2002 年使用 Lua 5.1。"\n')
    text += '\n#~ msgid "Torch used Lua."\n#~ msgstr "Torch 使用 Lua。"\n'
    po_path(root).write_text(text, encoding="utf-8")
    project = Project.load(root)
    games_draft, torch_draft = pending_drafts(project)
    assert reject(project, games_draft, reviewer=REVIEWER).result == "rejected"
    assert reject(project, torch_draft, reviewer=REVIEWER).result == "rejected"
    catalog = polib.pofile(str(po_path(root)))
    assert [(e.msgid, e.msgstr) for e in catalog.obsolete_entries()] == [
        ("Torch used Lua.", "Torch 使用 Lua。")]
    assert [e.msgid for e in catalog if e.msgid == TITLE] == [TITLE]
    assert state(root) == dict.fromkeys(DRAFTS, "untranslated")
    assert not any("rejected:" in e.comment for e in catalog)
    assert_canonical(po_path(root))


def test_rejecting_a_draft_without_a_previous_msgid_keeps_nothing(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    project = Project.load(root)
    paper = pending_drafts(project)[2]
    assert reject(project, paper, reviewer=REVIEWER).result == "rejected"
    catalog = polib.pofile(str(po_path(root)))
    assert catalog.obsolete_entries() == []
    assert "rejected: machine translation: google" in catalog.find(PAPER).comment.splitlines()


# -- an edit kept as a draft is counted as an edit ------------------------------------------------

def test_an_edit_kept_as_a_draft_counts_as_edited(tmp_path: Path) -> None:
    """The reviewer's text is saved, but a critical finding (the link dropped) keeps it a draft:
    the summary says it was edited and kept as a draft, not "0 edited"."""
    root = make_workspace(tmp_path)
    paper = line_of(root, PAPER)
    editor = editor_script(tmp_path, "阅读论文。")
    result = runner.invoke(app, ["--root", str(root), "review", "--reviewer", REVIEWER],
                           input="s\ns\ne\ns\nq\n", env={"EDITOR": editor, "VISUAL": None})
    assert result.exit_code == 1, result.output      # an approval held back, as with --approve-all
    finding = "critical: links: link https://example.com/paper missing"
    lines = result.output.splitlines()
    said = lines.index(f"edited locales/zh/x.po:{paper} (kept as a draft: critical finding)")
    assert lines[said - 1] == f"held back: {finding}"
    assert "draft:    阅读论文。" in lines[said:]               # offered again, then skipped
    assert lines[-3:] == [
        f"locales/zh/x.po:{line_of(root, PAPER)}: kept as a draft: {finding}",
        "wrote locales/zh/x.po",
        ("review: 0 approved, 1 edited (1 kept as a draft: critical finding), 0 rejected, "
         "2 skipped, 0 held back"),
    ]
    assert entries(root)[PAPER].msgstr == "阅读论文。" and state(root)[PAPER] == "draft"
    assert entries(root)[PAPER].comment.count("machine translation") == 0   # the reviewer's text


def test_an_edit_kept_as_a_draft_then_fixed_counts_once(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    fixed = "阅读[论文](https://example.com/paper)。"
    output = run(root, "review", "--reviewer", REVIEWER,
                 input=f"s\ns\ne\n阅读论文。\ne\n{fixed}\nq\n",
                 env={"EDITOR": None, "VISUAL": None})
    assert output.endswith("review: 0 approved, 1 edited, 0 rejected, 2 skipped, 0 held back\n")
    assert entries(root)[PAPER].msgstr == fixed and state(root)[PAPER] == "approved"


def test_the_library_says_an_edit_was_kept_as_a_draft(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    project = Project.load(root)
    paper = pending_drafts(project)[2]
    outcome = edit(project, paper, "阅读论文。", reviewer=REVIEWER)
    assert outcome.result == "kept" and outcome.changed
    assert [f.check for f in outcome.findings] == ["links"]
    assert entries(root)[PAPER].msgstr == "阅读论文。" and state(root)[PAPER] == "draft"


# -- where a draft came from, and whether someone edited it since ---------------------------------

HELLO = "Hello world"
SECOND = "A second paragraph."


def translated_workspace(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """`l10n sync --engine pseudo` on a two-paragraph article: two machine drafts. Returns the
    workspace and each msgid's draft as the engine wrote it."""
    root = tmp_path / "site"
    run(root, "init")
    (root / "source" / "x.md").write_text(f"# {HELLO}\n\n{SECOND}\n", encoding="utf-8")
    run(root, "sync", "--engine", "pseudo")
    return root, {msgid: e.msgstr for msgid, e in entries(root).items()}


def origins(root: Path) -> dict[str, list[str]]:
    """What `l10n review --json` says each draft came from."""
    return {d["msgid"]: d["origin"] for d in json.loads(run(root, "review", "--json"))}


def test_a_draft_note_says_where_it_came_from_and_fingerprints_its_text(tmp_path: Path) -> None:
    root, written = translated_workspace(tmp_path)
    text = po_path(root).read_text(encoding="utf-8")
    for msgid, line in ((HELLO, 1), (SECOND, 3)):
        # Eight hex digits of the BLAKE2b hash of what the engine wrote, in the `#.` note.
        mark = hashlib.blake2b(written[msgid].encode("utf-8"), digest_size=4).hexdigest()
        assert (f"#. machine translation: pseudo ({mark})\n#: source/x.md:{line}\n#, fuzzy\n"
                f'msgid "{msgid}"\nmsgstr "{written[msgid]}"\n') in text
    assert_canonical(po_path(root))
    assert origins(root) == {HELLO: ["machine translation: pseudo"],
                             SECOND: ["machine translation: pseudo"]}
    # Nothing to draft on a rerun: not a byte changes.
    before = po_path(root).read_bytes()
    run(root, "sync", "--engine", "pseudo")
    assert po_path(root).read_bytes() == before


def test_a_draft_rewritten_in_a_text_editor_says_edited_since(tmp_path: Path) -> None:
    root, written = translated_workspace(tmp_path)
    text = po_path(root).read_text(encoding="utf-8")
    old = f'msgstr "{written[HELLO]}"\n'
    assert text.count(old) == 1
    po_path(root).write_text(text.replace(old, 'msgstr "你好，世界"\n'), encoding="utf-8")
    assert origins(root) == {HELLO: ["machine translation: pseudo, edited since"],
                             SECOND: ["machine translation: pseudo"]}
    output = run(root, "review", "--reviewer", REVIEWER, input="s\ns\n")
    assert ("draft:    你好，世界\n"
            "from:     machine translation: pseudo, edited since\n") in output
    assert (f"draft:    {written[SECOND]}\n"
            "from:     machine translation: pseudo\n") in output


def test_a_draft_rewritten_in_poedit_says_edited_since_until_it_is_the_engines_again(
        tmp_path: Path) -> None:
    """What a PO editor does: rewrite the msgstr, keep the entry fuzzy and its `#.` notes, and
    save in its own layout. The fingerprint follows the text, not the act of editing."""
    root, written = translated_workspace(tmp_path)
    catalog = polib.pofile(str(po_path(root)))
    catalog.find(SECOND).msgstr = "第二段。"
    catalog.save()
    assert origins(root)[SECOND] == ["machine translation: pseudo, edited since"]
    catalog.find(SECOND).msgstr = written[SECOND]     # the translator undoes the rewrite
    catalog.save()
    assert origins(root)[SECOND] == ["machine translation: pseudo"]


def test_a_note_written_without_a_fingerprint_says_only_where_the_draft_came_from(
        tmp_path: Path) -> None:
    """Drafts written before notes carried a fingerprint: whether they were edited is unknown,
    and the reviewer is told what they were told before."""
    root = make_workspace(tmp_path, {TITLE: DRAFTS[TITLE]})
    assert origins(root) == {TITLE: ["machine translation: google"]}
    catalog = polib.pofile(str(po_path(root)))
    catalog.find(TITLE).msgstr = "田渊栋加盟 FAIR"
    catalog.save()
    assert origins(root) == {TITLE: ["machine translation: google"]}


def test_rejecting_an_edited_draft_notes_the_origin_without_its_fingerprint(
        tmp_path: Path) -> None:
    root, _ = translated_workspace(tmp_path)
    catalog = read_catalog(po_path(root))
    catalog.find(HELLO).msgstr = "你好，世界"
    write_catalog(catalog, po_path(root))
    output = run(root, "review", "--reviewer", REVIEWER, input="r\ns\n")
    assert output.endswith("review: 0 approved, 0 edited, 1 rejected, 1 skipped, 0 held back\n")
    hello = entries(root)[HELLO]
    assert hello.msgstr == ""
    assert hello.comment.splitlines()[-1] == "rejected: machine translation: pseudo"
    assert not re.search(r"\([0-9a-f]{8}\)", hello.comment)
    assert_canonical(po_path(root))
    # The mark still keeps the machine away; the other draft is untouched.
    output = run(root, "sync", "--engine", "pseudo")
    assert "zh: 1 entry whose draft a reviewer rejected is left for a human" in output
    assert entries(root)[HELLO].msgstr == ""
    assert origins(root) == {SECOND: ["machine translation: pseudo"]}


def test_the_fingerprint_is_the_same_on_every_machine_and_run() -> None:
    """Every draft note already written depends on it: changing the hash would call every
    draft in every workspace edited."""
    assert fingerprint("田渊栋加入 FAIR") == "eb6f8ce4"
    assert fingerprint("") == "1271cf25"
