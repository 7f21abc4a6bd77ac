"""The CPU inference kernels: same numbers as F.linear, chosen by size, and the model left untouched."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from gpt_helpers import one_thread, tiny_model_config  # noqa: F401
from nanogpt import kernels
from nanogpt.engine import Engine
from nanogpt.kernels import inference_kernels, kernel_name, last_level_cache_bytes, onednn_available
from nanogpt.model import GPT
from nanogpt.sampling import Sampling

pytestmark = pytest.mark.usefixtures("one_thread")
KINDS = ["default", "transposed"] + (["onednn"] if onednn_available() else [])


def model(seed: int = 0, **overrides) -> GPT:
    torch.manual_seed(seed)
    return GPT(tiny_model_config(**overrides)).eval()


@pytest.mark.parametrize("kind", KINDS)
def test_each_kernel_gives_the_plain_forward_logits(kind):
    m = model()
    idx = torch.randint(23, (2, 7), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        plain = m(idx)[0]
        with inference_kernels(m, kind) as used:
            fast = m(idx)[0]
    assert used == kind
    torch.testing.assert_close(fast, plain, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("kind", KINDS)
def test_the_engine_generates_the_same_text_on_every_kernel(kind):
    m = model(1)
    reference = Engine(m, kernels="default").generate([[1, 2]], 20, Sampling(temperature=0), record_logits=True)
    out = Engine(m, kernels=kind).generate([[1, 2]], 20, Sampling(temperature=0), record_logits=True)
    assert out.tokens == reference.tokens
    for a, b in zip(out.logits, reference.logits, strict=True):
        torch.testing.assert_close(a, b, atol=1e-4, rtol=0)


@pytest.mark.parametrize("kind", KINDS)
def test_kernels_follow_weights_changed_in_place_between_calls(kind):
    m = model(2)
    engine = Engine(m, kernels=kind)
    first = engine.generate([[3]], 10, Sampling(temperature=0), record_logits=True)
    with torch.no_grad():
        m.blocks[0].attn.qkv.weight.mul_(4.0)
        m.blocks[1].mlp.fc.weight.copy_(torch.randn_like(m.blocks[1].mlp.fc.weight))
    again = engine.generate([[3]], 10, Sampling(temperature=0), record_logits=True)
    plain = Engine(m, kernels="default").generate([[3]], 10, Sampling(temperature=0), record_logits=True)
    assert not torch.allclose(first.logits[0], again.logits[0], atol=1e-3)
    for a, b in zip(again.logits, plain.logits, strict=True):
        torch.testing.assert_close(a, b, atol=1e-4, rtol=0)


@pytest.mark.skipif(not onednn_available(), reason="this torch build has no working oneDNN packed linear")
def test_packed_weights_live_exactly_as_long_as_their_kernel():
    import gc

    def ours():
        return set(kernels._packed) - before

    gc.collect()
    before = set(kernels._packed)  # other tests' kernels may still be alive
    m = nn.Sequential(nn.Linear(16, 8), nn.Linear(8, 4))
    x = torch.randn(3, 16)
    with torch.no_grad(), inference_kernels(m, "onednn"):
        m(x)
    first = ours()
    assert len(first) == 2  # kept for the next call
    with torch.no_grad():
        m[0].weight.mul_(2.0)
        plain = F.linear(F.linear(x, m[0].weight, m[0].bias), m[1].weight, m[1].bias)
        with inference_kernels(m, "onednn"):
            torch.testing.assert_close(m(x), plain, atol=1e-5, rtol=1e-5)
    gc.collect()
    assert len(ours()) == 2 and len(ours() & first) == 1  # the stale copy went with its kernel
    del m
    gc.collect()
    assert not ours()


def test_the_model_is_restored_after_the_block_even_on_error():
    m = model()
    before = {k: (v.data_ptr(), v.clone()) for k, v in m.state_dict().items()}
    with pytest.raises(RuntimeError, match="boom"), torch.no_grad(), inference_kernels(m, "transposed"):
        assert all("forward" in lin.__dict__ for lin in m.modules() if isinstance(lin, nn.Linear))
        raise RuntimeError("boom")
    assert not any("forward" in lin.__dict__ for lin in m.modules() if isinstance(lin, nn.Linear))
    after = m.state_dict()
    assert after.keys() == before.keys()
    for k, (ptr, value) in before.items():
        assert after[k].data_ptr() == ptr and torch.equal(after[k], value)


def test_training_still_works_after_generating_far_past_the_rope_tables():
    """generate runs in inference mode; tables it grows outlive it and must stay ordinary tensors
    (an inference tensor cannot be updated in place outside inference mode, e.g. by DDP)."""
    m = model()
    Engine(m).generate([[1]], 40, Sampling(temperature=0))  # 41 positions > block_size 8
    assert m.rotary.cos.shape[0] >= 41
    assert not m.rotary.cos.is_inference() and not m.rotary.sin.is_inference()
    m.rotary.cos.mul_(1.0)
    m.train()
    idx = torch.randint(23, (2, 8))
    _, loss = m(idx, idx)
    loss.backward()
    assert m.wte.weight.grad is not None


def test_kernel_choice_follows_weight_size_and_device(monkeypatch):
    m = model()
    assert kernel_name(m) == "transposed"  # a few KB of weights stay in cache
    monkeypatch.setattr(kernels, "last_level_cache_bytes", lambda: 1024)
    assert kernel_name(m) == ("onednn" if onednn_available() else "transposed")
    monkeypatch.setattr(kernels, "onednn_available", lambda: False)
    assert kernel_name(m) == "transposed"
    monkeypatch.undo()
    monkeypatch.setattr(kernels, "last_level_cache_bytes", lambda: 1024)
    assert kernel_name(m.to(torch.bfloat16)) == "default"  # only float32 CPU weights get other kernels


def test_a_build_whose_onednn_ops_fail_uses_the_transposed_layout(monkeypatch):
    def unsupported(*args):
        raise RuntimeError("no oneDNN kernel for this CPU")

    kernels.onednn_available.cache_clear()
    monkeypatch.setattr(torch.ops.mkldnn, "_linear_pointwise", unsupported, raising=False)
    try:
        assert not onednn_available()
    finally:
        kernels.onednn_available.cache_clear()


def test_last_level_cache_size_is_read_from_sysfs(tmp_path):
    for index, size in (("index0", "48K"), ("index2", "1024K"), ("index3", "32768K")):
        (tmp_path / index).mkdir()
        (tmp_path / index / "size").write_text(size + "\n")
    assert last_level_cache_bytes.__wrapped__(tmp_path) == 32 * 2**20
    assert last_level_cache_bytes.__wrapped__(tmp_path / "missing") == kernels.FALLBACK_CACHE_BYTES
