"""`l10n status`: approved, drafts and untranslated strings per article and language."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from l10n.cli import app
from l10n.project import Project
from l10n.status import StatusRow, UnlistedLanguage, total, unlisted_languages, workspace_status

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'

CATALOG = HEADER + """\
msgid "Alpha"
msgstr "阿尔法"

#, fuzzy
msgid "One two three."
msgstr "一二三。"

msgid "Four five."
msgstr ""

#~ msgid "Gone"
#~ msgstr "走了"
"""

# An older template: it does not know "Four five." yet.
TEMPLATE = HEADER + 'msgid "Alpha"\nmsgstr ""\n\nmsgid "One two three."\nmsgstr ""\n'


def make_workspace(root: Path) -> Path:
    """a.md has a zh catalog and a template; b.md has neither; c.md is written in Chinese."""
    (root / "source").mkdir(parents=True)
    (root / "locales" / "zh").mkdir(parents=True)
    (root / "locales" / "templates").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_language = "en"\nlanguages = ["en", "zh", "de"]\n', encoding="utf-8")
    (root / "source" / "a.md").write_text("# Alpha\n\nOne two three.\n\nFour five.\n",
                                          encoding="utf-8")
    (root / "source" / "b.md").write_text("# Beta\n\nBeta words here.\n", encoding="utf-8")
    (root / "source" / "c.md").write_text("---\nlang: zh\n---\n# 标题\n", encoding="utf-8")
    (root / "locales" / "zh" / "a.po").write_text(CATALOG, encoding="utf-8")
    (root / "locales" / "templates" / "a.pot").write_text(TEMPLATE, encoding="utf-8")
    return root


def test_rows_come_from_catalogs_then_templates_then_the_articles(tmp_path: Path) -> None:
    project = Project.load(make_workspace(tmp_path / "ws"))
    assert workspace_status(project) == [
        StatusRow("a", "zh", approved=1, drafts=1, untranslated=1, words=6),
        StatusRow("a", "de", approved=0, drafts=0, untranslated=2, words=4),
        StatusRow("b", "zh", approved=0, drafts=0, untranslated=2, words=4),
        StatusRow("b", "de", approved=0, drafts=0, untranslated=2, words=4),
        StatusRow("c", "en", approved=0, drafts=0, untranslated=1, words=2),
        StatusRow("c", "de", approved=0, drafts=0, untranslated=1, words=2),
    ]
    assert workspace_status(project, languages=["zh"]) == [
        StatusRow("a", "zh", approved=1, drafts=1, untranslated=1, words=6),
        StatusRow("b", "zh", approved=0, drafts=0, untranslated=2, words=4),
    ]


def test_the_total_sums_every_column_and_percent_is_of_strings() -> None:
    rows = [StatusRow("a", "zh", 3, 1, 0, 40), StatusRow("b", "zh", 0, 0, 4, 10)]
    assert total(rows) == StatusRow("total", "", 3, 1, 4, 50)
    assert total(rows).percent == 37.5
    assert rows[0].percent == 75.0
    # Nothing to translate is nothing left to do.
    assert StatusRow("empty", "zh", 0, 0, 0, 0).percent == 100.0


def test_status_json_for_tools(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(app, ["--root", str(root), "status", "--json", "--lang", "zh"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "articles": [
            {"article": "a", "language": "zh", "approved": 1, "drafts": 1, "untranslated": 1,
             "words": 6, "percent": 33.3},
            {"article": "b", "language": "zh", "approved": 0, "drafts": 0, "untranslated": 2,
             "words": 4, "percent": 0.0},
        ],
        "total": {"article": "total", "language": "", "approved": 1, "drafts": 1,
                  "untranslated": 3, "words": 10, "percent": 20.0},
    }


def test_status_table_fits_80_columns_with_a_total_line(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    long_slug = "a-rather-long-article-name-about-machine-translation-and-review"
    (root / "source" / f"{long_slug}.md").write_text("# Title\n\nText.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--root", str(root), "status"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    cells = [line.split() for line in lines if line.strip() and not line.startswith("─")]
    assert cells[0] == ["Article", "Lang", "Approved", "Drafts", "Todo", "Words", "%"]
    assert ["a", "zh", "1", "1", "1", "6", "33%"] in cells
    assert ["c", "en", "0", "0", "1", "2", "0%"] in cells
    assert cells[-1] == ["total", "1", "1", "13", "26", "7%"]
    # The long name is shown whole, folded over lines, not cut.
    assert long_slug in "".join(line.split()[0] for line in lines[2:] if line.strip())


def test_status_of_an_unknown_language_is_one_error_line(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(app, ["--root", str(root), "status", "--lang", "xx"])
    assert result.exit_code == 1
    assert result.stderr == "error: --lang: unknown language 'xx' (use a code such as en, zh, " \
        "zh_CN, zh-Hans, de, fr)\n"


# -- a language folder the settings do not list ------------------------------------------------

FR_NOTE = ('locales/fr/: not one of this workspace\'s languages (en, zh, de); add "fr" to '
           "[tool.l10n] languages in pyproject.toml to build it")


def with_unlisted_folders(root: Path) -> Path:
    """Weblate's "add language" made locales/fr/; the rest is not a language folder."""
    (root / "locales" / "fr").mkdir()
    (root / "locales" / "fr" / "a.po").write_text(CATALOG, encoding="utf-8")
    (root / "locales" / "backup").mkdir()            # not a language code
    (root / "locales" / ".git").mkdir()              # hidden
    (root / "locales" / "README.md").write_text("x\n", encoding="utf-8")   # a file
    return root


def test_a_language_folder_the_settings_do_not_list_is_found(tmp_path: Path) -> None:
    project = Project.load(with_unlisted_folders(make_workspace(tmp_path / "ws")))
    # templates/ and the configured zh/ are not named; nor is en/ (no folder) or backup/.
    assert unlisted_languages(project) == [UnlistedLanguage("locales/fr/", "fr", ("en", "zh", "de"))]
    assert str(unlisted_languages(project)[0]) == FR_NOTE
    (project.locales_dir).rename(project.root / "gone")
    assert unlisted_languages(project) == []          # no locales/ yet: nothing to say


def test_a_folder_spelling_a_configured_language_otherwise_is_told_where_to_go(
        tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    for name in ("zh_Hans", "pt-BR", "root", "it"):
        (root / "locales" / name).mkdir()
        if name != "it":                                  # it/ is empty: nothing to miss
            (root / "locales" / name / "a.po").write_text(CATALOG, encoding="utf-8")
    notes = [str(item) for item in unlisted_languages(Project.load(root))]
    assert notes == [
        ('locales/pt-BR/: not one of this workspace\'s languages (en, zh, de); add "pt_BR" to '
        "[tool.l10n] languages in pyproject.toml and rename the folder to locales/pt_BR/ to "
        "build it"),
        ('locales/zh_Hans/: the same language as "zh" of [tool.l10n] languages, whose catalogs '
        "are in locales/zh/; move its catalogs there"),
    ]


def test_status_notes_a_language_folder_the_settings_do_not_list(tmp_path: Path) -> None:
    root = with_unlisted_folders(make_workspace(tmp_path / "ws"))
    result = CliRunner().invoke(app, ["--root", str(root), "status"])
    assert result.exit_code == 0
    assert result.stdout.endswith(FR_NOTE + "\n")
    assert result.stdout.count("locales/") == 1
    # With --json the note goes to stderr: stdout stays JSON.
    result = CliRunner().invoke(app, ["--root", str(root), "status", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["total"]["article"] == "total"
    assert result.stderr == FR_NOTE + "\n"


def test_check_notes_a_language_folder_the_settings_do_not_list(tmp_path: Path) -> None:
    root = with_unlisted_folders(make_workspace(tmp_path / "ws"))
    result = CliRunner().invoke(app, ["--root", str(root), "check"])
    assert FR_NOTE + "\n" in result.stdout
    result = CliRunner().invoke(app, ["--root", str(root), "check", "--json"])
    assert isinstance(json.loads(result.stdout), list) and result.stderr == FR_NOTE + "\n"


def test_a_language_the_settings_do_not_list_is_an_error_at_the_languages_line(
        tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(app, ["--root", str(root), "status", "--lang", "fr"])
    assert result.exit_code == 1
    assert result.stderr == ("error: pyproject.toml:3: language 'fr' is not one of this "
                             "workspace's languages (en, zh, de) (add it to [tool.l10n] "
                             "languages)\n")
