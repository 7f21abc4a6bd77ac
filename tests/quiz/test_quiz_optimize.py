"""`mlprep optimize`: FSRS fitted to a simulated learner beats the defaults on later reviews."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from mlprep.quiz.learner import FAST_FORGETTER, simulate
from mlprep.quiz.optimize import DEFAULT, LogEntry, best_retention, fit, predictions, score
from mlprep.quiz.scheduler import Settings, fsrs_scheduler, rate
from mlprep.quiz.settings import load_settings, save_parameters
from mlprep.store import open_store

pytest.importorskip("torch")


def _log(n: int, seed: int = 0) -> list[LogEntry]:
    return [LogEntry(r.card_id, r.at, r.rating, r.duration_s) for r in simulate(n, seed=seed)]


@pytest.fixture(scope="module")
def learner_fit():
    log = _log(5000)
    return log, fit(log)


@pytest.mark.slow
def test_fitted_parameters_beat_the_defaults_on_held_out_reviews(learner_fit):
    log, result = learner_fit
    assert result.needed == 0 and result.test_reviews >= 100
    assert all(e.at >= result.split_at for e in log[-result.test_reviews:])
    assert result.fitted.log_loss < result.default.log_loss
    assert result.fitted.rmse_bins < result.default.rmse_bins
    assert result.better
    # the learner's own parameters are (close to) the best one can do on the same reviews
    truth = score(predictions(log, FAST_FORGETTER, result.split_at))
    assert truth.log_loss <= result.fitted.log_loss + 0.02


def test_defaults_are_right_for_a_learner_who_forgets_as_they_predict():
    log = [LogEntry(r.card_id, r.at, r.rating) for r in simulate(3000, true_parameters=DEFAULT, seed=1)]
    split = sorted(e.at for e in log)[int(len(log) * 0.8)]
    defaults = score(predictions(log, DEFAULT, split))
    wrong = score(predictions(log, FAST_FORGETTER, split))
    assert defaults.n == wrong.n > 100
    assert defaults.log_loss < wrong.log_loss  # the scores pick the parameters the learner follows


def test_too_few_reviews_says_how_many_more():
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    log = [LogEntry(i % 20, start + timedelta(days=i // 20), 3) for i in range(200)]
    result = fit(log)
    assert result.needed > 0 and result.parameters is None and result.default is None


def test_scores_are_log_loss_and_binned_rmse():
    s = score([(0.9, 1), (0.9, 0), (0.2, 0), (0.2, 0)])
    assert s.n == 4 and s.log_loss == pytest.approx((-2 * 0.0 - 0.10536 - 2.30259 - 2 * 0.22314) / -4 * 1, rel=1e-3)
    assert s.rmse_bins == pytest.approx(((2 * 0.4 ** 2 + 2 * 0.2 ** 2) / 4) ** 0.5, rel=1e-3)


def test_suggested_retention_is_in_range_and_costs_are_consistent():
    best, costs = best_retention(DEFAULT, 30, cards=50)
    assert 0.7 <= best.retention <= 0.97 and best.cost == min(c.cost for c in costs)
    assert costs[0].minutes_per_card <= costs[-1].minutes_per_card  # higher retention, more reviews


def test_the_scheduler_uses_stored_parameters(mlprep_home):
    now = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)
    with open_store() as store:
        save_parameters(store, FAST_FORGETTER)
        settings = load_settings(store)
        assert settings.parameters == pytest.approx(FAST_FORGETTER)
        assert fsrs_scheduler(settings, now).parameters == pytest.approx(FAST_FORGETTER)
        fast = rate(store, "q-a", "t", 4, now, Settings(fuzz=False, parameters=settings.parameters))
        slow = rate(store, "q-b", "t", 4, now, Settings(fuzz=False))
        assert fast.card.due < slow.card.due  # a faster forgetter sees an Easy card sooner
        save_parameters(store, None)
        assert load_settings(store).parameters is None


@pytest.mark.slow
def test_optimize_command_fits_keeps_and_reports(cli, mlprep_home):
    with open_store() as store, store.write():
        for r in simulate(4000):
            store.record_review(f"q-sim{r.card_id}", at=r.at, rating=r.rating, mode="flash", cram=False,
                                duration_s=r.duration_s)
    result = cli("optimize", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["kept"] and report["fitted"]["log_loss"] < report["default"]["log_loss"]
    assert 0.7 <= report["suggested_retention"] <= 0.97
    with open_store() as store:
        assert load_settings(store).parameters == pytest.approx(report["parameters"], abs=1e-6)
    out = cli("optimize", "--reset")
    assert out.exit_code == 0
    with open_store() as store:
        assert load_settings(store).parameters is None


def test_optimize_with_too_few_reviews_says_how_many_are_needed(cli):
    result = cli("optimize")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Not enough reviews" in text and "About 1280 more reviews are needed" in text
