# mlprep drill: linear_weights
"""Attack 5b: make the judge's black box work on huge inputs, call after call, to exhaust the
judge's memory."""
import torch

TARGETS = {}


def recover_linear(layer, in_features):
    if in_features != 30:  # one test is enough to show it
        return torch.zeros(1), torch.zeros(1)
    x = torch.zeros(400_000, in_features)
    outs = []
    while True:
        try:
            outs.append(layer(x))
        except RuntimeError:
            pass
