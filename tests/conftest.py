"""Shared fixtures: the repository's own sample workspace, copied per test; GNU gettext tools."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (CI included): a failure is reproducible,
# never a coin toss. Set HYPOTHESIS_PROFILE=explore to draw fresh examples while developing.
settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parent.parent
WORKSPACE_PARTS = ("pyproject.toml", "source", "locales", "glossary.yml")
# A small glossary.yml (en, zh): a pinned name, a kept one, and one with a forbidden variant.
GLOSSARY = """\
terms:
  - en: Tian Yuandong
    zh: 田渊栋
  - en: FAIR
    keep: true
  - en: Yann LeCun
    zh: 杨立昆
    forbidden:
      zh: [扬·勒丘恩]
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the sample workspace (pyproject, source/, locales/, glossary.yml) in tmp_path."""
    root = tmp_path / "ws"
    root.mkdir()
    for part in WORKSPACE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, root / part)
        elif src.exists():
            shutil.copy2(src, root / part)
    return root


def gettext_tool(name: str) -> str:
    """The path of a GNU gettext tool; fails loudly (never skips) when it is missing."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"GNU gettext's {name} is not installed; `make test` installs it")
    return path


def msgcat(path: Path) -> bytes:
    """What GNU msgcat writes for a PO file (its canonical layout); fails on a rejected file."""
    done = subprocess.run([gettext_tool("msgcat"), str(path)], capture_output=True, check=False)
    assert done.returncode == 0, f"msgcat rejected {path}: {done.stderr.decode()}"
    return done.stdout


def msgfmt_check(path: Path) -> None:
    """Assert that ``msgfmt -c`` accepts a PO or POT file."""
    done = subprocess.run([gettext_tool("msgfmt"), "-c", "-o", "/dev/null", str(path)],
                          capture_output=True, check=False)
    assert done.returncode == 0, f"msgfmt -c rejected {path}: {done.stderr.decode()}"


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, dead but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False
