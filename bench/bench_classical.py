"""The reference classical-ML solutions against scikit-learn, on the same data in the same run.

For each of gmm_em, kmeans and logistic_regression: the median wall time of the reference
solution and of scikit-learn's estimator (same data, same start or the same number of
restarts), their ratio, and the quality gap: mean log-likelihood per point (GMM), relative
inertia (k-means) and test accuracy plus the largest coefficient difference (logistic regression).
Both sides run with the same BLAS/OpenMP thread limit (--threads, default 1).
Usage: python bench/bench_classical.py [--repeats N] [--threads T] [--scale S]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
import warnings
from collections.abc import Callable
from types import ModuleType

import numpy as np
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from mlprep.paths import content_dir


def reference(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"reference_{name}", content_dir("solutions") / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median wall seconds over ``repeats`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def blobs(n: int, d: int, k: int, seed: int) -> np.ndarray:
    """k rotated, stretched Gaussian clusters with n points in all."""
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(size=(n // k, d)) @ rng.normal(size=(d, d)) + rng.normal(size=d) * 5
                      for _ in range(k)])


def bench_gmm(repeats: int, scale: int) -> tuple[str, float, float, str]:
    gmm = reference("gmm_em")
    X, k, n_iter = blobs(3000 * scale, 3, 4, seed=0), 4, 100
    rng = np.random.default_rng(1)
    w0, mu0, cov0 = np.full(k, 1 / k), X[rng.choice(len(X), k, replace=False)], np.stack([np.cov(X.T)] * k)
    ours_s, ours = timed(lambda: gmm.fit_gmm(X, w0, mu0, cov0, n_iter), repeats)

    def sk():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tol=0: run all rounds, like the reference
            return GaussianMixture(k, covariance_type="full", weights_init=w0, means_init=mu0,
                                   precisions_init=np.linalg.inv(cov0), max_iter=n_iter, tol=0).fit(X)
    sk_s, model = timed(sk, repeats)
    gap = ours[3][-1] - model.score(X)
    return f"gmm_em ({len(X)}x3, k={k}, {n_iter} rounds)", ours_s, sk_s, f"log-lik/point {ours[3][-1]:.5f} vs {model.score(X):.5f} (gap {gap:+.1e})"


def bench_kmeans(repeats: int, scale: int) -> tuple[str, float, float, str]:
    km = reference("kmeans")
    X, k = blobs(5000 * scale, 2, 8, seed=2), 8
    ours_s, ours = timed(lambda: km.kmeans(X, k, n_init=10, seed=0), repeats)
    sk_s, model = timed(lambda: KMeans(k, n_init=10, random_state=0).fit(X), repeats)
    gap = ours[2] / model.inertia_ - 1
    return f"kmeans ({len(X)}x2, k={k}, 10 restarts)", ours_s, sk_s, f"inertia {ours[2]:.1f} vs {model.inertia_:.1f} ({gap:+.2%})"


def bench_logistic(repeats: int, scale: int) -> tuple[str, float, float, str]:
    lr = reference("logistic_regression")
    rng = np.random.default_rng(3)
    n, d, l2 = 5000 * scale, 20, 1e-3
    X = rng.normal(size=(2 * n, d))
    y = (rng.random(2 * n) < 1 / (1 + np.exp(-(X @ rng.normal(size=d) - 0.5)))).astype(np.float64)
    train, test = slice(0, n), slice(n, 2 * n)
    ours_s, (w, b) = timed(lambda: lr.fit(X[train], y[train], l2, 1.0, 500), repeats)
    sk_s, model = timed(lambda: LogisticRegression(C=1 / (l2 * n), max_iter=1000).fit(X[train], y[train]), repeats)
    ours_acc = float((lr.predict(X[test], w, b) == y[test]).mean())
    sk_acc = model.score(X[test], y[test])
    coef_gap = float(np.abs(w - model.coef_[0]).max())
    return (f"logistic_regression ({n}x{d}, 500 GD steps)", ours_s, sk_s,
            f"test accuracy {ours_acc:.4f} vs {sk_acc:.4f}; max |coef diff| {coef_gap:.1e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per side (the median is shown)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP threads for both sides")
    parser.add_argument("--scale", type=int, default=1, help="multiply the data sizes")
    args = parser.parse_args()
    with threadpool_limits(args.threads):
        rows = [bench(args.repeats, args.scale) for bench in (bench_gmm, bench_kmeans, bench_logistic)]
    print(f"{'':44} {'ours s':>9} {'sklearn s':>9} {'ratio':>7}   quality (ours vs scikit-learn)")
    for name, ours_s, sk_s, quality in rows:
        print(f"{name:44} {ours_s:9.4f} {sk_s:9.4f} {ours_s / sk_s:6.2f}x   {quality}")
    print(f"(median of {args.repeats} runs each, {args.threads} thread(s); ratio = ours / scikit-learn time)")


if __name__ == "__main__":
    main()
