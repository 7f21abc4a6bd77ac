# mlprep drill: lr_schedule
# expect: progress counts from the end of the warm-up
# Mistake: the cosine's progress is step / total_steps, counted from step 0 instead of from the end of the warm-up
"""Reference solution: linear warm-up from 0, then a half cosine from max_lr down to min_lr."""

from __future__ import annotations

import math


def lr_at(step: int, max_lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> float:
    """The learning rate for the optimiser step numbered ``step`` (0 for the first)."""
    if step < warmup_steps:  # never true when warmup_steps == 0
        return max_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    progress = step / total_steps
    return min_lr + (max_lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))


# The grader calls this to check the "no torch" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
