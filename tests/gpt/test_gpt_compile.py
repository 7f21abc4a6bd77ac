"""The torch.compile decode path on CPU: same tokens and logits as the eager engine, compiled once."""

from __future__ import annotations

import pytest
import torch
from gpt_helpers import one_thread, tiny_model_config  # noqa: F401
from nanogpt.engine import Engine
from nanogpt.errors import GPTError
from nanogpt.kernels import onednn_available
from nanogpt.model import GPT
from nanogpt.sampling import Sampling

pytestmark = pytest.mark.usefixtures("one_thread")
W = 8  # tiny_model_config's block_size
GREEDY = Sampling(temperature=0)


def sharp_model(pos: str) -> GPT:
    torch.manual_seed(0)
    model = GPT(tiny_model_config(pos=pos))
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() >= 2:
                p.mul_(8.0)  # attention far from uniform, so a wrong mask or slot shows
    return model.eval()


@pytest.fixture(scope="module")
def compiled():
    """One compiled engine per position kind, shared: each batch size is one compilation."""
    engines = {pos: Engine(sharp_model(pos), compile=True) for pos in ("rope", "learned")}
    yield engines
    torch._dynamo.reset()


def assert_same(eager, fast):
    assert fast.tokens == eager.tokens
    for a, b in zip(eager.logits, fast.logits, strict=True):
        torch.testing.assert_close(b, a, atol=1e-4, rtol=0)


@pytest.mark.parametrize("pos", ["rope", "learned"])
@pytest.mark.parametrize("prompt", [[1, 2, 3], list(range(1, W + 5))], ids=["short", "past-window"])
def test_compiled_decode_equals_eager_before_and_past_the_window(compiled, pos, prompt):
    engine = compiled[pos]
    eager = Engine(engine.model).generate([prompt], 3 * W, GREEDY, record_logits=True)
    assert_same(eager, engine.generate([prompt], 3 * W, GREEDY, record_logits=True))
    sampled = Sampling(temperature=0.9, top_k=7, top_p=0.9, repetition_penalty=1.3)
    eager = Engine(engine.model).generate([prompt], 2 * W, sampled, seed=5, record_logits=True)
    assert_same(eager, engine.generate([prompt], 2 * W, sampled, seed=5, record_logits=True))
    assert engine.compile_s > 0


@pytest.mark.skipif(not onednn_available(), reason="this torch build has no working oneDNN packed linear")
def test_compiled_step_can_call_onednn_packed_weights():
    """The packed weights reach the compiled step through an opaque custom op."""
    model = sharp_model("rope")
    eager = Engine(model, kernels="default").generate([[1, 2]], 2 * W, GREEDY, record_logits=True)
    assert_same(eager, Engine(model, kernels="onednn", compile=True).generate([[1, 2]], 2 * W, GREEDY,
                                                                               record_logits=True))


def test_compiled_batch_masks_pads_like_eager(compiled):
    engine = compiled["rope"]
    prompts = [[1, 2, 3, 4, 5], [6, 7], [8]]
    eager = Engine(engine.model).generate(prompts, 2 * W, GREEDY, record_logits=True)
    assert_same(eager, engine.generate(prompts, 2 * W, GREEDY, record_logits=True))


def test_later_calls_of_the_same_batch_size_reuse_the_compiled_step(compiled):
    from torch._dynamo.utils import counters

    engine = compiled["rope"]
    engine.generate([[4]], 5, GREEDY)
    graphs = counters["stats"]["unique_graphs"]
    engine.generate([[5, 6, 7]], 2 * W, GREEDY)  # another prompt length and generation length
    engine.generate([[1]], 3, Sampling(temperature=0.5), seed=1)
    assert counters["stats"]["unique_graphs"] == graphs


def test_compile_needs_the_cache():
    with pytest.raises(ValueError, match="KV cache"):
        Engine(sharp_model("rope"), use_cache=False, compile=True)


def test_a_failing_compiler_is_one_clear_error(monkeypatch):
    def broken(fn, **kwargs):
        def run(*args):
            raise RuntimeError("C++ compiler not found\nlong traceback follows")

        return run

    monkeypatch.setattr(torch, "compile", broken)
    with pytest.raises(GPTError, match=r"torch.compile failed \(C\+\+ compiler not found\); generate without --compile"):
        Engine(sharp_model("rope"), compile=True).generate([[1]], 3, GREEDY)
