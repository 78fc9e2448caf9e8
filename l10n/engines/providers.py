"""deep-translator's providers behind the Engine protocol.

deep-translator (1.11) passes no timeout to ``requests`` and hides the HTTP answer behind its own
exceptions. Its provider modules look ``requests`` up as a module global, so we hand them a
stand-in that adds a per-call timeout, reuses one keep-alive session per thread, and remembers
the last answer of the calling thread (for Retry-After and the status code). Outside our calls
(no timeout set in the thread) the stand-in is plain ``requests``.

requests and deep-translator load on the first language check or call, not on import: a run
with nothing to translate (``sync`` on a finished workspace) does not pay their 20 MB.
"""

from __future__ import annotations

import email.utils
import functools
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from babel import Locale

from l10n.engines import DEFAULT_TIMEOUT, Retry, TextRefused
from l10n.errors import ConfigError, EngineError
from l10n.settings import likely_locale

if TYPE_CHECKING:
    import requests

# Longest text per request: each provider's limit, with room to spare.
MAX_CHARS = {"google": 4500, "mymemory": 450, "deepl": 4500, "libre": 2000, "microsoft": 4500,
             "yandex": 4500, "baidu": 2000}
KEY_VARIABLES = {"deepl": ("DEEPL_API_KEY",), "microsoft": ("MICROSOFT_API_KEY",),
                 "yandex": ("YANDEX_API_KEY",), "baidu": ("BAIDU_APPID", "BAIDU_APPKEY")}
# A self-hosted LibreTranslate needs no key, but deep-translator insists on one.
LIBRE_PLACEHOLDER_KEY = "no-key"


class _BoundedRequests:
    """Stands in for the ``requests`` module inside deep-translator's provider modules."""

    def __init__(self) -> None:
        self.local = threading.local()

    def __getattr__(self, name: str) -> Any:
        import requests

        return getattr(requests, name)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._call("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._call("POST", url, **kwargs)

    def _call(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        import requests

        timeout = getattr(self.local, "timeout", None)
        if timeout is None:
            return requests.request(method, url, **kwargs)
        session = getattr(self.local, "session", None)
        if session is None:
            session = self.local.session = requests.Session()
        kwargs.setdefault("timeout", timeout)
        response = session.request(method, url, **kwargs)
        self.local.response = response
        return response


_REQUESTS = _BoundedRequests()
_MODULES = ("google", "deepl", "microsoft", "mymemory", "libre", "yandex", "baidu")


@functools.cache
def _deep_translator() -> Any:
    """deep-translator, its provider modules handed the stand-in for ``requests``."""
    import deep_translator

    for module in _MODULES:
        __import__(f"deep_translator.{module}")
        vars(deep_translator)[module].requests = _REQUESTS
    return deep_translator


def _translator_class(name: str) -> Callable[..., Any]:
    deep_translator = _deep_translator()
    return {
        "google": deep_translator.GoogleTranslator, "deepl": deep_translator.DeeplTranslator,
        "microsoft": deep_translator.MicrosoftTranslator,
        "mymemory": deep_translator.MyMemoryTranslator, "libre": deep_translator.LibreTranslator,
        "yandex": deep_translator.YandexTranslator, "baidu": deep_translator.BaiduTranslator,
    }[name]


@functools.cache
def _names() -> dict[str, dict[str, str]]:
    """Each provider's language names and codes, as deep-translator validates them (microsoft
    and yandex: none, their codes are fetched from the provider)."""
    constants = _deep_translator().constants
    return {
        "google": constants.GOOGLE_LANGUAGES_TO_CODES,
        "deepl": constants.DEEPL_LANGUAGE_TO_CODE,
        "mymemory": constants.MY_MEMORY_LANGUAGES_TO_CODES,
        "libre": {k.lower(): v for k, v in constants.LIBRE_LANGUAGES_TO_CODES.items()},
        "baidu": constants.BAIDU_LANGUAGE_TO_CODE,
    }


@functools.cache
def _codes() -> dict[str, set[str]]:
    return {engine: set(codes.values()) for engine, codes in _names().items()}

# Chinese by script: what each provider calls Simplified and Traditional.
_CHINESE = {"google": ("zh-CN", "zh-TW"), "deepl": ("zh", None), "mymemory": ("zh-CN", "zh-TW"),
            "libre": ("zh", None), "microsoft": ("zh-hans", "zh-hant"), "yandex": ("zh", None),
            "baidu": ("zh", "cht")}
_GOOGLE_LEGACY = {"he": "iw", "jv": "jw", "fil": "tl", "nb": "no"}


def provider_code(engine: str, locale: str) -> str:
    """The code ``engine`` uses for a Babel locale (``zh`` -> ``zh-CN`` for Google, ``zh`` for
    Libre and DeepL, ``zh-hans`` for Microsoft, ``en-US`` for MyMemory...).

    Raises EngineError when the provider has no code for the language."""
    parsed = Locale.parse(locale)
    language = parsed.language
    territory = parsed.territory or likely_locale(language)[2]
    candidates: list[str | None] = []
    if language == "zh":
        traditional = parsed.script == "Hant" or (parsed.script is None and
                                                  parsed.territory in ("TW", "HK", "MO"))
        candidates.append(_CHINESE[engine][1 if traditional else 0])
        if traditional:
            candidates = candidates[:1] or [None]
    else:
        if engine == "google":
            candidates.append(_GOOGLE_LEGACY.get(language))
        if engine in ("mymemory", "microsoft") and territory:
            candidates.append(f"{language}-{territory}")
        candidates.append(language)
        english = (parsed.english_name or "").lower()
        candidates.append(_names().get(engine, {}).get(english))
    known = _codes().get(engine)
    for candidate in candidates:
        if candidate is None:
            continue
        if engine == "microsoft":
            candidate = candidate.lower()
        if known is None or candidate in known:
            return candidate
    raise EngineError(f"{engine} has no code for language {locale!r}",
                      hint="choose another --engine for this language")


class ProviderEngine:
    """A deep-translator provider: one translator object per thread and language pair."""

    remote = True

    def __init__(self, name: str, *, url: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.name = name
        self.max_chars = MAX_CHARS[name]
        self.timeout = timeout
        self.url = url
        self._options, self._secrets = self._credentials(name, url)
        self._local = threading.local()

    @staticmethod
    def _credentials(name: str, url: str | None) -> tuple[dict[str, Any], tuple[str, ...]]:
        env = os.environ
        for variable in KEY_VARIABLES.get(name, ()):
            if not env.get(variable):
                # Configuration, not a provider failure: exit 1, and sync stops here.
                raise ConfigError(f"{name} needs an API key and {variable} is not set",
                                  hint=f"export {variable}=... or choose another --engine")
        if name == "libre":
            key = env.get("LIBRE_API_KEY") or LIBRE_PLACEHOLDER_KEY
            options: dict[str, Any] = {"api_key": key}
            if url:
                options["custom_url"] = url if url.endswith("/") else url + "/"
            else:
                options["use_free_api"] = False
            return options, (key,)
        if name == "deepl":
            key = env["DEEPL_API_KEY"]
            return {"api_key": key, "use_free_api": env.get("DEEPL_PRO") != "1"}, (key,)
        if name == "microsoft":
            key = env["MICROSOFT_API_KEY"]
            return {"api_key": key, "region": env.get("MICROSOFT_REGION")}, (key,)
        if name == "yandex":
            return {"api_key": env["YANDEX_API_KEY"]}, (env["YANDEX_API_KEY"],)
        if name == "baidu":
            return ({"appid": env["BAIDU_APPID"], "appkey": env["BAIDU_APPKEY"]},
                    (env["BAIDU_APPID"], env["BAIDU_APPKEY"]))
        if name == "mymemory" and env.get("MYMEMORY_EMAIL"):
            return {"email": env["MYMEMORY_EMAIL"]}, ()
        return {}, ()

    def check_languages(self, source: str, target: str) -> None:
        provider_code(self.name, source)
        provider_code(self.name, target)

    def translate(self, text: str, *, source: str, target: str) -> str:
        local = _REQUESTS.local
        local.timeout, local.response = self.timeout, None
        try:
            translator = self._translator(source, target)
            result = translator.translate(text)
        except Exception as error:  # noqa: BLE001 -- deep-translator raises a zoo; sort it into ours
            raise self._classify(error, local.response) from None
        finally:
            local.timeout = None
        if not isinstance(result, str):
            raise TextRefused(f"{self.name} returned no translation")
        return result

    def _translator(self, source: str, target: str) -> Any:
        cache: dict[tuple[str, str], Any] = self._local.__dict__.setdefault("translators", {})
        key = (source, target)
        if key not in cache:
            cache[key] = _translator_class(self.name)(
                source=provider_code(self.name, source), target=provider_code(self.name, target),
                **self._options)
        return cache[key]

    def _classify(self, error: Exception, response: requests.Response | None) -> Exception:
        import requests
        from deep_translator import exceptions as dt_errors

        where = f"{self.name}" + (f" at {self.url}" if self.url else "")
        if isinstance(error, (EngineError, Retry, TextRefused)):
            return error
        if isinstance(error, requests.exceptions.Timeout):
            return Retry(f"{where} did not answer within {self.timeout:g} s", limit=3,
                         hint="the provider is slow or down; rerun later")
        if isinstance(error, requests.exceptions.ConnectionError):
            # One more try (a keep-alive connection the server closed), then give up.
            return Retry(f"{where} is unreachable (connection failed)", limit=2,
                         hint="check the network, the URL and that the server is running, "
                              "then rerun")
        if isinstance(error, dt_errors.LanguageNotSupportedException):
            return EngineError(f"{self.name} does not support this language pair")
        if isinstance(error, dt_errors.ApiKeyException):
            return EngineError(f"{self.name} needs an API key", hint="see `l10n translate --help`")
        status = response.status_code if response is not None else None
        if isinstance(error, dt_errors.AuthorizationException) or status in (401, 403, 456):
            return EngineError(f"{where} refused the API key (HTTP {status or 403})",
                               hint="check the key in the environment variable, then rerun")
        if isinstance(error, dt_errors.TooManyRequests) or status == 429:
            return Retry(f"{where} is rate-limiting (HTTP 429)", after=_retry_after(response))
        if status is not None and status >= 500:
            return Retry(f"{where} failed (HTTP {status})", after=_retry_after(response))
        if status in (400, 413, 414):
            return TextRefused(self._scrub(f"{where} refused the text (HTTP {status}"
                                           f"{_server_message(response)})"))
        if status is not None and status >= 300:
            return EngineError(f"{where} answered HTTP {status}",
                               hint="check --engine-url and the provider's status, then rerun")
        if isinstance(error, (dt_errors.TranslationNotFound, dt_errors.NotValidLength,
                              dt_errors.NotValidPayload)):
            return TextRefused(f"{self.name} found no translation for this text")
        return EngineError(f"{where} answered something that is not a translation "
                           f"({type(error).__name__})",
                           hint="check --engine-url and the provider's status, then rerun")

    def _scrub(self, message: str) -> str:
        for secret in self._secrets:
            if secret and secret != LIBRE_PLACEHOLDER_KEY:
                message = message.replace(secret, "***")
        return message


def _server_message(response: requests.Response | None) -> str:
    try:
        error = response.json().get("error") if response is not None else None
    except ValueError:
        return ""
    return f": {str(error)[:200]}" if error else ""


def _retry_after(response: requests.Response | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), if any."""
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())
