"""The numbers behind `mlprep explore posenc`: sinusoidal and RoPE scores, learned tables from checkpoints."""

from __future__ import annotations

import numpy as np
import pytest
from explore_helpers import learned_run_fixture, rope_run_fixture  # noqa: F401

from mlprep.errors import MlprepError
from mlprep.explore import posenc as pe


def test_sinusoidal_similarity_depends_on_distance_and_falls_off_nearby():
    table = pe.sinusoidal_table(96, 32)
    gram = table @ table.T
    assert pe.shift_deviation(gram) < 1e-9  # the same at every (m, m + d)
    curve = pe.by_distance(gram)
    assert curve[0] == pytest.approx(16.0)  # |PE[m]|^2 = d/2
    assert np.all(np.diff(curve[:5]) < 0)  # nearer positions are more alike (up to d = 4 here)
    assert curve[1:].max() < curve[0]


def test_rope_score_is_invariant_to_shifting_both_positions():
    q, k = pe.content_vectors(16, seed=3)
    scores = pe.rope_scores(q, k, 40)
    for m, n, shift in [(0, 5, 7), (3, 1, 20), (10, 10, 29)]:
        assert scores[m + shift, n + shift] == pytest.approx(scores[m, n], abs=1e-10)
    assert pe.shift_deviation(scores) < 1e-9
    assert scores[0, 0] == pytest.approx(q @ k)  # position 0 is not rotated


def test_adding_an_absolute_encoding_to_content_breaks_the_shift_invariance():
    q, k = pe.content_vectors(16, seed=3)
    additive = pe.additive_scores(q, k, pe.sinusoidal_table(40, 16))
    assert pe.shift_deviation(additive) > 1.0


def test_cosine_matrix_and_distance_summary():
    table = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0]])
    cos = pe.cosine_matrix(table)
    assert np.allclose(np.diag(cos), 1.0)
    assert cos[0, 1] == pytest.approx(0.0) and cos[0, 2] == pytest.approx(np.sqrt(0.5))
    assert pe.summarise(cos, (0, 1, 5)) == pytest.approx({"0": 1.0, "1": np.sqrt(0.5) / 2})


def test_learned_table_reads_the_position_embedding_of_a_checkpoint(learned_run):
    table, facts = pe.learned_table(learned_run)
    assert table.shape == (16, 32)  # block_size x n_embd of the tiny run
    assert facts["iter"] > 0 and facts["checkpoint"].endswith(".pt")


def test_learned_table_refuses_a_rope_checkpoint_and_a_missing_one(rope_run, tmp_path):
    with pytest.raises(MlprepError, match="rope positions, not a learned table"):
        pe.learned_table(rope_run)
    with pytest.raises(MlprepError, match="no such checkpoint"):
        pe.learned_table(tmp_path / "nothing.pt")
