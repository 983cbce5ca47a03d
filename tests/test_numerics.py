"""Extreme but legal inputs: no overflow, NaN or warning (the conftest makes them raise)."""

import warnings

import numpy as np
import pytest

import course_utils as cu

EXTREME = np.array([[-1e4, -750.0, -40.0, -1e-300, 0.0, 1e-300, 40.0, 750.0, 1e4]])


def test_sigmoid_is_stable_and_exact_at_the_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        S = cu.sigmoid(EXTREME)
    assert np.all(np.isfinite(S)) and S.min() >= 0 and S.max() <= 1
    assert S[0, 0] == 0.0 and S[0, -1] == 1.0 and S[0, 4] == 0.5
    np.testing.assert_allclose(cu.sigmoid(-EXTREME), 1 - S, atol=1e-16)  # sigma(-z) = 1 - sigma(z) (1.3)
    assert np.all(np.isfinite(cu.sigmoid_derivative(EXTREME)))


def test_softmax_is_stable_for_huge_logits():
    Z = np.array([[1e4, -1e4, 0.0], [1e4 - 1, 1e4, 0.0], [-1e4, 1e4, 0.0]])
    A = cu.softmax(Z)  # (9.9): shifted by each column's max, every exponent is <= 0
    assert np.all(np.isfinite(A))
    np.testing.assert_allclose(A.sum(axis=0), 1.0)
    np.testing.assert_allclose(A[:, 0], [1 / (1 + np.exp(-1)), 1 / (1 + np.e), 0], atol=1e-15)
    # two-unit softmax is the sigmoid: softmax([z, 0])_1 = sigma(z) (9.10)
    z = np.linspace(-30, 30, 13)
    np.testing.assert_allclose(cu.softmax(np.vstack([z, np.zeros_like(z)]))[0], cu.sigmoid(z), rtol=1e-12)


def test_costs_are_finite_for_probabilities_of_exactly_0_and_1():
    AL = np.array([[0.0, 1.0, 0.0, 1.0]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0]])
    cost = cu.compute_cost(AL, Y, "sigmoid")
    assert np.isfinite(cost) and cost > 10
    probs = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert np.isfinite(cu.compute_cost(probs, np.array([[0.0, 0], [1, 1]]), "softmax"))
    assert cu.compute_cost(probs, probs, "softmax") == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_cost_from_logits_handles_huge_logits_and_agrees_with_naive(output):
    rng = np.random.default_rng(0)
    ZL = rng.standard_normal((3, 6)) * 3
    Y = rng.uniform(0, 1, (3, 6)) if output == "sigmoid" else cu.one_hot(rng.integers(0, 3, 6), 3)
    A = cu.sigmoid(ZL) if output == "sigmoid" else cu.softmax(ZL)
    assert cu.cost_from_logits(ZL, Y, output) == pytest.approx(cu.compute_cost(A, Y, output), rel=1e-12)
    huge = np.sign(ZL) * 1e4
    cost = cu.cost_from_logits(huge, Y, output)
    assert np.isfinite(cost) and cost > 100


def test_network_with_extreme_weights_runs_forward_and_backward():
    parameters = cu.initialize_parameters([2, 3, 1], seed=0)
    parameters = {k: v * 1e4 for k, v in parameters.items()}
    X = np.array([[1.0, -1.0, 50.0], [2.0, 0.5, -80.0]])
    Y = np.array([[1.0, 0.0, 1.0]])
    for hidden in ("relu", "tanh", "sigmoid"):
        AL, cache = cu.forward_propagation(X, parameters, hidden, "sigmoid")
        grads = cu.backpropagation(cache, Y, parameters)
        assert all(np.all(np.isfinite(g)) for g in grads.values())
        assert np.isfinite(cu.compute_cost(AL, Y, "sigmoid"))


def test_float32_end_to_end():
    X, Y = cu.make_moons(64)
    X = X.astype(np.float32)
    parameters = cu.initialize_parameters([2, 8, 1], seed=0, dtype=np.float32)
    AL, cache = cu.forward_propagation(X, parameters)
    grads = cu.backpropagation(cache, Y.astype(np.float32), parameters)
    new = cu.update_parameters(parameters, grads, 0.1)
    assert AL.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())
    assert all(p.dtype == np.float32 for p in new.values())
    trained, costs = cu.train(X, Y.astype(np.float32), [2, 8, 1], epochs=3)
    assert trained["W1"].dtype == np.float32 and costs[-1] < costs[0]
