"""Engines: language codes per provider, keys, pseudo, cache, memory, the dispatcher."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import polib
import pytest
import requests
from typer.testing import CliRunner

from l10n.cli import app
from l10n.engines import Retry, TextRefused, create_engine
from l10n.engines.cache import TranslationCache
from l10n.engines.dispatch import Dispatcher, _join_batch, _split_batch
from l10n.engines.memory import TranslationMemory
from l10n.engines.providers import ProviderEngine, _retry_after, provider_code
from l10n.engines.pseudo import pseudo_translate
from l10n.errors import ConfigError, EngineError

sys.path.insert(0, str(Path(__file__).parent))
from libre_server import running


@pytest.mark.parametrize(("engine", "locale", "code"), [
    ("google", "zh", "zh-CN"), ("google", "zh_Hans", "zh-CN"), ("google", "zh_Hant", "zh-TW"),
    ("google", "zh_TW", "zh-TW"), ("google", "en", "en"), ("google", "he", "iw"),
    ("google", "pt_BR", "pt"),
    ("libre", "zh", "zh"), ("libre", "en", "en"), ("libre", "de", "de"),
    ("deepl", "zh", "zh"), ("deepl", "en", "en"), ("deepl", "ja", "ja"),
    ("mymemory", "en", "en-US"), ("mymemory", "en_GB", "en-GB"), ("mymemory", "zh", "zh-CN"),
    ("microsoft", "zh", "zh-hans"), ("microsoft", "zh_Hant", "zh-hant"),
    ("baidu", "zh", "zh"), ("baidu", "zh_Hant", "cht"), ("baidu", "ja", "jp"),
    ("baidu", "fr", "fra"),
])
def test_babel_locales_map_to_each_providers_codes(engine: str, locale: str, code: str) -> None:
    assert provider_code(engine, locale) == code


def test_a_language_the_provider_lacks_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="libre has no code for language 'zh_Hant'"):
        provider_code("libre", "zh_Hant")


def test_keys_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    with pytest.raises(ConfigError) as caught:
        create_engine("deepl")
    assert str(caught.value) == ("deepl needs an API key and DEEPL_API_KEY is not set "
                                 "(export DEEPL_API_KEY=... or choose another --engine)")
    assert caught.value.exit_code == 1
    monkeypatch.setenv("DEEPL_API_KEY", "k-123")
    assert create_engine("deepl").name == "deepl"


def test_unknown_engine_and_misplaced_url_are_settings_to_correct_exit_1() -> None:
    # Configuration errors, not a provider failing (EngineError, exit 2).
    with pytest.raises(ConfigError) as unknown:
        create_engine("chatgpt")
    assert str(unknown.value) == ("unknown engine 'chatgpt' (choose one of google, deepl, "
                                  "microsoft, mymemory, libre, yandex, baidu, pseudo)")
    assert not isinstance(unknown.value, EngineError) and unknown.value.exit_code == 1
    with pytest.raises(ConfigError) as misplaced:
        create_engine("google", url="http://127.0.0.1:1/")
    assert str(misplaced.value) == ("--engine-url only applies to libre, not google "
                                    "(drop --engine-url or use --engine libre)")
    assert not isinstance(misplaced.value, EngineError) and misplaced.value.exit_code == 1


def test_a_url_for_another_engine_on_the_command_line_exits_1(workspace: Path) -> None:
    result = CliRunner().invoke(app, ["--root", str(workspace), "translate", "--engine", "google",
                                      "--engine-url", "http://127.0.0.1:1/"])
    assert result.exit_code == 1
    assert result.stderr == ("error: --engine-url only applies to libre, not google "
                             "(drop --engine-url or use --engine libre)\n")


def test_libre_without_key_talks_to_a_server_that_needs_none(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIBRE_API_KEY", raising=False)
    with running() as server:
        engine = create_engine("libre", url=server.url.rstrip("/"))
        assert engine.translate("hello {1}", source="en", target="de") == "de:hello {1}"


def test_rate_limit_answer_carries_retry_after() -> None:
    with running() as server:
        server.rate_limited, server.retry_after = 1, "7"
        engine = ProviderEngine("libre", url=server.url)
        with pytest.raises(Retry) as caught:
            engine.translate("hello", source="en", target="de")
        assert caught.value.after == 7.0
        assert engine.translate("hello", source="en", target="de") == "de:hello"


def test_a_server_that_never_answers_times_out() -> None:
    with running() as server:
        server.hang = 2.0
        engine = ProviderEngine("libre", url=server.url, timeout=0.2)
        started = time.monotonic()
        with pytest.raises(Retry, match="did not answer within 0.2 s"):
            engine.translate("hello", source="en", target="de")
        assert time.monotonic() - started < 1.5


def test_a_bad_request_refuses_only_that_text() -> None:
    with running() as server:
        engine = ProviderEngine("libre", url=server.url)
        engine._translator("en", "de")._target = "xx"   # a code the server does not know
        with pytest.raises(TextRefused, match="HTTP 400: xx is not supported"):
            engine.translate("hello", source="en", target="de")


@pytest.mark.parametrize(("header", "seconds"), [("3", 3.0), ("0", 0.0), ("soon", None)])
def test_retry_after_header(header: str, seconds: float | None) -> None:
    answer = requests.Response()
    answer.headers["Retry-After"] = header
    assert _retry_after(answer) == seconds


def test_pseudo_is_deterministic_longer_and_keeps_placeholders() -> None:
    text = "Hello {1}world{2} and {13}."
    out = pseudo_translate(text)
    assert out == pseudo_translate(text) != text
    sentence = "The quick brown fox jumps over the lazy dog near the river bank"
    assert len(pseudo_translate(sentence)) >= len(sentence) * 1.25
    assert [t for t in ("{1}", "{2}", "{13}") if t in out] == ["{1}", "{2}", "{13}"]
    assert out.isascii() is False


def test_pseudo_changes_chinese_and_japanese_text_too() -> None:
    # A zh article's pseudo edition must not look untranslated: each character is doubled, as
    # Latin vowels are; punctuation and placeholders are kept.
    assert pseudo_translate("{1}田渊栋{2}加入了团队。") == "{1}田田渊渊栋栋{2}加加入入了了团团队队。"
    assert pseudo_translate("ひらがな") == "ひひららががなな"


def test_cache_persists_across_instances(tmp_path: Path) -> None:
    cache = TranslationCache.for_state_dir(tmp_path / ".l10n")
    cache.put("libre", "en", "zh", "Hello {1}", "你好 {1}")
    cache.close()
    again = TranslationCache.for_state_dir(tmp_path / ".l10n")
    assert again.get("libre", "en", "zh", "Hello {1}") == "你好 {1}"
    assert again.get("google", "en", "zh", "Hello {1}") is None
    assert again.get("libre", "en", "de", "Hello {1}") is None
    assert len(again) == 1


def test_memory_keeps_approved_entries_only() -> None:
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="approved", msgstr="已批准"))
    catalog.append(polib.POEntry(msgid="draft", msgstr="草稿", flags=["fuzzy"]))
    catalog.append(polib.POEntry(msgid="empty", msgstr=""))
    catalog.append(polib.POEntry(msgid="old", msgstr="旧", obsolete=True))
    live = polib.POFile()
    live.append(polib.POEntry(msgid="old", msgstr="新"))
    memory = TranslationMemory()
    for slug, entries in (("a", catalog), ("b", live)):
        for entry in entries:
            memory.add(slug, entry)
    assert memory.recall("approved").msgstr == "已批准"  # type: ignore[union-attr]
    assert memory.recall("draft") is None and memory.recall("empty") is None
    recall = memory.recall("old")
    assert recall is not None and (recall.msgstr, recall.slug) == ("新", "b")


def test_batches_split_back_and_garbled_batches_are_refused() -> None:
    joined = _join_batch(["A {1} b {2}.", "C.", "D {1}."])
    assert joined == "A {1} b {2}.\n\n{100}\n\nC.\n\n{200}\n\nD {201}."
    assert _split_batch("甲 {1} 乙 { 2 }。\n\n｛100｝\n\n丙。\n\n{200}\n\n丁 {201}。", 3) == [
        "甲 {1} 乙 {2}。", "丙。", "丁 {1}。"]
    assert _split_batch("甲 {1} 乙 {2}。 丙。\n\n{200}\n\n丁 {201}。", 3) is None
    assert _split_batch("甲 {1} 乙。\n\n{100}\n\n丙 {2}。\n\n{200}\n\n丁 {201}。", 3) is None


class Flaky:
    """A fake remote engine: the first call of each text fails as told; counts calls."""

    name = "flaky"
    remote = True
    max_chars = 1000

    def __init__(self, failure: Exception | None = None, garble: bool = False) -> None:
        self.failure = failure
        self.garble = garble
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def translate(self, text: str, *, source: str, target: str) -> str:
        with self.lock:
            self.calls.append(text)
            first = self.calls.count(text) == 1
        if self.failure is not None and first:
            raise self.failure
        return text.replace("{100}", "") if self.garble else text.upper()

    def check_languages(self, source: str, target: str) -> None:
        return None


def run(dispatcher: Dispatcher, texts: list[str]) -> dict[str, str | None]:
    for text in texts:
        dispatcher.request("en", "de", text)
    return {a.text: a.translation for a in dispatcher.answers()}


def test_dispatcher_sends_identical_texts_once_in_batches(tmp_path: Path) -> None:
    engine = Flaky()
    cache = TranslationCache.for_state_dir(tmp_path)
    out = run(Dispatcher(engine, cache), ["a {1}", "b", "a {1}", "c"] * 3)
    assert out == {"a {1}": "A {1}", "b": "B", "c": "C"}
    assert len(engine.calls) == 1
    assert run(Dispatcher(engine, cache), ["a {1}", "b", "c"]) == out
    assert len(engine.calls) == 1


def test_dispatcher_resends_a_garbled_batch_text_by_text(tmp_path: Path) -> None:
    engine = Flaky(garble=True)
    out = run(Dispatcher(engine, None), ["a", "b", "c"])
    assert out == {"a": "a", "b": "b", "c": "c"}
    assert len(engine.calls) == 4


def test_dispatcher_retries_with_backoff_then_gives_up(tmp_path: Path) -> None:
    engine = Flaky(Retry("busy (HTTP 503)", after=0.05))
    assert run(Dispatcher(engine, None, backoff=0.01), ["a"]) == {"a": "A"}
    assert len(engine.calls) == 2

    class Down(Flaky):
        def translate(self, text: str, *, source: str, target: str) -> str:
            self.calls.append(text)
            raise Retry("down (HTTP 502)")

    down = Down()
    with pytest.raises(EngineError, match=r"down \(HTTP 502\); gave up after 3 attempts"):
        run(Dispatcher(down, None, retries=3, backoff=0.01), ["a"])
    assert len(down.calls) == 3


def test_dispatcher_reports_a_refused_text() -> None:
    engine = Flaky(TextRefused("too long"))
    dispatcher = Dispatcher(engine, None)
    dispatcher.request("en", "de", "x")
    [answer] = list(dispatcher.answers())
    assert (answer.translation, answer.error) == (None, "too long")
