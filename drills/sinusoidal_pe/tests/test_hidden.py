"""Hidden tests for sinusoidal_pe: the closed form, its layout, and odd widths."""

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.proxy import SolutionRaised


def table(n, d, base=10000.0, exponent=2.0, first=0, layout="interleaved", swap=False):
    """The closed form; its knobs give the tables of classic mistakes."""
    pos = np.arange(first, first + n, dtype=np.float64)[:, None]
    angles = pos / base ** (exponent * np.arange(d // 2) / d)
    a, b = (np.cos(angles), np.sin(angles)) if swap else (np.sin(angles), np.cos(angles))
    if layout == "halves":
        return np.concatenate([a, b], axis=1)
    out = np.empty((n, d))
    out[:, 0::2], out[:, 1::2] = a, b
    return out


def mistakes(n, d, base=10000.0):
    return {
        "the frequencies are wrong: pair i uses base ** (2i/d_model), with the even channel index 2i": table(n, d, base, exponent=1.0),
        "sin goes in the even channels and cos in the odd ones (interleaved), not in two halves": table(n, d, base, layout="halves"),
        "positions start at 0: PE[0] must be [0, 1, 0, 1, ...]": table(n, d, base, first=1),
        "even channels (2i) hold sin and odd channels (2i+1) hold cos; yours are swapped": table(n, d, base, swap=True),
    }


@pytest.mark.parametrize("n, d", [(50, 16), (7, 2), (128, 64)], ids=["50x16", "7x2", "128x64"])
def test_closed_form(solution, n, d, tolerance):
    """the table matches the closed form"""
    assert_close_or_named(solution.sinusoidal_pe(n, d), table(n, d), f"sinusoidal_pe({n}, {d})", mistakes(n, d), **tolerance)


def test_base(solution, tolerance):
    """the base argument sets the slowest frequency"""
    assert_close_or_named(solution.sinusoidal_pe(20, 8, base=100.0), table(20, 8, 100.0), "sinusoidal_pe(20, 8, base=100)",
                          mistakes(20, 8, 100.0), **tolerance)


def test_position_zero(solution):
    """position 0 is [0, 1, 0, 1, ...]"""
    pe = expect_array(solution.sinusoidal_pe(3, 10), "sinusoidal_pe(3, 10)", shape=(3, 10), kinds="f")
    if not np.allclose(pe[0], np.tile([0.0, 1.0], 5)):
        fail(f"positions start at 0: PE[0] must be [0, 1, 0, 1, ...], got {np.round(pe[0], 4).tolist()}")


def test_shift_is_a_rotation(solution):
    """moving k positions rotates each (sin, cos) pair by a fixed angle"""
    pe = expect_array(solution.sinusoidal_pe(40, 12), "sinusoidal_pe(40, 12)", shape=(40, 12), kinds="f")
    k = 5
    s, c = pe[:, 0::2], pe[:, 1::2]
    # for pair i: sin(a + phi) = sin a cos phi + cos a sin phi with phi = k * omega_i, the same for every row
    phi_sin, phi_cos = s[k], c[k]  # row k holds (sin phi, cos phi) since row 0 is (0, 1)
    predicted = s[:-k] * phi_cos + c[:-k] * phi_sin
    if not np.allclose(predicted, s[k:], atol=1e-9):
        fail("PE[pos + 5] is not a fixed rotation of PE[pos]: each pair (2i, 2i+1) must hold sin and cos "
             "of the same angle pos * omega_i")


def test_odd_width_raises(solution):
    """an odd d_model raises ValueError"""
    try:
        got = solution.sinusoidal_pe(4, 5)
    except SolutionRaised as exc:
        if "raised ValueError" not in str(exc):
            fail(f"an odd d_model should raise ValueError; {exc}")
        return
    fail(f"sinusoidal_pe(4, 5) should raise ValueError (d_model must be even), but it returned {type(got).__name__}")
