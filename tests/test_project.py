"""The workspace and its settings, through the CLI: whatever is wrong with pyproject.toml, the
folders or the articles' names is one line `path:line: what is wrong`, exit 1, and nothing written
(no template, catalog, edition, nor a `.l10n/` state folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from l10n.cli import app
from l10n.project import normalise_language, same_language

runner = CliRunner()

ARTICLE = "# Torch grew into PyTorch\n\nIt ran on Lua.\n"


def invoke(root: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--root", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def files(root: Path) -> dict[str, bytes]:
    """Every file and folder under root (folders as b"/"), to show nothing was written."""
    return {path.relative_to(root).as_posix(): b"/" if path.is_dir() else path.read_bytes()
            for path in sorted(root.rglob("*"))}


def refused(root: Path, *args: str) -> str:
    """Run a command that must fail: exit 1, one line on stderr, no file written. The line."""
    before = files(root)
    code, out, err = invoke(root, *args)
    assert code == 1, out + err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert files(root) == before
    assert not (root / ".l10n").exists()
    return err.removeprefix("error: ").removesuffix("\n")


def site(tmp_path: Path, settings: str = "", *, pyproject: str | None = None) -> Path:
    """A workspace with source/news.md and the given [tool.l10n] lines (or a whole pyproject)."""
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    (root / "source" / "news.md").write_text(ARTICLE, encoding="utf-8")
    text = pyproject if pyproject is not None else \
        '[project]\nname = "site"\n\n[tool.l10n]\nlanguages = ["en", "zh"]\n' + settings
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    return root


# -- 1. the source folder must be there ----------------------------------------------------------

@pytest.mark.parametrize("command", [["extract"], ["sync", "--no-mt"], ["build"], ["update"]])
def test_a_mistyped_source_dir_removes_nothing(workspace: Path, command: list[str]) -> None:
    pyproject = workspace / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'source_dir = "sorce"\n')
    line = pyproject.read_text().count("\n")
    assert refused(workspace, *command) == (
        f'{pyproject}:{line}: source_dir "sorce" is not a folder '
        "(create it and put the articles in it, or correct the setting)")


def test_a_missing_default_source_folder_is_an_error_too(tmp_path: Path) -> None:
    root = site(tmp_path, pyproject='[project]\nname = "site"\n')
    shutil.rmtree(root / "source")
    assert refused(root, "sync", "--no-mt") == (
        f'{root / "pyproject.toml"}: source_dir "source" is not a folder '
        "(create it and put the articles in it, or set source_dir in [tool.l10n])")


def test_a_source_folder_removed_after_loading_is_not_an_empty_workspace(tmp_path: Path) -> None:
    from l10n.errors import ConfigError
    from l10n.project import Project

    root = site(tmp_path)
    project = Project.load(root)
    shutil.rmtree(root / "source")
    with pytest.raises(ConfigError, match='source_dir "source" is not a folder'):
        project.article_paths()


# -- 2. three folders of their own, inside the workspace -----------------------------------------

@pytest.mark.parametrize(("settings", "key", "message"), [
    ('source_dir = ""', "source_dir", 'source_dir "" is not a folder inside the workspace'),
    ('source_dir = "."', "source_dir", 'source_dir "." is not a folder inside the workspace'),
    ('source_dir = "source/.."', "source_dir",
     'source_dir "source/.." is not a folder inside the workspace'),
    ('source_dir = ".."', "source_dir", 'source_dir ".." is not a folder inside the workspace'),
    ('source_dir = "/tmp"', "source_dir", 'source_dir "/tmp" is not a folder inside the workspace'),
    ('build_dir = "../build"', "build_dir",
     'build_dir "../build" is not a folder inside the workspace'),
    ('locales_dir = "."', "locales_dir", 'locales_dir "." is not a folder inside the workspace'),
    ('locales_dir = "source"', "locales_dir",
     'source_dir "source" and locales_dir "source" overlap'),
    ('build_dir = "source/out"', "build_dir",
     'source_dir "source" and build_dir "source/out" overlap'),
    ('locales_dir = "build"', "locales_dir", 'locales_dir "build" and build_dir "build" overlap'),
    ('locales_dir = "out"\nbuild_dir = "out/"', "build_dir",
     'locales_dir "out" and build_dir "out/" overlap'),
    ('source_dir = "content"\nbuild_dir = "content/../content"', "build_dir",
     'source_dir "content" and build_dir "content/../content" overlap'),
])
def test_folders_must_be_separate_and_inside_the_workspace(tmp_path: Path, settings: str,
                                                           key: str, message: str) -> None:
    root = site(tmp_path, settings + "\n")
    (root / "content").mkdir()
    pyproject = root / "pyproject.toml"
    line = next(n for n, text in enumerate(pyproject.read_text().splitlines(), 1)
                if text.startswith(key))
    assert refused(root, "extract").startswith(f"{pyproject}:{line}: {message} (")


# -- 3. one slug, one article --------------------------------------------------------------------

def test_two_articles_with_one_slug_are_an_error_before_anything_is_written(
        tmp_path: Path) -> None:
    root = site(tmp_path)
    (root / "source" / "news.html").write_text("<p>News</p>\n", encoding="utf-8")
    for command in (["extract"], ["sync", "--no-mt"], ["build"], ["status"], ["check"]):
        assert refused(root, *command) == \
            'source/news.md: same slug "news" as source/news.html; rename one'


def test_slugs_differing_only_in_case_clash_too(tmp_path: Path) -> None:
    root = site(tmp_path)
    (root / "source" / "deep").mkdir()
    (root / "source" / "deep" / "Torch.md").write_text(ARTICLE, encoding="utf-8")
    (root / "source" / "deep" / "torch.md").write_text(ARTICLE, encoding="utf-8")
    assert refused(root, "extract") == ('source/deep/torch.md: slug "deep/torch" differs from '
                                        '"deep/Torch" of source/deep/Torch.md only in case; '
                                        "rename one")


def test_a_slug_clash_in_a_workspace_already_synced_writes_nothing(workspace: Path) -> None:
    assert invoke(workspace, "sync", "--no-mt")[0] == 0
    shutil.copy(workspace / "source" / "pytorch-history.md",
                workspace / "source" / "pytorch-history.html")
    before = files(workspace)
    code, _, err = invoke(workspace, "sync", "--no-mt")
    assert (code, err) == (1, ("error: source/pytorch-history.md: same slug \"pytorch-history\" "
                              "as source/pytorch-history.html; rename one\n"))
    assert files(workspace) == before


# -- 4. every setting is checked, with its line --------------------------------------------------

@pytest.mark.parametrize(("pyproject", "line", "message"), [
    ('tool = 1\n', 1, "tool must be a table, not a number (write the settings under [tool.l10n])"),
    ('[project]\nname = "x"\n[tool]\nl10n = "x"\n', 4,
     "tool.l10n must be a table, not a string"),
    ('[tool.l10n]\nlanguages = ["en", "zh"\nengine = "google"\n', 3, "invalid TOML: "),
    ('[tool.l10n]\nlanguages = ["en"]\nlanguages = ["zh"]\n', 3, "invalid TOML: "),
    ('[tool.l10n]\nlanguages = ["en", "zh"]\n', None, None),  # valid: a control
    ('[tool.l10n]\nlanguages = ["en", "zh"]\n\n[tool.l10n.extra]\nfoo = 1\n', 4,
     "[tool.l10n]: unknown setting 'extra'"),
    ('[tool.l10n]\nlanguages = ["en", "zh"]\nextra.foo = 1\n', 3,
     "[tool.l10n]: unknown setting 'extra'"),
    ('[tool.l10n]\ncolour = "blue"\n', 2, "[tool.l10n]: unknown setting 'colour'"),
    ('[tool.l10n]\n\n[tool.l10n.languages]\nen = 1\n', 3,
     "[tool.l10n] languages: expected a list of strings"),
    ('[tool]\nl10n = { engine = "nope" }\n', 2, 'engine "nope" is not one of google, deepl, '),
    ('[tool.l10n]\nengine = "nope"\n', 2, 'engine "nope" is not one of google, deepl, '),
    ('[tool.l10n]\nengine = "libre"\nengine_url = "localhost:5000"\n', 3,
     'engine_url "localhost:5000" is not an http(s) URL such as http://localhost:5000/'),
    ('[tool.l10n]\nengine_url = "ftp://mt.example.org/"\n', 2,
     'engine_url "ftp://mt.example.org/" is not an http(s) URL such as http://localhost:5000/'),
    ('[tool.l10n]\nengine_url = "http://"\n', 2,
     'engine_url "http://" is not an http(s) URL such as http://localhost:5000/'),
    ('[tool.l10n]\nengine_url = 5000\n', 2, "[tool.l10n] engine_url: expected a string"),
    ('[tool.l10n]\nengine = "libre"\nengine_url = "HTTPS://mt.example.org:5000/"\n', None, None),
    ('[tool.l10n]\nconcurrency = 0\n', 2, "concurrency 0 is not a number of requests"),
    ('[tool.l10n]\nconcurrency = -3\n', 2, "concurrency -3 is not a number of requests"),
    ('[tool.l10n]\nconcurrency = true\n', 2, "[tool.l10n] concurrency: expected a whole number"),
    ('[tool.l10n]\nmin_approved = 101\n', 2, "[tool.l10n] min_approved: must be a percentage"),
    ('[tool.l10n]\nmin_approved = -1\n', 2, "[tool.l10n] min_approved: must be a percentage"),
    ('[tool.l10n]\nzh_latin_spacing = "maybe"\n', 2,
     'zh_latin_spacing "maybe" is not one of space, none, any'),
    ('[tool.l10n]\nglossary = "terms.yml"\n', 2, 'glossary "terms.yml" is not a file'),
    ('[tool.other]\nlanguages = 1\n\n[tool.l10n]\nsource_language = "en"\nlanguages = ["xx"]\n',
     6, "[tool.l10n] languages: unknown language 'xx'"),
    ('[tool.l10n]\nlanguages = ["zh", "zh_Hans"]\n', 2,
     '[tool.l10n] languages: "zh" and "zh_Hans" are the same language'),
    ('[tool.l10n]\nlanguages = [\n  "en",\n  "zh-cn",\n  "zh_CN",\n]\n', 2,
     '[tool.l10n] languages: "zh-cn" and "zh_CN" are the same language'),
    ('[tool.l10n]\nlanguages = ["en", "en"]\n', 2,
     '[tool.l10n] languages: "en" and "en" are the same language'),
])
def test_a_wrong_setting_is_one_line_with_its_line(tmp_path: Path, pyproject: str,
                                                   line: int | None, message: str | None) -> None:
    root = site(tmp_path, pyproject=pyproject)
    if message is None:
        assert invoke(root, "extract")[0] == 0
        return
    error = refused(root, "extract")
    assert error.startswith(f"{root / 'pyproject.toml'}:{line}: {message}"), error
    assert "(at line" not in error and "end of document" not in error


def test_a_glossary_set_on_purpose_must_exist_the_default_may_not(tmp_path: Path) -> None:
    root = site(tmp_path, 'glossary = "terms/names.yml"\n')
    assert "terms/names.yml" in refused(root, "sync", "--no-mt")
    (root / "terms").mkdir()
    (root / "terms" / "names.yml").write_text("terms: []\n", encoding="utf-8")
    assert invoke(root, "sync", "--no-mt")[0] == 0
    other = site(tmp_path / "other")
    assert not (other / "glossary.yml").exists()
    assert invoke(other, "sync", "--no-mt")[0] == 0


def test_any_known_engine_and_spacing_are_accepted(tmp_path: Path) -> None:
    root = site(tmp_path, 'engine = "DeepL"\nzh_latin_spacing = "none"\nconcurrency = 1\n')
    assert invoke(root, "extract")[0] == 0


# -- 5. a workspace is a folder with a pyproject.toml -----------------------------------------

@pytest.mark.parametrize("command", [["extract"], ["sync", "--no-mt"], ["status"], ["build"],
                                     ["review", "--approve-all"], ["translate", "--dry-run"]])
def test_outside_a_workspace_every_command_refuses(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "somewhere"
    (folder / "source").mkdir(parents=True)
    (folder / "source" / "news.md").write_text(ARTICLE, encoding="utf-8")
    assert refused(folder, *command) == (
        f"{folder}: no pyproject.toml here — run `l10n init` or pass --root")


def test_a_pyproject_without_settings_works_with_the_defaults(tmp_path: Path) -> None:
    root = site(tmp_path, pyproject='[project]\nname = "site"\n')
    code, out, err = invoke(root, "sync", "--no-mt")
    assert code == 0, out + err
    assert (root / "locales" / "templates" / "news.pot").exists()
    assert (root / "locales" / "zh" / "news.po").exists()
    assert (root / "build" / "en" / "news.md").read_text(encoding="utf-8") == ARTICLE


# -- 6. language codes: the spelling is normalised, nothing added -----------------------------

@pytest.mark.parametrize(("code", "spelled"), [
    ("zh", "zh"), ("zh_CN", "zh_CN"), ("zh-cn", "zh_CN"), ("ZH-Cn", "zh_CN"),
    ("zh-Hans", "zh_Hans"), ("zh-hans", "zh_Hans"), ("zh_TW", "zh_TW"),
    ("zh-hant-tw", "zh_Hant_TW"),
    ("en_US", "en_US"), ("en-gb", "en_GB"), ("pt-br", "pt_BR"), ("sr_latn", "sr_Latn"),
])
def test_a_code_keeps_what_was_written_in_babels_spelling(code: str, spelled: str) -> None:
    assert normalise_language(code) == spelled


@pytest.mark.parametrize(("a", "b", "same"), [
    ("zh", "zh_CN", True), ("zh_CN", "zh_Hans", True), ("zh_CN", "zh_Hans_CN", True),
    ("zh_TW", "zh_Hant", True), ("zh", "zh_TW", True), ("en", "en_GB", True),
    ("zh_CN", "zh_TW", False), ("zh_Hans", "zh_Hant", False), ("en_US", "en_GB", False),
    ("en", "zh", False),
])
def test_languages_compare_by_meaning_not_spelling(a: str, b: str, same: bool) -> None:
    assert same_language(a, b) is same and same_language(b, a) is same


def translations(path: Path) -> list[tuple[str, str, bool]]:
    return [(e.msgid, e.msgstr, e.fuzzy) for e in polib.pofile(str(path)) if e.msgstr]


def test_zh_cn_catalogs_stay_where_they_are(workspace: Path) -> None:
    pyproject = workspace / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"en", "zh"', '"en", "zh-cn", "zh_TW"'))
    (workspace / "locales" / "zh").rename(workspace / "locales" / "zh_CN")
    kept = translations(workspace / "locales" / "zh_CN" / "pytorch-in-brief.po")
    assert kept
    code, out, err = invoke(workspace, "sync", "--no-mt")
    assert code == 0, out + err
    assert sorted(p.name for p in (workspace / "locales").iterdir()) == [
        "en", "templates", "zh_CN", "zh_TW"]
    catalog = workspace / "locales" / "zh_CN" / "pytorch-in-brief.po"
    assert translations(catalog) == kept
    assert polib.pofile(str(catalog)).metadata["Language"] == "zh_CN"
    assert "zh_Hans" not in out + err and "zh_Hant" not in out + err
    # Any spelling of a configured language on the command line finds it.
    for spelling in ("zh_CN", "zh-CN", "zh_Hans", "zh", "zh_Hans_CN"):
        code, out, err = invoke(workspace, "status", "--json", "--lang", spelling)
        assert code == 0, err
        assert '"language": "zh_CN"' in out and "zh_TW" not in out
    code, out, err = invoke(workspace, "status", "--json", "--lang", "zh_Hant")
    assert code == 0, err
    assert '"language": "zh_TW"' in out and "zh_CN" not in out


def test_an_article_in_another_spelling_of_a_target_is_not_translated_into_it(
        tmp_path: Path) -> None:
    root = site(tmp_path, pyproject='[tool.l10n]\nlanguages = ["en", "zh_CN"]\n')
    (root / "source" / "zh.md").write_text("---\nlang: zh-Hans\n---\n# 标题\n", encoding="utf-8")
    code, out, err = invoke(root, "sync", "--no-mt")
    assert code == 0, out + err
    assert (root / "build" / "zh_CN" / "zh.md").read_text(encoding="utf-8").endswith("# 标题\n")
    assert not (root / "locales" / "zh_CN" / "zh.po").exists()
    assert (root / "locales" / "en" / "zh.po").exists()
    assert (root / "locales" / "zh_CN" / "news.po").exists()


def test_the_sample_workspace_syncs_to_itself(workspace: Path) -> None:
    before = files(workspace)
    code, out, err = invoke(workspace, "sync", "--no-mt")
    assert code == 0, out + err
    after = {name: data for name, data in files(workspace).items()
             if not name.startswith(".l10n") and not name.startswith("build")}
    assert after == before


def test_init_refuses_two_codes_for_one_language(tmp_path: Path) -> None:
    root = tmp_path / "new"
    result = runner.invoke(app, ["--root", str(root), "init", "--languages", "en,zh-cn,zh_Hans"])
    assert (result.exit_code, result.stderr) == (
        1, ('error: --languages: "zh_CN" and "zh_Hans" are the same language '
           "(keep one; each has catalogs of its own)\n"))
    assert not root.exists()
    result = runner.invoke(app, ["--root", str(root), "init", "--languages", "en,zh-cn,zh-TW"])
    assert result.exit_code == 0, result.output
    assert 'languages = ["en", "zh_CN", "zh_TW"]' in (root / "pyproject.toml").read_text()
    assert invoke(root, "sync", "--no-mt")[0] == 0


# -- an article a git merge left in conflict -----------------------------------------------------

CONFLICT = ("unresolved merge conflict: '<<<<<<< HEAD' is a line git wrote "
            "(keep one side of the conflict and delete its marker lines)")


def refused_article(root: Path, *args: str) -> str:
    """Like ``refused``, for an article found wrong under the workspace lock: its empty lock file
    is the only thing left behind (no template, catalog, edition nor state)."""
    def written() -> dict[str, bytes]:
        found = files(root)
        assert found.get(".l10n/lock", b"") == b""
        return {name: data for name, data in found.items() if name not in (".l10n", ".l10n/lock")}

    before = written()
    code, out, err = invoke(root, *args)
    assert code == 1, out + err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert written() == before
    return err.removeprefix("error: ").removesuffix("\n")


@pytest.mark.parametrize(("name", "text", "line"), [
    ("news.md", ("# Torch\n\n<<<<<<< HEAD\nIt ran on Lua.\n=======\nIt ran on LuaJIT.\n"
                 ">>>>>>> feature/luajit\n"), 3),
    # diff3 style, CRLF line ends
    ("news.md", ("# Torch\r\n\r\n<<<<<<< HEAD\r\nLua.\r\n||||||| base\r\nlua\r\n"
                 "=======\r\nLuaJIT.\r\n>>>>>>> other\r\n"), 3),
    ("page.html", ('<html lang="en"><body>\n<h1>Torch</h1>\n<<<<<<< HEAD\n'
                   "<p>It ran on Lua.</p>\n=======\n<p>It ran on LuaJIT.</p>\n"
                   ">>>>>>> feature/luajit\n</body></html>\n"), 3),
])
def test_an_article_left_in_a_merge_conflict_is_refused(tmp_path: Path, name: str, text: str,
                                                         line: int) -> None:
    root = site(tmp_path)
    (root / "source" / name).write_bytes(text.encode("utf-8"))
    assert refused_article(root, "extract") == f"source/{name}:{line}: {CONFLICT}"
    assert refused_article(root, "sync", "--no-mt") == f"source/{name}:{line}: {CONFLICT}"


def test_a_long_branch_name_is_shortened_and_the_marker_may_stand_alone(tmp_path: Path) -> None:
    root = site(tmp_path)
    (root / "source" / "news.md").write_text(
        "Lua.\n<<<<<<<\nmine\n=======\ntheirs\n>>>>>>> a-very-long-branch-name\n"
        "<<<<<<< refs/heads/a-very-long-branch-name\nx\n=======\ny\n>>>>>>>\n")
    assert refused_article(root, "extract") == (
        "source/news.md:2: " + CONFLICT.replace("'<<<<<<< HEAD'", "'<<<<<<<'"))
    (root / "source" / "news.md").write_text(
        "Lua.\n\n<<<<<<< refs/heads/a-very-long-branch-name\nx\n=======\ny\n>>>>>>>\n")
    assert refused_article(root, "extract") == (
        "source/news.md:3: " + CONFLICT.replace("'<<<<<<< HEAD'", "'<<<<<<< refs/heads/…'"))


@pytest.mark.parametrize("text", [
    # a setext heading underlined with seven "=" and a quote of a quote
    "Torch grew into PyTorch\n=======\n\n>>>>>>> It ran on Lua.\n",
    # a closing marker before an opening one, or an opening one alone: no conflict git wrote
    ">>>>>>> It ran on Lua.\n\n<<<<<<< HEAD\n",
    # not at the start of a line, or more than git's seven, or glued to text
    "It ran on Lua: <<<<<<< HEAD\n\n>>>>>>> quoted\n",
    "<<<<<<<< eight\n\n>>>>>>> quoted\n",
    "<<<<<<<HEAD\n\n>>>>>>> quoted\n",
    "<<<<<<< HEAD\n\n>>>>>>>> eight\n",
])
def test_marker_like_lines_that_are_no_conflict_are_text(tmp_path: Path, text: str) -> None:
    root = site(tmp_path)
    (root / "source" / "news.md").write_text(text, encoding="utf-8")
    code, out, err = invoke(root, "extract")
    assert (code, err) == (0, ""), out + err
    template = polib.pofile(str(root / "locales" / "templates" / "news.pot"))
    assert template.translated_entries() == [] and len(template) > 0
