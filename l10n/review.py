"""The reviewer step: pending drafts, and the decisions on them (approve, edit, reject, skip).

A draft is gettext's fuzzy entry with a msgstr. Approving clears ``fuzzy`` and the ``#|`` previous
msgid; rejecting empties the msgstr (a changed paragraph's suggestion, the translation of its old
text, is kept as an obsolete entry of that text). Either way the reviewer goes into the header's
``Last-Translator`` and ``PO-Revision-Date`` is set. Each catalog is written (atomically, in
msgcat's layout) after every decision, so quitting or an interrupt loses nothing.

A draft with a critical check finding is not approved unless the caller forces it.

This module walks the workspace and applies decisions; the records it passes around (Draft,
Decision, Outcome, ReviewReport) are l10n.review_records', and what each decision does to a PO
entry, with the notes on where its text came from, is l10n.review_notes'.
"""

from __future__ import annotations

import getpass
import subprocess
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

from l10n.catalog import GLOSSARY_PREFIX, is_draft, now_stamp
from l10n.checks import CheckContext, check_entry, context_for, has_critical, load_glossary
from l10n.errors import CatalogChanged, CatalogError, ConfigError, SourceError
from l10n.pofile import (
    format_catalog,
    parse_catalog,
    read_catalog_seen,
    write_catalog_over,
)
from l10n.project import Article, Project
from l10n.review_notes import (
    CHANGED_PARAGRAPH,
    approve_entry,
    edit_entry,
    origins,
    previous_translation,
    reject_entry,
)
from l10n.review_records import (
    APPROVE,
    QUIT,
    REJECT,
    SKIP,
    UNCLEAN,
    Action,
    Decide,
    Decision,
    Draft,
    Notify,
    Outcome,
    ReviewReport,
    excerpt,
    word_diff,
)

# Kept importable from here: the records (l10n.review_records) and the entry operations
# (l10n.review_notes) were one module once, and callers know them as l10n.review's.
__all__ = [
    "APPROVE", "CHANGED_PARAGRAPH", "QUIT", "REJECT", "SKIP", "UNCLEAN", "Action", "Decide",
    "Decision", "Draft", "Notify", "Outcome", "ReviewReport", "approve", "approve_drafts",
    "approve_entry", "default_reviewer", "edit", "edit_entry", "excerpt", "find_article",
    "one_line_reviewer", "pending_drafts", "previous_translation", "reject", "reject_entry",
    "review_workspace", "word_diff",
]


# -- who reviews -------------------------------------------------------------------------------

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
            origin=origins(entry),
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
