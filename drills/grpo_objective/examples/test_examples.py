"""Public examples for grpo_objective: run `pytest` next to your grpo_objective.py."""

import math

import torch
from grpo_objective import group_advantages, grpo_loss


def test_advantages():
    """rewards relative to their own group, sample std; equal rewards give 0"""
    adv = group_advantages(torch.tensor([[1.0, 0.0, 0.0, 1.0], [2.0, 2.0, 2.0, 2.0]]))
    want = 0.5 / (math.sqrt(1 / 3) + 1e-4)
    assert torch.allclose(adv[0], torch.tensor([want, -want, -want, want])), adv[0].tolist()
    assert torch.equal(adv[1], torch.zeros(4)), adv[1].tolist()


def test_on_policy_without_kl():
    """logp = old_logp = ref_logp: ratio 1, KL 0, loss = -mean advantage"""
    lp = torch.log(torch.tensor([[0.5, 0.5, 0.9], [0.2, 0.3, 0.4]]))
    mask = torch.tensor([[True, True, False], [True, True, True]])
    loss, kl = grpo_loss(lp, lp, lp, torch.tensor([2.0, -1.0]), mask)
    assert abs(float(loss) - (-0.5)) < 1e-6 and abs(float(kl)) < 1e-7, (float(loss), float(kl))


def test_clipping():
    """a ratio of 2 with a positive advantage counts as 1.2"""
    old = torch.zeros(1, 1)
    loss, _ = grpo_loss(torch.log(torch.tensor([[2.0]])), old, torch.log(torch.tensor([[2.0]])),
                        torch.tensor([1.0]), torch.tensor([[True]]))
    assert abs(float(loss) - (-1.2)) < 1e-6, float(loss)
