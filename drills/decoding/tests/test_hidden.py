"""Hidden tests for decoding: a tiny table model on the judge's side, brute force for beam search."""

import itertools
import math

import numpy as np
import pytest
import torch

from mlprep.drills.compare import assert_frequencies, chi_square_p, describe, fail
from mlprep.drills.protocol import BlackBox

EOS = 0


class TableModel:
    """Logits for the next token from (position, current token): a decoder whose answers we can enumerate."""

    def __init__(self, table: torch.Tensor):
        self.table = table  # (P, V, V)
        self.calls = 0

    def __call__(self, ids):
        if type(ids) is not torch.Tensor or ids.dim() != 2 or ids.dtype != torch.int64:
            raise ValueError(f"model expects int64 ids of shape (B, T), got {describe(ids)}")
        self.calls += 1
        pos = torch.arange(ids.shape[1]) % self.table.shape[0]
        return self.table[pos[None, :], ids]  # (B, T, V)

    def next_logits(self, seq: list[int]) -> torch.Tensor:
        return self.table[(len(seq) - 1) % self.table.shape[0], seq[-1]]

    def box(self, max_calls=200):
        return BlackBox(self, name="model", max_calls=max_calls)


def random_model(seed, V=5, P=4, scale=2.0):
    g = torch.Generator().manual_seed(seed)
    return TableModel(torch.randn(P, V, V, generator=g) * scale)


def chain_model(V=6):
    """Greedy follows t -> t + 1 and ends at EOS after V - 1."""
    table = torch.randn(3, V, V, generator=torch.Generator().manual_seed(9)) * 0.1
    for t in range(V):
        table[:, t, (t + 1) % V] += 5.0
    table[:, 0, 0] += 10.0
    return TableModel(table)


def seq_logprob(model, prompt, tokens):
    seq, total = list(prompt), 0.0
    for tok in tokens:
        total += float(torch.log_softmax(model.next_logits(seq).double(), -1)[tok])
        seq.append(tok)
    return total


def brute_force(model, prompt, max_new):
    """The best continuation: ends with EOS or has max_new tokens, EOS only at the end."""
    V = model.table.shape[-1]
    best = (None, -math.inf)
    for n in range(1, max_new + 1):
        for body in itertools.product(range(1, V), repeat=n - 1):
            for last in range(V):
                tokens = [*body, last]
                if n < max_new and last != EOS:
                    continue
                score = seq_logprob(model, prompt, tokens)
                if score > best[1]:
                    best = (tokens, score)
    return best


def ids_result(got, what, rows, min_len, max_len):
    if type(got) is not torch.Tensor or got.dim() != 2 or got.shape[0] != rows or got.dtype != torch.int64:
        fail(f"{what}: expected int64 ids of shape ({rows}, T + n), got {describe(got)}")
    if not min_len <= got.shape[1] <= max_len:
        fail(f"{what}: expected between {min_len} and {max_len} columns (prompt + new tokens), got {got.shape[1]}")
    return got


def check_rows(model, prompt, out, max_new, pick_is_argmax=True):
    """Each row: model-consistent tokens up to its first EOS, EOS after it; stop when all are finished."""
    T = prompt.shape[1]
    if not torch.equal(out[:, :T], prompt):
        fail("the returned ids must start with the prompt, unchanged")
    finished_at = []
    for b in range(out.shape[0]):
        seq, done = prompt[b].tolist(), None
        for j, tok in enumerate(out[b, T:].tolist()):
            if done is not None:
                if tok != EOS:
                    fail(f"row {b} produced EOS at step {done} but then got token {tok}: finished rows are padded with EOS")
                continue
            if pick_is_argmax and tok != int(model.next_logits(seq).argmax()):
                fail(f"row {b}, step {j}: token {tok} is not the most likely next token")
            seq.append(tok)
            if tok == EOS:
                done = j
        finished_at.append(done)
    steps = out.shape[1] - T
    if steps < max_new and any(d is None for d in finished_at):
        row = next(b for b, d in enumerate(finished_at) if d is None)
        fail(f"generation stopped before row {row} produced EOS ({steps} of {max_new} steps): only finished rows "
             "stop; go on until every row has produced EOS or max_new_tokens is reached")
    if all(d is not None for d in finished_at) and steps > max(finished_at) + 1:
        fail(f"every row had finished after {max(finished_at) + 1} steps, but generation went on to {steps}: stop early")


def test_greedy_rows_finish_apart(solution):
    """greedy: rows that finish at different steps are padded, the rest go on"""
    model = chain_model()
    prompt = torch.tensor([[2, 5], [1, 3], [4, 1]])
    out = ids_result(solution.greedy(model.box(), prompt, 8, EOS), "greedy", 3, 3, 10)
    check_rows(model, prompt, out, 8)


def test_greedy_max_tokens(solution):
    """greedy: without EOS it stops after max_new_tokens"""
    model = random_model(1)
    model.table[:, :, EOS] = -1e4
    prompt = torch.tensor([[1], [2], [3], [4]])
    out = ids_result(solution.greedy(model.box(), prompt, 5, EOS), "greedy without EOS", 4, 2, 6)
    check_rows(model, prompt, out, 5)


def draw_once(solution, model, logits_row, n, **kw):
    prompt = torch.full((n, 1), 1, dtype=torch.int64)
    model.table[0, 1] = logits_row
    out = ids_result(solution.sample(model.box(), prompt, 1, EOS, seed=0, **kw), f"sample({kw})", n, 2, 2)
    return out[:, 1].numpy()


def filtered_probs(logits, temperature=1.0, top_k=None, top_p=None):
    z = (logits / temperature).double()
    keep = torch.ones_like(z, dtype=torch.bool)
    order = torch.argsort(z, descending=True)
    if top_k is not None:
        keep[order[top_k:]] = False
    if top_p is not None:
        p = torch.softmax(z, -1)[order]
        before = torch.cumsum(p, 0) - p
        keep[order[before >= top_p]] = False
    z = z.masked_fill(~keep, -math.inf)
    return torch.softmax(z, -1).numpy()


@pytest.mark.parametrize("kw", [{"top_k": 3, "temperature": 0.7}, {"temperature": 1.6}], ids=["top-k 3, T=0.7", "T=1.6"])
def test_sample_frequencies(solution, kw):
    """sampling frequencies match softmax(logits / T) restricted to the top k"""
    logits = torch.tensor([0.5, 2.0, 1.0, -1.0, 1.5, 0.0])
    draws = draw_once(solution, random_model(2, V=6), logits, 6000, **kw)
    expected = filtered_probs(logits, **kw)
    if chi_square_p(np.bincount(draws, minlength=6), expected) < 1e-4 and "temperature" in kw:
        plain = filtered_probs(logits, 1.0, kw.get("top_k"))
        if chi_square_p(np.bincount(draws, minlength=6), plain) >= 1e-4:
            fail(f"{kw}: the draws follow softmax(logits), not softmax(logits / temperature): the temperature was not applied")
    assert_frequencies(draws, expected, f"sample with {kw}")


def test_top_p_keeps_crossing_token(solution):
    """top-p keeps the token whose probability crosses p"""
    probs = torch.tensor([0.02, 0.40, 0.30, 0.18, 0.10])
    logits = probs.log()
    draws = draw_once(solution, random_model(3), logits, 4000, top_p=0.5)
    counts = np.bincount(draws, minlength=5)
    if counts[1] and not counts[2]:
        fail("top_p = 0.5 over probabilities [.02, .40, .30, .18, .10]: token 2 was never drawn; the token whose "
             "probability crosses p belongs to the nucleus ({1, 2} here)")
    assert_frequencies(draws, filtered_probs(logits, top_p=0.5), "top_p = 0.5")


def nucleus_then_temperature(logits, temperature, top_p):
    """The mistake: the nucleus chosen from softmax(logits), the draw from softmax(logits / T) inside it."""
    keep = filtered_probs(logits, top_p=top_p) > 0
    z = (logits / temperature).double().masked_fill(torch.from_numpy(~keep), -math.inf)
    return torch.softmax(z, -1).numpy()


def drops_crossing_token(logits, temperature, top_p):
    """Another mistake that can give the same draws: the nucleus without the token that crosses p."""
    probs = torch.softmax((logits / temperature).double(), -1)
    order = torch.argsort(probs, descending=True)
    keep = torch.zeros_like(probs, dtype=torch.bool)
    keep[order[torch.cumsum(probs[order], 0) < top_p]] = True
    keep[order[0]] = True
    return torch.where(keep, probs, 0.0).numpy() / float(probs[keep].sum())


# (temperature, p) chosen away from rounding: at T = 0.5, p = 0.75 the right nucleus has 2 tokens,
# the nucleus of the untempered probabilities 3; at T = 2, p = 0.6 the right one has 3, the other 2.
@pytest.mark.parametrize("temperature,top_p", [(0.5, 0.75), (2.0, 0.6)], ids=["T=0.5", "T=2"])
def test_top_p_after_temperature(solution, temperature, top_p):
    """top-p chooses its nucleus after the temperature is applied"""
    logits = torch.tensor([0.40, 0.25, 0.15, 0.10, 0.06, 0.04]).log()
    draws = draw_once(solution, random_model(5, V=6), logits, 6000, top_p=top_p, temperature=temperature)
    expected = filtered_probs(logits, temperature, top_p=top_p)
    counts = np.bincount(draws, minlength=6)

    def fits(probs):
        return bool(np.all(probs[draws] > 0)) and chi_square_p(counts, probs) >= 1e-4

    if not fits(expected) and fits(nucleus_then_temperature(logits, temperature, top_p)) \
            and not fits(drops_crossing_token(logits, temperature, top_p)):
        fail(f"top_p = {top_p}, temperature {temperature}: the nucleus was chosen before dividing by the temperature; "
             "divide the logits by the temperature first, then keep the tokens whose probability reaches p")
    assert_frequencies(draws, expected, f"sample with top_p = {top_p}, temperature {temperature}")


def test_second_step_distribution(solution):
    """the second sampled token follows the model's distribution given the first"""
    V, n = 5, 6000
    model = random_model(6, V=V, scale=1.0)
    model.table[:, :, EOS] = -1e4  # no row finishes: both steps are drawn for every row
    prompt = torch.full((n, 1), 2, dtype=torch.int64)
    out = ids_result(solution.sample(model.box(), prompt, 2, EOS, seed=3), "sample over 2 steps", n, 3, 3)
    first, second = out[:, 1].numpy(), out[:, 2].numpy()
    joint = torch.softmax(model.table[0, 2].double(), -1)[:, None] * torch.softmax(model.table[1].double(), -1)
    joint = joint.numpy().ravel()  # P(first = a) * P(second = b | first = a), cell a * V + b
    pairs = first.astype(np.int64) * V + second.astype(np.int64)
    if chi_square_p(np.bincount(pairs, minlength=V * V), joint) < 1e-4:
        fail("sampling 2 steps: the pairs (first token, second token) do not follow the model's distribution; draw each "
             "step from the last position's logits of the sequence so far, and draw each step with fresh random numbers "
             "from one generator seeded once (not re-seeded every step)")


def test_sample_pads_after_eos(solution):
    """sampling: rows that drew EOS are padded with EOS"""
    model = random_model(4)
    model.table[:, :, EOS] += 1.0
    prompt = torch.randint(1, 5, (50, 2), generator=torch.Generator().manual_seed(0))
    out = ids_result(solution.sample(model.box(), prompt, 6, EOS, seed=1), "sample", 50, 3, 8)
    check_rows(model, prompt, out, 6, pick_is_argmax=False)


def beam(solution, model, prompt, beam_size, max_new):
    got = solution.beam_search(model.box(), torch.tensor(prompt), beam_size, max_new, EOS)
    if type(got) not in (tuple, list) or len(got) != 2:
        fail(f"beam_search must return (tokens, score), got {describe(got)}")
    tokens, score = got
    if type(tokens) is torch.Tensor:
        tokens = tokens.tolist()
    if type(tokens) is not list or not all(type(t) is int for t in tokens):
        fail(f"beam_search: tokens must be a list of ints, got {describe(tokens)}")
    if type(score) is torch.Tensor and score.numel() == 1:
        score = score.item()
    if type(score) not in (int, float):
        fail(f"beam_search: the score must be a float, got {describe(score)}")
    if score > 1e-9:
        fail(f"beam_search returned the score {score:.4g} > 0: scores must add log-probabilities (log_softmax), "
             "not probabilities (softmax)")
    if EOS in tokens[:-1]:
        fail(f"beam_search returned {tokens}, with tokens after EOS: a finished hypothesis must be set aside, "
             "not extended")
    if not 1 <= len(tokens) <= max_new:
        fail(f"beam_search returned {len(tokens)} new tokens; expected 1 to {max_new}")
    true = seq_logprob(model, prompt, tokens)
    if not math.isclose(score, true, rel_tol=1e-4, abs_tol=1e-5):
        fail(f"beam_search returned the score {score:.6g} for {tokens}, but its summed log-probability is {true:.6g}")
    return tokens, score


@pytest.mark.parametrize("seed", [11, 12, 13], ids=["model 1", "model 2", "model 3"])
def test_beam_wide_is_exact(solution, seed):
    """a beam wide enough to keep every hypothesis finds the brute-force best sequence"""
    model = random_model(seed)
    model.table[:, :, EOS] += 1.5
    prompt = [1, 3]
    tokens, score = beam(solution, model, prompt, beam_size=125, max_new=3)
    best, best_score = brute_force(model, prompt, 3)
    if tokens != best:
        fail(f"with a beam wide enough to keep every hypothesis, the best continuation is {best} "
             f"(log-prob {best_score:.4f}); beam_search returned {tokens} ({score:.4f})")


def test_beam_beats_greedy(solution):
    """two beams find the sequence that greedy misses"""
    V = 4
    table = torch.full((2, V, V), -20.0)
    table[0, 3] = torch.tensor([0.05, 0.5, 0.4, 0.05]).log()  # first step: greedy prefers 1
    table[1, 1] = torch.tensor([0.25, 0.25, 0.25, 0.25]).log()  # after 1: nothing is likely
    table[1, 2] = torch.tensor([0.9, 0.04, 0.03, 0.03]).log()  # after 2: EOS at 0.9
    model = TableModel(table)
    tokens, score = beam(solution, model, [3], beam_size=2, max_new=2)
    if tokens != [2, EOS]:
        fail(f"with 2 beams, [2, EOS] (probability 0.36) beats greedy's path through token 1 (0.125); got {tokens}")
