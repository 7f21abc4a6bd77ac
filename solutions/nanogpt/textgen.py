"""Text in, text out: prompts through the tokenizer and the engine, a stop string, streaming, timing."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from nanogpt.engine import Engine
from nanogpt.sampling import Sampling
from nanogpt.speculative import SpeculativeEngine
from nanogpt.tokenizer import CharTokenizer


@dataclass
class TextResult:
    completions: list[str]  # per prompt, without the prompt and without the stop string
    ms_per_token: float  # wall time per generation step (all prompts advance together), compiling excluded
    compile_s: float = 0.0  # time torch.compile took in this call (--compile, first call only)
    acceptance: float | None = None  # share of draft tokens the target accepted (speculative decoding)


class _StopStream:
    """Streams one row's characters, holding back just enough to never print part of the stop string."""

    def __init__(self, stop: str | None, emit: Callable[[str], None] | None):
        self.stop, self.emit, self.pending = stop or "", emit, ""

    def feed(self, piece: str) -> None:
        self.pending += piece
        if self.stop and self.stop in self.pending:
            self._emit(self.pending[: self.pending.index(self.stop)])
            self.pending = ""
            self.stop = ""
            self.emit = None
            return
        keep = len(self.stop) - 1 if self.stop else 0
        cut = len(self.pending) - keep
        if cut > 0:
            self._emit(self.pending[:cut])
            self.pending = self.pending[cut:]

    def close(self) -> None:
        self._emit(self.pending)
        self.pending = ""

    def _emit(self, text: str) -> None:
        if text and self.emit:
            self.emit(text)


def generate_text(
    engine: Engine,
    tok: CharTokenizer,
    prompts: list[str],
    length: int,
    sampling: Sampling,
    *,
    stop: str | None = None,
    seed: int | None = None,
    on_text: Callable[[str], None] | None = None,
) -> TextResult:
    """Continue each prompt by ``length`` characters; ``on_text`` streams the first prompt's text.

    Raises ValueError when a prompt is empty or holds a character the model never saw.
    """
    if any(not p for p in prompts):
        raise ValueError("a prompt needs at least one character")
    ids = [tok.encode(p) for p in prompts]
    stream = _StopStream(stop, on_text)

    def stopped(row: int, new: list[int]) -> bool:
        return bool(stop) and tok.decode(new[-len(stop):]) == stop

    def streamed(step_ids: list[int]) -> None:
        stream.feed(tok.decode(step_ids[:1]))

    compiled_before = engine.compile_s
    t0 = time.perf_counter()
    out = engine.generate(ids, length, sampling, seed=seed, on_tokens=streamed if on_text else None,
                          stop=stopped if stop else None)
    compile_s = engine.compile_s - compiled_before
    elapsed = time.perf_counter() - t0 - compile_s
    stream.close()
    steps = max(len(t) for t in out.tokens)
    completions = []
    for new in out.tokens:
        text = tok.decode(new)
        completions.append(text[: text.index(stop)] if stop and stop in text else text)
    return TextResult(completions, 1000 * elapsed / max(1, steps), compile_s)


def speculative_text(
    engine: SpeculativeEngine,
    tok: CharTokenizer,
    prompt: str,
    length: int,
    sampling: Sampling,
    *,
    stop: str | None = None,
    seed: int | None = None,
    on_text: Callable[[str], None] | None = None,
) -> TextResult:
    """:func:`generate_text` for one prompt through speculative decoding (a draft model proposes)."""
    if not prompt:
        raise ValueError("a prompt needs at least one character")
    ids = tok.encode(prompt)
    stream = _StopStream(stop, on_text)

    def stopped(new: list[int]) -> bool:
        return bool(stop) and stop in tok.decode(new[-(len(stop) + engine.k + 1):])

    t0 = time.perf_counter()
    out = engine.generate(ids, length, sampling, seed=seed, stop=stopped if stop else None,
                          on_tokens=(lambda new: stream.feed(tok.decode(new))) if on_text else None)
    elapsed = time.perf_counter() - t0
    stream.close()
    text = tok.decode(out.tokens)
    completion = text[: text.index(stop)] if stop and stop in text else text
    return TextResult([completion], 1000 * elapsed / max(1, len(out.tokens)), acceptance=out.acceptance)
