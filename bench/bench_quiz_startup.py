"""How fast `mlprep quiz` puts the first card on screen with 2,000 questions in the banks.

Writes a temporary 2,000-question bank (10 files, open/choice/cloze mixed), then starts
`python -m mlprep quiz --only-bank DIR` in a pseudo-terminal and times until the first question's
text appears:
- warm: the usual case, MLPREP_HOME already holds the bank cache from an earlier run and a
  progress database where every card was seen (learned 30 days ago, so 200 reviews are due);
- cold: a fresh MLPREP_HOME every run (database created and migrated, banks parsed from YAML);
- alone: warm, but the quiz command in a one-command typer app, to show what importing the
  other commands costs.
Runs are interleaved. CPU seconds (user + system of the child, whole run including quitting)
are printed beside wall time because they suffer less from a busy machine. Prints the medians
beside the peer `python -m mlprep --version`
(interpreter + CLI start-up alone), their ratios, the 0.5 s target (judged on the warm
median), the load average, and whether torch was imported on the quiz path
(checked with `python -X importtime`).

Then the library case (``--imported N``, default 5,000 cards): a vault of N/5 generated notes
(bench_import.py's) is imported into a fresh MLPREP_HOME with `mlprep import`, every imported
card is rated 30 days ago (so they are due), and plain `mlprep quiz` (the bundled banks and the
library together, no --bank) is timed to its first card, warm.

    .venv/bin/python bench/bench_quiz_startup.py [--runs 7] [--questions 2000] [--imported 5000]
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
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pexpect
import yaml

TARGET_S = 0.5


def write_bank(folder: Path, n: int, files: int = 10) -> None:
    per_file = n // files
    for f in range(files):
        items = []
        for i in range(per_file):
            k = f * per_file + i
            if k % 5 == 3:
                items.append({"question": f"Bench choice question {k}: which one?", "kind": "choice",
                              "choices": ["alpha", "beta", "gamma"], "correct": "beta"})
            elif k % 5 == 4:
                items.append({"question": f"Bench cloze {k}: attention scales by {{{{c1::1/sqrt(d_k)}}}}.",
                              "kind": "cloze"})
            else:
                items.append({"question": f"Bench question {k}: what does softmax do with $x_i$?",
                              "answer": "It maps logits to probabilities:\n\n```python\np = exp(x) / exp(x).sum()\n```",
                              "tags": ["bench", f"t{k % 7}"], "keywords": ["logits", "probabilities"]})
        text = yaml.safe_dump({"topic": f"topic-{f}", "questions": items}, sort_keys=False)
        (folder / f"bank_{f:02d}.yaml").write_text(text, encoding="utf-8")


def env_for(home: Path) -> dict[str, str]:
    env = {**os.environ, "MLPREP_HOME": str(home), "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    return env


# The quiz command on its own in a one-command typer app: what the other commands' imports cost.
QUIZ_ALONE = (
    "import sys, typer; from mlprep.commands.quiz import quiz; app = typer.Typer(); "
    "app.command()(quiz); app(sys.argv[1:])"
)


def fill_store(home: Path, bank: Path) -> None:
    """Every question learned (rated Easy) 30 days ago: all are due again today, in bank order."""
    from mlprep.bank.loader import load_questions
    from mlprep.quiz.scheduler import Settings, rate
    from mlprep.store import open_store

    home.mkdir(parents=True, exist_ok=True)
    then = datetime.now(timezone.utc) - timedelta(days=30)
    with open_store(home / "progress.db") as store, store.write():
        for q in load_questions([bank]):
            rate(store, q.id, q.topic, 4, then, Settings(fuzz=False))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_first_card(bank: Path, home: Path, alone: bool = False) -> tuple[float, float]:
    """(wall seconds until the first card is on screen, CPU seconds of the whole run)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    argv = ["-c", QUIZ_ALONE] if alone else ["-m", "mlprep", "quiz"]
    child = pexpect.spawn(sys.executable, [*argv, "--only-bank", str(bank)],
                          env=env_for(home), encoding="utf-8", timeout=30, dimensions=(50, 110))
    child.expect("Bench question 0:")
    elapsed = time.perf_counter() - start
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed, _children_cpu() - cpu


def time_library_first_card(home: Path) -> tuple[float, float]:
    """Plain `mlprep quiz` over the bundled banks plus the imported library."""
    cpu = _children_cpu()
    start = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "mlprep", "quiz"], env=env_for(home), encoding="utf-8",
                          timeout=60, dimensions=(50, 110))
    child.expect(r"(?i)bench (step|term|block|row|highlight|note|\[)|the normalisation layer of block|"
                 r"the definition of term|row \d+ of the table")
    elapsed = time.perf_counter() - start
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed, _children_cpu() - cpu


def build_library(home: Path, scratch: Path, cards: int) -> int:
    """Import a generated vault of ``cards`` cards into ``home`` and make every one of them due."""
    from bench_import import write_vault

    from mlprep.bank.library import load_library
    from mlprep.quiz.scheduler import Settings, rate
    from mlprep.store import open_store

    vault = scratch / "vault"
    write_vault(vault, max(1, cards // 5))
    subprocess.run([sys.executable, "-m", "mlprep", "import", str(vault), "--json"], env=env_for(home),
                   check=True, capture_output=True)
    then = datetime.now(timezone.utc) - timedelta(days=30)
    old = os.environ.get("MLPREP_HOME")
    os.environ["MLPREP_HOME"] = str(home)
    try:
        imported = [q for q in load_library() if q.bank.startswith("bench-note")]
        with open_store(home / "progress.db") as store, store.write():
            for q in imported:
                rate(store, q.id, q.topic, 4, then, Settings(fuzz=False))
    finally:
        if old is None:
            os.environ.pop("MLPREP_HOME", None)
        else:
            os.environ["MLPREP_HOME"] = old
    return len(imported)


def time_peer(scratch: Path) -> tuple[float, float]:
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mlprep", "--version"], env=env_for(scratch / "peer"),
                   check=True, capture_output=True)
    return time.perf_counter() - start, _children_cpu() - cpu


def torch_on_quiz_path(bank: Path, scratch: Path) -> list[str]:
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "mlprep", "quiz", "--only-bank", str(bank)],
                         input="q", env=env_for(scratch / "imports"), capture_output=True, text=True, check=True)
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("import time:")]
    return [ln.rsplit("|", 1)[-1].strip() for ln in lines if ln.rsplit("|", 1)[-1].strip().split(".")[0] == "torch"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--imported", type=int, default=5000, help="imported cards in the library case (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlprep-bench-") as tmp:
        scratch = Path(tmp)
        bank = scratch / "bank"
        bank.mkdir()
        write_bank(bank, args.questions)
        fill_store(scratch / "warm", bank)
        time_first_card(bank, scratch / "warm")  # fills the OS file cache, .pyc files, bank cache
        warm: list[tuple[float, float]] = []
        cold: list[tuple[float, float]] = []
        peer: list[tuple[float, float]] = []
        alone: list[tuple[float, float]] = []
        for r in range(args.runs):  # interleaved, so a busy moment hits all alike
            warm.append(time_first_card(bank, scratch / "warm"))
            alone.append(time_first_card(bank, scratch / "warm", alone=True))
            cold.append(time_first_card(bank, scratch / f"cold{r}"))
            peer.append(time_peer(scratch))
        torch_modules = torch_on_quiz_path(bank, scratch)
        library: list[tuple[float, float]] = []
        imported = 0
        if args.imported:
            imported = build_library(scratch / "library", scratch, args.imported)
            time_library_first_card(scratch / "library")  # warms the caches
            for _ in range(args.runs):
                library.append(time_library_first_card(scratch / "library"))
    p = statistics.median(w for w, _ in peer)
    p_cpu = statistics.median(c for _, c in peer)
    print(f"questions in the banks: {args.questions}, runs: {args.runs} (medians; wall min-max in brackets)")
    print(f"{'':36}{'wall s':>7} {'ratio':>6}  {'cpu s':>6} {'ratio':>6}")
    for name, runs in (("mlprep quiz, first card, warm home", warm), ("mlprep quiz, first card, cold home", cold),
                       ("quiz command alone, warm home", alone), ("peer: mlprep --version", peer)):
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        m, c = statistics.median(walls), statistics.median(cpus)
        print(f"{name:36}{m:7.3f} {m / p:5.2f}x  {c:6.3f} {c / p_cpu:5.2f}x  [{min(walls):.3f}-{max(walls):.3f}]")
    if library:
        walls, cpus = [w for w, _ in library], [c for _, c in library]
        m, c = statistics.median(walls), statistics.median(cpus)
        name = f"mlprep quiz, library +{imported:,}"
        print(f"{name:36}{m:7.3f} {m / p:5.2f}x  {c:6.3f} {c / p_cpu:5.2f}x  [{min(walls):.3f}-{max(walls):.3f}]")
    w = statistics.median(w for w, _ in warm)
    print(f"target {TARGET_S:.2f} s (warm): {'met' if w <= TARGET_S else 'MISSED'} ({w / TARGET_S:.2f} of it)")
    if library:
        m = statistics.median(w for w, _ in library)
        print(f"target {TARGET_S:.2f} s (library, {imported:,} imported cards, warm): "
              f"{'met' if m <= TARGET_S else 'MISSED'} ({m / TARGET_S:.2f} of it)")
    print(f"load average during the run (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"torch imported on the quiz path: {'yes: ' + ', '.join(torch_modules[:3]) if torch_modules else 'no'}")


if __name__ == "__main__":
    main()
