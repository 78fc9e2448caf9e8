"""Machine-translation throughput: `l10n translate` versus a plain deep-translator loop.

2,000 distinct segments (names from the glossary, inline code, links, emphasis) in 20 articles,
against the loopback LibreTranslate server (tests/libre_server.py, its own process) answering
every request after ``--latency`` seconds (default 0.1). Measures:

1. the wall time of our pipeline (translate_workspace: memory, cache, batches, 8 workers);
2. the wall time of a plain sequential loop over deep-translator's ``LibreTranslator.translate``
   on the same segments (``--baseline-sample N`` times a sample and scales it up);
3. the requests a second run of our pipeline sends (target 0).

Run: ``.venv/bin/python bench/bench_translate.py`` (about 4 minutes; the baseline dominates).
Writes bench/out/translate.json.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib
import requests
from deep_translator import LibreTranslator

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from l10n.draft import translate_workspace
from l10n.project import Project

NAMES = ["Tian Yuandong", "Yann LeCun", "Jia Yangqing", "FAIR", "PyTorch", "Facebook", "Meta"]
WORDS = ["model", "compiler", "kernel", "release", "team", "library", "tensor", "graph", "runtime", "benchmark", "dataset", "cluster", "scheduler", "driver", "engineer", "founder", "board", "company", "project", "community", "roadmap", "paper", "network", "memory", "cache", "layer", "pipeline", "server", "client", "market", "startup", "investor"]
VERBS = ["ships", "trains", "rewrites", "announces", "funds", "reviews", "ports", "merges", "profiles", "tunes"]


def segment(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    name, other = rng.sample(NAMES, 2)
    shapes = [
        f"{name} {rng.choice(VERBS)} the {' '.join(words[:4])} with **{other}** ({n}).",
        f"The {' '.join(words[:3])} of {name} uses `torch.{words[4]}()` today, segment {n}.",
        (f"See [{' '.join(words[:2])}](https://example.com/{n}) by *{name}*; {' '.join(words[2:])}"
        f" #{n}."),
        f"{' '.join(words).capitalize()} at {name} and {other}. It is item {n}.",
    ]
    return shapes[n % len(shapes)]


def make_workspace(root: Path, count: int, per_article: int = 100) -> list[str]:
    rng = random.Random(2025)
    texts = [segment(rng, n) for n in range(count)]
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_language = "en"\nlanguages = ["en", "zh"]\n', encoding="utf-8")
    (root / "glossary.yml").write_bytes((REPO / "glossary.yml").read_bytes())
    for start in range(0, count, per_article):
        slug = f"article-{start // per_article:03d}"
        chunk = texts[start:start + per_article]
        (root / "source" / f"{slug}.md").write_text("\n\n".join(chunk) + "\n", encoding="utf-8")
        catalog = polib.POFile(wrapwidth=78)
        catalog.metadata = {"Language": "zh", "MIME-Version": "1.0",
                            "Content-Type": "text/plain; charset=UTF-8",
                            "Content-Transfer-Encoding": "8bit"}
        for msgid in chunk:
            catalog.append(polib.POEntry(msgid=msgid, msgstr=""))
        path = root / "locales" / "zh" / f"{slug}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog.save(str(path))
    return texts


def start_server(latency: float) -> tuple[subprocess.Popen[bytes], str]:
    port = 5731
    process = subprocess.Popen([sys.executable, str(REPO / "tests" / "libre_server.py"),
                                "--port", str(port), "--latency", str(latency)],
                               stdout=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()   # "listening on ..."
    return process, f"http://127.0.0.1:{port}/"


def stats(url: str) -> int:
    return int(requests.get(url + "stats", timeout=5).json()["translate_requests"])


def main() -> None:
    parser = argparse.ArgumentParser(description="l10n translate vs a deep-translator loop")
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--baseline-sample", type=int, default=0,
                        help="time only this many baseline calls and scale up (0: all)")
    args = parser.parse_args()
    process, url = start_server(args.latency)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "ws"
            texts = make_workspace(root, args.segments)
            project = Project.load(root)
            before = stats(url)
            started = time.perf_counter()
            first = translate_workspace(project, engine_name="libre", engine_url=url)
            ours = time.perf_counter() - started
            first_requests = stats(url) - before
            before = stats(url)
            second = translate_workspace(project, engine_name="libre", engine_url=url)
            second_requests = stats(url) - before
            zh = first.languages["zh"]

        translator = LibreTranslator(source="en", target="zh", api_key="no-key", custom_url=url)
        sample = texts[:args.baseline_sample] if args.baseline_sample else texts
        started = time.perf_counter()
        for text in sample:
            translator.translate(text)
        baseline = (time.perf_counter() - started) * len(texts) / len(sample)
    finally:
        process.terminate()
        process.wait()
    result = {
        "segments": args.segments, "latency_s": args.latency,
        "ours_s": round(ours, 2), "baseline_s": round(baseline, 2),
        "baseline_measured_calls": len(sample),
        "speedup": round(baseline / ours, 1),
        "first_run_requests": first_requests, "first_run_drafts": zh.drafts,
        "first_run_failed": len(zh.failed),
        "second_run_requests": second_requests, "second_run_reported_requests": second.requests,
        "second_run_from_cache": second.languages["zh"].from_cache,
    }
    out = REPO / "bench" / "out" / "translate.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
