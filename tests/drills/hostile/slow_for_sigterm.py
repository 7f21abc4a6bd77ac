# mlprep drill: top_k
"""Attack 7 (with the test's SIGTERM): a solution that sleeps, so that `mlprep grade` is stopped
by SIGTERM mid-grade; nothing may be left running and no temporary folder may remain."""
import time

TARGETS = {}


def top_k_sample(logits, k, temperature=1.0, seed=None):
    time.sleep(120)
    return -1
