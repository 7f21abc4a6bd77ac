"""Fitting FSRS parameters to the learner's own review log, judged on a time split.

- the log (scheduled reviews, oldest first) is split in time: the earliest ``1 - HOLDOUT`` share
  trains the ``fsrs`` package's optimizer (``fsrs.Optimizer``, which needs torch: imported only
  here, and only when fitting), the latest reviews are held out;
- default and fitted parameters are both replayed over every card's whole history and scored on
  the held-out reviews that came a day or more after the card's previous one (what FSRS predicts):
  log-loss of the predicted recall, and RMSE over 20 bins of predicted recall;
- the fitted parameters are worth keeping only when their held-out log-loss is lower;
- the desired retention that costs the least study time per card known on the interview day (or
  over a year without one) is found by simulating the schedule with those parameters.

Plain values in and out: the command stores the parameters (``Store.set_setting``) and prints.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import fsrs

HOLDOUT = 0.2  # the latest share of the log that is held out
MIN_TRAIN = 512  # cross-day reviews the optimizer needs (one mini-batch; fewer: it returns the defaults)
MIN_TEST = 100  # cross-day held-out reviews needed to tell two parameter sets apart
EPOCHS = 2  # passes of fsrs's optimizer over the training log (its default, 5, takes minutes)
BINS = 20
RETENTIONS = tuple(round(0.70 + 0.01 * i, 2) for i in range(28))  # 0.70 .. 0.97
DEFAULT = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)


@dataclass
class LogEntry:
    card_id: int
    at: datetime  # timezone-aware
    rating: int  # 1-4
    duration_s: float | None = None


@dataclass
class Scores:
    log_loss: float
    rmse_bins: float
    n: int


@dataclass
class Fit:
    train_reviews: int  # cross-day reviews before the split
    test_reviews: int  # cross-day reviews after it
    split_at: datetime | None
    default: Scores | None = None
    fitted: Scores | None = None
    parameters: tuple[float, ...] | None = None  # the fitted ones
    needed: int = 0  # more reviews needed before fitting makes sense (0: enough)
    notes: list[str] = field(default_factory=list)

    @property
    def better(self) -> bool:
        return bool(self.fitted and self.default and self.fitted.log_loss < self.default.log_loss)


def _histories(log: Iterable[LogEntry]) -> dict[int, list[LogEntry]]:
    cards: dict[int, list[LogEntry]] = defaultdict(list)
    for entry in sorted(log, key=lambda e: e.at):
        cards[entry.card_id].append(entry)
    return cards


def _cross_day(history: list[LogEntry]) -> list[int]:
    """Indices of reviews a day or more after the card's previous review."""
    return [i for i in range(1, len(history)) if (history[i].at - history[i - 1].at).days > 0]


def split_time(log: Sequence[LogEntry], holdout: float = HOLDOUT) -> datetime | None:
    """The moment after which the latest ``holdout`` share of the reviews falls."""
    if not log:
        return None
    times = sorted(e.at for e in log)
    return times[min(len(times) - 1, int(len(times) * (1 - holdout)))]


def _count(cards: dict[int, list[LogEntry]], split_at: datetime) -> tuple[int, int]:
    train = test = 0
    for history in cards.values():
        for i in _cross_day(history):
            if history[i].at < split_at:
                train += 1
            else:
                test += 1
    return train, test


def predictions(log: Iterable[LogEntry], parameters: Sequence[float], since: datetime | None = None
                ) -> list[tuple[float, int]]:
    """(predicted recall, recalled 0/1) for each cross-day review (from ``since`` on), replaying
    every card's whole history with ``parameters``."""
    scheduler = fsrs.Scheduler(parameters=tuple(parameters), enable_fuzzing=False)
    out: list[tuple[float, int]] = []
    for cid, history in _histories(log).items():
        card = fsrs.Card(card_id=cid, due=_utc(history[0].at))
        previous = None
        for entry in history:
            at = _utc(entry.at)
            if previous is not None and (at - previous).days > 0 and (since is None or entry.at >= since):
                out.append((scheduler.get_card_retrievability(card, at), int(entry.rating > 1)))
            card, _ = scheduler.review_card(card, fsrs.Rating(entry.rating), at)
            previous = at
    return out


def score(pairs: list[tuple[float, int]]) -> Scores:
    """Log-loss, and RMSE between mean predicted and observed recall over ``BINS`` bins of the
    prediction (weighted by their size)."""
    if not pairs:
        return Scores(float("nan"), float("nan"), 0)
    eps = 1e-6
    loss = -sum(y * math.log(max(p, eps)) + (1 - y) * math.log(max(1 - p, eps)) for p, y in pairs) / len(pairs)
    bins: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for p, y in pairs:
        bins[min(BINS - 1, int(p * BINS))].append((p, y))
    sq = sum(len(b) * (sum(p for p, _ in b) / len(b) - sum(y for _, y in b) / len(b)) ** 2 for b in bins.values())
    return Scores(round(loss, 4), round(math.sqrt(sq / len(pairs)), 4), len(pairs))


def _fsrs_logs(log: Iterable[LogEntry]) -> list:
    return [fsrs.ReviewLog(card_id=e.card_id, rating=fsrs.Rating(e.rating), review_datetime=_utc(e.at),
                           review_duration=None if e.duration_s is None else int(e.duration_s * 1000))
            for e in log]


def fit_parameters(train: Sequence[LogEntry], epochs: int = EPOCHS) -> tuple[float, ...]:
    """fsrs's optimizer on these reviews (torch, imported here). Its own per-epoch check of the
    loss runs on plain floats instead of torch scalars, which is the same sum, faster."""
    import fsrs.optimizer as fsrs_optimizer  # torch: only when fitting

    class Optimizer(fsrs_optimizer.Optimizer):
        def _compute_batch_loss(self, *, parameters: list[float]) -> float:
            pairs = predictions(train, parameters)
            return score(pairs).log_loss if pairs else float("inf")

    if not hasattr(fsrs_optimizer, "num_epochs"):  # its imports failed: it left a stub that raises
        from mlprep.errors import MlprepError

        raise MlprepError("fitting FSRS needs torch, pandas and tqdm (fsrs's optimizer): "
                          "pip install 'mlprep[optimize]'")
    saved = fsrs_optimizer.num_epochs
    fsrs_optimizer.num_epochs = epochs
    try:
        params = Optimizer(_fsrs_logs(train)).compute_optimal_parameters()
    finally:
        fsrs_optimizer.num_epochs = saved
    return tuple(float(x) for x in params)


def fit(log: Sequence[LogEntry], *, epochs: int = EPOCHS) -> Fit:
    """Split ``log`` in time, fit on the earlier part, score both parameter sets on the later."""
    cards = _histories(log)
    split_at = split_time(log)
    train_n, test_n = _count(cards, split_at) if split_at else (0, 0)
    result = Fit(train_n, test_n, split_at)
    if train_n < MIN_TRAIN or test_n < MIN_TEST:
        # cross-day reviews are what count; estimate the total log needed from their share
        share = (train_n + test_n) / len(log) if log and train_n + test_n else 0.5
        want = max(MIN_TRAIN / (1 - HOLDOUT), MIN_TEST / HOLDOUT)
        result.needed = max(1, math.ceil(want / share) - len(log))
        return result
    train = [e for e in log if e.at < split_at]
    result.default = score(predictions(log, DEFAULT, split_at))
    result.parameters = fit_parameters(train, epochs)
    result.fitted = score(predictions(log, result.parameters, split_at))
    return result


# -- the desired retention for the interview --------------------------------------------------
@dataclass
class RetentionCost:
    retention: float
    minutes_per_card: float  # study time per card, over the horizon
    recall_at_end: float  # mean predicted recall on the last day
    cost: float  # minutes per card known on the last day (what is minimised)


def simulate_retention(parameters: Sequence[float], retention: float, days: int, *, cards: int = 200,
                       seconds_new: float = 20.0, seconds_review: float = 10.0, seed: int = 0) -> RetentionCost:
    """Study ``cards`` new cards today on FSRS with ``parameters`` and this desired retention,
    intervals capped at ``days``; recall drawn from the same model. Time spent and recall on day
    ``days``."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    end = start + timedelta(days=days)
    scheduler = fsrs.Scheduler(parameters=tuple(parameters), desired_retention=retention,
                               maximum_interval=max(1, days), enable_fuzzing=False)
    seconds = 0.0
    recall = 0.0
    for i in range(cards):
        card = fsrs.Card(card_id=i + 1, due=start)
        seconds += seconds_new
        card, _ = scheduler.review_card(card, fsrs.Rating(3), start)
        while card.due < end:
            at = card.due
            recalled = rng.random() < scheduler.get_card_retrievability(card, at)
            card, _ = scheduler.review_card(card, fsrs.Rating(3 if recalled else 1), at)
            seconds += seconds_review
        recall += scheduler.get_card_retrievability(card, end)
    minutes = seconds / 60 / cards
    mean_recall = recall / cards
    return RetentionCost(retention, round(minutes, 2), round(mean_recall, 3), round(minutes / max(mean_recall, 1e-6), 3))


def best_retention(parameters: Sequence[float], days: int, **kw) -> tuple[RetentionCost, list[RetentionCost]]:
    """The desired retention (0.70-0.97) with the least study time per card known at the end."""
    costs = [simulate_retention(parameters, r, max(1, days), **kw) for r in RETENTIONS]
    return min(costs, key=lambda c: c.cost), costs


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def log_from_reviews(reviews) -> list[LogEntry]:
    """The store's review rows (oldest first) as the optimizer's log: scheduled ratings only,
    cram and mock ratings left out (they do not move the schedule)."""
    from mlprep.quiz.scheduler import card_id

    return [LogEntry(card_id(r.qid), r.at, r.rating, r.duration_s) for r in reviews if not r.cram]


def fit_store(store, settings, now: datetime, *, epochs: int = EPOCHS) -> dict:
    """Fit on the store's log; the report `mlprep optimize` prints (``kept``: worth storing)."""
    from mlprep.quiz.scheduler import days_to_interview

    log = log_from_reviews(store.reviews())
    result = fit(log, epochs=epochs)
    report: dict = {
        "reviews": len(log),
        "train_reviews": result.train_reviews,
        "test_reviews": result.test_reviews,
        "split_at": result.split_at.isoformat() if result.split_at else None,
        "needed": result.needed,
        "default": vars(result.default) if result.default else None,
        "fitted": vars(result.fitted) if result.fitted else None,
        "kept": result.better,
        "parameters": list(result.parameters) if result.better else None,
        "retention": settings.retention,
    }
    if result.needed:
        return report
    params = result.parameters if result.better else settings.fsrs_parameters
    days = days_to_interview(settings, now)
    best, _ = best_retention(params, days or 365, seconds_new=_mean_seconds(log, first=True),
                             seconds_review=_mean_seconds(log, first=False))
    report.update(suggested_retention=best.retention, horizon_days=days or 365, interview=days is not None,
                  minutes_per_card=best.minutes_per_card, recall_at_end=best.recall_at_end)
    return report


def _mean_seconds(log: list[LogEntry], *, first: bool) -> float:
    seen: set[int] = set()
    values = []
    for e in log:
        is_first = e.card_id not in seen
        seen.add(e.card_id)
        if is_first == first and e.duration_s:
            values.append(min(e.duration_s, 120.0))
    return sum(values) / len(values) if values else (20.0 if first else 10.0)
