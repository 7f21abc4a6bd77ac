"""The numbers behind `mlprep explore gmm`: mock data, staged EM on the reference steps, BIC, mean matching."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mlprep.explore import gmm


@pytest.fixture(scope="module")
def overlapping():
    """Neighbouring Gaussians overlap: EM has real work to do in every stage."""
    return gmm.make_data(k=4, dim=3, n=500, noise=0.5, seed=3)


@pytest.mark.parametrize("kind", ["spherical", "diag", "full"])
def test_em_log_likelihood_never_decreases(overlapping, kind):
    X, truth = overlapping
    start = gmm.kmeans_mixture(X, 4, seed=0)
    mix, resp, history = gmm.em(X, start, kind, max_iter=60)
    assert len(history) > 3  # it ran more than a round or two
    assert np.all(np.diff(history) >= -1e-10), np.diff(history).min()
    assert np.allclose(resp.sum(axis=1), 1.0) and mix.covs.shape == (4, 3, 3)
    if kind != "full":
        off_diagonal = mix.covs - np.diagonal(mix.covs, axis1=1, axis2=2)[:, :, None] * np.eye(3)
        assert np.abs(off_diagonal).max() == 0.0
    if kind == "spherical":
        assert np.allclose(mix.covs, mix.covs[:, :1, :1] * np.eye(3))


def test_well_separated_means_are_recovered_by_every_stage():
    X, truth = gmm.make_data(k=3, dim=2, n=900, noise=0.2, seed=7, min_gap=12.0)
    stages = gmm.fit_stages(X, 3, "full", truth.means, seed=0)
    assert [s.name for s in stages] == ["k-means", "diag", "full"]
    for stage in stages:
        assert stage.max_error < 0.35, (stage.name, stage.max_error)
    # more flexible covariances fit the tilted clusters better, and EM starts where k-means ended
    assert stages[0].loglik < stages[1].loglik < stages[2].loglik
    assert stages[1].history[0] == pytest.approx(stages[0].loglik)
    assert stages[2].history[0] == pytest.approx(stages[1].loglik)


@pytest.mark.parametrize("kind", ["diag", "spherical"])
def test_constrained_em_matches_scikit_learn_from_the_same_start(overlapping, kind):
    mixture = pytest.importorskip("sklearn.mixture")
    X, _ = overlapping
    start = gmm.kmeans_mixture(X, 4, seed=0)
    ours, _, _ = gmm.em(X, start, kind, max_iter=25, tol=-np.inf)  # exactly 25 rounds
    variances = np.diagonal(gmm.constrain(start.covs, kind), axis1=1, axis2=2)
    precisions = 1.0 / (variances if kind == "diag" else variances[:, 0])
    peer = mixture.GaussianMixture(4, covariance_type=kind, weights_init=start.weights, means_init=start.means,
                                   precisions_init=precisions, reg_covar=1e-6, max_iter=25, tol=0.0)
    with pytest.warns(Warning):  # it says it did not converge: it ran all 25 rounds, as ours did
        peer.fit(X)
    assert np.allclose(ours.means, peer.means_, atol=1e-6)
    assert np.allclose(ours.weights, peer.weights_, atol=1e-8)
    peer_variances = peer.covariances_ if kind == "diag" else peer.covariances_[:, None] * np.ones(3)
    assert np.allclose(np.diagonal(ours.covs, axis1=1, axis2=2), peer_variances, atol=1e-6)


def test_bic_counts_parameters_per_covariance_kind():
    assert gmm.n_parameters("full", 3, 2) == 2 + 6 + 9
    assert gmm.n_parameters("diag", 3, 2) == 2 + 6 + 6
    assert gmm.n_parameters("spherical", 3, 2) == 2 + 6 + 3
    assert gmm.n_parameters("k-means", 3, 2) == 2 + 6 + 1
    assert gmm.bic(-2.0, 100, 5) == pytest.approx(400 + 5 * np.log(100))


def test_match_error_ignores_the_order_of_components():
    true = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    fitted = true[[2, 0, 1]] + np.array([[0.0, 1.0], [0.0, 0.0], [0.5, 0.0]])
    assert gmm.match_error(true, fitted) == pytest.approx((0.5, 1.0))


def test_projected_ellipses_use_the_marginal_of_the_plane():
    covs = np.array([np.diag([4.0, 9.0, 1.0])])
    (one, two) = gmm.projected_ellipses(np.array([[1.0, 2.0, 3.0]]), covs, (0, 2))
    x, y, width, height, _, n_sigma = one
    assert (x, y, n_sigma) == (1.0, 3.0, 1.0) and (width, height) == pytest.approx((4.0, 2.0))
    assert two[2:4] == pytest.approx((8.0, 4.0)) and two[5] == 2.0


def test_mock_data_is_reproducible_and_spread_out():
    X, truth = gmm.make_data(k=5, dim=3, n=300, noise=0.5, seed=11)
    again, _ = gmm.make_data(k=5, dim=3, n=300, noise=0.5, seed=11)
    assert X.shape == (300, 3) and np.array_equal(X, again)
    assert truth.weights.sum() == pytest.approx(1.0)
    gaps = [np.linalg.norm(a - b) for a, b in itertools.combinations(truth.means, 2)]
    assert min(gaps) >= 3.0
    assert np.all(np.linalg.eigvalsh(truth.covs) > 0)
