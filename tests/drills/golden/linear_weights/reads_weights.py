# mlprep drill: linear_weights
"""Reach for the parameters instead of calling the layer."""


def recover_linear(layer, in_features):
    return layer.weight.detach(), layer.bias.detach()
