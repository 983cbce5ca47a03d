"""The checks catch the classic bugs of from-scratch courses, each planted on purpose.

For each bug: the correct code passes the check with a tenfold margin (it uses at most a tenth of
the allowed error) and the buggy one fails it by orders of magnitude (over 1000 times the allowed
error, and a relative error above 1e-2 at its worst entry).
"""

import numpy as np
import pytest

import course_utils as cu
from course_utils.activations import _activation_backward, sigmoid
from course_utils.network import _forward

from .conftest import random_network

PASS, FAIL = 0.1, 1000  # ratios of the worst entry's error to its allowance


def worst(report):
    return max(w.ratio for w in report.values())


def check(backward=None, forward=None, hidden="sigmoid", square=False, seed=0):
    rng = np.random.default_rng(seed)
    if square:  # equal widths, so a missing transpose still has matching shapes
        parameters = cu.initialize_parameters([4, 4, 4, 1], init="xavier", seed=seed)
        parameters = {k: v + 0.3 * rng.standard_normal(v.shape) for k, v in parameters.items()}
        X, Y = rng.standard_normal((4, 6)), rng.uniform(0, 1, (1, 6))
    else:
        parameters, X, Y = random_network(rng, 3, hidden, "sigmoid", 6, width=(3, 5))
    return cu.gradient_check_network(parameters, X, Y, hidden, "sigmoid", forward=forward, backward=backward)


def backward_with(dW_rule=None, dA_rule=None, dZ_rule=None):
    """The course's backward pass with one of its lines replaced."""
    def backward(cache, Y, parameters):
        L = len([k for k in parameters if k[0] == "W"])
        m = Y.shape[1]
        grads = {}
        dZ = cache[f"A{L}"] - Y
        for l in range(L, 0, -1):
            A_prev = cache[f"A{l - 1}"]
            grads[f"dW{l}"] = dW_rule(dZ, A_prev, m) if dW_rule else dZ @ A_prev.T / m
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
            if l > 1:
                W = parameters[f"W{l}"]
                dA = dA_rule(W, dZ) if dA_rule else W.T @ dZ
                Z = cache[f"Z{l - 1}"]
                dZ = dZ_rule(dA, Z) if dZ_rule else _activation_backward(dA, Z, cache["hidden_activation"])
        return grads
    return backward


def test_the_faithful_copy_passes():
    assert worst(check(backward_with())) < PASS


def test_catches_a_missing_one_over_m():
    assert worst(check(backward_with(dW_rule=lambda dZ, A_prev, m: dZ @ A_prev.T))) > FAIL


def test_catches_a_missing_transpose():
    assert worst(check(backward_with(dA_rule=lambda W, dZ: W.T @ dZ), square=True)) < PASS
    def no_transpose(W, dZ):  # on the square hidden layer; the 1 x 4 output layer would not even fit
        return W @ dZ if W.shape[0] == W.shape[1] else W.T @ dZ

    assert worst(check(backward_with(dA_rule=no_transpose), square=True)) > FAIL


def test_catches_g_instead_of_g_prime():
    assert worst(check(backward_with(dZ_rule=lambda dA, Z: dA * sigmoid(Z)))) > FAIL


def test_catches_a_dropped_hidden_bias():
    """The original series' line break silently dropped the hidden layers' bias in the forward pass."""
    def forward_without_hidden_bias(X, parameters, hidden, output):
        L = len([k for k in parameters if k[0] == "W"])
        dropped = {k: (np.zeros_like(v) if k[0] == "b" and int(k[1:]) < L else v) for k, v in parameters.items()}
        _, cache = _forward(X, dropped, L, hidden, output)
        return cache[f"A{L}"], cache

    report = check(forward=forward_without_hidden_bias)
    assert report["b1"].ratio > FAIL and report["b1"].error > 1e-2  # numerically b1 has no effect; backprop says it has


def test_catches_a_bias_that_is_never_updated():
    """The original series' loop updated W twice and never b: a step check sees it."""
    parameters, X, Y = random_network(np.random.default_rng(0), 2, "tanh", "sigmoid", 8)
    _, cache = cu.forward_propagation(X, parameters, "tanh", "sigmoid")
    grads = cu.backpropagation(cache, Y, parameters)

    def buggy_update(parameters, grads, alpha):
        new = dict(parameters)
        for l in (1, 2):
            new[f"W{l}"] = parameters[f"W{l}"] - alpha * grads[f"dW{l}"]
            new[f"W{l}"] = new[f"W{l}"] - alpha * grads[f"dW{l}"]  # W twice, b never
        return new

    good = cu.check_update_step(parameters, grads, cu.update_parameters(parameters, grads, 0.1), 0.1)
    bad = cu.check_update_step(parameters, grads, buggy_update(parameters, grads, 0.1), 0.1)
    assert worst(good) <= 1  # (W - a g) - W equals -a g up to the rounding of the two subtractions
    assert bad["b1"].error == pytest.approx(1.0) and bad["b1"].ratio > FAIL and bad["W1"].ratio > FAIL


def test_gradient_checker_does_not_let_negative_pairs_pass():
    a = np.array([1.0, -2.0, 3.0])
    assert cu.relative_error(a, -a) == pytest.approx(1.0)
    assert cu.relative_error(a, 10 * a) > 0.8  # a 1000% error is an error


def test_numerical_gradient_restores_x_even_when_f_raises():
    x = np.array([1.0, 2.0, 3.0])

    def explode(v):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cu.numerical_gradient(explode, x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    cu.numerical_gradient(lambda v: float((v ** 2).sum()), x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_central_differences_are_second_order():
    """(0.3): halving eps quarters the error (far from round-off)."""
    x = np.array([0.7])
    errors = [abs(cu.numerical_gradient(lambda v: float(np.sin(v[0]) ** 3), x, eps)[0]
                  - 3 * np.sin(0.7) ** 2 * np.cos(0.7)) for eps in (1e-2, 5e-3)]
    assert errors[0] / errors[1] == pytest.approx(4, rel=0.01)
