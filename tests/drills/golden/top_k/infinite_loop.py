# mlprep drill: top_k
def top_k_sample(logits, k, temperature=1.0, seed=None):
    while True:
        pass
