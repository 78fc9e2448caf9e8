"""A deterministic corpus of news-like Markdown articles for the benchmark.

``write_workspace(root, articles=1000, seed=2025)`` lays out an l10n workspace under ``root``:
``pyproject.toml`` with ``[tool.l10n]`` and ``source/<slug>.md`` for each article. Every article has
YAML front matter, headings, paragraphs wrapped at about 80 columns with inline markup (bold names,
links, code spans, emphasis), a bulleted and an ordered list, a block quote, a GFM table, a fenced
code block, and about 60 translatable blocks in all; one article in five has Chinese paragraphs.
The same seed gives the same bytes. The words come from the small vocabulary below.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

WRAP = 80


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


NOUNS = _words(
    "model compiler kernel release team library tensor graph runtime benchmark dataset cluster "
    "scheduler driver engineer founder board company project community roadmap interview budget "
    "license paper network memory cache layer pipeline server client market policy regulator "
    "startup investor developer maintainer contributor framework backend frontend gateway report "
    "survey prototype feature milestone partner laboratory university student workshop agency "
    "device sensor battery factory supplier contract patent standard protocol account platform"
)
VERBS = _words(
    "announced confirmed released rewrote merged measured shipped delayed replaced funded "
    "published reviewed tested migrated optimised reduced doubled explained questioned approved "
    "rejected extended simplified described opened closed joined left founded acquired trained "
    "deployed patched benchmarked documented retired hired praised criticised expected planned"
)
ADJECTIVES = _words(
    "new faster open larger smaller early late stable experimental public private quiet bold "
    "careful modest ambitious popular official internal external regional global annual "
    "quarterly rapid gradual steady sudden costly cheap efficient portable secure familiar"
)
ADVERBS = _words("quickly quietly openly slowly finally recently widely carefully largely mostly")
LINKERS = _words(
    "and but while because although after before since when as so yet meanwhile however"
)
FILLERS = _words("the a this that its their our every each another one some")
PREPOSITIONS = _words("in on at for with from into over under about across between during")
FIRST_NAMES = _words(
    "Arlen Bettina Corvin Dalia Evander Fenna Gideon Halona Ismay Jorund Kelda Lasse Mirela "
    "Nadim Orla Piet Quilla Rasmus Selka Tobiah Ulla Varek Wenna Xaver Yselde Zorion"
)
LAST_NAMES = _words(
    "Ambrel Brisco Calloway Drummond Eskel Farrow Galdur Hollis Ivers Janssen Korvald Lindqvist "
    "Marrow Norcott Ostrander Pellam Quarry Rendall Stroud Tamsin Udall Vance Whitlock Yarrow"
)
ORGS = _words(
    "Northwind Labs|Cobalt Systems|Riverstone Institute|Helix Foundation|Tern Analytics|"
    "Saltmarsh University|Kestrel Cloud|Aldergrove Press",
    "|",
)
CODE = _words(
    "torch.compile|model.fit()|--max-workers|pip install kestrel|config.yaml|async def run|"
    "O(n log n)|CUDA_VISIBLE_DEVICES|git rebase|np.float16|make test|ctx.obj|__init__.py",
    "|",
)
DOMAINS = _words("example.com example.org example.net news.example.com docs.example.org")
CJK_WORDS = _words(
    "我们 今天 发布 新的 版本 团队 模型 编译器 社区 开发者 项目 计划 速度 内存 用户 "
    "研究 公司 宣布 完成 测试 性能 提高 文档 翻译 框架 工程师 创始人 会议 报告 数据 "
    "已经 正在 因为 所以 但是 而且 可以 需要 表示 认为 介绍 说明 支持 合作 开源 代码"
)
CJK_PUNCT = "，，，、；"
LANGUAGES = ("python", "bash", "yaml", "json", "text")
TAGS = _words("ai compilers open-source hardware research policy community funding people releases")


@dataclass(frozen=True)
class Article:
    """One generated article: its slug and its Markdown text."""

    slug: str
    text: str


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _atoms(rng: random.Random, words: int, *, markup: bool = True) -> list[str]:
    """Words of one English sentence run; inline constructs are single atoms (never wrapped)."""
    atoms: list[str] = []
    while len(atoms) < words:
        roll = rng.random()
        if markup and roll < 0.05:
            atoms.append(f"**{_name(rng)}**")
        elif markup and roll < 0.08:
            text = " ".join(rng.choice(NOUNS) for _ in range(rng.randint(1, 3)))
            atoms.append(f"[{text}](https://{rng.choice(DOMAINS)}/{rng.choice(NOUNS)}"
                         f"/{rng.randint(1, 999)})")
        elif markup and roll < 0.11:
            atoms.append(f"`{rng.choice(CODE)}`")
        elif markup and roll < 0.13:
            atoms.append(f"*{rng.choice(ADJECTIVES)}*")
        elif markup and roll < 0.14:
            atoms.append(f"_{rng.choice(ADVERBS)}_")
        elif roll < 0.16:
            atoms.append(rng.choice(ORGS))
        elif roll < 0.18:
            atoms.append(f"{rng.randint(2, 97)}%")
        else:
            atoms.append(rng.choice(
                (NOUNS, NOUNS, VERBS, ADJECTIVES, FILLERS, FILLERS, PREPOSITIONS, LINKERS)
                [rng.randrange(8)]))
    return atoms


def _sentences(rng: random.Random, count: int, *, markup: bool = True) -> list[str]:
    atoms: list[str] = []
    for _ in range(count):
        sentence = _atoms(rng, rng.randint(8, 18), markup=markup)
        sentence[0] = sentence[0][0].upper() + sentence[0][1:]
        sentence[-1] += rng.choice(".....?")
        atoms.extend(sentence)
    return atoms


def _wrap(atoms: list[str], first: str, rest: str, width: int = WRAP) -> list[str]:
    """Greedy wrapping of atoms: ``first`` prefixes the first line, ``rest`` the others."""
    lines: list[str] = []
    line = ""
    for atom in atoms:
        prefix = rest if lines else first
        if line and len(prefix) + len(line) + 1 + len(atom) > width:
            lines.append(prefix + line)
            line = atom
        else:
            line = f"{line} {atom}" if line else atom
    lines.append((rest if lines else first) + line)
    return lines


def _chinese_lines(rng: random.Random, prefix: str = "") -> list[str]:
    """A Chinese paragraph with a bold Latin name, wrapped at 38 characters (76 columns)."""
    text = ""
    for index in range(rng.randint(3, 5)):
        clause = "".join(rng.choice(CJK_WORDS) for _ in range(rng.randint(5, 11)))
        if index == 1:
            clause = f"{clause[:4]}**{_name(rng)}**{clause[4:]}"
        text += clause + (rng.choice(CJK_PUNCT) if index < 4 else "")
    text = text.rstrip(CJK_PUNCT) + "。"
    lines: list[str] = []
    while text:
        cut = 38
        if "**" in text[:cut] and text[:cut].count("**") % 2:  # keep the bold name on one line
            cut = text.index("**", text.index("**") + 2) + 2
        if text[cut:cut + 1] and text[cut] in CJK_PUNCT + "。":  # no line opens with punctuation
            cut += 1
        lines.append(prefix + text[:cut])
        text = text[cut:]
    return lines


def _paragraph(rng: random.Random, chinese: bool) -> list[str]:
    if chinese and rng.random() < 0.35:
        return _chinese_lines(rng)
    return _wrap(_sentences(rng, rng.randint(1, 4)), "", "")


def _heading(rng: random.Random, level: int) -> str:
    words = " ".join(rng.choice(NOUNS + ADJECTIVES) for _ in range(rng.randint(2, 6)))
    return "#" * level + " " + words[0].upper() + words[1:]


def _bullets(rng: random.Random) -> list[str]:
    lines: list[str] = []
    for _ in range(rng.randint(4, 6)):
        lines += _wrap(_sentences(rng, rng.randint(1, 2)), "- ", "  ")
    return lines


def _ordered(rng: random.Random) -> list[str]:
    lines: list[str] = []
    for number in range(1, rng.randint(3, 5) + 1):
        lines += _wrap(_sentences(rng, 1), f"{number}. ", "   ")
    return lines


def _quote(rng: random.Random) -> list[str]:
    first = _wrap(_sentences(rng, rng.randint(1, 3)), "> ", "> ")
    if rng.random() < 0.5:
        return first
    return first + [">"] + _wrap(_sentences(rng, 1), "> ", "> ")


def _table(rng: random.Random) -> list[str]:
    header = [rng.choice(NOUNS).capitalize() for _ in range(3)]
    rows = [f"| {' | '.join(header)} |", "| --- | --- | ---: |"]
    for _ in range(rng.randint(3, 4)):
        cells = [_name(rng), rng.choice(("Yes", "No", "Planned", rng.choice(ORGS))),
                 f"{rng.randint(1, 500)}"]
        rows.append(f"| {' | '.join(cells)} |")
    return rows


def _code(rng: random.Random) -> list[str]:
    language = rng.choice(LANGUAGES)
    body = [f"def {rng.choice(NOUNS)}_{rng.choice(VERBS)}(items):",
            "    total = 0",
            "    for item in items:",
            f"        total += item.{rng.choice(NOUNS)}",
            "",
            f"    return total  # {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"]
    return [f"```{language}", *body, "```"]


def article(index: int, seed: int = 2025) -> Article:
    """The article number ``index`` of the corpus for ``seed``: same arguments, same bytes."""
    rng = random.Random(seed * 1_000_003 + index)
    chinese = rng.random() < 0.2
    title = " ".join(_atoms(rng, rng.randint(5, 9), markup=False))
    summary = " ".join(_sentences(rng, 1, markup=False))
    tags = rng.sample(TAGS, 3)
    lines = [
        "---",
        f'title: "{title[0].upper()}{title[1:]}"',
        f'summary: "{summary}"',
        f"date: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"tags: [{', '.join(tags)}]",
        f"author: {_name(rng)}",
        "---",
        "",
    ]
    blocks: list[list[str]] = [[_heading(rng, 1)]]
    blocks += [_paragraph(rng, chinese) for _ in range(3)]
    specials = [_bullets, _ordered, _quote, _table, _code]
    rng.shuffle(specials)
    for section in range(6):
        blocks.append([_heading(rng, 2 if section % 3 else 3)])
        blocks += [_paragraph(rng, chinese) for _ in range(rng.randint(3, 5))]
        if section < len(specials):
            blocks.append(specials[section](rng))
    if chinese:
        blocks.append(_chinese_lines(rng, prefix="> "))
    body = "\n\n".join("\n".join(block) for block in blocks)
    return Article(slug=f"article-{index:04d}", text="\n".join(lines) + body + "\n")


PYPROJECT = """\
[project]
name = "bench-corpus"
version = "0"

[tool.l10n]
source_language = "en"
languages = ["en", "zh"]
"""


def write_workspace(root: Path, *, articles: int = 1000, seed: int = 2025) -> list[Path]:
    """Replace ``root`` with a fresh workspace holding ``articles`` generated articles.

    Returns the source files written, in order."""
    if root.exists():
        shutil.rmtree(root)
    source = root / "source"
    source.mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    paths = []
    for index in range(articles):
        item = article(index, seed)
        path = source / f"{item.slug}.md"
        path.write_text(item.text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, default=None,
                        help="workspace folder (default: bench/out/corpus-N)")
    args = parser.parse_args()
    root = args.out or Path(__file__).parent / "out" / f"corpus-{args.articles}"
    paths = write_workspace(root, articles=args.articles, seed=args.seed)
    print(f"{len(paths)} articles in {root / 'source'}")


if __name__ == "__main__":
    main()
