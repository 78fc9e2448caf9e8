"""The workspace: ``[tool.l10n]`` settings, folders, languages and the articles under ``source/``."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from l10n.atomic import exclusive
from l10n.errors import ConfigError, SourceError, decode_utf8
from l10n.state import digest

CONFIG_FILE = "pyproject.toml"


@dataclass(frozen=True)
class Settings:
    """Every ``[tool.l10n]`` key with its default: a workspace with no settings works."""

    source_language: str = "en"
    languages: tuple[str, ...] = ("en", "zh")
    source_dir: str = "source"
    locales_dir: str = "locales"
    build_dir: str = "build"
    glossary: str = "glossary.yml"
    min_approved: int = 80
    front_matter_keys: tuple[str, ...] = ("title", "summary", "description")
    engine: str = "google"
    engine_url: str | None = None
    concurrency: int = 8
    # Chinese typography: "space" wants a space between CJK and Latin text, "none" forbids it,
    # "any" does not check.
    zh_latin_spacing: str = "any"


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
    return decode_utf8(data, path=shown, error=SourceError)


def normalise_language(code: str, *, where: str = "language", path: Path | str | None = None,
                       line: int | None = None) -> str:
    """Return Babel's canonical form of a language code (``zh-Hans`` -> ``zh_Hans``).

    Raises ConfigError naming ``where`` for a code Babel does not know."""
    if not isinstance(code, str) or not code.strip():
        raise ConfigError(f"{where}: expected a language code, got {code!r}", path=path, line=line)
    try:
        locale = Locale.parse(code.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ConfigError(
            f"{where}: unknown language {code!r}",
            path=path,
            line=line,
            hint="use a code such as en, zh, zh_CN, zh-Hans, de, fr",
        ) from None
    return str(locale)


def same_language(a: str, b: str) -> bool:
    """True when two canonical codes name the same language for our purposes (``zh``/``zh_CN``)."""
    if a == b:
        return True
    base_a, base_b = a.split("_")[0], b.split("_")[0]
    return base_a == base_b and (a == base_a or b == base_b)


def _key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_settings(pyproject: Path) -> Settings:
    """Read ``[tool.l10n]`` from a pyproject.toml; a missing file or table means all defaults."""
    if not pyproject.exists():
        return Settings()
    text = decode_utf8(pyproject.read_bytes(), path=pyproject, error=ConfigError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        message = getattr(exc, "msg", str(exc))
        raise ConfigError(f"invalid TOML: {message}", path=pyproject, line=line) from None
    raw: dict[str, Any] = data.get("tool", {}).get("l10n", {})
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        line = _key_line(text, key)
        if key not in known:
            raise ConfigError(
                f"[tool.l10n]: unknown setting {key!r}",
                path=pyproject, line=line,
                hint="known settings: " + ", ".join(known),
            )
        values[key] = _check_value(key, value, known[key].default, pyproject, line)
    if "source_language" in values:
        values["source_language"] = normalise_language(
            values["source_language"], where="[tool.l10n] source_language", path=pyproject,
            line=_key_line(text, "source_language"))
    if "languages" in values:
        line = _key_line(text, "languages")
        langs = [normalise_language(code, where="[tool.l10n] languages", path=pyproject, line=line)
                 for code in values["languages"]]
        if not langs:
            raise ConfigError("[tool.l10n] languages: list at least one language",
                              path=pyproject, line=line)
        values["languages"] = tuple(dict.fromkeys(langs))
    settings = Settings(**values)
    if settings.min_approved < 0 or settings.min_approved > 100:
        raise ConfigError("[tool.l10n] min_approved: must be a percentage from 0 to 100",
                          path=pyproject, line=_key_line(text, "min_approved"))
    return settings


def _check_value(key: str, value: Any, default: Any, path: Path, line: int | None) -> Any:
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"[tool.l10n] {key}: expected a list of strings", path=path, line=line)
        return tuple(value)
    if isinstance(default, (bool, int)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"[tool.l10n] {key}: expected a whole number", path=path, line=line)
        return value
    if not isinstance(value, str):
        raise ConfigError(f"[tool.l10n] {key}: expected a string", path=path, line=line)
    return value


@dataclass(frozen=True)
class Project:
    """A workspace rooted at ``root``; all paths it hands out are absolute."""

    root: Path
    settings: Settings = field(default_factory=Settings)

    @classmethod
    def load(cls, root: Path) -> Project:
        root = root.resolve()
        if not root.is_dir():
            raise ConfigError("workspace folder does not exist", path=root)
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
        raise ConfigError(
            f"language {code!r} is not one of this workspace's languages "
            f"({', '.join(self.settings.languages)})",
            path=self.root / CONFIG_FILE,
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
        from l10n.formats import SUFFIXES

        if not self.source_dir.is_dir():
            return []
        return sorted(
            path for path in self.source_dir.rglob("*")
            if path.suffix in SUFFIXES and path.is_file() and not path.name.startswith(".")
        )

    def load_article(self, path: Path) -> Article:
        from l10n.formats import format_for

        shown = self.relative(path)
        data = _read(path, shown)
        text = _decode(data, shown)
        fmt = format_for(path)
        declared = fmt.declared_language(text, shown)
        language = self.settings.source_language
        if declared is not None:
            language = normalise_language(declared, where="lang", path=shown,
                                          line=fmt.language_line(text))
        slug = path.relative_to(self.source_dir).with_suffix("").as_posix()
        article = Article(path=path, slug=slug, suffix=path.suffix, language=language,
                          digest=digest(data), shown=shown)
        _LAST_READ[:] = [path, article.digest, text]
        return article

    def articles(self) -> list[Article]:
        return [self.load_article(path) for path in self.article_paths()]
