# mlprep drill: conv_weights
# expect: pixel positions
# Mistake: the note's extract_cnn_weights: probes every pixel of a 32x32 image, reads output[0, 0],
# and reshapes 32*32*in_channels responses into a kernel of kh*kw*in_channels entries.
from __future__ import annotations

import torch


def extract_conv_weights(layer, in_channels, kernel_size, padding=0):
    height, width = 32, 32
    kh, kw = kernel_size
    n = height * width * in_channels
    probes = torch.zeros(n, in_channels, height, width)
    index = 0
    for h in range(height):
        for w in range(width):
            for c in range(in_channels):
                probes[index, c, h, w] = 1.0
                index += 1
    responses = layer(probes)[:, :, 0, 0]  # (n, out_channels)
    weights = responses.reshape(kh, kw, in_channels, -1)
    bias = layer(torch.zeros(1, in_channels, height, width))[0, :, 0, 0]
    return weights.permute(3, 2, 0, 1), bias
