"""The workspace: its folders, languages and the articles under ``source/``; the ``[tool.l10n]``
settings it is built on are read and checked by :mod:`l10n.settings`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n.atomic import exclusive
from l10n.errors import ConfigError, SourceError, WorkspaceError, decode_utf8, merge_conflict
from l10n.settings import (
    Settings,
    language_clash,
    load_settings,
    normalise_language,
    same_language,
    same_meaning,
    setting_line,
)
from l10n.state import digest

# The settings and language helpers are imported from here as well as from l10n.settings.
__all__ = ["CONFIG_FILE", "Article", "Project", "Settings", "language_clash", "load_settings",
           "normalise_language", "same_language"]

CONFIG_FILE = "pyproject.toml"
BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")


@dataclass(frozen=True)
class Article:
    """One source document: where it is, its slug (path under source/ without suffix), the language
    it is written in (front matter ``lang:`` or ``<html lang>``, else the default) and the digest
    of its bytes.

    The text itself is not kept: a workspace of thousands of articles would otherwise sit in
    memory (and be copied to every worker). ``text`` reads the file again, checks it is still
    what was loaded, and keeps the last article read, so a step working on one article at a time
    reads it once."""

    path: Path
    slug: str
    suffix: str
    language: str
    digest: str
    shown: str = field(compare=False)   # the path as messages show it
    # The file starts with a byte-order mark. ``text`` never has it (the formats see text only);
    # build puts it back at the start of every edition.
    bom: bool = False

    @property
    def text(self) -> str:
        path, known, text = _LAST_READ
        if path == self.path and known == self.digest:
            return text
        data = _read(self.path, self.shown)
        if digest(data) != self.digest:
            raise SourceError("changed while l10n was running", path=self.shown,
                              hint="run the command again")
        text = _decode(data, self.shown)
        _LAST_READ[:] = [self.path, self.digest, text]
        return text


_LAST_READ: list[Any] = [None, None, None]   # path, digest, text of the last article read


def _read(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path=shown) from None


def _decode(data: bytes, shown: str) -> str:
    return decode_utf8(data, path=shown, error=SourceError)   # without a byte-order mark


# A conflict git left in an article: its opening line, then a closing line after it. Either alone
# is text (">>>>>>>" a quote of a quote; "=======" alone a setext underline).
_OPENING = re.compile(r"^<{7}(?:[ \t\r][^\n]*)?$", re.MULTILINE)
_CLOSING = re.compile(r"^>{7}(?:[ \t\r]|$)", re.MULTILINE)


def _refuse_merge_conflict(text: str, shown: str) -> None:
    if "<<<<<<<" not in text:   # every article goes through here: the common case is one scan
        return
    # The first opening line decides: a closing line after any opening one is after it too.
    found = _OPENING.search(text)
    if found is not None and _CLOSING.search(text, found.end()):
        message, hint = merge_conflict(found.group())
        raise SourceError(message, path=shown, line=text.count("\n", 0, found.start()) + 1,
                          hint=hint)


@dataclass(frozen=True)
class Project:
    """A workspace rooted at ``root``; all paths it hands out are absolute."""

    root: Path
    settings: Settings = field(default_factory=Settings)

    @classmethod
    def load(cls, root: Path) -> Project:
        """The workspace at ``root``: its settings checked, its source folder there.

        Raises WorkspaceError when ``root`` has no pyproject.toml, ConfigError for a setting."""
        root = root.resolve()
        if not root.is_dir():
            raise WorkspaceError("workspace folder does not exist", path=root)
        if not (root / CONFIG_FILE).is_file():
            raise WorkspaceError(f"no {CONFIG_FILE} here — run `l10n init` or pass --root",
                                 path=root)
        return cls(root=root, settings=load_settings(root / CONFIG_FILE))

    # -- folders -----------------------------------------------------------------------------
    @property
    def source_dir(self) -> Path:
        return self.root / self.settings.source_dir

    @property
    def locales_dir(self) -> Path:
        return self.root / self.settings.locales_dir

    @property
    def build_dir(self) -> Path:
        return self.root / self.settings.build_dir

    @property
    def glossary_path(self) -> Path:
        return self.root / self.settings.glossary

    @property
    def state_dir(self) -> Path:
        """Private, git-ignored state: content hashes, the machine-translation cache."""
        return self.root / ".l10n"

    def writing(self) -> AbstractContextManager[None]:
        """Hold the workspace while a command writes it: one such command at a time, and what a
        killed one left staged is cleared first (``atomic.exclusive``)."""
        # What would stop the command anyway (two articles with one slug) stops it before it
        # writes anything, the lock included.
        self.article_paths()
        lock = self.state_dir / "lock"
        return exclusive(lock, (self.locales_dir, self.build_dir, self.state_dir),
                         shown=self.relative(lock))

    def template_path(self, slug: str) -> Path:
        return self.locales_dir / "templates" / f"{slug}.pot"

    def catalog_path(self, language: str, slug: str) -> Path:
        return self.locales_dir / language / f"{slug}.po"

    def edition_path(self, language: str, article: Article) -> Path:
        return self.build_dir / language / f"{article.slug}{article.suffix}"

    def relative(self, path: Path) -> str:
        """A path as users see it in messages and PO references: relative to the root, with /."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    # -- languages ---------------------------------------------------------------------------
    def language(self, code: str) -> str:
        """Validate a language given on the command line against the workspace's languages."""
        canonical = normalise_language(code, where="--lang")
        for configured in self.settings.languages:
            if configured == canonical:
                return configured
        for configured in self.settings.languages:   # another spelling: zh_Hans for zh_CN
            if same_meaning(configured, canonical):
                return configured
        raise ConfigError(
            f"language {code!r} is not one of this workspace's languages "
            f"({', '.join(self.settings.languages)})",
            path=self.relative(self.root / CONFIG_FILE),
            line=setting_line(self.root / CONFIG_FILE, "languages"),
            hint="add it to [tool.l10n] languages",
        )

    def target_languages(self, article: Article,
                         only: Sequence[str] | None = None) -> list[str]:
        """The languages an article is translated into: every configured one but its own (those
        of them in ``only``, when given)."""
        return [lang for lang in self.settings.languages
                if not same_language(lang, article.language) and (only is None or lang in only)]

    # -- articles ----------------------------------------------------------------------------
    def article_paths(self) -> list[Path]:
        """Every article under the source folder, sorted.

        Raises ConfigError when the folder is gone and SourceError when two articles would
        share a slug (``a.md`` and ``a.html``, or ``A.md`` and ``a.md``: a case-insensitive disk
        holds one ``a.pot``), so neither overwrites the other's template and catalogs."""
        from l10n.formats import SUFFIXES

        if not self.source_dir.is_dir():
            raise ConfigError(f'source_dir "{self.settings.source_dir}" is not a folder',
                              path=self.root / CONFIG_FILE,
                              hint="create it and put the articles in it")
        paths = sorted(
            path for path in self.source_dir.rglob("*")
            if path.suffix in SUFFIXES and path.is_file() and not path.name.startswith(".")
        )
        seen: dict[str, Path] = {}
        for path in paths:
            slug = self.slug(path)
            other = seen.setdefault(slug.casefold(), path)
            if other is not path:
                taken = self.slug(other)
                clash = (f'same slug "{slug}" as {self.relative(other)}' if taken == slug else
                         f'slug "{slug}" differs from "{taken}" of {self.relative(other)} '
                         "only in case")
                raise SourceError(f"{clash}; rename one", path=self.relative(path))
        return paths

    def slug(self, path: Path) -> str:
        """An article's name in the workspace: its path under the source folder, no suffix."""
        return path.relative_to(self.source_dir).with_suffix("").as_posix()

    def load_article(self, path: Path) -> Article:
        from l10n.formats import format_for

        shown = self.relative(path)
        data = _read(path, shown)
        text = _decode(data, shown)
        _refuse_merge_conflict(text, shown)
        fmt = format_for(path)
        declared = fmt.declared_language(text, shown)
        language = self.settings.source_language
        if declared is not None:
            language = normalise_language(declared, where="lang", path=shown,
                                          line=fmt.language_line(text))
        article = Article(path=path, slug=self.slug(path), suffix=path.suffix, language=language,
                          digest=digest(data), shown=shown, bom=data.startswith(BOM_BYTES))
        _LAST_READ[:] = [path, article.digest, text]
        return article

    def articles(self) -> list[Article]:
        return [self.load_article(path) for path in self.article_paths()]
