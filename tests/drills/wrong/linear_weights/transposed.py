# mlprep drill: linear_weights
# expect: the weight is transposed
"""Forgets to transpose: returns layer(I) - b, which is W.T."""
import torch


def recover_linear(layer, in_features):
    with torch.no_grad():
        bias = layer(torch.zeros(1, in_features))[0]
        return layer(torch.eye(in_features)) - bias, bias
