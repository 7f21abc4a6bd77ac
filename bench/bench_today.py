"""How fast `mlprep today` puts its first item on screen with 2,000 cards and every drill due.

Uses the same 2,000-question bank and warm home as bench_quiz_startup.py (every card learned 30
days ago, so reviews are due), plus every drill in the catalogue last run 30 days ago (so all are
due), then starts `python -m mlprep today --bank DIR` in a pseudo-terminal and times until the
first review card is on screen (the plan is printed before it). Runs interleave with the peer
`python -m mlprep --version`; medians of wall and CPU seconds, the 0.5 s target.

    .venv/bin/python bench/bench_today.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pexpect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_quiz_startup import _children_cpu, env_for, fill_store, time_peer, write_bank  # noqa: E402

TARGET_S = 0.5


def drills_due(home: Path) -> int:
    from mlprep.drills.catalog import catalog
    from mlprep.drills.schedule import drill_qid
    from mlprep.quiz.scheduler import Settings, rate
    from mlprep.store import open_store

    then = datetime.now(timezone.utc) - timedelta(days=30)
    drills = catalog()
    with open_store(home / "progress.db") as store, store.write():
        for d in drills.values():
            rate(store, drill_qid(d.name), d.topic, 3, then, Settings(fuzz=False, learning_steps=()), mode="drill")
    return len(drills)


def time_first_item(bank: Path, home: Path) -> tuple[float, float]:
    cpu = _children_cpu()
    start = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "mlprep", "today", "--bank", str(bank)], env=env_for(home),
                          encoding="utf-8", timeout=30, dimensions=(50, 110))
    child.expect(r"Bench (question|choice question|cloze) \d+")
    elapsed = time.perf_counter() - start
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--questions", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlprep-bench-") as tmp:
        scratch = Path(tmp)
        bank = scratch / "bank"
        bank.mkdir()
        write_bank(bank, args.questions)
        fill_store(scratch / "warm", bank)
        n_drills = drills_due(scratch / "warm")
        time_first_item(bank, scratch / "warm")  # warms the OS file cache, .pyc files and the bank cache
        ours, peer = [], []
        for _ in range(args.runs):
            ours.append(time_first_item(bank, scratch / "warm"))
            peer.append(time_peer(scratch))
    p, p_cpu = statistics.median(w for w, _ in peer), statistics.median(c for _, c in peer)
    print(f"cards: {args.questions} (all due), drills due: {n_drills}, runs: {args.runs} (medians)")
    print(f"{'':36}{'wall s':>7} {'ratio':>6}  {'cpu s':>6} {'ratio':>6}")
    for name, runs in (("mlprep today, first item", ours), ("peer: mlprep --version", peer)):
        m, c = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        print(f"{name:36}{m:7.3f} {m / p:5.2f}x  {c:6.3f} {c / p_cpu:5.2f}x")
    m = statistics.median(w for w, _ in ours)
    print(f"target {TARGET_S:.2f} s: {'met' if m <= TARGET_S else 'MISSED'} ({m / TARGET_S:.2f} of it)")


if __name__ == "__main__":
    main()
