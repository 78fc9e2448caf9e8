"""Machine-translation engines behind one small protocol, plus the cache and the memory.

An engine translates one protected text (placeholders ``{1}`` kept) from one Babel locale into
another. It raises:

- :class:`~l10n.errors.EngineError` when nothing more can be done (unreachable, bad key, unknown
  language): the run stops and keeps every draft obtained so far;
- :class:`Retry` for answers worth another try later (429, 5xx, a timeout);
- :class:`TextRefused` when the provider refuses this one text (too long, nothing found).

Keys come only from environment variables, never from a file in the repository:

============  ===================================================================
engine        environment
============  ===================================================================
google        none
mymemory      ``MYMEMORY_EMAIL`` (optional: a higher daily quota)
libre         ``LIBRE_API_KEY`` (optional for a self-hosted server; ``--engine-url``)
deepl         ``DEEPL_API_KEY`` (``DEEPL_PRO=1`` for the paid endpoint)
microsoft     ``MICROSOFT_API_KEY``, ``MICROSOFT_REGION`` (optional)
yandex        ``YANDEX_API_KEY``
baidu         ``BAIDU_APPID``, ``BAIDU_APPKEY``
pseudo        none: a local, deterministic pseudo-translation for testing layouts
============  ===================================================================
"""

from __future__ import annotations

from typing import Protocol

from l10n.errors import ConfigError

ENGINE_NAMES = ("google", "deepl", "microsoft", "mymemory", "libre", "yandex", "baidu", "pseudo")
DEFAULT_TIMEOUT = 30.0


class Engine(Protocol):
    """One machine-translation provider."""

    name: str
    # True when translate() sends text over the network: answers are cached, requests counted,
    # calls run concurrently and are retried.
    remote: bool
    # The longest text one request may carry (several segments are batched up to it).
    max_chars: int

    def translate(self, text: str, *, source: str, target: str) -> str:
        """The translation of ``text`` from Babel locale ``source`` into ``target``."""
        ...

    def check_languages(self, source: str, target: str) -> None:
        """Raise EngineError when the provider has no code for one of the two languages."""
        ...


class Retry(Exception):
    """A transient failure: try again after ``after`` seconds (Retry-After) or a backoff."""

    def __init__(self, reason: str, *, after: float | None = None, limit: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after
        self.limit = limit   # at most this many attempts for this kind of failure
        self.hint = hint


class TextRefused(Exception):
    """The provider refused this one text; other texts may still go through."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def known_engine(name: str) -> str | None:
    """The engine ``name`` means (case and surrounding spaces ignored), or None for a name l10n
    does not know. The settings, the --engine option and ``create_engine`` all ask here."""
    canonical = name.strip().lower()
    return canonical if canonical in ENGINE_NAMES else None


def create_engine(name: str, *, url: str | None = None,
                  timeout: float = DEFAULT_TIMEOUT) -> Engine:
    """The engine called ``name``; ``url`` points libre (and only libre) at a server.

    Raises ConfigError for an unknown name, a ``url`` for another engine or a missing key: a
    setting to correct, not a provider failing."""
    known = known_engine(name)
    if known is None:
        raise ConfigError(f"unknown engine {name.strip()!r}",
                          hint="choose one of " + ", ".join(ENGINE_NAMES))
    name = known
    if name == "pseudo":
        from l10n.engines.pseudo import PseudoEngine

        return PseudoEngine()
    if url is not None and name != "libre":
        raise ConfigError(f"--engine-url only applies to libre, not {name}",
                          hint="drop --engine-url or use --engine libre")
    from l10n.engines.providers import ProviderEngine

    return ProviderEngine(name, url=url, timeout=timeout)
