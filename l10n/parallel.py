"""Spread CPU-bound per-article work over the machine's cores.

Parsing Markdown and laying out PO files is pure Python and CPU-bound; one process per core is
what makes a 1,000-article workspace fast. Small jobs run in-process (no start-up cost), and
results always come back in input order, so output never depends on scheduling.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items the pool costs more than it saves.
MIN_ITEMS = 64
# Items sent to a worker at once, and chunks in flight per worker beyond the one awaited.
MAX_CHUNK = 16
AHEAD = 2


def workers() -> int:
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        count = os.cpu_count() or 1
    override = os.environ.get("L10N_JOBS")
    return max(1, int(override)) if override and override.isdigit() else count


def ordered_map(function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
    """``map(function, items)``, on every core when it pays off. ``function`` must be a
    module-level function and items picklable. Results stream back in order as they are
    ready, so the caller can write each one while the workers make the next; leaving the loop
    early cancels what has not started.

    Work goes out in small chunks, a few ahead of the one the caller waits for, so neither the
    workers nor the caller ever hold more than a few chunks of jobs and results: memory does not
    grow with the workspace."""
    jobs = workers()
    if jobs < 2 or len(items) < MIN_ITEMS:
        yield from map(function, items)
        return
    from concurrent.futures import Future, ProcessPoolExecutor  # multiprocessing: when it pays

    size = max(1, min(MAX_CHUNK, len(items) // (jobs * 8)))
    chunks = (items[start:start + size] for start in range(0, len(items), size))
    # Forked workers share the parent's memory until they write to it; the garbage collector
    # writes to every object it visits. Frozen objects are not visited, so stay shared.
    gc.freeze()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_leave_with, initargs=(os.getpid(),))
    pending: deque[Future[list[R]]] = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(_each, function, chunk))
            if len(pending) > AHEAD * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _each(function: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [function(item) for item in chunk]


def _leave_with(parent: int) -> None:
    """In each worker: exit when ``parent`` is gone. A worker waits for work on a pipe it also
    holds open itself, so a parent that was killed (a signal, an OOM kill) would leave it waiting
    for ever."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
