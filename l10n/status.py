"""Where the translation stands: approved, drafts and untranslated per article and language."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from l10n.catalog import CatalogStats, stats, word_count
from l10n.errors import ConfigError
from l10n.pofile import read_catalog
from l10n.project import CONFIG_FILE, Article, Project, normalise_language
from l10n.settings import same_meaning

if TYPE_CHECKING:
    from rich.table import Table


@dataclass(frozen=True)
class StatusRow:
    """One article in one language (the total row has slug "total" and language "")."""

    slug: str
    language: str
    approved: int
    drafts: int
    untranslated: int
    words: int          # words of the source strings

    @property
    def percent(self) -> float:
        """Share of strings approved; an article with nothing to translate is done."""
        return CatalogStats(self.approved, self.drafts, self.untranslated, self.words,
                            approved_words=0).percent_approved

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.slug, "language": self.language, "approved": self.approved,
                "drafts": self.drafts, "untranslated": self.untranslated, "words": self.words,
                "percent": round(self.percent, 1)}


def article_status(project: Project, article: Article, language: str) -> StatusRow:
    """Counts from the catalog; without one, every string of the template (which has no
    msgstr) or, before ``extract``, of the article itself is untranslated."""
    path = project.catalog_path(language, article.slug)
    if not path.exists():
        path = project.template_path(article.slug)
    if path.exists():
        counts = stats(read_catalog(path, project.relative(path)))
        return StatusRow(article.slug, language, counts.approved, counts.drafts,
                         counts.untranslated, counts.words)
    from l10n.extract import segments_of

    msgids = dict.fromkeys(segment.msgid for segment in segments_of(project, article))
    return StatusRow(article.slug, language, 0, 0, len(msgids),
                     sum(word_count(msgid) for msgid in msgids))


def workspace_status(project: Project, *, languages: Sequence[str] | None = None
                     ) -> list[StatusRow]:
    """One row per article and target language (only ``languages`` when given), by slug."""
    rows: list[StatusRow] = []
    for article in project.articles():
        for language in project.target_languages(article, languages):
            rows.append(article_status(project, article, language))
    return rows


@dataclass(frozen=True)
class UnlistedLanguage:
    """A folder under locales/ named like a language the settings do not list (Weblate's "add
    language" makes one): no step reads or builds it until the language is added."""

    folder: str                    # relative to the workspace, ending in /
    code: str                      # the code the folder's name spells, as the settings spell it
    languages: tuple[str, ...]     # the workspace's languages
    configured: str | None = None  # the workspace's language the folder's name also means

    def __str__(self) -> str:
        parent = self.folder.rstrip("/").rpartition("/")[0]
        home = f"{parent}/{self.configured or self.code}/" if parent else ""
        if self.configured is not None:
            return (f"{self.folder}: the same language as \"{self.configured}\" of [tool.l10n] "
                    f"languages, whose catalogs are in {home}; move its catalogs there")
        rename = "" if self.folder == home else f" and rename the folder to {home}"
        return (f"{self.folder}: not one of this workspace's languages "
                f"({', '.join(self.languages)}); add \"{self.code}\" to [tool.l10n] languages in "
                f"{CONFIG_FILE}{rename} to build it")


def unlisted_languages(project: Project) -> list[UnlistedLanguage]:
    """The language folders under locales/ that are not among the workspace's languages, by
    name (one listing of locales/; templates/, hidden folders and names that are not language
    codes are not language folders)."""
    try:
        names = sorted(entry.name for entry in os.scandir(project.locales_dir)
                       if entry.is_dir() and not entry.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []
    languages = tuple(project.settings.languages)
    found: list[UnlistedLanguage] = []
    for name in names:
        if name in ("templates", "root", "und") or name in languages:
            continue   # root and und: CLDR's codes for no language in particular
        try:
            code = normalise_language(name)
        except ConfigError:
            continue
        if next((project.locales_dir / name).rglob("*.po"), None) is None:
            continue   # no catalog in it: nothing anyone would miss
        configured = next((lang for lang in languages if same_meaning(lang, code)), None)
        found.append(UnlistedLanguage(project.relative(project.locales_dir / name) + "/", code,
                                      languages, configured))
    return found


def total(rows: Iterable[StatusRow]) -> StatusRow:
    """The column sums (words: of every row, the amount of text to translate)."""
    rows = list(rows)
    return StatusRow("total", "", sum(r.approved for r in rows), sum(r.drafts for r in rows),
                     sum(r.untranslated for r in rows), sum(r.words for r in rows))


def status_table(rows: Sequence[StatusRow]) -> Table:
    """The rows and their total as a rich table that fits in 80 columns."""
    from rich import box  # rich only for the table: `status --json` does without
    from rich.table import Table

    total_row = total(rows)
    table = Table(box=box.SIMPLE, pad_edge=False, show_edge=False, show_footer=True,
                  padding=(0, 1), collapse_padding=True)
    table.add_column("Article", footer="total", overflow="fold")
    table.add_column("Lang", no_wrap=True)
    # Short headers leave the slugs room to stay on one line in 80 columns.
    for name, value in zip(("Approved", "Drafts", "Todo", "Words", "%"),
                           _cells(total_row)[2:], strict=True):
        table.add_column(name, footer=value, justify="right", no_wrap=True)
    for row in rows:
        table.add_row(*_cells(row))
    return table


def _cells(row: StatusRow) -> list[str]:
    return [row.slug, row.language, str(row.approved), str(row.drafts), str(row.untranslated),
            str(row.words), f"{row.percent:.0f}%"]
