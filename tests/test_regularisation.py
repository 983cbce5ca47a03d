"""Regularisation (notebook 08): the L2 and L1 penalties (8.2)-(8.5) and inverted dropout (8.6), (8.7).

Checked against finite differences and, independently, against autograd on a network whose
dropout masks are held fixed; the statistics of the masks (E[mask / keep_prob] = 1); the 1/m of
the penalty; that biases are never penalised; clear errors; no input modified; extreme values.
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

import course_utils as cu
from course_utils import gradcheck
from course_utils.regularisation import dropout_backward, dropout_forward, penalty_cost, penalty_gradient

from .conftest import random_network


def away_from_zero(rng, shape, low=0.05):
    W = rng.standard_normal(shape)
    return np.where(np.abs(W) < low, np.sign(W + 1e-300) * (low + np.abs(W)), W)


# ----------------------------------------------------------------------------------------------
# (8.2)-(8.5) the penalties
# ----------------------------------------------------------------------------------------------
def test_penalty_cost_closed_forms_and_biases_are_not_penalised():
    rng = np.random.default_rng(0)
    parameters = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1)),
                  "W2": rng.standard_normal((1, 3)), "b2": rng.standard_normal((1, 1))}
    squares = float(np.sum(parameters["W1"] ** 2) + np.sum(parameters["W2"] ** 2))
    absolutes = float(np.sum(np.abs(parameters["W1"])) + np.sum(np.abs(parameters["W2"])))
    assert penalty_cost(parameters, 0.7, 5) == pytest.approx(0.7 / 10 * squares, rel=1e-14)
    assert penalty_cost(parameters, 0.7, 5, "l1") == pytest.approx(0.7 / 5 * absolutes, rel=1e-14)
    moved = dict(parameters, b1=parameters["b1"] + 100.0, b2=parameters["b2"] - 100.0)
    assert penalty_cost(moved, 0.7, 5) == penalty_cost(parameters, 0.7, 5)
    assert penalty_cost(parameters, 0.0, 5) == 0.0


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_penalty_gradient_against_finite_differences_and_autograd(penalty):
    rng = np.random.default_rng(1)
    W = away_from_zero(rng, (4, 3))  # no entry near L1's kink at 0
    lambd, m = 0.9, 7

    def f(w):
        return penalty_cost({"W1": w, "b1": np.zeros((4, 1))}, lambd, m, penalty)

    numerical, f_scale = gradcheck._central_differences(f, W.copy(), 1e-5)
    worst = cu.compare_gradients(penalty_gradient(W, lambd, m, penalty), numerical, f_scale, 1e-5)
    assert worst.ratio < 0.1, worst

    def oracle(w):
        return lambd / (2 * m) * anp.sum(w ** 2) if penalty == "l2" else lambd / m * anp.sum(anp.abs(w))

    assert cu.relative_error(penalty_gradient(W, lambd, m, penalty), grad(oracle)(W)) <= 1e-12


def test_l1_subgradient_is_zero_at_zero_and_a_sign_elsewhere():
    W = np.array([[0.0, -2.0, 1e-300], [-0.0, 3.0, -1e-300]])
    np.testing.assert_array_equal(penalty_gradient(W, 1.0, 2, "l1"), [[0.0, -0.5, 0.5], [0.0, 0.5, -0.5]])


def test_a_planted_penalty_bug_fails_the_check():
    """The gradient check can fail: (lambd / 2m) W (the 1/2 kept) is off by half."""
    rng = np.random.default_rng(2)
    W = rng.standard_normal((3, 3))
    numerical, f_scale = gradcheck._central_differences(
        lambda w: penalty_cost({"W1": w, "b1": np.zeros((3, 1))}, 1.0, 4), W.copy(), 1e-5)
    worst = cu.compare_gradients(W / 8, numerical, f_scale, 1e-5)
    assert worst.ratio > 1000 and worst.error > 1e-2


def test_compute_cost_adds_the_penalty_and_backpropagation_adds_its_gradient_to_dW_only():
    rng = np.random.default_rng(3)
    parameters, X, Y = random_network(rng, 3, "tanh", "sigmoid", 6)
    AL, cache = cu.forward_propagation(X, parameters, "tanh", "sigmoid")
    for penalty in ("l2", "l1"):
        cost = cu.compute_cost(AL, Y, "sigmoid", parameters, 0.4, penalty)
        assert cost == pytest.approx(cu.compute_cost(AL, Y) + penalty_cost(parameters, 0.4, 6, penalty), rel=1e-14)
        plain = cu.backpropagation(cache, Y, parameters)
        penalised = cu.backpropagation(cache, Y, parameters, lambd=0.4, penalty=penalty)
        for l in (1, 2, 3):
            np.testing.assert_array_equal(penalised[f"db{l}"], plain[f"db{l}"])  # biases are not penalised
            np.testing.assert_allclose(penalised[f"dW{l}"] - plain[f"dW{l}"],
                                       penalty_gradient(parameters[f"W{l}"], 0.4, 6, penalty), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("penalty", ["l2", "l1"])
@pytest.mark.parametrize("hidden,output", [("relu", "sigmoid"), ("tanh", "softmax"), ("sigmoid", "identity")])
def test_penalised_network_passes_the_gradient_check(penalty, hidden, output):
    rng = np.random.default_rng(4)
    parameters, X, Y = random_network(rng, 3, hidden, output, 5)
    parameters = {k: (away_from_zero(rng, v.shape) if k[0] == "W" else v) for k, v in parameters.items()}
    report = cu.gradient_check_network(parameters, X, Y, hidden, output, lambd=2.5, penalty=penalty)
    assert max(w.ratio for w in report.values()) < 0.1, report


# ----------------------------------------------------------------------------------------------
# (8.6), (8.7) inverted dropout
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("keep_prob", [0.2, 0.5, 0.9])
def test_inverted_dropout_keeps_the_expected_activation(keep_prob):
    """E[mask / keep_prob] = 1: measured on 10^6 units, within 5 standard errors sqrt((1 - p) / (p N))."""
    A = np.ones((1000, 1000))
    A_drop, mask = dropout_forward(A, keep_prob, np.random.default_rng(5))
    assert mask.dtype == bool
    np.testing.assert_array_equal(A_drop, np.where(mask, 1 / keep_prob, 0.0))
    standard_error = np.sqrt((1 - keep_prob) / (keep_prob * A.size))
    assert abs(A_drop.mean() - 1) < 5 * standard_error
    assert abs(mask.mean() - keep_prob) < 5 * np.sqrt(keep_prob * (1 - keep_prob) / A.size)


def test_dropout_is_reproducible_and_keep_prob_one_is_the_identity():
    A = np.random.default_rng(6).standard_normal((5, 7))
    first = dropout_forward(A, 0.6, np.random.default_rng(1))
    again = dropout_forward(A, 0.6, np.random.default_rng(1))
    other = dropout_forward(A, 0.6, np.random.default_rng(2))
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[1], other[1])
    A_same, mask = dropout_forward(A, 1.0, np.random.default_rng(1))
    np.testing.assert_array_equal(A_same, A)
    assert mask.all()
    A32 = A.astype(np.float32)
    assert dropout_forward(A32, 0.5, np.random.default_rng(0))[0].dtype == np.float32


def test_dropout_backward_against_finite_differences_with_a_fixed_mask():
    rng = np.random.default_rng(7)
    A = rng.standard_normal((4, 6))
    _, mask = dropout_forward(A, 0.7, np.random.default_rng(3))
    worst = cu.check_array_gradient(lambda a: a * mask / 0.7, lambda d: dropout_backward(d, mask, 0.7), A.copy())
    assert worst.ratio < 0.1, worst
    wrong = cu.check_array_gradient(lambda a: a * mask / 0.7, lambda d: d * mask, A.copy())  # the scaling forgotten
    assert wrong.ratio > 1000 and wrong.error > 1e-2


def fixed_mask_forward(keep_prob, seed):
    """forward_propagation with dropout whose masks are the same at every call (a fresh Generator each time)."""
    def forward(X, parameters, hidden, output):
        L = sum(1 for key in parameters if key[0] == "W")
        return cu.network._forward(X, parameters, L, hidden, output, keep_prob, np.random.default_rng(seed))
    return forward


def oracle_cost_with_masks(parameters, X, Y, masks, keep_prob, hidden, output, lambd):
    """J with inverted dropout (8.6) on the hidden layers, fixed masks, and the L2 penalty (8.2), in autograd.numpy."""
    from .test_oracle import _g

    L = len([k for k in parameters if k[0] == "W"])
    A = X
    for l in range(1, L + 1):
        A = _g(anp.dot(parameters[f"W{l}"], A) + parameters[f"b{l}"], hidden if l < L else output)
        if l < L:
            A = A * masks[l] / keep_prob
    m = X.shape[1]
    if output == "sigmoid":
        data = -anp.sum(Y * anp.log(A) + (1 - Y) * anp.log(1 - A)) / m
    elif output == "softmax":
        data = -anp.sum(Y * anp.log(A)) / m
    else:
        data = anp.sum((A - Y) ** 2) / (2 * m)
    return data + lambd / (2 * m) * sum(anp.sum(parameters[f"W{l}"] ** 2) for l in range(1, L + 1))


@pytest.mark.parametrize("hidden,output", [("relu", "sigmoid"), ("tanh", "softmax"), ("sigmoid", "identity")])
def test_network_with_dropout_passes_the_gradient_check_and_matches_autograd(hidden, output):
    rng = np.random.default_rng(8)
    parameters, X, Y = random_network(rng, 3, hidden, output, 6, width=(3, 6))
    keep_prob, seed, lambd = 0.7, 11, 0.3
    forward = fixed_mask_forward(keep_prob, seed)
    _, cache = cu.forward_propagation(X, parameters, hidden, output, keep_prob=keep_prob, seed=seed)
    assert set(k for k in cache if k.startswith("D")) == {"D1", "D2"}  # hidden layers only, never the output
    report = cu.gradient_check_network(parameters, X, Y, hidden, output, forward=forward,
                                       backward=lambda c, Y_, p: cu.backpropagation(c, Y_, p, lambd=lambd),
                                       lambd=lambd)
    assert max(w.ratio for w in report.values()) < 0.1, report
    grads = cu.backpropagation(cache, Y, parameters, lambd=lambd)
    masks = {l: cache[f"D{l}"].astype(float) for l in (1, 2)}
    with np.errstate(under="ignore"):
        expected = grad(oracle_cost_with_masks)(parameters, X, Y, masks, keep_prob, hidden, output, lambd)
    for key in parameters:
        assert cu.relative_error(grads["d" + key], expected[key]) <= 1e-9, key


def test_dropout_masks_are_reproducible_from_the_seed_and_absent_without_dropout():
    rng = np.random.default_rng(9)
    parameters, X, _ = random_network(rng, 3, "relu", "sigmoid", 8, width=(4, 6))
    _, a = cu.forward_propagation(X, parameters, keep_prob=0.5, seed=4)
    _, b = cu.forward_propagation(X, parameters, keep_prob=0.5, seed=4)
    _, c = cu.forward_propagation(X, parameters, keep_prob=0.5, seed=5)
    np.testing.assert_array_equal(a["D1"], b["D1"])
    assert not np.array_equal(a["D1"], c["D1"])
    _, plain = cu.forward_propagation(X, parameters)
    assert not any(k.startswith("D") for k in plain)


def test_dropped_units_get_no_gradient():
    rng = np.random.default_rng(10)
    parameters, X, Y = random_network(rng, 2, "tanh", "sigmoid", 9, width=(5, 6))
    _, cache = cu.forward_propagation(X, parameters, "tanh", keep_prob=0.5, seed=0)
    grads = cu.backpropagation(cache, Y, parameters)
    assert np.all(grads["dZ1"][~cache["D1"]] == 0)
    assert np.any(grads["dZ1"][cache["D1"]] != 0)


# ----------------------------------------------------------------------------------------------
# Bad input, no mutation, extreme values
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("keep_prob,error,message", [
    (0.0, ValueError, r"keep_prob must be in \(0, 1\]"), (1.5, ValueError, r"keep_prob must be in \(0, 1\]"),
    (-0.1, ValueError, r"keep_prob must be in \(0, 1\]"), ("0.5", TypeError, "keep_prob must be a number"),
    (True, TypeError, "keep_prob must be a number"), (float("nan"), ValueError, r"keep_prob must be in \(0, 1\]"),
])
def test_bad_keep_prob(keep_prob, error, message):
    A = np.ones((2, 3))
    with pytest.raises(error, match=message):
        dropout_forward(A, keep_prob, np.random.default_rng(0))
    with pytest.raises(error, match=message):
        dropout_backward(A, np.ones((2, 3), dtype=bool), keep_prob)
    rng = np.random.default_rng(0)
    parameters, X, _ = random_network(rng, 2, "relu", "sigmoid", 3)
    with pytest.raises(error, match=message):
        cu.forward_propagation(X, parameters, keep_prob=keep_prob)


@pytest.mark.parametrize("lambd,error,message", [
    (-0.1, ValueError, "lambd must be a finite number >= 0"), (float("inf"), ValueError, "lambd must be a finite"),
    (float("nan"), ValueError, "lambd must be a finite"), ("0.1", TypeError, "lambd must be a number"),
])
def test_bad_lambd(lambd, error, message):
    rng = np.random.default_rng(0)
    parameters, X, Y = random_network(rng, 2, "relu", "sigmoid", 3)
    AL, cache = cu.forward_propagation(X, parameters)
    with pytest.raises(error, match=message):
        cu.compute_cost(AL, Y, "sigmoid", parameters, lambd)
    with pytest.raises(error, match=message):
        cu.backpropagation(cache, Y, parameters, lambd=lambd)
    with pytest.raises(error, match=message):
        penalty_gradient(parameters["W1"], lambd, 3)


def test_other_bad_arguments():
    rng = np.random.default_rng(0)
    parameters, X, Y = random_network(rng, 2, "relu", "sigmoid", 3)
    AL, _ = cu.forward_propagation(X, parameters)
    with pytest.raises(ValueError, match="unknown penalty 'l3'"):
        penalty_cost(parameters, 0.1, 3, "l3")
    with pytest.raises(ValueError, match="m must be the number of examples"):
        penalty_gradient(parameters["W1"], 0.1, 0)
    with pytest.raises(ValueError, match="no parameters were given"):
        cu.compute_cost(AL, Y, "sigmoid", lambd=0.5)
    with pytest.raises(ValueError, match=r"mask has shape \(2, 2\) but dA_drop has shape \(2, 3\)"):
        dropout_backward(np.ones((2, 3)), np.ones((2, 2), dtype=bool), 0.5)
    with pytest.raises(ValueError, match="mask must hold only 0s and 1s"):
        dropout_backward(np.ones((2, 3)), np.full((2, 3), 2.0), 0.5)
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        dropout_forward(np.ones((2, 3)), 0.5, 0)


def test_no_input_is_modified():
    rng = np.random.default_rng(11)
    parameters, X, Y = random_network(rng, 3, "relu", "sigmoid", 5)
    A, dA = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    mask = rng.random((3, 4)) < 0.5
    arrays = [X, Y, A, dA, mask, *parameters.values()]
    copies = [a.copy() for a in arrays]
    for a in arrays:
        a.setflags(write=False)
    dropout_forward(A, 0.5, np.random.default_rng(0))
    dropout_backward(dA, mask, 0.5)
    penalty_cost(parameters, 0.3, 5, "l1")
    penalty_gradient(parameters["W1"], 0.3, 5)
    AL, cache = cu.forward_propagation(X, parameters, keep_prob=0.5)
    cu.backpropagation(cache, Y, parameters, lambd=0.3)
    for a, c in zip(arrays, copies, strict=True):
        np.testing.assert_array_equal(a, c)


def test_extreme_values_stay_finite():
    rng = np.random.default_rng(12)
    A = rng.standard_normal((50, 50))
    A_drop, mask = dropout_forward(A, 1e-9, np.random.default_rng(0))  # almost everything dropped
    assert np.isfinite(A_drop).all() and np.isfinite(dropout_backward(A, mask, 1e-9)).all()
    W = 1e100 * rng.standard_normal((3, 3))
    assert np.isfinite(penalty_gradient(W, 1e6, 1)).all()
    assert np.isfinite(penalty_cost({"W1": W, "b1": np.zeros((3, 1))}, 1e6, 1, "l1"))
    assert penalty_cost({"W1": 1e-200 * W, "b1": np.zeros((3, 1))}, 1.0, 10 ** 9) >= 0  # underflow is fine
