"""The reference gmm_em solution's plotting helper: ellipse geometry, a real PNG, lazy matplotlib."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest

from mlprep.paths import content_dir

SOLUTION = content_dir("solutions") / "gmm_em.py"


@pytest.fixture(scope="module")
def gmm():
    spec = importlib.util.spec_from_file_location("gmm_em_reference", SOLUTION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_axis_aligned_ellipse(gmm):
    width, height, angle = gmm.ellipse(np.diag([4.0, 1.0]), 2)
    assert (width, height) == pytest.approx((8.0, 4.0))  # 2 * n_sigma * standard deviation
    assert angle % 180 == pytest.approx(0.0, abs=1e-9)


def test_rotated_ellipse(gmm):
    # variance 9 along the diagonal direction (1, 1)/sqrt(2), variance 1 across it
    u = np.array([1.0, 1.0]) / np.sqrt(2)
    v = np.array([-1.0, 1.0]) / np.sqrt(2)
    width, height, angle = gmm.ellipse(9 * np.outer(u, u) + np.outer(v, v), 1)
    assert (width, height) == pytest.approx((6.0, 2.0))
    assert angle % 180 == pytest.approx(45.0)


def test_plot_writes_png(gmm, tmp_path):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(100, 3)), rng.normal(size=(100, 3)) + 5])
    w, mu, cov, _ = gmm.fit_gmm(X, np.array([0.5, 0.5]), X[[0, 150]], np.stack([np.eye(3)] * 2), n_iter=10)
    resp, _ = gmm.e_step(X, w, mu, cov)
    path = gmm.plot_gmm(X, mu, cov, resp, tmp_path / "fit.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_matplotlib_is_imported_lazily():
    code = ("import importlib.util, sys\n"
            f"spec = importlib.util.spec_from_file_location('g', {str(SOLUTION)!r})\n"
            "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
