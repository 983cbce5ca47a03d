"""The 1/m rule (5.7): code's dZ[l] is m times dJ/dZ[l]; dW and db are exact gradients of J."""

import numpy as np
import pytest

import course_utils as cu
from course_utils._validation import check_parameters
from course_utils.activations import _activation_forward as _activate
from course_utils.losses import _cost

from .conftest import random_network


def cost_from_layer(Z_l, l, cache, parameters, Y):
    """J as a function of Z[l]: run layers l .. L forward from a given Z[l]."""
    L = check_parameters(parameters)
    hidden, output = cache["hidden_activation"], cache["output_activation"]
    A = _activate(Z_l, hidden if l < L else output)
    for k in range(l + 1, L + 1):
        A = _activate(parameters[f"W{k}"] @ A + parameters[f"b{k}"], hidden if k < L else output)
    return _cost(A, Y, output)


@pytest.mark.parametrize("hidden,output", [("tanh", "sigmoid"), ("sigmoid", "softmax"), ("tanh", "identity")])
@pytest.mark.parametrize("m", [1, 3, 8])
def test_code_dZ_is_m_times_dJ_dZ(hidden, output, m):
    rng = np.random.default_rng(m)
    parameters, X, Y = random_network(rng, 3, hidden, output, m, width=(2, 5))
    _, cache = cu.forward_propagation(X, parameters, hidden, output)
    grads = cu.backpropagation(cache, Y, parameters)
    for l in range(1, 4):
        Z = cache[f"Z{l}"].copy()
        dJ_dZ = cu.numerical_gradient(lambda z, l=l: cost_from_layer(z, l, cache, parameters, Y), Z, 1e-5)
        big = np.abs(dJ_dZ) > 1e-4  # ratios of round-off carry no information
        ratio = grads[f"dZ{l}"][big] / dJ_dZ[big]
        assert big.any()
        np.testing.assert_allclose(ratio, m, rtol=1e-5)


def test_dW_db_are_gradients_of_J_not_of_the_sum():
    rng = np.random.default_rng(0)
    m = 7
    parameters, X, Y = random_network(rng, 2, "tanh", "sigmoid", m, width=(3, 4))
    report = cu.gradient_check_network(parameters, X, Y, "tanh", "sigmoid")
    assert max(w.error for w in report.values()) < 1e-7
    # and they are not the gradients of the summed loss: those are m times larger
    _, cache = cu.forward_propagation(X, parameters, "tanh", "sigmoid")
    grads = cu.backpropagation(cache, Y, parameters)
    P = {k: v.copy() for k, v in parameters.items()}
    def summed_loss(_):
        return m * _cost(cu.forward_propagation(X, P, "tanh", "sigmoid")[0], Y, "sigmoid")

    summed = cu.numerical_gradient(summed_loss, P["W1"], 1e-5)
    assert cu.relative_error(m * grads["dW1"], summed, 1e-3) < 1e-7
    assert cu.relative_error(grads["dW1"], summed) > 0.5


def test_output_dZ_is_literally_AL_minus_Y():
    rng = np.random.default_rng(1)
    for output in ("sigmoid", "softmax", "identity"):
        parameters, X, Y = random_network(rng, 2, "relu", output, 5)
        AL, cache = cu.forward_propagation(X, parameters, "relu", output)
        grads = cu.backpropagation(cache, Y, parameters)
        np.testing.assert_array_equal(grads["dZ2"], AL - Y)
