"""Hidden tests for beam_search_batched: a table model on the judge's side (logits from the position
and the last two tokens), a brute-force search over every continuation for wide beams, and a plain
re-implementation of the prompt's rules for narrow beams, whose knobs name the classic mistakes."""

import itertools
import math

import pytest
import torch

from mlprep.drills.compare import describe, fail
from mlprep.drills.protocol import BlackBox
from mlprep.drills.proxy import SolutionRaised

EOS = 0


class TableModel:
    """Next-token logits from (position, previous token, current token)."""

    def __init__(self, seed, V=4, P=6, scale=2.0):
        g = torch.Generator().manual_seed(seed)
        self.table = torch.randn(P, V, V, V, generator=g) * scale
        self.V = V

    def __call__(self, ids):
        if type(ids) is not torch.Tensor or ids.dim() != 2 or ids.dtype != torch.int64:
            raise ValueError(f"model expects int64 ids of shape (n, L), got {describe(ids)}")
        L = ids.shape[1]
        prev = torch.cat([torch.zeros_like(ids[:, :1]), ids[:, :-1]], dim=1)
        pos = (torch.arange(L) % self.table.shape[0])[None, :].expand_as(ids)
        return self.table[pos, prev, ids]  # (n, L, V)

    def logp(self, seq):
        prev = seq[-2] if len(seq) > 1 else 0
        return torch.log_softmax(self.table[(len(seq) - 1) % self.table.shape[0], prev, seq[-1]].double(), -1)


def final(total, n, lp, mode="eos_counts"):
    return total / (n if mode == "eos_counts" else max(n - 1, 1)) ** lp


def brute_force(model, prompt, max_new, lp):
    best = (None, -math.inf)
    V = model.V
    for n in range(1, max_new + 1):
        for tokens in itertools.product(range(V), repeat=n):
            if EOS in tokens[:-1] or (n < max_new and tokens[-1] != EOS):
                continue
            seq, total = list(prompt), 0.0
            for t in tokens:
                total += float(model.logp(seq)[t])
                seq.append(t)
            score = final(total, n, lp)
            if score > best[1] + 1e-12:
                best = (list(tokens), score)
    return best


def rules(model, prompt, beams, max_new, lp, eos_rank="top", refill=True, finish_live=True, length="eos_counts",
          scores_from="logp"):
    """The prompt's rules for one prompt; knobs reproduce classic mistakes."""
    live, finished, order = [(list(prompt), [], 0.0)], [], 0
    for _ in range(max_new):
        cands = []
        for rank_parent, (full, gen, s) in enumerate(live):
            row = model.logp(full) if scores_from == "logp" else \
                model.table[(len(full) - 1) % model.table.shape[0], full[-2] if len(full) > 1 else 0, full[-1]].double()
            for tok in range(model.V):
                total = s + float(row[tok])
                cands.append((-total, rank_parent, tok, full, gen, total))
        cands.sort(key=lambda c: c[:3])
        new = []
        for rank, (_, _, tok, full, gen, total) in enumerate(cands):
            if tok == EOS:
                if eos_rank == "any" or rank < beams:
                    finished.append((final(total, len(gen) + 1, lp, length), order, gen + [tok]))
                    order += 1
            elif len(new) < beams and (refill or rank < beams):
                new.append((full + [tok], gen + [tok], total))
        live = new
        if not live:
            break
    for _, gen, total in live if finish_live else []:
        finished.append((final(total, len(gen), lp, length), order, gen))
        order += 1
    if not finished:
        return None, math.nan
    best = max(finished, key=lambda h: (h[0], -h[1]))
    return best[2], best[0]


MISTAKES = {
    "an EOS candidate is finished only if it ranks among the first num_beams candidates; lower ones are "
    "discarded": {"eos_rank": "any"},
    "refill the beam: when EOS candidates take top places, the next best non-EOS candidates become live "
    "hypotheses, up to num_beams": {"refill": False},
    "after the last step the live hypotheses are finished too (without EOS) and compete with the others":
        {"finish_live": False},
    "the length in the penalty counts the generated tokens including EOS": {"length": "eos_excluded"},
    "scores are sums of log_softmax log-probabilities, not of raw logits": {"scores_from": "logits"},
}


def run(solution, model, prompts, beams, max_new, lp, what):
    box = BlackBox(model, name="model", max_calls=max_new)
    try:
        got = solution.beam_search_batched(box, prompts, beams, max_new, EOS, lp)
    except SolutionRaised as exc:
        if "called more than" in str(exc):
            fail(f"{what}: the model was called more than {max_new} times: call it once per step, with every live "
                 "hypothesis of every prompt stacked into one batch")
        raise
    if type(got) not in (tuple, list) or len(got) != 2 or type(got[0]) not in (list, tuple) or \
            type(got[1]) not in (list, tuple) or len(got[0]) != len(prompts) or len(got[1]) != len(prompts):
        fail(f"{what}: expected (tokens, scores), two lists of {len(prompts)}; got {describe(got)[:160]}")
    tokens = []
    for t in got[0]:
        if type(t) not in (list, tuple) or any(type(x) is not int for x in t):
            fail(f"{what}: each answer must be a list of ints, got {describe(t)}")
        tokens.append(list(t))
    scores = []
    for s in got[1]:
        if type(s) not in (int, float) and not (type(s) is torch.Tensor and s.numel() == 1):
            fail(f"{what}: each score must be a float, got {describe(s)}")
        scores.append(float(s))
    return tokens, scores


def compare(solution, model, prompts, beams, max_new, lp, what, oracle):
    tokens, scores = run(solution, model, prompts, beams, max_new, lp, what)
    for b, prompt in enumerate(prompts.tolist()):
        want_tokens, want_score = oracle(prompt)
        if tokens[b] == want_tokens and math.isclose(scores[b], want_score, rel_tol=1e-5, abs_tol=1e-6):
            continue
        for message, knobs in MISTAKES.items():
            alt = rules(model, prompt, beams, max_new, lp, **knobs)
            if tokens[b] == alt[0] and math.isclose(scores[b], alt[1], rel_tol=1e-5, abs_tol=1e-6) and alt[0] != want_tokens:
                fail(f"{what}, prompt {b}: {message}")
        fail(f"{what}, prompt {b} {prompt}: expected {want_tokens} with score {want_score:.6g}, got {tokens[b]} with "
             f"score {scores[b]:.6g}")


@pytest.mark.parametrize("lp", [1.0, 0.0, 2.0], ids=["length_penalty 1", "length_penalty 0", "length_penalty 2"])
def test_wide_beams_equal_brute_force(solution, lp):
    """beams wide enough to keep everything find the best continuation"""
    model = TableModel(seed=int(lp * 10) + 1)
    prompts = torch.tensor([[1, 2], [3, 3], [2, 1]])
    max_new = 4
    beams = model.V * (model.V - 1) ** (max_new - 1)  # every candidate of the last step fits
    compare(solution, model, prompts, beams, max_new, lp, f"{beams} beams, {max_new} new tokens, length_penalty {lp}",
            lambda p: brute_force(model, p, max_new, lp))


@pytest.mark.parametrize("beams,lp,seed", [(1, 1.0, 3), (2, 1.0, 4), (3, 0.5, 5), (2, 0.0, 6)],
                         ids=["1 beam", "2 beams", "3 beams, length_penalty 0.5", "2 beams, length_penalty 0"])
def test_narrow_beams_follow_the_rules(solution, beams, lp, seed):
    """narrow beams prune exactly as the rules say"""
    model = TableModel(seed=seed, V=5)
    g = torch.Generator().manual_seed(seed)
    prompts = torch.randint(1, 5, (6, 3), generator=g)
    compare(solution, model, prompts, beams, 5, lp, f"{beams} beams, 5 new tokens, length_penalty {lp}",
            lambda p: rules(model, p, beams, 5, lp))


def test_eos_heavy_model(solution):
    """a model that often ends early: EOS ranking and refilling matter"""
    model = TableModel(seed=7, V=4)
    model.table[..., EOS] += 1.5
    g = torch.Generator().manual_seed(8)
    prompts = torch.randint(1, 4, (8, 2), generator=g)
    compare(solution, model, prompts, 2, 6, 1.0, "EOS-heavy model, 2 beams, 6 new tokens",
            lambda p: rules(model, p, 2, 6, 1.0))


class LastTokenModel:
    """Next-token logits from the last token only, written out by hand."""

    def __init__(self, probs):
        self.logits = torch.log(torch.tensor(probs))
        self.V = self.logits.shape[0]
        self.table = self.logits[None, None]  # (1, 1, V, V): position and previous token do not matter

    def __call__(self, ids):
        return self.logits[ids]

    def logp(self, seq):
        return torch.log_softmax(self.logits[seq[-1]].double(), -1)


def test_low_ranked_eos_is_discarded(solution):
    """an EOS candidate below the top num_beams is discarded"""
    # after token 1: p(2) = 0.6 ranks first, p(EOS) = 0.37 second; after token 2 nothing is good
    model = LastTokenModel([[0.2, 0.4, 0.4], [0.37, 0.03, 0.6], [0.2, 0.4, 0.4]])
    compare(solution, model, torch.tensor([[1]]), 1, 2, 0.0,
            "1 beam, 2 new tokens, length_penalty 0, EOS ranked second at the first step",
            lambda p: rules(model, p, 1, 2, 0.0))


def test_one_new_token(solution):
    """max_new_tokens = 1: the best single token (EOS or not)"""
    model = TableModel(seed=9, V=5)
    prompts = torch.tensor([[1], [2], [3], [4]])
    compare(solution, model, prompts, 3, 1, 1.0, "1 new token, 3 beams", lambda p: brute_force(model, p, 1, 1.0))


def test_single_prompt_and_defaults(solution):
    """a batch of one prompt and the default length_penalty"""
    model = TableModel(seed=10, V=4)
    prompts = torch.tensor([[2, 3, 1]])
    box = BlackBox(model, name="model", max_calls=4)
    got = solution.beam_search_batched(box, prompts, 3, 4, EOS)
    want = rules(model, prompts[0].tolist(), 3, 4, 1.0)
    if type(got) not in (tuple, list) or len(got) != 2 or list(got[0][0]) != want[0] or \
            not math.isclose(float(got[1][0]), want[1], rel_tol=1e-5, abs_tol=1e-6):
        fail(f"one prompt, default length_penalty (1.0): expected ({[want[0]]}, [{want[1]:.6g}]), got {describe(got)[:160]}")
