"""The command line's contract: what it prints and the exit code, for usage errors and for the
reasons `build --check` and `sync` give (QA findings, each through the real CLI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from l10n.cli import app

runner = CliRunner()

ARTICLE = """\
# Torch grew into PyTorch

It ran on Lua.

- It moved to Python.
- It grew fast.
"""


def invoke(root: Path, *args: str, code: int = 0) -> tuple[str, str]:
    """Run `l10n --root root args...`: its stdout and stderr, after checking the exit code."""
    result = runner.invoke(app, ["--root", str(root), *args])
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result.stdout, result.stderr


def make_site(tmp_path: Path, **articles: str) -> Path:
    root = tmp_path / "site"
    invoke(root, "init")
    for slug, text in (articles or {"torch": ARTICLE}).items():
        (root / "source" / f"{slug}.md").write_text(text, encoding="utf-8")
    return root


def approve(po_path: Path, translations: dict[str, str]) -> None:
    """Approve every entry: its translation from ``translations``, else 译 + the msgid."""
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        entry.msgstr = translations.get(entry.msgid, "译" + entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalog.save()


def msgid_line(po_path: Path, msgid: str) -> int:
    lines = po_path.read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgid "{msgid}"') + 1


# -- build --check names the entries build holds back -------------------------------------------

def site_with_a_structure_breaking_translation(tmp_path: Path) -> tuple[Path, str]:
    """A site whose zh heading translation adds an anchor ({#x}): build holds that entry back.
    Returns the root and the error line build prints for it."""
    root = make_site(tmp_path)
    invoke(root, "sync", "--no-mt")
    po = root / "locales" / "zh" / "torch.po"
    approve(po, {"Torch grew into PyTorch": "Torch 成了 PyTorch {#x}"})
    line = msgid_line(po, "Torch grew into PyTorch")
    error = (f"error: locales/zh/torch.po:{line}: the translation changes the document's "
             "structure (anchor #x added); the source text is kept for that block\n")
    return root, error


def test_build_check_names_an_entry_held_back_for_changing_the_structure(
        tmp_path: Path) -> None:
    root, error = site_with_a_structure_breaking_translation(tmp_path)
    stdout, stderr = invoke(root, "build", "--check", code=1)
    assert stdout == "out of date: build/zh/torch.md\n"
    assert stderr == error
    assert not (root / "build" / "zh" / "torch.md").exists()
    # Plain build says what it always said, and publishes the rest.
    stdout, stderr = invoke(root, "build", code=1)
    assert stdout == "wrote build/zh/torch.md\nbuild: 1 written, 1 unchanged\n"
    assert stderr == error
    edition = (root / "build" / "zh" / "torch.md").read_text(encoding="utf-8")
    assert edition.startswith("# Torch grew into PyTorch\n") and "译It ran on Lua." in edition
    # The edition on disk is as good as it gets, but the held entry still fails the check:
    # the one reason for exit 1 is printed, not nothing.
    assert invoke(root, "build", "--check", code=1) == ("", error)
    assert invoke(root, "build", code=1) == ("build: 0 written, 2 unchanged\n", error)


# -- sync counts the drafts of current articles only ---------------------------------------------

def test_sync_counts_drafts_of_current_articles_not_of_orphaned_catalogs(tmp_path: Path) -> None:
    root = make_site(tmp_path, torch=ARTICLE, other="# Other news\n\nSomething else happened.\n")
    stdout, _ = invoke(root, "sync", "--engine", "pseudo")
    assert "zh: 6 drafts to review — run `l10n review --lang zh`\n" in stdout
    (root / "source" / "other.md").unlink()
    stdout, _ = invoke(root, "sync", "--engine", "pseudo")
    assert (root / "locales" / "zh" / "other.po").exists()     # a translator's work is kept
    assert "zh: 4 drafts to review — run `l10n review --lang zh`\n" in stdout
    invoke(root, "review", "--approve-all", "--reviewer", "Ann")
    stdout, _ = invoke(root, "sync", "--engine", "pseudo")
    assert "to review" not in stdout


# -- usage errors: one line, exit 1 ---------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["build", "--bogus"], "No such option: --bogus; see l10n build --help"),
    (["build", "--lang"], "Option '--lang' requires an argument; see l10n build --help"),
    (["build", "--min-approved", "abc"],
     "Invalid value for '--min-approved': 'abc' is not a valid int; see l10n build --help"),
    (["frobnicate"], "No such command 'frobnicate'; see l10n --help"),
    (["translate", "--engine", "chatgpt"],
     ("Invalid value for '--engine': 'chatgpt' is not an engine; choose one of google, deepl, "
     "microsoft, mymemory, libre, yandex, baidu, pseudo; see l10n translate --help")),
    (["review", "--approve-all", "--list"],
     "choose one of --approve-all, --approve-clean, --list/--json; see l10n review --help"),
])
def test_a_usage_error_is_one_line_on_stderr_and_exit_1(
        tmp_path: Path, args: list[str], message: str) -> None:
    root = make_site(tmp_path)
    assert invoke(root, *args, code=1) == ("", f"error: {message}\n")


@pytest.mark.parametrize("value", ["200", "101", "-1"])
def test_min_approved_must_be_a_percentage(tmp_path: Path, value: str) -> None:
    root = make_site(tmp_path)
    stdout, stderr = invoke(root, "build", "--min-approved", value, code=1)
    assert stdout == ""
    assert stderr == (f"error: Invalid value for '--min-approved': {value} is not a percentage "
                      "from 0 to 100; see l10n build --help\n")
    assert not (root / "build").exists()
    invoke(root, "build", "--min-approved", "0")
    invoke(root, "build", "--min-approved", "100")


@pytest.mark.parametrize("reviewer", ["Ann\nX-Evil: 1", "Ann\rX-Evil: 1", "Ann\x00", "Ann\u2028B"])
def test_a_reviewer_with_a_line_break_or_control_character_is_refused(
        tmp_path: Path, reviewer: str) -> None:
    root = make_site(tmp_path)
    invoke(root, "sync", "--engine", "pseudo")
    po = root / "locales" / "zh" / "torch.po"
    before = po.read_bytes()
    stdout, stderr = invoke(root, "review", "--approve-all", "--reviewer", reviewer, code=1)
    assert stdout == ""
    assert stderr == ("error: Invalid value for '--reviewer': a name cannot contain a line break "
                      "or a control character; see l10n review --help\n")
    assert po.read_bytes() == before
    invoke(root, "review", "--approve-all", "--reviewer", "Ann Lee <ann@example.com>")
    assert polib.pofile(str(po)).metadata["Last-Translator"] == "Ann Lee <ann@example.com>"


@pytest.mark.parametrize("command", ["translate", "sync"])
@pytest.mark.parametrize("url", ["notaurl", "ftp://host/", "http://", "localhost:5000"])
def test_engine_url_must_be_an_http_url(tmp_path: Path, command: str, url: str) -> None:
    root = make_site(tmp_path)
    stdout, stderr = invoke(root, command, "--engine", "libre", "--engine-url", url, code=1)
    assert stdout == ""
    assert stderr == (f"error: Invalid value for '--engine-url': {url!r} is not an http(s) URL "
                      f"such as http://localhost:5000/; see l10n {command} --help\n")
    assert not list((root / "locales").rglob("*.po*"))          # nothing ran


def test_help_still_prints_and_exits_0(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    stdout, stderr = invoke(root, "build", "--help")
    assert "--min-approved" in stdout and "--check" in stdout and stderr == ""
    stdout, _ = invoke(root, "--help")
    assert "build" in stdout and "review" in stdout


def test_the_console_script_reports_usage_errors_the_same_way(tmp_path: Path) -> None:
    """Through main() (the `l10n` entry point in pyproject.toml), in a fresh interpreter."""
    root = make_site(tmp_path)
    code = "import sys; from l10n.cli import main; sys.argv = ['l10n', *sys.argv[1:]]; main()"
    done = subprocess.run([sys.executable, "-c", code, "--root", str(root), "build",
                           "--min-approved", "abc"], capture_output=True, text=True, timeout=60,
                          check=False)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("error: Invalid value for '--min-approved': 'abc' is not a valid "
                           "int; see l10n build --help\n")
    done = subprocess.run([sys.executable, "-c", code, "--root", str(root), "build", "--help"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "--min-approved" in done.stdout
    # Bare `l10n`: the help once, exit 1 (a usage error, not a provider failure).
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.count("Usage: l10n") == 1 and "sync" in done.stdout


# -- a missing provider key is a configuration error ----------------------------------------------

@pytest.mark.parametrize("command", ["translate", "sync"])
def test_a_missing_provider_key_is_a_configuration_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    monkeypatch.setenv("MICROSOFT_API_KEY", "sk-secret-never-printed")
    root = make_site(tmp_path)
    stdout, stderr = invoke(root, command, "--engine", "deepl", code=1)
    assert stderr == ("error: deepl needs an API key and DEEPL_API_KEY is not set "
                      "(export DEEPL_API_KEY=... or choose another --engine)\n")
    assert "sk-secret" not in stdout + stderr


# -- counts read as English: one entry, two entries ----------------------------------------------

def test_a_count_of_one_is_singular_and_other_counts_plural(tmp_path: Path) -> None:
    root = make_site(tmp_path, one="# Read the [paper](https://example.com/p).\n")
    invoke(root, "extract")
    invoke(root, "update")
    stdout, _ = invoke(root, "translate", "--engine", "pseudo", "--dry-run")
    assert stdout.startswith("zh: would send 1 segment (") and "characters) to pseudo" in stdout
    stdout, _ = invoke(root, "sync", "--engine", "pseudo")
    assert "zh: 1 draft (0 memory, 0 cache, 1 pseudo, 0 copied), 0 failed; 0 requests, " \
        "0 characters sent\n" in stdout
    assert "zh: 1 draft to review — run `l10n review --lang zh`\n" in stdout
    po = root / "locales" / "zh" / "one.po"
    approve(po, {"Read the [paper](https://example.com/p).": "读论文。"})     # the link dropped
    stdout, _ = invoke(root, "check", code=1)
    assert stdout.endswith("check: 1 problem: 1 critical, 0 functional, 0 cosmetic\n")
    approve(po, {"Read the [paper](https://example.com/p).": "读[论文](https://example.com/p)。"})
    stdout, _ = invoke(root, "check")
    assert stdout == "check: 0 problems: 0 critical, 0 functional, 0 cosmetic\n"


def one_draft_rejected(tmp_path: Path) -> Path:
    """A workspace whose one entry's machine draft a reviewer rejected."""
    root = make_site(tmp_path, one="# Torch grew into PyTorch\n")
    invoke(root, "sync", "--engine", "pseudo")
    assert runner.invoke(app, ["--root", str(root), "review", "--reviewer", "Ann"],
                         input="r\n").exit_code == 0
    return root


def test_one_entry_left_for_a_human_translator_is_singular(tmp_path: Path) -> None:
    root = one_draft_rejected(tmp_path)
    stdout, _ = invoke(root, "translate", "--engine", "pseudo")
    assert ("zh: 1 entry whose draft a reviewer rejected is left for a human translator\n"
            in stdout)


# -- editions not built: build lists them, sync sums them up per language ------------------------

def many_articles(tmp_path: Path, count: int) -> Path:
    return make_site(tmp_path, **{f"a{n:02}": f"# Article {n}\n\nIt ran on Lua.\n"
                                  for n in range(count)})


# The hint after "not built" says what would get the editions built, from what their catalogs hold.
REVIEW_HINT = "review the drafts, or preview with `l10n build --include-drafts`"
TRANSLATE_HINT = ("entries are untranslated: get drafts with `l10n translate --lang zh`, or "
                  "translate them in locales/zh/")
BOTH_HINT = ("review the drafts and translate the untranslated entries, or preview with "
             "`l10n build --include-drafts`")
# `build` alone does not count what is waiting: it says where to look.
BUILD_HINT = "approve more entries: `l10n status --lang zh` counts the drafts and untranslated ones"


def test_sync_sums_up_many_editions_not_built_in_one_line_per_language(tmp_path: Path) -> None:
    root = many_articles(tmp_path, 12)
    first, _ = invoke(root, "sync", "--no-mt")
    summary = ("zh: 12 of 12 editions not built (below min_approved 80%; at most 0% approved): "
               f"`l10n status --lang zh` lists them; {TRANSLATE_HINT}\n")
    assert summary in first
    assert first.count("not built") == 1                    # no line per edition
    assert "review the drafts" not in first and "to review" not in first   # there are none
    # It ends with what needs a human: 2 entries in each of the 12 articles.
    closing = ("zh: 24 untranslated entries — run `l10n translate --lang zh`, or translate them "
               "in locales/zh/\n")
    assert first.endswith("build: 12 written, 0 unchanged\n" + closing)
    # The second run, answered from sync's cache, says the same (and writes nothing).
    second, _ = invoke(root, "sync", "--no-mt")
    assert second == ("extract: 0 written, 12 unchanged\n"
                      "update: 0 written, 12 unchanged\n"
                      + summary
                      + "build: 0 written, 12 unchanged\n"
                      + closing)
    assert invoke(root, "sync", "--no-mt")[0] == second


def test_sync_lists_a_few_editions_not_built_and_sums_them_up(tmp_path: Path) -> None:
    root = many_articles(tmp_path, 3)
    po = root / "locales" / "zh" / "a01.po"
    invoke(root, "sync", "--no-mt")
    catalog = polib.pofile(str(po))
    catalog[0].msgstr, catalog[0].flags = "第 1 篇", []          # half of a01 approved
    catalog.save()
    stdout, _ = invoke(root, "sync", "--no-mt")
    assert stdout.endswith(
        "build/zh/a00.md: not built: 0% approved, below min_approved 80%\n"
        "build/zh/a01.md: not built: 50% approved, below min_approved 80%\n"
        "build/zh/a02.md: not built: 0% approved, below min_approved 80%\n"
        f"zh: 3 of 3 editions not built (below min_approved 80%): {TRANSLATE_HINT}\n"
        "build: 0 written, 3 unchanged\n"
        "zh: 5 untranslated entries — run `l10n translate --lang zh`, or translate them in "
        "locales/zh/\n")


def test_sync_says_review_when_there_are_drafts_and_both_when_some_are_untranslated(
        tmp_path: Path) -> None:
    root = many_articles(tmp_path, 3)
    stdout, _ = invoke(root, "sync", "--engine", "pseudo")
    assert f"zh: 3 of 3 editions not built (below min_approved 80%): {REVIEW_HINT}\n" in stdout
    assert stdout.endswith("zh: 6 drafts to review — run `l10n review --lang zh`\n")
    assert "untranslated" not in stdout
    po = root / "locales" / "zh" / "a01.po"
    catalog = polib.pofile(str(po))
    catalog[0].msgstr, catalog[0].flags = "", []                 # one draft cleared
    catalog.save()
    stdout, _ = invoke(root, "sync", "--no-mt")
    assert f"zh: 3 of 3 editions not built (below min_approved 80%): {BOTH_HINT}\n" in stdout
    assert stdout.endswith("zh: 5 drafts to review — run `l10n review --lang zh`\n"
                           "zh: 1 untranslated entry — run `l10n translate --lang zh`, or "
                           "translate it in locales/zh/\n")
    assert invoke(root, "sync", "--no-mt")[0].endswith(stdout.split("build: ", 1)[1].split(
        "\n", 1)[1])                                                # the cache says the same


def test_entries_whose_draft_was_rejected_wait_for_a_human_translator(tmp_path: Path) -> None:
    root = one_draft_rejected(tmp_path)
    stdout, _ = invoke(root, "sync", "--engine", "pseudo")
    assert ("build/zh/one.md: not built: 0% approved, below min_approved 80% (entries are "
            "untranslated: translate them in locales/zh/)\n") in stdout
    assert stdout.endswith("zh: 1 untranslated entry left for a human translator — translate "
                           "it in locales/zh/\n")


def test_build_names_every_edition_it_does_not_build(tmp_path: Path) -> None:
    root = many_articles(tmp_path, 12)
    invoke(root, "extract")
    invoke(root, "update")
    for again in (False, True):     # the second build answers from its state: the same lines
        stdout, _ = invoke(root, "build")
        listed = [f"build/zh/a{n:02}.md: not built: 0% approved, below min_approved 80%"
                  for n in range(12)]
        written = "" if again else "".join(f"wrote build/en/a{n:02}.md\n" for n in range(12))
        # Unchanged counts editions on disk, never one not built.
        assert stdout == ("\n".join(listed) + "\n"
                          f"zh: 12 of 12 editions not built (below min_approved 80%): "
                          f"{BUILD_HINT}\n" + written
                          + ("build: 0 written, 12 unchanged\n" if again
                             else "build: 12 written, 0 unchanged\n"))


def test_one_edition_not_built_is_one_line(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    invoke(root, "extract")
    invoke(root, "update")
    stdout, _ = invoke(root, "build")
    assert stdout == ("build/zh/torch.md: not built: 0% approved, below min_approved 80% "
                      f"({BUILD_HINT})\n"
                      "wrote build/en/torch.md\n"
                      "build: 1 written, 0 unchanged\n")


# -- a language folder the settings do not list is named, not ignored -----------------------------

def test_sync_names_a_language_folder_the_settings_do_not_list(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    invoke(root, "sync", "--no-mt")
    (root / "locales" / "fr").mkdir()
    (root / "locales" / "fr" / "torch.po").write_bytes(
        (root / "locales" / "zh" / "torch.po").read_bytes())
    note = ('locales/fr/: not one of this workspace\'s languages (en, zh); add "fr" to '
            "[tool.l10n] languages in pyproject.toml to build it\n")
    for _ in range(2):          # the second run is answered from sync's cache
        stdout, _ = invoke(root, "sync", "--no-mt")
        assert stdout.count(note) == 1 and "templates" not in stdout
    assert not (root / "build" / "fr").exists()


# -- the interactive review through a pipe ends each prompt's line ---------------------------------

def test_review_from_a_pipe_ends_the_prompt_line(tmp_path: Path) -> None:
    """A pipe does not echo what it sends (CliRunner does), so the answer is shown by l10n."""
    code = "import sys; from l10n.cli import main; sys.argv = ['l10n', *sys.argv[1:]]; main()"
    prompt = "[a]pprove, [e]dit, [r]eject, [s]kip, [q]uit:"
    for keys, last in (("a\nq\n", f"{prompt} q"), ("a\n", f"{prompt} ")):   # q; end of input
        root = make_site(tmp_path / str(len(keys)))
        invoke(root, "sync", "--engine", "pseudo")
        done = subprocess.run([sys.executable, "-c", code, "--root", str(root), "review",
                               "--reviewer", "Ann"], input=keys, capture_output=True, text=True,
                              timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert f"{prompt} a" in lines and "approved locales/zh/torch.po:20" in lines
        assert last in lines and "wrote locales/zh/torch.po" in lines
