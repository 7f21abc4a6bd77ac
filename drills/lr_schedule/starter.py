# mlprep drill: lr_schedule
"""Linear warm-up then cosine decay to a floor: the learning rate at any step.
Run the public examples with `pytest` and grade with `mlprep grade lr_schedule.py`."""

from __future__ import annotations

import math


def lr_at(step: int, max_lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> float:
    """max_lr * step / warmup_steps during warm-up; then a half cosine from max_lr (at
    warmup_steps) to min_lr (at total_steps); min_lr after that."""
    raise NotImplementedError("lr_at")


# The grader calls this to check the "no torch" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
