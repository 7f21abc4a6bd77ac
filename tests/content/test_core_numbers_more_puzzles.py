"""Numeric checks for the later probability puzzles: each stated answer recomputed exactly
(Fractions, enumeration) or by a seeded simulation, and found in the card's text."""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import pytest
from conftest import REPO

from mlprep.bank.loader import load_questions

CORE = REPO / "questions" / "core"


@pytest.fixture(scope="module")
def card():
    by_id = {q.id: q for q in load_questions([CORE / "probability-puzzles.yaml"])}

    def text(slug: str) -> str:
        q = by_id[f"probability-puzzles.{slug}"]
        return f"{q.correct or ''} {q.answer}"

    return text


def test_monty_hall_by_enumeration(card):
    wins = 0
    for car, pick in itertools.product(range(3), repeat=2):
        opened = next(d for d in range(3) if d not in (car, pick))
        switch = next(d for d in range(3) if d not in (pick, opened))
        wins += switch == car
    assert Fraction(wins, 9) == Fraction(2, 3) and "2/3" in card("monty-hall")


def test_two_cards_same_suit(card):
    assert Fraction(12, 51) == Fraction(4, 17) and "4/17" in card("same-suit-two-cards")


def test_rare_disease_posterior_is_a_half(card):
    sick, healthy = Fraction(1, 100), Fraction(99, 100)
    post = sick * Fraction(99, 100) / (sick * Fraction(99, 100) + healthy * Fraction(1, 100))
    assert post == Fraction(1, 2) and "1/2" in card("rare-disease-test")


def test_buffon_needle_by_simulation(card):
    rng = random.Random(0)
    n = 200_000
    hits = sum(rng.uniform(0, 0.5) <= 0.5 * math.sin(rng.uniform(0, math.pi / 2)) for _ in range(n))
    assert abs(hits / n - 2 / math.pi) < 4 * math.sqrt(0.25 / n)
    assert "2/π" in card("buffon-needle") and "0.64" in card("buffon-needle")


def test_rolls_until_six(card):
    mean = sum(Fraction(k) * Fraction(5, 6) ** (k - 1) * Fraction(1, 6) for k in range(1, 400))
    assert abs(float(mean) - 6) < 1e-9 and "6" in card("rolls-until-six") and "5" in card("rolls-until-six")


def test_expected_max_of_two_dice(card):
    e = Fraction(sum(max(a, b) for a in range(1, 7) for b in range(1, 7)), 36)
    assert e == Fraction(161, 36) and "161/36" in card("expected-max-two-dice") and "4.47" in card("expected-max-two-dice")


def test_expected_fixed_points_is_one(card):
    for n in range(1, 7):
        perms = list(itertools.permutations(range(n)))
        assert Fraction(sum(sum(p[i] == i for i in range(n)) for p in perms), len(perms)) == 1
    assert "1" in card("expected-fixed-points")


def test_product_of_uniforms(card):
    exact = 0.5 + math.log(2) / 2
    rng = random.Random(1)
    n = 200_000
    sim = sum(rng.random() * rng.random() < 0.5 for _ in range(n)) / n
    assert abs(sim - exact) < 4 * math.sqrt(exact * (1 - exact) / n)
    assert "0.847" in card("product-of-uniforms") and abs(exact - 0.847) < 5e-4


def test_polya_urn_added_reds_are_uniform(card):
    n = 5
    dist = {(1, 1): Fraction(1)}  # (red, blue) -> probability
    for _ in range(n):
        nxt: dict = {}
        for (r, b), p in dist.items():
            nxt[(r + 1, b)] = nxt.get((r + 1, b), 0) + p * Fraction(r, r + b)
            nxt[(r, b + 1)] = nxt.get((r, b + 1), 0) + p * Fraction(b, r + b)
        dist = nxt
    assert set(dist.values()) == {Fraction(1, n + 1)} and "Uniform(0, 1)" in card("polya-urn")


def test_expected_runs(card):
    for n in range(1, 9):
        total = sum(1 + sum(s[i] != s[i - 1] for i in range(1, n)) for s in itertools.product((0, 1), repeat=n))
        assert Fraction(total, 2 ** n) == Fraction(n + 1, 2)
    assert "(n + 1)/2" in card("expected-runs") or "(n+1)/2" in card("expected-runs")


def test_first_ace_position(card):
    assert 1 + Fraction(48, 5) == Fraction(53, 5)
    assert "53/5" in card("first-ace-position") and "10.6" in card("first-ace-position")
