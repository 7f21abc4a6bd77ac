# mlprep drill: top_k
"""Attack 5d: a solution file far over 1 MB (the test pads this one), to make the runner's
syntax check swallow gigabytes."""

TARGETS = {}


def top_k_sample(logits, k, temperature=1.0, seed=None):
    return -1
