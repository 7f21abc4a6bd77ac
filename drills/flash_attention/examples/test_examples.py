"""Public examples for flash_attention: run `pytest` next to your flash_attention.py."""

import numpy as np
from flash_attention import flash_attention


def full(q, k, v, causal=False):
    s = q @ k.T / np.sqrt(q.shape[1])
    if causal:
        s = np.where(np.triu(np.ones(s.shape, bool), 1), -np.inf, s)
    w = np.exp(s - s.max(1, keepdims=True))
    return w / w.sum(1, keepdims=True) @ v


def test_equals_full_attention():
    """tiles of 4 x 5 over 10 queries and 13 keys equal plain attention"""
    rng = np.random.default_rng(0)
    q, k, v = rng.normal(size=(10, 4)), rng.normal(size=(13, 4)), rng.normal(size=(13, 3))
    np.testing.assert_allclose(flash_attention(q, k, v, block_q=4, block_k=5), full(q, k, v), rtol=1e-9)


def test_causal():
    """causal, with blocks that do not divide T"""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(11, 8))
    np.testing.assert_allclose(flash_attention(x, x, x, block_q=3, block_k=4, causal=True), full(x, x, x, True), rtol=1e-9)


def test_one_block():
    """blocks larger than the sequence: one tile"""
    rng = np.random.default_rng(2)
    q, k, v = rng.normal(size=(5, 2)), rng.normal(size=(7, 2)), rng.normal(size=(7, 2))
    np.testing.assert_allclose(flash_attention(q, k, v, block_q=100, block_k=100), full(q, k, v), rtol=1e-9)
