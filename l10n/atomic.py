"""Atomic file writes: a temporary file in the same folder, fsync, rename.

An interrupted run leaves either the old file or the new one, never half of either.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Self

from l10n.errors import WorkspaceError

try:
    import fcntl
except ImportError:  # not POSIX: no lock, and so no sweeping either
    fcntl = None  # type: ignore[assignment]

# The lock files this process holds. A forked child (a worker of ``parallel.ordered_map``)
# shares the parent's open file, and a flock lasts while any process has it open: a worker
# orphaned by a killed run would hold the workspace for ever. Children close them at once.
_HELD: set[IO[str]] = set()


def _close_held() -> None:
    for handle in _HELD:
        handle.close()
    _HELD.clear()


if fcntl is not None:
    os.register_at_fork(after_in_child=_close_held)

# What ``_stage`` names a file: tempfile's 8 random characters between the name and ".tmp".
_STAGED = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def _stage(path: Path, data: bytes, *, fsync: bool) -> str:
    """Write ``data`` to a new temporary file beside ``path`` (with path's permissions, or 644)
    and return its name; the caller renames it into place or removes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
    except BaseException:
        _discard(tmp)
        raise
    return tmp


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> bool:
    """Write ``data`` to ``path`` atomically. Returns False (and writes nothing) if the file
    already holds exactly these bytes, so unchanged files keep their mtime.

    ``durable`` also flushes the data to disk before the rename, so it survives a power cut; files
    that can be regenerated (templates, editions) skip that cost. Either way an interrupted run
    leaves the old file or the new one, never a mix."""
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    replace_bytes(path, data, durable=durable)
    return True


def replace_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Put ``data`` at ``path`` atomically, whatever the file holds (a caller that has just read
    it knows whether it differs)."""
    tmp = _stage(path, data, fsync=durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


def write_text_atomic(path: Path, text: str, *, durable: bool = True) -> bool:
    """UTF-8 text version of :func:`write_bytes_atomic`."""
    return write_bytes_atomic(path, text.encode("utf-8"), durable=durable)


class Batch:
    """Many files written atomically, durably, for the price of one ``os.sync()``.

    ``write`` stages each file beside its destination as soon as it is known (so a caller need
    not hold them all); leaving the ``with`` block flushes everything to disk once, then renames
    each file into place. On an error nothing staged is renamed and every staged file goes: each
    destination keeps its old content. Where ``os.sync`` is missing, each file is fsynced.

    A destination that changes between ``write`` and the rename (another program saved it) is
    not replaced: its staged file goes, and it is listed in ``changed``."""

    def __init__(self) -> None:
        self._staged: deque[tuple[str, Path, tuple[int, ...] | None]] = deque()
        self._sync = hasattr(os, "sync")
        self.changed: list[Path] = []

    def __enter__(self) -> Self:
        return self

    def write(self, path: Path, text: str) -> None:
        signature = _signature(path)   # before staging: a save meanwhile shows at the rename
        self._staged.append((_stage(path, text.encode("utf-8"), fsync=not self._sync), path,
                             signature))

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if kind is None and self._staged:
                if self._sync:
                    os.sync()
                while self._staged:
                    tmp, path, signature = self._staged[0]
                    if _signature(path) == signature:
                        os.replace(tmp, path)
                    else:
                        _discard(tmp)
                        self.changed.append(path)
                    self._staged.popleft()  # a list's pop(0) would make this quadratic
        finally:
            for tmp, _, _ in self._staged:
                _discard(tmp)
            self._staged.clear()


def _signature(path: Path) -> tuple[int, ...] | None:
    """What changes when a program writes ``path`` (in place, or by renaming a new file onto
    it); None when there is no file."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


@contextmanager
def exclusive(lock: Path, folders: Iterable[Path], *, shown: str | None = None) -> Iterator[None]:
    """Hold ``lock`` while one command writes the workspace; WorkspaceError if another holds it.

    The lock file holds the holder's process id while it runs and is emptied when it ends. One
    that is not empty when the lock is taken was left by a run that was killed (a signal, a power
    cut): the files that run had staged and not yet renamed (``.NAME.XXXXXXXX.tmp``) can only be
    stale, and are removed from ``folders``. The files they were for kept their old content."""
    if fcntl is None:
        yield
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock, "a+", encoding="utf-8")  # noqa: SIM115 (held until the command ends)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise WorkspaceError(f"another l10n command is writing this workspace (process "
                                 f"{holder})", path=shown or lock,
                                 hint="wait for it to finish") from None
        _HELD.add(handle)
        handle.seek(0)
        if handle.read().strip():
            sweep(folders)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:  # an exception too: the staged files have gone with it (``_stage``, ``Batch``)
            handle.seek(0)
            handle.truncate()
    finally:
        _HELD.discard(handle)
        handle.close()  # closing releases the lock


def sweep(folders: Iterable[Path]) -> list[Path]:
    """Remove the files ``_stage`` left unrenamed under ``folders``; return them."""
    removed: list[Path] = []
    for folder in folders:
        for parent, _, names in os.walk(folder):
            for name in names:
                if _STAGED.fullmatch(name):
                    path = Path(parent) / name
                    path.unlink(missing_ok=True)
                    removed.append(path)
    return removed
