"""Formulas as text: every ``$…$`` in every bundled bank, and real formulas with their readings."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

from mlprep.bank.loader import load_questions
from mlprep.bank.mathtext import _CODE_RE, _MATH_RE, latex_to_text, readable_math

# Taken verbatim from the bundled banks (questions/core, questions/notes). A compound numerator,
# denominator or radicand is in parentheses, and so is a fraction that multiplies what follows.
TABLE = [
    (r"a = \frac{\sum (x-\bar x)(y-\bar y)}{\sum (x-\bar x)^2} = 9.5/5 = 1.9",
     "a = (∑ (x-x̄)(y-ȳ))/(∑ (x-x̄)²) = 9.5/5 = 1.9"),
    (r"a = \sqrt{6/(n_{in}+n_{out})} = \sqrt{6/512} \approx 0.108",
     "a = √(6/(n_in+n_out)) = √(6/512) ≈ 0.108"),
    (r"6(1 + \frac12 + \dots + \frac16) = 6H_6 = 14.7",
     "6(1 + 1/2 + … + 1/6) = 6H₆ = 14.7"),
    (r"\sigma = \sqrt{2/n_{in}} = \sqrt{2/512} = 0.0625",
     "σ = √(2/n_in) = √(2/512) = 0.0625"),
    (r"-\frac{1}{2\sigma^2}\sum_i (y_i - w^\top x_i)^2 + \text{const}",
     "-(1/(2σ²))∑ᵢ (yᵢ - wᵀ xᵢ)² + const"),
    (r"-\ln\frac{e^2}{e^2 + e^0} = \ln(1 + e^{-2}) \approx 0.127",
     "-ln(e²/(e² + e⁰)) = ln(1 + e⁻²) ≈ 0.127"),
    (r"R^2 = 1 - \frac{\sum_i (y_i - \hat{y}_i)^2}{\sum_i (y_i - \bar y)^2}",
     "R² = 1 - (∑ᵢ (yᵢ - ŷᵢ)²)/(∑ᵢ (yᵢ - ȳ)²)"),
    (r"SE = \sqrt{\hat{p}(1-\hat{p})(1/2000 + 1/2000)} \approx 0.00999",
     "SE = √(p̂(1-p̂)(1/2000 + 1/2000)) ≈ 0.00999"),
    (r"F_\beta = (1+\beta^2)\frac{PR}{\beta^2 P + R}",
     "F_β = (1+β²)PR/(β² P + R)"),
    (r"D_{KL}(P\|Q) = \sum_x P(x)\log\frac{P(x)}{Q(x)} \ge 0",
     "D_KL(P‖Q) = ∑ₓ P(x) log(P(x)/Q(x)) ≥ 0"),
    (r"P(w | c) = \frac{\text{count}(w, c) + \alpha}{\text{count}(c) + \alpha |V|}",
     "P(w | c) = (count(w, c) + α)/(count(c) + α |V|)"),
    (r"\Sigma_k = \frac{1}{N_k}\sum_i \gamma_{ik}(x_i - \mu_k)(x_i - \mu_k)^\top",
     "Σₖ = (1/Nₖ)∑ᵢ γ_ik(xᵢ - μₖ)(xᵢ - μₖ)ᵀ"),
    (r"\alpha = \frac12\ln\frac{1 - \epsilon}{\epsilon} = \frac12\ln 4 \approx 0.693",
     "α = (1/2) ln((1 - ϵ)/ϵ) = (1/2) ln 4 ≈ 0.693"),
    (r"\approx (\sqrt\kappa - 1)/(\sqrt\kappa + 1)",
     "≈ (√κ - 1)/(√κ + 1)"),
    (r"\eta_t = \eta_{min} + \frac12(\eta_{max} - \eta_{min})(1 + \cos(\pi t/T))",
     "ηₜ = η_min + (1/2)(η_max - η_min)(1 + cos(π t/T))"),
    (r"\frac{TP \cdot TN - FP \cdot FN}{\sqrt{(TP+FP)(TP+FN)(TN+FP)(TN+FN)}} = \frac{37200 - 200}{\sqrt{50 \cdot 60 \cdot 940 \cdot 950}} \approx 0.715",
     "(TP · TN - FP · FN)/√((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (37200 - 200)/√(50 · 60 · 940 · 950) ≈ 0.715"),
    (r"\frac{e^{z_i + c}}{\sum_j e^{z_j + c}} = \frac{e^{z_i}}{\sum_j e^{z_j}}",
     "e^(zᵢ + c)/(∑ⱼ e^(zⱼ + c)) = e^(zᵢ)/(∑ⱼ e^(zⱼ))"),
    (r"\text{Attention}(Q, K, V) = \text{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}} + M\right) V",
     "Attention(Q, K, V) = softmax((Q Kᵀ)/√dₖ + M) V"),
    (r"\hat{x} = (x - \mu_B)/\sqrt{\sigma_B^2 + \epsilon}",
     "x̂ = (x - μ_B)/√(σ_B² + ϵ)"),
    (r"\theta \leftarrow \theta - \eta(\hat{m}/(\sqrt{\hat{v}} + \epsilon) + \lambda\theta)",
     "θ ← θ - η(m̂/(√v̂ + ϵ) + λθ)"),
    (r"\mathrm{DCG@k} = \sum_{i=1}^{k} \frac{\mathrm{gain}_i}{\log_2(i+1)}",
     "DCG@k = ∑_(i = 1)ᵏ gainᵢ/(log₂(i+1))"),
    (r"\mathrm{PPL} = (\prod_i p_i)^{-1/N} = (0.5 \cdot 0.25 \cdot 0.125)^{-1/3} = (1/64)^{-1/3} = 4.0",
     "PPL = (∏ᵢ pᵢ)^(-1/N) = (0.5 · 0.25 · 0.125)^(-1/3) = (1/64)^(-1/3) = 4.0"),
    (r"\rho = \frac{\sigma^2}{\sigma \cdot \sqrt2\sigma} = 1/\sqrt2 \approx 0.707",
     "ρ = σ²/(σ · (√2)σ) = 1/√2 ≈ 0.707"),
    (r"\rho\sigma^2 + \frac{1-\rho}{B}\sigma^2",
     "ρσ² + ((1-ρ)/B)σ²"),
    (r"\text{params} = k_h \cdot k_w \cdot \frac{C_{in}}{g} \cdot C_{out} + C_{out}",
     "params = k_h · k_w · C_in/g · C_out + C_out"),
    (r"1 - \prod_{i=0}^{n-1}\frac{365 - i}{365}",
     "1 - ∏_(i = 0)ⁿ⁻¹(365 - i)/365"),
    (r"E[\max] = \sum_k k\frac{2k-1}{36} = \frac{161}{36} \approx 4.47",
     "E[max] = ∑ₖ k(2k-1)/36 = 161/36 ≈ 4.47"),
    (r"\frac{4!}{2!2!} 0.5^4 = 6/16 = 0.375",
     "(4!/(2!2!)) 0.5⁴ = 6/16 = 0.375"),
    (r"PE(pos, 2i) = \sin(pos / 10000^{2i/d})",
     "PE(pos, 2i) = sin(pos / 10000^(2i/d))"),
    (r"A \in \mathbb{R}^{r \times k}",
     "A ∈ ℝ^(r × k)"),
    (r"\hat\theta = \arg\max_\theta p(D | \theta)",
     "θ̂ = argmax_θ p(D | θ)"),
    (r"\min_{w,b} \frac12\|w\|^2 + C\sum_i \max(0, 1 - y_i(w^\top x_i + b))",
     "min_(w,b) (1/2)‖w‖² + C∑ᵢ max(0, 1 - yᵢ(wᵀ xᵢ + b))"),
    (r"\mathbb{E}[(y - \hat{f}(x))^2] = (\mathbb{E}[\hat{f}(x)] - f(x))^2 + \mathrm{Var}[\hat{f}(x)] + \sigma^2",
     "𝔼[(y - f̂(x))²] = (𝔼[f̂(x)] - f(x))² + Var[f̂(x)] + σ²"),
    (r"-\sum_k p_k \log_2 p_k",
     "-∑ₖ pₖ log₂ pₖ"),
    (r"P(X = 0) = e^{-\lambda}\lambda^0/0! = e^{-2} \approx 0.135",
     "P(X = 0) = e^(-λ)λ⁰/0! = e⁻² ≈ 0.135"),
    (r"2^{-14} \approx 6.1 \times 10^{-5}",
     "2⁻¹⁴ ≈ 6.1 × 10⁻⁵"),
    (r"\Delta W = \frac{\alpha}{r} B A",
     "Δ W = (α/r) B A"),
    (r"\frac{\partial L}{\partial w} = 2(a - y)\cdot\sigma'(z)\cdot x = 2(-0.5)(0.25)(2) = -0.5",
     "(∂ L)/(∂ w) = 2(a - y)·σ'(z)· x = 2(-0.5)(0.25)(2) = -0.5"),
]


def _bank_formulas() -> list[str]:
    found: set[str] = set()
    for q in load_questions([REPO / "questions"]):
        for text in (q.question, q.answer, q.explanation or "", *q.choices):
            for part in _CODE_RE.split(text)[::2]:
                found.update(m.group(1) or m.group(2) for m in _MATH_RE.finditer(part))
    return sorted(found)


def _balanced(text: str) -> bool:
    depth = {"(": 0, "{": 0, "[": 0}
    closing = {")": "(", "}": "{", "]": "["}
    for c in text:
        if c in depth:
            depth[c] += 1
        elif c in closing:
            depth[closing[c]] -= 1
            if depth[closing[c]] < 0:
                return False
    return all(v == 0 for v in depth.values())


@pytest.mark.parametrize("latex, text", TABLE, ids=[f"f{i}" for i in range(len(TABLE))])
def test_real_formulas_read_as_the_same_formula(latex, text):
    assert latex_to_text(latex) == text


def test_the_table_is_taken_from_the_banks():
    formulas = set(_bank_formulas())
    assert len(TABLE) >= 30
    assert [latex for latex, _ in TABLE if latex not in formulas] == []


def test_every_formula_in_every_bundled_bank_renders_cleanly():
    formulas = _bank_formulas()
    assert len(formulas) > 500
    bad = []
    for latex in formulas:
        text = latex_to_text(latex)
        source_ok = _balanced(re.sub(r"\\[{}]|\\left.|\\right.", "", latex))
        if re.search(r"\\[A-Za-z]", text) or "\\" in text or not text.strip():
            bad.append((latex, text))
        elif source_ok and not _balanced(text):
            bad.append((latex, text))
        elif ("{" in text or "}" in text) and "\\{" not in latex and "\\lbrace" not in latex:
            bad.append((latex, text))
    assert bad == []


def test_compound_parts_get_parentheses_and_simple_ones_do_not():
    assert latex_to_text(r"\frac{a+b}{c}") == "(a+b)/c"
    assert latex_to_text(r"\frac{1}{2\sigma^2}") == "1/(2σ²)"
    assert latex_to_text(r"\frac12") == "1/2"
    assert latex_to_text(r"\frac{1}{2} x") == "(1/2) x"
    assert latex_to_text(r"\sqrt{d_k}") == "√dₖ"
    assert latex_to_text(r"\sqrt{a+b}") == "√(a+b)"
    assert latex_to_text(r"\sqrt[3]{x}") == "∛x"
    assert latex_to_text(r"x^{2i/d}") == "x^(2i/d)"
    assert latex_to_text(r"n_{out}") == "n_out"
    assert latex_to_text(r"\argmax_\theta") == "argmax_θ"  # unknown macro: its name, not nothing


def test_markdown_characters_in_a_formula_are_escaped():
    assert readable_math("see $n_{in} * 2$") == r"see *n\_in \* 2*"
