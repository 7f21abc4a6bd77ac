"""Inference timings: our engine with and without the KV cache, and Hugging Face GPT-2 of the same size."""

from __future__ import annotations

import time
from typing import Any

import torch

from nanogpt.config import GPTConfig, lite
from nanogpt.engine import Engine
from nanogpt.model import GPT
from nanogpt.sampling import Sampling

BENCH_SAMPLING = Sampling(temperature=0.8, top_k=10)
NOTES_UNCACHED_MS = 15.59  # the notes' own measurement without a cache, on their hardware
WARMUP_TOKENS = 8


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def random_model(cfg: GPTConfig, device: str, seed: int = 0) -> GPT:
    torch.manual_seed(seed)
    return GPT(cfg).to(device).eval()


def time_engine(model: GPT, tokens: int, use_cache: bool, device: str) -> float:
    """ms per new token for ``tokens`` tokens from a one-token prompt (after a short warm-up)."""
    engine = Engine(model, use_cache=use_cache)
    engine.generate([[0]], WARMUP_TOKENS, BENCH_SAMPLING, seed=0)
    _sync(device)
    t0 = time.perf_counter()
    out = engine.generate([[0]], tokens, BENCH_SAMPLING, seed=0)
    _sync(device)
    assert len(out.tokens[0]) == tokens
    return 1000 * (time.perf_counter() - t0) / tokens


def time_hf(cfg: GPTConfig, tokens: int, device: str) -> float | None:
    """ms per new token for transformers' GPT2LMHeadModel (random weights, same shape), or None if absent."""
    try:
        from transformers import GPT2Config, GPT2LMHeadModel
        from transformers.utils import logging as hf_logging
    except ImportError:  # transformers is the optional `bench` extra
        return None
    hf_logging.set_verbosity_error()
    hf_cfg = GPT2Config(
        vocab_size=cfg.vocab_size, n_positions=max(cfg.block_size, tokens + 1), n_embd=cfg.n_embd,
        n_layer=cfg.n_layer, n_head=cfg.n_head, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
        bos_token_id=0, eos_token_id=None, pad_token_id=0,
    )
    torch.manual_seed(0)
    model = GPT2LMHeadModel(hf_cfg).to(device).eval()
    prompt = torch.zeros((1, 1), dtype=torch.long, device=device)

    def run(n: int) -> None:
        with torch.no_grad():
            out = model.generate(prompt, do_sample=True, top_k=BENCH_SAMPLING.top_k,
                                 temperature=BENCH_SAMPLING.temperature, max_new_tokens=n, min_new_tokens=n,
                                 use_cache=True, pad_token_id=0)
        assert out.shape[1] == n + 1

    run(WARMUP_TOKENS)
    _sync(device)
    t0 = time.perf_counter()
    run(tokens)
    _sync(device)
    return 1000 * (time.perf_counter() - t0) / tokens


def step_overhead(device: str, tokens: int = 300) -> dict[str, float]:
    """At the small lite shape: a full cached generation step (decode + sampling) vs a bare 1-token forward."""
    cfg = lite().model
    model = random_model(cfg, device)
    cached = time_engine(model, tokens, use_cache=True, device=device)
    x = torch.zeros((1, 1), dtype=torch.long, device=device)
    with torch.no_grad():
        for _ in range(WARMUP_TOKENS):
            model(x)
        _sync(device)
        t0 = time.perf_counter()
        for _ in range(tokens):
            model(x)
        _sync(device)
    bare = 1000 * (time.perf_counter() - t0) / tokens
    return {"cached_step_ms": cached, "bare_forward_ms": bare, "ratio": cached / bare}


def run_benchmark(cfg: GPTConfig, tokens: int, device: str, with_peer: bool = True) -> dict[str, Any]:
    """The whole comparison as one JSON-ready dict."""
    model = random_model(cfg, device)
    cached = time_engine(model, tokens, use_cache=True, device=device)
    uncached = time_engine(model, tokens, use_cache=False, device=device)
    hf = time_hf(cfg, tokens, device) if with_peer else None
    return {
        "tokens": tokens,
        "device": device,
        "threads": torch.get_num_threads(),
        "shape": f"{cfg.n_layer}L/{cfg.n_head}H/{cfg.n_embd}, ctx {cfg.block_size}, {cfg.pos}",
        "sampling": {"top_k": BENCH_SAMPLING.top_k, "temperature": BENCH_SAMPLING.temperature},
        "ms_per_token": {"cached": cached, "uncached": uncached, "hf_cached": hf},
        "speedup_cache": uncached / cached,
        "speedup_vs_hf": None if hf is None else hf / cached,
        "notes_uncached_ms": NOTES_UNCACHED_MS,
        "step_overhead": step_overhead(device),
    }
