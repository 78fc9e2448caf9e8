"""A LibreTranslate-compatible HTTP server on 127.0.0.1 for tests and the bench.

It speaks what deep-translator's LibreTranslator and other clients send: ``POST /translate`` with
``q``, ``source``, ``target``, ``format``, ``api_key`` in the query string, a form or a JSON body
(``q`` may be a list), answering ``{"translatedText": ...}``; ``GET /languages``; errors as
``{"error": ...}`` with 400, 403 or 429. It counts requests and keeps every text it was sent.

Modes (attributes, changeable while it runs):

- ``honest``: a deterministic fake translation; ``{n}`` placeholders pass through untouched.
- ``hostile``: what real engines do to protected text: drops, repeats and reorders placeholders,
  adds spaces inside them, writes them full-width, rewrites pinned names into plausible wrong ones
  (田远东 for Tian Yuandong) and lower-cases acronyms.
- ``rate_limited`` = N: the first N translate requests get 429 with ``Retry-After``.
- ``latency``: seconds every translate request takes; ``hang``: seconds before answering at all
  (longer than the client's timeout, it is a timeout).
- ``die_after`` = N: after N translate requests the server stops listening and drops the request.
- ``blank``: texts containing one of these strings are answered with an empty translation, as
  engines do now and then for a text they cannot handle.

Run it by hand: ``python tests/libre_server.py --port 5000 --latency 0.1``.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

LANGUAGES = ["en", "zh", "de", "fr", "ja", "es"]
_TOKEN = re.compile(r"[{｛]\s*[0-9０-９]+\s*[}｝]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# What a careless engine writes for names a glossary pins.
WRONG_NAMES = {"Tian Yuandong": "田远东", "Yann LeCun": "扬·勒丘恩", "Jia Yangqing": "贾扬青",
               "Facebook": "脸书", "Soumith Chintala": "苏米斯·钦塔拉"}
_CJK = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def fake_translation(text: str, target: str) -> str:
    """Honest: every Latin word but acronyms becomes a word of the target (CJK characters for zh/ja, a
    bracketed form otherwise), chosen by its hash; placeholders, digits and punctuation stay."""
    def word(match: re.Match[str]) -> str:
        if match.group().isupper() and len(match.group()) > 1:
            return match.group()      # acronyms stay, as real engines keep them
        digest = hashlib.sha1(match.group().lower().encode()).digest()
        if target in ("zh", "ja"):
            return "".join(_CJK[b % len(_CJK)] for b in digest[: 1 + len(match.group()) // 4])
        return f"{target}:{match.group().lower()}"

    parts = _TOKEN.split(text)
    tokens = _TOKEN.findall(text)
    out = [_WORD.sub(word, parts[0])]
    for token, part in zip(tokens, parts[1:], strict=True):
        out += [token, _WORD.sub(word, part)]
    translated = "".join(out)
    return translated.replace(". ", "。") if target == "zh" else translated


def hostile_translation(text: str, target: str) -> str:
    """Hostile: the honest translation after damage chosen by the text's hash."""
    for name, wrong in WRONG_NAMES.items():
        text = text.replace(name, wrong)
    translated = fake_translation(text, target)
    translated = re.sub(r"\b[A-Z]{2,}\b", lambda m: m.group().lower(), translated)
    tokens = _TOKEN.findall(translated)
    if not tokens:
        return translated
    damage = hashlib.sha1(text.encode()).digest()[0] % 6
    if damage == 0:      # spaces inside every placeholder
        return _TOKEN.sub(lambda m: "{ " + m.group()[1:-1].strip() + " }", translated)
    if damage == 1:      # full-width braces
        return _TOKEN.sub(lambda m: "｛" + m.group()[1:-1].strip() + "｝", translated)
    if damage == 2 and len(tokens) >= 2:   # the first two placeholders swap places
        first, second = tokens[0], tokens[1]
        return translated.replace(first, "\0").replace(second, first).replace("\0", second)
    if damage == 3:      # the last placeholder is dropped
        index = translated.rfind(tokens[-1])
        return translated[:index] + translated[index + len(tokens[-1]):]
    if damage == 4:      # a placeholder repeated, another replaced by a wrong name
        return translated.replace(tokens[0], tokens[0] + " " + tokens[0], 1).replace(
            tokens[-1], "田远东", 1) if len(tokens) >= 2 else translated + " " + tokens[0]
    return translated


class LibreServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, port: int = 0, *, mode: str = "honest", latency: float = 0.0,
                 api_key: str | None = None) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.mode = mode
        self.latency = latency
        self.hang = 0.0
        self.api_key = api_key
        self.rate_limited = 0
        self.retry_after = "1"
        self.die_after: int | None = None
        self.blank: tuple[str, ...] = ()
        self.requests = 0            # every HTTP request
        self.translate_requests = 0  # POST /translate only
        self.texts: list[str] = []
        self.errors = 0
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up (timeouts, a dying server) are part of the tests; stay quiet.
        self.errors += 1

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def start(self) -> LibreServer:
        self.thread = threading.Thread(target=self.serve_forever, daemon=True,
                                       kwargs={"poll_interval": 0.05})
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def die(self) -> None:
        """Stop listening: later connections are refused."""
        threading.Thread(target=self.stop, daemon=True).start()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LibreServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests += 1
        if urlsplit(self.path).path.rstrip("/") == "/stats":   # for the bench: what was sent
            self._answer(200, {"requests": self.server.requests,
                               "translate_requests": self.server.translate_requests})
        elif urlsplit(self.path).path.rstrip("/") == "/languages":
            self._answer(200, [{"code": c, "name": c, "targets": [t for t in LANGUAGES if t != c]}
                               for c in LANGUAGES])
        else:
            self._answer(404, {"error": "Not Found"})

    def do_POST(self) -> None:
        server = self.server
        params = self._params()
        with server.lock:
            server.requests += 1
            if urlsplit(self.path).path.rstrip("/") != "/translate":
                number = 0
            else:
                server.translate_requests += 1
                number = server.translate_requests
        if number == 0:
            self._answer(404, {"error": "Not Found"})
            return
        if server.die_after is not None and number > server.die_after:
            server.die()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if server.hang:
            time.sleep(server.hang)
        if server.latency:
            time.sleep(server.latency)
        if number <= server.rate_limited:
            self._answer(429, {"error": "Slowdown: too many requests"},
                         {"Retry-After": server.retry_after})
            return
        if server.api_key is not None and params.get("api_key") != server.api_key:
            self._answer(403, {"error": "Invalid API key"})
            return
        q, source, target = params.get("q"), params.get("source"), params.get("target")
        if q is None or not source or not target:
            self._answer(400, {"error": "Invalid request: missing q, source or target"})
            return
        if target not in LANGUAGES or (source not in LANGUAGES and source != "auto"):
            self._answer(400, {"error": f"{target} is not supported"})
            return
        texts = q if isinstance(q, list) else [q]
        with server.lock:
            server.texts.extend(str(t) for t in texts)
        translate = hostile_translation if server.mode == "hostile" else fake_translation
        out = ["" if any(b in str(t) for b in server.blank) else translate(str(t), target)
               for t in texts]
        self._answer(200, {"translatedText": out if isinstance(q, list) else out[0]})

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {k: v[0] if len(v) == 1 else v
                                  for k, v in parse_qs(urlsplit(self.path).query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        kind = self.headers.get("Content-Type", "")
        if body and "json" in kind:
            data = json.loads(body)
            if isinstance(data, dict):
                params.update(data)
        elif body:
            params.update({k: v[0] if len(v) == 1 else v
                           for k, v in parse_qs(body.decode("utf-8")).items()})
        return params

    def _answer(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def running(**options: Any) -> Iterator[LibreServer]:
    """A started server, stopped at the end."""
    server = LibreServer(**options).start()
    try:
        yield server
    finally:
        server.stop()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--mode", choices=["honest", "hostile"], default="honest")
    parser.add_argument("--latency", type=float, default=0.0)
    arguments = parser.parse_args()
    with running(port=arguments.port, mode=arguments.mode, latency=arguments.latency) as live:
        print(f"listening on {live.url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
