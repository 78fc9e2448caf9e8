"""Whole-document validation: an edition has its source's structure, whatever its words."""

from __future__ import annotations

import pytest
from commonmark import spec_examples

from l10n.errors import SourceError
from l10n.validate import markdown_outline, validate_edition

SOURCE_MD = """\
---
title: Hello
tags: [news, ai]
---
# Title

## Install {#install}

Read [the guide][guide], then <a id="top"></a>see ![a cat](cat.png).

```python
print(1)
```

| Name | Role |
|------|------|
| Tian | FAIR |

## Use

Go back to [install](#install).

[guide]: https://example.com/guide
"""

EDITION_MD = """\
---
title: 你好
tags: [news, ai]
---
# 标题

## 安装 {#install}

阅读[指南](https://example.com/guide)，然后<a id="top"></a>看![一只猫](cat.png)。

```python
print(1)
```

| 姓名 | 角色 |
|------|------|
| 田 | FAIR |

## 使用

回到[安装](#install)。
"""


def md(source: str, edition: str) -> list[str]:
    return validate_edition(source, edition, format_name="markdown", path="build/zh/x.md")


def test_a_faithful_translation_has_no_problems() -> None:
    assert md(SOURCE_MD, SOURCE_MD) == []
    assert md(SOURCE_MD, EDITION_MD) == []


def test_heading_levels() -> None:
    assert md("# A\n\n## B\n\n## C\n", "# 甲\n\n## 乙\n\n### 丙\n") == [
        "heading 3 level 2 became level 3"]
    assert md("# A\n\n## B\n\n## C\n", "# 甲\n\n## 乙\n\n丙\n") == [
        "heading 3 (level 2) missing"]
    assert md("# A\n\nB\n", "# 甲\n\n## 乙\n") == ["heading 2 (level 2) added in the edition"]


def test_link_targets_and_anchors() -> None:
    edition = EDITION_MD.replace("(https://example.com/guide)", "(https://example.com/gide)")
    edition = edition.replace(' {#install}', "").replace('<a id="top"></a>', "")
    assert md(SOURCE_MD, edition) == [
        "link https://example.com/guide missing",
        "link https://example.com/gide added",
        "anchor #install missing",
        "anchor #top missing",
    ]
    assert md("[a](/x) [b](/x)", "[甲](/x) 乙") == ["link /x missing (1 of 2)"]
    assert md("![cat](cat.png)", "![猫](dog.png)") == ["link cat.png missing",
                                                        "link dog.png added"]


def test_a_footnote_definition_is_no_link_reference() -> None:
    # To CommonMark "[^1]: Ibid." defines a link to "Ibid."; extract reads it as a footnote.
    source = "Text.[^1]\n\n[^1]: Ibid.\n"
    assert md(source, "文本。[^1]\n\n[^1]: 同上。\n") == []


def test_code_blocks_are_compared_exactly() -> None:
    source = "Text\n\n```sh\nmake\n```\n\n    indented\n"
    assert md(source, "文本\n\n```sh\nmake all\n```\n\n    indented\n") == ["code block 1 changed"]
    assert md(source, "文本\n\n```bash\nmake\n```\n\n    indented\n") == ["code block 1 changed"]
    assert md(source, "文本\n\n    indented\n") == ["code block 1 ('make') missing"]


def test_table_shapes() -> None:
    source = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert md(source, "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n") == []
    assert md(source, "| 甲 |\n|---|\n| 1 |\n| 2 |\n") == [
        "table 1 had 2 rows × 2 columns, now 3 rows × 1 column"]
    assert md(source, "甲 乙\n") == ["table 1 (2 rows × 2 columns) missing"]


def test_front_matter_keys() -> None:
    source = "---\ntitle: Hi\nsummary: Short\nauthor:\n  name: Tian\n---\nText\n"
    assert md(source, "---\ntitle: 嗨\nsummary: 简短\nauthor:\n  name: Tian\n---\n文本\n") == []
    assert md(source, "---\ntitle: 嗨\nauthor:\n  name: Tian\nlang: zh\n---\n文本\n") == [
        "front matter key summary missing", "front matter key lang added"]


SOURCE_HTML = """\
<!DOCTYPE html>
<html lang="en"><head><title>Hi</title><meta name="description" content="A page"></head>
<body>
<h1 id="top">Hello</h1>
<h2>Part</h2>
<p>Read <a href="/guide">the guide</a> and see <img src="cat.png" alt="a cat">.</p>
<pre><code>make all</code></pre>
<table><tr><th colspan="2">Team</th></tr><tr><td>Tian</td><td>FAIR</td></tr></table>
</body></html>
"""


def html(source: str, edition: str) -> list[str]:
    return validate_edition(source, edition, format_name="html", path="build/zh/x.html")


def test_html_editions() -> None:
    edition = (SOURCE_HTML.replace("Hello", "你好").replace("the guide", "指南")
               .replace('"A page"', '"一页"').replace('lang="en"', 'lang="zh"'))
    assert html(SOURCE_HTML, edition) == []
    broken = (edition.replace("<h2>Part</h2>", "<h3>Part</h3>").replace('/guide', '/guid')
              .replace(' id="top"', "").replace("make all", "make")
              .replace("<td>FAIR</td>", "").replace('<meta name="description" content="一页">', ""))
    assert html(SOURCE_HTML, broken) == [
        "heading 2 level 2 became level 3",
        "link /guide missing",
        "link /guid added",
        "anchor #top missing",
        "code block 1 changed",
        "table 1 had 2 rows × 2 columns, now 2 rows of 2/1 cells",
        "front matter key description missing",
    ]


def test_an_html_edition_that_is_not_html_is_an_error() -> None:
    with pytest.raises(SourceError) as caught:
        html(SOURCE_HTML, "<?xml version='1.0' encoding='utf-8'?><p>x</p>")
    assert str(caught.value).startswith("build/zh/x.html: cannot parse HTML:")


def test_every_commonmark_example_matches_itself() -> None:
    """And the build's block-only outline sees the blocks the full parse sees (example 96's
    ``---``/``Foo``/``---`` is a thematic break and a heading, not front matter, for both)."""
    examples = spec_examples()
    assert len(examples) == 652
    for example in examples:
        assert md(example.markdown, example.markdown) == [], example.number
        full = markdown_outline(example.markdown)
        blocks = markdown_outline(example.markdown, inline=False)
        assert (blocks.headings, blocks.code_blocks, blocks.tables, blocks.front_matter) == \
            (full.headings, full.code_blocks, full.tables, full.front_matter), example.number
