"""The workspace's settings: ``[tool.l10n]`` in pyproject.toml, read and checked (each error names
its line), and the language codes they hold, compared by what they mean."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global, get_locale_identifier, parse_locale

from l10n.errors import ConfigError, decode_utf8, toml_problem


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
    # The #: references of templates and catalogs, as xgettext's --add-location: "full"
    # (source/x.md:12), "file" (source/x.md: an edit that moves lines changes no catalog) or
    # "never".
    add_location: str = "full"


def normalise_language(code: str, *, where: str = "language", path: Path | str | None = None,
                       line: int | None = None) -> str:
    """Return a language code in Babel's spelling, otherwise as written: case and separators are
    normalised (``zh-cn`` -> ``zh_CN``, ``zh-hans`` -> ``zh_Hans``), nothing is added (``zh_CN``
    stays ``zh_CN``, so its catalogs stay in ``locales/zh_CN/``).

    Raises ConfigError naming ``where`` for a code Babel does not know."""
    if not isinstance(code, str) or not code.strip():
        raise ConfigError(f"{where}: expected a language code, got {code!r}", path=path, line=line)
    try:
        spelled = get_locale_identifier(parse_locale(code.strip().replace("-", "_")))
        Locale.parse(spelled)
    except (UnknownLocaleError, ValueError, TypeError):
        raise ConfigError(
            f"{where}: unknown language {code!r}",
            path=path,
            line=line,
            hint="use a code such as en, zh, zh_CN, zh-Hans, de, fr",
        ) from None
    return spelled


@lru_cache(maxsize=512)
def _language(code: str) -> str:
    """The language subtag Babel makes of a code, aliases resolved (``iw`` is ``he``)."""
    try:
        return Locale.parse(code).language
    except (UnknownLocaleError, ValueError, TypeError):
        return code


@lru_cache(maxsize=512)
def likely_locale(code: str) -> tuple[str, str | None, str | None, str | None]:
    """What a code stands for, whatever its spelling: language, script, territory and variant
    with CLDR's likely subtags filled in (``zh``, ``zh_CN`` and ``zh_Hans`` are all
    ``zh_Hans_CN``; ``zh_TW`` is ``zh_Hant_TW``).

    Reading CLDR's table costs 2 MB that stay for the process's life: callers compare
    :func:`_language` first and come here only for two codes of one language; an edition's
    og:locale and a provider's territory take theirs from here too."""
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return (code, None, None, None)
    language, script, territory = locale.language, locale.script, locale.territory
    likely = get_global("likely_subtags")
    keys = [f"{language}_{script}_{territory}" if script and territory else None,
            f"{language}_{territory}" if territory else None,
            f"{language}_{script}" if script else None, language]
    for key in keys:
        if key is not None and key in likely:
            _, full_territory, full_script, *_ = parse_locale(likely[key])
            script, territory = script or full_script, territory or full_territory
            break
    return (language, script, territory, locale.variant)


def same_meaning(a: str, b: str) -> bool:
    """True when two codes are spellings of one locale (``zh_CN`` and ``zh_Hans``)."""
    return a == b or (_language(a) == _language(b) and likely_locale(a) == likely_locale(b))


def same_language(a: str, b: str) -> bool:
    """True when two canonical codes name the same language for our purposes: a bare language
    and any of its variants (``zh``/``zh_TW``), or two spellings of one locale
    (``zh_CN``/``zh_Hans``)."""
    if a == b:
        return True
    base_a, base_b = a.split("_")[0], b.split("_")[0]
    return (base_a == base_b and (a == base_a or b == base_b)) or same_meaning(a, b)


def language_clash(codes: Sequence[str]) -> tuple[int, int] | None:
    """The positions of the first two of ``codes`` (canonical) that name one language (``zh``
    and ``zh_Hans``, or ``en`` twice): their catalogs would be two copies of one translation.
    None if every code names a language of its own."""
    for second, code in enumerate(codes):
        for first in range(second):
            if same_meaning(codes[first], code):
                return first, second
    return None


# -- where a TOML key is ------------------------------------------------------------------------
_TOML_HEADER = re.compile(r"^\s*\[\[?([^\[\]]+)\]\]?\s*(?:#.*)?$")
_TOML_PART = re.compile(r"""[\w-]+|"[^"]*"|'[^']*'""")
_TOML_KEY = re.compile(rf"^\s*((?:{_TOML_PART.pattern})(?:\s*\.\s*(?:{_TOML_PART.pattern}))*)\s*=")


def setting_line(config: Path, key: str) -> int | None:
    """The line of ``[tool.l10n] key`` in ``config`` (a pyproject.toml), for an error about its
    value found later (None when the file cannot be read or does not write the key)."""
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return _Lines(text).line("tool", "l10n", key)


class _Lines:
    """The line where each table and key of a TOML text is first written, by dotted path; keys
    written inside an inline table or an array are found at the line of the key holding them."""

    def __init__(self, text: str) -> None:
        self.first: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        in_string = False   # inside a multi-line string, where `a = b` is text
        for number, line in enumerate(text.splitlines(), start=1):
            odd = (line.count('"""') + line.count("'''")) % 2 == 1
            if in_string:
                in_string = not odd
                continue
            if header := _TOML_HEADER.match(line):
                table = self._parts(header.group(1))
                self._note(table, number)
            elif key := _TOML_KEY.match(line):
                self._note(table + self._parts(key.group(1)), number)
            in_string = odd

    @staticmethod
    def _parts(dotted: str) -> tuple[str, ...]:
        return tuple(part.strip("\"'") for part in _TOML_PART.findall(dotted))

    def _note(self, path: tuple[str, ...], number: int) -> None:
        for end in range(1, len(path) + 1):
            self.first.setdefault(path[:end], number)

    def line(self, *path: str) -> int | None:
        """The line of ``path``, else of the nearest table or key that holds it."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.first:
                return self.first[path[:end]]
        return None


# -- [tool.l10n] --------------------------------------------------------------------------------
ZH_LATIN_SPACING = ("space", "none", "any")
ADD_LOCATION = ("full", "file", "never")
FOLDERS = ("source_dir", "locales_dir", "build_dir")


def load_settings(pyproject: Path) -> Settings:
    """Read and check ``[tool.l10n]`` of a workspace's pyproject.toml (folders are relative to the
    file's folder); no table means all defaults.

    Raises ConfigError naming the file and the line of the first thing wrong."""
    try:
        text = decode_utf8(pyproject.read_bytes(), path=pyproject, error=ConfigError)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=pyproject) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, text, pyproject) from None
    lines = _Lines(text)
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"tool must be a table, not {_kind(tool)}", path=pyproject,
                          line=lines.line("tool"), hint="write the settings under [tool.l10n]")
    raw = tool.get("l10n", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"tool.l10n must be a table, not {_kind(raw)}", path=pyproject,
                          line=lines.line("tool", "l10n"),
                          hint="write the settings as key = value lines under [tool.l10n]")
    return _Checker(pyproject, lines, raw).settings()


def _toml_error(exc: tomllib.TOMLDecodeError, text: str, path: Path) -> ConfigError:
    message, line = toml_problem(exc)
    return ConfigError(f"invalid TOML: {message}", path=path,
                       line=line or max(len(text.splitlines()), 1))   # None: at the end


def _kind(value: object) -> str:
    return {str: "a string", bool: "true/false", int: "a number", float: "a number",
            list: "a list"}.get(type(value), "a date")


def is_http_url(value: str) -> bool:
    """True for an http(s) URL with a host (engine_url, and --engine-url on the command line)."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


class _Checker:
    """Checks each ``[tool.l10n]`` value in turn; every error names the key and its line."""

    def __init__(self, pyproject: Path, lines: _Lines, raw: dict[str, Any]) -> None:
        self.path, self.lines, self.raw = pyproject, lines, raw
        self.root = Path(os.path.abspath(pyproject.parent))

    def fail(self, key: str | None, message: str, hint: str | None = None) -> ConfigError:
        line = self.lines.line("tool", "l10n", key) if key else self.lines.line("tool", "l10n")
        return ConfigError(message, path=self.path, line=line, hint=hint)

    def settings(self) -> Settings:
        known = {f.name: f for f in fields(Settings)}
        values: dict[str, Any] = {}
        for key, value in self.raw.items():
            if key not in known:
                raise self.fail(key, f"[tool.l10n]: unknown setting {key!r}",
                                hint="known settings: " + ", ".join(known))
            values[key] = self.typed(key, value, known[key].default)
        if "source_language" in values:
            values["source_language"] = normalise_language(
                values["source_language"], where="[tool.l10n] source_language", path=self.path,
                line=self.lines.line("tool", "l10n", "source_language"))
        if "languages" in values:
            values["languages"] = self.languages(values["languages"])
        settings = Settings(**values)
        self.numbers(settings)
        self.choices(settings)
        self.folders(settings)
        return settings

    def typed(self, key: str, value: Any, default: Any) -> Any:
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise self.fail(key, f"[tool.l10n] {key}: expected a list of strings")
            return tuple(value)
        if isinstance(default, int):
            if not isinstance(value, int) or isinstance(value, bool):
                raise self.fail(key, f"[tool.l10n] {key}: expected a whole number")
            return value
        if not isinstance(value, str):
            raise self.fail(key, f"[tool.l10n] {key}: expected a string")
        return value

    def languages(self, codes: tuple[str, ...]) -> tuple[str, ...]:
        line = self.lines.line("tool", "l10n", "languages")
        if not codes:
            raise self.fail("languages", "[tool.l10n] languages: list at least one language")
        spelled = tuple(normalise_language(code, where="[tool.l10n] languages", path=self.path,
                                           line=line) for code in codes)
        if clash := language_clash(spelled):
            first, second = (codes[index] for index in clash)
            raise self.fail("languages", f'[tool.l10n] languages: "{first}" and "{second}" '
                            "are the same language", hint="keep one; each has catalogs of its own")
        return spelled

    def numbers(self, settings: Settings) -> None:
        if not 0 <= settings.min_approved <= 100:
            raise self.fail("min_approved",
                            "[tool.l10n] min_approved: must be a percentage from 0 to 100")
        if settings.concurrency < 1:
            raise self.fail("concurrency", f"concurrency {settings.concurrency} is not a "
                            "number of requests", hint="use 1 or more (default 8)")

    def choices(self, settings: Settings) -> None:
        from l10n.engines import ENGINE_NAMES, known_engine  # loads no provider client

        if "engine" in self.raw and known_engine(settings.engine) is None:
            raise self.fail("engine", f'engine "{settings.engine}" is not one of '
                            + ", ".join(ENGINE_NAMES))
        if settings.engine_url is not None and not is_http_url(settings.engine_url):
            raise self.fail("engine_url", f'engine_url "{settings.engine_url}" is not an http(s) '
                            "URL such as http://localhost:5000/")
        spacing = settings.zh_latin_spacing
        if spacing not in ZH_LATIN_SPACING:
            raise self.fail("zh_latin_spacing", f'zh_latin_spacing "{spacing}" is not one of '
                            + ", ".join(ZH_LATIN_SPACING),
                            hint="space: a space between Chinese and Latin text; none: no "
                                 "space; any: not checked")
        if settings.add_location not in ADD_LOCATION:
            raise self.fail("add_location", f'add_location "{settings.add_location}" is not one '
                            "of " + ", ".join(ADD_LOCATION),
                            hint="full: #: source/x.md:12; file: #: source/x.md; never: no #: "
                                 "lines")
        # The default glossary.yml may be missing (no terms); one named on purpose must exist.
        if "glossary" in self.raw and not (self.root / settings.glossary).is_file():
            raise self.fail("glossary", f'glossary "{settings.glossary}" is not a file',
                            hint="create it (`terms: []` is an empty glossary), correct the "
                                 "path, or remove the setting")

    def folders(self, settings: Settings) -> None:
        value = {key: str(getattr(settings, key)) for key in FOLDERS}
        where = {key: Path(os.path.normpath(self.root / value[key])) for key in FOLDERS}
        for key, folder in where.items():
            if not value[key].strip() or folder == self.root \
                    or not folder.is_relative_to(self.root):
                raise self.fail(key, f'{key} "{value[key]}" is not a folder inside the workspace',
                                hint=f'name one under {self.root}, such as "{key[:-4]}"')
        for first, second in combinations(FOLDERS, 2):
            a, b = where[first], where[second]
            if a == b or a.is_relative_to(b) or b.is_relative_to(a):
                raise self.fail(second if second in self.raw else first,
                                f'{first} "{value[first]}" and {second} "{value[second]}" '
                                "overlap", hint="give each a folder of its own, "
                                                "neither inside the other")
        if not where["source_dir"].is_dir():
            named = "source_dir" in self.raw
            raise self.fail("source_dir" if named else None,
                            f'source_dir "{value["source_dir"]}" is not a folder',
                            hint="create it and put the articles in it, or "
                                 + ("correct the setting" if named else
                                    "set source_dir in [tool.l10n]"))
