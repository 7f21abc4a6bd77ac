"""Public examples for conv2d_im2col: run `pytest` next to your conv2d_im2col.py."""

import numpy as np
from conv2d_im2col import conv2d, im2col

X = np.arange(16.0).reshape(1, 1, 4, 4)


def test_im2col_patches():
    """2 x 2 patches at stride 2: one column per output pixel, row-major"""
    cols = im2col(X, 2, stride=2)
    assert cols.shape == (1, 4, 4)
    np.testing.assert_array_equal(cols[0, :, 0], [0.0, 1.0, 4.0, 5.0])  # the top-left patch
    np.testing.assert_array_equal(cols[0, :, 1], [2.0, 3.0, 6.0, 7.0])  # the patch to its right


def test_box_filter_with_bias():
    """a 2 x 2 box filter at stride 2 sums each patch, plus the bias"""
    out = conv2d(X, np.ones((1, 1, 2, 2)), np.array([0.5]), stride=2)
    np.testing.assert_allclose(out, [[[[10.5, 18.5], [42.5, 50.5]]]])


def test_padding_keeps_the_size():
    """a 3 x 3 kernel with padding 1 keeps a 4 x 4 input 4 x 4"""
    assert conv2d(X, np.ones((2, 1, 3, 3)), None, padding=1).shape == (1, 2, 4, 4)
