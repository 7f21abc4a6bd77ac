# mlprep drill: conv2d_im2col
# expect: do not flip the kernel
# Mistake: a textbook convolution: the kernel is flipped, while F.conv2d is a cross-correlation
"""Reference solution: im2col (F.unfold's layout) and conv2d as one matmul on top of it.

The only loop is over the kH * kW kernel taps: each tap is one strided slice of the padded input
covering every output pixel at once. Stacking the taps in (channel, kernel row, kernel column)
order gives F.unfold's rows; flattening the output pixels row-major gives its columns.
"""

from __future__ import annotations

import numpy as np


def _pair(v) -> tuple[int, int]:
    return (int(v), int(v)) if np.isscalar(v) else (int(v[0]), int(v[1]))


def im2col(x: np.ndarray, kernel_size, stride=1, padding=0, dilation=1) -> np.ndarray:
    """(N, C, H, W) -> (N, C * kH * kW, H_out * W_out), the layout of torch's F.unfold."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(_pair, (kernel_size, stride, padding, dilation))
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    cols = np.empty((n, c, kh, kw, h_out, w_out), dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            top, left = i * dh, j * dw  # where this tap sits for output pixel (0, 0)
            cols[:, :, i, j] = xp[:, :, top: top + sh * (h_out - 1) + 1: sh, left: left + sw * (w_out - 1) + 1: sw]
    return cols.reshape(n, c * kh * kw, h_out * w_out)


def conv2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
           stride=1, padding=0, dilation=1) -> np.ndarray:
    """(N, C, H, W) * (C_out, C, kH, kW) -> (N, C_out, H_out, W_out), as torch's F.conv2d."""
    c_out, _, kh, kw = weight.shape
    (sh, sw), (ph, pw), (dh, dw) = map(_pair, (stride, padding, dilation))
    h_out = (x.shape[2] + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (x.shape[3] + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    cols = im2col(x, (kh, kw), stride, padding, dilation)  # (N, C*kH*kW, L)
    out = weight[:, :, ::-1, ::-1].reshape(c_out, -1) @ cols  # (N, C_out, L): one matmul per batch item, broadcast
    out = out.reshape(x.shape[0], c_out, h_out, w_out)
    if bias is not None:
        out = out + bias[:, None, None]
    return out


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
