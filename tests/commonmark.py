"""The CommonMark 0.31.2 spec examples, fetched with pip into the git-ignored tests/.cache/.

The examples are someone else's text, so the repository does not carry them: they ship in
markdown-it-py's source distribution, which pip (the package registry's own client) can fetch.
When they cannot be had the tests fail loudly; they never skip.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

CACHE = Path(__file__).resolve().parent / ".cache"
SPEC_FILE = CACHE / "commonmark-0.31.2.json"
SDIST = "markdown-it-py==4.3.0"
MEMBER = "tests/test_cmark_spec/commonmark.json"
SHA256 = "d431b29d97b6f73e69d547109cf5081578fac931e72afe95639ebe766c1b2a20"


@dataclass(frozen=True)
class Example:
    number: int
    section: str
    markdown: str
    html: str


def _download() -> bytes:
    """The spec JSON out of markdown-it-py's sdist, downloaded with pip."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", SDIST, "--no-binary", ":all:",
             "--no-deps", "--quiet", "-d", tmp],
            check=False, capture_output=True, text=True, timeout=300,
        )
        if done.returncode != 0:
            pytest.fail(f"cannot fetch the CommonMark spec examples: `pip download {SDIST}` "
                        f"failed:\n{done.stderr}")
        archives = list(Path(tmp).glob("*.tar.gz"))
        if not archives:
            pytest.fail(f"`pip download {SDIST}` gave no source archive")
        with tarfile.open(archives[0]) as archive:
            for member in archive.getmembers():
                if member.name.endswith(MEMBER):
                    stream = archive.extractfile(member)
                    assert stream is not None
                    return stream.read()
    pytest.fail(f"{SDIST}'s source archive has no {MEMBER}")


def spec_examples() -> list[Example]:
    """The 652 CommonMark 0.31.2 examples; downloads them once into tests/.cache/."""
    if SPEC_FILE.exists():
        data = SPEC_FILE.read_bytes()
    else:
        data = _download()
        CACHE.mkdir(exist_ok=True)
        partial = SPEC_FILE.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(SPEC_FILE)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        pytest.fail(f"{SPEC_FILE} is not the CommonMark 0.31.2 spec (sha256 {digest}); "
                    "delete it to fetch it again")
    return [Example(e["example"], e["section"], e["markdown"], e["html"])
            for e in json.loads(data)]
