"""The sandboxed side: import the learner's file and serve the judge's calls over a pipe.

Started by :mod:`mlprep.drills.sandbox` as ``main([FILE, MODULE, GUARDS, READ_FD, WRITE_FD])``
inside a temporary folder that holds only a copy of the file and under resource limits; it
locks itself in (:func:`mlprep.drills.isolation.lock_in`: Landlock, seccomp) before the
learner's file is imported. Everything here is untrusted once the learner's module is imported: the
judge believes nothing this process says beyond the data it decodes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import traceback
from types import ModuleType
from typing import Any

from mlprep.drills.isolation import lock_in
from mlprep.drills.protocol import Channel, ChannelClosed, decode, encode
from mlprep.drills.services import SERVICE_PREFIX, service

TRACEBACK_LIMIT = 4000


def error_info(exc: BaseException, user_file: str) -> dict:
    """The exception as data, with the traceback trimmed to frames in the learner's file."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == user_file]
    lines = [f"line {f.lineno}, in {f.name}\n    {(f.line or '').strip()}" for f in frames]
    info = {"type": type(exc).__name__, "message": _safe_str(exc), "traceback": "\n".join(lines)[:TRACEBACK_LIMIT]}
    if isinstance(exc, SyntaxError) and exc.filename == user_file:
        info["line"] = exc.lineno
        info["text"] = (exc.text or "").rstrip()
        info["message"] = exc.msg
    return info


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)[:TRACEBACK_LIMIT]
    except BaseException:  # noqa: BLE001 - a hostile __str__ must not kill the error report
        return "<message could not be read>"


class _Remote:
    """Stands in for a judge-side black box: calling it asks the judge to run the real thing."""

    def __init__(self, channel: Channel, box_id: int, name: str):
        self._channel = channel
        self._id = box_id
        self._name = name

    def __call__(self, *args: Any) -> Any:
        blobs: list[bytes] = []
        self._channel.send({"op": "callback", "box": self._id, "args": encode(list(args), blobs)}, blobs)
        message, reply_blobs = self._channel.recv()
        if "error" in message:
            raise RuntimeError(f"{self._name}: {message['error']}")
        return decode(message.get("ok"), reply_blobs)

    def __repr__(self) -> str:
        return f"<{self._name}>"


def load(path: str, module_name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def serve(channel: Channel, module: ModuleType, user_file: str) -> None:
    """Answer ``call`` messages until the judge closes the channel.

    Only this process answers: a copy the learner's code forked (where the kernel allows it)
    exits instead of writing a second reply into the channel.
    """
    me = os.getpid()

    def make_box(box_id: int, name: str) -> _Remote:
        return _Remote(channel, box_id, name)

    while True:
        message, blobs = channel.recv()
        fn_name = str(message.get("fn", ""))
        try:
            args = decode(message.get("args"), blobs, make_box)
            kwargs = decode(message.get("kwargs"), blobs, make_box)
            fn = service(module, fn_name) if fn_name.startswith(SERVICE_PREFIX) else getattr(module, fn_name, None)
            if not callable(fn):
                raise AttributeError(f"your file defines no function or class named {fn_name!r}")
            result = fn(*args, **kwargs)
            out: list[bytes] = []
            reply = {"op": "result", "ok": encode(result, out)}
        except BaseException as exc:  # noqa: BLE001 - report everything, SystemExit included
            out = []
            reply = {"op": "result", "error": error_info(exc, user_file)}
        if os.getpid() != me:
            os._exit(0)
        channel.send(reply, out)


def main(argv: list[str]) -> None:
    user_file, module_name, guards, read_fd, write_fd = argv[0], argv[1], argv[2], int(argv[3]), int(argv[4])
    channel = Channel(read_fd, write_fd)
    asked = json.loads(guards)
    done = lock_in(guards)  # before a line of the learner's code runs
    missing = [name for name in ("landlock", "seccomp") if asked.get(name) and not done[name]]
    if missing:
        channel.send({"op": "import_error", "error": {
            "type": "SandboxError", "message": f"the sandbox could not switch on {' and '.join(missing)}; "
                                               "`mlprep doctor` shows what this machine offers", "traceback": ""}})
        return
    try:
        module = load(user_file, module_name)
    except BaseException as exc:  # noqa: BLE001 - an import that fails in any way is reported
        channel.send({"op": "import_error", "error": error_info(exc, user_file)})
        return
    channel.send({"op": "ready"})
    try:
        serve(channel, module, user_file)
    except ChannelClosed:
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
