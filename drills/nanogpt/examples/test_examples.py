"""Public examples for nanogpt: run `pytest` next to your nanogpt.py."""

import torch
from nanogpt import gpt_forward


def tiny_params(V=11, C=8, L=1, seed=0):
    g = torch.Generator().manual_seed(seed)
    p = {"wte.weight": torch.randn(V, C, generator=g), "ln_f.weight": torch.ones(C)}
    for i in range(L):
        p |= {f"blocks.{i}.ln_1.weight": torch.ones(C), f"blocks.{i}.ln_2.weight": torch.ones(C),
              f"blocks.{i}.attn.qkv.weight": torch.randn(3 * C, C, generator=g) * 0.1,
              f"blocks.{i}.attn.proj.weight": torch.randn(C, C, generator=g) * 0.1,
              f"blocks.{i}.mlp.fc.weight": torch.randn(4 * C, C, generator=g) * 0.1,
              f"blocks.{i}.mlp.proj.weight": torch.randn(C, 4 * C, generator=g) * 0.1}
    return p


def test_shape():
    """logits have shape (B, T, V)"""
    out = gpt_forward(tiny_params(), torch.randint(0, 11, (2, 5)), n_head=2)
    assert out.shape == (2, 5, 11)


def test_later_tokens_do_not_change_earlier_logits():
    """causal: changing the last token leaves the earlier logits unchanged"""
    p = tiny_params()
    idx = torch.tensor([[1, 2, 3, 4]])
    a = gpt_forward(p, idx, n_head=2)
    b = gpt_forward(p, torch.tensor([[1, 2, 3, 9]]), n_head=2)
    torch.testing.assert_close(a[:, :3], b[:, :3])
