"""Bench: extract + build of 1,000 HTML news articles, ours against Translate Toolkit.

    .venv/bin/python bench/bench_html.py [--articles 1000] [--generator corpus|own]
                                         [--language zh] [--peers bench/.venv-peers]

By default the articles are the Markdown bench corpus (bench/corpus.py) rendered to HTML pages.
``--language zh`` renders them as the zh edition (``<html lang>``, og:locale and the ``lang`` and
``dir`` inside the page relabelled), the work a build does that a render without a language skips.

Ours: ``l10n.formats.html.extract`` then ``render`` with the identity lookup (every msgstr equal to
its msgid), and again with a pseudo-translation (every block replaced, so every splice is made and
checked). Translate Toolkit: ``html2po`` on the folder, then ``po2html`` with the templates; its
msgstrs are empty, so po2html keeps the source text (its identity). Install the peer with
``python3 -m venv bench/.venv-peers && bench/.venv-peers/bin/pip install translate-toolkit``.
"""

from __future__ import annotations

import argparse
import html
import logging
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import yaml
from corpus import article as markdown_article
from markdown_it import MarkdownIt

from l10n.formats import FormatOptions
from l10n.formats import html as fmt

WORDS = ["the", "model", "team", "research", "library", "tensor", "release", "framework", "graph", "training", "data", "open", "source", "community", "foundation", "engineers", "compiler", "python", "lua", "speed", "memory", "users", "paper", "benchmark", "cluster", "vision", "language", "support", "version", "update", "report", "city", "council", "market", "weather", "election", "budget", "school", "hospital", "river", "bridge"]
NAMES = ["Soumith Chintala", "Adam Paszke", "Sam Gross", "Jia Yangqing", "Linux Foundation"]


def sentence(rng: random.Random, inline: bool = True) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    if inline:
        for at in rng.sample(range(len(words)), rng.randint(0, 3)):
            kind = rng.choice(["a", "em", "strong", "code", "name"])
            if kind == "a":
                words[at] = f'<a href="https://example.org/{words[at]}">{words[at]}</a>'
            elif kind == "name":
                words[at] = rng.choice(NAMES)
            else:
                words[at] = f"<{kind}>{words[at]}</{kind}>"
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", "?", " &amp; more."])


def article(rng: random.Random, number: int) -> str:
    title = sentence(rng, inline=False).rstrip(".?")
    paragraphs = "\n".join(
        f"    <p>{sentence(rng)} {sentence(rng)}</p>" for _ in range(rng.randint(4, 8)))
    items = "\n".join(f"      <li>{sentence(rng)}</li>" for _ in range(3))
    rows = "\n".join(f"      <tr><td>{rng.choice(NAMES)}</td><td>{rng.randint(1, 99)} "
                     f"{rng.choice(WORDS)}</td></tr>" for _ in range(rng.randint(0, 3)))
    table = f"    <table>\n      <caption>{sentence(rng, False)}</caption>\n{rows}\n    </table>\n"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <meta name="description" content="{sentence(rng, inline=False)}">
</head>
<body>
  <article id="a{number}">
    <h1>{title}</h1>
    <p class="byline">By {rng.choice(NAMES)}<br>{rng.randint(1, 28)} May 2024</p>
{paragraphs}
    <figure><img src="/img/{number}.jpg" alt="{sentence(rng, False)}">
      <figcaption>{sentence(rng)}</figcaption></figure>
    <h2>{sentence(rng, inline=False)}</h2>
    <ul>
{items}
    </ul>
{table if rows else ""}    <pre><code>x = torch.ones({number})\nprint(x.sum())</code></pre>
  </article>
</body>
</html>
"""


_MARKDOWN = MarkdownIt("commonmark").enable("table")


def corpus_article(number: int) -> str:
    """Article ``number`` of the Markdown bench corpus (bench/corpus.py), rendered to an HTML page:
    the same 1,000 articles as the Markdown bench, front-matter title and summary in the head."""
    text = markdown_article(number).text
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    title, summary = (html.escape(str(meta[key])) for key in ("title", "summary"))
    page = _MARKDOWN.render(body)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n'
            f'  <title>{title}</title>\n  <meta name="description" content="{summary}">\n'
            f"</head>\n<body>\n<article>\n{page}</article>\n</body>\n</html>\n")


def pseudo(msgid: str) -> str:
    return "".join(p if p[:1] in "<&" else p.upper() for p in re.split(r"(<[^>]+>|&\w+;)", msgid))


def ours(texts: list[str], lookup, language: str | None = None) -> tuple[float, int, int]:
    options = FormatOptions()
    edition = FormatOptions(language=language)
    segments = identical = 0
    start = time.perf_counter()
    for i, text in enumerate(texts):
        segments += len(fmt.extract(text, f"source/a{i}.html", options=options))
        identical += fmt.render(text, lookup, options=edition) == text
    return time.perf_counter() - start, segments, identical


def peers(src: Path, work: Path, venv: Path) -> tuple[float, float, int]:
    po, out = work / "po", work / "out"
    start = time.perf_counter()
    subprocess.run([str(venv / "bin" / "html2po"), "--progress=none", "-i", str(src), "-o",
                    str(po)],
                   check=True, capture_output=True)
    middle = time.perf_counter()
    subprocess.run([str(venv / "bin" / "po2html"), "--progress=none", "-i", str(po), "-t", str(src), "-o",
                    str(out)], check=True, capture_output=True)
    end = time.perf_counter()
    identical = sum((out / p.name).read_bytes() == p.read_bytes() for p in src.glob("*.html")
                    if (out / p.name).exists())
    return middle - start, end - middle, identical


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--generator", choices=["corpus", "own"], default="corpus",
                        help="corpus: the Markdown bench corpus rendered to HTML (default); "
                             "own: hand-shaped HTML pages with broken-ish markup")
    parser.add_argument("--language", default=None,
                        help="render the edition in this language (e.g. zh): <html lang> and the "
                             "language metadata change, so no edition is byte-identical")
    parser.add_argument("--peers", type=Path, default=REPO / "bench" / ".venv-peers")
    args = parser.parse_args()
    rng = random.Random(2024)
    texts = ([corpus_article(i) for i in range(args.articles)] if args.generator == "corpus"
             else [article(rng, i) for i in range(args.articles)])
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for i, text in enumerate(texts):
            (src / f"a{i:04d}.html").write_text(text, encoding="utf-8")
        size = sum(len(t.encode()) for t in texts)
        print(f"{len(texts)} articles, {size / 1e6:.1f} MB"
              + (f", rendered as the {args.language} edition" if args.language else ""))
        ours_identity, segments, same = ours(texts, lambda m: m, args.language)
        print(f"ours  extract+render (identity): {ours_identity:7.2f} s  {segments} segments, "
              f"{same}/{len(texts)} byte-identical")
        fallbacks = _Count()
        logging.getLogger("l10n.formats.html").addHandler(fallbacks)
        ours_pseudo, _, _ = ours(texts, pseudo, args.language)
        print(f"ours  extract+render (pseudo):   {ours_pseudo:7.2f} s  every block replaced, "
              f"{fallbacks.count} re-serialized instead of spliced")
        if not (args.peers / "bin" / "html2po").exists():
            print(f"Translate Toolkit not found in {args.peers}; see the docstring")
            return
        extract_s, build_s, peer_same = peers(src, Path(tmp), args.peers)
        total = extract_s + build_s
        print(f"ttk   html2po {extract_s:.2f} s + po2html {build_s:.2f} s = {total:7.2f} s  "
              f"{peer_same}/{len(texts)} byte-identical")
        print(f"ratio Translate Toolkit / ours: {total / ours_identity:.1f}x (identity), "
              f"{total / ours_pseudo:.1f}x (pseudo)")


if __name__ == "__main__":
    main()
