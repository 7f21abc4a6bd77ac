"""Public examples for data_pipeline: run `pytest` next to your data_pipeline.py."""

import numpy as np
from data_pipeline import build_features

TEXT = "age,city,label\n30,paris,1\n,rome,0\n50,paris,1\n40,oslo,0\n"


def test_columns_and_split():
    """numeric columns first, then one column per training category, sorted; seed 0 puts row 2 in test"""
    out = build_features(TEXT, ["age"], ["city"], "label", 0.25, 0)
    assert out["columns"] == ["age", "city=oslo", "city=paris", "city=rome"]
    assert list(out["test_rows"]) == [2] and list(out["train_rows"]) == [0, 1, 3]


def test_training_statistics():
    """the missing age becomes the training median 35; the test age 50 uses the training mean and std"""
    out = build_features(TEXT, ["age"], ["city"], "label", 0.25, 0)
    std = np.std([30.0, 35.0, 40.0])
    assert np.allclose(out["X_train"][:, 0], [-5 / std, 0.0, 5 / std])
    assert np.allclose(out["X_test"], [[15 / std, 0.0, 1.0, 0.0]])
    assert list(out["y_train"]) == [1.0, 0.0, 0.0]
