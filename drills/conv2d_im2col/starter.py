# mlprep drill: conv2d_im2col
"""Conv2d (cross-correlation, groups=1) with stride, padding and dilation, via im2col, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade conv2d_im2col.py`."""

from __future__ import annotations

import numpy as np


def im2col(x: np.ndarray, kernel_size, stride=1, padding=0, dilation=1) -> np.ndarray:
    """(N, C, H, W) -> (N, C * kH * kW, H_out * W_out), the layout of torch's F.unfold.

    kernel_size, stride, padding, dilation: an int, or a tuple (for height, for width).
    """
    raise NotImplementedError("im2col")


def conv2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
           stride=1, padding=0, dilation=1) -> np.ndarray:
    """(N, C, H, W) * (C_out, C, kH, kW) -> (N, C_out, H_out, W_out), as torch's F.conv2d."""
    raise NotImplementedError("conv2d")


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
