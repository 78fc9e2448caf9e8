"""The command line: each command parses its options, calls one library function, prints.

Errors from the library (``L10nError``) and usage errors become one line on stderr and an exit
code, in one place: ``cli_errors.py``. Shared options and their checks are in
``cli_options.py``; the words reports are printed with, in ``report.py``.

Each command imports the library modules it calls in its own body, so starting the CLI costs Typer
and little else, and a command loads only what it uses (tests/test_startup.py holds us to it).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from l10n.cli_errors import Commands, UsageError, reported
from l10n.cli_options import (
    CheckOption,
    EngineOption,
    EngineUrlOption,
    JsonOption,
    LangOption,
    one_line_name,
    percentage,
)
from l10n.report import file_lines, not_built_lines, plural, translation_lines, waiting_lines

if TYPE_CHECKING:
    from l10n.draft import DraftProgress, TranslateReport
    from l10n.project import Project
    from l10n.report import StepReport, Waiting


app = typer.Typer(
    cls=Commands,
    help="Translate articles through gettext PO files: extract, update, translate, review, build.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def say(message: str) -> None:
    typer.echo(message)


@app.callback()
def root(
    ctx: typer.Context,
    root_dir: Annotated[
        Path, typer.Option("--root", help="The workspace folder (default: the current folder).")
    ] = Path("."),
) -> None:
    """Load the workspace into ctx.obj for every command (init makes its own)."""
    from l10n.project import Project

    if ctx.invoked_subcommand == "init":
        ctx.obj = root_dir
        return
    with reported():
        ctx.obj = Project.load(root_dir)


def project_of(ctx: typer.Context) -> Project:
    from l10n.project import Project

    project = ctx.obj
    assert isinstance(project, Project)
    return project


def hold(ctx: typer.Context, project: Project) -> None:
    """For a command that is about to write the workspace: hold it until the command ends (one
    writer at a time; see ``Project.writing``). Read-only modes (--check, --dry-run, --list)
    do not call this, so they run beside a writer."""
    ctx.with_resource(project.writing())


def languages_of(project: Project, codes: list[str] | None) -> list[str] | None:
    return [project.language(code) for code in codes] if codes else None


# Above this many editions not built in one language, `sync` sums them up in one line.
SYNC_LISTS_AT_MOST = 10


def print_step(name: str, report: StepReport, *, check: bool = False,
               list_at_most: int | None = None, waiting: dict[str, Waiting] | None = None) -> None:
    for note in report.notes:
        say(note)
    for line in not_built_lines(report, list_at_most=list_at_most, waiting=waiting):
        say(line)
    for line in file_lines(report, check=check):
        say(line)
    for error in report.errors:
        typer.echo(f"error: {error}", err=True)
    if check:
        # Every reason for exit 1 is named: files out of date, and what the step refuses (an
        # entry build holds back fails the check even when the edition on disk is current).
        if report.written or report.removed or report.withdrawn or report.errors:
            raise typer.Exit(1)
        return
    say(report.summary(name))


@app.command()
def init(
    ctx: typer.Context,
    source_language: Annotated[str, typer.Option(help="Language articles are written in.")] = "en",
    languages: Annotated[
        str, typer.Option(help="Comma-separated languages of the editions.")
    ] = "en,zh",
) -> None:
    """Lay out an empty workspace here (or in --root); never overwrites anything."""
    from l10n.init import init_workspace
    from l10n.project import normalise_language

    root = ctx.obj
    assert isinstance(root, Path)
    with reported():
        source = normalise_language(source_language, where="--source-language")
        langs = [normalise_language(code, where="--languages") for code in languages.split(",")]
        for path in init_workspace(root, source_language=source, languages=langs):
            say(f"created {path}")


@app.command("extract")
def extract_command(ctx: typer.Context, check: CheckOption = False) -> None:
    """Sources -> templates: locales/templates/<slug>.pot, one entry per block."""
    from l10n.extract import extract

    project = project_of(ctx)
    with reported():
        if not check:
            hold(ctx, project)
        print_step("extract", extract(project, check=check), check=check)


@app.command("update")
def update_command(ctx: typer.Context, lang: LangOption = None, check: CheckOption = False) -> None:
    """Templates -> catalogs: locales/<lang>/<slug>.po, merged like msgmerge."""
    from l10n.update import update

    project = project_of(ctx)
    with reported():
        if not check:
            hold(ctx, project)
        report = update(project, languages=languages_of(project, lang), check=check)
        print_step("update", report, check=check)
        if report.errors:
            raise typer.Exit(1)


@app.command("translate")
def translate_command(
    ctx: typer.Context,
    lang: LangOption = None,
    engine: EngineOption = None,
    engine_url: EngineUrlOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be sent per language; send nothing.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask the engine again instead of using its cached "
                                             "answers (after the engine or its server changed).")
    ] = False,
) -> None:
    """Fill untranslated entries with fuzzy drafts: translation memory, then the engine."""
    from l10n.draft import translate_workspace

    project = project_of(ctx)
    with reported(), progress_bar() as progress:
        if not dry_run:
            hold(ctx, project)
        report = translate_workspace(project, languages=languages_of(project, lang),
                                     engine_name=engine, engine_url=engine_url, dry_run=dry_run,
                                     progress=progress, refresh=refresh)
    print_translation(report)
    if report.changed:
        raise typer.Exit(1)


@contextmanager
def progress_bar(*, shown: bool = True) -> Iterator[Callable[[DraftProgress], None]]:
    """A rich progress bar on stderr (only on a terminal): done/total drafts and the engine.
    Not ``shown``: a callback that does nothing, and rich is not even loaded."""
    if not shown:
        yield lambda event: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("drafts", total=None)

        def progress(event: DraftProgress) -> None:
            bar.update(task, description=f"drafts ({event.engine})", completed=event.done,
                       total=event.total)

        yield progress


def print_translation(report: TranslateReport) -> None:
    for path in report.files_written:
        say(f"wrote {path}")
    for changed in report.changed:
        typer.echo(f"error: {changed}", err=True)
    for line in translation_lines(report):
        say(line)


@app.command("build")
def build_command(
    ctx: typer.Context,
    lang: LangOption = None,
    min_approved: Annotated[
        int | None, typer.Option(help="Percent approved an edition needs, 0-100 (default: "
                                      "setting).", callback=percentage)
    ] = None,
    include_drafts: Annotated[
        bool, typer.Option(help="Preview: use fuzzy drafts too, not only approved entries.")
    ] = False,
    check: CheckOption = False,
) -> None:
    """Catalogs -> editions: build/<lang>/<slug>.md from approved translations."""
    from l10n.build import build

    project = project_of(ctx)
    with reported():
        if not check:
            hold(ctx, project)
        report = build(project, languages=languages_of(project, lang), min_approved=min_approved,
                       include_drafts=include_drafts, check=check)
        print_step("build", report, check=check)
        if report.errors:
            raise typer.Exit(1)


@app.command("sync")
def sync_command(
    ctx: typer.Context,
    lang: LangOption = None,
    engine: EngineOption = None,
    engine_url: EngineUrlOption = None,
    no_mt: Annotated[bool, typer.Option("--no-mt", help="No machine translation.")] = False,
) -> None:
    """The whole chain: extract, update, translate, build, and what needs a human."""
    from l10n.sync import sync

    project = project_of(ctx)
    with reported():
        hold(ctx, project)
        with progress_bar(shown=not no_mt) as progress:
            report = sync(project, languages=languages_of(project, lang),
                          machine_translation=not no_mt, engine=engine, engine_url=engine_url,
                          progress=progress)
        for name, step in report.steps.items():
            print_step(name, step, list_at_most=SYNC_LISTS_AT_MOST, waiting=report.waiting)
            if name == "update" and report.translation is not None:
                print_translation(report.translation)
        if report.engine_error is not None:
            say(f"error: {report.engine_error}")
        for unlisted in report.unlisted:
            say(str(unlisted))
        for line in waiting_lines(report.waiting):
            say(line)
        if report.exit_code:
            raise typer.Exit(report.exit_code)


@app.command("check")
def check_command(ctx: typer.Context, lang: LangOption = None, as_json: JsonOption = False) -> None:
    """Quality checks on approved entries and drafts; exit 1 when anything is critical."""
    from l10n.checks import SEVERITIES, check_workspace
    from l10n.status import unlisted_languages

    project = project_of(ctx)
    with reported():
        reports = check_workspace(project, languages=languages_of(project, lang))
    for unlisted in unlisted_languages(project):
        typer.echo(str(unlisted), err=as_json)   # stdout stays JSON for tools
    if as_json:
        say(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        for report in reports:
            say(str(report))
        counts = Counter(r.severity for r in reports)
        say(f"check: {plural(len(reports), 'problem')}: "
            + ", ".join(f"{counts[s]} {s}" for s in SEVERITIES))
    if any(r.severity == "critical" for r in reports):
        raise typer.Exit(1)


@app.command("status")
def status_command(ctx: typer.Context, lang: LangOption = None, as_json: JsonOption = False) -> None:
    """Approved, drafts and untranslated strings per article and language, with a total."""
    from l10n.status import status_table, total, unlisted_languages, workspace_status

    project = project_of(ctx)
    with reported():
        rows = workspace_status(project, languages=languages_of(project, lang))
    if as_json:
        say(json.dumps({"articles": [r.to_dict() for r in rows], "total": total(rows).to_dict()},
                       ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        Console().print(status_table(rows))
    for unlisted in unlisted_languages(project):
        typer.echo(str(unlisted), err=as_json)   # stdout stays JSON for tools


@app.command("review")
def review_command(
    ctx: typer.Context,
    articles: Annotated[
        list[str] | None,
        typer.Argument(help="Articles to review: slugs or source paths (default: all)."),
    ] = None,
    lang: LangOption = None,
    approve_all: Annotated[
        bool,
        typer.Option("--approve-all", help="Approve every draft (critical ones need --force)."),
    ] = False,
    approve_clean: Annotated[
        bool, typer.Option("--approve-clean",
                           help="Approve drafts with no critical or functional check finding.")
    ] = False,
    list_drafts: Annotated[bool, typer.Option("--list", help="Print the pending drafts.")] = False,
    as_json: JsonOption = False,
    reviewer: Annotated[
        str | None,
        typer.Option(help="Recorded as Last-Translator (default: git config user.name).",
                     callback=one_line_name),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Approve drafts even with a critical check finding.")
    ] = False,
) -> None:
    """Review drafts: one at a time (approve, edit, reject, skip, quit), or in bulk."""
    from l10n.review import approve_drafts, default_reviewer, pending_drafts, review_workspace

    project = project_of(ctx)
    if approve_all + approve_clean + (list_drafts or as_json) > 1:
        raise UsageError("choose one of --approve-all, --approve-clean, --list/--json", ctx)
    with reported():
        languages = languages_of(project, lang)
        if list_drafts or as_json:
            drafts = pending_drafts(project, languages=languages, articles=articles)
            if as_json:
                say(json.dumps([d.to_dict() for d in drafts], ensure_ascii=False, indent=2))
            for draft in [] if as_json else drafts:
                say(str(draft))
            return
        who = reviewer or default_reviewer(project.root)   # refused before the lock is taken
        hold(ctx, project)
        if approve_all or approve_clean:
            report = approve_drafts(project, reviewer=who, clean_only=approve_clean, force=force,
                                    languages=languages, articles=articles)
        else:
            from l10n.review_prompt import ReviewPrompt

            prompt = ReviewPrompt(force)
            report = review_workspace(project, decide=prompt.decide, notify=prompt.notify,
                                      reviewer=who, force=force, languages=languages,
                                      articles=articles)
    for outcome in report.final():
        unclean = outcome.result == "skipped" and approve_clean
        for finding in outcome.findings if outcome.result == "held" else ():
            say(f"{outcome.draft.where}: held back: {finding}")
        for finding in outcome.findings if outcome.result == "kept" else ():
            say(f"{outcome.draft.where}: kept as a draft: {finding}")
        for finding in outcome.draft.findings if unclean else ():
            say(f"{outcome.draft.where}: left as a draft: {finding}")
    for path in report.written:
        say(f"wrote {path}")
    for changed in report.changed:
        typer.echo(f"error: {changed}", err=True)
    say(report.summary())
    if report.held or report.kept or report.changed:
        raise typer.Exit(1)


def main() -> None:
    """Entry point of the ``l10n`` script."""
    sys.exit(app())
