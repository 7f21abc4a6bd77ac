"""Hidden tests for clip_loss: the closed form of the paper's pseudocode, invariances
(scale of the embeddings, permuting the pairs, swapping images and texts), small temperatures,
and the classic mistakes by name."""

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.scalars import assert_float_close, expect_float


def unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def row_ce(logits):
    m = logits.max(1, keepdims=True)
    log_p = logits - m - np.log(np.exp(logits - m).sum(1, keepdims=True))
    return float(-np.diag(log_p).mean()) + 0.0  # + 0.0 turns -0.0 into 0.0


def pairs(seed, n=6, d=8, noise=0.8):
    """n related pairs: texts are noisy copies of the images, at different scales."""
    rng = np.random.default_rng(seed)
    img = rng.normal(size=(n, d))
    txt = img + noise * rng.normal(size=(n, d))
    return img * rng.uniform(0.5, 3, (n, 1)), txt * rng.uniform(0.5, 3, (n, 1))


def test_logits(solution, tolerance):
    """clip_logits holds cosine similarities divided by the temperature"""
    img, txt = pairs(0)
    got = expect_array(solution.clip_logits(img, txt, 0.1), "clip_logits", shape=(6, 6), kinds="f")
    cos = unit(img) @ unit(txt).T
    assert_close_or_named(got, cos / 0.1, "clip_logits at temperature 0.1", {
        "normalise the embeddings to unit length first: these are raw dot products": img @ txt.T / 0.1,
        "divide by the temperature, do not multiply": cos * 0.1,
        "rows are images and columns are texts: you returned the transpose": (cos / 0.1).T,
    }, **tolerance)


@pytest.mark.parametrize("temperature", [1.0, 0.07], ids=["T=1", "T=0.07"])
def test_loss(solution, tolerance, temperature):
    """the loss is the mean of the row (image-to-text) and column (text-to-image) cross-entropies"""
    img, txt = pairs(1)
    logits = unit(img) @ unit(txt).T / temperature
    rows, cols = row_ce(logits), row_ce(logits.T)
    assert_float_close(solution.clip_loss(img, txt, temperature), (rows + cols) / 2, f"clip_loss at temperature {temperature}", {
        "the loss is symmetric: average the image-to-text (rows) AND text-to-image (columns) cross-entropies":
            rows,
        "the loss is symmetric: you only have the text-to-image (columns) half; add the rows": cols,
        "normalise the embeddings to unit length first (cosine similarity, not dot product)":
            (row_ce(img @ txt.T / temperature) + row_ce(txt @ img.T / temperature)) / 2,
        "divide the similarities by the temperature, do not multiply":
            (row_ce(logits * temperature**2) + row_ce(logits.T * temperature**2)) / 2,
        "average the two directions, do not add them": rows + cols,
        "average over the n pairs, do not sum": len(img) * (rows + cols) / 2,
    }, **tolerance)


def test_scale_invariance(solution):
    """rescaling any embedding row leaves the loss unchanged"""
    img, txt = pairs(2)
    a = expect_float(solution.clip_loss(img, txt, 0.2), "clip_loss")
    b = expect_float(solution.clip_loss(img * 10.0, txt * np.arange(1, 7)[:, None], 0.2), "clip_loss on rescaled rows")
    if not np.isclose(a, b, rtol=1e-9):
        fail(f"rescaling the embeddings changed the loss from {a:.6g} to {b:.6g}: normalise each row to unit length")


def test_swap_and_permute(solution):
    """swapping images with texts, or reordering the pairs, leaves the loss unchanged"""
    img, txt = pairs(3)
    a = expect_float(solution.clip_loss(img, txt, 0.3), "clip_loss")
    swapped = expect_float(solution.clip_loss(txt, img, 0.3), "clip_loss with images and texts swapped")
    if not np.isclose(a, swapped, rtol=1e-9):
        fail(f"swapping images and texts changed the loss ({a:.6g} vs {swapped:.6g}): the loss must be symmetric")
    order = np.random.default_rng(0).permutation(6)
    moved = expect_float(solution.clip_loss(img[order], txt[order], 0.3), "clip_loss on reordered pairs")
    if not np.isclose(a, moved, rtol=1e-9):
        fail(f"reordering the pairs changed the loss ({a:.6g} vs {moved:.6g}): pair i's target is index i")


def test_small_temperature(solution):
    """a temperature of 0.001 (logits up to 1000) gives a finite, exact loss"""
    img, txt = pairs(4, noise=1.5)
    got = solution.clip_loss(img, txt, 0.001)
    if isinstance(got, float) and not np.isfinite(got):
        fail("temperature 0.001 gave inf or nan: exp overflowed; subtract each row's maximum before exp")
    logits = unit(img) @ unit(txt).T / 0.001
    assert_float_close(got, (row_ce(logits) + row_ce(logits.T)) / 2, "clip_loss at temperature 0.001", rtol=1e-9, atol=1e-9)


def test_aligned_pairs_have_small_loss(solution):
    """identical, well-separated pairs at a low temperature give a loss near 0"""
    img = np.eye(5) * 4.0
    got = expect_float(solution.clip_loss(img, img * 2.0, 0.05), "clip_loss on identical pairs")
    expected = np.log1p(4 * np.exp(-1 / 0.05))
    if not np.isclose(got, expected, rtol=1e-6, atol=1e-15):
        fail(f"identical orthogonal pairs at temperature 0.05: expected {expected:.3g}, got {got:.3g}")
