"""Hidden tests for naive_bayes: scikit-learn's GaussianNB and MultinomialNB (predict_log_proba and
predict) as oracles, on data chosen to expose each classic mistake: features constant inside a
class (smoothing), a rare class (prior), unseen words (alpha), 500 features and long documents
(log space), and identical classes (the tie rule). Mistakes are named when a result equals what
they give."""

import ast
from pathlib import Path

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB, MultinomialNB

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named

BANNED = {"sklearn", "scipy", "torch"}
LABELS = np.array([4, -1, 7])


def log_normalise(joint):
    top = joint.max(axis=1, keepdims=True)
    return joint - (top + np.log(np.exp(joint - top).sum(axis=1, keepdims=True)))


def gaussian_variant(X, y, T, var_smoothing, epsilon="max", ddof=0, prior=True):
    """Log posteriors of a Gaussian NB with one of the classic mistakes switched on."""
    classes = np.unique(y)
    overall = X.var(axis=0)
    eps = {"max": var_smoothing * overall.max(), "per feature": var_smoothing * overall, "none": 0.0}[epsilon]
    mean = np.stack([X[y == c].mean(0) for c in classes])
    var = np.stack([X[y == c].var(0, ddof=ddof) for c in classes]) + eps
    log_prior = np.log(np.array([np.mean(y == c) for c in classes])) if prior else np.zeros(len(classes))
    with np.errstate(divide="ignore", invalid="ignore"):
        joint = log_prior - 0.5 * np.log(2 * np.pi * var).sum(1) - 0.5 * ((T[:, None] - mean) ** 2 / var).sum(2)
        return log_normalise(joint)


def multinomial_variant(X, y, T, alpha, denominator="alpha * d", prior=True):
    classes = np.unique(y)
    counts = np.stack([X[y == c].sum(0) for c in classes])
    extra = {"alpha * d": alpha * X.shape[1], "alpha": alpha}[denominator]
    log_theta = np.log(counts + alpha) - np.log(counts.sum(1, keepdims=True) + extra)
    log_prior = np.log(np.array([np.mean(y == c) for c in classes])) if prior else np.zeros(len(classes))
    return log_normalise(T @ log_theta.T + log_prior)


LOG_SPACE = ("stay in log space (add log prior and log likelihoods, normalise with a log-sum-exp); "
             "exp of scores near -1000 underflows to 0")


def run(solution, fn, X, y, T, what, nonfinite=LOG_SPACE, **kw):
    got = getattr(solution, fn)(X, y, T, **kw)
    if type(got) not in (tuple, list) or len(got) != 2:
        fail(f"{what}: expected (labels, log_proba), got {type(got).__name__}")
    K = len(np.unique(y))
    labels = expect_array(got[0], f"{what}: labels", shape=(len(T),), kinds="iu")
    log_proba = expect_array(got[1], f"{what}: log_proba", shape=(len(T), K), kinds="f")
    if not np.all(np.isfinite(log_proba)):
        fail(f"{what}: log_proba holds nan or -inf: {nonfinite}")
    return labels, log_proba


def check_labels(got, model, T, what):
    expected = model.predict(T)
    if not np.array_equal(got, expected):
        r = int(np.flatnonzero(got != expected)[0])
        if np.array_equal(got, np.searchsorted(model.classes_, expected)):
            fail(f"{what}: labels are the class labels themselves ({model.classes_.tolist()}), not their positions")
        fail(f"{what}: {int(np.sum(got != expected))} of {len(got)} labels differ; row {r}: expected "
             f"{expected[r]}, got {got[r]}")


def gaussian_mistakes(X, y, T, vs):
    return {
        "add epsilon = var_smoothing * (the largest feature variance of X_train) to every variance":
            gaussian_variant(X, y, T, vs, epsilon="none"),
        "epsilon is one number, var_smoothing times the LARGEST feature variance, not each feature's own variance":
            gaussian_variant(X, y, T, vs, epsilon="per feature"),
        "a class's variance divides by its row count (ddof=0), not count - 1": gaussian_variant(X, y, T, vs, ddof=1),
        "the log prior log P(c) (the class's share of the training rows) is missing":
            gaussian_variant(X, y, T, vs, prior=False),
    }


def multinomial_mistakes(X, y, T, alpha):
    return {
        "the smoothed denominator adds alpha once per feature (alpha * d), not once":
            multinomial_variant(X, y, T, alpha, denominator="alpha"),
        "the log prior log P(c) (the class's share of the training rows) is missing":
            multinomial_variant(X, y, T, alpha, prior=False),
    }


def gaussian_data(seed, n=120, d=6, m=40):
    rng = np.random.default_rng(seed)
    y = rng.choice(LABELS, n, p=[0.5, 0.35, 0.15])
    scale = rng.uniform(0.3, 3.0, d)
    X = rng.normal(size=(n, d)) * scale + (y[:, None] % 5) * rng.normal(size=d)
    return X, y, rng.normal(size=(m, d)) * scale * 1.5


def count_data(seed, n=90, d=40, m=30, rate=2.0):
    rng = np.random.default_rng(seed)
    y = rng.choice(LABELS, n, p=[0.5, 0.3, 0.2])
    topics = rng.dirichlet(np.ones(d) * 0.5, size=3)
    X = np.stack([rng.multinomial(int(rate * d), topics[np.flatnonzero(LABELS == c)[0]]) for c in y]).astype(float)
    T = np.stack([rng.multinomial(int(rate * d), topics[i % 3]) for i in range(m)]).astype(float)
    return X, y, T


@pytest.mark.parametrize("vs", [1e-9, 1e-2], ids=["var_smoothing=1e-9", "var_smoothing=1e-2"])
def test_gaussian_matches_sklearn(solution, tolerance, vs):
    """Gaussian: log posteriors and labels equal scikit-learn's GaussianNB"""
    X, y, T = gaussian_data(1)
    kw = {} if vs == 1e-9 else {"var_smoothing": vs}
    labels, log_proba = run(solution, "gaussian_nb", X, y, T, f"gaussian_nb ({vs=})", **kw)
    model = GaussianNB(var_smoothing=vs).fit(X, y)
    assert_close_or_named(log_proba, model.predict_log_proba(T), f"gaussian_nb ({vs=}): log_proba",
                          gaussian_mistakes(X, y, T, vs), **tolerance)
    check_labels(labels, model, T, f"gaussian_nb ({vs=})")


def test_gaussian_constant_feature(solution, tolerance):
    """Gaussian: a feature constant inside each class stays finite thanks to var_smoothing"""
    X, y, T = gaussian_data(2, d=4)
    X = np.column_stack([X, (y == 7).astype(float), np.full(len(y), 3.0)])  # 0/1 per class, and constant
    T = np.column_stack([T, np.tile([0.0, 1.0, 0.5, 0.0], len(T) // 4 + 1)[:len(T)], np.full(len(T), 3.0)])
    vs = 1e-3
    labels, log_proba = run(solution, "gaussian_nb", X, y, T, "gaussian_nb with constant features",
                            nonfinite="a feature constant inside a class has variance 0; add epsilon = var_smoothing * "
                            "(the largest feature variance of X_train) to every variance", var_smoothing=vs)
    model = GaussianNB(var_smoothing=vs).fit(X, y)
    assert_close_or_named(log_proba, model.predict_log_proba(T), "gaussian_nb with constant features: log_proba",
                          gaussian_mistakes(X, y, T, vs), **tolerance)
    check_labels(labels, model, T, "gaussian_nb with constant features")


@pytest.mark.parametrize("alpha", [1.0, 0.1], ids=["alpha=1", "alpha=0.1"])
def test_multinomial_matches_sklearn(solution, tolerance, alpha):
    """multinomial: log posteriors and labels equal scikit-learn's MultinomialNB"""
    X, y, T = count_data(3)
    X[:, :3] = 0.0  # three words no training document uses: only alpha keeps them finite
    T[:, 0] += 1.0
    kw = {} if alpha == 1.0 else {"alpha": alpha}
    labels, log_proba = run(solution, "multinomial_nb", X, y, T, f"multinomial_nb ({alpha=})", **kw)
    model = MultinomialNB(alpha=alpha).fit(X, y)
    assert_close_or_named(log_proba, model.predict_log_proba(T), f"multinomial_nb ({alpha=}): log_proba",
                          multinomial_mistakes(X, y, T, alpha), **tolerance)
    check_labels(labels, model, T, f"multinomial_nb ({alpha=})")


def test_rare_class_prior(solution, tolerance):
    """the prior counts: a class with 5% of the rows loses close calls"""
    rng = np.random.default_rng(4)
    y = np.where(rng.random(200) < 0.05, 9, 1)
    X = rng.normal(size=(200, 2)) + (y == 9)[:, None] * 0.5
    T = rng.normal(size=(30, 2)) + 0.3
    labels, log_proba = run(solution, "gaussian_nb", X, y, T, "gaussian_nb with a rare class")
    model = GaussianNB().fit(X, y)
    assert_close_or_named(log_proba, model.predict_log_proba(T), "gaussian_nb with a rare class: log_proba",
                          gaussian_mistakes(X, y, T, 1e-9), **tolerance)
    check_labels(labels, model, T, "gaussian_nb with a rare class")


def test_log_space_gaussian(solution, tolerance):
    """Gaussian with 500 features: the likelihoods underflow, the log posteriors must not"""
    X, y, T = gaussian_data(5, n=150, d=500, m=20)
    T = T * 2.0
    labels, log_proba = run(solution, "gaussian_nb", X, y, T, "gaussian_nb with 500 features")
    model = GaussianNB().fit(X, y)
    assert_close_or_named(log_proba, model.predict_log_proba(T), "gaussian_nb with 500 features: log_proba",
                          gaussian_mistakes(X, y, T, 1e-9), **tolerance)
    check_labels(labels, model, T, "gaussian_nb with 500 features")


def test_log_space_multinomial(solution, tolerance):
    """multinomial on documents of 4,000 words: the likelihoods underflow, the log posteriors must not"""
    X, y, T = count_data(6, d=50, rate=80.0)
    labels, log_proba = run(solution, "multinomial_nb", X, y, T, "multinomial_nb on long documents")
    model = MultinomialNB().fit(X, y)
    assert_close_or_named(log_proba, model.predict_log_proba(T), "multinomial_nb on long documents: log_proba",
                          multinomial_mistakes(X, y, T, 1.0), **tolerance)
    check_labels(labels, model, T, "multinomial_nb on long documents")


def test_equal_posteriors(solution):
    """equal posteriors go to the smallest label"""
    X = np.array([[2.0, 1.0], [0.0, 3.0], [2.0, 1.0], [0.0, 3.0]])
    y = np.array([8, 8, 3, 3])  # two identical classes
    T = np.array([[1.0, 1.0], [5.0, 0.0]])
    for fn in ("gaussian_nb", "multinomial_nb"):
        labels, log_proba = run(solution, fn, X, y, T, f"{fn} with two identical classes")
        if not np.allclose(log_proba, np.log(0.5), atol=1e-9):
            fail(f"{fn}: two classes with identical training rows must each get posterior 1/2")
        if labels.tolist() != [3, 3]:
            fail(f"{fn}: equal posteriors go to the smallest label (3); got {labels.tolist()}")


def imported_banned(source: str) -> set[str]:
    """Banned top-level modules the source imports (or names in a string, as for __import__)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & BANNED
    return found


def test_numpy_only(solution, tolerance):
    """numpy only: a working multinomial_nb with no scikit-learn, scipy or torch"""
    X, y, T = count_data(7, d=10)
    _, log_proba = run(solution, "multinomial_nb", X, y, T, "multinomial_nb")
    assert_close_or_named(log_proba, MultinomialNB().fit(X, y).predict_log_proba(T), "multinomial_nb: log_proba",
                          multinomial_mistakes(X, y, T, 1.0), **tolerance)
    used = imported_banned(Path(solution.source_file).read_text(encoding="utf-8", errors="replace"))  # read, never run
    if used:
        fail(f"your file uses {', '.join(sorted(used))}: write both classifiers with numpy alone")
