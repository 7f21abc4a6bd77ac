"""Hidden tests for grpo_objective: a token-by-token loop reference in float64 on the judge's side and
autograd on it for the gradient; classic mistakes (population std, batch-wide normalisation, max
instead of min, one-sided clipping, KL sign or estimator, token-level averaging, ...) are named."""

import math

import pytest
import torch

from mlprep.drills.compare import DrillFailure, assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.proxy import SolutionRaised


def check(got, want, what, mistakes, tolerance):
    try:
        assert_close(got, want, what, **tolerance)
    except DrillFailure:
        assert_close_or_named(got, want, what, mistakes(), **tolerance)


def adv_ref(rewards, eps=1e-4, ddof=1, scope="group", eps_where="std"):
    out = torch.zeros(rewards.shape, dtype=torch.float64)
    r = rewards.double()
    rows = [r[b] for b in range(r.shape[0])] if scope == "group" else [r.flatten()]
    flat = []
    for row in rows:
        n = len(row)
        mean = sum(row.tolist()) / n
        var = sum((x - mean) ** 2 for x in row.tolist()) / (n - ddof)
        std = math.sqrt(var + eps) if eps_where == "inside" else math.sqrt(var) + (eps if eps_where == "std" else 0.0)
        flat.extend([(x - mean) / std if std > 0 else float("nan") for x in row.tolist()])
    out = torch.tensor(flat, dtype=torch.float64).reshape(rewards.shape)
    return out.float()


def adv_mistakes(rewards, eps):
    return {
        "std must be the sample standard deviation over the group (divide by G - 1, torch.std's default)":
            adv_ref(rewards, eps, ddof=0),
        "normalise within each prompt's group (one row), not over the whole batch": adv_ref(rewards, eps, scope="batch"),
        "eps is added to the std: (r - mean) / (std + eps)": adv_ref(rewards, eps, eps_where="inside"),
    }


def loss_ref(logp, old, ref, adv, mask, clip_eps=0.2, beta=0.04, pick="min", clip="both", kl="k3", kl_sign=1,
             average="sequence", use_mask=True):
    """Token by token; knobs reproduce classic mistakes. Returns (loss, mean_kl) as float32 scalars."""
    N, T = logp.shape
    seq_loss, seq_kl, all_loss, all_kl = [], [], [], []
    for i in range(N):
        tl, tk = [], []
        for t in range(T):
            if use_mask and not bool(mask[i, t]):
                continue
            lp, lo, lr, a = float(logp[i, t]), float(old[i, t]), float(ref[i, t]), float(adv[i])
            ratio = math.exp(lp - lo)
            lo_c, hi_c = (1 - clip_eps, 1 + clip_eps) if clip == "both" else (-math.inf, 1 + clip_eps)
            clipped = min(max(ratio, lo_c), hi_c)
            s = (min if pick == "min" else max)(ratio * a, clipped * a)
            d = lr - lp
            k = math.exp(d) - d - 1 if kl == "k3" else (math.exp(-d) + d - 1 if kl == "k3_swapped" else -d)
            tl.append(-(s - kl_sign * beta * k))
            tk.append(k)
        seq_loss.append(sum(tl) / len(tl))
        seq_kl.append(sum(tk) / len(tk))
        all_loss += tl
        all_kl += tk
    if average == "token":
        return torch.tensor(sum(all_loss) / len(all_loss)).float(), torch.tensor(sum(all_kl) / len(all_kl)).float()
    return torch.tensor(sum(seq_loss) / N).float(), torch.tensor(sum(seq_kl) / N).float()


LOSS_MISTAKES = {
    "take the MINIMUM of ratio * A and clip(ratio) * A (the pessimistic bound), not the maximum": {"pick": "max"},
    "clip the ratio on both sides, to [1 - clip_eps, 1 + clip_eps]": {"clip": "upper"},
    "the KL term is a penalty: token_loss = -(surrogate - beta * kl)": {"kl_sign": -1},
    "kl = exp(ref_logp - logp) - (ref_logp - logp) - 1: the log-ratio is reference minus policy": {"kl": "k3_swapped"},
    "use the k3 estimator exp(d) - d - 1 with d = ref_logp - logp (always >= 0), not the plain log-ratio":
        {"kl": "k1"},
    "average each completion over its own tokens first, then over completions (not over all tokens at once)":
        {"average": "token"},
    "padding tokens (mask False) must not count": {"use_mask": False},
}


def loss_mistakes(args, clip_eps, beta, index):
    return {m: loss_ref(*args, clip_eps, beta, **kw)[index] for m, kw in LOSS_MISTAKES.items()}


def problem(N, T, seed, spread=0.5):
    g = torch.Generator().manual_seed(seed)
    old = -1.5 + 0.6 * torch.randn(N, T, generator=g)
    logp = old + spread * torch.randn(N, T, generator=g)  # ratios from ~0.4 to ~2.5: both clip edges
    ref = logp + 0.3 * torch.randn(N, T, generator=g)
    adv = torch.randn(N, generator=g)
    lengths = torch.randint(1, T + 1, (N,), generator=g)
    lengths[0] = T
    mask = torch.arange(T)[None, :] < lengths[:, None]
    junk = torch.randn(N, T, generator=g) * 3
    logp, old, ref = (torch.where(mask, x, junk) for x in (logp, old, ref))  # padding holds finite junk
    return logp, old, ref, adv, mask


def call_loss(solution, args, clip_eps, beta, what):
    got = solution.grpo_loss(*args, clip_eps, beta)
    if type(got) not in (tuple, list) or len(got) != 2:
        fail(f"{what}: grpo_loss must return (loss, mean_kl), got {describe(got)}")
    return got


@pytest.mark.parametrize("B,G", [(3, 4), (2, 2), (1, 16)], ids=["3 groups of 4", "groups of 2", "one group of 16"])
def test_group_advantages(solution, tolerance, B, G):
    """advantages relative to each group's mean and sample std"""
    g = torch.Generator().manual_seed(B * G)
    rewards = torch.randint(0, 3, (B, G), generator=g).float() + 0.5 * torch.rand(B, G, generator=g)
    rewards[0] += 5.0  # groups on different scales: batch-wide statistics would differ
    check(solution.group_advantages(rewards), adv_ref(rewards), f"group_advantages on {B} groups of {G}",
          lambda: adv_mistakes(rewards, 1e-4), tolerance)


def test_equal_rewards_and_eps(solution, tolerance):
    """a group of equal rewards gets 0; a non-default eps is used"""
    rewards = torch.tensor([[1.0, 1.0, 1.0], [0.0, 1.0, 1.0], [3.0, 3.0, 3.0]])
    got = solution.group_advantages(rewards)
    if type(got) is torch.Tensor and got.shape == rewards.shape and not torch.isfinite(got).all():
        fail("a group whose rewards are all equal gave nan or inf: add eps to the std, (r - mean) / (std + eps)")
    check(got, adv_ref(rewards), "groups with equal rewards", lambda: adv_mistakes(rewards, 1e-4), tolerance)
    check(solution.group_advantages(rewards, 0.5), adv_ref(rewards, 0.5), "eps = 0.5",
          lambda: {"the eps argument was ignored": adv_ref(rewards, 1e-4), **adv_mistakes(rewards, 0.5)}, tolerance)


@pytest.mark.parametrize("clip_eps,beta", [(0.2, 0.04), (0.1, 0.5)], ids=["defaults", "clip 0.1, beta 0.5"])
def test_loss(solution, tolerance, clip_eps, beta):
    """the clipped objective with the KL penalty equals a token-by-token reference"""
    args = problem(6, 9, seed=int(clip_eps * 100) + int(beta * 100))
    got = call_loss(solution, args, clip_eps, beta, f"clip_eps = {clip_eps}, beta = {beta}")
    want = loss_ref(*args, clip_eps, beta)
    check(got[0], want[0], f"clip_eps = {clip_eps}, beta = {beta}: loss",
          lambda: loss_mistakes(args, clip_eps, beta, 0), {"rtol": 1e-5, "atol": 1e-5})
    check(got[1], want[1], f"clip_eps = {clip_eps}, beta = {beta}: mean_kl",
          lambda: loss_mistakes(args, clip_eps, beta, 1), {"rtol": 1e-5, "atol": 1e-5})


def test_defaults(solution, tolerance):
    """the defaults clip_eps = 0.2 and beta = 0.04"""
    args = problem(4, 6, seed=7)
    got = solution.grpo_loss(*args)
    want = loss_ref(*args)
    check(got[0] if type(got) in (tuple, list) else got, want[0], "default clip_eps and beta: loss",
          lambda: loss_mistakes(args, 0.2, 0.04, 0), {"rtol": 1e-5, "atol": 1e-5})


def test_clip_edges(solution, tolerance):
    """each side of the clip, for positive and negative advantages"""
    ratios = torch.tensor([[0.5, 0.9, 1.1, 1.5], [0.5, 0.9, 1.1, 1.5]])
    old = torch.full((2, 4), -1.0)
    logp = old + torch.log(ratios)
    adv = torch.tensor([1.0, -1.0])
    mask = torch.ones(2, 4, dtype=torch.bool)
    args = (logp, old, logp.clone(), adv, mask)
    got = call_loss(solution, args, 0.2, 0.0, "ratios 0.5, 0.9, 1.1, 1.5 with A = +1 and -1")
    # A = +1: min(r, clip(r)) = 0.5, 0.9, 1.1, 1.2; A = -1: min(-r, -clip(r)) = -0.8, -0.9, -1.1, -1.5
    want = loss_ref(*args, 0.2, 0.0)
    check(got[0], want[0], "ratios 0.5, 0.9, 1.1, 1.5 with A = +1 and -1: loss",
          lambda: loss_mistakes(args, 0.2, 0.0, 0), {"rtol": 1e-5, "atol": 1e-6})


def test_kl_is_nonnegative_and_zero_at_reference(solution, tolerance):
    """mean_kl is 0 when the policy equals the reference and positive otherwise"""
    logp, old, ref, adv, mask = problem(3, 5, seed=9)
    got = call_loss(solution, (logp, old, logp.clone(), adv, mask), 0.2, 0.1, "ref_logp = logp")
    if abs(float(got[1])) > 1e-6:
        fail(f"ref_logp = logp: mean_kl should be 0, got {float(got[1]):.4g}")
    got = call_loss(solution, (logp, old, ref, adv, mask), 0.2, 0.1, "ref_logp != logp")
    want = loss_ref(logp, old, ref, adv, mask, 0.2, 0.1)
    check(got[1], want[1], "mean_kl with ref_logp != logp", lambda: loss_mistakes((logp, old, ref, adv, mask), 0.2, 0.1, 1),
          {"rtol": 1e-5, "atol": 1e-6})


def test_gradient(solution, tolerance):
    """the gradient with respect to logp matches autograd"""
    logp, old, ref, adv, mask = problem(5, 7, seed=11)
    try:
        got = solution.grpo_loss_grads(logp, old, ref, adv, mask, 0.2, 0.1)
    except SolutionRaised as exc:
        if "does not require grad" not in str(exc):
            raise
        got = (None, None)
    if type(got) not in (tuple, list) or len(got) != 2:
        fail(f"grpo_loss_grads must return (loss, grad) as the starter does; got {describe(got)}")
    if got[1] is None:
        fail("no gradient reached logp: compute the loss with torch operations on logp (no .item(), .detach(), numpy)")
    lp = logp.double().requires_grad_()
    d = ref.double() - lp
    ratio = torch.exp(lp - old.double())
    a = adv.double()[:, None]
    s = torch.min(ratio * a, ratio.clamp(0.8, 1.2) * a)
    tl = -(s - 0.1 * (torch.exp(d) - d - 1))
    m = mask.double()
    loss = ((tl * m).sum(1) / m.sum(1)).mean()
    (grad,) = torch.autograd.grad(loss, lp)
    assert_close(got[1], grad.float(), "d loss / d logp (padding positions must get 0)", rtol=1e-4, atol=1e-6)


def test_end_to_end(solution, tolerance):
    """group advantages of 2 prompts x 3 completions feed the loss"""
    rewards = torch.tensor([[1.0, 0.0, 0.5], [0.0, 0.0, 1.0]])
    adv = solution.group_advantages(rewards)
    check(adv, adv_ref(rewards), "group_advantages", lambda: adv_mistakes(rewards, 1e-4), tolerance)
    logp, old, ref, _, mask = problem(6, 5, seed=12)
    flat = adv_ref(rewards).reshape(-1)  # completion b * G + g belongs to prompt b
    got = call_loss(solution, (logp, old, ref, flat, mask), 0.2, 0.04, "end to end")
    check(got[0], loss_ref(logp, old, ref, flat, mask)[0], "end to end: loss",
          lambda: loss_mistakes((logp, old, ref, flat, mask), 0.2, 0.04, 0), {"rtol": 1e-5, "atol": 1e-5})
