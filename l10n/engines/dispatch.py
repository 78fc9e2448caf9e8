"""Sending texts to an engine: cache first, identical texts once, batches, bounded concurrency,
retries with exponential backoff that honour Retry-After.

The caller asks for texts with :meth:`Dispatcher.request` and reads answers, in the order they
arrive, from :meth:`Dispatcher.answers`; it may ask for more texts while reading. Every answer an
engine gives is committed to the cache before it is handed on, so an interrupted run loses nothing
it paid for. The dispatcher forgets a text once its answer is handed on (a run over a large
workspace then holds only what is in flight); the caller remembers what it needs.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from l10n.engines import Engine, Retry, TextRefused
from l10n.engines.cache import TranslationCache
from l10n.errors import EngineError
from l10n.protect import TOKEN, normalise_tokens, token

BATCH_MEMBERS = 8          # texts per request at most, when the provider takes long texts
MAX_WAIT = 60.0            # never sleep longer than this between two attempts
_STRIDE = 100              # batch member i numbers its placeholders i*100+1 ... i*100+99


@dataclass(frozen=True)
class Answer:
    """What came back for one text: a translation (placeholders in canonical form) or why not."""

    source: str
    target: str
    text: str
    translation: str | None
    error: str | None = None
    cached: bool = False


Key = tuple[str, str, str]


class Dispatcher:
    """Runs an engine over texts with a thread pool of ``concurrency`` workers."""

    def __init__(self, engine: Engine, cache: TranslationCache | None, *, concurrency: int = 8,
                 retries: int = 5, backoff: float = 0.5, refresh: bool = False) -> None:
        self.engine = engine
        self.cache = cache if engine.remote else None
        self.refresh = refresh                 # ask the engine again; its answers replace the cache's
        self.retries = max(1, retries)
        self.backoff = backoff
        self.requests: dict[str, int] = {}     # target language -> HTTP requests sent
        self.chars: dict[str, int] = {}        # target language -> characters sent
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=max(1, concurrency),
                                        thread_name_prefix=f"l10n-{engine.name}")
        self._queued: list[Key] = []
        self._asked: set[Key] = set()          # asked for and not handed on yet
        self._ready: deque[Answer] = deque()
        self._futures: dict[Future[list[Answer] | None], list[Key]] = {}

    # -- asking -------------------------------------------------------------------------------
    def cached(self, source: str, target: str, text: str) -> str | None:
        if self.cache is None or self.refresh:
            return None
        return self.cache.get(self.engine.name, source, target, text) or None   # "" never

    def request(self, source: str, target: str, text: str) -> None:
        """Ask for ``text``; its answer comes once through answers(), however often it is asked
        until then (asked again after its answer was handed on, it is looked up or sent again)."""
        key = (source, target, text)
        if key in self._asked:
            return
        self._asked.add(key)
        hit = self.cached(source, target, text)
        if hit is not None:
            self._ready.append(Answer(source, target, text, hit, cached=True))
        else:
            self._queued.append(key)

    def answers(self, *, final: bool = True) -> Iterator[Answer]:
        """Answers as they arrive, until nothing asked for is outstanding.

        Not ``final`` (the caller has more texts to ask for): a last batch that could still take
        more texts is held back, and answers() returns when only such batches are left. Asking
        for texts a few at a time then sends the same batches as asking for all of them at once.
        """
        while True:
            while self._ready:
                answer = self._ready.popleft()
                self._asked.discard((answer.source, answer.target, answer.text))
                yield answer
            self._flush(final)
            if not self._futures:
                if self._ready or (final and self._queued):
                    continue
                return
            done, _ = wait(list(self._futures), return_when=FIRST_COMPLETED)
            for future in done:
                keys = self._futures.pop(future)
                try:
                    answers = future.result()
                except EngineError:
                    self.close()
                    raise
                if answers is None:      # a batch came back garbled: send its texts one by one
                    for key in keys:
                        self._submit([key])
                else:
                    self._ready.extend(answers)

    def close(self) -> None:
        """Stop: no new request starts, waiting retries give up, queued work is dropped. Requests
        already on the wire are waited for (each is bounded by the timeout) so that their answers
        reach the cache: a rerun after Ctrl-C never pays for them again."""
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    # -- sending ------------------------------------------------------------------------------
    def _flush(self, final: bool = True) -> None:
        groups: dict[tuple[str, str], list[Key]] = {}
        for key in self._queued:
            groups.setdefault(key[:2], []).append(key)
        self._queued = []
        for keys in groups.values():
            batch: list[Key] = []
            size = 0
            for key in keys:
                length = len(key[2]) + 12
                batchable = len(TOKEN.findall(key[2])) < _STRIDE - 1
                if not batchable:
                    self._submit([key])
                    continue
                if batch and (size + length > self.engine.max_chars or
                              len(batch) >= BATCH_MEMBERS):
                    self._submit(batch)
                    batch, size = [], 0
                batch.append(key)
                size += length
            if batch and final:
                self._submit(batch)
            elif batch:
                self._queued.extend(batch)   # may take more texts: wait for them

    def _submit(self, keys: list[Key]) -> None:
        future = self._pool.submit(self._send, keys)
        self._futures[future] = keys

    def _send(self, keys: list[Key]) -> list[Answer] | None:
        source, target = keys[0][:2]
        if len(keys) == 1:
            text = keys[0][2]
            try:
                translation = normalise_tokens(self._call(text, source, target))
            except TextRefused as refused:
                return [Answer(source, target, text, None, refused.reason)]
            if not translation.strip():
                # Not cached: the engine may answer next time.
                return [Answer(source, target, text, None, "the engine returned an empty translation")]
            self._remember(source, target, text, translation)
            return [Answer(source, target, text, translation)]
        try:
            joined = self._call(_join_batch([k[2] for k in keys]), source, target)
        except TextRefused:
            return None
        pieces = _split_batch(joined, len(keys))
        if pieces is None:
            return None
        answers = []
        for key, piece in zip(keys, pieces):
            self._remember(source, target, key[2], piece)
            answers.append(Answer(source, target, key[2], piece))
        return answers

    def _remember(self, source: str, target: str, text: str, translation: str) -> None:
        if self.cache is not None:
            self.cache.put(self.engine.name, source, target, text, translation)

    def _call(self, text: str, source: str, target: str) -> str:
        attempt = 0
        while True:
            if self._stop.is_set():
                raise EngineError(f"{self.engine.name}: stopped")
            if self.engine.remote:
                with self._lock:
                    self.requests[target] = self.requests.get(target, 0) + 1
                    self.chars[target] = self.chars.get(target, 0) + len(text)
            try:
                return self.engine.translate(text, source=source, target=target)
            except Retry as retry:
                attempt += 1
                limit = min(retry.limit or self.retries, self.retries)
                if attempt >= limit:
                    raise EngineError(f"{retry.reason}; gave up after {attempt} attempts",
                                      hint=retry.hint or "rerun later; drafts so far are saved"
                                      ) from None
                delay = retry.after if retry.after is not None else self.backoff * 2 ** (attempt - 1)
                self._stop.wait(min(delay, MAX_WAIT))


def _renumber(text: str, offset: int) -> str:
    return TOKEN.sub(lambda m: token(int(m.group(1)) + offset), text)


def _join_batch(texts: list[str]) -> str:
    """Several texts in one request, each on its own paragraph, parted by separator tokens."""
    parts = [_renumber(texts[0], 0)]
    for index, text in enumerate(texts[1:], start=1):
        parts.append(f"\n\n{token(index * _STRIDE)}\n\n")
        parts.append(_renumber(text, index * _STRIDE))
    return "".join(parts)


def _split_batch(joined: str, count: int) -> list[str] | None:
    """The answers to each text of a batch, or None if the engine moved, lost or repeated a
    separator, moved a placeholder from one text into another or left a text empty."""
    joined = normalise_tokens(joined)
    separators = [m for m in TOKEN.finditer(joined)
                  if int(m.group(1)) % _STRIDE == 0 and int(m.group(1)) > 0]
    if [int(m.group(1)) for m in separators] != [i * _STRIDE for i in range(1, count)]:
        return None
    bounds = [0] + [p for m in separators for p in (m.start(), m.end())] + [len(joined)]
    pieces = []
    for index in range(count):
        piece = joined[bounds[2 * index]:bounds[2 * index + 1]].strip()
        if not piece:
            return None      # an empty answer: sent alone, it is refused and not cached
        for match in TOKEN.finditer(piece):
            if int(match.group(1)) // _STRIDE != index:
                return None
        pieces.append(_renumber(piece, -index * _STRIDE))
    return pieces

