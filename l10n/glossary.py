"""glossary.yml: names and terms pinned per language. Load and validate it, find its terms in a
text, and say what each found term must become (the ``#.`` hints translators see).

The file::

    terms:
      - en: Tian Yuandong
        zh: 田渊栋
        note: research scientist at FAIR
      - en: FAIR
        keep: true            # the same in every language, never translated
      - en: Yann LeCun
        zh: 杨立昆
        forbidden:
          zh: [扬·勒丘恩]      # variants that must never appear in a zh translation

This module reads and validates the file into Terms and answers questions about them;
l10n/glossary_match.py finds their forms in a text (its docstring gives the matching rules).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from l10n.errors import ConfigError, GlossaryError, decode_utf8
from l10n.glossary_match import Matcher, TermHit  # TermHit: re-exported, part of this API
from l10n.project import normalise_language, same_language

if TYPE_CHECKING:
    from l10n.project import Article, Project

OPTIONS = ("keep", "case_sensitive", "note", "forbidden")
# libyaml's parser where PyYAML has it: the same nodes and line marks, ten times faster.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Term:
    """One glossary entry: its form in each language (canonical codes) and how to match it."""

    forms: Mapping[str, str] = field(hash=False)
    keep: bool = False
    case_sensitive: bool = True
    note: str | None = None
    forbidden: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    line: int = 0

    def form(self, language: str) -> str | None:
        """The term in ``language``; a ``keep`` term has its one form everywhere. None if the
        glossary gives no form for that language."""
        if self.keep:
            return next(iter(self.forms.values()), None)
        key = _best_key(self.forms, language)
        return self.forms[key] if key is not None else None

    def forbidden_in(self, language: str) -> tuple[str, ...]:
        """Variants of this term that must never appear in a ``language`` text."""
        key = _best_key(self.forbidden, language)
        return self.forbidden[key] if key is not None else ()

    @property
    def label(self) -> str:
        """The term as messages name it: its first form."""
        return next(iter(self.forms.values()), "")


@dataclass(frozen=True)
class Glossary:
    """The workspace glossary, validated. An empty one (no glossary.yml) finds nothing."""

    terms: tuple[Term, ...]
    path: str | None = None
    _matchers: dict[tuple[str, bool], Matcher] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __len__(self) -> int:
        return len(self.terms)

    @classmethod
    def load(cls, path: Path, *, languages: Sequence[str], source_languages: Sequence[str] = (),
             display: str | None = None) -> Glossary:
        """Read and validate ``path``. A missing file is an empty glossary; anything wrong raises
        GlossaryError naming ``display`` (default: ``path``) and the line."""
        shown = display if display is not None else str(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return cls(terms=(), path=shown)
        except OSError as exc:
            raise GlossaryError(f"cannot read: {exc.strerror}", path=shown) from None
        text = decode_utf8(data, path=shown, error=GlossaryError)
        return cls(terms=_Reader(shown, languages, source_languages).read(text), path=shown)

    def find(self, text: str, language: str) -> list[TermHit]:
        """Every term of ``language`` in ``text``: longest first, non-overlapping, in text order;
        never inside inline code, an HTML tag, a URL or a link destination."""
        return self._matcher(language, forbidden=False).find(text)

    def find_forbidden(self, text: str, language: str) -> list[TermHit]:
        """Every forbidden variant of a term in a ``language`` text (``hit.text`` is the
        variant), with the same matching rules as :meth:`find`."""
        return self._matcher(language, forbidden=True).find(text)

    def comments(self, msgid: str, source: str, target: str) -> list[str]:
        """One hint per distinct term of ``msgid`` (a ``source`` text) that has a ``target``
        form: ``glossary: <source form> → <target form>``, with ``(keep)`` and the note."""
        lines: list[str] = []
        for hit, wanted in self.pinned(msgid, source, target):
            term = hit.term
            extras = (["keep"] if term.keep else []) + ([term.note] if term.note else [])
            suffix = f" ({'; '.join(extras)})" if extras else ""
            lines.append(f"glossary: {term.form(source) or hit.text} → {wanted}{suffix}")
        return lines

    def pinned(self, text: str, source: str, target: str) -> list[tuple[TermHit, str]]:
        """Each distinct term of a ``source`` text that has a ``target`` form: its first hit
        and that form."""
        found: dict[int, tuple[TermHit, str]] = {}
        for hit in self.find(text, source):
            wanted = hit.term.form(target)
            if wanted is not None and id(hit.term) not in found:
                found[id(hit.term)] = (hit, wanted)
        return list(found.values())

    def _matcher(self, language: str, *, forbidden: bool) -> Matcher:
        key = (language, forbidden)
        matcher = self._matchers.get(key)
        if matcher is None:
            pairs: list[tuple[str, Term]] = []
            for term in self.terms:
                if forbidden:
                    pairs.extend((variant, term) for variant in term.forbidden_in(language))
                elif (form := term.form(language)) is not None:
                    pairs.append((form, term))
            matcher = self._matchers[key] = Matcher(pairs)
        return matcher


def load_glossary(project: Project, articles: Sequence[Article]) -> Glossary:
    """The workspace glossary (empty when there is no glossary.yml); every term needs a form in
    each language ``articles`` are written in."""
    return Glossary.load(project.glossary_path, languages=project.settings.languages,
                         source_languages=sorted({a.language for a in articles}),
                         display=project.relative(project.glossary_path))


def _best_key(mapping: Mapping[str, object], language: str) -> str | None:
    """The key of ``mapping`` naming ``language``: the same code, else the closest relative
    (``zh`` for ``zh_Hans_CN``, ``zh_Hans`` for ``zh_Hans_CN``)."""
    if language in mapping:
        return language
    best: str | None = None
    best_shared = 0
    for key in mapping:
        if _related(key, language):
            shared = _shared_parts(key, language)
            if shared > best_shared:
                best, best_shared = key, shared
    return best


def _shared_parts(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a.split("_"), b.split("_")):
        if x != y:
            break
        count += 1
    return count


def _related(a: str, b: str) -> bool:
    """Same language, or one code refines the other (``zh_Hans`` and ``zh_Hans_CN``), which
    :func:`same_language` alone does not accept."""
    if same_language(a, b):
        return True
    parts_a, parts_b = a.split("_"), b.split("_")
    shorter = min(len(parts_a), len(parts_b))
    return parts_a[:shorter] == parts_b[:shorter]




# -- loading ----------------------------------------------------------------------------------

class _Reader:
    """Turns the YAML node tree into Terms, checking everything, with the line of each error."""

    def __init__(self, path: str, languages: Sequence[str], source_languages: Sequence[str]):
        self.path = path
        self.languages = tuple(languages)
        self.source_languages = tuple(source_languages)
        # casefolded form -> (language or None for keep, form, case_sensitive, line)
        self.seen: dict[str, list[tuple[str | None, str, bool, int]]] = {}

    def fail(self, message: str, node: yaml.Node | None, hint: str | None = None) -> GlossaryError:
        line = node.start_mark.line + 1 if node is not None else None
        return GlossaryError(message, path=self.path, line=line, hint=hint)

    def read(self, text: str) -> tuple[Term, ...]:
        try:
            root = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            # libyaml's messages are terser and differ by version: let PyYAML say what's wrong.
            try:
                root = yaml.compose(text, Loader=yaml.SafeLoader)
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or exc.context_mark
                problem = ", ".join(part for part in (exc.context, exc.problem) if part)
                raise GlossaryError(f"invalid YAML: {problem}", path=self.path,
                                    line=mark.line + 1 if mark else None) from None
            except yaml.YAMLError as exc:
                raise GlossaryError(f"invalid YAML: {exc}", path=self.path) from None
        if root is None:
            return ()
        if not isinstance(root, yaml.MappingNode):
            raise self.fail("expected a mapping with a 'terms:' list", root)
        items: yaml.Node | None = None
        for key, value in root.value:
            if self.key_text(key) != "terms":
                raise self.fail(f"unknown top-level key {self.key_text(key)!r}", key,
                                hint="the glossary has one key, terms:")
            if items is not None:   # YAML would keep the last list and drop the first unseen
                raise self.fail("duplicate top-level key 'terms'", key,
                                hint="merge the two lists into one terms: list")
            items = value
        if items is None:
            raise self.fail("expected a mapping with a 'terms:' list", root)
        if _is_null(items):
            return ()
        if not isinstance(items, yaml.SequenceNode):
            raise self.fail("terms: expected a list of terms", items)
        return tuple(self.term(node) for node in items.value)

    def key_text(self, node: yaml.Node) -> str:
        # A key is its plain text: YAML 1.1 would make a language code `no` the boolean false.
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail("expected a plain key", node)
        return str(node.value)

    def term(self, node: yaml.Node) -> Term:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail("a term must be a mapping such as 'en: FAIR'", node)
        forms: dict[str, str] = {}
        options: dict[str, Any] = {}
        form_nodes: dict[str, yaml.Node] = {}
        seen_keys: dict[str, str] = {}
        for key_node, value in node.value:
            key = self.key_text(key_node)
            name = key if key in OPTIONS else self.language(key, key_node, "key")
            if name in seen_keys:
                raise self.fail(f"duplicate key {key!r} in term (same as {seen_keys[name]!r})",
                                key_node)
            seen_keys[name] = key
            if key == "forbidden":
                options[key] = self.forbidden(value)
            elif key in ("keep", "case_sensitive"):
                options[key] = self.boolean(key, value)
            elif key == "note":
                options[key] = self.text(key, value)
            else:
                forms[name] = self.text(key, value)
                form_nodes[name] = value
        term = Term(forms=forms, line=node.start_mark.line + 1, **options)
        self.check_term(term, node, form_nodes)
        return term

    def check_term(self, term: Term, node: yaml.Node, form_nodes: dict[str, yaml.Node]) -> None:
        if not term.forms:
            raise self.fail("term has no form", node, hint="give at least one, e.g. 'en: FAIR'")
        if term.keep and len(term.forms) > 1:
            raise self.fail(
                f"a keep: true term has one form, the same in every language; "
                f"got {', '.join(term.forms)}", node)
        if not term.keep:
            for source in self.source_languages:
                if _best_key(term.forms, source) is None:
                    raise self.fail(f"term {term.label!r} has no {source} form", node,
                                    hint=f"articles are written in {source}")
        for language, variants in term.forbidden.items():
            own = term.form(language)
            for variant in variants:
                if own is not None and variant == own:
                    raise self.fail(f"forbidden: {variant!r} is the term's own {language} form",
                                    node)
        for language, form in term.forms.items():
            self.check_duplicate(None if term.keep else language, form, term.case_sensitive,
                                 form_nodes[language])

    def check_duplicate(self, language: str | None, form: str, case_sensitive: bool,
                        node: yaml.Node) -> None:
        line = node.start_mark.line + 1
        bucket = self.seen.setdefault(form.casefold(), [])
        for other_language, other_form, other_sensitive, other_line in bucket:
            if language is not None and other_language is not None \
                    and not _related(language, other_language):
                continue
            if form == other_form or not (case_sensitive and other_sensitive):
                where = language or other_language or "every language"
                raise self.fail(f"duplicate term {form!r} ({where}): already at line {other_line}",
                                node)
        bucket.append((language, form, case_sensitive, line))

    def language(self, key: str, node: yaml.Node, what: str) -> str:
        try:
            code = normalise_language(key)
        except ConfigError:
            known = ", ".join(OPTIONS)
            raise self.fail(f"unknown {what} {key!r} in term", node,
                            hint=f"expected a language ({', '.join(self.languages)}) "
                                 f"or {known}") from None
        if not any(_related(code, lang) for lang in (*self.languages, *self.source_languages)):
            raise self.fail(
                f"language {key!r} is not one of this workspace's languages "
                f"({', '.join(self.languages)})", node,
                hint="add it to [tool.l10n] languages or remove it")
        return code

    def text(self, key: str, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            raise self.fail(f"{key}: expected text, got {_describe(node)}", node,
                            hint="quote it" if isinstance(node, yaml.ScalarNode)
                            and not _is_null(node) else None)
        value = str(node.value)
        if not value.strip():
            raise self.fail(f"{key}: empty", node)
        if value != value.strip():
            raise self.fail(f"{key}: {value!r} has leading or trailing spaces", node)
        return value

    def boolean(self, key: str, node: yaml.Node) -> bool:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
            raise self.fail(f"{key}: expected true or false, got {_describe(node)}", node)
        return bool(yaml.constructor.SafeConstructor.bool_values[str(node.value).lower()])

    def forbidden(self, node: yaml.Node) -> dict[str, tuple[str, ...]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(f"forbidden: expected a mapping of language to variants, "
                            f"got {_describe(node)}", node)
        result: dict[str, tuple[str, ...]] = {}
        for key_node, value in node.value:
            key = self.key_text(key_node)
            language = self.language(key, key_node, "language")
            if language in result:
                raise self.fail(f"forbidden: duplicate language {key!r}", key_node)
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            variants = tuple(self.text(f"forbidden: {key}", item) for item in items)
            if not variants:
                raise self.fail(f"forbidden: {key}: empty list", value)
            result[language] = variants
        return result


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kind = node.tag.rsplit(":", 1)[-1]
    names = {"null": "nothing", "bool": "a boolean", "int": "a number", "float": "a number",
             "timestamp": "a date", "str": "text"}
    return f"{names.get(kind, kind)} {node.value!r}" if kind != "null" else "nothing"
