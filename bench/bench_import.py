"""How long `mlprep import` takes to turn notes into validated cards, next to a Markdown parser.

For each note (the five notes in ../shared/notes by default, plus a generated note of 2,000
``Q:``/``A:`` pairs with code, under 200 headings) it times our whole pipeline in-process: scan, card extraction, topics and
schema validation (``import_text``), no file writes. The peer, on the same text in the same run,
is markdown-it-py (the CommonMark parser rich uses) producing its token stream: what merely
parsing the Markdown costs, without finding a single card. Medians of --runs runs.
Usage: python bench/bench_import.py [NOTES...] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from markdown_it import MarkdownIt

from mlprep.importer.notes import import_text

NOTES = Path(__file__).resolve().parent.parent.parent / "shared" / "notes"


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "notes", nargs="*", type=Path, help="note files (default: ../shared/notes/*.txt)"
    )
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    paths = args.notes or sorted(NOTES.glob("*.txt"))
    if not paths:
        raise SystemExit(f"no notes given and none found in {NOTES}")
    texts = {p.name: p.read_text(encoding="utf-8") for p in paths}
    texts["generated: 2,000 Q/A pairs"] = "\n".join(
        (f"## Part {i // 10}\n\n" if i % 10 == 0 else "")
        + f"Q: What does step {i} compute?\nA: The value of `f({i})`, see [[Steps|step]] {i}.\n\n"
        + f"```python\nx = f({i})  # q::a\n```\n"
        for i in range(2000)
    )
    md = MarkdownIt("commonmark").enable("table")
    print(
        f"{'note':<28} {'lines':>6} {'cards':>6} {'mlprep ms':>10} {'markdown-it ms':>15} {'ratio':>6}"
    )
    for name, text in texts.items():
        cards = len(import_text(text, name).questions)
        ours = median_ms(lambda text=text, name=name: import_text(text, name), args.runs)
        peer = median_ms(lambda text=text: md.parse(text), args.runs)
        lines = text.count("\n") + 1
        print(f"{name:<28} {lines:>6} {cards:>6} {ours:>10.2f} {peer:>15.2f} {ours / peer:>6.2f}")


if __name__ == "__main__":
    main()
