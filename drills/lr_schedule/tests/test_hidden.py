"""Hidden tests for lr_schedule: the formula at every step of several schedules, each boundary
(step 0, the last warm-up step, the peak, the middle, the end, past the end), the floor and
warmup_steps = 0, with the classic off-by-one and rescaling mistakes named."""

import math

import pytest

from mlprep.drills.compare import describe, fail
from mlprep.drills.scalars import assert_float_close, expect_float


def formula(step, max_lr, warmup, total, min_lr=0.0):
    if step < warmup:
        return max_lr * step / warmup
    if step > total:
        return min_lr
    progress = (step - warmup) / (total - warmup)
    return min_lr + (max_lr - min_lr) * (math.cos(math.pi * progress / 2) ** 2)  # 0.5 (1 + cos x) = cos^2(x / 2)


def mistakes(step, max_lr, warmup, total, min_lr=0.0):
    """What classic wrong schedules give at this step, keyed by the message naming the mistake."""
    out = {}
    if step < warmup:
        out["the warm-up is max_lr * step / warmup_steps: step 0 has rate 0, and the peak comes at step warmup_steps"] = \
            max_lr * (step + 1) / warmup
        out["the warm-up is max_lr * step / warmup_steps, reaching max_lr at step warmup_steps (not warmup_steps - 1)"] = \
            max_lr * step / (warmup - 1) if warmup > 1 else math.nan
        out["the warm-up goes from 0 to max_lr, not from min_lr to max_lr"] = min_lr + (max_lr - min_lr) * step / warmup
    elif step <= total:
        p = (step - warmup) / (total - warmup)
        c = 0.5 * (1 + math.cos(math.pi * p))
        out["the cosine's progress counts from the end of the warm-up: (step - warmup_steps) / (total_steps - warmup_steps)"] = \
            min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * step / total))
        out["the cosine must be rescaled to run from max_lr down to min_lr: min_lr + (max_lr - min_lr) * 0.5 * (1 + cos), not clipped at min_lr"] = \
            max(min_lr, max_lr * c)
        out["the cosine ends at min_lr: min_lr + (max_lr - min_lr) * 0.5 * (1 + cos), not min_lr + max_lr * 0.5 * (1 + cos)"] = \
            min_lr + max_lr * c
        if warmup > 0:
            out["off by one at the end of the warm-up: the decay starts at step warmup_steps with progress 0 (the peak)"] = \
                min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * (step - warmup + 1) / (total - warmup + 1)))
    else:
        p = (step - warmup) / (total - warmup)
        out["after total_steps the rate stays at min_lr; yours follows the cosine back up"] = \
            min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * p))
    return {k: v for k, v in out.items() if not math.isnan(v)}


def check(solution, step, max_lr, warmup, total, min_lr, tolerance, where):
    kwargs = {} if min_lr is None else {"min_lr": min_lr}
    got = expect_float(solution.lr_at(step, max_lr, warmup, total, **kwargs), f"lr_at({step})")
    m = 0.0 if min_lr is None else min_lr
    args = f"max_lr={max_lr}, warmup_steps={warmup}, total_steps={total}, min_lr={m}"
    assert_float_close(got, formula(step, max_lr, warmup, total, m), f"{where} (step {step}; {args})",
                       mistakes(step, max_lr, warmup, total, m), **tolerance)


@pytest.mark.parametrize("step,where", [(0, "the first step"), (1, "the second step"), (49, "the last warm-up step")],
                         ids=["step 0", "step 1", "last warm-up step"])
def test_warmup(solution, tolerance, step, where):
    """the warm-up is linear from 0: max_lr * step / warmup_steps"""
    check(solution, step, 3e-4, 50, 400, None, tolerance, where)


def test_peak(solution, tolerance):
    """the peak max_lr is reached exactly at step == warmup_steps"""
    check(solution, 50, 3e-4, 50, 400, 3e-5, tolerance, "the end of the warm-up")


def test_middle_and_end(solution, tolerance):
    """half-way through the decay the rate is (max_lr + min_lr) / 2; at total_steps it is min_lr"""
    check(solution, 225, 3e-4, 50, 400, 3e-5, tolerance, "the middle of the decay")
    check(solution, 400, 3e-4, 50, 400, 3e-5, tolerance, "the last step of the decay")


@pytest.mark.parametrize("step", [401, 450, 800], ids=["total + 1", "total + 50", "2 * total"])
def test_after_the_end(solution, tolerance, step):
    """after total_steps the rate stays at min_lr"""
    check(solution, step, 3e-4, 50, 400, 3e-5, tolerance, "after the end")


def test_no_warmup(solution, tolerance):
    """warmup_steps = 0: the first step already has max_lr, and the cosine starts there"""
    for step in (0, 1, 30, 60, 61):
        check(solution, step, 1e-3, 0, 60, 1e-4, tolerance, "no warm-up")


@pytest.mark.parametrize("config", [
    (1.0, 4, 12, None), (6e-4, 10, 100, 6e-5), (2.5, 1, 7, 0.5), (1e-3, 37, 38, 1e-5),
], ids=["max 1, warm-up 4 of 12", "max 6e-4, warm-up 10 of 100, floor 6e-5",
        "one warm-up step", "one decay step"])
def test_every_step(solution, tolerance, config):
    """every step of a schedule, and some beyond, equals the formula"""
    max_lr, warmup, total, min_lr = config
    for step in range(0, total + 4):
        check(solution, step, max_lr, warmup, total, min_lr, tolerance, "a full sweep")


def test_no_torch(solution):
    """no torch: the file does not use torch"""
    solution.lr_at(5, 1.0, 4, 12)
    modules = solution.loaded_modules()
    if type(modules) is not list:
        fail(f"loaded_modules must return a list (leave it as the starter has it); got {describe(modules)}")
    if modules:
        fail(f"this drill is plain Python or numpy: your file loaded {', '.join(map(str, modules[:3]))}; "
             "write the schedule as a formula instead of using torch's schedulers")
