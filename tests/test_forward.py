"""The forward maths of notebooks 00, 01 and 03 against their element forms and definitions.

Each oracle is written from the equation alone (loops over entries, numpy's exp, a quadrature), not
from course_utils; the course's functions are then held to it.
"""

import math

import numpy as np
import pytest

import course_utils as cu

from .conftest import HIDDEN


def test_the_matrix_product_is_a_sum_over_the_shared_index():
    """(0.1): C_ij = sum_k A_ik B_kj, three loops, equals A @ B on non-square shapes (n x p)(p x q)."""
    rng = np.random.default_rng(0)
    for n, p, q in [(2, 3, 4), (4, 1, 3), (1, 5, 1), (3, 3, 3)]:
        A, B = rng.standard_normal((n, p)), rng.standard_normal((p, q))
        C = np.zeros((n, q))
        for i in range(n):
            for j in range(q):
                for k in range(p):
                    C[i, j] += A[i, k] * B[k, j]
        assert (A @ B).shape == (n, q)
        # the same p products summed in another order: a few roundings of numbers of size ~1
        np.testing.assert_allclose(A @ B, C, rtol=0, atol=1e-12)


def test_the_hadamard_product_multiplies_matching_entries():
    """(0.2): C_ij = A_ij B_ij equals numpy's * exactly (one rounding per entry), and it is not the @ product."""
    rng = np.random.default_rng(1)
    A, B = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    C = np.zeros(A.shape)
    for i in range(3):
        for j in range(4):
            C[i, j] = A[i, j] * B[i, j]
    np.testing.assert_array_equal(A * B, C)
    S, T = A[:, :3], B[:, :3]  # square: both products exist, and they differ
    assert np.abs(S * T - S @ T).max() > 0.1


def test_logistic_regression_predicts_one_exactly_where_the_score_is_positive():
    """(1.4): y_hat > 1/2 iff W . x + b > 0, for cu.predict of a one-layer sigmoid network."""
    rng = np.random.default_rng(2)
    for n_0, m in [(2, 1), (3, 50), (5, 200)]:
        X = rng.standard_normal((n_0, m))
        W, b = rng.standard_normal((1, n_0)), rng.standard_normal((1, 1))
        z = W @ X + b
        keep = np.abs(z[0]) > 1e-6  # sigma(z) rounds to 1/2 only for |z| below ~1e-16
        X, z = X[:, keep], z[:, keep]
        predictions = cu.predict(X, {"W1": W, "b1": b}, output_activation="sigmoid")
        np.testing.assert_array_equal(predictions, (z > 0).astype(int))
    assert 0 < predictions.mean() < 1  # both classes occur, so a constant rule would fail


def test_one_layer_element_form_equals_the_matrix_form():
    """(3.3) loop over examples i, units j and inputs k equals (3.1) Z = W . A_prev + b (cu.linear_forward)."""
    rng = np.random.default_rng(3)
    for n_prev, n, m in [(3, 4, 5), (1, 2, 1), (5, 3, 2)]:
        A_prev, W, b = rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1))
        Z_loop = np.zeros((n, m))
        for i in range(m):
            for j in range(n):
                Z_loop[j, i] = b[j, 0] + sum(W[j, k] * A_prev[k, i] for k in range(n_prev))
        Z, _ = cu.linear_forward(A_prev, W, b)
        assert Z.shape == (n, m)
        np.testing.assert_allclose(Z, Z_loop, rtol=0, atol=1e-12)  # the same sums in another order


def _g(name, Z):
    """The activations from their definitions (the sigmoid, tanh, ReLU, softmax), independently of course_utils."""
    if name == "relu":
        return np.where(Z > 0, Z, 0.0)
    if name == "tanh":
        return (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z))
    if name == "sigmoid":
        return 1 / (1 + np.exp(-Z))
    if name == "softmax":
        E = np.exp(Z)
        return E / E.sum(axis=0, keepdims=True)
    return Z


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output", ["sigmoid", "softmax", "identity"])
def test_forward_propagation_applies_each_layers_activation_to_its_Z(hidden, output):
    """(3.2) A[l] = g(Z[l]) in every layer: the hidden g below L, the output g at L; and (3.1) for each Z[l]."""
    rng = np.random.default_rng(4)
    dims = [3, 4, 5, 2]  # no two neighbours equal: a transposed W cannot fit
    parameters = {}
    for l in range(1, 4):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1))
    X = rng.standard_normal((3, 6))
    AL, cache = cu.forward_propagation(X, parameters, hidden, output)
    np.testing.assert_array_equal(cache["A0"], X)
    for l in range(1, 4):
        g = hidden if l < 3 else output
        Z = parameters[f"W{l}"] @ cache[f"A{l - 1}"] + parameters[f"b{l}"]
        np.testing.assert_allclose(cache[f"Z{l}"], Z, rtol=0, atol=1e-12)
        # |Z| stays below ~20 here: every exp is far from overflow, the two forms agree to a few u
        np.testing.assert_allclose(cache[f"A{l}"], _g(g, cache[f"Z{l}"]), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(AL, cache["A3"])


def test_tanh_and_relu_are_their_definitions():
    """(3.4) tanh z = (e^z - e^-z)/(e^z + e^-z) = 2 sigma(2z) - 1; (3.5) ReLU z = max(0, z), exactly."""
    z = np.linspace(-5, 5, 201)
    # every term is at most e^5 ~ 150 and the quotient is at most 1: off by a few u, far below 1e-12
    np.testing.assert_allclose(cu.tanh(z), (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), rtol=0, atol=1e-12)
    np.testing.assert_allclose(cu.tanh(z), 2 * cu.sigmoid(2 * z) - 1, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(cu.relu(z), np.where(z > 0, z, 0.0))
    assert cu.relu(np.array([0.0]))[0] == 0.0 and cu.relu(np.array([-1e-300]))[0] == 0.0


@pytest.mark.parametrize("init", ["he", "xavier"])
def test_initialisation_variances_are_he_and_xavier(init):
    """(3.6): Var W[l] = 2 / n_{l-1} (He) or 2 / (n_{l-1} + n_l) (Xavier), on layers whose widths differ."""
    dims = [300, 400, 200]
    parameters = cu.initialize_parameters(dims, init=init, seed=7)
    for l in (1, 2):
        n_prev, n = dims[l - 1], dims[l]
        W = parameters[f"W{l}"]
        expected = 2 / n_prev if init == "he" else 2 / (n_prev + n)
        # a sample variance of N >= 80 000 normal draws has relative standard error sqrt(2 / N) <= 0.005:
        # 5 % is ten standard errors, and He and Xavier differ by a factor of at least 1.5 here
        assert abs(W.var() / expected - 1) < 0.05, (l, W.var(), expected)
        assert abs(W.mean()) < 5 * math.sqrt(expected / W.size)
        np.testing.assert_array_equal(parameters[f"b{l}"], np.zeros((n, 1)))


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_a_layers_backward_gain_is_at_most_the_weights_norm_times_the_largest_slope(name):
    """(3.7): ||W^T diag(g'(z))||_2 <= ||W||_2 max_k |g'(z_k)|; equality for W = 10 I and z = 0 (sigmoid: 2.5)."""
    g_prime = cu.activations.ACTIVATIONS[name][1]
    rng = np.random.default_rng(8)
    for _ in range(50):
        W, z = rng.standard_normal((6, 4)) * rng.uniform(0.1, 10), 3 * rng.standard_normal(6) + 0.01
        slopes = g_prime(z)
        gain = np.linalg.norm(W.T @ np.diag(slopes), 2)
        # singular values come out of an SVD with relative error ~1e-15: a 1e-12 slack covers it
        assert gain <= np.linalg.norm(W, 2) * np.abs(slopes).max() * (1 + 1e-12)
    gain = np.linalg.norm((10 * np.eye(4)).T @ np.diag(g_prime(np.full(4, 0.5 if name == "relu" else 0.0))), 2)
    assert math.isclose(gain, 10 * {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}[name], rel_tol=1e-12)


def _mean_tanh_squared(variance):
    """E[tanh(z)^2] for z ~ N(0, variance), by 60-point Gauss-Hermite quadrature (exact to ~1e-12 here)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(60)
    return float(np.sum(weights * np.tanh(np.sqrt(variance) * nodes) ** 2) / weights.sum())


@pytest.mark.parametrize("gain", [1.0, 5 / 3])
@pytest.mark.parametrize("variance", [0.5, 2.0])
def test_tanh_variance_recursion_predicts_a_wide_layer(gain, variance):
    """(3.8): Var(z[l+1]) = g^2 E[tanh(z[l])^2] for Var W = g^2 / n (Xavier on equal widths, times g)."""
    n, m = 400, 1000
    rng = np.random.default_rng(9)
    Z = rng.standard_normal((n, m)) * math.sqrt(variance)
    W = gain * cu.initialize_parameters([n, n], init="xavier", seed=10)["W1"]  # Var W = g^2 / n
    Z_next = W @ cu.tanh(Z)
    predicted = gain**2 * _mean_tanh_squared(variance)
    # a sample: the 400 rows' squared norms and the 4e5 values of tanh(z)^2 put the ratio within
    # about 0.5 % (one standard error; under 1 % over six seeds); 5 % is ten standard errors
    assert abs(Z_next.var() / predicted - 1) < 0.05, (Z_next.var(), predicted)
    linear = gain**2 * variance  # what tanh z ~ z would predict: too large by at least a quarter here
    assert Z_next.var() / linear < 0.8
