# mlprep drill: ppo_clip
# expect: the entropy is a bonus
# Mistake: adds ent_coef * entropy to the loss, which pushes the entropy down
"""Reference solution: GAE and PPO's clipped loss with a value loss and an entropy bonus."""

from __future__ import annotations

import torch


def gae(rewards: torch.Tensor, values: torch.Tensor, dones: torch.Tensor, gamma: float = 0.99,
        lam: float = 0.95) -> tuple[torch.Tensor, torch.Tensor]:
    """rewards (T, N), values (T + 1, N), dones (T, N) -> (advantages, returns), each (T, N)."""
    T = rewards.shape[0]
    advantages = torch.zeros_like(rewards)
    last = torch.zeros_like(rewards[0])
    for t in reversed(range(T)):
        nonterminal = 1.0 - dones[t].to(rewards.dtype)  # a done cuts the bootstrap and the recursion
        delta = rewards[t] + gamma * values[t + 1] * nonterminal - values[t]
        last = delta + gamma * lam * nonterminal * last
        advantages[t] = last
    return advantages, advantages + values[:T]


def ppo_loss(new_logp: torch.Tensor, old_logp: torch.Tensor, advantages: torch.Tensor, new_values: torch.Tensor,
             old_values: torch.Tensor, returns: torch.Tensor, entropy: torch.Tensor, clip_eps: float = 0.2,
             vf_coef: float = 0.5, ent_coef: float = 0.01, clip_value: bool = False) -> dict[str, torch.Tensor]:
    """{"loss", "policy_loss", "value_loss", "entropy", "clip_fraction", "approx_kl"}, float32 scalars."""
    log_ratio = new_logp - old_logp
    ratio = torch.exp(log_ratio)
    surrogate = torch.min(ratio * advantages, ratio.clamp(1 - clip_eps, 1 + clip_eps) * advantages)
    policy_loss = -surrogate.mean()
    err = (new_values - returns) ** 2
    if clip_value:
        clipped = old_values + (new_values - old_values).clamp(-clip_eps, clip_eps)
        err = torch.max(err, (clipped - returns) ** 2)
    value_loss = 0.5 * err.mean()
    ent = entropy.mean()
    loss = policy_loss + vf_coef * value_loss + ent_coef * ent  # the entropy bonus lowers the loss
    with torch.no_grad():
        clip_fraction = ((ratio - 1).abs() > clip_eps).to(ratio.dtype).mean()
        approx_kl = ((ratio - 1) - log_ratio).mean()
    return {"loss": loss, "policy_loss": policy_loss, "value_loss": value_loss, "entropy": ent,
            "clip_fraction": clip_fraction, "approx_kl": approx_kl}


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
