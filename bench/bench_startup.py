"""How fast does the CLI start? `mlprep --help` must stay under 0.3 s (median) on a 2-core CPU.

Peer: a bare `python -c pass` (the interpreter's own floor) and `python -m pip --help`, timed
back to back in the same run. Usage: python bench/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def median_wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    median_wall([py, "-m", "mlprep", "--help"], 2)  # warm the page cache and .pyc files
    rows = [
        ("python -c pass", median_wall([py, "-c", "pass"], args.runs)),
        ("pip --help", median_wall([py, "-m", "pip", "--help"], args.runs)),
        ("mlprep --help", median_wall([py, "-m", "mlprep", "--help"], args.runs)),
    ]
    check = "import sys, mlprep.cli, typer.main; typer.main.get_command(mlprep.cli.app); print('torch' in sys.modules)"
    torch_loaded = subprocess.run([py, "-c", check], capture_output=True, text=True).stdout.strip()
    ours = rows[-1][1]
    print(f"{'command':<16} {'median s':>9} {'mlprep / this':>14}")
    for name, t in rows:
        print(f"{name:<16} {t:>9.3f} {ours / t:>14.2f}")
    print(f"torch imported by the CLI at start: {torch_loaded}")
    verdict = "PASS" if ours < 0.3 and torch_loaded == "False" else "FAIL"
    print(f"{verdict}: mlprep --help median {ours:.3f} s (target < 0.300 s, no torch)")


if __name__ == "__main__":
    main()
