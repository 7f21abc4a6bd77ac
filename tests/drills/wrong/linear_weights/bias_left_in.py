# mlprep drill: linear_weights
# expect: forgot to subtract the bias
"""Reads the identity's output as the weights without taking the bias off first."""
import torch


def recover_linear(layer, in_features):
    with torch.no_grad():
        bias = layer(torch.zeros(1, in_features))[0]
        return layer(torch.eye(in_features)).T.contiguous(), bias
