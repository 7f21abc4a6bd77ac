"""The five real notes: counts established by reading each note, and samples word for word.

Counted by hand:
- 000 (question bank): six coding questions in a numbered list; two of them are also
  headings (``### 1. Write a top-k …`` with a long answer, ``### Write the transformer layer …``
  with an empty body), so 6 cards, 1 answered.
- 001 (Obsidian): nine ``Q:``/``A:`` pairs, all answered; front matter tag ``interview``.
- 002 (TensorFlow, wholly wrapped in a fence): 12 ``Q:`` questions plus the follow-up "will BMM
  lead to …?" = 13 answered cards; the 28-item question list under ``###`` headings repeats two
  of the ``Q:`` questions (items 1 and 2), leaving 26 list cards, two of which carry a short
  answer after their ``?`` (items 22 and 25): 39 cards, 15 answered.
- 003 (company notes): 11 sections without a question (bold titles and ``##`` headings) and a
  two-item list of questions ("Batch norm doesn't work in RL. Why ?"): 13 cards.
- 004 (coding exercises): three ``##`` sections under the title: 3 cards.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlprep.bank.loader import validate
from mlprep.importer.bankfile import dump_bank, existing_banks
from mlprep.importer.merge import plan
from mlprep.importer.notes import import_note

REPO = Path(__file__).resolve().parents[2]
BANKS = REPO / "questions" / "notes"
EXPECTED = {  # note stem prefix -> (cards, answered, bank name)
    "000": (6, 1, "interview-question-bank-w-answers"),
    "001": (9, 9, "001-f123db0a15760a51"),
    "002": (39, 15, "tensorflow-quiz-interview-oriented"),
    "003": (13, 11, "company-specific"),
    "004": (3, 3, "ml-coding-exercises"),
}


@pytest.fixture(scope="module")
def imported():
    notes = Path(__file__).resolve().parents[3] / "shared" / "notes"
    if not notes.is_dir():
        pytest.skip(
            f"the user's notes are not here ({notes}); CI provides ../shared beside the clone"
        )
    return {p.name[:3]: import_note(p) for p in sorted(notes.glob("*.txt"))}


def by_question(note):
    return {q.question: q for q in note.questions}


def test_counts_per_note(imported):
    got = {
        k: (len(n.questions), sum(not q.unanswered for q in n.questions), n.name)
        for k, n in imported.items()
    }
    assert got == EXPECTED


def test_obsidian_note_pairs_word_for_word(imported):
    note = imported["001"]
    qs = by_question(note)
    assert qs["What is the number of the parameters of convolution?"].answer == "$(3*3*3 + 1) *3$"
    multilabel = qs[
        "We have a multiclass neural net, what should we change in it, if we want to make it multilabel?"
    ]
    assert multilabel.answer == (
        "Change the output activation function from softmax to sigmoid and the loss function "
        "from categorical cross-entropy to binary cross-entropy."
    )  # the wikilink [[Losses|loss function]] became its alias
    sampling = next(
        q for q in note.questions if q.question.startswith("Write a basic PyTorch code")
    )
    assert sampling.answer.startswith("Inspired by https://medium.com/@pashashaik/")
    assert "\n*Code*\n```python\nimport torch\n" in sampling.answer  # the callout, unwrapped
    assert "\n    def greedy_search(self, input_ids, max_length, tokenizer):\n" in sampling.answer
    pseudo = next(q for q in note.questions if q.question.startswith("Here is a pseudocode"))
    assert pseudo.question.endswith("net.add(Dropout(rate=0.5))\n```")
    assert pseudo.answer.startswith("* Initializing weights to zero is generally a bad practice")
    assert [q.source["line"] for q in note.questions] == [5, 8, 11, 55, 68, 93, 96, 99, 250]
    assert all("interview" in q.tags for q in note.questions)


def test_tensorflow_note_questions_answers_and_follow_up(imported):
    note = imported["002"]
    qs = by_question(note)
    tf = qs["What is TensorFlow, and how does it differ from other deep learning frameworks?"]
    assert tf.source == {
        "file": "002_0382162edb178db0.txt",
        "line": 49,
        "heading": "Tensorflow Quiz - interview-oriented",
    }
    assert tf.answer.startswith(
        "TensorFlow is an open-source machine learning library developed by the Google Brain team."
    )
    bmm = qs["what is BMM about in llm inference?"]
    assert bmm.answer.endswith(
        "making the transformer model scalable and efficient for large language model inference."
    )
    follow = qs["will BMM lead to different results for the same input, if so, how to improve it?"]
    assert follow.source["line"] == 537
    assert follow.answer.startswith(
        "Batch Matrix Multiplication (BMM) itself is a deterministic operation,"
    )
    assert follow.answer.endswith(
        "which is crucial for reproducibility in deep learning experiments."
    )
    assert qs["How do you evaluate the performance of a model during inference?"].answer == (
        "latency, throghput, energe consumption"
    )
    listed = qs[
        "Describe a challenging model deployment you worked on. What was the problem, and how did you solve it?"
    ]
    assert listed.unanswered and listed.source["heading"] == "Behavioral Questions"
    assert "Can you explain the difference between TensorFlow 1.x and TensorFlow 2.x?" in qs
    assert (
        sum(
            q.question.startswith("Can you explain the difference between TensorFlow 1.x")
            for q in note.questions
        )
        == 1
    )


def test_question_bank_note_coding_questions(imported):
    note = imported["000"]
    assert [q.question for q in note.questions] == [
        "Debug distributed numpy NN implementation",
        "Write a data processing pipeline with pandas/numpy",
        "Implement LR with numpy",
        "Implement a model from a white paper..",
        "Write a top-k sampling/nucleus sampling function for GPT in numpy",
        "Write the transformer layer with PyTorch",
    ]
    topk = note.questions[4]
    assert topk.answer.startswith(
        "First, what is a top-k sampling method? Here are some articles\n"
    )
    assert topk.answer.endswith("Selected Index: 1\nSelected value: 90.14286128198324")
    assert note.questions[5].unanswered and note.questions[5].source["line"] == 121


def test_company_and_exercise_notes_sections(imported):
    company = by_question(imported["003"])
    latency = company["Explain: Improving latency"]
    assert latency.answer.startswith("One technical problem you solved:\nuse profilers:")
    assert latency.answer.endswith("cpu-bound (only multiprocessing can help)")
    testing = company["Explain: Testing ML models"]
    assert testing.answer.startswith("# Testing\n\nUnit tests: tests on individual components")
    assert testing.answer.endswith("For us we introduced noise and checked action consistency.")
    assert len(company["Explain: Recommender Systems"].media) == 3
    assert "<img" not in company["Explain: Recommender Systems"].answer
    assert company["Batch norm doesn't work in RL. Why ?"].unanswered
    assert [q.question for q in imported["004"].questions] == [
        "Explain: GMM (ML Coding Exercises)",
        "Explain: Positional Encoding Exploration",
        "Explain: NanoGPT Reimplementation",
    ]
    assert imported["004"].questions[2].media == ["shakespeare/res/tensorboard.png"]


def test_committed_banks_validate_and_match_a_fresh_import(imported, tmp_path):
    """questions/notes is what the importer makes of the notes now: re-importing changes nothing."""
    out = tmp_path / "notes"
    shutil.copytree(BANKS, out)
    plans = plan(list(imported.values()), out, existing_banks(out))
    assert {p.path.name for p in plans} == {f"{name}.yaml" for _, _, name in EXPECTED.values()}
    assert [c for p in plans for c in p.changes if c.status != "kept"] == []
    for p in plans:
        assert dump_bank(p.questions, p.note.path.name) == p.path.read_text(encoding="utf-8")
    questions, problems = validate([BANKS])
    assert problems == [] and len(questions) == sum(n for n, _, _ in EXPECTED.values())
