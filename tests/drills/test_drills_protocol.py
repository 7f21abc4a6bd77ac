"""The wire format and the comparison helpers: only plain data crosses, and differences are explained."""

from __future__ import annotations

import io
import json
import math
import os
import struct
import time
from pathlib import Path

import numpy as np
import pytest

from mlprep.drills.compare import (
    DrillFailure,
    assert_close,
    assert_frequencies,
    chi_square_p,
    expect_index,
)
from mlprep.drills.limits import Limits
from mlprep.drills.protocol import (
    Channel,
    ChannelClosed,
    ChannelTimeout,
    ProtocolError,
    Unsupported,
    decode,
    encode,
    pack,
)
from mlprep.drills.sandbox import ChildFailure, Sandbox


def roundtrip(value):
    blobs: list[bytes] = []
    tree = json.loads(json.dumps(encode(value, blobs)))
    return decode(tree, blobs)


def test_plain_values_round_trip():
    value = {"a": [1, 2.5, None, True, "x"], "b": (np.float32(1.5), np.int64(-3)), "nan": float("nan")}
    back = roundtrip(value)
    assert back["a"] == [1, 2.5, None, True, "x"]
    assert type(back["b"]) is tuple and type(back["b"][0]) is np.float32 and back["b"][1] == -3
    assert math.isnan(back["nan"])
    for arr in (np.arange(6, dtype=np.int16).reshape(2, 3), np.ones((0, 4)), np.array([True, False])):
        got = roundtrip(arr)
        assert type(got) is np.ndarray and got.dtype == arr.dtype and np.array_equal(got, arr)


class AlwaysEqual:
    def __eq__(self, other):
        return True


class LyingArray(np.ndarray):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize(
    "value,type_name",
    [
        (AlwaysEqual(), "AlwaysEqual"),
        (np.zeros(3).view(LyingArray), "LyingArray"),
        (np.array([object()], dtype=object), "numpy.ndarray"),
        ({1: "non-str key"}, "builtins.dict"),
        (type("MyInt", (int,), {})(3), "MyInt"),
    ],
    ids=["eq", "ndarray-subclass", "object-array", "int-keys", "int-subclass"],
)
def test_non_plain_values_arrive_as_unsupported(value, type_name):
    got = roundtrip(value)
    assert type(got) is Unsupported and type_name in got.type_name
    assert got != got and got != 0
    with pytest.raises(AttributeError, match="only plain numpy arrays"):
        got.shape  # noqa: B018


def test_pickled_array_is_refused_without_running_it(tmp_path):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    buf = io.BytesIO()
    np.save(buf, np.array([Payload()], dtype=object), allow_pickle=True)
    with pytest.raises(ProtocolError, match="unreadable array"):
        decode({"t": "ndarray", "b": 0}, [buf.getvalue()])
    assert not marker.exists()


def test_tensors_round_trip_and_non_plain_tensors_are_refused(tmp_path):
    torch = pytest.importorskip("torch")
    t = torch.arange(6, dtype=torch.float32).reshape(2, 3)[:, 1:]
    got = roundtrip(t)
    assert type(got) is torch.Tensor and torch.equal(got, t)
    buf = io.BytesIO()
    torch.save(torch.nn.Parameter(torch.zeros(2)), buf)
    with pytest.raises(ProtocolError, match="non-plain"):
        decode({"t": "tensor", "b": 0}, [buf.getvalue()])
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    buf = io.BytesIO()
    torch.save({"x": Payload()}, buf)
    with pytest.raises(ProtocolError, match="unreadable tensor"):
        decode({"t": "tensor", "b": 0}, [buf.getvalue()])
    assert not marker.exists()


@pytest.mark.parametrize(
    "tree,blobs",
    [
        ({"t": "ndarray", "b": 3}, []),
        ({"t": "exec", "v": "print(1)"}, []),
        ({"t": "box", "id": 0}, []),
        ({"no": "tag"}, []),
        ({"t": "npscalar", "dtype": "O", "v": 1}, []),
        ({"t": "list", "v": "not a list"}, []),
    ],
    ids=["missing-blob", "unknown-tag", "box-to-judge", "untagged-dict", "object-scalar", "malformed-list"],
)
def test_malformed_trees_are_protocol_errors(tree, blobs):
    with pytest.raises(ProtocolError):
        decode(tree, blobs)


def test_deep_nesting_is_refused():
    tree: dict = {"t": "list", "v": []}
    for _ in range(200):
        tree = {"t": "list", "v": [tree]}
    with pytest.raises(ProtocolError, match="too deeply"):
        decode(tree, [])


def test_channel_frames_deadlines_and_limits():
    r, w = os.pipe()
    reader, writer = Channel(r, -1), Channel(-1, w)
    blobs: list[bytes] = []
    writer.send({"op": "x", "v": encode(np.arange(3), blobs)}, blobs)
    message, got = reader.recv(time.monotonic() + 5)
    assert message["op"] == "x" and np.array_equal(decode(message["v"], got), np.arange(3))
    start = time.monotonic()
    with pytest.raises(ChannelTimeout):
        reader.recv(time.monotonic() + 0.2)
    assert time.monotonic() - start < 2
    os.write(w, struct.pack(">I", 1 << 30))
    with pytest.raises(ProtocolError, match="too large"):
        reader.recv(time.monotonic() + 1)
    os.write(w, pack({"op": "partial"}, [])[:6])
    writer.close()
    with pytest.raises(ChannelClosed):
        reader.recv(time.monotonic() + 1)
    reader.close()
    reader.close()  # idempotent


def test_numpy_child_never_imports_torch(tmp_path):
    user = tmp_path / "probe.py"
    user.write_text("import sys\nimport numpy as np\n\ndef probe(x):\n    return 'torch' in sys.modules, x * 2\n")
    box = Sandbox(user, "probe", Limits(call_timeout_s=10))
    try:
        box.wait_ready()
        loaded, doubled = box.call("probe", (np.arange(3),), {}, "in the probe")
    finally:
        box.kill()
    assert loaded is False and np.array_equal(doubled, [0, 2, 4])


def test_assert_close_explains_the_largest_error():
    expected = np.zeros((3, 4))
    got = expected.copy()
    got[2, 1] = 0.5
    got[0, 0] = 0.1
    with pytest.raises(DrillFailure, match=r"2 of 12 values differ; the largest error is at \[2, 1\]: expected 0, got 0.5"):
        assert_close(got, expected, "output")
    with pytest.raises(DrillFailure, match="expected shape"):
        assert_close(np.zeros(3), np.zeros(4), "output")
    with pytest.raises(DrillFailure, match="expected dtype float64, got dtype float32"):
        assert_close(np.zeros(3, np.float32), np.zeros(3), "output")
    with pytest.raises(DrillFailure, match="got list"):
        assert_close([0.0, 0.0], np.zeros(2), "output")
    with pytest.raises(DrillFailure, match="1 of 2 values differ"):
        assert_close(np.array([0.0, np.nan]), np.zeros(2), "output")
    assert_close(np.array([1.0, np.nan]), np.array([1.0 + 1e-9, np.nan]), "output")


def test_expect_index_accepts_integers_only():
    assert expect_index(3, "x") == 3 and expect_index(np.int32(2), "x") == 2
    for bad in (2.0, True, "1", np.float64(1.0), np.arange(2)):
        with pytest.raises(DrillFailure, match="expected an integer index"):
            expect_index(bad, "x")


def test_chi_square_and_frequencies():
    probs = np.array([0.5, 0.3, 0.2, 0.0])
    rng = np.random.default_rng(0)
    fair = rng.choice(4, size=20_000, p=probs)
    assert chi_square_p(np.bincount(fair, minlength=4), probs) > 1e-3
    assert_frequencies(fair, probs, "fair")
    skewed = rng.choice(4, size=20_000, p=[0.45, 0.35, 0.2, 0.0])
    assert chi_square_p(np.bincount(skewed, minlength=4), probs) < 1e-6
    with pytest.raises(DrillFailure, match="do not match"):
        assert_frequencies(skewed, probs, "skewed")
    with pytest.raises(DrillFailure, match="sampled index 3, which should never be drawn"):
        assert_frequencies(np.array([0, 3]), probs, "zero")
    with pytest.raises(DrillFailure, match="outside the vocabulary"):
        assert_frequencies(np.array([0, 9]), probs, "range")


def test_a_child_that_stops_reading_cannot_hang_the_judge(tmp_path):
    user = tmp_path / "stubborn.py"
    user.write_text(
        "import os, sys, threading, time\n"
        "keep = os.dup(int(sys.argv[-2]))\n"
        "threading.Thread(target=time.sleep, args=(1000,)).start()\n"
        "os.close(int(sys.argv[-2]))\n"
        "def f(x):\n    return 1\n"
    )
    box = Sandbox(user, "stubborn", Limits(call_timeout_s=0.5))
    start = time.monotonic()
    try:
        box.wait_ready()
        with pytest.raises(ChildFailure, match="timed out after 0.5 s in the big call"):
            box.call("f", (np.zeros(2_000_000),), {}, "in the big call")
    finally:
        box.kill()
    assert time.monotonic() - start < 10
