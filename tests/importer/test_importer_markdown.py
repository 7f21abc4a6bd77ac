"""The note scanner: fences, a wrapped note, front matter, callouts, comments, Obsidian syntax."""

from __future__ import annotations

from textwrap import dedent

from mlprep.importer.markdown import scan
from mlprep.importer.obsidian import clean_line


def kinds(text: str) -> list[tuple[int, str, str]]:
    return [(line.no, line.kind, line.text) for line in scan(dedent(text)).lines]


def test_backtick_and_tilde_fences_nest_by_length_and_character():
    text = """\
    ````md
    ```python
    x = 1
    ```
    ````
    ~~~
    ```
    ~~~
    # after
    """
    rows = kinds(text)
    assert [r[1] for r in rows[:8]] == ["code"] * 8
    assert rows[8] == (9, "heading", "# after")


def test_unclosed_fence_reads_rest_as_code_and_warns():
    result = scan("intro\n```\ncode\n# not a heading\n")
    assert [line.kind for line in result.lines] == ["text", "code", "code", "code"]
    assert result.warnings == [
        (2, "code fence is never closed; the rest of the note was read as code")
    ]


def test_a_note_wholly_wrapped_in_a_fence_is_unwrapped():
    text = (
        "# Quiz\n\n```\nQ: What is a tensor?\n\nAn n-d array.\n\n```py\nx = 1\n```\n\n## Sub\n```\n"
    )
    rows = kinds(text)
    assert (4, "text", "Q: What is a tensor?") in rows
    assert (8, "code", "```py") in rows
    assert (12, "heading", "## Sub") in rows
    assert all(r[0] not in (3, 13) for r in rows)  # the wrapper's two fence lines are gone


def test_an_ordinary_leading_code_block_is_not_taken_for_a_wrapper():
    rows = kinds("```\nprint('hi')\n```\n\ntext\n")
    assert rows[0] == (1, "code", "```")


def test_front_matter_gives_tags_and_its_lines_are_dropped():
    result = scan("---\ntags:\n  - interview\n  - cnn\n---\nQ: x?\nA: y\n")
    assert result.front_matter == {"tags": ["interview", "cnn"]}
    assert result.lines[0].no == 6


def test_malformed_front_matter_is_reported_not_raised():
    result = scan("---\ntags: [a\n---\ntext\n")
    assert result.front_matter == {}
    assert result.warnings and result.warnings[0][0] == 1


def test_callout_is_unwrapped_with_its_code_and_title():
    text = "A: see\n> [!info]- Code\n>```python\n>def f():\n>\treturn 1\n>```\n\nafter\n"
    rows = kinds(text)
    assert rows[1] == (2, "text", "*Code*")
    assert rows[2:6] == [
        (3, "code", "```python"),
        (4, "code", "def f():"),
        (5, "code", "    return 1"),
        (6, "code", "```"),
    ]
    assert rows[-1] == (8, "text", "after")


def test_comments_are_dropped_without_swallowing_what_follows():
    text = (
        "keep 1 %%hidden%% still\n<!-- a\nmulti-line\ncomment --> tail\n%%\nobsidian\n%%\nkeep 2\n"
    )
    texts = [line.text for line in scan(text).lines if line.kind == "text"]
    assert texts == ["keep 1  still", "  tail", "keep 2"]


def test_an_unclosed_comment_is_kept_as_text_and_reported():
    result = scan("before\n<!-- never closed\nQ: still here?\n")
    assert [line.text for line in result.lines if line.kind == "text"] == [
        "before",
        "<!-- never closed",
        "Q: still here?",
    ]
    assert result.warnings == [(2, "`<!--` comment is never closed; kept as text")]


def test_comment_markers_inside_code_are_code():
    rows = kinds("```\n<!-- not a comment\n```\n`%%x%%` text\n")
    assert rows[1] == (2, "code", "<!-- not a comment")
    assert rows[3] == (4, "text", "`%%x%%` text")


def test_wikilinks_images_and_img_tags():
    text, media = clean_line(
        'See [[Losses|loss function]] and [[Softmax]] ![[plot.png]] ![alt](img/a.png) <img width="5" src="https://x/y.png"> `[[code]]`'
    )
    assert text == "See loss function and Softmax    `[[code]]`"  # inline code is left alone
    assert media == ["plot.png", "img/a.png", "https://x/y.png"]


def test_headings_rules_and_hash_tags():
    rows = kinds("# Title\n#tag is text\n\n---\n###   Deep ###\n#\n")
    assert rows[0][1:] == ("heading", "# Title")
    assert rows[1][1] == "text"
    assert rows[3][1] == "rule"
    assert scan("###   Deep ###\n").lines[0].title == "Deep"
    assert rows[5][1] == "rule"


def test_crlf_bom_and_tabs():
    result = scan("\ufeffQ: a?\r\nA:\tb  \r\n")
    assert [line.text for line in result.lines[:2]] == ["Q: a?", "A:  b"]


def test_setext_headings_but_not_rules_under_longer_paragraphs_or_markers():
    rows = kinds("Title\n=====\n\nSection\n---\ntext\n\none\ntwo\n---\n\nQ: a?\n---\n- item\n---\n")
    assert rows[0] == (1, "heading", "# Title")
    assert rows[2] == (4, "heading", "## Section")
    assert [r[1] for r in rows[5:8]] == ["text", "text", "rule"]  # two-line paragraph, then a rule
    assert [r[1] for r in rows[9:]] == ["text", "rule", "text", "rule"]
