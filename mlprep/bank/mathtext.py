"""``$…$`` LaTeX in question text as readable Unicode: pure text functions, no terminal.

The LaTeX is parsed by pylatexenc (``latexwalker``) and turned into text by its ``latex2text``
converter, with our own rules where its defaults would change what a formula says:

- ``\\frac{a}{b}`` is ``a/b``, with a compound numerator or denominator in parentheses, so
  ``\\frac{1}{2\\sigma^2}`` reads ``1/(2σ²)`` and not ``1/2σ²``;
- ``\\sqrt{x}`` is ``√x`` for a single symbol or number and ``√(…)`` otherwise;
- a superscript or subscript keeps its grouping: Unicode superscript characters where every
  character has one (``x²``, ``10⁻⁶``, ``Wᵀ``), else ``^(2i/d)``; a subscript of one character or
  digits in Unicode (``xᵢ``, ``a₁₂``), a longer name after an underscore (``n_in``, ``D_KL``);
- a macro it does not know keeps its name (``\\argmax`` → ``argmax``) rather than vanishing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SUP = dict(zip("0123456789+-=()nijkTtx⊤ᵀ'′", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀᵗˣᵀᵀ′′", strict=True))
_SUB = dict(zip("0123456789+-=()aeijkntx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₙₜₓ", strict=True))
_MATH_RE = re.compile(r"(?<![\\$])\$\$(.+?)\$\$|(?<![\\$\w])\$(?!\s)([^$\n]+?)(?<!\s)\$(?![\w$])", re.S)
_CODE_RE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
_BIG_OPERATORS = set("∑∏∫")
_OPERATORS = {"ln", "log", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "max", "min", "arg", "argmax",
              "argmin", "det", "tr", "Pr", "sup", "inf", "lim", "deg", "dim", "ker", "lg"}
_OP = "\u2062"  # around a named operator: a space where it meets a symbol, nothing elsewhere
_WORD_SUB = "\u2063"  # after a word subscript (n_in): a space if a symbol follows at once
_SCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀᵗˣ′₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₙₜₓ"
_FOLLOWERS = set("=+-−<>≤≥≈~∼,;:)]}|·×/←→⇒∈±∝…!'′") | {_OP}
_PLAIN = ("text", "textrm", "textbf", "textit", "mathrm", "mathbf", "mathit", "mathsf", "mathtt",
          "boldsymbol", "bm", "operatorname", "mbox")
# Macros whose arguments the parser must know to read (``\binom{n}{k}``, ``\tfrac12``).
_ARGS = {"frac": "{{", "tfrac": "{{", "dfrac": "{{", "binom": "{{", "sqrt": "[{", "operatorname": "{",
         "hat": "{", "bar": "{", "tilde": "{", "vec": "{", "dot": "{", "overline": "{", "widehat": "{",
         "widetilde": "{", "underbrace": "{", "mathbb": "{", "mathcal": "{", "boldsymbol": "{", "bm": "{",
         "text": "{", "textrm": "{", "textbf": "{", "textit": "{", "mathrm": "{", "mathbf": "{",
         "mathit": "{", "mathsf": "{", "mathtt": "{", "mbox": "{"}
_SYMBOLS = {"|": "‖", "lVert": "‖", "rVert": "‖", "Vert": "‖", "top": "ᵀ", "intercal": "ᵀ", "mid": "|",
            "sim": "~", "ell": "ℓ", "lbrace": "{", "rbrace": "}", "colon": ":", "cdot": "·",
            "argmax": "argmax", "argmin": "argmin", "det": "det", "tr": "tr", "Pr": "Pr", "E": "E",
            "varnothing": "∅", "implies": "⇒", "iff": "⇔", "lnot": "¬", "land": "∧", "lor": "∨",
            "qquad": "  ", "prime": "′", "ldots": "…", "dots": "…", "triangleq": "≜", "coloneqq": "≔"}


def _balanced_parens(s: str) -> bool:
    """``s`` is one parenthesised group: ``(a+b)`` but not ``(a)+(b)``."""
    if len(s) < 2 or s[0] not in "([" or s[-1] not in ")]":
        return False
    depth = 0
    for i, c in enumerate(s):
        depth += c in "(["
        depth -= c in ")]"
        if depth == 0 and i < len(s) - 1:
            return False
    return depth == 0


def _decorated(s: str) -> bool:
    """Letters, digits, super/subscript characters and accents only (``x``, ``x̂ᵢ``, ``σ²``)."""
    return bool(s) and all(c.isalnum() or unicodedata.combining(c) or c in "′'!" for c in s)


def _single(s: str) -> bool:
    """A number, or one symbol with its accents and scripts: safe under a fraction bar or a root."""
    s = s.replace(_WORD_SUB, "").replace(_OP, "")
    if re.fullmatch(r"\d+(?:\.\d+)?", s) or _balanced_parens(s):
        return True
    if s.startswith(("√", "∛", "∜")) and len(s) > 1:
        return _single(s[1:])
    base = s.rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀᵗˣ′₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₙₜₓ'")
    if base != s and (re.fullmatch(r"\d+(?:\.\d+)?", base) or _balanced_parens(base)):
        return True  # 0.01², (a+b)²
    letters = [c for c in base if not unicodedata.combining(c)]
    if len(letters) == 1 and letters[0].isalpha():
        return True
    # a function applied to one group: log(x), P(x|y), softmax(z)
    m = re.fullmatch(r"([A-Za-zα-ωΑ-Ω]+)(\(.*\))", s)
    return bool(m and _balanced_parens(m.group(2)))


def _numerator_ok(s: str) -> bool:
    """A product or a single term (``2σ``, ``P(x)``, ``PR``): '/' binds it as a whole."""
    s = s.replace(_WORD_SUB, "").replace(_OP, "")
    if _single(s):
        return True
    flat = s
    while True:  # drop balanced groups, then what is left must be one run of symbols
        new = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", "", flat)
        if new == flat:
            break
        flat = new
    return _decorated(flat.replace("^", "").replace("_", "")) and not (set(s) & _BIG_OPERATORS)


def _wrap(s: str, ok) -> str:
    s = s.strip()
    return s if ok(s) else f"({s})"


def _script(body: str, table: dict[str, str], marker: str) -> str:
    body = body.strip()
    if not body:
        return ""
    if all(c in table for c in body) and (marker == "^" or len(body) == 1 or body.isdigit()):
        return "".join(table[c] for c in body)  # x², 10⁻⁶, Wᵀ; xᵢ, a₁₂ (but n_in, not nᵢₙ)
    if marker == "_" and re.fullmatch(r"\w+", body):
        return f"_{body}{_WORD_SUB}"  # n_in, D_KL, W_hh
    return f"{marker}{body}" if len(body) == 1 else f"{marker}({body})"


def _scripts_in_chars(text: str) -> str:
    """``x^2`` and ``a_i`` written without braces."""
    text = re.sub(r"\^(\w)", lambda m: _script(m.group(1), _SUP, "^"), text)
    return re.sub(r"_(\w)", lambda m: _script(m.group(1), _SUB, "_"), text)


@lru_cache(maxsize=1)
def _converter():
    from pylatexenc import latex2text, latexwalker, macrospec

    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category(
        "mlprep", prepend=True,
        macros=[macrospec.MacroSpec(name, args) for name, args in _ARGS.items()],
    )
    text_db = latex2text.get_default_latex_context_db()

    class Converter(latex2text.LatexNodes2Text):
        def nodelist_to_text(self, nodelist):
            pieces: list[list[str]] = []  # [text, kind]: kind "frac", "root", "op" (ln, log) or ""
            pending: str | None = None  # '^' or '_' waiting for its braced or macro argument
            for node in nodelist:
                if node is None:
                    continue
                is_chars = node.isNodeType(latexwalker.LatexCharsNode)
                if pending is not None and not is_chars:
                    table = _SUP if pending == "^" else _SUB
                    pieces.append([_script(self.node_to_text(node), table, pending), ""])
                    pending = None
                    if node.isNodeType(latexwalker.LatexMacroNode) and node.macro_post_space:
                        pieces.append([" ", ""])
                    continue
                if pending is not None:  # '^' followed by plain characters: '^2'
                    text = node.chars
                    if text[:1].isalnum():
                        pieces.append([_script(text[0], _SUP if pending == "^" else _SUB, pending), ""])
                        text = text[1:]
                    else:
                        pieces.append([pending, ""])
                    pending = None
                    pieces.append([_scripts_in_chars(text), ""])
                    continue
                if is_chars:
                    chars = node.chars
                    if chars.endswith(("^", "_")):
                        pending, chars = chars[-1], chars[:-1]
                    pieces.append([_scripts_in_chars(chars), ""])
                    continue
                kind = ""
                if node.isNodeType(latexwalker.LatexMacroNode):
                    name = node.macroname
                    kind = ("frac" if name in ("frac", "tfrac", "dfrac") else "root" if name == "sqrt"
                            else "op" if name in _OPERATORS else "")
                text = self.node_to_text(node)
                if kind == "op":
                    text = f"{_OP}{text}{_OP}"
                pieces.append([text, kind])
                if node.isNodeType(latexwalker.LatexMacroNode) and not (
                        node.nodeargd and node.nodeargd.argnlist) and node.macro_post_space and kind != "op":
                    pieces.append([" ", ""])  # "\approx 6" keeps its space: "≈ 6"
            if pending:
                pieces.append([pending, ""])
            for i, (text, kind) in enumerate(pieces):
                if kind not in ("frac", "root") or _balanced_parens(text):
                    continue
                after = "".join(t for t, _ in pieces[i + 1:]).replace(_OP, "").lstrip()
                before = pieces[i - 1][1] if i else ""
                if before == "op" or (after and after[0] not in _FOLLOWERS):
                    pieces[i][0] = f"({text})"  # (1/2)(H + λ), ln(1/ϵ), (√2)σ: what the bar covers
            return "".join(t for t, _ in pieces)

        def _chars(self, chars: str) -> str:
            return _scripts_in_chars(chars)

        def group_node_to_text(self, node):
            return self.nodelist_to_text(node.nodelist)

        def macro_node_to_text(self, node):
            name = node.macroname
            args = node.nodeargd.argnlist if node.nodeargd and node.nodeargd.argnlist else []
            arg = [None if a is None else self._groupnodecontents_to_text(a) for a in args]
            if name in ("frac", "tfrac", "dfrac") and len(arg) == 2 and None not in arg:
                return f"{_wrap(arg[0], _numerator_ok)}/{_wrap(arg[1], _single)}"
            if name == "sqrt" and arg and arg[-1] is not None:
                root = "√" if len(arg) < 2 or arg[0] is None else {"3": "∛", "4": "∜"}.get(arg[0].strip(), f"{arg[0]}√")
                return root + _wrap(arg[-1], _single)
            if name == "binom" and len(arg) == 2 and None not in arg:
                return f"C({arg[0]}, {arg[1]})"
            if name in _PLAIN:
                return "".join(a for a in arg if a)
            if name in ("hat", "widehat", "bar", "overline", "tilde", "widetilde", "vec", "dot") and arg and arg[0]:
                mark = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0304",
                        "tilde": "\u0303", "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307"}[name]
                body = arg[0].strip()
                return body + mark if len(body) == 1 else f"{mark.join(body)}{mark}" if name in ("bar", "overline") else f"{name}({body})"
            if name in _SYMBOLS:
                return _SYMBOLS[name]
            if name in ("left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "displaystyle"):
                return ""
            if text_db.get_macro_spec(name) is None:
                return name + "".join(a or "" for a in arg)  # unknown: keep its name
            return super().macro_node_to_text(node)

        def _groupnodecontents_to_text(self, groupnode):
            if groupnode is None:
                return ""
            if groupnode.isNodeType(latexwalker.LatexGroupNode):
                return self.nodelist_to_text(groupnode.nodelist)
            return self.nodelist_to_text([groupnode])

    def convert(expr: str) -> str:
        walker = latexwalker.LatexWalker(expr, latex_context=walker_db, tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes()
        return Converter(latex_context=text_db, math_mode="text", strict_latex_spaces=False).nodelist_to_text(nodes)

    return convert


def latex_to_text(expr: str) -> str:
    """Turn a LaTeX expression into readable Unicode text (best effort, never raises)."""
    try:
        text = _converter()(expr.strip())
    except Exception:  # a formula pylatexenc cannot read at all: show its source, not nothing
        text = expr.strip()
    text = _tidy(text)
    return unicodedata.normalize("NFC", text)


def _tidy(text: str) -> str:
    """Spaces where symbols would run together (γ_ik xᵢ, p log₂ p), none inside brackets' edges."""
    symbol = f"[^\\W_{_SCRIPTS}]"  # a letter or digit, not a sub/superscript
    text = re.sub(f"{_WORD_SUB}(?={symbol}|[√∑∏])", " ", text).replace(_WORD_SUB, "")
    text = re.sub(f"(?<=[\\w)\\]′']){_OP}(?={symbol})", " ", text)  # p log: space before the operator
    text = re.sub(f"(?<=\\w){_OP}(?={symbol}|[√∑∏∫])", " ", text)  # log p, log σ: space after it
    text = text.replace(_OP, "")
    text = re.sub(r"\s*([=←→≈≤≥∈∝⇒])\s*", r" \1 ", text)  # relations: one space each side
    text = re.sub(r"(?<=[\w)\]′'̂̄̃])([+\-]) (?=\S)", r" \1 ", text)  # "√κ- 1" -> "√κ - 1"
    text = re.sub(r"([(\[⟨]) +", r"\1", text)
    text = re.sub(r" +([)\]⟩])", r"\1", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def readable_math(markdown: str) -> str:
    """Replace ``$…$``/``$$…$$`` math outside code with readable Unicode, keeping code untouched."""
    parts = _CODE_RE.split(markdown)
    for i in range(0, len(parts), 2):
        parts[i] = _MATH_RE.sub(lambda m: f"*{_escape_markdown(latex_to_text(m.group(1) or m.group(2)))}*", parts[i])
    return "".join(parts)
