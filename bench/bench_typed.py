"""How well typed-answer suggestions agree with a person's grades: the rubric judge vs the old word score.

    .venv/bin/python bench/bench_typed.py                      # rubric judge vs word score
    .venv/bin/python bench/bench_typed.py --judge ollama:qwen2.5:3b   # plus a local LLM judge, if one runs

The labelled set (bench/data/typed_answers.yaml) holds bundled open questions, each with four typed
answers (a correct paraphrase, a partial answer, a confident wrong one reusing the question's words,
an irrelevant one), written and graded 0-3 by hand before the judge was tuned. Printed per scorer:
Spearman's rank correlation between score and grade, the share of wrong answers suggested Good or
Easy, the share of correct paraphrases suggested below Good, and the time per answer.
Targets for the default judge: Spearman >= 0.75, <= 10%, <= 20%.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mlprep.bank.loader import load_questions  # noqa: E402
from mlprep.quiz.judge import judge  # noqa: E402
from mlprep.quiz.llm_judge import JudgeError, load_judge  # noqa: E402
from mlprep.quiz.scoring import score_answer, suggested_rating  # noqa: E402

DATA = REPO / "bench" / "data" / "typed_answers.yaml"
TARGETS = {"spearman": 0.75, "wrong_good": 0.10, "correct_below_good": 0.20}


def spearman(x: list[float], y: list[float]) -> float:
    """Spearman's rho with average ranks for ties."""
    def ranks(v):
        v = np.asarray(v, dtype=float)
        order = v.argsort(kind="stable")
        r = np.empty(len(v))
        r[order] = np.arange(len(v))
        for value in np.unique(v):  # ties share their mean rank
            r[v == value] = r[v == value].mean()
        return r

    return float(np.corrcoef(ranks(x), ranks(y))[0, 1])


def evaluate(name, scorer, items) -> dict:
    scores, grades, t0 = [], [], time.perf_counter()
    wrong = wrong_good = correct = correct_low = 0
    for q, kind, text, grade in items:
        score, rating = scorer(q, text)
        scores.append(score)
        grades.append(grade)
        if kind == "wrong":
            wrong += 1
            wrong_good += rating >= 3
        if kind == "correct":
            correct += 1
            correct_low += rating < 3
    per_answer_ms = 1000 * (time.perf_counter() - t0) / len(items)
    return {"scorer": name, "spearman": spearman(scores, grades), "wrong_good": wrong_good / wrong,
            "correct_below_good": correct_low / correct, "ms": per_answer_ms}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--judge", help="also an optional judge: ollama:MODEL[@URL] or llama-cpp:FILE.gguf")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    questions = {q.id: q for q in load_questions()}
    items = []
    for entry in yaml.safe_load(args.data.read_text(encoding="utf-8")):
        q = questions[entry["id"]]
        items += [(q, a["kind"], a["text"], a["grade"]) for a in entry["answers"]]
    with_rubric = sum(1 for q in {id(i[0]): i[0] for i in items}.values() if q.rubric is not None)
    print(f"{len(items)} answers to {len(items) // 4} questions ({with_rubric} with a rubric), graded 0-3 by hand")

    def old(q, text):
        s = score_answer(q, text)
        return s, suggested_rating(s)

    def new(q, text):
        v = judge(q, text)
        return v.score, v.rating

    rows = [evaluate("word score (before)", old, items), evaluate("rubric judge (default)", new, items)]
    if args.judge:
        llm = load_judge(args.judge)

        def optional(q, text):
            try:
                v = llm(q, text) if q.rubric is not None else judge(q, text)
            except JudgeError as exc:
                sys.exit(f"bench_typed: {exc}")
            return v.score, v.rating

        rows.append(evaluate(args.judge, optional, items))
    print(f"{'scorer':28}{'Spearman':>10}{'wrong→Good+':>13}{'correct<Good':>14}{'ms/answer':>11}")
    for r in rows:
        print(f"{r['scorer']:28}{r['spearman']:>10.3f}{r['wrong_good']:>13.1%}{r['correct_below_good']:>14.1%}"
              f"{r['ms']:>11.2f}")
    d = rows[1]
    met = (d["spearman"] >= TARGETS["spearman"] and d["wrong_good"] <= TARGETS["wrong_good"]
           and d["correct_below_good"] <= TARGETS["correct_below_good"])
    print(f"targets for the default judge: Spearman >= {TARGETS['spearman']}, wrong→Good+ <= "
          f"{TARGETS['wrong_good']:.0%}, correct<Good <= {TARGETS['correct_below_good']:.0%}: "
          f"{'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
