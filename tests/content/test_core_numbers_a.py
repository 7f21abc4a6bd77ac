"""Numbers stated in the curated banks (ml-fundamentals, classical-ml, probability-statistics,
optimization, deep-learning) recomputed from scratch.

Each test computes the value with numpy/torch/math and checks it against the number written in
the question's answer or correct choice. For choice questions it also checks that no wrong choice
states the same values, so a swapped `correct` fails too.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from conftest import REPO

from mlprep.bank.loader import load_questions
from mlprep.bank.schema import Question

CORE = REPO / "questions" / "core"
NUMBER_RE = re.compile(r"(?<![\w.])-?\d+(?:,\d{3})*(?:\.\d+)?(?:e-?\d+)?")


@pytest.fixture(scope="module")
def bank() -> dict[str, Question]:
    return {q.id: q for q in load_questions([CORE])}


def numbers(text: str) -> list[float]:
    """Every number written in ``text``, in order (thousands separators allowed)."""
    return [float(m.group().replace(",", "")) for m in NUMBER_RE.finditer(text)]


def states(text: str, expected: list[float], tol: float) -> bool:
    """Whether ``text`` states the ``expected`` values in order (other numbers may sit between)."""
    found = iter(numbers(text))
    return all(any(math.isclose(x, e, rel_tol=0, abs_tol=tol) for x in found) for e in expected)


def check_choice(q: Question, expected: list[float], tol: float, *, only_correct: bool = True) -> None:
    """The correct choice states ``expected``; unless told otherwise, no wrong choice does."""
    assert q.kind == "choice", q.id
    assert states(q.correct or "", expected, tol), f"{q.id}: correct choice {q.correct!r} != {expected}"
    for wrong in q.choices if only_correct else []:
        if wrong != q.correct:
            assert not states(wrong, expected, tol), f"{q.id}: wrong choice {wrong!r} also states {expected}"


def check_answer(q: Question, expected: list[float], tol: float) -> None:
    assert states(q.answer, expected, tol), f"{q.id}: answer does not state {expected}:\n{q.answer}"


# --- ml-fundamentals ---------------------------------------------------------------------------


def test_confusion_matrix_precision_recall_f1(bank):
    tp, fp, fn, tn = 40, 10, 20, 930
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    q = bank["ml-fundamentals.confusion-matrix-f1"]
    assert str(tp) in q.question and str(tn) in q.question
    check_choice(q, [precision, recall, f1], 5e-4)
    check_answer(q, [(tp + tn) / (tp + fp + fn + tn)], 5e-3)


def test_auc_by_pair_counting_matches_trapezoid(bank):
    pos, neg = np.array([0.9, 0.6, 0.4]), np.array([0.7, 0.3, 0.2, 0.1])
    pairs = (pos[:, None] > neg[None, :]).mean()
    scores = np.concatenate([pos, neg])
    labels = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
    order = np.argsort(-scores)
    tpr = np.r_[0, np.cumsum(labels[order]) / len(pos)]
    fpr = np.r_[0, np.cumsum(1 - labels[order]) / len(neg)]
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    assert math.isclose(pairs, area)
    check_choice(bank["ml-fundamentals.auc-by-hand"], [area], 5e-4)


def test_log_loss_values(bank):
    check_choice(bank["ml-fundamentals.log-loss-value"], [-math.log(0.8)], 5e-4)
    check_answer(bank["ml-fundamentals.log-loss-value"], [-math.log10(0.8), -math.log(0.2)], 5e-4)
    check_answer(bank["ml-fundamentals.log-loss-baseline"], [math.log(2)], 5e-4)


def test_cost_sensitive_threshold(bank):
    c_fp, c_fn = 1, 9
    p = np.linspace(0, 1, 100_001)
    cost_if_positive, cost_if_negative = (1 - p) * c_fp, p * c_fn
    threshold = p[np.argmax(cost_if_positive < cost_if_negative)]
    check_choice(bank["ml-fundamentals.threshold-moving"], [threshold], 1e-4)


def test_accuracy_of_majority_predictor(bank):
    y = np.r_[np.zeros(990), np.ones(10)]
    pred = np.zeros_like(y)
    accuracy, recall = (pred == y).mean(), (pred[y == 1] == 1).mean()
    check_choice(bank["ml-fundamentals.accuracy-paradox"], [100 * accuracy, 100 * recall], 1e-9)


# --- classical-ml ------------------------------------------------------------------------------


def test_least_squares_line(bank):
    x, y = np.array([1.0, 2, 3, 4]), np.array([2.0, 4, 5, 8])
    a, b = np.polyfit(x, y, 1)
    check_choice(bank["classical-ml.fit-line-by-hand"], [a, b], 1e-9)


def test_logistic_odds_ratio(bank):
    q = bank["classical-ml.logistic-odds-ratio"]
    (coef,) = numbers(q.question.split("coefficient")[1])[:1]
    assert "odds" in (q.correct or "")  # a wrong choice applies the same factor to the probability
    check_choice(q, [math.exp(coef)], 5e-3, only_correct=False)


def test_naive_bayes_posterior(bank):
    prior, p_word_spam, p_word_ham = 0.4, 0.5, 0.1
    posterior = prior * p_word_spam / (prior * p_word_spam + (1 - prior) * p_word_ham)
    check_choice(bank["classical-ml.naive-bayes-by-hand"], [posterior], 5e-4)


def entropy_bits(counts: list[int]) -> float:
    p = np.array(counts, dtype=float) / sum(counts)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def test_gini_and_entropy_of_a_node(bank):
    p = np.array([30, 70]) / 100
    q = bank["classical-ml.gini-by-hand"]
    check_choice(q, [1 - (p**2).sum()], 5e-3)
    check_answer(q, [entropy_bits([30, 70])], 5e-3)


def test_information_gain(bank):
    left, right = [40, 10], [10, 40]
    children = sum(sum(c) / 100 * entropy_bits(c) for c in (left, right))
    q = bank["classical-ml.information-gain-by-hand"]
    check_choice(q, [entropy_bits([50, 50]) - children], 5e-4)
    check_answer(q, [entropy_bits(left)], 5e-4)


def test_out_of_bag_fraction(bank):
    rng = np.random.default_rng(0)
    n = 20_000
    unseen = 1 - len(np.unique(rng.integers(0, n, n))) / n
    assert math.isclose(unseen, 1 / math.e, abs_tol=0.01)
    check_choice(bank["classical-ml.oob-fraction"], [100 / math.e], 0.05)


def test_gmm_parameter_count_matches_sklearn_bic(bank):
    from sklearn.mixture import GaussianMixture

    X = np.random.default_rng(0).normal(size=(300, 2))
    gm = GaussianMixture(n_components=3, covariance_type="full", random_state=0).fit(X)
    n = len(X)
    n_params = (gm.bic(X) + 2 * n * gm.score(X)) / math.log(n)
    check_choice(bank["classical-ml.gmm-parameter-count"], [round(n_params)], 1e-9)


def test_pca_explained_variance(bank):
    eigenvalues = np.array([4, 2, 1, 0.5, 0.5])
    rng = np.random.default_rng(0)
    n = 500
    noise = rng.normal(size=(n, 5))
    basis, _ = np.linalg.qr(noise - noise.mean(0))  # centred, orthonormal columns
    rotation, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    X = basis * np.sqrt((n - 1) * eigenvalues) @ rotation.T
    ratio = np.sort(np.linalg.eigvalsh(np.cov(X.T)))[::-1] / np.trace(np.cov(X.T))
    check_choice(bank["classical-ml.pca-explained-variance"], [100 * ratio[:2].sum()], 0.5)


# --- probability-statistics --------------------------------------------------------------------


def test_bayes_disease_test(bank):
    prevalence, sensitivity, false_positive_rate = 0.01, 0.99, 0.05
    positive = sensitivity * prevalence + false_positive_rate * (1 - prevalence)
    check_choice(bank["probability-statistics.bayes-disease-test"], [100 * sensitivity * prevalence / positive], 0.05)


def test_monty_hall_by_simulation(bank):
    rng = np.random.default_rng(0)
    car = rng.integers(0, 3, 20_000)
    switch_wins = (car != 0).mean()  # you picked door 0; switching wins whenever the car is elsewhere
    assert math.isclose(switch_wins, 2 / 3, abs_tol=0.01)
    assert "2/3" in (bank["probability-statistics.monty-hall"].correct or "")


def test_birthday_problem(bank):
    def shared(n: int) -> float:
        return 1 - math.prod((365 - i) / 365 for i in range(n))

    smallest = next(n for n in range(1, 366) if shared(n) > 0.5)
    q = bank["probability-statistics.birthday-problem"]
    check_choice(q, [smallest], 1e-9)
    check_answer(q, [shared(smallest), 57], 5e-4)
    assert shared(57) > 0.99


def test_die_mean_and_variance(bank):
    faces = np.arange(1, 7)
    check_choice(bank["probability-statistics.die-mean-variance"], [faces.mean(), faces.var()], 5e-4)


def test_geometric_binomial_poisson(bank):
    rng = np.random.default_rng(0)
    assert math.isclose(rng.geometric(1 / 6, 50_000).mean(), 6, abs_tol=0.1)
    check_choice(bank["probability-statistics.geometric-waiting"], [6], 1e-9)
    check_choice(bank["probability-statistics.binomial-two-heads"], [math.comb(4, 2) / 2**4], 5e-4)
    q = bank["probability-statistics.poisson-zero"]
    check_choice(q, [math.exp(-2)], 5e-4)
    check_answer(q, [math.exp(-1), 2 * math.exp(-2)], 5e-4)


def test_chebyshev_bound_and_normal_tail(bank):
    from scipy import stats

    q = bank["probability-statistics.chebyshev"]
    check_choice(q, [100 / 2**2], 1e-9)
    check_answer(q, [100 * 2 * stats.norm.sf(2)], 0.05)


def test_coin_mle_and_map(bank):
    heads, flips, a, b = 7, 10, 2, 2
    grid = np.linspace(0, 1, 200_001)
    log_posterior = (heads + a - 1) * np.log(grid[1:-1]) + (flips - heads + b - 1) * np.log(1 - grid[1:-1])
    q = bank["probability-statistics.coin-mle-map"]
    check_choice(q, [heads / flips, grid[1:-1][np.argmax(log_posterior)]], 5e-4)
    check_answer(q, [(heads + a) / (flips + a + b)], 5e-4)


def test_confidence_interval_half_width(bank):
    from scipy import stats

    n, sd, mean = 100, 10, 50
    half = stats.norm.ppf(0.975) * sd / math.sqrt(n)
    q = bank["probability-statistics.standard-error-ci"]
    check_choice(q, [mean, half], 5e-3)
    check_answer(q, [stats.t.ppf(0.975, n - 1)], 5e-3)


def test_two_proportion_z_test(bank):
    from scipy import stats

    x1, n1, x2, n2 = 200, 2000, 250, 2000
    pooled = (x1 + x2) / (n1 + n2)
    z = (x2 / n2 - x1 / n1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    q = bank["probability-statistics.two-proportion-z"]
    check_choice(q, [z, 2 * stats.norm.sf(z)], 5e-3)
    check_answer(q, [stats.norm.sf(z)], 5e-4)


def test_family_wise_error(bank):
    check_choice(bank["probability-statistics.multiple-testing"], [100 * (1 - 0.95**20)], 0.5)


def test_ab_sample_size(bank):
    from scipy import stats

    p1, p2 = 0.10, 0.11
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    n = z**2 * (p1 * (1 - p1) + p2 * (1 - p2)) / (p2 - p1) ** 2
    check_choice(bank["probability-statistics.ab-sample-size"], [round(n, -1)], 0.01 * n)


def test_sample_ratio_mismatch_p_value(bank):
    from scipy import stats

    observed = [50_000, 48_500]
    p = stats.chisquare(observed).pvalue
    assert 1e-7 < p < 1e-5
    assert "10^{-6}" in bank["probability-statistics.sample-ratio-mismatch"].answer


def test_entropy_and_kl(bank):
    from scipy import stats

    check_choice(bank["probability-statistics.entropy-by-hand"], [stats.entropy([0.5, 0.25, 0.25], base=2)], 5e-3)
    p, q = [0.5, 0.5], [0.25, 0.75]
    question = bank["probability-statistics.kl-by-hand"]
    check_choice(question, [stats.entropy(p, q)], 5e-4)
    check_answer(question, [stats.entropy(q, p)], 5e-4)


# --- optimization ------------------------------------------------------------------------------


def test_steps_per_epoch(bank):
    import torch

    loader = torch.utils.data.DataLoader(range(50_000), batch_size=128)
    check_choice(bank["optimization.iterations-per-epoch"], [len(loader)], 1e-9)


def test_momentum_effective_step(bank):
    velocity, lr, mu = 0.0, 1.0, 0.9
    for _ in range(300):  # PyTorch's form: v <- mu * v + g; theta <- theta - lr * v
        velocity = mu * velocity + 1.0
    check_choice(bank["optimization.momentum-effective-step"], [lr * velocity], 1e-3)


def adam_first_step(lr: float, grad: float, b1: float, b2: float, *, correct_bias: bool) -> float:
    m, v = (1 - b1) * grad, (1 - b2) * grad**2
    if correct_bias:
        m, v = m / (1 - b1), v / (1 - b2)
    return lr * m / math.sqrt(v)


def test_adam_first_step_with_and_without_bias_correction(bank):
    args = dict(lr=0.1, grad=5.0, b1=0.9, b2=0.999)
    steps = [adam_first_step(**args, correct_bias=flag) for flag in (True, False)]
    check_choice(bank["optimization.adam-first-step"], steps, 5e-4)


def test_cosine_schedule_value(bank):
    lr_max, lr_min, total = 3e-4, 3e-5, 10_000
    schedule = lr_min + 0.5 * (lr_max - lr_min) * (1 + np.cos(np.pi * np.arange(total + 1) / total))
    assert math.isclose(schedule[0], lr_max) and math.isclose(schedule[-1], lr_min)
    q = bank["optimization.cosine-schedule-value"]
    check_choice(q, [schedule[2_500]], 5e-7)
    check_answer(q, [schedule[5_000]], 5e-7)


def test_xavier_and_he_init(bank):
    import torch

    torch.manual_seed(0)
    w = torch.nn.init.xavier_uniform_(torch.empty(256, 256))
    bound = math.sqrt(6 / 512)
    assert bound * 0.99 < w.abs().max().item() <= bound
    check_choice(bank["optimization.xavier-init"], [bound], 5e-4)
    w = torch.nn.init.kaiming_normal_(torch.empty(4096, 512), nonlinearity="relu")
    assert math.isclose(w.std().item(), math.sqrt(2 / 512), rel_tol=0.01)
    check_choice(bank["optimization.he-init"], [math.sqrt(2 / 512)], 5e-5)


def test_max_stable_learning_rate_on_a_quadratic(bank):
    a = np.array([4.0, 1.0])

    def final_error(lr: float) -> float:
        x = np.ones(2)
        for _ in range(500):
            x = x - lr * a * x
        return float(np.abs(x).max())

    assert final_error(0.49) < 1e-3 and final_error(0.51) > 1e3
    best = min(np.linspace(0.01, 0.49, 49), key=lambda lr: max(abs(1 - lr * a)))
    q = bank["optimization.max-stable-lr"]
    check_choice(q, [0, 2 / a.max()], 1e-9)
    check_answer(q, [best], 1e-9)


def test_clip_grad_norm_is_global(bank):
    import torch

    a, b = torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(1))
    a.grad, b.grad = torch.tensor([1.0, 2.0]), torch.tensor([2.0])
    torch.nn.utils.clip_grad_norm_([a, b], max_norm=1.5)
    q = bank["optimization.clip-global-norm"]
    check_choice(q, a.grad.tolist() + b.grad.tolist(), 1e-6)
    per_tensor = [x * min(1.0, 1.5 / math.hypot(1, 2)) for x in (1, 2)] + [1.5]
    check_answer(q, per_tensor, 5e-3)


# --- deep-learning -----------------------------------------------------------------------------


def test_backprop_through_one_neuron(bank):
    import torch

    x, y = torch.tensor(2.0), torch.tensor(1.0)
    w, b = torch.tensor(0.5, requires_grad=True), torch.tensor(-1.0, requires_grad=True)
    loss = (torch.sigmoid(w * x + b) - y) ** 2
    loss.backward()
    check_choice(bank["deep-learning.backprop-by-hand"], [loss.item(), w.grad.item()], 1e-6)


def test_mlp_parameter_count(bank):
    import torch

    mlp = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    q = bank["deep-learning.mlp-parameter-count"]
    check_choice(q, [sum(p.numel() for p in mlp.parameters())], 1e-9)
    check_answer(q, [sum(p.numel() for p in mlp.parameters() if p.dim() == 2)], 1e-9)


def test_sigmoid_derivative_maximum(bank):
    import torch

    x = torch.linspace(-10, 10, 20_001, requires_grad=True)
    torch.sigmoid(x).sum().backward()
    check_choice(bank["deep-learning.sigmoid-max-derivative"], [x.grad.max().item()], 1e-6)


def test_softmax_and_cross_entropy(bank):
    import torch

    probs = torch.softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0).tolist()
    check_choice(bank["deep-learning.softmax-by-hand"], probs, 5e-4)
    logits = torch.tensor([[2.0, 1.0, 0.0]])
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor([0]))
    q = bank["deep-learning.cross-entropy-by-hand"]
    check_choice(q, [loss.item()], 5e-4)
    check_answer(q, [math.exp(-loss.item())], 5e-4)


def test_focal_loss_down_weighting(bank):
    p_t, gamma = 0.9, 2
    ce = -math.log(p_t)
    focal = (1 - p_t) ** gamma * ce
    q = bank["deep-learning.focal-down-weighting"]
    check_choice(q, [ce / focal], 1e-6)
    check_answer(q, [ce], 5e-4)
    check_answer(q, [focal, 1 / (1 - 0.5) ** gamma], 5e-6)


def test_label_smoothing_targets(bank):
    import torch

    logits = torch.randn(1, 10, generator=torch.Generator().manual_seed(0))
    smoothed = torch.nn.functional.cross_entropy(logits, torch.tensor([3]), label_smoothing=0.1)
    (numbers_in_choice,) = [numbers(bank["deep-learning.label-smoothing"].correct or "")]
    on, off = numbers_in_choice
    target = torch.full((1, 10), off)
    target[0, 3] = on
    assert math.isclose(smoothed.item(), -(target * logits.log_softmax(-1)).sum().item(), rel_tol=1e-6)


def test_batchnorm_running_statistics(bank):
    import torch

    bn = torch.nn.BatchNorm1d(1).train()
    bn(torch.tensor([[2.0], [4.0], [6.0]]))
    q = bank["deep-learning.batchnorm-running-stats"]
    check_choice(q, [bn.running_mean.item(), bn.running_var.item()], 1e-6)
    check_answer(q, [0.9 + 0.1 * np.var([2, 4, 6])], 5e-4)


def test_norm_layer_parameter_counts(bank):
    import torch

    if not hasattr(torch.nn, "RMSNorm"):
        pytest.skip("torch < 2.4 has no nn.RMSNorm")
    counts = [sum(p.numel() for p in m.parameters()) for m in (torch.nn.LayerNorm(768), torch.nn.RMSNorm(768))]
    check_choice(bank["deep-learning.norm-parameter-count"], counts, 1e-9)


def test_layernorm_output(bank):
    import torch

    x = torch.tensor([1.0, 2.0, 3.0, 4.0])
    q = bank["deep-learning.layernorm-by-hand"]
    check_choice(q, torch.nn.functional.layer_norm(x, (4,)).tolist(), 5e-4)
    check_answer(q, ((x[2:] - x.mean()) / x.std()).flip(0).tolist(), 5e-4)  # x.std() divides by n - 1


def test_inverted_dropout_scale(bank):
    import torch

    out = torch.nn.functional.dropout(torch.ones(100_000), p=0.2, training=True)
    kept = out[out != 0]
    assert math.isclose(1 - len(kept) / len(out), 0.2, abs_tol=0.01)
    check_choice(bank["deep-learning.dropout-scaling"], [0.2, kept.unique().item()], 1e-6)


def test_output_bias_for_the_base_rate(bank):
    import torch

    bias = math.log(0.01 / 0.99)
    assert math.isclose(torch.sigmoid(torch.tensor(bias)).item(), 0.01, rel_tol=1e-5)
    check_choice(bank["deep-learning.output-bias-init"], [bias], 5e-4)


# --- second batch: evaluation, kernels, boosting, puzzles, moving averages ------------------------


def test_brier_score_and_mcc(bank):
    from sklearn.metrics import brier_score_loss, matthews_corrcoef

    q = bank["ml-fundamentals.brier-score"]
    y, p = [1, 0, 0], [0.9, 0.2, 0.6]
    check_choice(q, [brier_score_loss(y, p)], 5e-4)
    check_answer(q, [np.abs(np.subtract(y, p)).mean(), np.square(np.subtract(y, p)).sum()], 5e-4)
    tp, fp, fn, tn = 40, 10, 20, 930
    truth = [1] * (tp + fn) + [0] * (fp + tn)
    pred = [1] * tp + [0] * fn + [1] * fp + [0] * tn
    check_choice(bank["ml-fundamentals.mcc"], [matthews_corrcoef(truth, pred)], 5e-4)


def test_accuracy_confidence_interval(bank):
    from scipy import stats

    acc, n = 0.9, 400
    half_width = stats.norm.ppf(0.975) * math.sqrt(acc * (1 - acc) / n)
    check_choice(bank["ml-fundamentals.test-set-uncertainty"], [100 * acc, 100 * half_width], 0.05)


def test_svm_margin_and_rbf_kernel(bank):
    from sklearn.metrics.pairwise import rbf_kernel

    w = np.array([3.0, 4.0])
    check_choice(bank["classical-ml.svm-margin-width"], [2 / np.linalg.norm(w)], 1e-9)
    q = bank["classical-ml.rbf-kernel-value"]
    x, z = np.zeros((1, 2)), np.ones((1, 2))
    check_choice(q, [rbf_kernel(x, z, gamma=0.5).item()], 5e-4)
    check_answer(q, [math.exp(-0.5 * math.sqrt(2)), rbf_kernel(x, z, gamma=1.0).item()], 5e-4)


def test_adaboost_vote_and_reweighting(bank):
    error = 0.2
    alpha = 0.5 * math.log((1 - error) / error)
    weights = np.full(10, 0.1)
    wrong = np.arange(10) < 2  # 20% of the weight is misclassified
    updated = weights * np.exp(np.where(wrong, alpha, -alpha))
    assert math.isclose(updated[wrong].sum() / updated.sum(), 0.5)  # the next learner sees a coin flip
    check_choice(bank["classical-ml.adaboost-weight"], [alpha, updated[0] / weights[0]], 5e-4)


def test_dice_puzzles(bank):
    from fractions import Fraction

    faces = range(1, 7)
    expected_max = Fraction(sum(max(a, b) for a in faces for b in faces), 36)
    check_choice(bank["probability-statistics.max-of-two-dice"], [float(expected_max)], 5e-3)
    collector = float(6 * sum(Fraction(1, k) for k in faces))
    rolls = np.random.default_rng(0).integers(0, 6, size=(20_000, 120))
    seen = np.bitwise_or.accumulate(1 << rolls, axis=1)  # bit i set once face i has appeared
    assert (seen[:, -1] == 63).all()
    simulated = (np.argmax(seen == 63, axis=1) + 1).mean()
    assert math.isclose(simulated, collector, abs_tol=0.2)
    check_choice(bank["probability-statistics.coupon-collector"], [collector], 0.05)


def test_correlation_of_x_with_x_plus_y(bank):
    x, y = np.random.default_rng(0).normal(size=(2, 200_000))
    simulated = np.corrcoef(x, x + y)[0, 1]
    assert math.isclose(simulated, 1 / math.sqrt(2), abs_tol=0.01)
    check_choice(bank["probability-statistics.corr-x-sum"], [1 / math.sqrt(2)], 5e-4)


def test_bernoulli_variance_and_survey_size(bank):
    p = np.linspace(0, 1, 10_001)
    q = bank["probability-statistics.bernoulli-variance"]
    assert "{{c2::0.25}}" in q.question and math.isclose((p * (1 - p)).max(), 0.25)
    check_answer(q, [math.ceil((1.96 * 0.5 / 0.03) ** 2)], 1.0)


def test_ema_bias_correction(bank):
    beta, average, weight = 0.9, 0.0, 0.0
    for _ in range(10):  # average a constant 1.0; `weight` tracks the mass put on real values
        average = beta * average + (1 - beta) * 1.0
        weight = beta * weight + (1 - beta)
    assert math.isclose(average, weight)
    check_choice(bank["optimization.ema-bias"], [weight, weight], 5e-4)
    check_answer(bank["optimization.ema-bias"], [1 - weight], 5e-4)
