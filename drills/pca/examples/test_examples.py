"""Public examples for pca: run `pytest` next to your pca.py."""

import numpy as np
from pca import pca, transform

X = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0]])


def test_points_on_a_line():
    """points on the diagonal have one component along it that explains everything"""
    components, var, ratio, mean = pca(X, 1)
    assert np.allclose(np.abs(components), [[2**-0.5, 2**-0.5]])
    assert np.allclose(var, [10 / 3]) and np.allclose(ratio, [1.0]) and np.allclose(mean, [2.5, 2.5])


def test_transform_is_centred():
    """the projected coordinates are centred on zero"""
    components, _, _, mean = pca(X, 1)
    z = transform(X, mean, components)
    assert z.shape == (4, 1) and np.allclose(np.abs(z.ravel()), [2.1213203, 0.7071068, 0.7071068, 2.1213203])
