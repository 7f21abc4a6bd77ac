# mlprep drill: data_pipeline
# expect: category seen only in test rows
# Mistake: categories collected from every row, test rows included
"""Reference solution: a preprocessing pipeline in numpy and the standard library. The split
comes first; every statistic is then *fitted* on the training rows and *applied* to both."""

from __future__ import annotations

import numpy as np

MISSING = {"", "NA"}


def _parse(csv_text: str) -> dict[str, list[str | None]]:
    """Column name -> raw string values (None where missing), in file order."""
    header, *lines = csv_text.strip().splitlines()
    names = [name.strip() for name in header.split(",")]
    rows = [[field.strip() for field in line.split(",")] for line in lines if line.strip()]
    return {name: [None if row[i] in MISSING else row[i] for row in rows] for i, name in enumerate(names)}


def _split(n: int, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    perm = np.random.default_rng(seed).permutation(n)
    n_test = int(test_fraction * n)
    return np.sort(perm[n_test:]), np.sort(perm[:n_test])  # train, test: each in file order


def _numeric(values: list[str | None], train: np.ndarray, test: np.ndarray):
    col = np.array([np.nan if v is None else float(v) for v in values])
    col = np.where(np.isnan(col), np.nanmedian(col[train]), col)  # training median fills the gaps
    mean, std = col[train].mean(), col[train].std()  # ddof=0, after filling
    std = std if std > 0 else 1.0
    return (col[train] - mean) / std, (col[test] - mean) / std


def _one_hot(name: str, values: list[str | None], train: np.ndarray, test: np.ndarray):
    col = np.array(["" if v is None else v for v in values], dtype=object)
    categories = sorted({v for v in col if v != ""})
    names = [f"{name}={c}" for c in categories]
    onehot = (col[:, None] == np.array(categories, dtype=object)[None, :]).astype(np.float64)  # (n, k)
    return names, onehot[train], onehot[test]


def build_features(csv_text: str, numeric: list[str], categorical: list[str], target: str,
                   test_fraction: float, seed: int) -> dict:
    table = _parse(csv_text)
    n = len(table[target])
    train, test = _split(n, test_fraction, seed)
    columns: list[str] = []
    train_parts, test_parts = [], []
    for name in numeric:
        tr, te = _numeric(table[name], train, test)
        columns.append(name)
        train_parts.append(tr[:, None])
        test_parts.append(te[:, None])
    for name in categorical:
        names, tr, te = _one_hot(name, table[name], train, test)
        columns += names
        train_parts.append(tr)
        test_parts.append(te)
    y = np.array([float(v) for v in table[target]])
    return {
        "X_train": np.hstack(train_parts) if train_parts else np.zeros((len(train), 0)),
        "X_test": np.hstack(test_parts) if test_parts else np.zeros((len(test), 0)),
        "y_train": y[train], "y_test": y[test], "columns": columns,
        "train_rows": train.astype(np.int64), "test_rows": test.astype(np.int64),
    }
