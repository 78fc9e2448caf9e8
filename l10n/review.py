"""The reviewer step: pending drafts, and the decisions on them (approve, edit, reject, skip).

A draft is gettext's fuzzy entry with a msgstr. Approving clears ``fuzzy`` and the ``#|`` previous
msgid; rejecting empties the msgstr (a changed paragraph's suggestion, the translation of its old
text, is kept as an obsolete entry of that text). Either way the reviewer goes into the header's
``Last-Translator`` and ``PO-Revision-Date`` is set. Each catalog is written (atomically, in
msgcat's layout) after every decision, so quitting or an interrupt loses nothing.

A draft with a critical check finding is not approved unless the caller forces it.
"""

from __future__ import annotations

import difflib
import getpass
import re
import subprocess
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

import polib

from l10n.catalog import (
    GLOSSARY_PREFIX,
    PROVENANCE_PREFIXES,
    REJECTED_PREFIX,
    is_draft,
    now_stamp,
)
from l10n.checks import CheckContext, Finding, check_entry, context_for, has_critical, load_glossary
from l10n.errors import CatalogChanged, CatalogError, ConfigError, SourceError, shorten
from l10n.pofile import (
    format_catalog,
    parse_catalog,
    read_catalog_seen,
    write_catalog_over,
)
from l10n.project import Article, Project

# Severities that keep a draft out of ``--approve-clean``.
UNCLEAN = ("critical", "functional")
# The origin a reviewer sees for a draft with a ``#|`` previous msgid (``l10n update``'s suggestion).
CHANGED_PARAGRAPH = "previous translation of a changed paragraph"


@dataclass(frozen=True)
class Draft:
    """One pending draft, with everything a reviewer needs to judge it."""

    path: str                       # the catalog, relative to the workspace
    line: int                       # the line of its msgid in the PO file (as `check` says)
    language: str
    article: str                    # the article's slug
    msgid: str
    msgstr: str
    msgctxt: str | None = None
    origin: tuple[str, ...] = ()    # "machine translation: google", "translation memory: …"
    glossary: tuple[str, ...] = ()  # "Tian Yuandong → 田渊栋 (note)": terms the draft must use
    previous_msgid: str | None = None   # the source before it changed (``#|``)
    findings: tuple[Finding, ...] = ()

    @property
    def critical(self) -> bool:
        return has_critical(self.findings)

    @property
    def clean(self) -> bool:
        """No critical or functional finding: safe to approve without a human look."""
        return not any(f.severity in UNCLEAN for f in self.findings)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def __str__(self) -> str:
        """The ``--list`` line: ``locales/zh/x.po:12: <msgid> → <msgstr>`` (excerpts)."""
        return f"{self.where}: {excerpt(self.msgid)} → {excerpt(self.msgstr)}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "language": self.language,
                "article": self.article, "msgctxt": self.msgctxt, "msgid": self.msgid,
                "msgstr": self.msgstr, "origin": list(self.origin),
                "glossary": list(self.glossary), "previous_msgid": self.previous_msgid,
                "findings": [{"check": f.check, "severity": f.severity, "message": f.message}
                             for f in self.findings]}


class Action(Enum):
    APPROVE = "approve"
    EDIT = "edit"
    REJECT = "reject"
    SKIP = "skip"
    QUIT = "quit"


@dataclass(frozen=True)
class Decision:
    """What a reviewer decided on one draft; ``msgstr`` is the new text of an edit."""

    action: Action
    msgstr: str | None = None

    @classmethod
    def edit(cls, msgstr: str) -> Decision:
        return cls(Action.EDIT, msgstr)


APPROVE = Decision(Action.APPROVE)
REJECT = Decision(Action.REJECT)
SKIP = Decision(Action.SKIP)
QUIT = Decision(Action.QUIT)


@dataclass(frozen=True)
class Outcome:
    """What became of one draft. ``result`` is approved, edited, rejected, skipped, held (an
    approval refused because of a critical finding; ``findings`` say which; nothing written) or
    kept (the reviewer's edit saved, but as a draft: a critical finding refused its approval)."""

    draft: Draft
    result: str
    findings: tuple[Finding, ...] = ()

    @property
    def changed(self) -> bool:
        return self.result in ("approved", "edited", "kept", "rejected")


@dataclass
class ReviewReport:
    outcomes: list[Outcome] = field(default_factory=list)
    written: list[str] = field(default_factory=list)     # catalogs written, relative paths
    # Catalogs changed on disk meanwhile: not written over; their remaining drafts were skipped.
    changed: list[CatalogChanged] = field(default_factory=list)
    quit: bool = False

    def final(self) -> list[Outcome]:
        """One outcome per draft, the last that did something: a draft offered again after an
        edit kept as a draft is still that edit when the reviewer then skips it."""
        last: dict[tuple[str, str | None, str], Outcome] = {}
        for outcome in self.outcomes:
            key = (outcome.draft.path, outcome.draft.msgctxt, outcome.draft.msgid)
            if not (outcome.result == "skipped" and key in last):
                last[key] = outcome
        return list(last.values())

    def count(self, result: str) -> int:
        """Drafts whose final outcome is ``result``."""
        return sum(1 for o in self.final() if o.result == result)

    @property
    def held(self) -> list[Outcome]:
        return [o for o in self.final() if o.result == "held"]

    @property
    def kept(self) -> list[Outcome]:
        return [o for o in self.final() if o.result == "kept"]

    def summary(self) -> str:
        """``review: 1 approved, 2 edited (1 kept as a draft: critical finding), 0 rejected,
        0 skipped, 0 held back``: what became of each draft offered."""
        kept = len(self.kept)
        edited = f"{self.count('edited') + kept} edited"
        if kept:
            edited += (" (1 kept as a draft: critical finding)" if kept == 1
                       else f" ({kept} kept as drafts: critical findings)")
        return (f"review: {self.count('approved')} approved, {edited}, "
                f"{self.count('rejected')} rejected, {self.count('skipped')} skipped, "
                f"{self.count('held')} held back")


Decide = Callable[[Draft], Decision]
Notify = Callable[[Outcome], None]


# -- text helpers for presenters -------------------------------------------------------------

def excerpt(text: str, limit: int = 40) -> str:
    """One line of at most ``limit`` characters: whitespace collapsed, cut with an ellipsis."""
    return shorten(" ".join(text.split()), limit)


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> str:
    """``git diff --word-diff`` style: ``[-removed-]{+added+}`` marks in the new text."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append(f"[-{''.join(a[i1:i2])}-]")
        if j2 > j1:
            out.append(f"{{+{''.join(b[j1:j2])}+}}")
    return "".join(out)


def default_reviewer(root: Path) -> str:
    """``git config user.name`` (with ``<user.email>`` when set), else the login name."""
    def git(key: str) -> str:
        try:
            done = subprocess.run(["git", "-C", str(root), "config", key], check=False,
                                  capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    fix = "correct it with `git config {}`, or pass --reviewer"
    name = one_line_reviewer(git("user.name"), source="git config user.name",
                             hint=fix.format("user.name"))
    if not name:
        try:
            login = getpass.getuser()
        except (OSError, KeyError):
            return "unknown"
        return one_line_reviewer(login, source="login name", hint="pass --reviewer")
    email = one_line_reviewer(git("user.email"), source="git config user.email",
                              hint=fix.format("user.email"))
    return f"{name} <{email}>" if email else name


def one_line_reviewer(reviewer: str, *, source: str = "reviewer",
                      hint: str = "give the name on one line") -> str:
    """``reviewer`` when it can go into the PO header's Last-Translator field.

    Raises ConfigError naming ``source`` when it holds a line break or another control
    character: the header field would end there and the rest become a field of its own."""
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in reviewer):
        raise ConfigError(f"{source} {reviewer!r} contains a line break or a control character, "
                          "which cannot go into the PO header's Last-Translator", hint=hint)
    return reviewer


# -- entries ---------------------------------------------------------------------------------

def approve_entry(entry: polib.POEntry) -> None:
    """gettext's approval: not fuzzy, no previous msgid/msgctxt."""
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
    entry.previous_msgctxt = None


def _clear_draft(entry: polib.POEntry) -> list[str]:
    """Empty the msgstr, drop fuzzy and the note of where the draft came from; return that note."""
    approve_entry(entry)
    entry.msgstr = ""
    lines = (entry.comment or "").splitlines()
    entry.comment = "\n".join(line for line in lines if not line.startswith(PROVENANCE_PREFIXES))
    return [line for line in lines if line.startswith(PROVENANCE_PREFIXES)]


def reject_entry(catalog: polib.POFile, entry: polib.POEntry) -> None:
    """Clear the draft: the entry is untranslated again, marked so that no machine drafts it
    again (``#. rejected: machine translation: google``); it waits for a human translator.

    A changed paragraph's suggestion (it has a ``#|`` previous msgid) is another matter: it is
    the translation of the old text, which no machine proposed for the new one. It goes back to
    ``catalog`` as an obsolete entry of the old msgid, as msgmerge keeps a vanished entry (unless
    the catalog has that msgid already), and the entry is left unmarked for the next draft."""
    previous = previous_translation(entry)
    origins = _clear_draft(entry) or ["draft"]
    if previous is not None:
        if not any((e.msgctxt, e.msgid) == (previous.msgctxt, previous.msgid) for e in catalog):
            catalog.append(previous)
        return
    notes = [line for line in entry.comment.splitlines() if line]
    notes += [f"{REJECTED_PREFIX} {origin}" for origin in origins
              if f"{REJECTED_PREFIX} {origin}" not in notes]
    entry.comment = "\n".join(notes)


def previous_translation(entry: polib.POEntry) -> polib.POEntry | None:
    """The obsolete entry that keeps a changed paragraph's suggestion as the translation of its
    previous msgid (None for any other draft), shaped as ``update_catalog`` keeps a vanished
    entry: its flags (``fuzzy`` too: whether the old text was approved is not known here),
    translator comments and the note of where the text came from."""
    if not entry.previous_msgid:
        return None
    kept = polib.POEntry(msgid=entry.previous_msgid, msgctxt=entry.previous_msgctxt,
                         msgstr=entry.msgstr, tcomment=entry.tcomment, flags=list(entry.flags),
                         obsolete=True)
    kept.comment = "\n".join(line for line in (entry.comment or "").splitlines()
                             if line.startswith(PROVENANCE_PREFIXES))
    return kept


def edit_entry(entry: polib.POEntry, msgstr: str) -> None:
    """The reviewer's own text replaces the draft (and is approved with it)."""
    _clear_draft(entry)
    entry.comment = "\n".join(line for line in entry.comment.splitlines()
                               if not line.startswith(REJECTED_PREFIX))
    entry.msgstr = msgstr


# -- the workspace ---------------------------------------------------------------------------

@dataclass
class _Catalog:
    """One catalog under review: kept in memory, written after each decision."""

    project: Project
    article: Article
    language: str
    path: Path
    context: CheckContext
    catalog: polib.POFile = field(init=False)
    seen: str = field(init=False)    # file_digest of what the file held when read or written

    def __post_init__(self) -> None:
        self.catalog, self.seen = read_catalog_seen(self.path, self.display)

    @property
    def display(self) -> str:
        return self.project.relative(self.path)

    def drafts(self) -> list[Draft]:
        return [self.draft(entry) for entry in self.catalog if is_draft(entry)]

    def pending(self) -> list[tuple[str | None, str]]:
        return [(entry.msgctxt, entry.msgid) for entry in self.catalog if is_draft(entry)]

    def current(self, key: tuple[str | None, str]) -> Draft:
        """The draft as the catalog holds it now (line numbers move as entries are saved)."""
        return self.draft(self.find(*key))

    def draft(self, entry: polib.POEntry) -> Draft:
        comments = (entry.comment or "").splitlines()
        return Draft(
            path=self.display, line=entry.linenum, language=self.language,
            article=self.article.slug, msgid=entry.msgid, msgstr=entry.msgstr,
            msgctxt=entry.msgctxt,
            origin=((CHANGED_PARAGRAPH,) if entry.previous_msgid else ())
            + tuple(c for c in comments if c.startswith(PROVENANCE_PREFIXES)),
            glossary=tuple(c[len(GLOSSARY_PREFIX):].strip() for c in comments
                           if c.startswith(GLOSSARY_PREFIX)),
            previous_msgid=entry.previous_msgid,
            findings=tuple(check_entry(entry, self.context)))

    def find(self, msgctxt: str | None, msgid: str) -> polib.POEntry:
        for entry in self.catalog:
            if entry.msgid == msgid and entry.msgctxt == msgctxt and is_draft(entry):
                return entry
        raise CatalogError(f"{excerpt(msgid)!r} is no longer a draft", path=self.display,
                           hint="the catalog changed; run `l10n review --list` again")

    def decide(self, draft: Draft, decision: Decision, *, reviewer: str,
               force: bool) -> Outcome:
        """Apply one decision to the entry in memory (not saved yet)."""
        entry = self.find(draft.msgctxt, draft.msgid)
        if entry.msgstr != draft.msgstr:
            raise CatalogError(f"the draft of {excerpt(draft.msgid)!r} changed since it was shown",
                               path=self.display, line=entry.linenum,
                               hint="review it again")
        if decision.action is Action.SKIP:
            return Outcome(draft, "skipped")
        if decision.action is Action.REJECT or decision.msgstr == "":
            reject_entry(self.catalog, entry)
            self.stamp(reviewer)
            return Outcome(draft, "rejected")
        edited = decision.msgstr if decision.action is Action.EDIT else None
        if edited is not None:
            edit_entry(entry, edited)
            self.stamp(reviewer)
        findings = tuple(check_entry(entry, self.context))
        if has_critical(findings) and not force:
            if edited is not None:
                # The reviewer's text is kept, as a draft: the critical finding still blocks it.
                entry.flags.insert(0, "fuzzy")
                return Outcome(draft, "kept", findings)
            return Outcome(draft, "held", findings)
        if edited is not None:
            return Outcome(draft, "edited", findings)
        approve_entry(entry)
        self.stamp(reviewer)
        return Outcome(draft, "approved", findings)

    def relocate(self, outcome: Outcome) -> Outcome:
        """The outcome with its draft's line as the catalog on disk has it now."""
        for entry in self.catalog:
            if (entry.msgctxt, entry.msgid) == (outcome.draft.msgctxt, outcome.draft.msgid) \
                    and not entry.obsolete:
                return replace(outcome, draft=replace(outcome.draft, line=entry.linenum))
        return outcome

    def stamp(self, reviewer: str) -> None:
        self.catalog.metadata["Last-Translator"] = reviewer
        self.catalog.metadata["PO-Revision-Date"] = now_stamp()

    def save(self) -> bool:
        """Write the catalog and re-read it from its new text, so line numbers stay true."""
        text = format_catalog(self.catalog)
        written, self.seen = write_catalog_over(
            self.path, text, seen=self.seen, shown=self.display,
            hint="its decisions saved before stand; run `l10n review` again for the rest")
        self.catalog = parse_catalog(text, self.display)
        self.catalog.fpath = str(self.path)
        return written


def _catalogs(project: Project, languages: Sequence[str] | None,
              articles: Sequence[str] | None) -> Iterator[_Catalog]:
    every = project.articles()
    chosen = every if articles is None else [find_article(project, every, a) for a in articles]
    glossary = load_glossary(project, every)
    for article in dict.fromkeys(chosen):
        for language in project.target_languages(article, languages):
            path = project.catalog_path(language, article.slug)
            if path.exists():
                yield _Catalog(project, article, language, path,
                               context_for(project, article, language, glossary))


def find_article(project: Project, articles: Sequence[Article], name: str) -> Article:
    """The article a user named: by slug (``news/x``) or by its source path."""
    for article in articles:
        if article.slug == name:
            return article
    candidates = {Path(name).resolve(), (project.root / name).resolve()}
    for article in articles:
        if article.path.resolve() in candidates:
            return article
    raise SourceError(f"no article {name!r}", path=project.relative(project.source_dir),
                      hint="name a slug such as " + (articles[0].slug if articles else "news/x")
                      + " or a file under the source folder")


def pending_drafts(project: Project, *, languages: Sequence[str] | None = None,
                   articles: Sequence[str] | None = None) -> list[Draft]:
    """Every draft waiting for a reviewer, by article then language, in catalog order.

    ``articles`` are slugs or source paths (default: all); ``languages`` canonical codes."""
    return [draft for catalog in _catalogs(project, languages, articles)
            for draft in catalog.drafts()]


def review_workspace(project: Project, *, decide: Decide, reviewer: str, force: bool = False,
                     languages: Sequence[str] | None = None,
                     articles: Sequence[str] | None = None, notify: Notify | None = None,
                     save_each: bool = True) -> ReviewReport:
    """Offer each pending draft to ``decide`` and apply its decision.

    With ``save_each`` the catalog is written after every decision that changed it (interactive
    review); otherwise once per catalog. A draft edited into text with a critical finding is
    kept as a draft with the new text and offered again; ``Action.QUIT`` stops."""
    one_line_reviewer(reviewer)
    report = ReviewReport()
    for catalog in _catalogs(project, languages, articles):
        first = len(report.outcomes)
        _review_catalog(catalog, report, decide=decide, reviewer=reviewer, force=force,
                        notify=notify, save_each=save_each)
        report.outcomes[first:] = [catalog.relocate(o) for o in report.outcomes[first:]]
        if report.quit:
            break
    return report


def _review_catalog(catalog: _Catalog, report: ReviewReport, *, decide: Decide, reviewer: str,
                    force: bool, notify: Notify | None, save_each: bool) -> None:
    """Offer the catalog's drafts; stop at the first save refused because the file changed on
    disk meanwhile (its outcomes not saved leave the report; the others stand)."""
    dirty, saved = False, len(report.outcomes)
    for key in catalog.pending():
        draft: Draft | None = catalog.current(key)
        while draft is not None and not report.quit:
            decision = decide(draft)
            if decision.action is Action.QUIT:
                report.quit = True
                break
            outcome = catalog.decide(draft, decision, reviewer=reviewer, force=force)
            report.outcomes.append(outcome)
            dirty = dirty or outcome.changed or decision.action is Action.EDIT
            if dirty and save_each:
                if not _save(catalog, report, saved):
                    return
                dirty, saved = False, len(report.outcomes)
            if notify is not None:
                notify(outcome)
            # An edit the checks refused comes back, with the reviewer's text, to fix.
            retry = outcome.result == "kept"
            draft = catalog.current(key) if retry else None
        if report.quit:
            break
    if dirty:
        _save(catalog, report, saved)


def _save(catalog: _Catalog, report: ReviewReport, saved: int) -> bool:
    """Write the catalog. When it changed on disk: False, the reason in ``report.changed``, and
    the outcomes from index ``saved`` on (those not written yet) out of the report."""
    try:
        written = catalog.save()
    except CatalogChanged as changed:
        report.changed.append(changed)
        del report.outcomes[saved:]
        return False
    if written and catalog.display not in report.written:
        report.written.append(catalog.display)
    return True


def approve_drafts(project: Project, *, reviewer: str, clean_only: bool = False,
                   force: bool = False, languages: Sequence[str] | None = None,
                   articles: Sequence[str] | None = None) -> ReviewReport:
    """Bulk approval: every draft, or (``clean_only``) those with no critical or functional
    finding; the others are skipped. Critical drafts are held back unless ``force``."""
    def decide(draft: Draft) -> Decision:
        return SKIP if clean_only and not draft.clean else APPROVE

    return review_workspace(project, decide=decide, reviewer=reviewer, force=force,
                            languages=languages, articles=articles, save_each=False)


def _single(project: Project, draft: Draft, decision: Decision, *, reviewer: str,
            force: bool) -> Outcome:
    one_line_reviewer(reviewer)
    articles = project.articles()
    article = next((a for a in articles if a.slug == draft.article), None)
    if article is None:
        raise SourceError(f"no article {draft.article!r}",
                          path=project.relative(project.source_dir))
    path = project.catalog_path(draft.language, article.slug)
    catalog = _Catalog(project, article, draft.language, path,
                       context_for(project, article, draft.language,
                                   load_glossary(project, articles)))
    outcome = catalog.decide(draft, decision, reviewer=reviewer, force=force)
    if outcome.changed or decision.action is Action.EDIT:
        catalog.save()
    return outcome


def approve(project: Project, draft: Draft, *, reviewer: str, force: bool = False) -> Outcome:
    """Approve one draft and save its catalog; held (not approved) when critical and not forced."""
    return _single(project, draft, APPROVE, reviewer=reviewer, force=force)


def reject(project: Project, draft: Draft, *, reviewer: str) -> Outcome:
    """Clear one draft (empty msgstr, not fuzzy) and save its catalog."""
    return _single(project, draft, REJECT, reviewer=reviewer, force=False)


def edit(project: Project, draft: Draft, msgstr: str, *, reviewer: str,
         force: bool = False) -> Outcome:
    """Replace a draft with the reviewer's text and approve it; when the new text has a critical
    finding (and not ``force``) it is saved as the draft instead and the outcome is kept."""
    return _single(project, draft, Decision.edit(msgstr), reviewer=reviewer, force=force)
