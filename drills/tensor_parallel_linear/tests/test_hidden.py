"""Hidden tests for tensor_parallel_linear: the dense layer, MLP and gradients in numpy as the
oracle, and a recording all_reduce handed to the learner as a black box, so the tests see how
many times the ranks communicate and exactly what each rank contributes (its partial product,
without the bias). Classic mistakes are named when a result equals what they give."""

import ast
from pathlib import Path

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.protocol import BlackBox
from mlprep.drills.proxy import SolutionRaised

BANNED = {"torch", "sklearn", "scipy", "jax"}


class Recorder:
    """A judge-side all_reduce that checks and records every call."""

    def __init__(self, n_ranks: int):
        self.n_ranks = n_ranks
        self.calls: list[list[np.ndarray]] = []

    def __call__(self, parts):
        if type(parts) not in (list, tuple) or len(parts) != self.n_ranks:
            raise ValueError(f"all_reduce takes a list of one array per rank ({self.n_ranks} arrays)")
        if any(type(p) is not np.ndarray for p in parts) or len({p.shape for p in parts}) != 1:
            raise ValueError("all_reduce takes numpy arrays of one and the same shape")
        self.calls.append([p.astype(np.float64) for p in parts])
        total = np.sum(np.stack(self.calls[-1]), axis=0)
        return [total.copy() for _ in parts]

    def box(self) -> BlackBox:
        return BlackBox(self, name="all_reduce", max_calls=50)


def gelu(z):
    return 0.5 * z * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z**3)))


def block(d, n, r):
    return slice(r * d // n, (r + 1) * d // n)


def params(seed, d_in=8, d_out=12, lead=(2, 3)):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(*lead, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out)


def per_rank(got, n, shape, what):
    if type(got) not in (list, tuple) or len(got) != n:
        fail(f"{what}: expected a list of {n} arrays (one per rank), got "
             f"{len(got) if type(got) in (list, tuple) else type(got).__name__}")
    return [expect_array(a, f"{what}, rank {r}", shape=shape, kinds="f") for r, a in enumerate(got)]


def expect_calls(rec, count, what, advice):
    if len(rec.calls) != count:
        fail(f"{what}: all_reduce was called {len(rec.calls)} times, expected exactly {count}: {advice}")


NS = [1, 2, 4]


@pytest.mark.parametrize("n", NS, ids=[f"{n} ranks" for n in NS])
def test_column_parallel_forward(solution, tolerance, n):
    """column-parallel: rank r computes the contiguous block r of the output features"""
    x, W, b = params(n)
    dense = x @ W + b
    outs = per_rank(solution.column_parallel_forward(x, W, b, n), n, (2, 3, 12 // n), "column_parallel_forward")
    for r, y in enumerate(outs):
        assert_close_or_named(y, dense[..., block(12, n, r)], f"column_parallel_forward, rank {r} of {n}", {
            "shards are contiguous blocks of features (rank r owns r*d/N .. (r+1)*d/N - 1), not every N-th one":
                dense[..., r::n],
        }, **tolerance)


@pytest.mark.parametrize("n", [2, 4], ids=["2 ranks", "4 ranks"])
def test_row_parallel_forward(solution, tolerance, n):
    """row-parallel: one all-reduce of the bias-free partial products, then the bias once"""
    x, W, b = params(10 + n, d_in=12, d_out=8)
    shards = [x[..., block(12, n, r)] for r in range(n)]
    rec = Recorder(n)
    outs = per_rank(solution.row_parallel_forward(shards, W, b, rec.box()), n, (2, 3, 8), "row_parallel_forward")
    expect_calls(rec, 1, "row_parallel_forward", "the ranks combine their partial products with one all-reduce "
                 "(and can exchange nothing else)")
    for r, part in enumerate(rec.calls[0]):
        partial = shards[r] @ W[block(12, n, r)]
        assert_close_or_named(part, partial, f"row_parallel_forward: what rank {r} sent to all_reduce", {
            "add the bias once, after the all-reduce: with b on every rank's partial the sum counts it N times":
                partial + b,
            "the partials are bias-free; the bias is added once after the all-reduce (not b / N on every rank)":
                partial + b / n,
        }, **tolerance)
    for r, y in enumerate(outs):
        assert_close_or_named(y, x @ W + b, f"row_parallel_forward, rank {r}'s output", {
            "every rank adds the bias to the reduced sum (the output is x @ W + b on every rank)": x @ W,
        }, **tolerance)


@pytest.mark.parametrize("n", NS, ids=[f"{n} ranks" for n in NS])
def test_parallel_mlp(solution, tolerance, n):
    """the MLP equals the dense one on every rank, with a single all-reduce"""
    rng = np.random.default_rng(20 + n)
    x, W1, b1, W2, b2 = (rng.normal(size=s) for s in [(4, 5, 6), (6, 16), (16,), (16, 6), (6,)])
    dense = gelu(x @ W1 + b1) @ W2 + b2
    rec = Recorder(n)
    outs = per_rank(solution.parallel_mlp(x, W1, b1, W2, b2, n, rec.box()), n, (4, 5, 6), "parallel_mlp")
    expect_calls(rec, 1, "parallel_mlp", "rank r's column-parallel hidden slice is already the input block r of "
                 "the row-parallel layer, and GeLU is element-wise, so only the final sum needs communication")
    for r, part in enumerate(rec.calls[0]):
        blk = block(16, n, r)
        assert_close_or_named(part, gelu(x @ W1[:, blk] + b1[blk]) @ W2[blk], f"parallel_mlp: what rank {r} sent", {
            "GeLU goes on the column-parallel output (x @ W1 + b1 block), before the second matmul":
                (x @ W1[:, blk] + b1[blk]) @ W2[blk],
            "add b2 once, after the all-reduce": gelu(x @ W1[:, blk] + b1[blk]) @ W2[blk] + b2,
        }, **tolerance)
    for r, y in enumerate(outs):
        assert_close_or_named(y, dense, f"parallel_mlp, rank {r}'s output", {}, **tolerance)


@pytest.mark.parametrize("n", [2, 4], ids=["2 ranks", "4 ranks"])
def test_column_parallel_backward(solution, tolerance, n):
    """backward: grad_x all-reduced onto every rank, grad_W and grad_b blocks local"""
    x, W, _ = params(30 + n)
    G = np.random.default_rng(31 + n).normal(size=(2, 3, 12))  # dL/dy of the dense output
    g_shards = [G[..., block(12, n, r)] for r in range(n)]
    rec = Recorder(n)
    got = solution.column_parallel_backward(x, W, g_shards, rec.box())
    if type(got) not in (tuple, list) or len(got) != 3:
        fail(f"column_parallel_backward: expected (grad_x, grad_W, grad_b), got {type(got).__name__}")
    grad_x = per_rank(got[0], n, (2, 3, 8), "grad_x")
    grad_W = per_rank(got[1], n, (8, 12 // n), "grad_W")
    grad_b = per_rank(got[2], n, (12 // n,), "grad_b")
    expect_calls(rec, 1, "column_parallel_backward", "each rank only has its own term of grad_x; one all-reduce "
                 "sums them (the weight and bias gradients need none)")
    for r in range(n):
        blk = block(12, n, r)
        assert_close_or_named(rec.calls[0][r], g_shards[r] @ W[:, blk].T,
                              f"column_parallel_backward: what rank {r} sent", {}, **tolerance)
        assert_close_or_named(grad_x[r], G @ W.T, f"grad_x on rank {r}", {
            "every rank needs the FULL input gradient, the all-reduced sum of all ranks' terms, not its own term":
                g_shards[r] @ W[:, blk].T,
        }, **tolerance)
        x2, g2 = x.reshape(-1, 8), g_shards[r].reshape(-1, 12 // n)
        assert_close_or_named(grad_W[r], x2.T @ g2, f"grad_W block of rank {r}", {
            "grad_W sums over all samples and positions (x^T grad_y), it is not averaged": x2.T @ g2 / len(x2),
        }, **tolerance)
        assert_close_or_named(grad_b[r], g2.sum(0), f"grad_b block of rank {r}", {
            "grad_b sums grad_y over all samples and positions, it is not averaged": g2.mean(0),
        }, **tolerance)


def test_uneven_split_raises(solution):
    """features that do not split evenly over the ranks raise ValueError"""
    x, W, b = params(40, d_out=10)
    try:
        got = solution.column_parallel_forward(x, W, b, 4)
    except SolutionRaised as exc:
        if "raised ValueError" not in str(exc):
            fail(f"10 output features over 4 ranks should raise ValueError; {exc}")
        return
    fail(f"column_parallel_forward with 10 output features over 4 ranks should raise ValueError, but it returned "
         f"{type(got).__name__}")


def imported_banned(source: str) -> set[str]:
    """Banned top-level modules the source imports (or names in a string, as for __import__)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & BANNED
    return found


def test_numpy_only(solution, tolerance):
    """numpy only: a working column_parallel_forward with no torch, scikit-learn or scipy"""
    x, W, b = params(50)
    outs = per_rank(solution.column_parallel_forward(x, W, b, 2), 2, (2, 3, 6), "column_parallel_forward")
    assert_close_or_named(np.concatenate(outs, axis=-1), x @ W + b, "column_parallel_forward", {}, **tolerance)
    used = imported_banned(Path(solution.source_file).read_text(encoding="utf-8", errors="replace"))  # read, never run
    if used:
        fail(f"your file uses {', '.join(sorted(used))}: simulate the ranks with numpy alone")
