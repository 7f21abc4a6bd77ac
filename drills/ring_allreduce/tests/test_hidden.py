"""Hidden tests for ring_allreduce: the learner's workers talk only through an `exchange` black
box that lives in the judge and records every message, so each message of the ring schedule is
checked against its closed form (during the reduce-scatter, worker i's message at step s is the
sum of workers i - s .. i's copies of chunk (i - s) mod N; during the all-gather, the total of
chunk (i + 1 - s) mod N), as are the results and the byte counts."""

import ast
from pathlib import Path

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, expect_index, fail
from mlprep.drills.protocol import BlackBox

BANNED = {"torch", "sklearn", "scipy", "mpi4py"}


class Ring:
    """A judge-side exchange: message i goes to worker i + 1; every step is recorded."""

    def __init__(self, n: int):
        self.n = n
        self.steps: list[list[np.ndarray]] = []

    def __call__(self, outgoing):
        if type(outgoing) not in (list, tuple) or len(outgoing) != self.n:
            raise ValueError(f"exchange takes a list of one message per worker ({self.n} arrays)")
        if any(type(m) is not np.ndarray or m.ndim != 1 for m in outgoing):
            raise ValueError("every message must be a one-dimensional numpy array (one chunk)")
        self.steps.append([m.copy() for m in outgoing])
        return [outgoing[(i - 1) % self.n].copy() for i in range(self.n)]

    def box(self) -> BlackBox:
        return BlackBox(self, name="exchange", max_calls=4 * self.n + 4)


def make(n, length, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=length).astype(dtype) for _ in range(n)]


def run(solution, buffers, what):
    ring = Ring(len(buffers))
    got = solution.ring_allreduce(buffers, ring.box())
    if type(got) not in (tuple, list) or len(got) != 2:
        fail(f"{what}: expected (results, bytes_sent), got {type(got).__name__}")
    results, sent = got
    n, length = len(buffers), len(buffers[0])
    if type(results) not in (list, tuple) or len(results) != n:
        fail(f"{what}: results must be a list with one array per worker ({n})")
    results = [expect_array(r, f"{what}: worker {i}'s result", shape=(length,), kinds="f") for i, r in enumerate(results)]
    if type(sent) is np.ndarray:
        sent = sent.tolist()
    if type(sent) not in (list, tuple) or len(sent) != n:
        fail(f"{what}: bytes_sent must be a list with one int per worker ({n})")
    return results, [expect_index(b, f"{what}: bytes_sent") for b in sent], ring


def check_steps(ring, buffers, what, phases=("reduce-scatter", "all-gather")):
    n, length = len(buffers), len(buffers[0])
    if n > 1 and not ring.steps:
        fail(f"{what}: exchange was never called: the workers may only combine their data through exchange")
    for t, step in enumerate(ring.steps):
        if length > 1 and any(msg.size == length for msg in step):
            fail(f"{what}: at step {t} a worker sent its whole buffer; each step sends ONE chunk "
                 "(np.array_split(buffer, N)), which is the point of the ring")
    if len(ring.steps) == n - 1:
        fail(f"{what}: exchange was called {n - 1} times, only the reduce-scatter: afterwards each worker holds one "
             f"reduced chunk, and an all-gather of N - 1 = {n - 1} more steps must give every worker all of them")
    if len(ring.steps) != 2 * (n - 1):
        fail(f"{what}: exchange was called {len(ring.steps)} times; a ring all-reduce over {n} workers takes "
             f"2 (N - 1) = {2 * (n - 1)} steps")
    split = [np.array_split(b, n) for b in buffers]
    total = np.array_split(np.sum(np.stack(buffers).astype(np.float64), axis=0), n)
    for t, step in enumerate(ring.steps):
        phase, s = ("reduce-scatter", t) if t < n - 1 else ("all-gather", t - (n - 1))
        if phase not in phases:
            continue
        for i, msg in enumerate(step):
            if phase == "reduce-scatter":
                c = (i - s) % n
                want = np.sum([split[(i - u) % n][c].astype(np.float64) for u in range(s + 1)], axis=0)
                holds = f"the sum of workers {', '.join(str((i - u) % n) for u in range(s, -1, -1))}'s chunk {c}"
            else:
                c = (i + 1 - s) % n
                want, holds = total[c], f"the complete sum of chunk {c}"
            where = f"{what}: {phase} step {s}, worker {i}'s message"
            if msg.shape != want.shape:
                fail(f"{where}: expected chunk {c} of np.array_split(buffer, {n}) ({want.size} values), "
                     f"got {msg.size} values")
            if msg.dtype != buffers[0].dtype:
                fail(f"{where}: the messages keep the buffers' dtype ({buffers[0].dtype}), got {msg.dtype}")
            if not np.allclose(msg.astype(np.float64), want, rtol=1e-6 if msg.dtype == np.float32 else 1e-12,
                               atol=1e-5 if msg.dtype == np.float32 else 1e-12):
                if phase == "reduce-scatter" and s > 0 and any(np.array_equal(msg, split[j][c]) for j in range(n)):
                    fail(f"{where}: it is one worker's unreduced chunk {c}, not a running sum; in the reduce-scatter "
                         "the receiver ADDS what it receives to its own chunk, and passes the running sum on")
                fail(f"{where}: expected {holds}, got different values (check which chunk index each worker sends "
                     f"at each step: (i - s) % N, then (i + 1 - s) % N)")


SIZES = [(2, 8), (3, 10), (4, 12), (5, 3), (8, 64)]


@pytest.mark.parametrize("n,length", SIZES, ids=[f"{n} workers, {m} values" for n, m in SIZES])
def test_every_worker_gets_the_sum(solution, tolerance, n, length):
    """every worker ends with the element-wise sum of all buffers"""
    buffers = make(n, length, seed=n * 100 + length)
    results, _, ring = run(solution, buffers, f"ring_allreduce ({n} workers, {length} values)")
    if n > 1 and not ring.steps:
        fail("exchange was never called: the workers may only combine their data through exchange")
    total = np.sum(np.stack(buffers), axis=0)
    for i, r in enumerate(results):
        if r.dtype != buffers[0].dtype:
            fail(f"worker {i}'s result must keep the buffers' dtype ({buffers[0].dtype}), got {r.dtype}")
        if not np.allclose(r, total, **tolerance):
            wrong = int(np.argmax(np.abs(r - total)))
            fail(f"worker {i}'s result differs from the sum of all buffers (at index {wrong}: expected "
                 f"{total[wrong]:.6g}, got {r[wrong]:.6g})")


@pytest.mark.parametrize("n,length", [(4, 12), (3, 10)], ids=["4 workers, 12 values", "3 workers, 10 values"])
def test_reduce_scatter_messages(solution, n, length):
    """reduce-scatter: at step s worker i sends the running sum of chunk (i - s) mod N"""
    buffers = make(n, length, seed=7)
    _, _, ring = run(solution, buffers, "ring_allreduce")
    check_steps(ring, buffers, f"ring_allreduce ({n} workers)", phases=("reduce-scatter",))


@pytest.mark.parametrize("n,length", [(4, 12), (5, 11)], ids=["4 workers, 12 values", "5 workers, 11 values"])
def test_all_gather_messages(solution, n, length):
    """all-gather: at step s worker i forwards the complete chunk (i + 1 - s) mod N"""
    buffers = make(n, length, seed=8)
    _, _, ring = run(solution, buffers, "ring_allreduce")
    check_steps(ring, buffers, f"ring_allreduce ({n} workers)", phases=("all-gather",))


@pytest.mark.parametrize("n,length,dtype", [(4, 1000, np.float64), (8, 64, np.float32), (4, 10, np.float64)],
                         ids=["4 workers, 1000 float64", "8 workers, 64 float32", "4 workers, 10 values (uneven)"])
def test_bytes_sent(solution, n, length, dtype):
    """each worker sends 2 (N - 1) / N of its buffer; bytes_sent counts exactly what it sent"""
    buffers = make(n, length, dtype=dtype, seed=9)
    _, sent, ring = run(solution, buffers, f"ring_allreduce ({n} workers, {length} {np.dtype(dtype).name})")
    check_steps(ring, buffers, f"ring_allreduce ({n} workers)")
    actual = [sum(step[i].nbytes for step in ring.steps) for i in range(n)]
    itemsize = np.dtype(dtype).itemsize
    if length % n == 0:
        share = 2 * (n - 1) * buffers[0].nbytes // n
        if actual != [share] * n:
            fail(f"each worker should send 2 (N - 1) / N * {buffers[0].nbytes} = {share} bytes; they sent {actual}")
    if sent != actual:
        if sent == [a // itemsize for a in actual]:
            fail(f"bytes_sent counts elements; count bytes (.nbytes, {itemsize} bytes per {np.dtype(dtype).name})")
        if sent == [a // 2 for a in actual]:
            fail("bytes_sent counts only one phase: both the reduce-scatter and the all-gather send data")
        fail(f"bytes_sent says {sent}, but through exchange the workers sent {actual} bytes")


def test_one_worker(solution):
    """a single worker: the result is its own buffer, nothing is sent"""
    buffers = make(1, 6, seed=10)
    results, sent, ring = run(solution, buffers, "ring_allreduce (1 worker)")
    if ring.steps:
        fail(f"with one worker there is nobody to talk to: exchange should not be called (it was, {len(ring.steps)} times)")
    if not np.array_equal(results[0], buffers[0]) or sent != [0]:
        fail(f"with one worker the result is its own buffer and bytes_sent is [0]; got bytes_sent {sent}")


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


def test_numpy_only(solution):
    """numpy only: a working ring with no torch, scikit-learn, scipy or mpi4py"""
    buffers = make(3, 9, seed=11)
    _, _, ring = run(solution, buffers, "ring_allreduce (3 workers)")
    check_steps(ring, buffers, "ring_allreduce (3 workers)")
    used = imported_banned(Path(solution.source_file).read_text(encoding="utf-8", errors="replace"))  # read, never run
    if used:
        fail(f"your file uses {', '.join(sorted(used))}: simulate the ring with numpy alone")
