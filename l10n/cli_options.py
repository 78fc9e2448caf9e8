"""Options that several commands share, and the checks that turn a bad option value into a
usage error naming the option (exit 1) before the command runs."""

from __future__ import annotations

from typing import Annotated

import typer

from l10n.errors import L10nError

LangOption = Annotated[
    list[str] | None,
    typer.Option("--lang", "-l", help="Only this language (repeat for several)."),
]
CheckOption = Annotated[
    bool, typer.Option("--check", help="Write nothing; list what is out of date and exit 1 if any.")
]


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


def percentage(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 100:
        raise typer.BadParameter(f"{value} is not a percentage from 0 to 100")
    return value


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for tools.")]


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
