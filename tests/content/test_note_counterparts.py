"""Every imported note card has a good curated counterpart, and the notes' known mistakes stay corrected."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

from mlprep.bank.loader import load_questions

CORE = REPO / "questions" / "core"
NOTES = REPO / "questions" / "notes"
MAX_WORDS = 170


@pytest.fixture(scope="module")
def core():
    return {q.id: q for q in load_questions([CORE])}


@pytest.fixture(scope="module")
def notes():
    if not NOTES.is_dir() or not any(NOTES.glob("*.yaml")):
        pytest.skip("no imported note banks in questions/notes")
    return {q.id: q for q in load_questions([NOTES])}


@pytest.fixture(scope="module")
def counterparts(core):
    by_note: dict[str, list] = {}
    for q in core.values():
        for sid in q.see_also:
            by_note.setdefault(sid, []).append(q)
    return by_note


def good(q) -> bool:
    words = len(q.answer.split())
    return bool(q.answer.strip()) and not q.unanswered and words <= MAX_WORDS


def told(q) -> str:
    """What the card tells the learner: question, answer, correct choice and explanation, lower-cased."""
    return "\n".join(p for p in (q.question, q.answer, q.correct, q.explanation) if p).lower()


def test_every_note_card_has_a_flashcard_sized_answered_counterpart(notes, counterparts):
    missing = [f"{n.id} {n.question[:60]!r}" for n in notes.values() if not any(good(c) for c in counterparts.get(n.id, []))]
    assert not missing, "note cards without an answered counterpart of at most 170 words:\n" + "\n".join(missing)


def test_every_unanswered_note_question_is_answered_by_a_counterpart(notes, counterparts):
    unanswered = [n for n in notes.values() if n.unanswered]
    assert unanswered, "the notes used to hold unanswered questions; check the importer"
    for n in unanswered:
        cs = [c for c in counterparts.get(n.id, []) if good(c)]
        assert cs, n.id
        assert all(c.kind != "open" or len(c.keywords) >= 2 for c in cs), f"{n.id}: open counterpart without keywords"


def test_counterparts_of_long_or_transcript_notes_are_concise(notes, counterparts):
    """Notes over 1,500 characters (chat transcripts, notebook output, lists of questions) need a short counterpart."""
    for n in notes.values():
        if len(n.answer) > 1500:
            assert any(good(c) and len(c.answer.split()) <= 120 for c in counterparts[n.id]), n.id


def test_the_same_with_3x3x3_card_has_a_self_contained_counterpart(notes, counterparts):
    (card,) = [n for n in notes.values() if n.question.strip().lower().startswith("the same with")]
    assert any("conv" in c.question.lower() and "same" not in c.question.lower().split()[:3]
               for c in counterparts[card.id])


def _counterparts_of(notes, counterparts, pattern):
    hits = [n for n in notes.values() if re.search(pattern, n.question + "\n" + n.answer, re.I)]
    assert hits, pattern
    return [c for n in hits for c in counterparts.get(n.id, [])]


def test_identity_input_counterpart_subtracts_the_bias(notes, counterparts):
    cs = _counterparts_of(notes, counterparts, r"identity matrix to a linear layer")
    assert cs
    for c in cs:
        text = told(c)
        assert "subtract" in text and "bias" in text, c.id
    assert any(re.search(r"w\^\\top \+ b|wᵀ \+ b", told(c)) for c in cs), "say that f(I) = Wᵀ + b"


def test_conv_weight_counterpart_probes_cin_k_k_and_reshapes_to_pytorch_layout(core):
    q = core["cnn.extract-conv-weights"]
    assert "q-5408de980a48" in q.see_also
    text = told(q)
    assert "subtract" in text and "bias" in text
    assert "c * k * k" in text or "c_{in} k^2" in text
    assert "(c_out, c_in, k, k)" in text


def test_conv_weight_recipe_in_the_answer_recovers_a_real_layer(core):
    torch = pytest.importorskip("torch")
    code = re.search(r"```python\n(.*?)```", core["cnn.extract-conv-weights"].answer, re.S).group(1)
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(3, 5, kernel_size=3)
    scope = {"torch": torch, "conv": lambda x: conv(x).detach()}
    exec(code, scope)  # noqa: S102 - our own bank's snippet
    assert torch.allclose(scope["W"], conv.weight, atol=1e-6)
    assert torch.allclose(scope["b"], conv.bias, atol=1e-6)


def test_beam_search_counterpart_sums_log_probabilities(notes, counterparts):
    cs = [c for c in _counterparts_of(notes, counterparts, r"def beam_search") if "beam" in c.question.lower()]
    assert cs, "the note with the beam-search code needs a beam-search counterpart"
    for c in cs:
        text = told(c)
        assert "log-probabilit" in text and "log_softmax" in text, c.id
        assert "softmax(" not in c.answer.replace("log_softmax(", ""), f"{c.id}: adds probabilities"


def test_beam_search_snippet_finds_the_most_likely_sequence(core):
    torch = pytest.importorskip("torch")
    import itertools

    code = re.search(r"```python\n(.*?)```", core["transformers-llm.beam-search-pytorch"].answer, re.S).group(1)
    torch.manual_seed(3)
    V, steps = 4, 3
    table = torch.randn(V, V) * 2  # the next-token logits depend on the last token only
    scope = {"torch": torch, "model": lambda s: table[s], "ids": torch.tensor([[1]]), "B": V**steps, "max_new": steps}
    exec(code, scope)  # noqa: S102 - our own bank's snippet
    logp = table.log_softmax(-1)
    best = max(itertools.product(range(V), repeat=steps),
               key=lambda s: logp[1, s[0]] + sum(logp[a, b] for a, b in zip(s, s[1:], strict=False)))
    assert scope["best"].tolist() == [1, *best]


def test_cosine_similarity_correction_stays(core):
    text = told(core["recommender-systems.similarity-measures"])
    assert "ignores scale" in text and "offset" in text
