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

import numpy as np
import pytest
from conftest import REPO

from mlprep.bank.loader import load_questions
from mlprep.bank.schema import Question

CORE = REPO / "questions" / "core"
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
    return {q.id: q for q in load_questions([CORE / f"{topic}.yaml" for topic in TOPICS])}


def get(bank: dict[str, Question], qid: str) -> Question:
    assert qid in bank, f"{qid} is missing from the bank (renamed or removed?)"
    return bank[qid]


def numbers(text: str) -> list[float]:
    """Every number written in ``text``, in order (thousands separators, also LaTeX's ``{,}``, allowed)."""
    text = text.replace("{,}", ",")
    return [float(m.group().replace(",", "")) for m in NUMBER_RE.finditer(text)]


def states(text: str, expected: list[float], tol: float) -> bool:
    """Whether ``text`` states the ``expected`` values in order (other numbers may sit between)."""
    found = iter(numbers(text))
    return all(any(math.isclose(x, e, rel_tol=0, abs_tol=tol) for x in found) for e in expected)


def says_fraction(text: str, value: Fraction) -> bool:
    """``text`` writes ``value`` as a/b (or \\frac{a}{b}) in lowest terms, as a whole token."""
    a, b = value.numerator, value.denominator
    return bool(
        re.search(rf"(?<![\d.]){a}\s*/\s*{b}(?![\d])", text)
        or re.search(rf"\\frac\{{{a}\}}\{{{b}\}}", text)
    )


def stated(q: Question) -> str:
    return "\n".join(part for part in (q.answer, q.correct, q.explanation) if part)


def check_choice(
    q: Question, expected: list[float], tol: float, *, only_correct: bool = True
) -> None:
    assert q.kind == "choice", q.id
    assert states(q.correct or "", expected, tol), (
        f"{q.id}: correct choice {q.correct!r} != {expected}"
    )
    for wrong in q.choices if only_correct else []:
        if wrong != q.correct:
            assert not states(wrong, expected, tol), (
                f"{q.id}: wrong choice {wrong!r} also states {expected}"
            )


def check_choice_fraction(q: Question, value: Fraction) -> None:
    assert q.kind == "choice", q.id
    assert says_fraction(q.correct or "", value), (
        f"{q.id}: correct choice {q.correct!r} is not {value}"
    )
    for wrong in q.choices:
        if wrong != q.correct:
            assert not says_fraction(wrong, value), (
                f"{q.id}: wrong choice {wrong!r} also says {value}"
            )


def check_answer(q: Question, expected: list[float], tol: float) -> None:
    assert states(stated(q), expected, tol), (
        f"{q.id}: answer does not state {expected}:\n{q.answer}"
    )


def check_answer_fraction(q: Question, *values: Fraction) -> None:
    for value in values:
        assert says_fraction(stated(q), value), f"{q.id}: answer does not say {value}:\n{q.answer}"


# --- exact solvers ------------------------------------------------------------------------------


def solve(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    """Gauss-Jordan elimination over the rationals."""
    n = len(rhs)
    a = [row[:] + [r] for row, r in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if a[r][col] != 0)
        a[col], a[pivot] = a[pivot], a[col]
        a[col] = [x / a[col][col] for x in a[col]]
        for r in range(n):
            if r != col and a[r][col] != 0:
                factor = a[r][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col], strict=True)]
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
    return dict(zip(states_, times, strict=True))


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
    # 1 = heads; 60 flips settle the race almost surely
    flips = rng.integers(0, 2, size=(20_000, 60))
    hh_first = (flips[:, 0] == 1) & (flips[:, 1] == 1)
    assert math.isclose(1 - hh_first.mean(), 0.75, abs_tol=4 * math.sqrt(0.75 * 0.25 / 20_000))
    check_choice_fraction(get(bank, "probability-puzzles.th-before-hh"), Fraction(3, 4))


def test_first_head_on_even_flip_and_alternating_game(bank):
    even = sum(Fraction(1, 2) ** (2 * k) for k in range(1, 200))
    assert abs(even - Fraction(1, 3)) < Fraction(1, 10**50)
    check_answer_fraction(get(bank, "probability-puzzles.first-head-on-even-flip"), Fraction(1, 3))
    check_answer_fraction(
        get(bank, "probability-puzzles.alternating-first-head"), 1 - Fraction(1, 3)
    )


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
    mean = sum(n * w for n, w in zip(range(1, 200), weights, strict=True)) / sum(weights)
    assert math.isclose(float(mean), 1.5, abs_tol=1e-12)
    check_answer(get(bank, "probability-puzzles.conditioned-even-rolls"), [1.5], 1e-9)


# --- gambler's ruin and random walks ------------------------------------------------------------


def test_fair_gamblers_ruin(bank):
    win, steps = ruin(Fraction(1, 2), 3, 10)
    assert (win, steps) == (Fraction(3, 10), 21)
    check_choice(get(bank, "probability-puzzles.gamblers-ruin-fair"), [0.3], 1e-9)
    check_answer(
        get(bank, "probability-puzzles.gamblers-ruin-duration"), [21, 0.3, 100, 9, 21], 1e-9
    )


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
    # The integrand is even in each coordinate: integrate over [0, pi]^3.
    t = (np.arange(n) + 0.5) / n * np.pi
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
    ahead = [
        o for o in orders if all(o[: i + 1].count("A") > o[: i + 1].count("B") for i in range(5))
    ]
    value = Fraction(len(ahead), len(orders))
    assert value == Fraction(1, 5) and len(orders) == 10
    check_choice_fraction(get(bank, "probability-puzzles.ballot-problem"), value)
    check_answer(get(bank, "probability-puzzles.ballot-problem"), [2, 10], 1e-9)


def test_ant_on_a_cube(bank):
    vertices = list(itertools.product((0, 1), repeat=3))
    transitions = {
        v: [(Fraction(1, 3), tuple(b ^ (i == j) for j, b in enumerate(v))) for i in range(3)]
        for v in vertices
    }
    times = expected_hitting_times(transitions, {(1, 1, 1)})
    assert (times[(0, 1, 1)], times[(0, 0, 1)], times[(0, 0, 0)]) == (7, 9, 10)
    q = get(bank, "probability-puzzles.ant-on-cube")
    check_choice(q, [10], 1e-9)
    check_answer(q, [7, 9, 10], 1e-9)


def test_knight_return_time(bank):
    moves = [(a, b) for a in (-2, -1, 1, 2) for b in (-2, -1, 1, 2) if abs(a) != abs(b)]
    degree = {
        (x, y): sum(0 <= x + a < 8 and 0 <= y + b < 8 for a, b in moves)
        for x in range(8)
        for y in range(8)
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


def test_distinct_faces_in_six_rolls(bank):
    value = 6 * (1 - Fraction(5, 6) ** 6)
    rolls = np.random.default_rng(29).integers(0, 6, size=(RNG_DRAWS, 6))
    distinct = np.array([len(set(r)) for r in rolls[:20_000]])
    assert math.isclose(
        distinct.mean(), float(value), abs_tol=4 * distinct.std() / math.sqrt(20_000)
    )
    q = get(bank, "probability-puzzles.distinct-faces")
    check_choice(q, [float(value)], 5e-3)
    check_answer(q, [float(Fraction(5, 6) ** 6), float(value)], 5e-3)
    check_answer(q, [100 * (1 - 1 / math.e)], 0.5)


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
    check_answer(
        get(bank, "probability-puzzles.birthday-expected-pairs"),
        [253, value, math.exp(-value)],
        5e-3,
    )


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
    check_answer_fraction(
        get(bank, "probability-puzzles.min-and-gap-of-two-uniforms"), Fraction(1, 3)
    )


def test_second_largest_of_five(bank):
    sample = np.sort(np.random.default_rng(5).random((RNG_DRAWS, 5)), axis=1)[:, 3]
    assert math.isclose(sample.mean(), 4 / 6, abs_tol=4 * sample.std() / math.sqrt(RNG_DRAWS))
    check_answer_fraction(get(bank, "probability-puzzles.kth-order-statistic"), Fraction(2, 3))


def test_two_dice_sum_given_a_six(bank):
    outcomes = [(a, b) for a in range(1, 7) for b in range(1, 7) if 6 in (a, b)]
    total = sum(a + b for a, b in outcomes)
    value = Fraction(total, len(outcomes))
    assert (len(outcomes), total) == (11, 102)
    q = get(bank, "probability-puzzles.two-dice-sum-given-six")
    check_choice(q, [float(value)], 5e-3)
    check_answer(q, [11, 36, 57, 45, 102, float(value)], 5e-3)


def test_expected_max_of_two_normals(bank):
    z = np.random.default_rng(6).normal(size=(2, RNG_DRAWS)).max(0)
    assert math.isclose(
        z.mean(), 1 / math.sqrt(math.pi), abs_tol=4 * z.std() / math.sqrt(RNG_DRAWS)
    )
    check_answer(
        get(bank, "probability-puzzles.max-of-two-normals"), [1 / math.sqrt(math.pi)], 5e-4
    )


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
        get(bank, "probability-puzzles.stick-three-pieces-extremes"),
        Fraction(1, 9),
        Fraction(11, 18),
        Fraction(5, 18),
    )


def test_meeting_problem(bank):
    x, y = np.random.default_rng(11).random((2, RNG_DRAWS))
    meet = (np.abs(x - y) <= 0.25).mean()
    assert math.isclose(meet, 7 / 16, abs_tol=4 * math.sqrt(7 / 16 * 9 / 16 / RNG_DRAWS))
    check_answer_fraction(
        get(bank, "probability-puzzles.meeting-problem"), Fraction(9, 16), Fraction(7, 16)
    )


def test_points_in_a_semicircle(bank):
    def in_semicircle(n: int, seed: int) -> float:
        angles = np.sort(np.random.default_rng(seed).random((RNG_DRAWS, n)), axis=1)
        gaps = np.diff(np.concatenate([angles, angles[:, :1] + 1], axis=1), axis=1)
        return float((gaps.max(1) >= 0.5).mean())  # some gap of at least half the circle

    for n, seed in ((4, 12), (3, 13)):
        p = n / 2 ** (n - 1)
        assert math.isclose(
            in_semicircle(n, seed), p, abs_tol=4 * math.sqrt(p * (1 - p) / RNG_DRAWS)
        )
    check_answer_fraction(
        get(bank, "probability-puzzles.points-in-semicircle"), Fraction(1, 2), Fraction(3, 4)
    )


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


# --- reinforcement-learning -------------------------------------------------------------------------


def test_discounted_return_and_horizon(bank):
    gamma = 0.5
    g0 = sum(gamma**k * r for k, r in enumerate([1, 0, 2]))
    check_answer(get(bank, "reinforcement-learning.discounted-return"), [g0], 1e-9)
    horizon = sum(0.99**t for t in range(100_000))
    assert math.isclose(horizon, 100, rel_tol=1e-9)
    q = get(bank, "reinforcement-learning.effective-horizon")
    check_choice(q, [100, 100], 1e-6)
    check_answer(q, [100, 100, 0.99**100], 5e-3)


def test_two_state_policy_evaluation(bank):
    gamma = 0.9
    p = np.array([[0.0, 1.0], [1.0, 0.0]])
    r = np.array([1.0, 0.0])
    v = np.linalg.solve(np.eye(2) - gamma * p, r)
    q = get(bank, "reinforcement-learning.two-state-evaluation")
    check_choice(q, list(v), 5e-3)
    check_answer(q, list(v), 5e-3)


def test_value_iteration_sweeps(bank):
    sweeps = math.ceil(math.log(1e-6) / math.log(0.9))
    assert sweeps == 132 and 0.9**sweeps <= 1e-6 < 0.9 ** (sweeps - 1)
    q = get(bank, "reinforcement-learning.contraction-iterations")
    check_choice(q, [sweeps], 1e-9)
    check_answer(
        q,
        [math.log(1e-6) / math.log(0.9), sweeps, math.ceil(math.log(1e-6) / math.log(0.99))],
        0.05,
    )


def test_td0_update(bank):
    v, r, gamma, v_next, alpha = 2.0, 1.0, 0.9, 3.0, 0.1
    target = r + gamma * v_next
    new = v + alpha * (target - v)
    q = get(bank, "reinforcement-learning.td0-update")
    check_choice(q, [new], 1e-9)
    check_answer(q, [target, target - v, new], 1e-9)


def test_q_learning_vs_sarsa_update(bank):
    q0, r, gamma, alpha = 0.5, 1.0, 0.9, 0.5
    q_learning = q0 + alpha * (r + gamma * 2.0 - q0)
    sarsa = q0 + alpha * (r + gamma * 1.0 - q0)
    q = get(bank, "reinforcement-learning.q-vs-sarsa-numbers")
    assert q.correct == f"Q-learning {q_learning:g}, SARSA {sarsa:g}"
    check_answer(q, [r + gamma * 2.0, q_learning, r + gamma * 1.0, sarsa], 1e-9)


def test_softmax_reinforce_step(bank):
    torch = pytest.importorskip("torch")
    theta = torch.zeros(2, requires_grad=True)
    log_prob = torch.log_softmax(theta, 0)[0]
    (2.0 * log_prob).backward()  # return G = 2 times the score of action 1
    new = (theta + 0.1 * theta.grad).tolist()
    assert new == pytest.approx([0.1, -0.1])
    q = get(bank, "reinforcement-learning.softmax-policy-step")
    check_choice(q, new, 1e-6)
    check_answer(q, [0.5, -0.5, 0.1, 2, 0.5, -0.5, 0.1, -0.1], 1e-9)


def test_ppo_clipped_objective(bank):
    def clipped(ratio: float, adv: float, eps: float = 0.2) -> float:
        return min(ratio * adv, max(min(ratio, 1 + eps), 1 - eps) * adv)

    values = [clipped(1.5, 2.0), clipped(1.5, -2.0)]
    assert values == pytest.approx([2.4, -3.0])
    check_choice(get(bank, "reinforcement-learning.ppo-clip-numbers"), values, 1e-9)


def test_epsilon_greedy_probability(bank):
    greedy = 1 - 0.1 + 0.1 / 4
    check_choice(get(bank, "reinforcement-learning.epsilon-greedy-prob"), [100 * greedy], 1e-9)


def test_ucb1_scores(bank):
    t = 55
    a = 0.6 + math.sqrt(2 * math.log(t) / 50)
    b = 0.4 + math.sqrt(2 * math.log(t) / 5)
    assert b > a
    q = get(bank, "reinforcement-learning.ucb1-choice")
    check_choice(q, [b, a], 5e-3)
    check_answer(q, [math.log(t), a, b], 5e-3)


def test_thompson_sampling_pick_probability(bank):
    rng = np.random.default_rng(28)
    a, b = rng.beta(3, 1, RNG_DRAWS), rng.beta(1, 1, RNG_DRAWS)
    picks_a = (a > b).mean()
    assert math.isclose(picks_a, 3 / 4, abs_tol=4 * math.sqrt(3 / 16 / RNG_DRAWS))
    check_answer_fraction(get(bank, "reinforcement-learning.thompson-by-hand"), Fraction(3, 4))


def test_gae_by_hand(bank):
    gamma, lam, deltas = 0.9, 0.5, [1.0, 2.0]
    adv = 0.0
    for d in reversed(deltas):
        adv = d + gamma * lam * adv
    check_answer(get(bank, "reinforcement-learning.gae-by-hand"), [2, adv], 1e-9)


# --- generative-models ---------------------------------------------------------------------------------


def test_gaussian_kl(bank):
    mu, sigma = 1.0, 0.5
    closed = 0.5 * (mu**2 + sigma**2 - 1 - math.log(sigma**2))
    z = np.random.default_rng(20).normal(mu, sigma, RNG_DRAWS)
    log_q = -0.5 * ((z - mu) / sigma) ** 2 - math.log(sigma)
    log_p = -0.5 * z**2
    sample = log_q - log_p
    assert math.isclose(sample.mean(), closed, abs_tol=4 * sample.std() / math.sqrt(RNG_DRAWS))
    check_choice(get(bank, "generative-models.gaussian-kl"), [closed], 5e-3)


def test_ddpm_linear_schedule_terminal_signal(bank):
    betas = np.linspace(1e-4, 0.02, 1000)
    alpha_bar = float(np.prod(1 - betas))
    q = get(bank, "generative-models.ddpm-terminal-signal")
    check_choice(q, [math.sqrt(alpha_bar)], 5e-4)
    assert math.isclose(alpha_bar, 4e-5, rel_tol=0.05)
    check_answer(q, [math.log(alpha_bar), 4, math.sqrt(alpha_bar)], 0.05)


def test_x0_from_predicted_noise(bank):
    alpha_bar, x_t, eps = 0.64, 1.0, 0.5
    x0 = (x_t - math.sqrt(1 - alpha_bar) * eps) / math.sqrt(alpha_bar)
    assert math.isclose(math.sqrt(alpha_bar) * x0 + math.sqrt(1 - alpha_bar) * eps, x_t)
    q = get(bank, "generative-models.x0-from-epsilon")
    check_choice(q, [x0], 1e-9)
    check_answer(q, [x0, x_t - math.sqrt(1 - alpha_bar) * eps], 1e-9)


def test_snr(bank):
    snr = 0.8 / 0.2
    check_answer(get(bank, "generative-models.snr"), [snr, math.log(snr)], 5e-3)


def test_classifier_free_guidance(bank):
    eps_u, eps_c, w = 0.2, 0.5, 3
    guided = eps_u + w * (eps_c - eps_u)
    q = get(bank, "generative-models.cfg-by-hand")
    check_choice(q, [guided], 1e-9)
    # The other convention (1 + w') eps_c - w' eps_u gives the same value with w' = w - 1.
    assert math.isclose((1 + (w - 1)) * eps_c - (w - 1) * eps_u, guided)
    assert math.isclose(eps_u + (w - 1) * (eps_c - eps_u), 0.8)


def test_latent_compression(bank):
    pixels, latents = 512 * 512 * 3, 64 * 64 * 4
    q = get(bank, "generative-models.latent-compression")
    check_choice(q, [pixels / latents], 1e-9)
    check_answer(q, [pixels, latents, pixels / latents], 1e-9)


def test_optimal_discriminator_value(bank):
    # With p_g = p_data the optimal discriminator is 1/2 everywhere and the value is -log 4.
    p = np.array([0.2, 0.5, 0.3])
    d = np.linspace(1e-3, 1 - 1e-3, 9_999)
    best = sum(max(pi * np.log(d) + pi * np.log(1 - d)) for pi in p)
    assert math.isclose(best, -math.log(4), abs_tol=1e-6)
    check_answer(get(bank, "generative-models.optimal-discriminator"), [-math.log(4)], 5e-4)


def test_rectified_flow_point(bank):
    x0, x1, t = -1.0, 3.0, 0.25
    check_answer(
        get(bank, "generative-models.rectified-flow-point"), [(1 - t) * x0 + t * x1, x1 - x0], 1e-9
    )


def test_frechet_distance_in_one_dimension(bank):
    scipy_linalg = pytest.importorskip("scipy.linalg")

    def frechet(mu1, cov1, mu2, cov2):
        covmean = scipy_linalg.sqrtm(cov1 @ cov2).real
        return float(np.sum((mu1 - mu2) ** 2) + np.trace(cov1 + cov2 - 2 * covmean))

    value = frechet(np.array([0.0]), np.array([[1.0]]), np.array([1.0]), np.array([[4.0]]))
    q = get(bank, "generative-models.fid-1d")
    check_choice(q, [value], 1e-9)
    check_answer(q, [value, 1, 4, 1], 1e-9)


# --- graph-neural-networks ------------------------------------------------------------------------------


def test_gcn_edge_coefficient(bank):
    # u has neighbours v, w, x; v's only neighbour is u. Self-loops added, symmetric normalisation.
    a = np.zeros((4, 4))
    for j in (1, 2, 3):
        a[0, j] = a[j, 0] = 1
    a_tilde = a + np.eye(4)
    d = a_tilde.sum(1)
    norm = a_tilde / np.sqrt(np.outer(d, d))
    coefficient = norm[1, 0]  # row v, column u
    q = get(bank, "graph-neural-networks.gcn-edge-weight")
    check_choice(q, [coefficient], 5e-4)
    assert math.isclose(coefficient, 1 / math.sqrt(8))


def test_gcn_layer_parameters(bank):
    torch = pytest.importorskip("torch")
    layer = torch.nn.Linear(128, 64)
    count = sum(p.numel() for p in layer.parameters())
    q = get(bank, "graph-neural-networks.gcn-parameters")
    check_choice(q, [count], 1e-9)


def test_graphsage_fanout(bank):
    total = 25 + 25 * 10
    q = get(bank, "graph-neural-networks.sage-fanout")
    check_choice(q, [total], 1e-9)
    check_answer(q, [250, total, total + 1], 1e-9)


def wl_histograms(edges: list[tuple[int, int]], n: int, rounds: int = 5) -> list[tuple]:
    neighbours = {v: [] for v in range(n)}
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    colours = {v: 0 for v in range(n)}
    history = []
    for _ in range(rounds):
        signatures = {
            v: (colours[v], tuple(sorted(colours[u] for u in neighbours[v]))) for v in range(n)
        }
        history.append(tuple(sorted(signatures.values())))
        colours = signatures
    return history


def test_wl_cannot_separate_two_triangles_from_a_hexagon(bank):
    triangles = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3)]
    hexagon = [(i, (i + 1) % 6) for i in range(6)]
    assert wl_histograms(triangles, 6) == wl_histograms(hexagon, 6)

    # ...although they are not isomorphic: one is connected, the other is not.
    def components(edges, n):
        parent = list(range(n))

        def find(x):
            while parent[x] != x:
                x = parent[x]
            return x

        for a, b in edges:
            parent[find(a)] = find(b)
        return len({find(v) for v in range(n)})

    assert components(triangles, 6) == 2 and components(hexagon, 6) == 1
    # The distractor pairs are separated by 1-WL.
    path4 = [(0, 1), (1, 2), (2, 3)]
    star = [(0, 1), (0, 2), (0, 3)]
    cycle4 = [(0, 1), (1, 2), (2, 3), (3, 0)]
    assert wl_histograms(path4, 4) != wl_histograms(star, 4)
    assert wl_histograms(cycle4, 4) != wl_histograms(path4, 4)
    assert wl_histograms([(0, 1), (1, 2), (2, 0)], 3) != wl_histograms([(0, 1), (1, 2)], 3)
    assert (
        get(bank, "graph-neural-networks.wl-failure").correct
        == "Two disjoint triangles and a single 6-cycle"
    )


def test_sum_aggregation_separates_multisets(bank):
    a = np.array([0.3, -1.2])
    two, one = np.stack([a, a]), a[None]
    assert np.allclose(two.mean(0), one.mean(0)) and np.allclose(two.max(0), one.max(0))
    assert not np.allclose(two.sum(0), one.sum(0))
    assert get(bank, "graph-neural-networks.aggregator-expressivity").correct == "Sum"


def test_gcn_over_smoothing_limit(bank):
    rng = np.random.default_rng(21)
    n = 12
    a = np.triu((rng.random((n, n)) < 0.3).astype(float), 1)
    a = a + a.T
    for i in range(n - 1):  # a path guarantees a connected graph
        a[i, i + 1] = a[i + 1, i] = 1
    a_tilde = a + np.eye(n)
    d = a_tilde.sum(1)
    prop = a_tilde / np.sqrt(np.outer(d, d))
    x = rng.normal(size=(n, 3))
    for _ in range(500):
        x = prop @ x
    direction = np.sqrt(d) / np.linalg.norm(np.sqrt(d))
    for col in x.T:
        assert np.allclose(
            col / np.linalg.norm(col) * np.sign(col @ direction), direction, atol=1e-6
        )
    assert "sqrt{\\tilde d_i}" in get(bank, "graph-neural-networks.over-smoothing").answer


# --- vision-language --------------------------------------------------------------------------------------


def test_visual_token_counts(bank):
    tokens = (336 // 14) ** 2
    q = get(bank, "vision-language.llava-token-count")
    check_choice(q, [tokens], 1e-9)
    check_answer(q, [336 / 14, tokens, tokens + 1, (224 // 14) ** 2, (448 // 14) ** 2], 1e-9)
    check_answer(get(bank, "vision-language.image-token-cost"), [4 * tokens + 200], 1e-9)
    assert 4 * tokens / (4 * tokens + 200) > 0.9
    check_answer(get(bank, "vision-language.anyres-tiling"), [(4 + 1) * tokens], 1e-9)
    check_answer(get(bank, "vision-language.token-compression"), [tokens, tokens // 4], 1e-9)
    check_answer(get(bank, "vision-language.video-token-budget"), [8 * tokens], 1e-9)
    check_answer(get(bank, "vision-language.native-resolution"), [(224 // 14 // 2) ** 2], 1e-9)


def vqa_accuracy(matches: int, annotators: int = 10) -> float:
    answers = [1] * matches + [0] * (annotators - matches)
    subsets = [answers[:i] + answers[i + 1 :] for i in range(annotators)]
    return sum(min(sum(s) / 3, 1) for s in subsets) / annotators


def test_vqa_accuracy(bank):
    q = get(bank, "vision-language.vqa-accuracy")
    check_choice(q, [vqa_accuracy(2)], 1e-9)
    check_answer(q, [vqa_accuracy(2), vqa_accuracy(3)], 1e-9)
    assert vqa_accuracy(3) == pytest.approx(0.9)


def test_chair_metrics(bank):
    chair_i, chair_s = 5 / 30, 4 / 10
    check_answer(get(bank, "vision-language.chair-metric"), [100 * chair_i, 100 * chair_s], 0.05)


# --- experimentation -------------------------------------------------------------------------------------


def test_cuped_variance_reduction(bank):
    rho = 0.7
    rng = np.random.default_rng(22)
    x = rng.normal(size=RNG_DRAWS)
    y = rho * x + math.sqrt(1 - rho**2) * rng.normal(size=RNG_DRAWS)
    theta = np.cov(x, y)[0, 1] / x.var(ddof=1)
    ratio = (y - theta * (x - x.mean())).var() / y.var()
    assert math.isclose(ratio, 1 - rho**2, abs_tol=0.01)
    q = get(bank, "experimentation.cuped-reduction")
    check_choice(q, [100 * rho**2, 100 * rho**2], 1e-9)
    check_answer(q, [1 - rho**2], 1e-9)


def test_cuped_by_hand(bank):
    theta = 12 / 16
    adjusted = 20 - theta * (10 - 8)
    check_choice(get(bank, "experimentation.cuped-by-hand"), [theta, adjusted], 1e-9)


def test_unbalanced_split_cost(bank):
    ratio = (1 / 0.9 + 1 / 0.1) / (1 / 0.5 + 1 / 0.5)
    q = get(bank, "experimentation.traffic-split-power")
    check_choice(q, [ratio], 0.05)
    check_answer(q, [1 / 0.9 + 1 / 0.1, 4, ratio], 0.05)


def test_sample_size_rule(bank):
    from scipy.stats import norm

    z = norm.ppf(0.975) + norm.ppf(0.8)
    assert math.isclose(2 * z**2, 15.7, abs_tol=0.05)
    check_answer(get(bank, "experimentation.sample-size-rule"), [16, 1.96, 0.84, 2 * z**2], 0.05)


def test_mde_scaling_and_value(bank):
    from scipy.stats import norm

    z = norm.ppf(0.975) + norm.ppf(0.8)
    mde = lambda n: z * math.sqrt(2 * 10**2 / n)  # noqa: E731
    assert math.isclose(mde(10_000) / mde(40_000), 2)
    assert get(bank, "experimentation.halve-mde").correct == "Four times as much"
    check_choice(get(bank, "experimentation.mde-by-hand"), [mde(10_000)], 5e-3)


def test_power_at_half_the_mde(bank):
    from scipy.stats import norm

    shift = (norm.ppf(0.975) + norm.ppf(0.8)) / 2
    power = norm.sf(norm.ppf(0.975) - shift) + norm.cdf(-norm.ppf(0.975) - shift)
    check_answer(get(bank, "experimentation.power-at-half-mde"), [1.4, 100 * power], 0.6)


def test_bonferroni_and_benjamini_hochberg(bank):
    from scipy.stats import false_discovery_control

    p = np.array([0.001, 0.012, 0.025, 0.041, 0.20])
    bonferroni = int((p <= 0.05 / len(p)).sum())
    bh = int((false_discovery_control(p, method="bh") <= 0.05).sum())
    assert (bonferroni, bh, int((p <= 0.05).sum())) == (1, 3, 4)
    q = get(bank, "experimentation.benjamini-hochberg")
    check_choice(q, [bonferroni, bh], 1e-9)
    check_answer(q, [0.01, 0.01, 0.02, 0.03, 0.04, 0.05, 0.025, 0.03], 1e-9)


def test_peeking_and_pocock_by_simulation(bank):
    rng = np.random.default_rng(23)
    sims, looks, per_look = 100_000, 5, 200
    increments = rng.normal(size=(sims, looks)) * math.sqrt(per_look)
    z = np.cumsum(increments, axis=1) / np.sqrt(per_look * np.arange(1, looks + 1))
    max_abs = np.abs(z).max(1)
    naive = (max_abs > 1.959964).mean()
    se = math.sqrt(0.14 * 0.86 / sims)
    assert math.isclose(naive, 0.142, abs_tol=4 * se)
    check_choice(get(bank, "experimentation.peeking-rate"), [14], 1e-9)
    pocock_z = float(np.quantile(max_abs, 0.95))
    from scipy.stats import norm

    assert math.isclose(pocock_z, 2.413, abs_tol=0.02)
    nominal = 2 * norm.sf(2.413)
    q = get(bank, "experimentation.pocock-threshold")
    check_choice(q, [nominal], 5e-4)
    check_answer(q, [nominal, 2.413], 5e-4)


def test_srm_chi_squared(bank):
    from scipy.stats import chisquare

    day1, final = chisquare([1_000, 1_040]), chisquare([10_000, 10_400])
    assert day1.pvalue > 0.05 > 0.01 > final.pvalue
    q = get(bank, "experimentation.srm-scale")
    check_choice(q, [final.pvalue, day1.pvalue], 5e-3)
    check_answer(q, [day1.statistic, day1.pvalue, final.statistic, final.pvalue], 5e-3)


def test_design_effect(bank):
    m, icc = 50, 0.02
    deff = 1 + (m - 1) * icc
    # Simulate cluster means: cluster effect variance icc, individual noise 1 - icc.
    rng = np.random.default_rng(24)
    clusters = rng.normal(0, math.sqrt(icc), size=(20_000, 1)) + rng.normal(
        0, math.sqrt(1 - icc), size=(20_000, m)
    )
    ratio = clusters.mean(1).var() / (1 / m)
    assert math.isclose(ratio, deff, rel_tol=0.05)
    check_choice(get(bank, "experimentation.design-effect"), [deff], 1e-9)


def test_triggering_dilution(bank):
    check_choice(get(bank, "experimentation.triggering-dilution"), [0.1 * 5], 1e-9)


def test_transformed_outcome_is_unbiased_for_uplift(bank):
    rng = np.random.default_rng(25)
    n, p = 400_000, 0.3
    w = (rng.random(n) < p).astype(float)
    base, tau = 0.2, 0.1
    y = (rng.random(n) < base + tau * w).astype(float)
    z = y * (w - p) / (p * (1 - p))
    assert math.isclose(z.mean(), tau, abs_tol=4 * z.std() / math.sqrt(n))
    assert (
        get(bank, "experimentation.transformed-outcome").correct == "$Z = Y (W - p) / (p(1 - p))$"
    )


# --- privacy-fairness ----------------------------------------------------------------------------------------


def test_epsilon_one_factor(bank):
    check_choice(get(bank, "privacy-fairness.epsilon-meaning"), [math.e], 5e-3)


def test_laplace_count_noise(bank):
    scale = 1 / 0.5
    sample = np.random.default_rng(26).laplace(0, scale, RNG_DRAWS)
    assert math.isclose(sample.std(), math.sqrt(2) * scale, rel_tol=0.01)
    q = get(bank, "privacy-fairness.laplace-count")
    check_choice(q, [scale, math.sqrt(2) * scale], 5e-3)
    check_answer(q, [scale, 2 * scale**2, math.sqrt(2) * scale], 5e-3)


def test_gaussian_mechanism_sigma(bank):
    inner = math.log(1.25 / 1e-5)
    sigma = math.sqrt(2 * inner) / 0.5
    q = get(bank, "privacy-fairness.gaussian-sigma")
    check_choice(q, [sigma], 0.05)
    check_answer(q, [inner, math.sqrt(2 * inner), sigma], 0.015)


def test_basic_composition(bank):
    check_choice(get(bank, "privacy-fairness.composition"), [10 * 0.1], 1e-9)


def test_randomised_response(bank):
    p_yes_true, p_yes_false = 0.5 + 0.5 * 0.5, 0.5 * 0.5
    eps = math.log(p_yes_true / p_yes_false)
    rng = np.random.default_rng(27)
    n, truth = RNG_DRAWS, 0.3
    true_yes = rng.random(n) < truth
    first, second = rng.random(n) < 0.5, rng.random(n) < 0.5
    answer = np.where(first, true_yes, second)
    estimate = (answer.mean() - 0.25) / 0.5
    assert math.isclose(estimate, truth, abs_tol=4 * 2 * math.sqrt(0.4 * 0.6 / n))
    q = get(bank, "privacy-fairness.randomised-response")
    check_answer(q, [eps, 0.25, 0.4, 0.25, 0.5, (0.4 - 0.25) / 0.5], 5e-3)
    check_answer_fraction(q, Fraction(3, 4), Fraction(1, 4))


def test_fedavg_weighting(bank):
    value = (100 * 1.0 + 300 * 2.0) / 400
    check_answer(get(bank, "privacy-fairness.fedavg-weighting"), [value, 1.5], 1e-9)


def test_fairness_rates(bank):
    tpr = (40 / 50, 12 / 20)
    fpr = (5 / 50, 8 / 80)
    selection = (45 / 100, 20 / 100)
    accuracy = ((40 + 45) / 100, (12 + 72) / 100)
    assert fpr[0] == fpr[1] and tpr[0] != tpr[1] and selection[0] != selection[1]
    q = get(bank, "privacy-fairness.fairness-by-hand")
    assert q.correct.startswith("Only equal false positive rates hold")
    check_answer(q, [fpr[0], fpr[1], tpr[0], tpr[1], selection[0], selection[1], *accuracy], 1e-9)


# --- sql-data ----------------------------------------------------------------------------------------------------


@pytest.fixture()
def db():
    con = sqlite3.connect(":memory:")
    yield con
    con.close()


def test_count_and_avg_with_nulls(bank, db):
    db.execute("CREATE TABLE t (x INTEGER)")
    db.executemany("INSERT INTO t VALUES (?)", [(1,), (None,), (1,), (2,)])
    counts = db.execute("SELECT COUNT(*), COUNT(x), COUNT(DISTINCT x) FROM t").fetchone()
    check_choice(get(bank, "sql-data.count-variants"), list(counts), 1e-9)
    db.execute("CREATE TABLE a (x INTEGER)")
    db.executemany("INSERT INTO a VALUES (?)", [(10,), (None,), (20,)])
    avgs = db.execute("SELECT AVG(x), AVG(COALESCE(x, 0)) FROM a").fetchone()
    check_choice(get(bank, "sql-data.avg-ignores-null"), list(avgs), 1e-9)


def test_null_comparisons_and_not_in(bank, db):
    db.execute("CREATE TABLE e (manager_id INTEGER)")
    db.executemany("INSERT INTO e VALUES (?)", [(None,), (1,)])
    assert db.execute("SELECT COUNT(*) FROM e WHERE manager_id = NULL").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM e WHERE manager_id IS NULL").fetchone()[0] == 1
    db.execute("CREATE TABLE users (id INTEGER)")
    db.execute("CREATE TABLE banned (user_id INTEGER)")
    db.executemany("INSERT INTO users VALUES (?)", [(1,), (2,), (3,)])
    db.executemany("INSERT INTO banned VALUES (?)", [(2,), (None,)])
    not_in = db.execute(
        "SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM banned)"
    ).fetchall()
    not_exists = db.execute(
        "SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM banned b WHERE b.user_id = u.id) ORDER BY id"
    ).fetchall()
    assert not_in == [] and not_exists == [(1,), (3,)]
    check_choice(get(bank, "sql-data.not-in-null"), [len(not_in)], 1e-9)
    check_answer(get(bank, "sql-data.not-in-null"), [1, 3], 1e-9)


def test_group_by_null_keys(bank, db):
    db.execute("CREATE TABLE g (k TEXT)")
    db.executemany("INSERT INTO g VALUES (?)", [("a",), (None,), (None,)])
    groups = db.execute("SELECT k, COUNT(*) FROM g GROUP BY k ORDER BY k").fetchall()
    assert groups == [(None, 2), ("a", 1)]
    check_answer(get(bank, "sql-data.group-by-null"), [1, 2], 1e-9)


def test_integer_division(bank, db):
    assert db.execute("SELECT 3 / 4, 1.0 * 3 / 4").fetchone() == (0, 0.75)
    q = get(bank, "sql-data.integer-division")
    assert q.answer.startswith("It returns 0.")


def test_union_and_union_all(bank, db):
    a, b = "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 2", "SELECT 2 UNION ALL SELECT 3"
    union = db.execute(f"SELECT COUNT(*) FROM ({a} UNION {b})").fetchone()[0]
    union_all = db.execute(f"SELECT COUNT(*) FROM ({a} UNION ALL {b})").fetchone()[0]
    check_answer(get(bank, "sql-data.union-vs-union-all"), [union, union_all], 1e-9)


def test_join_fan_out(bank, db):
    db.execute("CREATE TABLE orders (id INTEGER, amount REAL)")
    db.execute("CREATE TABLE payments (order_id INTEGER, paid REAL)")
    db.execute("INSERT INTO orders VALUES (1, 100)")
    db.executemany("INSERT INTO payments VALUES (1, ?)", [(30,), (30,), (40,)])
    total = db.execute(
        "SELECT SUM(o.amount) FROM orders o JOIN payments p ON p.order_id = o.id"
    ).fetchone()[0]
    check_choice(get(bank, "sql-data.join-fan-out"), [total], 1e-9)


def test_left_join_filter_placement(bank, db):
    db.execute("CREATE TABLE customers (id TEXT)")
    db.execute("CREATE TABLE orders (id INTEGER, customer_id TEXT, status TEXT)")
    db.executemany("INSERT INTO customers VALUES (?)", [("A",), ("B",), ("C",)])
    db.executemany(
        "INSERT INTO orders VALUES (?, ?, ?)",
        [(1, "A", "paid"), (2, "A", "refunded"), (3, "B", "refunded")],
    )
    where = db.execute(
        "SELECT c.id, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.status = 'paid'"
    ).fetchall()
    on = db.execute(
        "SELECT c.id, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND o.status = 'paid'"
    ).fetchall()
    check_choice(get(bank, "sql-data.left-join-where"), [len(where), len(on)], 1e-9)


def test_rank_functions(bank, db):
    db.execute("CREATE TABLE s (score INTEGER)")
    db.executemany("INSERT INTO s VALUES (?)", [(100,), (90,), (90,), (80,)])
    rows = db.execute(
        "SELECT score, ROW_NUMBER() OVER w, RANK() OVER w, DENSE_RANK() OVER w FROM s "
        "WINDOW w AS (ORDER BY score DESC) ORDER BY score DESC"
    ).fetchall()
    row_number, rank, dense = ([r[i] for r in rows] for i in (1, 2, 3))
    assert (row_number, rank, dense) == ([1, 2, 3, 4], [1, 2, 2, 4], [1, 2, 2, 3])
    q = get(bank, "sql-data.rank-functions")
    check_choice(q, [rank[-1], dense[-1]], 1e-9)
    check_answer(q, row_number + rank + dense, 1e-9)


def test_default_window_frame(bank, db):
    db.execute("CREATE TABLE r (day INTEGER, amount INTEGER)")
    db.executemany("INSERT INTO r VALUES (?, ?)", [(1, 10), (2, 20), (2, 5), (3, 1)])
    default = [
        v
        for (v,) in db.execute(
            "SELECT SUM(amount) OVER (ORDER BY day) FROM r ORDER BY day, amount DESC"
        )
    ]
    rows = [
        v
        for (v,) in db.execute(
            "SELECT SUM(amount) OVER (ORDER BY day, amount DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
            "FROM r ORDER BY day, amount DESC"
        )
    ]
    whole = {v for (v,) in db.execute("SELECT SUM(amount) OVER () FROM r")}
    assert default == [10, 35, 35, 36] and rows == [10, 30, 35, 36] and whole == {36}
    q = get(bank, "sql-data.default-frame")
    check_choice(q, default, 1e-9)
    check_answer(q, [35, *rows, 36], 1e-9)


def test_pandas_null_join_keys(bank, db):
    pd = pytest.importorskip("pandas")
    left = pd.DataFrame({"k": [1.0, np.nan], "a": [1, 2]})
    right = pd.DataFrame({"k": [1.0, np.nan], "b": [3, 4]})
    assert len(left.merge(right, on="k")) == 2  # the NaN keys matched each other
    db.execute("CREATE TABLE l (k REAL, a INTEGER)")
    db.execute("CREATE TABLE rr (k REAL, b INTEGER)")
    db.executemany("INSERT INTO l VALUES (?, ?)", [(1.0, 1), (None, 2)])
    db.executemany("INSERT INTO rr VALUES (?, ?)", [(1.0, 3), (None, 4)])
    assert db.execute("SELECT COUNT(*) FROM l JOIN rr ON l.k = rr.k").fetchone()[0] == 1
    assert get(bank, "sql-data.null-join-keys").correct.startswith("SQL never matches NULL keys")


def test_merge_asof(bank):
    pd = pytest.importorskip("pandas")
    labels = pd.DataFrame({"t": [5, 10]})
    features = pd.DataFrame({"t": [1, 6, 10], "v": ["a", "b", "c"]})
    backward = pd.merge_asof(labels, features, on="t", direction="backward")["v"].tolist()
    strict = pd.merge_asof(
        labels, features, on="t", direction="backward", allow_exact_matches=False
    )["v"].tolist()
    assert backward == ["a", "c"] and strict == ["a", "b"]
    assert (
        get(bank, "sql-data.merge-asof").correct
        == "t=5 gets a and t=10 gets c; with the option, t=10 gets b"
    )


def test_groupby_transform_and_past_only_mean(bank):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"g": ["a", "a", "b"], "x": [1, 3, 5]})
    agg = df.groupby("g")["x"].agg("mean")
    transform = df.groupby("g")["x"].transform("mean")
    assert agg.to_dict() == {"a": 2, "b": 5} and transform.tolist() == [2, 2, 5]
    check_choice(
        get(bank, "sql-data.transform-vs-agg"), [2, 2, 5, 3, 2, 2, 5], 1e-9, only_correct=False
    )
    assert get(bank, "sql-data.transform-vs-agg").correct.endswith("transform gives 3, [2, 2, 5]")
    hist = pd.DataFrame({"user": [7, 7, 7], "y": [1, 0, 1]})
    past = hist.groupby("user")["y"].transform(lambda s: s.shift().expanding().mean()).tolist()
    assert math.isnan(past[0]) and past[1:] == [1.0, 0.5]
    check_answer(get(bank, "sql-data.past-only-features"), past[1:], 1e-9)


def test_pandas_groupby_drops_nan_keys(bank):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"key": ["a", "a", np.nan]})
    assert df.groupby("key").size().to_dict() == {"a": 2}
    assert len(df.groupby("key", dropna=False).size()) == 2
    assert get(bank, "sql-data.pandas-nan-groupby").correct.startswith("a: 2 only")
