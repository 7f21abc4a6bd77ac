"""Public examples for beam_search_batched: run `pytest` next to your beam_search_batched.py."""

import math

import torch
from beam_search_batched import beam_search_batched


def chain_model(ids):
    """After token t, (t + 1) % 4 is likely; 0 is EOS."""
    logits = torch.full((*ids.shape, 4), -2.0)
    return logits.scatter(-1, ((ids + 1) % 4)[..., None], 2.0)


def test_chain():
    """two prompts follow the chain to EOS"""
    tokens, scores = beam_search_batched(chain_model, torch.tensor([[2], [1]]), num_beams=2, max_new_tokens=4, eos_id=0)
    assert [list(t) for t in tokens] == [[3, 0], [2, 3, 0]]
    logp = 4.0 - math.log(math.exp(4.0) + 3)  # log-probability of the likely token
    assert abs(scores[0] - logp) < 1e-5 and abs(scores[1] - logp) < 1e-5, scores


def test_one_call_per_step():
    """the model is called once per step for the whole batch"""
    calls = []

    def counting(ids):
        calls.append(ids.shape)
        return chain_model(ids)

    beam_search_batched(counting, torch.tensor([[1], [2], [3]]), num_beams=3, max_new_tokens=3, eos_id=0)
    assert len(calls) <= 3, calls
