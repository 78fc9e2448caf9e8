"""One command writes a workspace at a time, and a run that was killed leaves nothing behind
that the next command does not clear: the files it was writing keep their old content, and the
copies it had staged beside them go."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import alive, msgfmt_check
from test_workflow import make_workspace, run

from l10n.atomic import sweep
from l10n.project import Project


def staged(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.tmp"))


def test_a_killed_run_keeps_old_files_and_the_next_command_clears_what_it_staged(
        tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    catalog = root / "locales" / "zh" / "news" / "torch.po"
    before = catalog.read_bytes()
    # A run killed between staging a catalog and renaming it, as `update` is while it flushes
    # a batch of catalogs that hold translators' work.
    killed = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from l10n.atomic import Batch
        from l10n.project import Project
        with Project.load(Path({str(root)!r})).writing():
            Batch().write(Path({str(catalog)!r}), "half a catalog")
            os.kill(os.getpid(), signal.SIGKILL)
        """)], check=False)
    assert killed.returncode == -9
    assert catalog.read_bytes() == before
    msgfmt_check(catalog)
    assert [p.parent for p in staged(root)] == [catalog.parent]

    run(root, "update")
    assert staged(root) == []
    assert catalog.read_bytes() == before
    assert (root / ".l10n" / "lock").read_text(encoding="utf-8") == ""   # a clean end


def test_a_second_writer_is_refused_and_readers_are_not(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    (root / "source" / "news" / "torch.md").write_text("# Torch\n\nA new paragraph.\n",
                                                       encoding="utf-8")
    template = root / "locales" / "templates" / "news" / "torch.pot"
    before = template.read_bytes()
    with Project.load(root).writing():
        output = run(root, "extract", code=1)
        assert output.strip() == (f"error: .l10n/lock: another l10n command is writing this "
                                  f"workspace (process {os.getpid()}) (wait for it to finish)")
        assert template.read_bytes() == before
        run(root, "status")                        # reading is fine meanwhile
        run(root, "check")
        run(root, "review", "--list")
        assert "out of date: locales/templates/news/torch.pot" in run(root, "extract", "--check",
                                                                      code=1)
    assert "wrote locales/templates/news/torch.pot" in run(root, "extract")


def test_only_staged_files_are_cleared(tmp_path: Path) -> None:
    folder = tmp_path / "locales" / "zh"
    folder.mkdir(parents=True)
    kept = [folder / "notes.tmp", folder / ".torch.po.tmp", folder / "torch.po",
            folder / ".torch.po.ABCD1234.tmp"]
    cleared = [folder / ".torch.po.k3x_9q0a.tmp", tmp_path / "locales" / ".a.pot.abcdefgh.tmp"]
    for path in kept + cleared:
        path.write_text("x", encoding="utf-8")
    assert sorted(sweep([tmp_path / "locales", tmp_path / "missing"])) == sorted(cleared)
    assert all(path.exists() for path in kept)


def test_workers_orphaned_by_a_killed_run_do_not_hold_the_workspace(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    run(root, "sync", "--no-mt")
    pids = tmp_path / "workers"
    # A run killed while its forked workers (``parallel.ordered_map``) live: they outlive it.
    killed = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import multiprocessing, os, signal
        from concurrent.futures import ProcessPoolExecutor
        from pathlib import Path
        from l10n.project import Project
        def pid(_):
            return os.getpid()
        with Project.load(Path({str(root)!r})).writing():
            pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"))
            found = set(pool.map(pid, range(8), chunksize=1))
            Path({str(pids)!r}).write_text(" ".join(map(str, found)))
            os.kill(os.getpid(), signal.SIGKILL)
        """)], check=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    workers = [int(pid) for pid in pids.read_text().split()] if pids.exists() else []
    try:
        assert killed.returncode == -9 and workers
        assert all(alive(pid) for pid in workers)     # orphans, still running
        run(root, "extract")                          # not refused
        assert (root / ".l10n" / "lock").read_text(encoding="utf-8") == ""
    finally:
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
