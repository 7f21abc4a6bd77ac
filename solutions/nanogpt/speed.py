"""Inference timings: our engine with and without the KV cache (and compiled, on request), and
Hugging Face GPT-2 of the same size.

Each figure is per new token, best of ``repeats`` runs (cached and peer runs interleaved), as wall
time and as this process's CPU time; on a busy machine the CPU time is the steadier of the two.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import torch

from nanogpt.config import GPTConfig, lite
from nanogpt.engine import Engine
from nanogpt.kernels import inference_kernels, kernel_name
from nanogpt.model import GPT
from nanogpt.sampling import Sampling

BENCH_SAMPLING = Sampling(temperature=0.8, top_k=10)
NOTES_UNCACHED_MS = 15.59  # the notes' own measurement without a cache, on their hardware
WARMUP_TOKENS = 8
UNCACHED_TOKENS = 300  # the slow recompute path is timed on the first tokens only (its cost per token
# grows with the context up to the window, so this understates it: the cache's speed-up is a lower bound)

Runner = Callable[[int], None]  # generates n new tokens from a one-token prompt


def random_model(cfg: GPTConfig, device: str, seed: int = 0) -> GPT:
    torch.manual_seed(seed)
    return GPT(cfg).to(device).eval()


def measure(run: Runner, n: int, device: str) -> tuple[float, float]:
    """(wall ms, CPU ms) per call unit of ``run(n)`` after a short warm-up."""
    run(WARMUP_TOKENS)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    t0, c0 = time.perf_counter(), time.process_time()
    run(n)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    return 1000 * (time.perf_counter() - t0) / n, 1000 * (time.process_time() - c0) / n


def ours(engine: Engine) -> Runner:
    def run(n: int) -> None:
        out = engine.generate([[0]], n, BENCH_SAMPLING, seed=0)
        assert len(out.tokens[0]) == n

    return run


def hugging_face(cfg: GPTConfig, tokens: int, device: str) -> Runner | None:
    """transformers' GPT2LMHeadModel of the same shape (random weights), or None if not installed."""
    try:
        from transformers import GPT2Config, GPT2LMHeadModel
        from transformers.utils import logging as hf_logging
    except ImportError:  # transformers is the optional `bench` extra
        return None
    hf_logging.set_verbosity_error()
    hf_cfg = GPT2Config(
        vocab_size=cfg.vocab_size, n_positions=max(cfg.block_size, tokens + WARMUP_TOKENS + 1),
        n_embd=cfg.n_embd, n_layer=cfg.n_layer, n_head=cfg.n_head, resid_pdrop=0.0, embd_pdrop=0.0,
        attn_pdrop=0.0, bos_token_id=0, eos_token_id=None, pad_token_id=0,
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

    return run


def bare_forward(model: GPT) -> Runner:
    x = torch.zeros((1, 1), dtype=torch.long, device=model.wte.weight.device)

    def run(n: int) -> None:  # on the same matmul kernels as the engine
        with torch.inference_mode(), inference_kernels(model):
            for _ in range(n):
                model(x)

    return run


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(r[0] for r in runs), min(r[1] for r in runs)


def run_benchmark(cfg: GPTConfig, tokens: int, device: str, with_peer: bool = True, repeats: int = 3,
                  compile: bool = False) -> dict[str, Any]:
    """The whole comparison as one JSON-ready dict; ``compile`` adds the torch.compile decode path."""
    model = random_model(cfg, device)
    peer = hugging_face(cfg, tokens, device) if with_peer else None
    cached_runs, peer_runs = [], []
    for _ in range(repeats):
        cached_runs.append(measure(ours(Engine(model)), tokens, device))
        if peer is not None:
            peer_runs.append(measure(peer, tokens, device))
    cached = best(cached_runs)
    uncached_tokens = min(tokens, UNCACHED_TOKENS)
    uncached = measure(ours(Engine(model, use_cache=False)), uncached_tokens, device)
    hf = best(peer_runs) if peer_runs else (None, None)
    compiled, compile_s = (None, None), None
    if compile:
        engine = Engine(model, compile=True)  # compiled during measure's warm-up
        compiled = best([measure(ours(engine), tokens, device) for _ in range(repeats)])
        compile_s = engine.compile_s

    small = random_model(lite().model, device)
    step = best([measure(ours(Engine(small)), 300, device) for _ in range(repeats)])
    bare = best([measure(bare_forward(small), 300, device) for _ in range(repeats)])
    return {
        "tokens": tokens,
        "uncached_tokens": uncached_tokens,
        "device": device,
        "threads": torch.get_num_threads(),
        "repeats": repeats,
        "shape": f"{cfg.n_layer}L/{cfg.n_head}H/{cfg.n_embd}, ctx {cfg.block_size}, {cfg.pos}",
        "sampling": {"top_k": BENCH_SAMPLING.top_k, "temperature": BENCH_SAMPLING.temperature},
        "kernels": kernel_name(model),
        "ms_per_token": {"cached": cached[0], "uncached": uncached[0], "hf_cached": hf[0], "compiled": compiled[0]},
        "cpu_ms_per_token": {"cached": cached[1], "uncached": uncached[1], "hf_cached": hf[1],
                             "compiled": compiled[1]},
        "compile_s": compile_s,
        "speedup_cache": uncached[0] / cached[0],
        "speedup_vs_hf": None if hf[0] is None else hf[0] / cached[0],
        "cpu_speedup_vs_hf": None if hf[1] is None else hf[1] / cached[1],
        "notes_uncached_ms": NOTES_UNCACHED_MS,
        "step_overhead": {
            "shape": "lite", "cached_step_ms": step[0], "bare_forward_ms": bare[0], "ratio": step[0] / bare[0],
            "cpu_ratio": step[1] / bare[1],
        },
    }


def speculative_benchmark(target: GPT, draft: GPT, tokens: int, draft_tokens: tuple[int, ...] = (2, 4, 6),
                          repeats: int = 3, sampling: Sampling = BENCH_SAMPLING) -> dict[str, Any]:
    """Plain cached decode vs speculative decoding of the same target, in the same run.

    Both generate ``tokens`` from the same one-token prompt with the same sampling; figures are best
    of ``repeats``, and the acceptance rate is the mean over the timed runs.
    """
    # imported here: the plain benchmark does not need it
    from nanogpt.speculative import SpeculativeEngine

    device = str(target.wte.weight.device)
    plain = best([measure(ours(Engine(target)), tokens, device) for _ in range(repeats)])
    rows = []
    for k in draft_tokens:
        engine = SpeculativeEngine(target, draft, k=k)
        rates: list[float] = []

        def run(n: int, engine=engine, rates=rates) -> None:
            out = engine.generate([0], n, sampling, seed=len(rates))
            assert len(out.tokens) == n
            rates.append(out.acceptance)

        timed = best([measure(run, tokens, device) for _ in range(repeats)])
        timed_rates = rates[1::2]  # measure() runs a warm-up before each timed run
        rows.append({"draft_tokens": k, "ms_per_token": timed[0], "cpu_ms_per_token": timed[1],
                     "acceptance": sum(timed_rates) / len(timed_rates), "speedup": plain[0] / timed[0],
                     "cpu_speedup": plain[1] / timed[1]})
    shape = lambda c: f"{c.n_layer}L/{c.n_head}H/{c.n_embd}, ctx {c.block_size}"  # noqa: E731
    return {"tokens": tokens, "device": device, "threads": torch.get_num_threads(), "repeats": repeats,
            "target": shape(target.config), "draft": shape(draft.config),
            "sampling": {"top_k": sampling.top_k, "temperature": sampling.temperature},
            "plain": {"ms_per_token": plain[0], "cpu_ms_per_token": plain[1]}, "speculative": rows}
