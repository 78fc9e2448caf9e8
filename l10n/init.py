"""``l10n init``: lay out an empty workspace, refusing to overwrite anything."""

from __future__ import annotations

from pathlib import Path

from l10n.atomic import write_text_atomic
from l10n.errors import ConfigError, WorkspaceError
from l10n.project import language_clash

PYPROJECT = """\
[tool.l10n]
source_language = "{source}"
languages = [{languages}]
source_dir = "source"
locales_dir = "locales"
build_dir = "build"
glossary = "glossary.yml"
min_approved = 80
"""

GLOSSARY = """\
# Names and terms every translation must use. One entry per concept:
#   - en: Tian Yuandong
#     zh: 田渊栋
#     note: research scientist
#   - en: FAIR
#     keep: true          # the same in every language
terms: []
"""

GITIGNORE = "build/\n.l10n/\n"


def init_workspace(root: Path, *, source_language: str, languages: list[str]) -> list[Path]:
    """Create pyproject.toml, source/, locales/templates/, glossary.yml and .gitignore under root.

    Raises WorkspaceError, writing nothing, if any of them exists already, and ConfigError if two
    of ``languages`` (canonical codes) name one language."""
    wanted = [root / "pyproject.toml", root / "source", root / "locales", root / "glossary.yml",
              root / ".gitignore"]
    if clash := language_clash(languages):
        first, second = (languages[index] for index in clash)
        raise ConfigError(f'--languages: "{first}" and "{second}" are the same language',
                          hint="keep one; each has catalogs of its own")
    existing = [path for path in wanted if path.exists()]
    if existing:
        names = ", ".join(path.name for path in existing)
        raise WorkspaceError(f"already exists: {names}", path=root,
                             hint="init never overwrites; edit the files or start in an empty folder")
    root.mkdir(parents=True, exist_ok=True)
    quoted = ", ".join(f'"{code}"' for code in languages)
    write_text_atomic(root / "pyproject.toml",
                      PYPROJECT.format(source=source_language, languages=quoted))
    (root / "source").mkdir()
    (root / "locales" / "templates").mkdir(parents=True)
    write_text_atomic(root / "glossary.yml", GLOSSARY)
    write_text_atomic(root / ".gitignore", GITIGNORE)
    return wanted
