"""Start-up cost: the CLI imports only what the command it runs needs.

Every `l10n` command pays for what `import l10n.cli` loads, so the command line must not pull in the
machine-translation clients, the HTML parser, fuzzy matching or rich for commands that do not use
them. Each check runs a fresh interpreter, because this test session has imported everything.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib
import pytest

# What a Markdown-only extract, update or build has no use for.
TRANSLATION_CLIENTS = {"deep_translator", "requests"}
HEAVY = TRANSLATION_CLIENTS | {"lxml", "rapidfuzz", "rich"}

# Runs the `l10n` entry point with the given arguments, then prints the top-level modules loaded.
RUN_CLI = """
import sys
from l10n.cli import main
sys.argv = ["l10n", *sys.argv[1:]]
try:
    main()
finally:
    print("modules:", " ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""

ARTICLE_MD = """\
---
title: Torch grew into PyTorch
---

# Torch grew into PyTorch

**Soumith Chintala** wrote the first lines at [FAIR](https://ai.meta.com/research/).
"""

ARTICLE_HTML = """\
<!DOCTYPE html>
<html lang="en"><head><title>Torch</title></head>
<body><h1>Torch grew into PyTorch</h1><p>It ran on Lua.</p></body></html>
"""


def loaded_by(*code: str) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after running ``code``."""
    done = subprocess.run([sys.executable, "-c", *code], capture_output=True, text=True,
                          check=False, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return set(done.stdout.split())


def run_cli(root: Path, *args: str) -> tuple[str, set[str]]:
    """Run `l10n --root root args...` in a fresh interpreter: its output and the modules it
    loaded."""
    done = subprocess.run([sys.executable, "-c", RUN_CLI, "--root", str(root), *args],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    output, _, modules = done.stdout.rpartition("modules: ")
    return output, set(modules.split())


def make_workspace(tmp_path: Path, **articles: str) -> Path:
    """A workspace (en -> zh, no glossary) with the given articles under source/."""
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_language = "en"\nlanguages = ["en", "zh"]\n', encoding="utf-8")
    for name, text in articles.items():
        (root / "source" / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return root


def test_importing_the_cli_loads_no_heavy_dependency() -> None:
    code = "import sys, l10n.cli; print(*sorted(m.split('.')[0] for m in sys.modules))"
    modules = loaded_by(code)
    assert "typer" in modules       # the probe sees what is loaded
    assert modules & HEAVY == set()
    # The library's own dependencies wait for a command, too.
    assert modules & {"polib", "babel", "yaml", "markdown_it", "multiprocessing"} == set()


def test_help_loads_no_library_dependency(tmp_path: Path) -> None:
    output, modules = run_cli(tmp_path, "--help")
    assert "extract" in output
    assert modules & TRANSLATION_CLIENTS == set()
    assert modules & {"lxml", "rapidfuzz", "polib", "babel", "yaml"} == set()


def test_markdown_workflow_loads_no_translation_client_nor_html_parser(tmp_path: Path) -> None:
    """extract, update and build of Markdown articles: no deep_translator, requests, lxml,
    rapidfuzz (no paragraph changed) or rich."""
    root = make_workspace(tmp_path, torch_md=ARTICLE_MD)
    output, modules = run_cli(root, "extract")
    assert "wrote locales/templates/torch.pot" in output
    assert modules & HEAVY == set()
    output, modules = run_cli(root, "update")
    assert "wrote locales/zh/torch.po" in output
    assert modules & HEAVY == set()
    output, modules = run_cli(root, "build", "--min-approved", "0")
    assert "wrote build/zh/torch.md" in output
    assert modules & HEAVY == set()


def test_a_changed_paragraph_loads_fuzzy_matching(tmp_path: Path) -> None:
    """rapidfuzz is loaded when `update` has a changed paragraph to match, and only then."""
    root = make_workspace(tmp_path, torch_md=ARTICLE_MD)
    run_cli(root, "extract")
    run_cli(root, "update")
    catalog = root / "locales" / "zh" / "torch.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgid "Torch grew into PyTorch"\nmsgstr ""',
                                    'msgid "Torch grew into PyTorch"\nmsgstr "Torch 长成了 PyTorch"'),
                       encoding="utf-8")
    source = root / "source" / "torch.md"
    source.write_text(ARTICLE_MD.replace("# Torch grew into PyTorch", "# Torch grew into PyTorch!"),
                      encoding="utf-8")
    run_cli(root, "extract")
    _, modules = run_cli(root, "update")
    assert "rapidfuzz" in modules
    assert "#| msgid \"Torch grew into PyTorch\"" in catalog.read_text(encoding="utf-8")


def test_translate_loads_the_client_only_when_there_is_something_to_send(tmp_path: Path) -> None:
    """A finished workspace: `sync` drafts nothing, so requests and deep-translator stay out
    (about 20 MB); an untranslated entry brings them in for the language check."""
    root = make_workspace(tmp_path, torch_md=ARTICLE_MD)
    run_cli(root, "extract")
    run_cli(root, "update")
    _, modules = run_cli(root, "translate", "--dry-run")
    assert TRANSLATION_CLIENTS <= modules
    catalog = polib.pofile(str(root / "locales" / "zh" / "torch.po"))
    for entry in catalog:
        entry.msgstr = f"译 {entry.msgid}"
    catalog.save()
    output, modules = run_cli(root, "sync")
    assert "wrote build/zh/torch.md" in output
    assert modules & TRANSLATION_CLIENTS == set()


@pytest.mark.parametrize("article", ["torch_md", "torch_html"])
def test_lxml_is_loaded_for_html_articles_only(tmp_path: Path, article: str) -> None:
    text = ARTICLE_MD if article.endswith("md") else ARTICLE_HTML
    root = make_workspace(tmp_path, **{article: text})
    output, modules = run_cli(root, "extract")
    assert "wrote locales/templates/torch.pot" in output
    assert ("lxml" in modules) == article.endswith("html")
    assert modules & TRANSLATION_CLIENTS == set()


def test_status_as_json_does_without_rich(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, torch_md=ARTICLE_MD)
    output, modules = run_cli(root, "status", "--json")
    assert '"untranslated": 2' in output
    assert "rich" not in modules
    output, modules = run_cli(root, "status")
    assert "torch" in output
    assert "rich" in modules


def test_sync_without_machine_translation_loads_no_engine(tmp_path: Path) -> None:
    """`sync --no-mt` loads neither the translation clients, nor the engines' cache (sqlite3),
    nor rich's progress bar."""
    root = make_workspace(tmp_path, torch_md=ARTICLE_MD)
    output, modules = run_cli(root, "sync", "--no-mt")
    assert "wrote locales/zh/torch.po" in output
    assert modules & (HEAVY | {"sqlite3"}) == set()
