"""Every backward function against central finite differences, on random shapes (float64).

Each entry is judged by |a - b| <= 1e-7 (|a| + |b|) + atol, atol the finite difference's
round-off allowance (course_utils.gradcheck). A correct gradient must use at most a tenth of that
allowance (MARGIN), so a CPU that rounds differently cannot tip it over; the planted bugs
(tests/test_planted_bugs.py) exceed it by orders of magnitude.
"""

import numpy as np
import pytest

import course_utils as cu
from course_utils.gradcheck import _central_differences
from course_utils.layers import linear_backward, linear_forward

from .conftest import HIDDEN, OUTPUT, random_network

MARGIN = 0.1  # a correct gradient uses at most this fraction of the allowed error
EPS = 1e-5


def judged(analytic, f, x):
    """The WorstEntry of analytic against central differences of f at x (eps = EPS)."""
    numerical, f_scale = _central_differences(f, x, EPS)
    return cu.compare_gradients(analytic, numerical, f_scale, EPS)


@pytest.mark.parametrize("seed", range(8))
def test_linear_backward_matches_finite_differences(seed):
    """(5.2), (5.3), (5.4): dA_prev, dW, db of the linear step, with a random upstream gradient."""
    rng = np.random.default_rng(seed)
    n_prev, n, m = (int(v) for v in rng.integers(1, 7, 3))
    A_prev, W, b = rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1))
    dZ = rng.standard_normal((n, m))
    dA_prev, dW, db = linear_backward(dZ, (A_prev, W, b))

    def summed(A_prev_, W_, b_):
        return float((dZ * linear_forward(A_prev_, W_, b_)[0]).sum())

    # dZ is the gradient of the *summed* loss; dW and db carry 1/m (the 1/m rule)
    for worst in (judged(dA_prev, lambda a: summed(a, W, b), A_prev),
                  judged(m * dW, lambda w: summed(A_prev, w, b), W),
                  judged(m * db, lambda c: summed(A_prev, W, c), b)):
        assert worst.ratio < MARGIN, worst


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity", "softmax"])
@pytest.mark.parametrize("seed", range(4))
def test_activation_backward_matches_finite_differences(activation, seed):
    """(5.1) and (5.6): dZ = dA * g'(Z), and the softmax Jacobian product, random upstream."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 6)), int(rng.integers(1, 6))
    Z = rng.standard_normal((n, m)) * 2
    Z[np.abs(Z) < 1e-2] = 0.5  # keep away from the ReLU kink
    worst = cu.check_array_gradient(
        lambda z: cu.activation_forward(z, activation),
        lambda dA: cu.activation_backward(dA, Z, activation),
        Z, seed=seed, eps=EPS,
    )
    assert worst.ratio < MARGIN, worst


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_derivative_functions_match_finite_differences(name):
    """g' of each element-wise activation, e.g. sigma' = sigma(1 - sigma) (2.3)."""
    g, g_prime = cu.activations.ACTIVATIONS[name]
    Z = np.linspace(-6, 6, 61).reshape(1, -1) + 0.05  # no grid point on the kink
    worst = judged(g_prime(Z), lambda z: float(g(z).sum()), Z.copy())
    assert worst.ratio < MARGIN, worst


def test_relu_derivative_at_zero_is_zero():
    """(5.8) ReLU'(0) = 0 by convention."""
    assert cu.relu_derivative(np.array([[0.0]]))[0, 0] == 0.0
    assert cu.relu_derivative(np.array([[1e-300]]))[0, 0] == 1.0


def _architectures():
    rng = np.random.default_rng(1234)
    cases = []
    for depth in range(1, 6):
        for hidden in HIDDEN:
            for output in OUTPUT:
                m = int(rng.choice([1, 2, 5]))
                cases.append((depth, hidden, output, m, int(rng.integers(1 << 30))))
    return cases


@pytest.mark.parametrize("depth,hidden,output,m,seed", _architectures())
def test_network_gradients_match_finite_differences(depth, hidden, output, m, seed):
    """Whole-network check: every dW, db of backpropagation against central differences of J."""
    rng = np.random.default_rng(seed)
    parameters, X, Y = random_network(rng, depth, hidden, output, m)
    report = cu.gradient_check_network(parameters, X, Y, hidden, output, eps=EPS)
    assert set(report) == set(parameters)
    worst = max(report.values(), key=lambda w: w.ratio)
    assert worst.ratio < MARGIN, worst


@pytest.mark.parametrize("output", ["identity", "sigmoid"])
@pytest.mark.parametrize("m", [1, 7])
def test_one_unit_regression_has_dJ_dz_equal_to_y_hat_minus_y_over_m(output, m):
    """(2.4): dJ/dz(i) = (y_hat(i) - y(i)) / m for linear (half MSE) and logistic (cross-entropy) regression."""
    rng = np.random.default_rng(m)
    Z = rng.standard_normal((1, m)) * 2
    Y = rng.standard_normal((1, m)) if output == "identity" else rng.integers(0, 2, (1, m)).astype(float)
    Y_hat = Z if output == "identity" else 1 / (1 + np.exp(-Z))  # the model's prediction, from its definition
    dJ_dz = (Y_hat - Y) / m
    worst = judged(dJ_dz, lambda z: cu.cost_from_logits(z, Y, output), Z.copy())
    assert worst.ratio < MARGIN, worst
    # the course's output_layer_dZ is m times (2.4): the gradient of the summed loss
    np.testing.assert_allclose(cu.losses.output_layer_dZ(Y_hat, Z, Y, output) / m, dJ_dz, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("seed", range(4))
def test_the_softmax_jacobian_and_its_product_with_the_cross_entropy_gradient(seed):
    """(10.8): da/dz = diag(a) - a a^T by central differences; softmax_backward is its product; with
    cross-entropy the chain rule gives y_hat - y."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 8))
    z = rng.standard_normal((n, 1)) * 2
    a = cu.softmax(z)
    jacobian = np.diag(a[:, 0]) - a @ a.T
    for j in range(n):  # row j of the Jacobian is the gradient of a_j
        worst = judged(jacobian[j:j + 1].T, lambda v, j=j: float(cu.softmax(v)[j, 0]), z.copy())
        assert worst.ratio < MARGIN, (j, worst)
    dA = rng.standard_normal((n, 3))
    A = cu.softmax(rng.standard_normal((n, 3)) * 2)
    for i in range(3):  # column by column, softmax_backward is the (symmetric) Jacobian times dA
        J_i = np.diag(A[:, i]) - np.outer(A[:, i], A[:, i])
        np.testing.assert_allclose(cu.softmax_backward(dA, A)[:, i], J_i.T @ dA[:, i], rtol=1e-12, atol=1e-15)
    y = np.zeros((n, 1))
    y[rng.integers(n)] = 1.0
    # dl/da = -y / a: entry k is a_k (1 - 1/a_k) = a_k - 1, the others a_j (0 + 1); a few roundings of numbers <= 1
    np.testing.assert_allclose(cu.softmax_backward(-y / a, a), a - y, rtol=0, atol=1e-11)
