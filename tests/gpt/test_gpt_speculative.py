"""Speculative decoding: greedy equals the target's greedy; sampled tokens follow the target's law."""

from __future__ import annotations

import itertools

import pytest
import torch
from gpt_helpers import one_thread, tiny_model_config  # noqa: F401
from nanogpt.engine import Engine
from nanogpt.errors import GPTError
from nanogpt.model import GPT
from nanogpt.sampling import Sampling
from nanogpt.speculative import SpeculativeEngine, distribution

pytestmark = pytest.mark.usefixtures("one_thread")


def _model(seed: int, **cfg) -> GPT:
    torch.manual_seed(seed)
    model = GPT(tiny_model_config(**cfg)).eval()
    with torch.no_grad():  # sharper logits than the init's, so greedy has clear winners
        model.lm_head.weight.mul_(8.0)
    return model


@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("prompt", [[3], [1, 4, 1, 5, 9, 2, 6]])
def test_greedy_equals_the_targets_greedy_past_the_window(k, prompt):
    target, draft = _model(0), _model(1, n_layer=1)
    n = 30  # the window is 8: the caches slide several times
    plain = Engine(target).generate([prompt], n, Sampling(temperature=0)).tokens[0]
    spec = SpeculativeEngine(target, draft, k=k).generate(prompt, n, Sampling(temperature=0))
    assert spec.tokens == plain
    assert spec.proposed > 0 and 0 <= spec.accepted <= spec.proposed


def test_a_draft_equal_to_the_target_is_always_accepted():
    target = _model(0)
    spec = SpeculativeEngine(target, target, k=4).generate([2, 7], 20, Sampling(temperature=1.0), seed=3)
    assert spec.acceptance == 1.0 and len(spec.tokens) == 20
    assert spec.rounds == 4  # 5 tokens a round: 4 accepted drafts plus the target's own


def _exact_joint(target: GPT, prompt: list[int], s: Sampling) -> dict[tuple[int, int], float]:
    """P(x1, x2) of the target's sampling distribution, by enumeration."""
    with torch.no_grad():
        p1 = distribution(target(torch.tensor([prompt]))[0][0, -1], s)
        joint = {}
        for a in range(p1.numel()):
            if p1[a] <= 0:
                continue
            p2 = distribution(target(torch.tensor([prompt + [a]]))[0][0, -1], s)
            for b in range(p2.numel()):
                if p2[b] > 0:
                    joint[(a, b)] = float(p1[a] * p2[b])
    return joint


@pytest.mark.parametrize("sampling", [Sampling(temperature=1.0), Sampling(temperature=0.7, top_k=3, top_p=0.9)])
def test_sampled_pairs_follow_the_targets_distribution(sampling):
    """Chi-square over the first two tokens, each round drafting both (k=2), many fixed seeds."""
    scipy_stats = pytest.importorskip("scipy.stats")
    vocab = 4
    target, draft = _model(0, vocab_size=vocab), _model(5, vocab_size=vocab, n_layer=1)
    with torch.no_grad():
        target.lm_head.weight.mul_(0.2)  # spread the target's mass so every cell is visited
    prompt = [1, 2]
    engine = SpeculativeEngine(target, draft, k=2)
    draws = 3000
    counts = dict.fromkeys(itertools.product(range(vocab), repeat=2), 0)
    accepted = proposed = 0
    for seed in range(draws):
        r = engine.generate(prompt, 2, sampling, seed=seed)
        counts[tuple(r.tokens)] += 1
        accepted, proposed = accepted + r.accepted, proposed + r.proposed
    joint = _exact_joint(target, prompt, sampling)
    assert set(k for k, c in counts.items() if c) <= set(joint), "a token the target's sampling excludes came out"
    cells = sorted(joint)
    expected = [joint[c] * draws for c in cells]
    observed = [counts[c] for c in cells]
    p_value = scipy_stats.chisquare(observed, [e * sum(observed) / sum(expected) for e in expected]).pvalue
    assert p_value > 0.001, f"speculative samples differ from the target's law (p={p_value:.2g})"
    assert 0 < accepted < proposed  # the draft differs from the target, so the residual path ran


def test_bad_setups_are_clear_errors():
    target = _model(0)
    with pytest.raises(GPTError, match="different vocabularies"):
        SpeculativeEngine(target, _model(1, vocab_size=30))
    with pytest.raises(GPTError, match="RoPE"):
        SpeculativeEngine(target, _model(1, pos="learned"))
    with pytest.raises(GPTError, match="repetition penalty"):
        SpeculativeEngine(target, target).generate([1], 3, Sampling(repetition_penalty=1.2))
