"""Public examples for decoding: run `pytest` next to your decoding.py."""

import torch
from decoding import beam_search, greedy


def chain_model(ids):
    """A toy model: after token t the next is (t + 1) % 4 with high probability; 0 is EOS."""
    logits = torch.full((*ids.shape, 4), -2.0)
    logits.scatter_(-1, ((ids + 1) % 4)[..., None], 2.0)
    return logits


def test_greedy_pads_finished_rows():
    """greedy: rows finish at different steps and are padded with EOS"""
    out = greedy(chain_model, torch.tensor([[3], [1]]), max_new_tokens=5, eos_id=0)
    assert out.tolist() == [[3, 0, 0, 0], [1, 2, 3, 0]]


def test_beam_finds_the_chain():
    """beam search follows the likely chain to EOS"""
    tokens, score = beam_search(chain_model, torch.tensor([2]), beam_size=2, max_new_tokens=4, eos_id=0)
    assert tokens == [3, 0] and score < 0
