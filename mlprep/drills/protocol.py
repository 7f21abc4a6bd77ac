"""The wire format between the judge and the sandboxed child: data only, never objects.

A message is one frame: a 4-byte length, a JSON header, then the binary blobs the header
refers to (each with an 8-byte length). Scalars, strings, lists, tuples and str-keyed dicts
travel as tagged JSON; numpy arrays as ``np.save`` bytes; torch tensors as ``torch.save`` bytes.

Decoding is strict and cannot run code: JSON, ``np.lib.format.read_array(allow_pickle=False)``
and ``torch.load(weights_only=True)``, with exact type checks, so what comes back is always a
plain ``np.ndarray``, ``torch.Tensor``, numpy scalar or Python value. An object the child could
not encode (an ndarray subclass, an object with a lying ``__eq__``) arrives as
:class:`Unsupported`, which names its type and can equal nothing real.

torch is imported only when a tensor is actually encoded or decoded, so a numpy drill's child
never pays for it.
"""

from __future__ import annotations

import io
import json
import os
import select
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_HEADER = 16 << 20
MAX_BLOB = 512 << 20
MAX_BLOBS = 256
MAX_DEPTH = 64
_SCALAR_KINDS = "biuf"


class ProtocolError(Exception):
    """The other side sent something that is not a valid message."""


class ChannelClosed(ProtocolError):
    """The other side closed its end (it exited or crashed)."""


class ChannelTimeout(Exception):
    """No complete message arrived before the deadline."""


@dataclass(frozen=True)
class Unsupported:
    """A value of a type that may not cross the boundary; it names the type and equals nothing."""

    type_name: str
    preview: str

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]

    def __getattr__(self, name: str):
        raise AttributeError(f"an object of type {self.type_name} was returned; only plain numpy arrays, "
                             "torch tensors, numbers, strings, lists, tuples and dicts cross the sandbox")


@dataclass(frozen=True)
class BlackBox:
    """A judge-side callable handed to the child by reference: calls come back to the judge.

    The child sees an object whose ``__call__`` forwards its arguments here, so whatever ``fn``
    closes over (a layer's weights, say) never enters the child.
    """

    fn: Callable[..., Any]
    name: str = "black box"
    max_calls: int = 10_000

    def __call__(self, *args: Any) -> Any:
        """Called in-process (not through a sandbox), it is simply ``fn``."""
        return self.fn(*args)


# -- encoding ---------------------------------------------------------------------------------


def _tensor_type() -> type | None:
    torch = sys.modules.get("torch")
    return getattr(torch, "Tensor", None) if torch is not None else None


def encode(value: Any, blobs: list[bytes], boxes: list[BlackBox] | None = None, depth: int = 0) -> Any:
    """Turn ``value`` into a JSON-able tree, appending binary payloads to ``blobs``.

    ``boxes`` collects :class:`BlackBox` values (judge side only); anything else that is not
    plain data becomes an ``unsupported`` tag naming its type.
    """
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    t = type(value)
    if value is None or t in (bool, int, float, str):
        return value
    if t in (list, tuple):
        return {"t": t.__name__, "v": [encode(v, blobs, boxes, depth + 1) for v in value]}
    if t is dict and all(type(k) is str for k in value):
        return {"t": "dict", "v": {k: encode(v, blobs, boxes, depth + 1) for k, v in value.items()}}
    if t is np.ndarray and not value.dtype.hasobject:
        buf = io.BytesIO()
        np.lib.format.write_array(buf, np.ascontiguousarray(value), allow_pickle=False)
        blobs.append(buf.getvalue())
        return {"t": "ndarray", "b": len(blobs) - 1}
    if isinstance(value, np.generic) and t is np.dtype(t).type and value.dtype.kind in _SCALAR_KINDS:
        return {"t": "npscalar", "dtype": value.dtype.str, "v": value.item()}
    tensor = _tensor_type()
    if tensor is not None and t is tensor:
        import torch

        buf = io.BytesIO()
        torch.save(value.detach().cpu().contiguous().clone(), buf)
        blobs.append(buf.getvalue())
        return {"t": "tensor", "b": len(blobs) - 1}
    if t is BlackBox and boxes is not None:
        boxes.append(value)
        return {"t": "box", "id": len(boxes) - 1, "name": value.name}
    return {"t": "unsupported", "type": f"{t.__module__}.{t.__qualname__}", "repr": _preview(value)}


def _preview(value: Any) -> str:
    try:
        text = repr(value)
    except BaseException:  # noqa: BLE001 - a hostile repr must not break encoding
        text = "<repr failed>"
    return text[:200]


# -- decoding ---------------------------------------------------------------------------------


def decode(tree: Any, blobs: list[bytes], make_box: Callable[[int, str], Any] | None = None, depth: int = 0) -> Any:
    """Rebuild a value from ``encode``'s tree; only plain types come out.

    ``make_box`` turns a ``box`` tag into a caller (child side); without it a box is an error.
    """
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    t = type(tree)
    if tree is None or t in (bool, int, float, str):
        return tree
    if t is not dict or type(tree.get("t")) is not str:
        raise ProtocolError(f"unexpected {t.__name__} in message")
    tag = tree["t"]
    if tag in ("list", "tuple"):
        items = tree.get("v")
        if type(items) is not list:
            raise ProtocolError(f"malformed {tag}")
        out = [decode(v, blobs, make_box, depth + 1) for v in items]
        return out if tag == "list" else tuple(out)
    if tag == "dict":
        items = tree.get("v")
        if type(items) is not dict:
            raise ProtocolError("malformed dict")
        return {str(k): decode(v, blobs, make_box, depth + 1) for k, v in items.items()}
    if tag == "ndarray":
        return _decode_array(_blob(tree, blobs))
    if tag == "npscalar":
        return _decode_scalar(tree)
    if tag == "tensor":
        return _decode_tensor(_blob(tree, blobs))
    if tag == "unsupported":
        return Unsupported(str(tree.get("type", "?"))[:200], str(tree.get("repr", ""))[:200])
    if tag == "box" and make_box is not None:
        box_id = tree.get("id")
        if type(box_id) is not int:
            raise ProtocolError("malformed box")
        return make_box(box_id, str(tree.get("name", "black box")))
    raise ProtocolError(f"unknown tag {tag!r}")


def _blob(tree: dict, blobs: list[bytes]) -> bytes:
    index = tree.get("b")
    if type(index) is not int or not 0 <= index < len(blobs):
        raise ProtocolError("reference to a missing blob")
    return blobs[index]


def _decode_array(data: bytes) -> np.ndarray:
    try:
        arr = np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a protocol error
        raise ProtocolError(f"unreadable array: {exc}") from None
    if type(arr) is not np.ndarray or arr.dtype.hasobject:
        raise ProtocolError("array of a non-plain type")
    return arr


def _decode_scalar(tree: dict) -> np.generic:
    try:
        dtype = np.dtype(str(tree.get("dtype")))
    except TypeError:
        raise ProtocolError("bad scalar dtype") from None
    value = tree.get("v")
    if dtype.kind not in _SCALAR_KINDS or type(value) not in (bool, int, float):
        raise ProtocolError("bad numpy scalar")
    return dtype.type(value)


def _decode_tensor(data: bytes) -> Any:
    import torch

    try:
        value = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as exc:  # noqa: BLE001 - any parse failure is a protocol error
        raise ProtocolError(f"unreadable tensor: {exc}") from None
    if type(value) is not torch.Tensor or value.layout is not torch.strided:
        raise ProtocolError("tensor of a non-plain type")
    return value.detach()


# -- framing ----------------------------------------------------------------------------------


def pack(message: dict, blobs: list[bytes]) -> bytes:
    """One frame: header length, JSON header (with the blob count), then each blob."""
    header = json.dumps({"m": message, "n": len(blobs)}).encode()
    parts = [struct.pack(">I", len(header)), header]
    for blob in blobs:
        parts += [struct.pack(">Q", len(blob)), blob]
    return b"".join(parts)


class Channel:
    """Frames over a pair of pipe file descriptors, with an optional deadline on reads."""

    def __init__(self, read_fd: int, write_fd: int, message_cap: int | None = None):
        """``message_cap``: most bytes one incoming frame may hold; ``budget`` (settable): most
        bytes all further frames may hold together (None: no such total)."""
        self.read_fd = read_fd
        self.write_fd = write_fd
        self.message_cap = message_cap
        self.budget: int | None = None

    def send(self, message: dict, blobs: list[bytes] | None = None, deadline: float | None = None) -> None:
        """Write one frame; with a deadline the write end must be non-blocking (a reader that
        stops reading then raises ChannelTimeout instead of hanging the writer)."""
        data = memoryview(pack(message, blobs or []))
        while data:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([], [self.write_fd], [], left)[1]:
                    raise ChannelTimeout()
            try:
                written = os.write(self.write_fd, data)
            except BlockingIOError:
                continue
            except OSError as exc:
                raise ChannelClosed(str(exc)) from None
            data = data[written:]

    def recv(self, deadline: float | None = None) -> tuple[dict, list[bytes]]:
        """The next frame as (message, blobs); raises ChannelTimeout past ``deadline``."""
        room = min(x for x in (self.message_cap, self.budget, 1 << 62) if x is not None)
        (size,) = struct.unpack(">I", self._read(4, deadline))
        if size > MAX_HEADER or size > room:
            raise ProtocolError(f"message header too large ({size} bytes)")
        room = self._spend(room, size + 4)
        try:
            header = json.loads(self._read(size, deadline))
        except ValueError:
            raise ProtocolError("message header is not JSON") from None
        if type(header) is not dict or type(header.get("m")) is not dict or type(header.get("n")) is not int:
            raise ProtocolError("malformed message header")
        if not 0 <= header["n"] <= MAX_BLOBS:
            raise ProtocolError("too many blobs")
        blobs = []
        for _ in range(header["n"]):
            (length,) = struct.unpack(">Q", self._read(8, deadline))
            if length > MAX_BLOB or length + 8 > room:  # refused before a byte of it is read
                raise ProtocolError(f"reply too large: a blob of {length} bytes with {max(room - 8, 0)} allowed")
            room = self._spend(room, length + 8)
            blobs.append(self._read(length, deadline))
        return header["m"], blobs

    def _spend(self, room: int, n: int) -> int:
        if self.budget is not None:
            self.budget -= n
        return room - n

    def _read(self, n: int, deadline: float | None) -> bytes:
        chunks: list[bytes] = []
        while n:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.read_fd], [], [], left)[0]:
                    raise ChannelTimeout()
            chunk = os.read(self.read_fd, min(n, 1 << 20))
            if not chunk:
                raise ChannelClosed("the other side closed the channel")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        """Close both ends once (a second call must not close a reused descriptor)."""
        for fd in (self.read_fd, self.write_fd):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.read_fd = self.write_fd = -1
