"""Hidden tests for nanogpt: the reference GPT from solutions/nanogpt is the oracle."""

import contextlib
import sys

import torch

from mlprep.drills.compare import describe, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.solutions import ensure_importable


def _reference():
    """The real nanogpt package; under the grader the name "nanogpt" means the learner's module."""
    ensure_importable()
    learner = sys.modules.pop("nanogpt", None)
    try:
        import nanogpt.config as config
        import nanogpt.model as model
    finally:
        if learner is not None:
            sys.modules["nanogpt"] = learner
    return config, model


CONFIG, MODEL = _reference()


def make_gpt(seed, vocab=23, n_layer=2, n_head=4, n_embd=32, rope_base=10000.0):
    cfg = CONFIG.GPTConfig(vocab_size=vocab, block_size=32, n_layer=n_layer, n_head=n_head, n_embd=n_embd,
                           dropout=0.0, rope_base=rope_base)
    torch.manual_seed(seed)
    gpt = MODEL.GPT(cfg).eval()
    with torch.no_grad():
        for p in gpt.parameters():
            p.add_(torch.randn_like(p) * 0.3)  # move away from init: LayerNorm scales are not all 1
    return gpt


def params_of(gpt):
    return {k: v.detach().clone() for k, v in gpt.state_dict().items() if k != "lm_head.weight"}


def adjacent_pairs_model(gpt):
    """A GPT whose half-split RoPE acts like adjacent-pair RoPE on the original weights.

    Moving q and k channels 2j -> j and 2j+1 -> j + hs/2 inside every head turns pair (j, j + hs/2)
    into the old pair (2j, 2j+1); q . k is unchanged by the shared permutation, v is untouched.
    """
    cfg = gpt.config
    C, nh = cfg.n_embd, cfg.n_head
    hs = C // nh
    order = torch.cat([torch.arange(0, hs, 2), torch.arange(1, hs, 2)])
    rows = torch.cat([h * hs + order for h in range(nh)])
    state = {k: v.clone() for k, v in gpt.state_dict().items()}
    for i in range(cfg.n_layer):
        w = state[f"blocks.{i}.attn.qkv.weight"]
        w[:C], w[C : 2 * C] = w[:C][rows], w[C : 2 * C][rows]
    alt = MODEL.GPT(cfg).eval()
    alt.load_state_dict(state)
    return alt


@contextlib.contextmanager
def mistake(gpt, kind):
    """Temporarily turn the reference into a classic wrong version of itself."""
    if kind == "adjacent":
        yield adjacent_pairs_model(gpt)
        return
    saved_ln = gpt.ln_f
    cos, sin = gpt.rotary.cos.clone(), gpt.rotary.sin.clone()
    try:
        if kind == "no rope":
            gpt.rotary.cos.fill_(1.0)
            gpt.rotary.sin.zero_()
        elif kind == "no ln_f":
            gpt.ln_f = torch.nn.Identity()
        yield gpt
    finally:
        gpt.ln_f = saved_ln
        gpt.rotary.cos, gpt.rotary.sin = cos, sin


MESSAGES = {
    "no rope": "positions are missing: apply RoPE to q and k in every block",
    "adjacent": "RoPE pairs channel j with channel j + hs/2 (half-split); you rotated adjacent pairs (2j, 2j+1)",
    "no ln_f": "the final LayerNorm ln_f is missing: logits = ln_f(x) @ wte.T",
}


def check(solution, gpt, idx, tolerance, what):
    with torch.no_grad():
        expected = gpt(idx)[0]
        alts = {}
        for kind, message in MESSAGES.items():
            try:
                with mistake(gpt, kind) as wrong:
                    alts[message] = wrong(idx)[0]
            except Exception:  # noqa: BLE001 - the reference's internals moved on: name fewer mistakes, never fail
                continue
    got = solution.gpt_forward(params_of(gpt), idx, gpt.config.n_head, rope_base=gpt.config.rope_base)
    assert_close_or_named(got, expected, what, alts, **tolerance)


def test_matches_reference(solution, tolerance):
    """logits equal the reference GPT's (2 blocks, 4 heads, width 32)"""
    gpt = make_gpt(0)
    idx = torch.randint(0, 23, (2, 12), generator=torch.Generator().manual_seed(1))
    check(solution, gpt, idx, tolerance, "logits for a (2, 12) batch")


def test_other_shape(solution, tolerance):
    """another shape: 3 blocks, 2 heads, width 16, RoPE base 500"""
    gpt = make_gpt(1, vocab=40, n_layer=3, n_head=2, n_embd=16, rope_base=500.0)
    idx = torch.randint(0, 40, (3, 20), generator=torch.Generator().manual_seed(2))
    check(solution, gpt, idx, tolerance, "logits with 3 blocks, 2 heads, base 500")


def test_single_token(solution, tolerance):
    """a single token"""
    gpt = make_gpt(2)
    check(solution, gpt, torch.tensor([[5]]), tolerance, "logits for one token")


def test_causal(solution):
    """changing later tokens leaves earlier logits unchanged"""
    gpt = make_gpt(3)
    params = params_of(gpt)
    a = solution.gpt_forward(params, torch.tensor([[1, 2, 3, 4, 5, 6]]), 4)
    b = solution.gpt_forward(params, torch.tensor([[1, 2, 3, 20, 21, 22]]), 4)
    for got in (a, b):
        if type(got) is not torch.Tensor or tuple(got.shape) != (1, 6, 23):
            fail(f"expected logits of shape (1, 6, 23), got {describe(got)}")
    changed = [t for t in range(3) if not torch.allclose(a[:, t], b[:, t], atol=1e-5)]
    if changed:
        fail(f"changing the tokens after t=2 changed the logits at t={changed[0]}: the causal mask is missing or "
             "applied after softmax")
