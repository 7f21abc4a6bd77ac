"""The GPT module: shapes, causality, RoPE, weight tying, decay groups, and that it learns."""

from __future__ import annotations

import pytest
import torch
from gpt_helpers import one_thread, tiny_model_config  # noqa: F401
from nanogpt.config import lite, with_overrides
from nanogpt.model import GPT, apply_rope

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.parametrize("pos", ["rope", "learned"])
def test_shapes_and_loss(pos):
    torch.manual_seed(0)
    model = GPT(tiny_model_config(pos=pos))
    idx = torch.randint(23, (3, 8))
    logits, loss = model(idx, idx)
    assert logits.shape == (3, 8, 23)
    assert loss.shape == () and abs(loss.item() - torch.log(torch.tensor(23.0)).item()) < 0.3


def test_longer_than_block_size_is_refused():
    with pytest.raises(AssertionError, match="exceeds block_size"):
        GPT(tiny_model_config())(torch.zeros(1, 9, dtype=torch.long))


@pytest.mark.parametrize("pos", ["rope", "learned"])
def test_causal_future_tokens_do_not_change_the_past(pos):
    torch.manual_seed(0)
    model = GPT(tiny_model_config(pos=pos)).eval()
    a = torch.randint(23, (1, 8))
    b = a.clone()
    b[0, 5:] = (b[0, 5:] + 1) % 23
    la, _ = model(a)
    lb, _ = model(b)
    torch.testing.assert_close(la[:, :5], lb[:, :5])
    assert not torch.allclose(la[:, 5:], lb[:, 5:])


def test_rope_rotates_half_pairs_and_scores_depend_only_on_distance():
    torch.manual_seed(0)
    model = GPT(tiny_model_config())
    model.rotary.reserve(64)
    hs = 8
    q, k = torch.randn(hs), torch.randn(hs)

    def rotate(x, p):
        cos, sin = model.rotary(torch.tensor([p]))
        return apply_rope(x.view(1, 1, 1, 1, hs), cos, sin).flatten()

    # against the definition: pair (i, i + hs/2) turned by p * base^(-2i/hs)
    p = 5
    angle = p * 10000.0 ** (-torch.arange(0, hs, 2).float() / hs)
    x1, x2 = q[: hs // 2], q[hs // 2 :]
    expected = torch.cat((x1 * angle.cos() - x2 * angle.sin(), x2 * angle.cos() + x1 * angle.sin()))
    torch.testing.assert_close(rotate(q, p), expected)
    score = lambda i, j: (rotate(q, i) @ rotate(k, j)).item()  # noqa: E731
    assert score(5, 2) == pytest.approx(score(40, 37), abs=1e-5)
    assert score(5, 2) != pytest.approx(score(5, 4), abs=1e-3)


def test_weight_tying_and_decay_groups():
    model = GPT(tiny_model_config(pos="learned"))
    assert model.lm_head.weight is model.wte.weight
    opt = model.optimizer(0.1, 1e-3, (0.9, 0.99), fused=False)
    decay, no_decay = opt.param_groups
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    decayed = {id(p) for p in decay["params"]}
    assert id(model.wte.weight) not in decayed and id(model.wpe.weight) not in decayed
    assert id(model.blocks[0].attn.qkv.weight) in decayed
    assert all(p.dim() == 1 for p in no_decay["params"] if p is not model.wte.weight and p is not model.wpe.weight)
    assert sum(p.numel() for g in opt.param_groups for p in g["params"]) == model.num_params()


def test_overfits_one_batch():
    torch.manual_seed(0)
    model = GPT(tiny_model_config(n_embd=32))
    opt = model.optimizer(0.0, 1e-2, (0.9, 0.99), fused=False)
    x = torch.randperm(23)[:16].view(2, 8)  # all tokens distinct: every context, hence target, is learnable
    y = torch.randint(23, (2, 8))
    for _ in range(100):
        _, loss = model(x, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.01


def test_overrides_route_model_and_training_fields():
    cfg = with_overrides(lite(), {"n_layer": 2, "max_iters": 50, "pos": "learned", "dropout": None})
    assert cfg.model.n_layer == 2 and cfg.model.pos == "learned"
    assert cfg.max_iters == 50 and cfg.lr_decay_iters == 50
    assert cfg.model.dropout == lite().model.dropout
    with pytest.raises(ValueError, match="unknown config field"):
        with_overrides(lite(), {"n_layers": 2})
