"""Generation speed: our KV-cache engine vs our crop-and-recompute path vs Hugging Face GPT-2.

    .venv/bin/python bench/bench_gpt_generate.py                 # heavy shape, 1,000 tokens, 2 threads, CPU
    .venv/bin/python bench/bench_gpt_generate.py --device cuda --compile   # + the compiled decode step

Same weights for both of our paths; transformers' GPT2LMHeadModel of the same size (random weights,
generate(use_cache=True)) when `transformers` is installed (`pip install 'mlprep[bench]'`).
Targets (issue 9, 2-core CPU): cached >= 5x faster than uncached, >= 1.3x faster than the peer;
at the small lite shape a cached generation step within 1.2x of a bare one-token forward pass.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mlprep.solutions import ensure_importable  # noqa: E402

ensure_importable()

import torch  # noqa: E402
from nanogpt.config import heavy  # noqa: E402
from nanogpt.speed import run_benchmark  # noqa: E402

TARGET_CACHE, TARGET_HF, TARGET_STEP = 5.0, 1.3, 1.2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--compile", action="store_true", help="also time the torch.compile decode step")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    r = run_benchmark(heavy().model, args.tokens, args.device, compile=args.compile)
    ms, cpu = r["ms_per_token"], r["cpu_ms_per_token"]
    print(f"torch {torch.__version__}, {r['threads']} threads, {r['device']}, shape {r['shape']}, "
          f"{r['tokens']} tokens from a 1-token prompt, top-k 10, T 0.8, best of {r['repeats']}")
    print(f"{'engine':36}{'ms/token':>10}{'CPU ms/token':>14}{'ours cached is':>18}")
    print(f"{'ours, KV cache (' + r['kernels'] + ' matmuls)':36}{ms['cached']:>10.2f}{cpu['cached']:>14.2f}{'1.00x':>18}")
    if ms["compiled"] is not None:
        print(f"{'ours, KV cache, torch.compile':36}{ms['compiled']:>10.2f}{cpu['compiled']:>14.2f}"
              f"{ms['compiled'] / ms['cached']:>17.2f}x (below 1: the compiled step is faster; "
              f"compiled in {r['compile_s']:.1f} s)")
    print(f"{'ours, crop-and-recompute':36}{ms['uncached']:>10.2f}{cpu['uncached']:>14.2f}"
          f"{r['speedup_cache']:>17.2f}x")
    if ms["hf_cached"] is not None:
        print(f"{'transformers GPT2 generate(cache)':36}{ms['hf_cached']:>10.2f}{cpu['hf_cached']:>14.2f}"
              f"{r['speedup_vs_hf']:>17.2f}x (CPU time: {r['cpu_speedup_vs_hf']:.2f}x)")
    print(f"{'the notes, no cache (their machine)':36}{r['notes_uncached_ms']:>10.2f}")
    o = r["step_overhead"]
    print(f"lite shape: cached step {o['cached_step_ms']:.3f} ms vs bare 1-token forward "
          f"{o['bare_forward_ms']:.3f} ms = {o['ratio']:.2f}x (CPU time: {o['cpu_ratio']:.2f}x)")
    checks = {
        f"cache speed-up >= {TARGET_CACHE}x": r["speedup_cache"] >= TARGET_CACHE,
        f"cached step <= {TARGET_STEP}x bare forward": o["ratio"] <= TARGET_STEP,
    }
    if r["speedup_vs_hf"] is not None:
        checks[f"vs transformers >= {TARGET_HF}x"] = r["speedup_vs_hf"] >= TARGET_HF
    for name, ok in checks.items():
        print(f"target {name}: {'MET' if ok else 'MISSED'}")
    print(json.dumps(r))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
