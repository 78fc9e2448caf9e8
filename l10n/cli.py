"""The command line: each command parses its options, calls one library function, prints.

Errors from the library (``L10nError``) become one line on stderr and an exit code, in one place.

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
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from l10n.errors import L10nError
from l10n.report import not_built_lines, plural, waiting_lines

try:  # typer 0.27+ carries its own copy of click
    from typer._click import Context as ClickContext
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover -- older typer runs on click itself
    from click import Context as ClickContext  # type: ignore[assignment,no-redef]
    from click.exceptions import UsageError  # type: ignore[assignment,no-redef]

if TYPE_CHECKING:
    from l10n.draft import DraftProgress, TranslateReport
    from l10n.project import Project
    from l10n.report import StepReport, Waiting


class Commands(TyperGroup):
    """The ``l10n`` group. A usage error (unknown option, missing or bad value) is one line on
    stderr and exit 1, like every other error: exit 2 means a machine-translation provider failed.
    Parsing happens in ``make_context`` (the root's options) and ``invoke`` (the command's), so
    catching it there covers ``main()``, ``app()`` and the test runner alike."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: ClickContext | None = None, **extra: Any) -> ClickContext:
        with usage_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: ClickContext) -> Any:
        with usage_errors(ctx):
            return super().invoke(ctx)

    def resolve_command(self, ctx: ClickContext, args: list[str]) -> Any:
        # Remembered for errors that come without their command's context (a missing value).
        found = super().resolve_command(ctx, args)
        ctx.meta[COMMAND_KEY] = found[0]
        return found


COMMAND_KEY = "l10n.command"


@contextmanager
def usage_errors(where: ClickContext | None = None) -> Iterator[None]:
    try:
        yield
    except UsageError as error:
        if type(error).__name__ == "NoArgsIsHelpError":
            # Bare `l10n`: typer printed the help while making the error; exit 1, not 2.
            raise typer.Exit(1) from None
        message = " ".join(error.format_message().split()).rstrip(".")
        typer.echo(f"error: {message}; see {command_line(error.ctx or where)} --help", err=True)
        raise typer.Exit(1) from None


def command_line(ctx: ClickContext | None) -> str:
    """``l10n`` and the command names that lead to ``ctx`` (whatever the program was called)."""
    names: list[str] = []
    if ctx is not None and ctx.parent is None and ctx.meta.get(COMMAND_KEY):
        names.append(ctx.meta[COMMAND_KEY])
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["l10n", *reversed(names)])


app = typer.Typer(
    cls=Commands,
    help="Translate articles through gettext PO files: extract, update, translate, review, build.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@contextmanager
def reported() -> Iterator[None]:
    """Turn library errors into one line on stderr and the error's exit code."""
    try:
        yield
    except L10nError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted: every file written so far is complete; rerun to resume", err=True)
        raise typer.Exit(130) from None


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


LangOption = Annotated[
    list[str] | None,
    typer.Option("--lang", "-l", help="Only this language (repeat for several)."),
]
CheckOption = Annotated[
    bool, typer.Option("--check", help="Write nothing; list what is out of date and exit 1 if any.")
]


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
    if check:
        # Every reason for exit 1 is named: files out of date, and what the step refuses (an
        # entry build holds back fails the check even when the edition on disk is current).
        for path in report.written + report.removed + report.withdrawn:
            say(f"out of date: {path}")
        for error in report.errors:
            typer.echo(f"error: {error}", err=True)
        if report.written or report.removed or report.withdrawn or report.errors:
            raise typer.Exit(1)
        return
    for line in report.started:
        say(line)
    for path in report.written:
        say(f"wrote {path}")
    for path in report.removed:
        say(f"removed {path} (its article is gone)")
    for path in report.withdrawn:
        say(f"removed {path}: the edition built before is out of date, and this build makes none")
    for error in report.errors:
        typer.echo(f"error: {error}", err=True)
    say(f"{name}: {len(report.written)} written, {report.unchanged} unchanged")


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
    from l10n.catalog import update

    project = project_of(ctx)
    with reported():
        if not check:
            hold(ctx, project)
        report = update(project, languages=languages_of(project, lang), check=check)
        print_step("update", report, check=check)
        if report.errors:
            raise typer.Exit(1)


def engine_name(value: str | None) -> str | None:
    """--engine: one of the engines l10n knows, or a usage error (not a provider failure)."""
    from l10n.engines import ENGINE_NAMES, known_engine

    if value is not None and known_engine(value) is None:
        raise typer.BadParameter(f"{value!r} is not an engine; choose one of "
                                 + ", ".join(ENGINE_NAMES))
    return value


EngineOption = Annotated[
    str | None,
    typer.Option(callback=engine_name, help="google (default), deepl, microsoft, mymemory, libre, yandex, baidu or "
                      "pseudo. Keys only from the environment: DEEPL_API_KEY, MICROSOFT_API_KEY "
                      "(+ MICROSOFT_REGION), LIBRE_API_KEY (optional), YANDEX_API_KEY, "
                      "BAIDU_APPID + BAIDU_APPKEY, MYMEMORY_EMAIL (optional)."),
]


def http_url(value: str | None) -> str | None:
    """--engine-url: an http(s) URL with a host, or a usage error naming the option."""
    from l10n.settings import is_http_url

    if value is not None and not is_http_url(value):
        raise typer.BadParameter(f"{value!r} is not an http(s) URL such as http://localhost:5000/")
    return value


EngineUrlOption = Annotated[
    str | None, typer.Option(help="LibreTranslate server, e.g. http://host:5000/ (libre).",
                             callback=http_url)
]


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
    for failure in report.failures:
        say(f"no draft: {failure}")
    for language, r in report.languages.items():
        if report.dry_run:
            say(f"{language}: would send {plural(r.would_send, 'segment')} "
                f"({plural(r.would_send_chars, 'character')}) to {r.engine}; "
                f"{r.from_memory} from memory, {r.from_cache} from cache")
        else:
            say(f"{language}: {plural(r.drafts, 'draft')} ({r.from_memory} memory, "
                f"{r.from_cache} cache, {r.from_engine} {r.engine}, {r.copied} copied), "
                f"{len(r.failed)} failed; {plural(r.requests, 'request')}, "
                f"{plural(r.chars_sent, 'character')} sent")
            if r.left_for_review:
                left = plural(r.left_for_review, "entry whose draft a reviewer rejected is",
                              "entries whose draft a reviewer rejected are")
                say(f"{language}: {left} left for a human translator")


def percentage(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 100:
        raise typer.BadParameter(f"{value} is not a percentage from 0 to 100")
    return value


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


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for tools.")]


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


def one_line_name(value: str | None) -> str | None:
    """--reviewer goes into the PO header's Last-Translator field: a line break (or any control
    character) there would end the field and start another."""
    if value is not None:
        from l10n.review import one_line_reviewer  # the review command loads it anyway

        try:
            one_line_reviewer(value)
        except L10nError:
            raise typer.BadParameter("a name cannot contain a line break or a control "
                                     "character") from None
    return value


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
