"""Public examples for ppo_clip: run `pytest` next to your ppo_clip.py."""

import torch
from ppo_clip import gae, ppo_loss

R = torch.tensor([[1.0], [1.0]])
V = torch.zeros(3, 1)


def test_gae_without_done():
    """gamma = 0.5, lambda = 1, zero values: discounted rewards"""
    adv, ret = gae(R, V, torch.tensor([[False], [False]]), gamma=0.5, lam=1.0)
    assert adv.flatten().tolist() == [1.5, 1.0] and ret.flatten().tolist() == [1.5, 1.0]


def test_gae_done_cuts_the_episode():
    """an episode ending at t = 0 takes nothing from t = 1"""
    adv, _ = gae(R, V, torch.tensor([[True], [False]]), gamma=0.5, lam=1.0)
    assert adv.flatten().tolist() == [1.0, 1.0]


def test_on_policy_loss():
    """ratio 1: policy loss -mean(A); value loss 0.5 * mean squared error; entropy bonus subtracted"""
    z = torch.zeros(2)
    out = ppo_loss(z, z, torch.tensor([1.0, 3.0]), torch.tensor([1.0, 0.0]), z, torch.tensor([0.0, 2.0]),
                   torch.tensor([0.5, 1.5]))
    assert abs(float(out["policy_loss"]) + 2.0) < 1e-6 and abs(float(out["value_loss"]) - 1.25) < 1e-6
    assert abs(float(out["loss"]) - (-2.0 + 0.5 * 1.25 - 0.01 * 1.0)) < 1e-6, float(out["loss"])
