# mlprep drill: linear_weights
"""Attack 5b: make the judge's black box work on huge inputs, call after call, to exhaust the
judge's memory."""
import torch

TARGETS = {}


def recover_linear(layer, in_features):
    if in_features != 5:  # one test is enough to show it (the second: the child is warm by then)
        return torch.zeros(1), torch.zeros(1)
    x = torch.zeros(3_000_000, in_features)  # 60 MB a call: under the cap for one reply, not for a test
    outs = []
    while True:
        try:
            outs.append(layer(x))
        except RuntimeError:
            pass
