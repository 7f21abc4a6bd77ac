# mlprep drill: linear_weights
"""Attacks 2 and 4 from a torch drill: write outside the sandbox, open a socket, signal the
judge, then give a wrong answer."""
import os
import signal
import socket

import torch

TARGETS = {}
marker = TARGETS.get("marker", "mlprep-hostile")
for path in (os.path.join(TARGETS.get("home", os.path.expanduser("~")), ".bashrc"), f"/tmp/{marker}",
             os.path.join(TARGETS.get("tmp", "/tmp"), marker)):
    try:
        with open(path, "a") as out:
            out.write(f"echo {marker}\n")
    except OSError:
        pass
try:
    socket.create_connection(("1.1.1.1", 80), timeout=1)
except OSError:
    pass
try:
    os.kill(os.getppid(), signal.SIGKILL)
except OSError:
    pass


def recover_linear(layer, in_features):
    return torch.zeros(1, in_features), torch.zeros(1)
