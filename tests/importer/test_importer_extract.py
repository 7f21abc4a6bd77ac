"""Card extraction, one construct at a time, on small inline notes."""

from __future__ import annotations

from textwrap import dedent

from mlprep.importer.extract import extract
from mlprep.importer.markdown import scan


def cards(text: str):
    return extract(scan(dedent(text))).cards


def qa(text: str) -> list[tuple[str, str]]:
    return [(c.question, c.answer) for c in cards(text)]


def test_q_a_pairs_with_answers_over_paragraphs_lists_headings_and_code():
    note = """\
    # Notes

    Q: What is dropout?
    A: Randomly zeroing activations.

    - during training only
    ### Why it works
    ```python
    # a comment, not a heading
    nn.Dropout(0.1)
    ```

    Q: Second?
    A: Yes.
    """
    found = cards(note)
    assert [(c.question, c.line, c.heading, c.origin) for c in found] == [
        ("What is dropout?", 3, "Notes", "qa"),
        ("Second?", 13, "Notes", "qa"),
    ]
    assert found[0].answer == dedent("""\
        Randomly zeroing activations.

        - during training only
        ### Why it works
        ```python
        # a comment, not a heading
        nn.Dropout(0.1)
        ```""")


def test_bold_markers_and_multi_line_question_up_to_the_answer_marker():
    note = """\
    **Q:** Explain this code:
    ```
    x = f(y)
    ```
    **A:** It calls f.
    """
    assert qa(note) == [("Explain this code:\n```\nx = f(y)\n```", "It calls f.")]


def test_question_without_answer_marker_takes_the_following_text():
    assert qa("Q: what is BMM?\nBatch matrix multiplication.\n\nMore.\n") == [
        ("what is BMM?", "Batch matrix multiplication.\n\nMore.")
    ]


def test_a_question_with_no_answer_is_kept_unanswered():
    found = cards("Q: Is this answered?\n\nQ: Next?\nA: yes\n")
    assert [(c.question, c.unanswered) for c in found] == [
        ("Is this answered?", True),
        ("Next?", False),
    ]


def test_follow_up_question_after_an_answer_is_its_own_card():
    note = """\
    Q: what is BMM about?

    Batch matrix multiplication.

    will BMM lead to different results for the same input?

    It is deterministic, but kernels may not be.
    """
    found = cards(note)
    assert [(c.question, c.answer, c.origin, c.line) for c in found] == [
        ("what is BMM about?", "Batch matrix multiplication.", "qa", 1),
        (
            "will BMM lead to different results for the same input?",
            "It is deterministic, but kernels may not be.",
            "followup",
            5,
        ),
    ]


def test_a_short_question_line_in_an_answer_is_not_a_follow_up():
    found = extract(scan("Q: x?\n\nsome answer\n\nHow ?\n\nmore answer\n"))
    assert len(found.cards) == 1
    assert (5, "looks like a question but is not a card: How ?") in found.warnings


def test_numbered_question_list_is_deduplicated_against_full_answers():
    note = """\
    Q: Which questions come up?

    ### Framework questions
    1. What is TensorFlow?
    2. How do you evaluate a model during inference? latency, throughput
    3. Describe a deployment you worked on.

    Q: What is TensorFlow?

    A library from Google.
    """
    found = cards(note)
    by_q = {c.question: c for c in found}
    assert list(by_q) == [
        "Which questions come up?",
        "How do you evaluate a model during inference?",
        "Describe a deployment you worked on.",
        "What is TensorFlow?",
    ]
    assert by_q["What is TensorFlow?"].answer == "A library from Google."
    assert by_q["How do you evaluate a model during inference?"].answer == "latency, throughput"
    assert by_q["Describe a deployment you worked on."].unanswered
    assert by_q["Describe a deployment you worked on."].heading == "Framework questions"
    assert (
        "1. What is TensorFlow?" in by_q["Which questions come up?"].answer
    )  # the answer is kept whole


def test_a_list_that_is_not_all_questions_is_not_a_question_list():
    for note in (
        "## Ask\n\n1. what's the team size\n2. What's your vision\n",
        "## Steps\n\n1. **Train** it\n2. **Test** it\n",
    ):
        assert [c.origin for c in cards(note)] == ["explain"]  # the section, no list cards


def test_numbered_heading_questions_and_matching_list():
    note = """\
    # Bank
    ## Coding
    1. Write top-k sampling in numpy
    2. Write the transformer layer with PyTorch
    3. Implement LR with numpy

    ### 1. Write top-k sampling in numpy
    ---
    Sort, keep k, renormalise.

    ### Write the transformer layer with PyTorch
    ---
    """
    found = cards(note)
    assert [(c.question, c.origin, c.unanswered) for c in found] == [
        ("Implement LR with numpy", "list", True),
        ("Write top-k sampling in numpy", "heading", False),
        ("Write the transformer layer with PyTorch", "heading", True),
    ]
    assert found[1].answer == "Sort, keep k, renormalise."
    assert found[1].line == 7


def test_sections_without_a_question_become_explain_cards():
    note = """\
    # Company notes

    ## Technical Problems

    **Testing ML models**

    # Testing

    Unit tests check one component.

    **Improving latency**

    Use profilers.

    ## Internship

    Built a model.

    **Contribution**

    A new metric.
    """
    found = cards(note)
    assert [(c.question, c.answer, c.line) for c in found] == [
        ("Explain: Testing ML models", "# Testing\n\nUnit tests check one component.", 5),
        ("Explain: Improving latency", "Use profilers.", 11),
        ("Explain: Internship (Company notes)", "Built a model.", 15),
        ("Explain: Contribution (Internship)", "A new metric.", 19),
    ]
    assert all(c.origin == "explain" for c in found)


def test_note_title_introduction_is_not_a_card_but_a_lone_section_is():
    assert [c.question for c in cards("# Exercises\nIntro.\n\n## GMM\nFit a mixture.\n")] == [
        "Explain: GMM (Exercises)"
    ]
    assert [c.question for c in cards("# Attention\nScaled dot products.\n")] == [
        "Explain: Attention"
    ]


def test_question_heading_over_deeper_sections_takes_them_as_its_answer():
    found = cards(
        "## How does attention work?\n### Scores\nQK^T\n### Weights\nsoftmax\n## Next\ntext\n"
    )
    assert [(c.question, c.answer) for c in found] == [
        ("How does attention work?", "### Scores\nQK^T\n### Weights\nsoftmax"),
        ("Explain: Next", "text"),
    ]


def test_double_colon_pairs_and_their_exclusions():
    note = """\
    ## Pairs
    Capital of France::Paris
    - What does ReLU return?::max(0, x)
    Adam's full name:::Adaptive moment estimation
    Use `std::vector` for arrays
    See https://example.com/a::b for more
    Math $a::b$ stays
    | x::y | z |
    tags:: ml
    """
    found = extract(scan(dedent(note)))
    assert [(c.question, c.answer, c.origin) for c in found.cards if c.origin == "pair"] == [
        ("Capital of France", "Paris", "pair"),
        ("What does ReLU return?", "max(0, x)", "pair"),
        ("Adam's full name", "Adaptive moment estimation", "pair"),
        ("Adaptive moment estimation", "Adam's full name", "pair"),
    ]
    assert (9, "`tags::` looks like an inline field, not a card") in found.warnings
    assert found.cards[0].question == "Explain: Pairs" and "std::vector" in found.cards[0].answer


def test_question_mark_separators_between_multi_line_sides():
    note = """\
    ## Cards
    What are the two
    kinds of pooling?
    ?
    max pooling
    average pooling

    Softmax
    ??
    normalised exponentials
    """
    assert [(c.question, c.answer, c.line) for c in cards(note)] == [
        ("What are the two\nkinds of pooling?", "max pooling\naverage pooling", 2),
        ("Softmax", "normalised exponentials", 8),
        ("normalised exponentials", "Softmax", 10),
    ]


def test_clozes_from_highlights_and_anki_syntax():
    note = """\
    ## Facts
    Adam keeps ==first== and ==second== moment estimates.

    GELU is {{c1::smooth}} unlike `a==b==c` code.

    An explanation paragraph.
    """
    found = cards(note)
    assert [(c.question, c.kind) for c in found] == [
        ("Explain: Facts", "open"),
        ("Adam keeps {{c1::first}} and {{c2::second}} moment estimates.", "cloze"),
        ("GELU is {{c1::smooth}} unlike `a==b==c` code.", "cloze"),
    ]
    assert found[0].answer == "An explanation paragraph."  # cloze paragraphs left the explain body


def test_table_with_question_and_answer_columns():
    note = """\
    ## Table
    | Question | Answer |
    |---|:--|
    | What is L2? | Weight decay<br>on weights |
    | Pipe \\| in cell? | yes |

    | a | b |
    |---|---|
    | 1 | 2 |
    """
    found = cards(note)
    assert [(c.question, c.answer, c.origin) for c in found if c.origin == "table"] == [
        ("What is L2?", "Weight decay\non weights", "table"),
        ("Pipe | in cell?", "yes", "table"),
    ]
    assert found[0].origin == "explain" and "| 1 | 2 |" in found[0].answer


def test_details_summary_cards():
    note = """\
    ## Quiz
    <details><summary>What is a KV cache?</summary>Stored keys and values.</details>

    <details>
    <summary>Why RoPE?</summary>

    Relative positions.
    </details>
    """
    assert [(c.question, c.answer) for c in cards(note)] == [
        ("What is a KV cache?", "Stored keys and values."),
        ("Why RoPE?", "Relative positions."),
    ]


def test_obsidian_callout_wikilinks_and_images_in_answers():
    note = """\
    ---
    tags: [interview]
    ---
    Q: How to change the [[Losses|loss]] for multilabel?
    A: Use [[BCE]] per label. ![[diagram.png]]
    > [!info]- Code
    > ```python
    > loss = nn.BCEWithLogitsLoss()
    > ```
    """
    (card,) = cards(note)
    assert card.question == "How to change the loss for multilabel?"
    assert (
        card.answer == "Use BCE per label.\n*Code*\n```python\nloss = nn.BCEWithLogitsLoss()\n```"
    )
    assert card.media == ["diagram.png"]
    assert card.line == 4


def test_same_question_twice_keeps_the_answered_one():
    found = extract(scan("Q: Dup?\n\nQ: Dup?\nA: the answer\n"))
    assert [(c.question, c.answer, c.line) for c in found.cards] == [("Dup?", "the answer", 3)]


def test_a_question_list_stays_in_its_sections_answer_but_alone_makes_no_section_card():
    note = """\
    ## Overfitting
    Some interesting stuff:

    1. Batch norm doesn't work in RL. Why ?
    2. How to give the location information ?

    RL is noisy.

    ## Coding
    1. Write top-k sampling
    2. Implement LR with numpy
    """
    found = cards(note)
    assert [(c.question, c.origin) for c in found] == [
        ("Explain: Overfitting", "explain"),
        ("Batch norm doesn't work in RL. Why ?", "list"),
        ("How to give the location information ?", "list"),
        ("Write top-k sampling", "list"),
        ("Implement LR with numpy", "list"),
    ]
    assert found[0].answer == (
        "Some interesting stuff:\n\n1. Batch norm doesn't work in RL. Why ?\n"
        "2. How to give the location information ?\n\nRL is noisy."
    )


def test_question_and_answer_on_one_line():
    assert qa(
        "Q: What is 2+2? A: 4\nQ: Capital of Peru? **A:** Lima\nand its river, the Rimac.\n"
    ) == [
        ("What is 2+2?", "4"),
        ("Capital of Peru?", "Lima\nand its river, the Rimac."),
    ]


def test_math_blocks_are_not_card_syntax():
    note = "## Norms\n$$\n\\|x\\|_2 == \\sqrt{x::y}\n$$\nThe L2 norm.\n"
    (card,) = cards(note)
    assert card.question == "Explain: Norms"
    assert card.answer == "$$\n\\|x\\|_2 == \\sqrt{x::y}\n$$\nThe L2 norm."
