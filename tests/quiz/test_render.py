"""Readable terminal math: LaTeX turned into Unicode, code left alone."""

from __future__ import annotations

import pytest
from rich.console import Console

from mlprep.bank.mathtext import latex_to_text, readable_math
from mlprep.bank.schema import Question
from mlprep.commands.views.question import render_question


@pytest.mark.parametrize(
    "latex, text",
    [
        (r"\mathbb{R}^{T \times E}", "ℝ^(T × E)"),
        (r"\frac{QK^\top}{\sqrt{d_k}}", "QKᵀ/√dₖ"),
        (r"x^2 + y_i", "x² + yᵢ"),
        (r"P(A \mid B)", "P(A | B)"),
        (r"\binom{n}{k} p^k", "C(n, k) pᵏ"),
        (r"\lceil n/2 \rceil", "⌈ n/2 ⌉"),
        (r"\hat y", "ŷ"),
        (r"\mathcal N(\mu, \sigma^2)", "𝒩(μ, σ²)"),
        (r"1{,}067", "1,067"),
        (r"a\,b", "a b"),
        (r"\{x \in S\}", "{x ∈ S}"),
        (r"\lambda\sum_i |w_i|", "λ∑ᵢ |wᵢ|"),
    ],
)
def test_latex_to_text(latex, text):
    assert latex_to_text(latex) == text


def test_math_outside_code_only():
    md = "Cost $O(n^2)$ and `price $5 and $6` and\n```python\nx = '$a$'\n```"
    out = readable_math(md)
    assert "*O(n²)*" in out and "`price $5 and $6`" in out and "x = '$a$'" in out


def test_dollar_amounts_are_not_math():
    assert readable_math("it costs $5 and $6 today") == "it costs $5 and $6 today"


def test_render_question_shows_answer_and_cloze(capsys):
    console = Console(width=80, force_terminal=False, color_system=None)
    q = Question(id="x", question="Softmax is {{c1::shift}}-invariant", answer="", topic="t", kind="cloze")
    with console.capture() as cap:
        render_question(console, q, reveal=False)
    assert "[...]" in cap.get() and "shift" not in cap.get()
    with console.capture() as cap:
        render_question(console, q, reveal=True)
    assert "shift" in cap.get()
