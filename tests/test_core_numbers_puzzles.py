"""Numbers stated in the probability-puzzles bank and in the newer topic banks (reinforcement learning,
generative models, graph neural networks, vision-language, experimentation, privacy-fairness,
sql-data) recomputed from scratch.

Puzzles are solved exactly where possible (``fractions.Fraction``, linear systems over first-step
states, enumeration) and otherwise simulated with a fixed seed; each simulation's tolerance is at
least four standard errors of the estimate. Each test then checks that the question's answer or
correct choice states the value, and for choice questions that no wrong choice states it too.
"""

from __future__ import annotations

import itertools
import math
import re
import sqlite3
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from mlprep.bank import load_questions
from mlprep.schema import Question

CORE = Path(__file__).resolve().parent.parent / "questions" / "core"
TOPICS = (
    "probability-puzzles",
    "reinforcement-learning",
    "generative-models",
    "graph-neural-networks",
    "vision-language",
    "experimentation",
    "privacy-fairness",
    "sql-data",
)
NUMBER_RE = re.compile(r"(?<![\w.])-?\d+(?:,\d{3})*(?:\.\d+)?(?:e-?\d+)?")


@pytest.fixture(scope="module")
def bank() -> dict[str, Question]:
    files = [CORE / f"{topic}.yaml" for topic in TOPICS if (CORE / f"{topic}.yaml").exists()]
    return {q.id: q for q in load_questions(files)}


def get(bank: dict[str, Question], qid: str) -> Question:
    if qid not in bank:
        pytest.skip(f"{qid} is not in the bank")
    return bank[qid]


def numbers(text: str) -> list[float]:
    return [float(m.group().replace(",", "")) for m in NUMBER_RE.finditer(text)]


def states(text: str, expected: list[float], tol: float) -> bool:
    """Whether ``text`` states the ``expected`` values in order (other numbers may sit between)."""
    found = iter(numbers(text))
    return all(any(math.isclose(x, e, rel_tol=0, abs_tol=tol) for x in found) for e in expected)


def says_fraction(text: str, value: Fraction) -> bool:
    """``text`` writes ``value`` as a/b (or \\frac{a}{b}) in lowest terms, as a whole token."""
    a, b = value.numerator, value.denominator
    return bool(
        re.search(rf"(?<![\d.]){a}\s*/\s*{b}(?![\d])", text) or re.search(rf"\\frac\{{{a}\}}\{{{b}\}}", text)
    )


def stated(q: Question) -> str:
    return "\n".join(part for part in (q.answer, q.correct, q.explanation) if part)


def check_choice(q: Question, expected: list[float], tol: float, *, only_correct: bool = True) -> None:
    assert q.kind == "choice", q.id
    assert states(q.correct or "", expected, tol), f"{q.id}: correct choice {q.correct!r} != {expected}"
    for wrong in q.choices if only_correct else []:
        if wrong != q.correct:
            assert not states(wrong, expected, tol), f"{q.id}: wrong choice {wrong!r} also states {expected}"


def check_choice_fraction(q: Question, value: Fraction) -> None:
    assert q.kind == "choice", q.id
    assert says_fraction(q.correct or "", value), f"{q.id}: correct choice {q.correct!r} is not {value}"
    for wrong in q.choices:
        if wrong != q.correct:
            assert not says_fraction(wrong, value), f"{q.id}: wrong choice {wrong!r} also says {value}"


def check_answer(q: Question, expected: list[float], tol: float) -> None:
    assert states(stated(q), expected, tol), f"{q.id}: answer does not state {expected}:\n{q.answer}"


def check_answer_fraction(q: Question, *values: Fraction) -> None:
    for value in values:
        assert says_fraction(stated(q), value), f"{q.id}: answer does not say {value}:\n{q.answer}"


# --- exact solvers ------------------------------------------------------------------------------


def solve(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    """Gauss-Jordan elimination over the rationals."""
    n = len(rhs)
    a = [row[:] + [r] for row, r in zip(matrix, rhs)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if a[r][col] != 0)
        a[col], a[pivot] = a[pivot], a[col]
        a[col] = [x / a[col][col] for x in a[col]]
        for r in range(n):
            if r != col and a[r][col] != 0:
                factor = a[r][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col])]
    return [row[-1] for row in a]


def expected_hitting_times(transitions: dict, targets: set) -> dict:
    """E[steps to reach ``targets``] from each state of a finite chain, exactly.

    ``transitions[s]`` is a list of (probability, next_state)."""
    states_ = [s for s in transitions if s not in targets]
    index = {s: i for i, s in enumerate(states_)}
    matrix = [[Fraction(0)] * len(states_) for _ in states_]
    for s in states_:
        i = index[s]
        matrix[i][i] += 1
        for p, t in transitions[s]:
            if t not in targets:
                matrix[i][index[t]] -= p
    times = solve(matrix, [Fraction(1)] * len(states_))
    return dict(zip(states_, times))


def pattern_waiting_time(pattern: str, alphabet: dict[str, Fraction]) -> Fraction:
    """Expected number of draws until ``pattern`` appears, by first-step analysis on the prefix automaton."""

    def advance(prefix: str, symbol: str) -> str:
        s = prefix + symbol
        while s and not pattern.startswith(s):
            s = s[1:]
        return s

    prefixes = [pattern[:k] for k in range(len(pattern) + 1)]
    transitions = {p: [(prob, advance(p, sym)) for sym, prob in alphabet.items()] for p in prefixes}
    return expected_hitting_times(transitions, {pattern})[""]


COIN = {"H": Fraction(1, 2), "T": Fraction(1, 2)}
DIE_SIX = {"6": Fraction(1, 6), "x": Fraction(5, 6)}


def ruin(p: Fraction, start: int, target: int) -> tuple[Fraction, Fraction]:
    """(probability of reaching ``target`` before 0, expected number of bets) for a ±1 walk."""
    q = 1 - p
    inner = list(range(1, target))
    idx = {k: i for i, k in enumerate(inner)}
    n = len(inner)
    matrix = [[Fraction(0)] * n for _ in range(n)]
    win_rhs = [Fraction(0)] * n
    for k in inner:
        i = idx[k]
        matrix[i][i] = Fraction(1)
        for prob, nxt in ((p, k + 1), (q, k - 1)):
            if nxt == target:
                win_rhs[i] += prob
            elif nxt != 0:
                matrix[i][idx[nxt]] -= prob
    win = solve(matrix, win_rhs)
    steps = solve(matrix, [Fraction(1)] * n)
    return win[idx[start]], steps[idx[start]]


# --- waiting times for patterns -------------------------------------------------------------------


def test_hh_and_ht_waiting_times(bank):
    hh, ht = pattern_waiting_time("HH", COIN), pattern_waiting_time("HT", COIN)
    assert (hh, ht) == (6, 4)
    check_choice(get(bank, "probability-puzzles.expected-flips-hh"), [6], 1e-9)
    check_answer(get(bank, "probability-puzzles.expected-flips-hh"), [4], 1e-9)
    q = get(bank, "probability-puzzles.ht-vs-hh")
    assert states(q.question, [4, 6], 1e-9)
    check_answer(q, [2, 2, 4], 1e-9)


def test_hhh_waiting_time(bank):
    value = pattern_waiting_time("HHH", COIN)
    assert value == 2**4 - 2
    check_answer(get(bank, "probability-puzzles.expected-flips-hhh"), [value], 1e-9)


def test_th_beats_hh(bank):
    # Only HH on the first two flips lets HH win: every other history contains a T before any HH.
    rng = np.random.default_rng(1)
    flips = rng.integers(0, 2, size=(20_000, 60))  # 1 = heads; 60 flips settle the race almost surely
    hh_first = (flips[:, 0] == 1) & (flips[:, 1] == 1)
    assert math.isclose(1 - hh_first.mean(), 0.75, abs_tol=4 * math.sqrt(0.75 * 0.25 / 20_000))
    check_choice_fraction(get(bank, "probability-puzzles.th-before-hh"), Fraction(3, 4))


def test_first_head_on_even_flip_and_alternating_game(bank):
    even = sum(Fraction(1, 2) ** (2 * k) for k in range(1, 200))
    assert abs(even - Fraction(1, 3)) < Fraction(1, 10**50)
    check_answer_fraction(get(bank, "probability-puzzles.first-head-on-even-flip"), Fraction(1, 3))
    check_answer_fraction(get(bank, "probability-puzzles.alternating-first-head"), 1 - Fraction(1, 3))


def test_both_faces_seen(bank):
    # One flip, then a geometric wait with p = 1/2.
    value = 1 + 1 / Fraction(1, 2)
    check_answer(get(bank, "probability-puzzles.both-faces-seen"), [1, 2, float(value)], 1e-9)


def test_two_sixes_in_a_row(bank):
    value = pattern_waiting_time("66", DIE_SIX)
    assert value == 42
    check_answer(get(bank, "probability-puzzles.two-sixes-in-a-row"), [36, 42], 1e-9)


def test_conditioned_even_rolls(bank):
    # P(N = n and all rolls even) = (2/6)^(n-1) (1/6); normalise and take the mean.
    weights = [(Fraction(2, 6) ** (n - 1)) * Fraction(1, 6) for n in range(1, 200)]
    mean = sum(n * w for n, w in zip(range(1, 200), weights)) / sum(weights)
    assert math.isclose(float(mean), 1.5, abs_tol=1e-12)
    check_answer(get(bank, "probability-puzzles.conditioned-even-rolls"), [1.5], 1e-9)


# --- gambler's ruin and random walks ------------------------------------------------------------


def test_fair_gamblers_ruin(bank):
    win, steps = ruin(Fraction(1, 2), 3, 10)
    assert (win, steps) == (Fraction(3, 10), 21)
    check_choice(get(bank, "probability-puzzles.gamblers-ruin-fair"), [0.3], 1e-9)
    check_answer(get(bank, "probability-puzzles.gamblers-ruin-duration"), [21, 0.3, 100, 9, 21], 1e-9)


def test_biased_gamblers_ruin(bank):
    win, _ = ruin(Fraction(3, 5), 2, 4)
    assert win == Fraction(9, 13)
    q = get(bank, "probability-puzzles.gamblers-ruin-biased")
    check_choice(q, [float(win)], 5e-4)
    check_answer_fraction(q, win)


def test_ruin_against_an_infinite_bank(bank):
    # Against a bank of size N the ruin probability tends to (q/p)^k as N grows.
    win, _ = ruin(Fraction(3, 5), 2, 80)
    assert math.isclose(float(1 - win), 4 / 9, abs_tol=1e-9)
    q = get(bank, "probability-puzzles.ruin-against-infinite-bank")
    check_answer_fraction(q, Fraction(4, 9))
    check_answer(q, [4 / 9, 5 / 9], 5e-4)


def test_random_walk_exit_time(bank):
    _, steps = ruin(Fraction(1, 2), 5, 10)
    assert steps == 25
    check_answer(get(bank, "probability-puzzles.random-walk-exit-time"), [25], 1e-9)


def test_three_dimensional_return_probability(bank):
    # Polya: u = E[number of visits to 0] = (1/(2 pi)^3) * integral of 3 / (3 - cos x - cos y - cos z),
    # and the return probability is 1 - 1/u (about 0.3405). Midpoint rule on a grid that avoids the origin.
    n = 96
    t = (np.arange(n) + 0.5) / n * np.pi  # the integrand is even in each coordinate: integrate over [0, pi]^3
    c = np.cos(t)
    total = 0.0
    for cx in c:
        total += float((3.0 / (3.0 - cx - c[:, None] - c[None, :])).sum())
    u = total / n**3
    returns = 1 - 1 / u
    assert math.isclose(returns, 0.3405, abs_tol=0.01)
    q = get(bank, "probability-puzzles.random-walk-recurrence")
    check_answer(q, [round(returns, 2)], 0.011)
    assert "d = 1 and d = 2" == q.correct


def test_ballot_problem(bank):
    orders = set(itertools.permutations("AAABB"))
    ahead = [o for o in orders if all(o[: i + 1].count("A") > o[: i + 1].count("B") for i in range(5))]
    value = Fraction(len(ahead), len(orders))
    assert value == Fraction(1, 5) and len(orders) == 10
    check_choice_fraction(get(bank, "probability-puzzles.ballot-problem"), value)
    check_answer(get(bank, "probability-puzzles.ballot-problem"), [2, 10], 1e-9)


def test_ant_on_a_cube(bank):
    vertices = list(itertools.product((0, 1), repeat=3))
    transitions = {
        v: [(Fraction(1, 3), tuple(b ^ (i == j) for j, b in enumerate(v))) for i in range(3)] for v in vertices
    }
    times = expected_hitting_times(transitions, {(1, 1, 1)})
    assert (times[(0, 1, 1)], times[(0, 0, 1)], times[(0, 0, 0)]) == (7, 9, 10)
    q = get(bank, "probability-puzzles.ant-on-cube")
    check_choice(q, [10], 1e-9)
    check_answer(q, [7, 9, 10], 1e-9)


def test_knight_return_time(bank):
    moves = [(a, b) for a in (-2, -1, 1, 2) for b in (-2, -1, 1, 2) if abs(a) != abs(b)]
    degree = {
        (x, y): sum(0 <= x + a < 8 and 0 <= y + b < 8 for a, b in moves) for x in range(8) for y in range(8)
    }
    edges = sum(degree.values()) // 2
    assert edges == 168 and degree[(0, 0)] == 2
    check_answer(get(bank, "probability-puzzles.knight-return-time"), [168, 336, 2, 168], 1e-9)
    assert 2 * edges / degree[(0, 0)] == 168


def test_two_state_chain(bank):
    p = np.array([[0.9, 0.1], [0.3, 0.7]])
    pi = np.linalg.matrix_power(p, 200)[0]
    assert math.isclose(pi[1], 0.25, abs_tol=1e-12)
    check_answer(get(bank, "probability-puzzles.two-state-chain"), [pi[1]], 1e-9)


# --- coupon collector and counting ----------------------------------------------------------------


def harmonic(n: int) -> Fraction:
    return sum(Fraction(1, i) for i in range(1, n + 1))


def test_coupon_collector_die(bank):
    value = 6 * harmonic(6)
    assert value == Fraction(147, 10)
    check_choice(get(bank, "probability-puzzles.coupon-collector-die"), [float(value)], 1e-9)


def test_coupon_collector_hundred(bank):
    value = float(100 * harmonic(100))
    assert math.isclose(value, 100 * math.log(100) + 0.5772 * 100 + 0.5, abs_tol=0.01)
    check_answer(get(bank, "probability-puzzles.coupon-collector-scaling"), [round(value)], 1e-9)


def test_records_in_a_permutation(bank):
    value = float(harmonic(10))
    perms = np.random.default_rng(2).random((20_000, 10))
    records = (perms == np.maximum.accumulate(perms, axis=1)).sum(1)
    assert math.isclose(records.mean(), value, abs_tol=4 * records.std() / math.sqrt(20_000))
    check_answer(get(bank, "probability-puzzles.records-in-permutation"), [value], 5e-3)


def test_derangements_of_four(bank):
    perms = list(itertools.permutations(range(4)))
    deranged = sum(all(p[i] != i for i in range(4)) for p in perms)
    value = Fraction(deranged, len(perms))
    assert deranged == 9 and value == Fraction(3, 8)
    q = get(bank, "probability-puzzles.derangement-probability")
    check_choice_fraction(q, value)
    check_answer(q, [9, 24, 1 / math.e], 5e-4)


def test_birthday_match_with_you(bank):
    n = next(n for n in range(1, 2000) if 1 - (364 / 365) ** n > 0.5)
    assert n == 253
    q = get(bank, "probability-puzzles.birthday-match-yours")
    check_choice(q, [n], 1e-9)
    check_answer(q, [math.log(2) / -math.log(364 / 365)], 5e-3)


def test_birthday_expected_pairs(bank):
    value = math.comb(23, 2) / 365
    check_answer(get(bank, "probability-puzzles.birthday-expected-pairs"), [253, value, math.exp(-value)], 5e-3)


def test_de_mere(bank):
    one_six, double_six = 1 - (5 / 6) ** 4, 1 - (35 / 36) ** 24
    q = get(bank, "probability-puzzles.de-mere")
    assert q.correct.startswith("One six") and one_six > double_six
    check_choice(q, [one_six, double_six], 5e-4, only_correct=False)


# --- order statistics and continuous puzzles -------------------------------------------------------

RNG_DRAWS = 200_000


def test_expected_max_of_uniforms(bank):
    sample = np.random.default_rng(3).random((RNG_DRAWS, 4)).max(1)
    assert math.isclose(sample.mean(), 4 / 5, abs_tol=4 * sample.std() / math.sqrt(RNG_DRAWS))
    check_answer(get(bank, "probability-puzzles.expected-max-uniforms"), [0.8], 1e-9)


def test_min_and_gap_of_two_uniforms(bank):
    x, y = np.random.default_rng(4).random((2, RNG_DRAWS))
    for sample in (np.minimum(x, y), np.abs(x - y)):
        assert math.isclose(sample.mean(), 1 / 3, abs_tol=4 * sample.std() / math.sqrt(RNG_DRAWS))
    check_answer_fraction(get(bank, "probability-puzzles.min-and-gap-of-two-uniforms"), Fraction(1, 3))


def test_second_largest_of_five(bank):
    sample = np.sort(np.random.default_rng(5).random((RNG_DRAWS, 5)), axis=1)[:, 3]
    assert math.isclose(sample.mean(), 4 / 6, abs_tol=4 * sample.std() / math.sqrt(RNG_DRAWS))
    check_answer_fraction(get(bank, "probability-puzzles.kth-order-statistic"), Fraction(2, 3))


def test_expected_max_of_two_dice(bank):
    value = Fraction(sum(max(a, b) for a in range(1, 7) for b in range(1, 7)), 36)
    assert value == Fraction(161, 36)
    q = get(bank, "probability-puzzles.expected-max-two-dice")
    check_choice(q, [float(value)], 5e-3)
    check_answer(q, [7 - float(value)], 5e-3)


def test_expected_max_of_two_normals(bank):
    z = np.random.default_rng(6).normal(size=(2, RNG_DRAWS)).max(0)
    assert math.isclose(z.mean(), 1 / math.sqrt(math.pi), abs_tol=4 * z.std() / math.sqrt(RNG_DRAWS))
    check_answer(get(bank, "probability-puzzles.max-of-two-normals"), [1 / math.sqrt(math.pi)], 5e-4)


def test_uniforms_until_sum_exceeds_one(bank):
    u = np.random.default_rng(7).random((RNG_DRAWS, 20))
    count = (np.cumsum(u, axis=1) <= 1).sum(1) + 1  # P(more than 20 draws) = 1/20! is negligible
    assert math.isclose(count.mean(), math.e, abs_tol=4 * count.std() / math.sqrt(RNG_DRAWS))
    check_choice(get(bank, "probability-puzzles.sum-of-uniforms-exceeds-one"), [math.e], 5e-4)


def three_pieces(seed: int) -> np.ndarray:
    cuts = np.sort(np.random.default_rng(seed).random((RNG_DRAWS, 2)), axis=1)
    return np.stack([cuts[:, 0], cuts[:, 1] - cuts[:, 0], 1 - cuts[:, 1]], axis=1)


def test_stick_triangle(bank):
    pieces = three_pieces(8)
    triangle = (pieces.max(1) < 0.5).mean()
    assert math.isclose(triangle, 1 / 4, abs_tol=4 * math.sqrt(3 / 16 / RNG_DRAWS))
    check_choice_fraction(get(bank, "probability-puzzles.stick-triangle"), Fraction(1, 4))


def test_stick_longer_piece(bank):
    u = np.random.default_rng(9).random(RNG_DRAWS)
    longer = np.maximum(u, 1 - u)
    assert math.isclose(longer.mean(), 3 / 4, abs_tol=4 * longer.std() / math.sqrt(RNG_DRAWS))
    check_answer_fraction(get(bank, "probability-puzzles.stick-longer-piece"), Fraction(3, 4))


def test_stick_three_pieces_extremes(bank):
    pieces = np.sort(three_pieces(10), axis=1)
    for k, value in enumerate((Fraction(1, 9), Fraction(5, 18), Fraction(11, 18))):
        col = pieces[:, k]
        assert math.isclose(col.mean(), float(value), abs_tol=4 * col.std() / math.sqrt(RNG_DRAWS))
    exact = [Fraction(1, 3) * sum(Fraction(1, i) for i in range(3 - k + 1, 4)) for k in (1, 2, 3)]
    assert exact == [Fraction(1, 9), Fraction(1, 9) + Fraction(1, 6), Fraction(11, 18)]
    check_answer_fraction(
        get(bank, "probability-puzzles.stick-three-pieces-extremes"), Fraction(1, 9), Fraction(11, 18), Fraction(5, 18)
    )


def test_meeting_problem(bank):
    x, y = np.random.default_rng(11).random((2, RNG_DRAWS))
    meet = (np.abs(x - y) <= 0.25).mean()
    assert math.isclose(meet, 7 / 16, abs_tol=4 * math.sqrt(7 / 16 * 9 / 16 / RNG_DRAWS))
    check_answer_fraction(get(bank, "probability-puzzles.meeting-problem"), Fraction(9, 16), Fraction(7, 16))


def test_points_in_a_semicircle(bank):
    def in_semicircle(n: int, seed: int) -> float:
        angles = np.sort(np.random.default_rng(seed).random((RNG_DRAWS, n)), axis=1)
        gaps = np.diff(np.concatenate([angles, angles[:, :1] + 1], axis=1), axis=1)
        return float((gaps.max(1) >= 0.5).mean())  # some gap of at least half the circle

    for n, seed in ((4, 12), (3, 13)):
        p = n / 2 ** (n - 1)
        assert math.isclose(in_semicircle(n, seed), p, abs_tol=4 * math.sqrt(p * (1 - p) / RNG_DRAWS))
    check_answer_fraction(get(bank, "probability-puzzles.points-in-semicircle"), Fraction(1, 2), Fraction(3, 4))


def test_inspection_paradox(bank):
    rng = np.random.default_rng(14)
    arrivals = np.cumsum(rng.exponential(10.0, size=400_000))
    you = rng.uniform(0, arrivals[-1] - 100, size=50_000)
    idx = np.searchsorted(arrivals, you)
    wait = arrivals[idx] - you
    gap = arrivals[idx] - np.r_[0.0, arrivals][idx]
    assert math.isclose(wait.mean(), 10, abs_tol=4 * wait.std() / math.sqrt(len(wait)))
    assert math.isclose(gap.mean(), 20, abs_tol=4 * gap.std() / math.sqrt(len(gap)))
    check_answer(get(bank, "probability-puzzles.inspection-paradox"), [10, 20, 5], 1e-9)


# --- Bayes puzzles ------------------------------------------------------------------------------------


def test_two_children(bank):
    families = list(itertools.product("BG", repeat=2))
    with_boy = [f for f in families if "B" in f]
    value = Fraction(sum(f == ("B", "B") for f in with_boy), len(with_boy))
    assert value == Fraction(1, 3)
    check_choice_fraction(get(bank, "probability-puzzles.two-children"), value)


def test_boy_born_on_tuesday(bank):
    kids = list(itertools.product("BG", range(7)))
    families = list(itertools.product(kids, repeat=2))
    tuesday_boy = [f for f in families if ("B", 1) in f]
    both = sum(f[0][0] == f[1][0] == "B" for f in tuesday_boy)
    assert (len(families), len(tuesday_boy), both) == (196, 27, 13)
    check_answer_fraction(get(bank, "probability-puzzles.boy-born-on-tuesday"), Fraction(13, 27))


def test_two_headed_coin(bank):
    value = Fraction(1, 2) / (Fraction(1, 2) + Fraction(1, 2) * Fraction(1, 2))
    check_answer_fraction(get(bank, "probability-puzzles.two-headed-coin"), value)


def test_thousand_coins(bank):
    value = Fraction(1, 1000) / (Fraction(1, 1000) + Fraction(999, 1000) * Fraction(1, 2**10))
    assert value == Fraction(1024, 2023)
    q = get(bank, "probability-puzzles.thousand-coins")
    check_answer_fraction(q, value)
    check_answer(q, [float(value)], 5e-4)


def test_taxi_witness(bank):
    value = 0.8 * 0.15 / (0.8 * 0.15 + 0.2 * 0.85)
    check_answer(get(bank, "probability-puzzles.taxi-witness"), [0.12, 0.29, value], 5e-3)


# --- decisions and stopping ------------------------------------------------------------------------


def test_reroll_die(bank):
    def value(rerolls: int) -> Fraction:
        v = Fraction(7, 2)
        for _ in range(rerolls):
            v = sum(max(Fraction(face), v) for face in range(1, 7)) / 6
        return v

    assert value(1) == Fraction(17, 4) and value(2) == Fraction(14, 3)
    q = get(bank, "probability-puzzles.reroll-die")
    check_answer(q, [3.5, 4.25], 1e-9)
    check_answer_fraction(q, Fraction(14, 3))


def test_secretary_problem(bank):
    def success(n: int, r: int) -> float:
        return 1 / n if r == 0 else r / n * sum(1 / (i - 1) for i in range(r + 1, n + 1))

    n = 2000
    best_r = max(range(n), key=lambda r: success(n, r))
    assert math.isclose(best_r / n, 1 / math.e, abs_tol=2e-3)
    assert math.isclose(success(n, best_r), 1 / math.e, abs_tol=1e-3)
    check_answer(get(bank, "probability-puzzles.secretary-problem"), [37, 1 / math.e], 5e-3)
