"""KV-cache inference: prefill the prompt in one pass, then one position of work per new token.

With RoPE the cache is a rolling buffer of the last ``block_size`` positions: token t lives in slot
``t % block_size`` and its key is stored already rotated for position t, so evicting the oldest
entry leaves every other entry valid. That equals a full recompute under a band mask (each query
sees the previous ``block_size`` tokens) — see :func:`band_logits`. With learned absolute positions
an evicted entry shifts every position, so past the window the engine crops the last
``block_size`` tokens and recomputes them (as it does everywhere with ``use_cache=False``).

Batched prompts of different lengths are left-padded; pads are masked out of attention. On the
CPU the matmuls run on :mod:`nanogpt.kernels`; ``Engine(compile=True)`` compiles a fixed-shape
decode step instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from nanogpt.errors import GPTError
from nanogpt.kernels import COMPILABLE_ONEDNN, inference_kernels, kernel_name
from nanogpt.model import GPT, Step
from nanogpt.sampling import Sampling, choose, gumbel_noise

OnTokens = Callable[[list[int]], None]  # receives each step's new token ids, one per prompt
Stop = Callable[[int, list[int]], bool]  # (row, that row's new ids so far) -> end this row


@dataclass
class Generation:
    tokens: list[list[int]]  # new tokens per prompt (cut where ``stop`` said so)
    logits: list[torch.Tensor] = field(default_factory=list)  # (B, V) per step, when recorded


def band_mask(n: int, window: int, device=None) -> torch.Tensor:
    """(n, n) bool: query i may see key j when j <= i and i - j < window."""
    i = torch.arange(n, device=device)[:, None]
    j = torch.arange(n, device=device)[None, :]
    return (j <= i) & (i - j < window)


@torch.no_grad()
def band_logits(model: GPT, idx: torch.Tensor, window: int | None = None) -> torch.Tensor:
    """Reference: logits (B, T, V) of a full recompute where each token sees only the last ``window``.

    Positions run 0..T-1 (beyond block_size with RoPE). The sliding KV cache must equal this.
    """
    window = window or model.config.block_size
    T = idx.shape[1]
    assert model.rotary is not None, "the band reference needs RoPE (learned positions stop at block_size)"
    model.rotary.reserve(T)
    mask = band_mask(T, window, idx.device)
    return model.step(idx, torch.arange(T, device=idx.device), Step(mask=mask))


def _standard_copy(x: torch.Tensor) -> torch.Tensor:
    """A copy with the standard strides of its shape (``clone`` keeps a column view's strides)."""
    return x.clone(memory_format=torch.contiguous_format)


class Engine:
    """Generates from a trained ``GPT``; ``use_cache=False`` is the crop-and-recompute slow path.

    ``kernels`` picks the matmul kernel (see :mod:`nanogpt.kernels`): None for the fastest here,
    "default" for plain ``F.linear``. ``compile=True`` runs each decode step through one
    ``torch.compile``d function of fixed shapes (every step attends over all ``block_size`` cache
    slots, the unwritten ones masked), compiled on the first step and reused by later calls with
    the same batch size; on CUDA it is captured as a CUDA graph (mode "reduce-overhead").
    """

    def __init__(self, model: GPT, use_cache: bool = True, kernels: str | None = None, compile: bool = False):
        if compile and not use_cache:
            raise ValueError("compile needs the KV cache: the crop-and-recompute path changes shape every step")
        self.model = model.eval()
        self.use_cache = use_cache
        self.kernels = kernels
        self.compile = compile
        self.compiled = None  # the compiled decode step, built on first use
        self.compile_s = 0.0  # seconds the first compiled step took (imports, tracing, code generation)
        self.window = model.config.block_size
        self.rope = model.rotary is not None

    def generate(
        self,
        prompts: list[list[int]],
        max_new_tokens: int,
        sampling: Sampling | None = None,
        *,
        seed: int | None = None,
        on_tokens: OnTokens | None = None,
        stop: Stop | None = None,
        record_logits: bool = False,
    ) -> Generation:
        """New tokens for each prompt (token id lists, at least one token each).

        ``on_tokens`` receives each step's B new ids as they come; ``stop(row, new_ids)`` ends a row.
        Runs under ``torch.inference_mode`` (about 10% less per-op overhead than ``no_grad``), so the
        recorded logits are inference tensors.
        """
        assert prompts and all(prompts), "each prompt needs at least one token"
        sampling = sampling or Sampling()
        L = max(len(p) for p in prompts)
        if self.rope:  # grown before inference mode: the tables outlive this call as ordinary tensors
            self.model.rotary.reserve(L + max_new_tokens)
        kernels = self.kernels or kernel_name(self.model)
        if self.compile and kernels == "onednn" and not COMPILABLE_ONEDNN:  # no custom ops before torch 2.4
            kernels = "transposed"
        with torch.inference_mode(), inference_kernels(self.model, kernels):
            seq = self._begin(prompts, max_new_tokens)
            if self.use_cache:
                self.model.setup_cache(len(prompts), self.window)
            try:
                return self._run(seq, L, max_new_tokens, sampling, seed, on_tokens, stop, record_logits)
            finally:
                if not self.compile:  # a CUDA graph is recorded against these buffers: keep them
                    self.model.drop_cache()

    def _begin(self, prompts: list[list[int]], max_new_tokens: int) -> torch.Tensor:
        """The (B, N) token grid with left-padded prompts; sets pads, positions and RoPE tables."""
        device = self.model.wte.weight.device
        B, L = len(prompts), max(len(p) for p in prompts)
        N = L + max_new_tokens
        seq = torch.zeros(B, N, dtype=torch.long, device=device)
        for b, p in enumerate(prompts):
            seq[b, L - len(p) : L] = torch.tensor(p, dtype=torch.long)
        self.pad = torch.tensor([L - len(p) for p in prompts], device=device)  # (B,)
        # (B, N) position of each column, counted from the row's first real token (pads get 0)
        self.positions = (torch.arange(N, device=device)[None, :] - self.pad[:, None]).clamp(min=0)
        # every column's cos/sin gathered once; a decode step slices its column out
        self.rope_tables = self.model.rotary(self.positions) if self.rope else None
        return seq

    def _run(self, seq: torch.Tensor, L: int, max_new_tokens: int, sampling: Sampling, seed: int | None,
             on_tokens: OnTokens | None, stop: Stop | None, record_logits: bool) -> Generation:
        B, N = seq.shape
        vocab, device = self.model.config.vocab_size, seq.device
        generator = None if seed is None else torch.Generator(device=device).manual_seed(seed)
        noise = None
        if sampling.temperature > 0:  # every step's noise in one draw
            noise = gumbel_noise(max_new_tokens, B, sampling, vocab, generator, device)
        seen = None
        if sampling.repetition_penalty != 1.0:
            seen = torch.zeros(B, vocab, dtype=torch.bool, device=device)
            for b in range(B):  # only real prompt tokens count as seen (pads are id 0 too)
                seen[b, seq[b, int(self.pad[b]) : L]] = True

        out = Generation(tokens=[[] for _ in range(B)])
        done = [False] * B
        for t in range(L, N):  # predict column t from columns < t
            if not self.use_cache or (not self.rope and t > self.window):
                logits = self._crop(seq, t)
            elif t == L:
                logits = self._prefill(seq, L)
            elif self.compile:
                logits = self._decode_static(seq, t - 1)
            else:
                logits = self._decode(seq, t - 1)
            if record_logits:
                out.logits.append(logits.float().clone())
            nxt = choose(logits, sampling, None if noise is None else noise[t - L], seen)
            seq[:, t] = nxt
            if seen is not None:
                seen.scatter_(1, nxt[:, None], True)
            ids = nxt.tolist()
            if on_tokens:
                on_tokens(ids)
            for b in range(B):
                if not done[b]:
                    out.tokens[b].append(ids[b])
                    done[b] = stop is not None and stop(b, out.tokens[b])
            if all(done):
                break
        return out

    def _attn_mask(self, first_col: int, n: int) -> torch.Tensor | None:
        """(B, 1, n, n) mask over columns first_col..: causal, banded to the window, pads hidden.

        None when plain causal attention is exact (no pads in view, no longer than the window).
        """
        real = torch.arange(first_col, first_col + n, device=self.pad.device)[None, :] >= self.pad[:, None]
        if n <= self.window and bool(real.all()):
            return None
        allowed = band_mask(n, self.window, self.pad.device)[None] & real[:, None, :]
        allowed |= torch.eye(n, dtype=torch.bool, device=self.pad.device)[None]  # a pad sees itself: no NaN
        return allowed[:, None]

    def _crop(self, seq: torch.Tensor, t: int) -> torch.Tensor:
        """Logits for column t from a fresh forward over the last ``window`` columns (no cache)."""
        first = max(0, t - self.window)
        n = t - first
        pos = self.positions[:, first:t]
        if not self.rope:  # learned positions restart at the crop
            pos = (torch.arange(n, device=seq.device)[None, :] - (self.pad[:, None] - first).clamp(min=0)).clamp(min=0)
        step = Step(mask=self._attn_mask(first, n))
        return self.model.step(seq[:, first:t], pos, step, last_only=True)[:, -1]

    def _prefill(self, seq: torch.Tensor, L: int) -> torch.Tensor:
        """Run the whole prompt once; keep its last ``window`` keys/values in the cache."""
        W = self.window
        slots = slice(0, L) if L <= W else torch.arange(L - W, L, device=seq.device) % W
        self.slot_ids = torch.arange(W, device=seq.device)[:, None].unbind(0)  # one index tensor per slot
        self.valid = torch.zeros(seq.shape[0], W, dtype=torch.bool, device=seq.device)
        kept = torch.arange(max(0, L - W), L, device=seq.device)
        self.valid[:, kept % W] = kept[None, :] >= self.pad[:, None]
        self.all_valid = bool(self.valid[:, : min(L, W)].all())
        self.rewrites = 0 if bool(self.valid.all()) else W  # after W more writes every slot holds a real token
        step = Step(mask=self._attn_mask(0, L), slots=slots)
        return self.model.step(seq[:, :L], self.positions[:, :L], step, last_only=True)[:, -1]

    def _decode(self, seq: torch.Tensor, col: int) -> torch.Tensor:
        """Feed column ``col`` (one token per row) through the cache; logits for column col + 1."""
        W = self.window
        slot = col % W
        n = min(col + 1, W)
        mask = None
        if not self.all_valid:
            self.valid[:, slot] = True
            self.all_valid = n == W and bool(self.valid.all())
            mask = None if self.all_valid else self.valid[:, None, None, :n]
        tok, pos, rope = self._column(seq, col)
        step = Step(rope=rope, mask=mask, slots=self.slot_ids[slot], read=n)
        return self.model.step(tok, pos, step)[:, -1]

    def _column(self, seq: torch.Tensor, col: int) -> tuple[torch.Tensor, torch.Tensor, tuple | None]:
        """Views of column ``col``: tokens and positions (B, 1), and its RoPE (cos, sin) or None."""
        cut = slice(col, col + 1)
        rope = None if self.rope_tables is None else (self.rope_tables[0][:, cut], self.rope_tables[1][:, cut])
        return seq[:, cut], self.positions[:, cut], rope

    def _decode_static(self, seq: torch.Tensor, col: int) -> torch.Tensor:
        """:meth:`_decode` with the same shapes every step, through the compiled step function."""
        slot = col % self.window
        if self.rewrites:  # a decode column is real in every row
            self.valid[:, slot] = True
            self.rewrites -= 1
        # copies of the column views: a view's strides depend on N, and strides are guarded
        tok, pos, rope = self._column(seq, col)
        if rope is not None:
            rope = tuple(map(_standard_copy, rope))
        args = (_standard_copy(tok), _standard_copy(pos), rope, self.slot_ids[slot], self.valid[:, None, None, :])
        if self.compiled is not None:
            return self.compiled(*args)
        t0 = time.perf_counter()  # from here: importing dynamo and inductor, tracing, generating code
        mode = "reduce-overhead" if seq.device.type == "cuda" else None  # CUDA graphs on CUDA
        self.compiled = torch.compile(self._static_step, fullgraph=True, dynamic=False, mode=mode)
        try:
            logits = self.compiled(*args)
        except Exception as exc:  # inductor needs a working C++ compiler (CPU) or Triton (CUDA)
            self.compiled = None
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            raise GPTError(f"torch.compile failed ({reason}); generate without --compile") from exc
        self.compile_s = time.perf_counter() - t0
        return logits

    def _static_step(self, tok, pos, rope, slot, mask) -> torch.Tensor:
        step = Step(rope=rope, mask=mask, slots=slot, read=self.window)
        return self.model.step(tok, pos, step)[:, -1]
