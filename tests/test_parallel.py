"""Work spread over worker processes gives the same files as one process, holds little memory,
and reports a worker's error as the error it is."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import polib
import pytest
from conftest import alive
from typer.testing import CliRunner

from l10n import extract as extract_module
from l10n import parallel
from l10n.cli import app
from l10n.errors import SourceError
from l10n.parallel import MIN_ITEMS, ordered_map
from l10n.project import Project

runner = CliRunner()


def square(n: int) -> int:
    return n * n


def fail_at_seven(n: int) -> int:
    if n == 7:
        raise SourceError("unreadable", path="source/seven.md", line=3, hint="fix it")
    return n


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("L10N_JOBS", "2")


def test_results_come_back_in_input_order(two_workers: None) -> None:
    items = list(range(MIN_ITEMS * 5 + 3))   # many chunks, the last one short
    assert list(ordered_map(square, items)) == [n * n for n in items]


def test_leaving_early_stops_the_workers(two_workers: None) -> None:
    for first in ordered_map(square, list(range(MIN_ITEMS * 4))):
        assert first == 0
        break
    assert multiprocessing.active_children() == []


def test_a_workers_error_reaches_the_caller_whole(two_workers: None) -> None:
    with pytest.raises(SourceError) as raised:
        list(ordered_map(fail_at_seven, list(range(MIN_ITEMS * 2))))
    assert str(raised.value) == "source/seven.md:3: unreadable (fix it)"


def test_chunks_stay_small_whatever_the_workspace(two_workers: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = parallel._each

    def each(function, chunk):  # runs in the caller: record what would go to a worker
        seen.append(len(chunk))
        return real(function, chunk)

    class InProcess:
        def __init__(self, max_workers: int, **options: object) -> None: ...

        def submit(self, function, *args):
            from concurrent.futures import Future
            future: Future = Future()
            future.set_result(function(*args))
            return future

        def shutdown(self, **kwargs) -> None: ...

    monkeypatch.setattr(parallel, "_each", each)
    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", InProcess)
    results, ahead = [], []
    for result in ordered_map(square, list(range(10_000))):
        ahead.append(len(seen) - len(results) // parallel.MAX_CHUNK)   # sent, not yet read
        results.append(result)
    assert results == [n * n for n in range(10_000)]
    assert max(seen) == parallel.MAX_CHUNK and sum(seen) == 10_000
    # Never more chunks out than the one being read and AHEAD per worker: not all 625 at once.
    assert max(ahead) == parallel.AHEAD * 2 + 1


# ------------------------------------------------------------------ the chain, both ways

def article(index: int) -> str:
    chinese = index % 5 == 0
    lines = [
        "---", f"title: Story {index}", "lang: zh" if chinese else "tags: [news]", "---", "",
        f"# {'第' + str(index) + '篇' if chinese else f'Story number {index}'}", "",
        f"**Person {index}** joined [the team](https://example.com/{index}) and wrote",
        f"about `torch.compile` in release {index}.", "",
        "- one item", f"- item {index % 7}", "",
        "| name | year |", "| --- | --- |", f"| Torch {index} | {2000 + index} |", "",
        "> A quote that", f"> spans two lines, {index}.", "",
        "```python", f"print({index})", "```", "",
    ]
    return "\n".join(lines)


def workspace(root: Path, count: int) -> Path:
    assert runner.invoke(app, ["--root", str(root), "init"]).exit_code == 0
    for index in range(count):
        folder = root / "source" / ("nested" if index % 3 else "")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"story-{index:03d}.md").write_text(article(index), encoding="utf-8")
    return root


def chain(root: Path) -> dict[str, bytes]:
    for args in (["extract"], ["update"]):
        result = runner.invoke(app, ["--root", str(root), *args])
        assert result.exit_code == 0, result.output
    for po in sorted((root / "locales").glob("*/**/*.po")):
        catalog = polib.pofile(str(po))
        for entry in catalog:
            entry.msgstr = f"«{entry.msgid}»"
        catalog.save()
    result = runner.invoke(app, ["--root", str(root), "build", "--min-approved", "0"])
    assert result.exit_code == 0, result.output
    dates = re.compile(rb'^"(POT-Creation|PO-Revision)-Date: .*$', re.MULTILINE)
    return {p.relative_to(root).as_posix(): dates.sub(b"", p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file() and ".l10n" not in p.parts}


def test_workers_write_the_same_files_as_one_process(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    count = MIN_ITEMS + 6
    monkeypatch.setenv("L10N_JOBS", "1")
    alone = chain(workspace(tmp_path / "alone", count))
    monkeypatch.setenv("L10N_JOBS", "2")
    spread = chain(workspace(tmp_path / "spread", count))
    assert spread == alone
    assert sum(name.startswith("build/zh/") for name in spread) == count


def test_an_article_does_not_carry_its_text(tmp_path: Path) -> None:
    root = workspace(tmp_path / "site", 1)
    long = root / "source" / "long.md"
    long.write_text("A paragraph of news.\n\n" * 10_000, encoding="utf-8")
    loaded = Project.load(root).load_article(long)
    assert loaded.text.startswith("A paragraph")
    assert len(pickle.dumps(loaded)) < 1_000   # what goes to each worker: not 210 kB of text


def test_an_article_edited_during_a_run_is_reported_not_mixed(tmp_path: Path) -> None:
    root = workspace(tmp_path / "site", 2)
    project = Project.load(root)
    first, second = (project.load_article(p) for p in project.article_paths())
    first.path.write_text(article(0) + "\nA late edit.\n", encoding="utf-8")
    assert second.text.startswith("---")   # the last one read is not the edited one
    with pytest.raises(SourceError, match="changed while l10n was running"):
        print(first.text)


def test_extract_with_its_state_lost_holds_no_old_template(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # A fresh clone has every template and no .l10n state: each article is checked again. The
    # old templates are read by the job that needs one, not gathered for the whole workspace.
    root = workspace(tmp_path / "site", 3)
    (root / "source" / "long.md").write_text("A paragraph of news.\n\n" * 2_000 + "The end.\n",
                                             encoding="utf-8")
    assert runner.invoke(app, ["--root", str(root), "extract"]).exit_code == 0
    (root / ".l10n" / "state.json").unlink()
    sent: list[int] = []
    returned: list[object] = []
    real = extract_module.ordered_map

    def recording(function, items):
        sent.extend(len(pickle.dumps(item)) for item in items)
        for result in real(function, items):
            returned.append(result[0])
            yield result

    monkeypatch.setattr(extract_module, "ordered_map", recording)
    result = runner.invoke(app, ["--root", str(root), "extract"])
    assert result.exit_code == 0, result.output
    assert "0 written, 4 unchanged" in result.output
    assert len(sent) == 4 and max(sent) < 1_000   # the long template stays on disk
    assert returned == [None] * 4                  # an unchanged template does not come back


def test_workers_leave_when_their_parent_is_killed(tmp_path: Path) -> None:
    # A worker waits for work on a pipe it holds open itself: without a watch on its parent, a
    # run that was killed (a signal, an OOM kill) would leave its workers waiting for ever.
    pids = tmp_path / "workers"
    killed = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from l10n.parallel import MIN_ITEMS, ordered_map

        def pid(_):
            return os.getpid()

        os.environ["L10N_JOBS"] = "2"
        workers = set()
        for number, worker in enumerate(ordered_map(pid, range(MIN_ITEMS * 4))):
            workers.add(worker)
            if number == MIN_ITEMS:   # work still in flight
                Path({str(pids)!r}).write_text(" ".join(map(str, workers - {{os.getpid()}})))
                os.kill(os.getpid(), signal.SIGKILL)
        """)], check=False)
    workers = [int(pid) for pid in pids.read_text().split()]
    assert killed.returncode == -9 and workers
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
