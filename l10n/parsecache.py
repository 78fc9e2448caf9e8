"""What extract learned about each Markdown source, kept for build so it need not parse it again.

Parsing is most of the work of both steps. When extract parses an article it also notes the
translatable blocks (with their spans) and the block outline that build checks editions
against, in ``.l10n/parsed/<key>.json``. The key is a hash of the article's exact text and of
the parser's own code, so an entry can never describe another text or an older parser: there is
nothing to invalidate. Deleting the folder costs time only; build parses what it does not find.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from l10n.atomic import write_text_atomic
from l10n.formats import SUFFIXES
from l10n.project import Article, Project
from l10n.state import digest
from l10n.validate import Outline


@dataclass(frozen=True)
class Parsed:
    blocks: list[list[object]]  # rows for formats.markdown.remember
    outline: Outline  # validate.markdown_outline(text, inline=False)


@cache
def _code_version() -> str:
    """A hash of the code that makes an entry: any change to it makes every key new."""
    import markdown_it

    from l10n import validate
    from l10n.formats import frontmatter, markdown, markdown_blocks, markdown_write

    sources = [Path(m.__file__).read_bytes() for m in (  # type: ignore[arg-type]
        markdown, markdown_write, markdown_blocks, frontmatter, validate)]
    return digest(markdown_it.__version__, *sources)


def folder(project: Project) -> Path:
    return project.state_dir / "parsed"


def _path(project: Project, article: Article) -> Path | None:
    if SUFFIXES.get(article.suffix.lower()) != "markdown":
        return None
    return folder(project) / f"{digest(_code_version(), article.digest)}.json"


def save(project: Project, article: Article) -> None:
    """Note what a parse of the article found (cheap right after extract parsed it)."""
    path = _path(project, article)
    if path is not None and not path.exists():
        _write(path, article)


def refill(project: Project, article: Article) -> Outline | None:
    """For build, when ``restore`` found nothing (extract ran before an upgrade of l10n, or the
    folder was deleted or damaged): note what a parse finds, as the render must parse anyway,
    and return the outline; None for a format that is not kept."""
    path = _path(project, article)
    return None if path is None else _write(path, article)


def _write(path: Path, article: Article) -> Outline:
    from l10n.formats import markdown
    from l10n.validate import markdown_outline

    outline = markdown_outline(article.text, inline=False)
    entry = {"blocks": markdown.block_rows(article.text), "outline": outline.to_json()}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(entry, ensure_ascii=False), durable=False)
    return outline


def load(project: Project, article: Article) -> Parsed | None:
    """The entry for the article's current text, or None (not saved, unreadable, damaged)."""
    path = _path(project, article)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Parsed(list(data["blocks"]), Outline.from_json(data["outline"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def restore(project: Project, article: Article) -> Outline | None:
    """Hand what extract's parse found, if it was kept, to the Markdown format (so rendering
    the article needs no parse) and return the source's block outline (so checking an edition
    needs none either); None when nothing usable was kept."""
    parsed = load(project, article)
    if parsed is None:
        return None
    from l10n.formats import markdown

    return parsed.outline if markdown.remember(article.text, parsed.blocks) else None


def prune(project: Project, articles: Sequence[Article]) -> None:
    """Remove the entries of texts no article has any more."""
    keep = {_path(project, article) for article in articles}
    try:
        entries = list(folder(project).glob("*.json"))
    except OSError:
        return
    for entry in entries:
        if entry not in keep:
            entry.unlink(missing_ok=True)
