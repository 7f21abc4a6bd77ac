# mlprep drill: top_k
"""Attack 4: outlive the grade: fork, start a new session, clear the parent-death signal, kill
the parent, and sleep; failing a fork, do the same in this process."""
import ctypes
import os
import signal
import time

TARGETS = {}
marker = TARGETS.get("marker", "mlprep-hostile")[:15]
libc = ctypes.CDLL(None)


def linger():
    libc.prctl(15, marker.encode(), 0, 0, 0)  # PR_SET_NAME: the test looks for it
    libc.prctl(1, 0, 0, 0, 0)  # PR_SET_PDEATHSIG 0
    try:
        os.setsid()
    except OSError:
        pass
    try:
        os.kill(os.getppid(), signal.SIGKILL)
    except OSError:
        pass
    time.sleep(60)


def top_k_sample(logits, k, temperature=1.0, seed=None):
    try:
        if os.fork() == 0:
            linger()
            os._exit(0)
    except OSError:
        linger()
    return -1
