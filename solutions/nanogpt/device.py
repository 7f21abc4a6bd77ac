"""Which torch device to run on: shared by training, generation and the benchmarks."""

from __future__ import annotations

import torch

from nanogpt.errors import GPTError


def pick_device(name: str) -> str:
    """``auto`` -> cuda, else mps, else cpu; an explicit device that is not present is an error."""
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if name == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if name == "cuda" and not cuda:
        raise GPTError("--device cuda but no CUDA GPU is visible to torch; use --device cpu or auto")
    if name == "mps" and not mps:
        raise GPTError("--device mps but Apple's MPS backend is not available; use --device cpu or auto")
    if name not in ("cpu", "cuda", "mps"):
        raise GPTError(f"unknown device {name!r}; use auto, cpu, cuda or mps")
    return name


def physical_cores() -> int:
    """Cores this process may run on, counting SMT siblings once (Linux sysfs; else the CPU count)."""
    import os

    try:
        allowed = os.sched_getaffinity(0)
    except AttributeError:  # macOS, Windows
        return max(1, (os.cpu_count() or 2) // 2)
    cores = set()
    for cpu in allowed:
        try:
            with open(f"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list") as fh:
                cores.add(fh.read().strip())
        except OSError:
            cores.add(str(cpu))
    return max(1, len(cores))


def choose_threads(requested: int | None = None, probe: bool = True) -> tuple[int, str]:
    """Set torch's CPU threads and say why: the request, else OMP_NUM_THREADS, else a measurement.

    Without either, time a small matmul workload on 1 thread and on the physical cores and keep the
    faster: on a busy machine, threads spinning while they wait for each other can cost more than
    the extra core gains (seen: 3.4x slower training with 2 threads than with 1).
    """
    import os
    import time

    if requested:
        torch.set_num_threads(requested)
        return requested, "--threads"
    if os.environ.get("OMP_NUM_THREADS"):
        return torch.get_num_threads(), "OMP_NUM_THREADS"
    cores = physical_cores()
    if cores == 1 or not probe:
        torch.set_num_threads(cores)
        return cores, "physical cores"
    a, b = torch.randn(256, 384), torch.randn(384, 1536)
    timings = {}
    for n in (1, cores):
        torch.set_num_threads(n)
        a @ b  # warm-up
        t0 = time.perf_counter()
        for _ in range(20):
            a @ b
        timings[n] = time.perf_counter() - t0
    best = min(timings, key=timings.get)
    torch.set_num_threads(best)
    return best, f"measured ({', '.join(f'{n}: {1000 * t:.1f} ms' for n, t in timings.items())})"
