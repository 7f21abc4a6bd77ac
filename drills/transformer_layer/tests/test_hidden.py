"""Hidden tests for transformer_layer: an oracle built from torch built-ins, causality, gradients."""

import pytest
import torch
import torch.nn.functional as F

from mlprep.drills.compare import assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named

D, H, FF = 32, 4, 64


def make_state(seed):
    g = torch.Generator().manual_seed(seed)

    def r(*shape, s=0.2):
        return torch.randn(*shape, generator=g) * s

    return {"ln_1.weight": 1 + r(D), "ln_1.bias": r(D), "attn.qkv.weight": r(3 * D, D), "attn.qkv.bias": r(3 * D),
            "attn.proj.weight": r(D, D), "attn.proj.bias": r(D), "ln_2.weight": 1 + r(D), "ln_2.bias": r(D),
            "mlp.fc.weight": r(FF, D), "mlp.fc.bias": r(FF), "mlp.proj.weight": r(D, FF), "mlp.proj.bias": r(D)}


def block(p, x, pre_ln=True, causal=True, mlp_residual=True, act=F.gelu):
    """The oracle from built-ins; its knobs reproduce classic mistakes."""
    B, T, _ = x.shape

    def attn(h):
        q, k, v = F.linear(h, p["attn.qkv.weight"], p["attn.qkv.bias"]).split(D, dim=-1)
        q, k, v = (t.view(B, T, H, D // H).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
        return F.linear(y.transpose(1, 2).reshape(B, T, D), p["attn.proj.weight"], p["attn.proj.bias"])

    def mlp(h):
        return F.linear(act(F.linear(h, p["mlp.fc.weight"], p["mlp.fc.bias"])), p["mlp.proj.weight"], p["mlp.proj.bias"])

    def ln(h, i):
        return F.layer_norm(h, (D,), p[f"ln_{i}.weight"], p[f"ln_{i}.bias"])

    if not pre_ln:
        x = ln(x + attn(x), 1)
        return ln(x + mlp(x), 2)
    x = x + attn(ln(x, 1))
    return x + mlp(ln(x, 2)) if mlp_residual else mlp(ln(x, 2))


MISTAKES = {
    "this is post-LN (normalising the residual sum); the block is pre-LN: x + attn(ln_1(x)), then x + mlp(ln_2(x))": {"pre_ln": False},
    "the causal mask is missing: token t attended to tokens after it": {"causal": False},
    "the MLP's residual connection is missing: x = x + mlp(ln_2(x))": {"mlp_residual": False},
    "the MLP must use GELU (exact), not ReLU": {"act": F.relu},
}


def run(solution, state, x, grad_out):
    got = solution.forward_and_grads(state, x, H, grad_out)
    if type(got) not in (tuple, list) or len(got) != 2 or type(got[1]) is not dict:
        fail(f"forward_and_grads must return (y, grads) as the starter does; got {describe(got)}")
    return got


@pytest.mark.parametrize("seed", [0, 1], ids=["weights A", "weights B"])
def test_matches_oracle(solution, tolerance, seed):
    """the block equals the reference computed from torch built-ins"""
    state = make_state(seed)
    x = torch.randn(2, 6, D, generator=torch.Generator().manual_seed(10 + seed))
    y, _ = run(solution, state, x, torch.ones(2, 6, D))
    alts = {msg: block(state, x, **kw) for msg, kw in MISTAKES.items()}
    assert_close_or_named(y, block(state, x), "the block's output on (2, 6, 32)", alts, **tolerance)


def test_causal(solution):
    """changing later tokens leaves earlier outputs unchanged"""
    state = make_state(2)
    g = torch.Generator().manual_seed(3)
    x = torch.randn(1, 6, D, generator=g)
    x2 = x.clone()
    x2[:, 3:] = torch.randn(1, 3, D, generator=g) * 3
    a, _ = run(solution, state, x, torch.ones(1, 6, D))
    b, _ = run(solution, state, x2, torch.ones(1, 6, D))
    if type(a) is not torch.Tensor or type(b) is not torch.Tensor or a.shape != (1, 6, D) or b.shape != (1, 6, D):
        fail(f"expected outputs of shape (1, 6, {D}), got {describe(a)}")
    changed = [t for t in range(3) if not torch.allclose(a[:, t], b[:, t], atol=1e-5)]
    if changed:
        fail(f"changing the tokens after t=2 changed the output at t={changed[0]}: the causal mask is missing or "
             "applied after softmax")


def test_gradients(solution, tolerance):
    """gradients reach every parameter and equal autograd's on the reference"""
    state = make_state(4)
    g = torch.Generator().manual_seed(5)
    x, grad_out = torch.randn(2, 5, D, generator=g), torch.randn(2, 5, D, generator=g)
    _, grads = run(solution, state, x, grad_out)
    params = {k: v.clone().requires_grad_(True) for k, v in state.items()}
    (block(params, x) * grad_out).sum().backward()
    for name, p in params.items():
        got = grads.get(name)
        if got is None or (type(got) is torch.Tensor and got.shape == p.shape and not got.abs().any()):
            fail(f"no gradient reached {name}: something on its path is detached or runs under torch.no_grad()")
        assert_close(got, p.grad, f"the gradient of {name}", rtol=max(tolerance["rtol"], 1e-3), atol=max(tolerance["atol"], 1e-4))
