"""Hidden tests for adamw_step: runs of several steps against torch.optim.AdamW (float64),
with default and non-default hyperparameters, zero gradients, and Adam as the weight_decay = 0 case."""

import numpy as np
import torch
from torch.optim.adam import adam as functional_adam
from torch.optim.adamw import adamw as functional_adamw

from mlprep.drills.compare import assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named


def torch_run(p0, grads, adam=False, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    """Parameter and state after each step of PyTorch's AdamW (or Adam), float64.

    ``torch.optim.adamw.adamw`` is the functional API that ``torch.optim.AdamW.step`` runs
    (single-tensor path); calling it directly skips the optimiser class, whose constructor
    imports torch._dynamo (two seconds). Where that API differs, the class is used instead.
    """
    p = torch.tensor(p0)
    m, v, step = torch.zeros_like(p), torch.zeros_like(p), torch.tensor(0.0, dtype=torch.float64)
    fn = functional_adam if adam else functional_adamw
    out = []
    try:
        for g in grads:
            fn([p], [torch.tensor(g)], [m], [v], [], [step], foreach=False, capturable=False, differentiable=False,
               fused=None, grad_scale=None, found_inf=None, has_complex=False, amsgrad=False, beta1=betas[0],
               beta2=betas[1], lr=lr, weight_decay=weight_decay, eps=eps, maximize=False)
            out.append((p.numpy().copy(), int(step), m.numpy().copy(), v.numpy().copy()))
        return out
    except TypeError:  # another torch version's functional signature: use the optimiser itself
        return _torch_run_class(p0, grads, adam, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)


def _torch_run_class(p0, grads, adam, **hp):
    p = torch.tensor(p0, requires_grad=True)
    opt = (torch.optim.Adam if adam else torch.optim.AdamW)([p], foreach=False, **hp)
    out = []
    for g in grads:
        p.grad = torch.tensor(g)
        opt.step()
        st = opt.state[p]
        out.append((p.detach().numpy().copy(), int(st["step"]), st["exp_avg"].numpy().copy(), st["exp_avg_sq"].numpy().copy()))
    return out


def variant(p0, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, *, coupled=False,
            no_correction=False, eps_inside=False, eps_before_correction=False, decay_without_lr=False):
    """A numpy AdamW with one classic mistake switched on; the parameter after each step."""
    b1, b2 = betas
    p, m, v = p0.copy(), np.zeros_like(p0), np.zeros_like(p0)
    out = []
    for t, g in enumerate(grads, start=1):
        if coupled:
            g = g + weight_decay * p  # Adam with L2: the decay goes through the moments
        else:
            p = p * (1 - (weight_decay if decay_without_lr else lr * weight_decay))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        c1, c2 = (1.0, 1.0) if no_correction else (1 - b1 ** t, 1 - b2 ** t)
        if eps_inside:
            denom = np.sqrt(v / c2 + eps)
        elif eps_before_correction:
            denom = (np.sqrt(v) + eps) / np.sqrt(c2)
        else:
            denom = np.sqrt(v / c2) + eps
        p = p - lr * (m / c1) / denom
        out.append(p.copy())
    return out


MISTAKES = {
    "weight decay must be decoupled: shrink the parameter by lr * weight_decay, do not add weight_decay * param "
    "to the gradient (that is Adam with L2, and the decay then goes through the moments)": {"coupled": True},
    "the moments need bias correction: divide exp_avg by 1 - beta1**t and exp_avg_sq by 1 - beta2**t": {"no_correction": True},
    "eps goes outside the square root: sqrt(v_hat) + eps, not sqrt(v_hat + eps)": {"eps_inside": True},
    "eps is added after the bias correction: sqrt(v / (1 - beta2**t)) + eps": {"eps_before_correction": True},
    "the decoupled decay is scaled by the learning rate: param * (1 - lr * weight_decay)": {"decay_without_lr": True},
}


def run(solution, p0, grads, what, **hp):
    """The learner's parameter and state after each step, checked against torch at every step."""
    expected = torch_run(p0, grads, **hp)
    alternatives = {message: variant(p0, grads, **hp, **switch) for message, switch in MISTAKES.items()}
    state, p = {}, p0
    for i, (g, (ref_p, ref_t, ref_m, ref_v)) in enumerate(zip(grads, expected)):
        got = solution.adamw_step(p, g, state, **hp)
        if type(got) is not tuple or len(got) != 2:
            fail(f"{what}: adamw_step must return a tuple (new_param, new_state); got {describe(got)}")
        p, state = got
        if type(state) is not dict or set(state) != {"step", "exp_avg", "exp_avg_sq"}:
            keys = sorted(map(str, state)) if type(state) is dict else describe(state)
            fail(f"{what}: the state must be a dict with exactly the keys step, exp_avg, exp_avg_sq; got {keys}")
        step_what = f"{what}, step {i + 1}"
        assert_close_or_named(p, ref_p, f"{step_what}: the parameter",
                              {m: alt[i] for m, alt in alternatives.items()}, rtol=1e-9, atol=1e-12)
        step = state["step"]
        if not (type(step) is int or isinstance(step, np.integer)) or step != ref_t:
            fail(f"{step_what}: state['step'] should be the int {ref_t} (the number of steps taken), got {describe(step)}")
        assert_close(state["exp_avg"], ref_m, f"{step_what}: state['exp_avg']", rtol=1e-9, atol=1e-15)
        assert_close(state["exp_avg_sq"], ref_v, f"{step_what}: state['exp_avg_sq']", rtol=1e-9, atol=1e-18)
    return p, state


def grads_for(seed, shape, n, scale=1.0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape), [scale * rng.normal(size=shape) for _ in range(n)]


def test_first_step_defaults(solution):
    """the first step from an empty state, with PyTorch's defaults"""
    p0, grads = grads_for(0, (6,), 1)
    run(solution, p0, grads, "one step with the default hyperparameters")


def test_ten_steps_defaults(solution):
    """ten steps with the defaults match torch.optim.AdamW after every step"""
    p0, grads = grads_for(1, (3, 4), 10)
    run(solution, p0, grads, "ten steps with the defaults")


def test_non_default_hyperparameters(solution):
    """lr, betas, eps and weight_decay are all honoured"""
    p0, grads = grads_for(2, (5,), 8, scale=1e-3)
    # tiny gradients make eps (1e-3) matter; a large weight decay makes the decay visible
    run(solution, p0, grads, "lr 0.05, betas (0.8, 0.95), eps 1e-3, weight_decay 0.3",
        lr=0.05, betas=(0.8, 0.95), eps=1e-3, weight_decay=0.3)


def test_decay_is_decoupled(solution):
    """a large weight decay with large parameters: the decay stays out of the moments"""
    rng = np.random.default_rng(3)
    p0 = 10 * rng.normal(size=(4,))
    grads = [0.1 * rng.normal(size=(4,)) for _ in range(6)]
    run(solution, p0, grads, "weight_decay 0.5 on parameters around 10", lr=0.01, weight_decay=0.5)


def test_zero_gradient(solution):
    """a zero gradient on the first step: only the decay moves the parameter"""
    p0 = np.array([2.0, -1.0, 0.5])
    p, _ = run(solution, p0, [np.zeros(3)], "a zero gradient", lr=0.1, weight_decay=0.2)
    if type(p) is np.ndarray and p.shape == (3,) and not np.isfinite(p).all():
        fail("a zero gradient gave inf or nan: m_hat / (sqrt(v_hat) + eps) is 0 / eps = 0 here")


def test_no_decay_is_adam(solution):
    """weight_decay = 0 gives exactly torch.optim.Adam"""
    p0, grads = grads_for(4, (2, 3), 5)
    expected = torch_run(p0, grads, adam=True, lr=0.02, weight_decay=0.0)
    state, p = {}, p0
    for i, g in enumerate(grads):
        got = solution.adamw_step(p, g, state, lr=0.02, weight_decay=0.0)
        if type(got) is not tuple or len(got) != 2:
            fail(f"adamw_step must return a tuple (new_param, new_state); got {describe(got)}")
        p, state = got
        assert_close(p, expected[i][0], f"weight_decay 0 against torch.optim.Adam, step {i + 1}", rtol=1e-9, atol=1e-12)


def test_numpy_only(solution):
    """numpy only: the file does not use torch (torch.optim included)"""
    p0, grads = grads_for(5, (3,), 1)
    solution.adamw_step(p0, grads[0], {})
    modules = solution.loaded_modules()
    if type(modules) is not list:
        fail(f"loaded_modules must return a list (leave it as the starter has it); got {describe(modules)}")
    if modules:
        optim = " (torch.optim among them)" if any(m.startswith("torch.optim") for m in modules) else ""
        fail(f"this drill is numpy only: your file loaded {', '.join(map(str, modules[:3]))}{optim}; "
             "write the AdamW update yourself instead of calling torch.optim")
