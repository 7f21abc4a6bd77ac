"""How long `mlprep import` takes to turn notes into validated cards, next to a Markdown parser.

For each note (the five notes in ../shared/notes by default, plus a generated note of 2,000
``Q:``/``A:`` pairs with code, under 200 headings) it times our whole pipeline in-process: scan, card extraction, topics and
schema validation (``import_text``), no file writes. The peer, on the same text in the same run,
is markdown-it-py (the CommonMark parser rich uses) producing its token stream: what merely
parsing the Markdown costs, without finding a single card. Medians of --runs runs.

Then a vault: ``--vault N`` notes (default 1,000, five cards each in five syntaxes) in ten
folders, imported into a fresh library by ``python -m mlprep import DIR --json`` in a child
process (start-up, reading, extraction, merge, YAML writing and the registry included); then the
same command again (every bank re-read and merged, nothing changed) and ``import --sync``
(nothing changed, nothing re-imported). Wall and CPU seconds; the target is 10 s for the first.
Usage: python bench/bench_import.py [NOTES...] [--runs N] [--vault N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from markdown_it import MarkdownIt

from mlprep.importer.notes import import_text

NOTES = Path(__file__).resolve().parent.parent.parent / "shared" / "notes"
VAULT_TARGET_S = 10.0


def vault_note(i: int) -> str:
    """A note of five cards: Q/A with code, ``::``, a ``?`` card, a cloze, a table row."""
    return f"""---
tags: [bench, set{i % 7}]
---
# Bench note {i}

## Part one

Q: What does bench step {i} compute?
A: The value of `f({i})`, see [[Steps|step]] {i}.

```python
x = f({i})  # q::a
```

Bench term {i}::the definition of term {i}

Which layer comes after bench block {i}?
?
The normalisation layer of block {i}.

## Part two

Bench ==highlight {i}== marks a cloze in note {i}.

| Question | Answer |
|---|---|
| What is bench row {i}? | Row {i} of the table. |
"""


def write_vault(folder: Path, notes: int) -> None:
    for i in range(notes):
        sub = folder / f"topic{i % 10}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"note{i:04d}.md").write_text(vault_note(i), encoding="utf-8")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(home: Path, *args: str) -> tuple[float, float, str]:
    env = {**os.environ, "MLPREP_HOME": str(home)}
    cpu, start = _children_cpu(), time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "mlprep", *args], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"mlprep {' '.join(args)} failed: {out.stderr.strip()}")
    return wall, _children_cpu() - cpu, out.stdout


def bench_vault(notes: int) -> None:
    import json

    with tempfile.TemporaryDirectory(prefix="mlprep-vault-") as tmp:
        vault, home = Path(tmp) / "vault", Path(tmp) / "home"
        write_vault(vault, notes)
        first = run_cli(home, "import", str(vault), "--json")
        doc = json.loads(first[2])
        cards = sum(b["questions"] for b in doc["banks"])
        again = run_cli(home, "import", str(vault), "--json")
        sync = run_cli(home, "import", "--sync", "--json")
    print(f"\nvault: {notes} notes, {len(doc['banks'])} banks, {cards} cards")
    for name, (wall, cpu, _) in (("import DIR (fresh library)", first), ("import DIR again (unchanged)", again),
                                 ("import --sync (unchanged)", sync)):
        print(f"  {name:32} wall {wall:6.2f} s   cpu {cpu:6.2f} s")
    verdict = "met" if first[0] <= VAULT_TARGET_S else "MISSED"
    print(f"target {VAULT_TARGET_S:.0f} s for the fresh import: {verdict} ({first[0] / VAULT_TARGET_S:.2f} of it)")
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


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
    parser.add_argument("--vault", type=int, default=1000, help="notes in the generated vault (0: skip)")
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
    if args.vault:
        bench_vault(args.vault)


if __name__ == "__main__":
    main()
