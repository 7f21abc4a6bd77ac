"""Hidden tests for ppo_clip: step-by-step float64 references for GAE and for the PPO loss on the
judge's side, autograd on them for the gradients, and the closed forms at lambda = 0 and 1; classic
mistakes (dones ignored or half-applied, Monte Carlo targets, max instead of min, entropy sign, ...) named."""

import math

import pytest
import torch

from mlprep.drills.compare import DrillFailure, assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.proxy import SolutionRaised

LOSS_KEYS = ("loss", "policy_loss", "value_loss", "entropy", "clip_fraction", "approx_kl")


def check(got, want, what, mistakes, tolerance):
    try:
        assert_close(got, want, what, **tolerance)
    except DrillFailure:
        assert_close_or_named(got, want, what, mistakes(), **tolerance)


def gae_ref(rewards, values, dones, gamma=0.99, lam=0.95, cut="both", targets="lambda", decay="gamma_lam"):
    """Step by step in float64; knobs reproduce classic mistakes. Returns (advantages, returns) float32."""
    T, N = rewards.shape
    r, v, d = rewards.double(), values.double(), dones.double()
    adv = torch.zeros(T, N, dtype=torch.float64)
    mc = torch.zeros(T, N, dtype=torch.float64)
    last, g = torch.zeros(N, dtype=torch.float64), v[T].clone()
    for t in reversed(range(T)):
        nt = 1 - d[t]
        boot = nt if cut in ("both", "bootstrap") else torch.ones(N, dtype=torch.float64)
        carry = nt if cut in ("both", "carry") else torch.ones(N, dtype=torch.float64)
        delta = r[t] + gamma * v[t + 1] * boot - v[t]
        factor = {"gamma_lam": gamma * lam, "lam": lam, "gamma": gamma}[decay]
        last = delta + factor * carry * last
        adv[t] = last
        g = r[t] + gamma * nt * g
        mc[t] = g
    returns = adv + v[:T] if targets == "lambda" else mc
    return adv.float(), returns.float()


def gae_mistakes(args, gamma, lam, index):
    named = {
        "dones were ignored: an episode that ends at step t takes no bootstrap from values[t + 1] and no "
        "advantage from step t + 1": {"cut": "none"},
        "a done must also stop the advantage carried back from step t + 1 (multiply gamma * lam * A_{t+1} by "
        "1 - done_t)": {"cut": "bootstrap"},
        "a done must also stop the bootstrap: no gamma * values[t + 1] when the episode ended at step t":
            {"cut": "carry"},
        "the advantage decays by gamma * lam per step, not by lam alone": {"decay": "lam"},
        "the advantage decays by gamma * lam per step, not by gamma alone": {"decay": "gamma"},
    }
    if index == 1:
        named = {"returns = advantages + values[:T] (the lambda-returns), not the discounted sum of rewards":
                 {"targets": "mc"}, **named}
    return {m: gae_ref(*args, gamma, lam, **kw)[index] for m, kw in named.items()}


def loss_ref(lp, olp, adv, nv, ov, ret, ent, clip_eps=0.2, vf_coef=0.5, ent_coef=0.01, clip_value=False,
             pick="min", clip="both", ent_sign=-1, half=0.5, vclip="max"):
    lp, olp, adv, nv, ov, ret, ent = (x.double() for x in (lp, olp, adv, nv, ov, ret, ent))
    ratio = torch.exp(lp - olp)
    lo = 1 - clip_eps if clip == "both" else -math.inf
    clipped = ratio.clamp(lo, 1 + clip_eps)
    surr = (torch.min if pick == "min" else torch.max)(ratio * adv, clipped * adv)
    policy = -surr.mean()
    err = (nv - ret) ** 2
    if clip_value:
        vc = ov + (nv - ov).clamp(-clip_eps, clip_eps)
        err = (torch.max if vclip == "max" else torch.min)(err, (vc - ret) ** 2)
    value = half * err.mean()
    e = ent.mean()
    loss = policy + vf_coef * value + ent_sign * ent_coef * e
    out = {"loss": loss, "policy_loss": policy, "value_loss": value, "entropy": e,
           "clip_fraction": ((ratio - 1).abs() > clip_eps).double().mean(), "approx_kl": ((ratio - 1) - (lp - olp)).mean()}
    return {k: x.float() for k, x in out.items()}


LOSS_MISTAKES = {
    "take the MINIMUM of ratio * A and clip(ratio) * A (the pessimistic bound), not the maximum": {"pick": "max"},
    "clip the ratio on both sides, to [1 - clip_eps, 1 + clip_eps]": {"clip": "upper"},
    "the entropy is a bonus: subtract ent_coef * entropy from the loss (more entropy, lower loss)": {"ent_sign": 1},
    "the value loss is 0.5 * mean((new_values - returns)^2): the factor 0.5 is missing": {"half": 1.0},
    "clipped value loss: take the MAXIMUM of the clipped and unclipped squared errors": {"vclip": "min"},
}


def rollout(T, N, seed, p_done=0.2):
    g = torch.Generator().manual_seed(seed)
    rewards = torch.randn(T, N, generator=g)
    values = torch.randn(T + 1, N, generator=g)
    dones = torch.rand(T, N, generator=g) < p_done
    dones[T // 2, 0] = True
    dones[T - 1, 1 % N] = True  # an episode that ends at the very last step
    return rewards, values, dones


def samples(M, seed):
    g = torch.Generator().manual_seed(seed)
    olp = -1.0 + 0.5 * torch.randn(M, generator=g)
    lp = olp + 0.4 * torch.randn(M, generator=g)  # ratios spread over both clip edges
    adv = torch.randn(M, generator=g)
    ov = torch.randn(M, generator=g)
    nv = ov + 0.5 * torch.randn(M, generator=g)
    ret = ov + torch.randn(M, generator=g)
    ent = 1.0 + torch.rand(M, generator=g)
    return lp, olp, adv, nv, ov, ret, ent


def call_gae(solution, args, gamma, lam, what):
    got = solution.gae(*args, gamma, lam)
    if type(got) not in (tuple, list) or len(got) != 2:
        fail(f"{what}: gae must return (advantages, returns), got {describe(got)}")
    return got


def check_gae(solution, args, gamma, lam, what, tolerance):
    got = call_gae(solution, args, gamma, lam, what)
    want = gae_ref(*args, gamma, lam)
    for i, name in enumerate(("advantages", "returns")):
        check(got[i], want[i], f"{what}: {name}", lambda i=i: gae_mistakes(args, gamma, lam, i), {"rtol": 1e-5, "atol": 1e-5})


def call_loss(solution, args, what, **kw):
    got = solution.ppo_loss(*args, **kw)
    if type(got) is not dict or any(k not in got for k in LOSS_KEYS):
        fail(f"{what}: ppo_loss must return a dict with keys {', '.join(LOSS_KEYS)}; got {describe(got)[:150]}")
    return got


def check_loss(solution, args, what, tolerance, **kw):
    got = call_loss(solution, args, what, **kw)
    want = loss_ref(*args, **kw)
    for key in ("policy_loss", "value_loss", "entropy", "loss", "clip_fraction", "approx_kl"):
        check(got[key], want[key], f"{what}: {key}",
              lambda key=key: {m: loss_ref(*args, **kw, **mk)[key] for m, mk in LOSS_MISTAKES.items()},
              {"rtol": 1e-5, "atol": 1e-6})


def test_gae_rollout(solution, tolerance):
    """GAE over 4 environments with episodes ending mid-rollout"""
    check_gae(solution, rollout(12, 4, seed=0), 0.99, 0.95, "T = 12, N = 4, gamma 0.99, lambda 0.95", tolerance)


def test_gae_other_gamma_lambda(solution, tolerance):
    """gamma and lambda are both used"""
    check_gae(solution, rollout(9, 3, seed=1), 0.9, 0.7, "gamma 0.9, lambda 0.7", tolerance)


def test_gae_lambda_extremes(solution, tolerance):
    """lambda = 0 gives the one-step TD error; lambda = 1 the discounted return minus the value"""
    rewards, values, dones = rollout(8, 3, seed=2)
    adv0, _ = call_gae(solution, (rewards, values, dones), 0.9, 0.0, "lambda = 0")
    delta = rewards + 0.9 * values[1:] * (~dones) - values[:-1]
    check(adv0, delta, "lambda = 0: advantages must be the TD errors delta_t",
          lambda: gae_mistakes((rewards, values, dones), 0.9, 0.0, 0), {"rtol": 1e-5, "atol": 1e-5})
    adv1, ret1 = call_gae(solution, (rewards, values, dones), 0.9, 1.0, "lambda = 1")
    mc = gae_ref(rewards, values, dones, 0.9, 1.0, targets="mc")[1]
    check(ret1, mc, "lambda = 1: returns must be the discounted rewards, bootstrapped at the rollout's end",
          lambda: gae_mistakes((rewards, values, dones), 0.9, 1.0, 1), {"rtol": 1e-5, "atol": 1e-5})


def test_gae_all_done(solution, tolerance):
    """every step ends an episode: advantage = reward - value"""
    rewards, values, _ = rollout(5, 2, seed=3)
    dones = torch.ones(5, 2, dtype=torch.bool)
    adv, _ = call_gae(solution, (rewards, values, dones), 0.99, 0.95, "all done")
    check(adv, rewards - values[:-1], "every step done: advantages",
          lambda: gae_mistakes((rewards, values, dones), 0.99, 0.95, 0), {"rtol": 1e-5, "atol": 1e-5})


def test_ppo_loss(solution, tolerance):
    """policy, value and entropy terms and the diagnostics"""
    check_loss(solution, samples(40, seed=4), "M = 40, defaults", tolerance)


def test_ppo_loss_coefficients(solution, tolerance):
    """non-default clip_eps, vf_coef and ent_coef"""
    check_loss(solution, samples(30, seed=5), "clip_eps 0.1, vf_coef 1.0, ent_coef 0.05", tolerance,
               clip_eps=0.1, vf_coef=1.0, ent_coef=0.05)


def test_clipped_value_loss(solution, tolerance):
    """clip_value=True clips the new values around the old ones"""
    check_loss(solution, samples(30, seed=6), "clip_value=True", tolerance, clip_value=True)


@pytest.mark.parametrize("clip_value", [False, True], ids=["plain value loss", "clipped value loss"])
def test_gradients(solution, tolerance, clip_value):
    """gradients with respect to new_logp, new_values and entropy match autograd"""
    args = samples(16, seed=7)
    try:
        got = solution.ppo_loss_grads(*args, 0.2, 0.5, 0.01, clip_value)
    except SolutionRaised as exc:
        if "does not require grad" not in str(exc):
            raise
        got = (None, None, None, None)
    if type(got) not in (tuple, list) or len(got) != 4:
        fail(f"ppo_loss_grads must return (loss, grads...) as the starter does; got {describe(got)}")
    lp, olp, adv, nv, ov, ret, ent = args
    leaves = [x.double().requires_grad_() for x in (lp, nv, ent)]
    grads = torch.autograd.grad(loss_ref_double(leaves[0], olp, adv, leaves[1], ov, ret, leaves[2], clip_value), leaves)
    for name, g, want in zip(("new_logp", "new_values", "entropy"), got[1:], grads):
        if g is None:
            fail(f"no gradient reached {name}: compute the loss with torch operations on it (no .item(), .detach())")
        assert_close(g, want.float(), f"d loss / d {name}", rtol=1e-4, atol=1e-6)


def loss_ref_double(lp, olp, adv, nv, ov, ret, ent, clip_value, clip_eps=0.2):
    """The loss in float64 with the default coefficients (vf_coef 0.5, ent_coef 0.01), for autograd."""
    ratio = torch.exp(lp - olp.double())
    a = adv.double()
    policy = -torch.min(ratio * a, ratio.clamp(1 - clip_eps, 1 + clip_eps) * a).mean()
    err = (nv - ret.double()) ** 2
    if clip_value:
        vc = ov.double() + (nv - ov.double()).clamp(-clip_eps, clip_eps)
        err = torch.max(err, (vc - ret.double()) ** 2)
    return policy + 0.5 * 0.5 * err.mean() - 0.01 * ent.mean()
