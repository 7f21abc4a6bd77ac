"""Name the learner's mistake: compare a wrong result with the answers that known mistakes give.

Hidden tests compute the right answer with an oracle and, beside it, what a few classic wrong
implementations would return on the same input (scaling by d instead of sqrt(d), the mask
applied after softmax, ...). When the learner's result is wrong and equals one of those, the
failure says which mistake it is instead of only where the numbers differ.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlprep.drills.compare import DrillFailure, assert_close, fail


def _same(got: Any, alt: Any, rtol: float, atol: float) -> bool:
    if type(got) is not type(alt) or tuple(got.shape) != tuple(alt.shape):
        return False
    g = got if type(got) is np.ndarray else got.detach().cpu().numpy()
    a = alt if type(alt) is np.ndarray else alt.detach().cpu().numpy()
    return bool(np.allclose(g.astype(np.float64), a.astype(np.float64), rtol=rtol, atol=atol, equal_nan=True))


def assert_close_or_named(got: Any, expected: Any, what: str, mistakes: dict[str, Any],
                          rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """Like :func:`assert_close`; a wrong ``got`` equal to ``mistakes[message]`` fails with ``message``."""
    try:
        assert_close(got, expected, what, rtol=rtol, atol=atol)
    except DrillFailure:
        for message, alt in mistakes.items():
            if _same(got, alt, rtol, atol):
                fail(f"{what}: {message}")
        raise
