# mlprep drill: linear_weights
# expect: Double
"""Probes with float64 inputs, which a float32 layer refuses."""
import torch


def recover_linear(layer, in_features):
    bias = layer(torch.zeros(1, in_features, dtype=torch.float64))[0]
    weight = (layer(torch.eye(in_features, dtype=torch.float64)) - bias).T
    return weight, bias
