# mlprep drill: ppo_clip
"""PPO: GAE advantages, and the clipped surrogate with a value loss and an entropy bonus.
Run the public examples with `pytest` and grade with `mlprep grade ppo_clip.py`."""

from __future__ import annotations

import torch


def gae(rewards: torch.Tensor, values: torch.Tensor, dones: torch.Tensor, gamma: float = 0.99,
        lam: float = 0.95) -> tuple[torch.Tensor, torch.Tensor]:
    """rewards (T, N), values (T + 1, N), dones (T, N) -> (advantages, returns), each (T, N).

    delta_t = r_t + gamma V_{t+1} (1 - done_t) - V_t;  A_t = delta_t + gamma lam (1 - done_t) A_{t+1};
    returns = advantages + values[:T].
    """
    raise NotImplementedError("gae")


def ppo_loss(new_logp: torch.Tensor, old_logp: torch.Tensor, advantages: torch.Tensor, new_values: torch.Tensor,
             old_values: torch.Tensor, returns: torch.Tensor, entropy: torch.Tensor, clip_eps: float = 0.2,
             vf_coef: float = 0.5, ent_coef: float = 0.01, clip_value: bool = False) -> dict[str, torch.Tensor]:
    """{"loss", "policy_loss", "value_loss", "entropy", "clip_fraction", "approx_kl"}, float32 scalars."""
    raise NotImplementedError("ppo_loss")


def ppo_loss_grads(new_logp: torch.Tensor, old_logp: torch.Tensor, advantages: torch.Tensor, new_values: torch.Tensor,
                   old_values: torch.Tensor, returns: torch.Tensor, entropy: torch.Tensor, clip_eps: float,
                   vf_coef: float, ent_coef: float, clip_value: bool):
    """How the grader checks your gradients: leave this function as it is."""
    lp = new_logp.clone().requires_grad_(True)
    nv = new_values.clone().requires_grad_(True)
    ent = entropy.clone().requires_grad_(True)
    out = ppo_loss(lp, old_logp, advantages, nv, old_values, returns, ent, clip_eps, vf_coef, ent_coef, clip_value)
    out["loss"].backward()
    return out["loss"].detach(), lp.grad, nv.grad, ent.grad
