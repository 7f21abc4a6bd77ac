"""Public examples for count_params: run `pytest` next to your count_params.py."""

from count_params import count_params


def test_the_notes_convolution():
    """a 3x3 convolution from 3 to 3 channels has (3*3*3 + 1) * 3 parameters"""
    assert count_params({"type": "conv2d", "in_channels": 3, "out_channels": 3, "kernel_size": 3}) == 84


def test_sequential_of_linears():
    """two linear layers, the second without bias"""
    spec = {"type": "sequential", "layers": [
        {"type": "linear", "in_features": 10, "out_features": 5},
        {"type": "linear", "in_features": 5, "out_features": 1, "bias": False}]}
    assert count_params(spec) == 60
