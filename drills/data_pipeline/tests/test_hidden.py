"""Hidden tests for data_pipeline: pandas (read_csv, median, std(ddof=0), get_dummies) as the
oracle on the training rows, leakage probes (test rows that would move any statistic), and the
classic mistakes named when the result equals what they give."""

import io

import numpy as np
import pandas as pd
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named

NUMERIC, CATEGORICAL, TARGET = ["age", "income"], ["city", "plan"], "label"
KEYS = {"X_train", "X_test", "y_train", "y_test", "columns", "train_rows", "test_rows"}


def make_csv(n=40, seed=0, extreme_test_rows=()):
    rng = np.random.default_rng(seed)
    lines = ["id,age,city,income,plan,label"]
    for i in range(n):
        age = "" if rng.random() < 0.15 else f"{rng.integers(18, 70)}"
        income = "NA" if rng.random() < 0.15 else f"{rng.normal(50, 15):.2f}"
        city = "" if rng.random() < 0.1 else str(rng.choice(["paris", "rome", "oslo", "lima"]))
        plan = str(rng.choice(["free", "pro"]))
        if i in extreme_test_rows:  # values that would move any statistic computed on all rows
            age, income, city = "400", "9000.5", "atlantis"
        lines.append(f"{i},{age},{city},{income},{plan},{rng.integers(0, 2)}")
    return "\n".join(lines) + "\n"


def split(n, fraction, seed):
    perm = np.random.default_rng(seed).permutation(n)
    k = int(fraction * n)
    return np.sort(perm[k:]), np.sort(perm[:k])


def oracle(text, fraction, seed, fit_rows=None, ddof=0, fill="median"):
    """The expected output; fit_rows (numeric statistics) / ddof / fill give what a known mistake
    computes instead. Categories always come from the training rows (their leakage has its own check)."""
    df = pd.read_csv(io.StringIO(text), na_values=["NA", ""], keep_default_na=False,
                     dtype={c: str for c in CATEGORICAL})
    train, test = split(len(df), fraction, seed)
    fit = train if fit_rows is None else fit_rows
    parts, columns = [], []
    for col in NUMERIC:
        values = df[col].astype(float)
        filled = values.fillna(getattr(values.iloc[fit], fill)())
        std = filled.iloc[fit].std(ddof=ddof)
        parts.append(((filled - filled.iloc[fit].mean()) / (std if std > 0 else 1.0)).to_numpy()[:, None])
        columns.append(col)
    for col in CATEGORICAL:
        cats = sorted(df[col].iloc[train].dropna().unique())
        onehot = pd.get_dummies(pd.Categorical(df[col], categories=cats)).to_numpy(dtype=np.float64)
        parts.append(onehot)
        columns += [f"{col}={c}" for c in cats]
    X = np.hstack(parts)
    return X[train], X[test], columns, train, test, df[TARGET].to_numpy(dtype=np.float64)


def run(solution, text, fraction=0.25, seed=0):
    out = solution.build_features(text, NUMERIC, CATEGORICAL, TARGET, fraction, seed)
    if type(out) is not dict or not KEYS <= set(out):
        fail(f"build_features must return a dict with keys {sorted(KEYS)}")
    return out


def check_split(out, n, fraction, seed):
    train, test = split(n, fraction, seed)
    got_test = expect_array(out["test_rows"], "test_rows", kinds="iu")
    got_train = expect_array(out["train_rows"], "train_rows", kinds="iu")
    perm = np.random.default_rng(seed).permutation(n)
    if sorted(got_test.tolist()) in (train.tolist(), np.sort(perm[n - len(test):]).tolist()):
        fail("the test rows are taken from the wrong end: they are the front of the permutation, perm[:n_test]")
    if got_test.tolist() != test.tolist() or got_train.tolist() != train.tolist():
        if sorted(got_test.tolist()) == test.tolist():
            fail("the right test rows in the wrong order: keep each split in file order (ascending)")
        fail(f"test_rows should be {test.tolist()[:8]}... (perm = default_rng(seed).permutation(n), "
             f"n_test = int(test_fraction * n), test = perm[:n_test]), got {got_test.tolist()[:8]}...")


def test_split(solution):
    """the split follows default_rng(seed).permutation, test rows first, each split in file order"""
    for seed, fraction in [(0, 0.25), (7, 0.5)]:
        out = run(solution, make_csv(), fraction, seed)
        check_split(out, 40, fraction, seed)


def test_columns(solution):
    """numeric columns first, then each categorical's training categories, sorted"""
    text = make_csv()
    _, _, columns, *_ = oracle(text, 0.25, 0)
    got = run(solution, text)["columns"]
    if type(got) not in (list, tuple) or list(got) != columns:
        fail(f"columns: expected {columns}, got {got!r:.300}")


def test_against_pandas(solution, tolerance):
    """X_train, X_test, y_train and y_test equal a pandas computation of the same steps"""
    text = make_csv(seed=3)
    Xtr, Xte, columns, train, test, y = oracle(text, 0.25, 0)
    out = run(solution, text)
    if list(out["columns"]) != columns:
        fail(f"columns: expected {columns}, got {list(out['columns'])}")
    variants = {"the standard deviation must be the population one (ddof=0), as np.std computes it": {"ddof": 1},
                "missing numbers are filled with the training median, not the mean": {"fill": "mean"}}
    wrong = {message: oracle(text, 0.25, 0, **kwargs) for message, kwargs in variants.items()}
    for index, key, want in ((0, "X_train", Xtr), (1, "X_test", Xte)):
        assert_close_or_named(expect_array(out[key], key, kinds="f"), want, key,
                              {message: result[index] for message, result in wrong.items()}, **tolerance)
    for key, want in (("y_train", y[train]), ("y_test", y[test])):
        got = expect_array(out[key], key, shape=want.shape)
        if not np.array_equal(got.astype(np.float64), want):
            fail(f"{key} are not the target values of the {key[2:]} rows in file order")


def test_no_leakage(solution, tolerance):
    """extreme values in test rows change nothing learnt: statistics and categories come from training rows"""
    _, test = split(40, 0.25, 0)
    text = make_csv(seed=5, extreme_test_rows=set(test.tolist()))
    Xtr, Xte, columns, *_ = oracle(text, 0.25, 0)
    out = run(solution, text)
    leaky = oracle(text, 0.25, 0, fit_rows=np.arange(40))
    if "city=atlantis" in list(out["columns"]):
        fail("a category seen only in test rows got a column: take the categories from the training split only "
             "(leakage)")
    got = expect_array(out["X_train"], "X_train", shape=Xtr.shape, kinds="f")
    assert_close_or_named(got, Xtr, "X_train with extreme test rows", {
        "median, mean and standard deviation must come from the training split only, not all rows (leakage)":
            leaky[0]}, **tolerance)
    assert_close_or_named(expect_array(out["X_test"], "X_test", shape=Xte.shape, kinds="f"), Xte,
                          "X_test with extreme test rows", {
        "the test rows are standardised with the training statistics, not with their own or all rows' (leakage)":
            leaky[1]}, **tolerance)


def test_standardised_training_columns(solution):
    """each numeric training column has mean 0 and standard deviation 1 (ddof=0)"""
    out = run(solution, make_csv(seed=8))
    X = expect_array(out["X_train"], "X_train", kinds="f")
    if X.ndim != 2 or X.shape[1] < 2:
        fail(f"X_train: expected a 2-D array with the numeric columns first, got shape {X.shape}")
    mean, std = X[:, :2].mean(0), X[:, :2].std(0)
    if not np.allclose(mean, 0, atol=1e-9):
        fail(f"the standardised numeric training columns have means {mean.round(6).tolist()}, expected 0")
    if not np.allclose(std, 1, atol=1e-9):
        fail(f"the standardised numeric training columns have standard deviations {std.round(6).tolist()}, "
             "expected 1 with ddof=0")


@pytest.mark.parametrize("seed", [1, 2], ids=["seed 1", "seed 2"])
def test_deterministic(solution, seed):
    """the same inputs give the same output; another seed gives another split"""
    text = make_csv(seed=9)
    a, b = run(solution, text, 0.25, seed), run(solution, text, 0.25, seed)
    for key in ("X_train", "X_test", "test_rows"):
        if not np.array_equal(np.asarray(a[key]), np.asarray(b[key])):
            fail(f"two calls with seed {seed} gave different {key}: use np.random.default_rng(seed)")
    other = run(solution, text, 0.25, seed + 10)
    if np.array_equal(np.asarray(other["test_rows"]), np.asarray(a["test_rows"])):
        fail("a different seed gave the same split: the permutation must come from default_rng(seed)")
