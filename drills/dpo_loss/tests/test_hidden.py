"""Hidden tests for dpo_loss: float64 closed forms (log_softmax + gather for the sequence
log-probabilities; the DPO formula with F.logsigmoid) and autograd on them for the gradients;
classic mistakes (mean instead of sum, no reference, swapped sign, beta outside the sigmoid, ...) named."""

import pytest
import torch
import torch.nn.functional as F

from mlprep.drills.compare import DrillFailure, assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.proxy import SolutionRaised


def check(got, want, what, mistakes, tolerance):
    try:
        assert_close(got, want, what, **tolerance)
    except DrillFailure:
        assert_close_or_named(got, want, what, mistakes(), **tolerance)


def seq_ref(logits, labels, mask, kind="sum"):
    lp = torch.log_softmax(logits.double(), dim=-1)
    if kind == "raw":
        lp = logits.double()
    elif kind == "prob":
        lp = torch.softmax(logits.double(), dim=-1)
    tok = lp.gather(-1, labels.masked_fill(~mask, 0)[..., None])[..., 0]
    if kind == "nomask":
        return tok.sum(-1).float()
    tok = tok * mask
    if kind == "mean":
        return (tok.sum(-1) / mask.sum(-1).clamp_min(1)).float()
    if kind == "prob":
        return torch.log(tok.sum(-1)).float()
    return tok.sum(-1).float()


def seq_mistakes(logits, labels, mask):
    return {
        "sum the token log-probabilities (the log of the answer's probability), do not average them":
            seq_ref(logits, labels, mask, "mean"),
        "take log_softmax of the logits first: a raw logit is not a log-probability": seq_ref(logits, labels, mask, "raw"),
        "sum LOG-probabilities: the log of a sum of probabilities is not the answer's log-probability":
            seq_ref(logits, labels, mask, "prob"),
        "only the answer's tokens count: multiply by the mask (prompt and padding are False)":
            seq_ref(logits, labels, mask, "nomask"),
    }


def dpo_ref(pc, pr, rc, rr, beta=0.1, eps=0.0, kind="ok"):
    pc, pr, rc, rr = (t.double() for t in (pc, pr, rc, rr))
    cr, rj = beta * (pc - rc), beta * (pr - rr)
    if kind == "noref":
        cr, rj = beta * pc, beta * pr
    z = cr - rj
    if kind == "flip":
        z = -z
    if kind == "beta_outside":
        z = z / beta
    losses = -(1 - eps) * F.logsigmoid(z) - eps * F.logsigmoid(-z)
    if kind == "beta_outside":
        losses = beta * losses
    if kind == "eps_swapped":
        losses = -eps * F.logsigmoid(z) - (1 - eps) * F.logsigmoid(-z)
    loss = losses.sum() if kind == "sum" else losses.mean()
    return loss.float(), cr.float(), rj.float()


def dpo_mistakes(pc, pr, rc, rr, beta, eps, index):
    named = {
        "the reference model's log-probabilities were ignored: rewards are beta * (policy - reference)":
            {"kind": "noref"},
        "z = chosen_rewards - rejected_rewards (chosen first): the sign is flipped": {"kind": "flip"},
        "beta multiplies the log-ratios inside the sigmoid, not the loss outside it": {"kind": "beta_outside"},
        "the loss is the MEAN over the batch, not the sum": {"kind": "sum"},
    }
    if eps:
        named["label smoothing: (1 - eps) weighs -log sigmoid(z) and eps weighs -log sigmoid(-z)"] = {"kind": "eps_swapped"}
    return {m: dpo_ref(pc, pr, rc, rr, beta, eps, **kw)[index] for m, kw in named.items()}


def batch(B, seed, spread=3.0):
    g = torch.Generator().manual_seed(seed)
    return tuple(-10 + spread * torch.randn(B, generator=g) for _ in range(4))


def answer_batch(B, T, V, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(B, T, V, generator=g) * 2
    labels = torch.randint(0, V, (B, T), generator=g)
    start = torch.randint(1, T // 2, (B,), generator=g)
    length = torch.randint(1, T // 2, (B,), generator=g)
    pos = torch.arange(T)[None, :]
    mask = (pos >= start[:, None]) & (pos < (start + length)[:, None])
    labels = labels.masked_fill(~mask, -100)
    return logits, labels, mask


def call_seq(solution, logits, labels, mask):
    try:
        return solution.sequence_logprob(logits, labels, mask)
    except SolutionRaised as exc:
        if "out of bounds" in str(exc) or "index" in str(exc).lower():
            fail(f"sequence_logprob raised ({str(exc)[:100]}): masked positions may hold the label -100; replace "
                 "masked labels (e.g. by 0) before gathering, and multiply by the mask")
        raise


def test_sequence_logprob(solution, tolerance):
    """sum of the answer tokens' log-probabilities, prompt and padding masked"""
    logits, labels, mask = answer_batch(4, 12, 9, seed=0)
    check(call_seq(solution, logits, labels, mask), seq_ref(logits, labels, mask),
          "sequence_logprob on (4, 12, 9)", lambda: seq_mistakes(logits, labels, mask), {"rtol": 1e-5, "atol": 1e-5})


def test_sequence_logprob_empty_and_full(solution, tolerance):
    """a row with no answer token gives 0; a fully True row sums every token"""
    g = torch.Generator().manual_seed(1)
    logits, labels = torch.randn(3, 5, 6, generator=g), torch.randint(0, 6, (3, 5), generator=g)
    mask = torch.tensor([[False] * 5, [True] * 5, [False, True, False, True, False]])
    labels = torch.where(mask, labels, torch.full_like(labels, -100))
    check(call_seq(solution, logits, labels, mask), seq_ref(logits, labels, mask),
          "sequence_logprob with an empty, a full and a scattered mask", lambda: seq_mistakes(logits, labels, mask),
          {"rtol": 1e-5, "atol": 1e-5})


def test_dpo_values(solution, tolerance):
    """loss and rewards equal the DPO formula"""
    pc, pr, rc, rr = batch(8, seed=2)
    got = solution.dpo_loss(pc, pr, rc, rr, 0.2)
    if type(got) not in (tuple, list) or len(got) != 3:
        fail(f"dpo_loss must return (loss, chosen_rewards, rejected_rewards), got {describe(got)}")
    want = dpo_ref(pc, pr, rc, rr, 0.2)
    for i, name in enumerate(("loss", "chosen_rewards", "rejected_rewards")):
        check(got[i], want[i], f"beta = 0.2: {name}", lambda i=i: dpo_mistakes(pc, pr, rc, rr, 0.2, 0.0, i), tolerance)


def test_defaults(solution, tolerance):
    """the defaults: beta = 0.1, no label smoothing"""
    pc, pr, rc, rr = batch(5, seed=3)
    got = solution.dpo_loss(pc, pr, rc, rr)
    want = dpo_ref(pc, pr, rc, rr)
    check(got[0], want[0], "default beta and label smoothing: loss",
          lambda: {"the default beta is 0.1": dpo_ref(pc, pr, rc, rr, 1.0)[0], **dpo_mistakes(pc, pr, rc, rr, 0.1, 0.0, 0)},
          tolerance)


def test_label_smoothing(solution, tolerance):
    """label smoothing mixes in the loss of the flipped preference"""
    pc, pr, rc, rr = batch(6, seed=4)
    got = solution.dpo_loss(pc, pr, rc, rr, 0.5, 0.2)
    check(got[0], dpo_ref(pc, pr, rc, rr, 0.5, 0.2)[0], "beta = 0.5, label_smoothing = 0.2: loss",
          lambda: {"label_smoothing was ignored": dpo_ref(pc, pr, rc, rr, 0.5, 0.0)[0],
                   **dpo_mistakes(pc, pr, rc, rr, 0.5, 0.2, 0)}, tolerance)


def test_large_margins(solution, tolerance):
    """margins in the hundreds keep the loss finite and exact"""
    pc = torch.tensor([-10.0, -900.0, -10.0, -500.0])
    pr = torch.tensor([-900.0, -10.0, -500.0, -10.0])
    rc = torch.full((4,), -50.0)
    rr = torch.full((4,), -50.0)
    got = solution.dpo_loss(pc, pr, rc, rr, 1.0)
    if type(got) in (tuple, list) and len(got) == 3 and type(got[0]) is torch.Tensor and not torch.isfinite(got[0]).all():
        fail("margins of hundreds gave an infinite or nan loss: log(sigmoid(z)) underflows; use F.logsigmoid(z)")
    check(got[0], dpo_ref(pc, pr, rc, rr, 1.0)[0], "margins of +-890 and +-490", lambda: {}, tolerance)
    got = solution.dpo_loss(pc, pr, rc, rr, 1.0, 0.1)
    check(got[0], dpo_ref(pc, pr, rc, rr, 1.0, 0.1)[0], "margins of +-890 and +-490 with label smoothing 0.1",
          lambda: {}, tolerance)


@pytest.mark.parametrize("beta,eps", [(0.1, 0.0), (2.0, 0.3)], ids=["beta 0.1", "beta 2, smoothing 0.3"])
def test_gradients(solution, tolerance, beta, eps):
    """gradients with respect to the policy log-probabilities match autograd"""
    pc, pr, rc, rr = batch(6, seed=5)
    try:
        got = solution.dpo_loss_grads(pc, pr, rc, rr, beta, eps)
    except SolutionRaised as exc:
        if "does not require grad" not in str(exc):
            raise
        got = (None, None, None)
    if type(got) not in (tuple, list) or len(got) != 3:
        fail(f"dpo_loss_grads must return (loss, grad_chosen, grad_rejected) as the starter does; got {describe(got)}")
    if got[1] is None or got[2] is None:
        fail("no gradient reached the policy log-probabilities: the loss must be computed with torch operations on "
             "the inputs (no .item(), .detach(), numpy or new tensors built from their values)")
    a, b = pc.double().requires_grad_(), pr.double().requires_grad_()
    loss = dpo_ref(a, b, rc, rr, beta, eps)[0]
    ga, gb = torch.autograd.grad(loss.double(), (a, b))
    assert_close(got[1], ga.float(), f"beta = {beta}, smoothing = {eps}: d loss / d policy_chosen_logps", **tolerance)
    assert_close(got[2], gb.float(), f"beta = {beta}, smoothing = {eps}: d loss / d policy_rejected_logps", **tolerance)


def test_end_to_end(solution, tolerance):
    """sequence log-probabilities of chosen and rejected answers into the loss"""
    lc, yc, mc = answer_batch(3, 10, 7, seed=6)
    lr, yr, mr = answer_batch(3, 10, 7, seed=7)
    ref_c, ref_r = seq_ref(lc * 0.8, yc, mc), seq_ref(lr * 1.2, yr, mr)
    pc = solution.sequence_logprob(lc, yc, mc)
    pr = solution.sequence_logprob(lr, yr, mr)
    assert_close(pc, seq_ref(lc, yc, mc), "chosen answers' log-probabilities", rtol=1e-5, atol=1e-5)
    assert_close(pr, seq_ref(lr, yr, mr), "rejected answers' log-probabilities", rtol=1e-5, atol=1e-5)
    got = solution.dpo_loss(pc, pr, ref_c, ref_r, 0.3)
    want = dpo_ref(pc, pr, ref_c, ref_r, 0.3)
    check(got[0], want[0], "end to end: loss", lambda: dpo_mistakes(pc, pr, ref_c, ref_r, 0.3, 0.0, 0), tolerance)
