"""Loading a 10,000-question bank must take under 0.5 s (target from the question-bank issue).

Measured twice: cold (first load: libyaml parse + validation, then the JSON cache is written) and
warm (every later load of the unchanged file: the cache). Peers, on the same generated file in the same run: PyYAML's pure-Python safe loader (what a
naive loader would use) and `json.load` of the same records (the floor for parsing at all).
Usage: python bench/bench_bank_load.py [--questions N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from mlprep.bank.loader import load_questions


def make_records(n: int) -> list[dict]:
    topics = ["sampling", "transformers", "optimization", "cnn", "probability-statistics"]
    return [
        {
            "id": f"bench.q{i}",
            "question": f"Question number {i}: why does trick {i % 97} help with problem {i % 13}?",
            "answer": f"Because of reason {i}.\n\n```python\nx = softmax(z - z.max())  # {i}\n```\nSee $\\sqrt{{d}}$.",
            "topic": topics[i % len(topics)],
            "tags": ["bench", f"t{i % 7}"],
            "difficulty": ["easy", "medium", "hard"][i % 3],
            "keywords": ["reason", f"trick {i % 97}"],
        }
        for i in range(n)
    ]


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    records = make_records(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MLPREP_HOME"] = str(Path(tmp) / "home")
        cache_dir = Path(tmp) / "home" / "cache"
        bank = Path(tmp) / "big.yaml"
        bank.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True), encoding="utf-8")
        as_json = Path(tmp) / "big.json"
        as_json.write_text(json.dumps(records), encoding="utf-8")
        def cold():
            shutil.rmtree(cache_dir, ignore_errors=True)
            assert len(load_questions([bank])) == args.questions

        cold_t = timed(cold, max(1, args.runs // 2))
        ours = timed(lambda: load_questions([bank]), args.runs)
        pure = timed(lambda: yaml.load(bank.read_text(encoding="utf-8"), Loader=yaml.SafeLoader), max(1, args.runs // 2))
        floor = timed(lambda: json.loads(as_json.read_text(encoding="utf-8")), args.runs)
        size_mb = bank.stat().st_size / 1e6
    print(f"{args.questions} questions, {size_mb:.1f} MB of YAML")
    print(f"{'loader':<36} {'median s':>9} {'ratio to ours':>14}")
    for name, t in [("mlprep load_questions, warm (cache)", ours), ("mlprep load_questions, cold", cold_t), ("PyYAML pure-Python SafeLoader", pure), ("json.loads of the same records", floor)]:
        print(f"{name:<36} {t:>9.3f} {t / ours:>14.2f}")
    print(f"{'PASS' if ours < 0.5 else 'FAIL'}: {ours:.3f} s to load a validated bank (target < 0.5 s); "
          f"first load of a new or edited file {cold_t:.3f} s")


if __name__ == "__main__":
    main()
