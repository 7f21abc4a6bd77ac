# mlprep drill: top_k
import time


def top_k_sample(logits, k, temperature=1.0, seed=None):
    time.sleep(10**6)
