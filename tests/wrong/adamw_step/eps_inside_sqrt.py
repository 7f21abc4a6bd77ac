# mlprep drill: adamw_step
# expect: eps goes outside the square root
# Mistake: eps is added to v_hat under the square root (as some RMSProp variants do)
"""Reference solution: one AdamW step, as torch.optim.AdamW computes it (no amsgrad).

Decoupled weight decay (Loshchilov & Hutter): the parameter is shrunk by lr * weight_decay
directly, and the moments only ever see the raw gradient. The moments start at zero, so they
are biased towards zero early on; dividing by 1 - beta**t removes that bias.
"""

from __future__ import annotations

import numpy as np


def adamw_step(param: np.ndarray, grad: np.ndarray, state: dict, lr: float = 1e-3,
               betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
               weight_decay: float = 1e-2) -> tuple[np.ndarray, dict]:
    """(new_param, new_state); state is {} at first, then {"step", "exp_avg", "exp_avg_sq"}."""
    b1, b2 = betas
    t = int(state.get("step", 0)) + 1
    m = state.get("exp_avg", np.zeros_like(param))
    v = state.get("exp_avg_sq", np.zeros_like(param))
    param = param * (1.0 - lr * weight_decay)  # decoupled decay, before the Adam update
    m = b1 * m + (1.0 - b1) * grad
    v = b2 * v + (1.0 - b2) * grad * grad
    m_hat = m / (1.0 - b1 ** t)
    v_hat = v / (1.0 - b2 ** t)
    param = param - lr * m_hat / (np.sqrt(v_hat + eps))
    return param, {"step": t, "exp_avg": m, "exp_avg_sq": v}


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
