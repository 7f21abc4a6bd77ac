"""Property: whatever the note, the importer makes valid cards (or raises a clear MlprepError)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlprep.bank.loader import parse_bank_text
from mlprep.bank.schema import build_question
from mlprep.errors import MlprepError
from mlprep.importer.bankfile import dump_bank
from mlprep.importer.notes import import_text

words = st.text(
    alphabet=st.sampled_from("abc XYZ?:=|`$*_#>![]{}<-~%\t\\é🤖"), min_size=0, max_size=24
)
fence = st.builds(
    lambda ch, n, info: ch * n + info,
    st.sampled_from("`~"),
    st.integers(3, 5),
    st.sampled_from(["", "python", "md"]),
)
line = st.one_of(
    words,
    st.builds("Q: {}".format, words),
    st.builds("**Q:** {}?".format, words),
    st.builds("A: {}".format, words),
    st.builds("Q: {}? A: {}".format, words, words),
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 7), words),
    st.builds("**{}**".format, words),
    fence,
    st.builds("> [!info]- {}".format, words),
    st.builds(">{}".format, words),
    st.builds("{}::{}".format, words, words),
    st.builds("{}:::{}".format, words, words),
    st.sampled_from(
        [
            "?",
            "??",
            "",
            "---",
            "===",
            "$$",
            "%%",
            "<!--",
            "-->",
            "</details>",
            "<details><summary>Q?</summary>",
        ]
    ),
    st.builds("{}. {}?".format, st.integers(1, 30), words),
    st.builds("==x== {} {{{{c1::{}}}}}".format, words, words),
    st.builds("| {} | {} |".format, words, words),
    st.sampled_from(
        ["| Question | Answer |", "|---|---|", "<img src='a.png'>", "![[p.png]]", "[[T|alias]]"]
    ),
)
structured = st.lists(line, max_size=40).map("\n".join)
front = st.sampled_from(["", "---\ntags: [a, b]\n---\n", "---\ntags: [\n---\n", "---\ntopic: 3\n"])


def check(text: str) -> None:
    try:
        result = import_text(text, "note.md")
    except MlprepError:
        return
    ids = [q.id for q in result.questions]
    assert len(ids) == len(set(ids))
    for q in result.questions:
        again, problems = build_question(q.to_dict(with_bank=False))
        assert problems == [] and again is not None
    questions, problems = parse_bank_text(dump_bank(result.questions, "note.md"), "note.yaml")
    assert problems == []
    assert [(q.id, q.question, q.answer) for q in questions] == [
        (q.id, q.question, q.answer) for q in result.questions
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    check(text)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front, structured)
def test_markdown_like_structures(head, body):
    check(head + body)
