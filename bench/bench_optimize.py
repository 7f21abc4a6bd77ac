"""`mlprep optimize` on 10,000 reviews must take under 60 s (target from the quiz issue).

A simulated learner who forgets faster than fsrs's defaults (``mlprep.quiz.learner``) leaves a
10,000-review log in a fresh progress database; then the optimizer's work is timed end to end as
the command does it: read the log from the store, split it in time, fit with fsrs's optimizer
(``EPOCHS`` passes), score default and fitted parameters on the held-out later reviews, and
simulate the desired retention for an interview 30 days away. Printed beside it, on the same
log: the learner's true parameters (the floor for log-loss), and with ``--peer`` fsrs's optimizer
as shipped (5 epochs, its own torch loss check), with the ratio of the two fit times.

    .venv/bin/python bench/bench_optimize.py [--reviews 10000] [--peer]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

TARGET_S = 60.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviews", type=int, default=10_000)
    ap.add_argument("--peer", action="store_true", help="also time fsrs's optimizer as shipped (minutes)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MLPREP_HOME"] = str(Path(tmp) / "home")
        from mlprep.quiz.learner import FAST_FORGETTER, simulate
        from mlprep.quiz.optimize import fit_store, log_from_reviews, predictions, score
        from mlprep.quiz.settings import load_settings
        from mlprep.store import open_store

        t = time.perf_counter()
        log = simulate(args.reviews)
        simulated_s = time.perf_counter() - t
        with open_store() as store, store.write():
            for r in log:
                store.record_review(f"q-sim{r.card_id}", at=r.at, rating=r.rating, mode="flash", cram=False,
                                    duration_s=r.duration_s)
        with open_store() as store:
            settings = load_settings(store)
            settings.interview_date = date.today() + timedelta(days=30)
            t = time.perf_counter()
            report = fit_store(store, settings, datetime.now(timezone.utc))
            ours_s = time.perf_counter() - t
            entries = log_from_reviews(store.reviews())
        split = datetime.fromisoformat(report["split_at"])
        truth = score(predictions(entries, FAST_FORGETTER, split))

        print(f"simulated learner: {len(log)} reviews of {len({r.card_id for r in log})} cards "
              f"over {(log[-1].at - log[0].at).days} days ({simulated_s:.1f} s to simulate)")
        print(f"split at {report['split_at'][:10]}: {report['train_reviews']} cross-day reviews to train on, "
              f"{report['test_reviews']} held out")
        print(f"{'parameters':<22}{'log-loss':>10}{'RMSE(bins)':>12}")
        for name, s in (("fsrs defaults", report["default"]), ("fitted (mlprep)", report["fitted"]),
                        ("learner's true ones", vars(truth))):
            print(f"{name:<22}{s['log_loss']:>10.4f}{s['rmse_bins']:>12.4f}")
        print(f"kept: {report['kept']}; suggested retention for an interview in 30 days: "
              f"{report['suggested_retention']:.2f}")
        print(f"mlprep optimize (read, fit, score, retention): {ours_s:.1f} s; target {TARGET_S:.0f} s: "
              f"{'PASS' if ours_s <= TARGET_S else 'FAIL'}")

        if args.peer:
            import fsrs

            from mlprep.quiz.optimize import _fsrs_logs

            train = [e for e in entries if e.at < split]
            t = time.perf_counter()
            params = fsrs.Optimizer(_fsrs_logs(train)).compute_optimal_parameters()
            peer_s = time.perf_counter() - t
            peer = score(predictions(entries, params, split))
            print(f"peer: fsrs.Optimizer as shipped (5 epochs): fit {peer_s:.1f} s, held-out log-loss "
                  f"{peer.log_loss:.4f}, RMSE(bins) {peer.rmse_bins:.4f}; ours/peer time "
                  f"{ours_s / peer_s:.2f}x")
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
