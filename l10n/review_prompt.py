"""The interactive review in a terminal: one draft shown at a time, one key read, $EDITOR for
an edit. The review itself (what a decision does to the catalog) is l10n.review's."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import typer

from l10n.review import APPROVE, QUIT, REJECT, SKIP, Decision, Draft, Outcome, word_diff


class ReviewPrompt:
    """The interactive reviewer: shows one draft, reads one key, opens $EDITOR for an edit."""

    CHOICES = "[a]pprove, [e]dit, [r]eject, [s]kip, [q]uit"

    def __init__(self, force: bool) -> None:
        self.force = force

    def decide(self, draft: Draft) -> Decision:
        typer.echo("")
        typer.echo(typer.style(f"── {draft.where} ({draft.language})", bold=True))
        if draft.previous_msgid is not None:
            typer.echo(f"changed:  {word_diff(draft.previous_msgid, draft.msgid)}")
        typer.echo(f"source:   {draft.msgid}")
        typer.echo(f"draft:    {draft.msgstr}")
        for line in draft.origin:
            typer.echo(f"from:     {line}")
        for line in draft.glossary:
            typer.echo(f"glossary: {line}")
        for finding in draft.findings:
            typer.echo(f"check:    {finding}")
        while True:
            key = self.key()
            if key == "a" and draft.critical and not self.force:
                typer.echo("a critical finding blocks approval: edit the draft, or rerun with "
                           "--force")
            elif key == "e":
                text = edit_text(draft.msgstr)
                if text and text != draft.msgstr:
                    return Decision.edit(text)
                if text == draft.msgstr and (self.force or not draft.critical):
                    return APPROVE
                typer.echo("nothing changed")
            elif key in "arsq" and len(key) == 1:
                return {"a": APPROVE, "r": REJECT, "s": SKIP, "q": QUIT}[key]

    def key(self) -> str:
        """One key from a terminal; one line from a pipe. End of input means quit. Either way
        the answer is shown and the prompt's line ended, so what follows starts a line."""
        try:
            if sys.stdin.isatty():
                typer.echo(f"{self.CHOICES}? ", nl=False)
                key = typer.getchar()
                typer.echo(key)
                return key.lower()
            typer.echo(f"{self.CHOICES}: ", nl=False)
            line = sys.stdin.readline()    # a pipe does not echo it: the answer is shown here
            typer.echo(line.strip())
            return line.strip().lower() if line else "q"
        except (typer.Abort, EOFError):
            typer.echo("")
            return "q"

    def notify(self, outcome: Outcome) -> None:
        for finding in outcome.findings if outcome.result in ("held", "kept") else ():
            typer.echo(f"held back: {finding}")
        if outcome.result == "kept":
            typer.echo(f"edited {outcome.draft.where} (kept as a draft: critical finding)")
        else:
            typer.echo(f"{outcome.result} {outcome.draft.where}")


def edit_text(text: str) -> str | None:
    """The reviewer's new text: from $VISUAL/$EDITOR on a temporary file, else an inline prompt.
    None when the editor failed."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        return str(typer.prompt("translation", default=text))
    with tempfile.TemporaryDirectory(prefix="l10n-review-") as folder:
        path = Path(folder) / "msgstr.txt"
        path.write_text(text + "\n", encoding="utf-8")
        # Through the shell, as git does, so EDITOR="code --wait" works.
        done = subprocess.run(f'{editor} "{path}"', shell=True, check=False)
        if done.returncode != 0:
            typer.echo(f"the editor exited with status {done.returncode}")
            return None
        new = path.read_text(encoding="utf-8")
    return new[:-1] if new.endswith("\n") and not text.endswith("\n") else new
