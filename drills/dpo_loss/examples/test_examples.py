"""Public examples for dpo_loss: run `pytest` next to your dpo_loss.py."""

import math

import torch
from dpo_loss import dpo_loss, sequence_logprob


def test_rewards_and_loss():
    """rewards are beta-scaled log-ratios; the loss is -log sigmoid of their difference"""
    loss, chosen, rejected = dpo_loss(torch.tensor([-5.0]), torch.tensor([-9.0]), torch.tensor([-6.0]),
                                      torch.tensor([-6.0]), beta=0.5)
    assert (chosen.tolist(), rejected.tolist()) == ([0.5], [-1.5]), "rewards are beta * (policy - reference)"
    assert abs(float(loss) - math.log(1 + math.exp(-2.0))) < 1e-6, f"loss {float(loss)}, expected -log(sigmoid(2))"


def test_policy_equal_to_reference():
    """a policy equal to the reference gives log 2"""
    lp = torch.tensor([-3.0, -7.0, -1.0])
    loss = dpo_loss(lp, lp - 2, lp, lp - 2, beta=0.1)[0]
    assert abs(float(loss) - math.log(2)) < 1e-6, f"loss {float(loss)}, expected log 2"


def test_sequence_logprob_uniform():
    """uniform logits over V = 4: each answer token adds log(1/4)"""
    mask = torch.tensor([[False, True, True], [True, True, True]])
    out = sequence_logprob(torch.zeros(2, 3, 4), torch.tensor([[-100, 1, 2], [0, 3, 3]]), mask)
    assert torch.allclose(out, torch.tensor([2, 3]) * math.log(0.25)), f"got {out.tolist()}, expected 2 and 3 times log(1/4)"
