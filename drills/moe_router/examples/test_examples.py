"""Public examples for moe_router: run `pytest` next to your moe_router.py."""

import torch
from moe_router import moe_layer

X = torch.eye(3)
W_ROUTER = torch.tensor([[2.0, 1.0, 0.0], [2.0, 1.0, 0.0], [0.0, 1.0, 2.0]])


def test_routing_and_capacity():
    """first choices of all tokens are served before second choices"""
    out = moe_layer(X, W_ROUTER, torch.randn(3, 3, 4), capacity=1)
    assert out["experts"].tolist() == [[0, 1], [0, 1], [2, 1]]
    assert out["slots"].tolist() == [[0, 0], [-1, -1], [0, -1]]
    assert torch.all(out["y"][1] == 0)


def test_gates_are_a_softmax_over_the_two():
    """without drops the two gates sum to 1: softmax(2, 1) = (0.731, 0.269)"""
    out = moe_layer(X, W_ROUTER, torch.randn(3, 3, 4), capacity=3)
    assert torch.allclose(out["gates"][0], torch.softmax(torch.tensor([2.0, 1.0]), 0)), out["gates"][0]


def test_balanced_loss_is_two():
    """identical logits for every expert: P is uniform, and the loss is E * sum f_e / E = 2"""
    out = moe_layer(torch.ones(4, 2), torch.zeros(2, 4), torch.randn(4, 2, 2), capacity=4)
    assert abs(float(out["aux_loss"]) - 2.0) < 1e-6
