"""The KV-cache engine against full recomputes, and the sampling filters against their definitions."""

from __future__ import annotations

import pytest
import torch
from gpt_helpers import one_thread, tiny_model_config  # noqa: F401
from nanogpt.engine import Engine, band_logits
from nanogpt.model import GPT, Step, apply_rope
from nanogpt.sampling import Sampling, choose, gumbel_noise, top_p_filter

pytestmark = pytest.mark.usefixtures("one_thread")
W = 8  # tiny_model_config's block_size


def sharp_model(pos: str = "rope", seed: int = 0) -> GPT:
    """Random weights scaled up so attention is far from uniform and differences show."""
    torch.manual_seed(seed)
    model = GPT(tiny_model_config(pos=pos))
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() >= 2:
                p.mul_(8.0)
    return model.eval()


def run(model, prompt, n, use_cache=True, **sampling):
    s = Sampling(**({"temperature": 1.0} | sampling))
    return Engine(model, use_cache=use_cache).generate([prompt], n, s, seed=3, record_logits=True)


@pytest.mark.parametrize("prompt_len", [1, 3, W, W + 5])
def test_sliding_rope_cache_equals_band_masked_recompute(prompt_len):
    model = sharp_model()
    prompt = torch.randint(23, (prompt_len,), generator=torch.Generator().manual_seed(prompt_len)).tolist()
    n = 3 * W
    out = run(model, prompt, n)
    ref = band_logits(model, torch.tensor([prompt + out.tokens[0]]))[0]
    for i, logits in enumerate(out.logits):
        torch.testing.assert_close(logits[0], ref[prompt_len - 1 + i], atol=1e-4, rtol=0)


@pytest.mark.parametrize("pos", ["rope", "learned"])
def test_cached_equals_uncached_before_the_window_fills(pos):
    model = sharp_model(pos)
    cached, uncached = run(model, [1, 2, 3], W - 3), run(model, [1, 2, 3], W - 3, use_cache=False)
    assert cached.tokens == uncached.tokens
    for a, b in zip(cached.logits, uncached.logits, strict=True):
        torch.testing.assert_close(a, b, atol=1e-4, rtol=0)


def test_sliding_cache_is_not_crop_and_recompute():
    """Past the window, deeper layers' cached keys still carry evicted tokens; a crop forgets them."""
    model = sharp_model()
    cached = run(model, [1, 2, 3], 2 * W, temperature=0)
    seq = torch.tensor([[1, 2, 3] + cached.tokens[0]])[:, :-1]  # the context of the last prediction
    torch.testing.assert_close(cached.logits[-1][0], band_logits(model, seq)[0, -1], atol=1e-4, rtol=0)
    crop = model(seq[:, -W:])[0][0, -1]
    assert (cached.logits[-1][0] - crop).abs().max() > 1e-2

    uncached = run(model, [1, 2, 3], 2 * W, use_cache=False, temperature=0)
    seq = torch.tensor([[1, 2, 3] + uncached.tokens[0]])[:, :-1]
    torch.testing.assert_close(uncached.logits[-1][0], model(seq[:, -W:])[0][0, -1], atol=1e-4, rtol=0)


def _layer_keys(model: GPT, idx: torch.Tensor, pos: torch.Tensor, layer: int) -> torch.Tensor:
    """The (rotated) keys layer ``layer`` computes for idx at positions pos: (T, nh, hs)."""
    captured = {}

    def grab(module, args):
        x, step = args
        B, T, C = x.shape
        k = module.qkv(x).view(B, T, 3, module.n_head, -1)[:, :, 1]  # (B, T, nh, hs)
        captured["k"] = k[0] if step.rope is None else apply_rope(k, *(t[:, :, 0] for t in step.rope))[0]

    handle = model.blocks[layer].attn.register_forward_pre_hook(grab)
    with torch.no_grad():
        model.step(idx, pos, Step())
    handle.remove()
    return captured["k"]


def test_why_learned_positions_cannot_slide_but_rope_first_layer_can():
    """The notes' observation: evicting one entry shifts every learned position, so every cached key
    goes stale; with RoPE the first layer's keys (stored rotated) stay exact."""
    seq = torch.randint(23, (1, W + 1), generator=torch.Generator().manual_seed(1))
    for pos, stale in (("learned", True), ("rope", False)):
        model = sharp_model(pos)
        if model.rotary is not None:
            model.rotary.reserve(W + 1)
        full = _layer_keys(model, seq[:, :W], torch.arange(W), 0)[1:]  # cached for tokens 1..W-1
        if pos == "learned":  # the crop restarts positions at 0
            shifted = _layer_keys(model, seq[:, 1 : W + 1], torch.arange(W), 0)[: W - 1]
        else:  # RoPE keeps absolute positions; only distances matter
            shifted = _layer_keys(model, seq[:, 1 : W + 1], torch.arange(1, W + 1), 0)[: W - 1]
        assert (not torch.allclose(full, shifted, atol=1e-5)) == stale


def test_learned_positions_fall_back_to_crop_and_recompute():
    model = sharp_model("learned")
    cached, uncached = run(model, [4, 5], 3 * W), run(model, [4, 5], 3 * W, use_cache=False)
    assert cached.tokens == uncached.tokens
    for a, b in zip(cached.logits, uncached.logits, strict=True):
        torch.testing.assert_close(a, b, atol=1e-4, rtol=0)


@pytest.mark.parametrize("pos", ["rope", "learned"])
def test_batched_prompts_of_different_lengths_match_one_at_a_time(pos):
    model = sharp_model(pos)
    prompts = [[1, 2, 3, 4, 5], [6, 7], [8]]
    batch = Engine(model).generate(prompts, 2 * W, Sampling(temperature=0), record_logits=True)
    for b, p in enumerate(prompts):
        alone = Engine(model).generate([p], 2 * W, Sampling(temperature=0), record_logits=True)
        assert alone.tokens[0] == batch.tokens[b]
        for a, bl in zip(alone.logits, batch.logits, strict=True):
            torch.testing.assert_close(a[0], bl[b], atol=1e-4, rtol=0)


def test_seed_reproduces_and_stop_cuts_a_row():
    model = sharp_model()
    a = Engine(model).generate([[1]], 20, Sampling(), seed=7)
    b = Engine(model).generate([[1]], 20, Sampling(), seed=7)
    assert a.tokens == b.tokens
    target = a.tokens[0][4]
    cut = Engine(model).generate([[1]], 20, Sampling(), seed=7, stop=lambda row, new: new[-1] == target)
    assert cut.tokens[0] == a.tokens[0][: a.tokens[0].index(target) + 1]


def test_top_k_never_samples_outside_the_top_k():
    logits = torch.randn(4, 50, generator=torch.Generator().manual_seed(0))
    gen = torch.Generator().manual_seed(1)
    top = logits.topk(5, dim=-1).indices
    s = Sampling(temperature=1.5, top_k=5)
    for noise in gumbel_noise(200, 4, s, 50, gen):
        tok = choose(logits, s, noise)
        assert (top == tok[:, None]).any(-1).all()


def test_sampling_frequencies_follow_the_renormalised_top_k_top_p_distribution():
    logits = torch.tensor([[3.0, 2.5, 2.0, 1.0, 0.5, -1.0]]).log_softmax(-1)
    s = Sampling(temperature=1.0, top_k=4, top_p=0.9)
    p = logits.softmax(-1)[0, :4]
    keep = (torch.cumsum(p / p.sum(), 0) - p / p.sum()) < 0.9
    expected = torch.where(keep, p, torch.zeros_like(p))
    expected = expected / expected.sum()
    gen = torch.Generator().manual_seed(0)
    draws = choose(logits.expand(4000, 6), s, gumbel_noise(1, 4000, s, 6, gen)[0])
    freq = torch.bincount(draws, minlength=6).float() / len(draws)
    assert freq[4:].sum() == 0
    torch.testing.assert_close(freq[:4], expected, atol=0.03, rtol=0)


def test_top_p_keeps_the_token_that_crosses_p():
    probs = torch.tensor([[0.5, 0.3, 0.15, 0.05]])
    kept = torch.isfinite(top_p_filter(probs.log(), 0.7))
    assert kept.tolist() == [[True, True, False, False]]  # 0.5 < 0.7, 0.5 + 0.3 crosses it: both stay
    assert torch.isfinite(top_p_filter(probs.log(), 0.85)).tolist() == [[True, True, True, False]]
    assert torch.isfinite(top_p_filter(probs.log(), 0.01)).tolist() == [[True, False, False, False]]


def test_greedy_and_repetition_penalty():
    logits = torch.tensor([[2.0, 1.9, -1.0]])
    assert choose(logits, Sampling(temperature=0)).tolist() == [0]
    seen = torch.tensor([[True, False, False]])
    assert choose(logits, Sampling(temperature=0, repetition_penalty=1.5), seen=seen).tolist() == [1]


@pytest.mark.parametrize("bad", [{"temperature": -1}, {"top_k": 0}, {"top_p": 1.5}, {"repetition_penalty": 0}])
def test_sampling_settings_are_checked(bad):
    with pytest.raises(ValueError):
        Sampling(**bad)
