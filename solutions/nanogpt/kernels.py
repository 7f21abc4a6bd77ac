"""Matmul kernels for CPU inference, where a decode step multiplies one row by every weight matrix.

Such a step is bound by reading the weights (the heavy shape's 24 matrices hold 42 MB, more than
the L3 cache), so the kernel's access pattern decides the speed. Measured on a 2-core AMD EPYC
(torch 2.13, 2 threads), the 24 one-row products of one heavy-shape step take:

- ``F.linear`` on the usual (out, in) weight: 2.35 ms (a single-threaded gemv);
- the same weight stored transposed, (in, out) in memory: 1.44 ms;
- oneDNN with the weight reordered ("packed") once for a batch of one: 0.94 ms, both cores busy.

oneDNN's call has a fixed cost, though (about 12 us against 3 us), which dominates when the weights
stay in cache between steps. Whole-engine ms/token (2 threads, top-k sampling) by the size of the
models' Linear weights, from 4 layers of 128 wide to 8 layers of 512 wide:

    weights       3 MB   12 MB   18 MB   27 MB   41 MB   96 MB
    F.linear      0.50   0.73    1.35    1.99    3.11    6.75
    transposed    0.47   0.70    1.23    1.78    2.30    4.91
    oneDNN        0.68   0.81    1.32    1.36    2.08    3.78

so oneDNN is used once the Linear weights outgrow 3/4 of the last-level cache, the transposed
layout below that. :func:`inference_kernels` swaps the model's ``nn.Linear`` layers onto the chosen
kernel for the duration of a ``with`` block and puts everything back afterwards. The parameters
are never touched: the state dict, training and the tied embedding see the model as before.
Other devices keep ``F.linear``, which is already what cuBLAS wants. Under ``torch.compile`` the
oneDNN kernel goes through a custom op, as dynamo cannot trace oneDNN's packed tensors; in eager
mode it calls oneDNN directly (the op's dispatch costs about 4 us a call).
"""

from __future__ import annotations

import functools
import itertools
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

Kernel = Callable[[torch.Tensor], torch.Tensor]
FALLBACK_CACHE_BYTES = 32 * 2**20  # the measuring machine's L3, for systems that do not report theirs


@functools.cache
def last_level_cache_bytes(cpu_caches: Path = Path("/sys/devices/system/cpu/cpu0/cache")) -> int:
    """The largest CPU cache Linux reports (e.g. "32768K"), else the fallback."""
    sizes = []
    for entry in cpu_caches.glob("index*/size"):
        text = entry.read_text().strip()
        scale = {"K": 2**10, "M": 2**20, "G": 2**30}.get(text[-1:], 1)
        digits = text.rstrip("KMG")
        if digits.isdigit():
            sizes.append(int(digits) * scale)
    return max(sizes, default=FALLBACK_CACHE_BYTES)


@functools.cache
def onednn_available() -> bool:
    """Whether oneDNN's packed linear (the private ops inductor uses on CPU) works in this build:
    one small product is run through it and checked against ``F.linear``."""
    if not torch.backends.mkldnn.is_available():
        return False
    weight, x = torch.randn(8, 16), torch.randn(2, 16)
    try:
        with torch.no_grad():
            packed = torch.ops.mkldnn._reorder_linear_weight(weight, 1)
            y = torch.ops.mkldnn._linear_pointwise(x, packed, None, "none", [], "")
    except (AttributeError, RuntimeError, NotImplementedError):  # ops missing, or no kernel for this CPU
        return False
    return torch.allclose(y, F.linear(x, weight), atol=1e-4)


# Packed weights by handle. torch.compile cannot trace oneDNN's packed tensors, so the compiled
# decode step calls the custom op below with an integer handle instead, as an opaque call.
_packed: dict[int, tuple[torch.Tensor, torch.Tensor | None, int]] = {}  # (weight, bias, out_features)
_handles = itertools.count()


def _onednn_linear(x: torch.Tensor, handle: int) -> torch.Tensor:
    weight, bias, _ = _packed[handle]
    return torch.ops.mkldnn._linear_pointwise(x, weight, bias, "none", [], "")


COMPILABLE_ONEDNN = hasattr(torch.library, "custom_op")  # torch >= 2.4
if COMPILABLE_ONEDNN:
    _onednn_linear_op = torch.library.custom_op("nanogpt::onednn_linear", mutates_args=())(_onednn_linear)

    @_onednn_linear_op.register_fake
    def _(x: torch.Tensor, handle: int) -> torch.Tensor:
        return x.new_empty(*x.shape[:-1], _packed[handle][2])


def _onednn(linear: nn.Linear) -> Kernel:
    handle = next(_handles)
    weight = torch.ops.mkldnn._reorder_linear_weight(linear.weight.detach(), 1)  # tuned for one row
    _packed[handle] = (weight, None if linear.bias is None else linear.bias.detach(), linear.out_features)

    def run(x: torch.Tensor) -> torch.Tensor:
        if COMPILABLE_ONEDNN and torch.compiler.is_compiling():
            return _onednn_linear_op(x, handle)
        return _onednn_linear(x, handle)  # the plain function: 4 us less than dispatching the op

    weakref.finalize(run, _packed.pop, handle, None)  # the packed copy lives as long as its kernel
    return run


def _transposed(linear: nn.Linear) -> Kernel:
    weight = linear.weight.detach().t().contiguous().t()  # same (out, in) values, (in, out) in memory
    bias = None if linear.bias is None else linear.bias.detach()

    def run(x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, weight, bias)

    return run


MAKERS: dict[str, Callable[[nn.Linear], Kernel]] = {"onednn": _onednn, "transposed": _transposed}
_built: weakref.WeakKeyDictionary[nn.Linear, tuple[tuple, Kernel]] = weakref.WeakKeyDictionary()


def _kernel(linear: nn.Linear, kind: str) -> Kernel:
    """The ``kind`` kernel of ``linear``, rebuilt only when its weight or bias changed since the last
    build: every in-place change (an optimizer step, ``load_state_dict``) moves a tensor's version."""
    w, b = linear.weight, linear.bias
    key = (kind, w.data_ptr(), w._version, w.device, w.dtype, None if b is None else (b.data_ptr(), b._version))
    built = _built.get(linear)
    if built is None or built[0] != key:
        built = _built[linear] = (key, MAKERS[kind](linear))
    return built[1]


def kernel_name(model: nn.Module) -> str:
    """Which kernel :func:`inference_kernels` picks for this model: onednn, transposed or default."""
    weight = next(model.parameters())
    if weight.device.type != "cpu" or weight.dtype != torch.float32:
        return "default"
    linear_bytes = sum(m.weight.nbytes for m in model.modules() if isinstance(m, nn.Linear))
    big = linear_bytes > 0.75 * last_level_cache_bytes()
    return "onednn" if big and onednn_available() else "transposed"


@contextmanager
def inference_kernels(model: nn.Module, kind: str | None = None) -> Iterator[str]:
    """Run every ``nn.Linear`` of ``model`` through the ``kind`` kernel (default: the best here).

    Only for inference under ``torch.no_grad()``: the kernels hold copies of the weights, made on
    first use and remade once a weight changes. Yields the kernel's name.
    """
    kind = kind or kernel_name(model)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)] if kind in MAKERS else []
    try:
        for linear in linears:
            linear.forward = _kernel(linear, kind)  # an instance attribute shadows nn.Linear.forward
        yield kind
    finally:
        for linear in linears:
            linear.__dict__.pop("forward", None)
