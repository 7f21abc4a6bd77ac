# mlprep drill: data_pipeline
"""A leak-free preprocessing pipeline. Run the public examples with
`pytest test_data_pipeline_examples.py` and grade with `mlprep grade data_pipeline.py`."""

from __future__ import annotations


def build_features(csv_text: str, numeric: list[str], categorical: list[str], target: str,
                   test_fraction: float, seed: int) -> dict:
    """Parse, split, impute (training median), one-hot (training categories), standardise
    (training mean and std): every statistic from the training rows only.

    Returns {"X_train", "X_test", "y_train", "y_test", "columns", "train_rows", "test_rows"}.
    """
    raise NotImplementedError("build_features")
