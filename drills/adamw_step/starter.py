# mlprep drill: adamw_step
"""One AdamW step (bias correction, decoupled weight decay) in numpy, equal to torch.optim.AdamW.
Run the public examples with `pytest` and grade with `mlprep grade adamw_step.py`."""

from __future__ import annotations

import numpy as np


def adamw_step(param: np.ndarray, grad: np.ndarray, state: dict, lr: float = 1e-3,
               betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
               weight_decay: float = 1e-2) -> tuple[np.ndarray, dict]:
    """(new_param, new_state); state is {} at first, then {"step", "exp_avg", "exp_avg_sq"}."""
    raise NotImplementedError("adamw_step")


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
