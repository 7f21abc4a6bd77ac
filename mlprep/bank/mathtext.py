"""``$…$`` LaTeX in question text as readable Unicode: pure text functions, no terminal."""

from __future__ import annotations

import re
import unicodedata

_SYMBOLS = {
    r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\delta": "δ", r"\epsilon": "ε",
    r"\varepsilon": "ε", r"\eta": "η", r"\theta": "θ", r"\lambda": "λ", r"\mu": "μ",
    r"\nu": "ν", r"\pi": "π", r"\rho": "ρ", r"\sigma": "σ", r"\tau": "τ", r"\phi": "φ",
    r"\varphi": "φ", r"\chi": "χ", r"\psi": "ψ", r"\omega": "ω", r"\Gamma": "Γ",
    r"\Delta": "Δ", r"\Theta": "Θ", r"\Lambda": "Λ", r"\Pi": "Π", r"\Sigma": "Σ",
    r"\Phi": "Φ", r"\Psi": "Ψ", r"\Omega": "Ω", r"\nabla": "∇", r"\partial": "∂",
    r"\infty": "∞", r"\sum": "Σ", r"\prod": "∏", r"\int": "∫", r"\sqrt": "√",
    r"\cdot": "·", r"\times": "×", r"\div": "÷", r"\pm": "±", r"\leq": "≤", r"\le": "≤",
    r"\geq": "≥", r"\ge": "≥", r"\neq": "≠", r"\ne": "≠", r"\approx": "≈", r"\sim": "~",
    r"\propto": "∝", r"\in": "∈", r"\notin": "∉", r"\subset": "⊂", r"\cup": "∪",
    r"\cap": "∩", r"\forall": "∀", r"\exists": "∃", r"\to": "→", r"\rightarrow": "→",
    r"\leftarrow": "←", r"\Rightarrow": "⇒", r"\mapsto": "↦", r"\log": "log", r"\exp": "exp",
    r"\max": "max", r"\min": "min", r"\arg": "arg", r"\top": "ᵀ", r"\ldots": "…",
    r"\dots": "…", r"\cdots": "⋯", r"\odot": "⊙", r"\otimes": "⊗", r"\|": "‖",
    r"\langle": "⟨", r"\rangle": "⟩", r"\quad": "  ", r"\,": " ", r"\;": " ", r"\!": "",
    r"\mid": "|", r"\lceil": "⌈", r"\rceil": "⌉", r"\lfloor": "⌊", r"\rfloor": "⌋",
    r"\ell": "ℓ", r"\{": "\ue000", r"\}": "\ue001", r"\%": "%",
}
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
_SUP = str.maketrans("0123456789+-=()nijkTtx", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀᵗˣ")
_SUB = str.maketrans("0123456789+-=()aeijkntx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₙₜₓ")
_MATH_RE = re.compile(r"(?<![\\$])\$\$(.+?)\$\$|(?<![\\$\w])\$(?!\s)([^$\n]+?)(?<!\s)\$(?![\w$])", re.S)
_CODE_RE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)


def _script(body: str, table: dict, marker: str) -> str:
    converted = body.translate(table)
    if all(c in "".join(map(chr, table.values())) for c in converted) and converted:
        return converted
    return f"{marker}({body})" if len(body) > 1 else f"{marker}{body}"


def latex_to_text(expr: str) -> str:
    """Turn a small LaTeX expression into readable Unicode text (best effort, never raises)."""
    s = expr.strip()
    s = re.sub(r"\\mathbb\{?(\w)\}?", lambda m: _BLACKBOARD.get(m.group(1), m.group(1)), s)
    s = re.sub(r"\\(?:mathcal|mathbf|boldsymbol|mathrm) ?(\w)(?![\w{])", r"\1", s)
    s = re.sub(r"\\binom\{([^{}]*)\}\{([^{}]*)\}", r"C(\1, \2)", s)
    s = re.sub(r"\\(hat|bar|tilde) (\w)", r"\\\1{\2}", s)
    s = re.sub(r"\\(?:mathrm|mathbf|text|textbf|operatorname|mathcal|boldsymbol)\{([^{}]*)\}", r"\1", s)
    for _ in range(3):
        s = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", s)
        s = re.sub(r"\\sqrt\{([^{}]*)\}", r"√(\1)", s)
    s = re.sub(r"\\hat\{([^{}]*)\}", r"\1̂", s)
    s = re.sub(r"\\tilde\{([^{}]*)\}", r"\1̃", s)
    s = re.sub(r"\\(?:bar|overline)\{([^{}]*)\}", r"\1̄", s)
    s = re.sub(r"\\left|\\right", "", s)
    for key in sorted(_SYMBOLS, key=len, reverse=True):
        boundary = r"(?![A-Za-z])" if key[1:].isalpha() else ""
        s = re.sub(re.escape(key) + boundary, _SYMBOLS[key], s)
    s = re.sub(r"\^\{([^{}]*)\}", lambda m: _script(m.group(1), _SUP, "^"), s)
    s = re.sub(r"\^(\w)", lambda m: _script(m.group(1), _SUP, "^"), s)
    s = re.sub(r"_\{([^{}]*)\}", lambda m: _script(m.group(1), _SUB, "_"), s)
    s = re.sub(r"_(\w)", lambda m: _script(m.group(1), _SUB, "_"), s)
    s = s.replace("{", "").replace("}", "").replace("\\", "")
    s = s.replace("\ue000", "{").replace("\ue001", "}")
    return unicodedata.normalize("NFC", re.sub(r"[ \t]+", " ", s))


def readable_math(markdown: str) -> str:
    """Replace ``$…$``/``$$…$$`` math outside code with readable Unicode, keeping code untouched."""
    parts = _CODE_RE.split(markdown)
    for i in range(0, len(parts), 2):
        parts[i] = _MATH_RE.sub(lambda m: f"*{latex_to_text(m.group(1) or m.group(2))}*", parts[i])
    return "".join(parts)
