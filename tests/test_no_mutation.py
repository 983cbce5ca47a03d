"""No function modifies an array it was given."""

import numpy as np

import course_utils as cu

from .conftest import random_network


def frozen(arrays):
    """Make arrays read-only: any in-place write then raises instead of passing silently."""
    for a in arrays:
        a.setflags(write=False)


def test_forward_cost_backward_update_leave_inputs_alone():
    rng = np.random.default_rng(0)
    for output in ("sigmoid", "softmax", "identity", "tanh"):
        parameters, X, Y = random_network(rng, 3, "relu", output, 5)
        copies = {k: v.copy() for k, v in parameters.items()}
        X0, Y0 = X.copy(), Y.copy()
        frozen([X, Y, *parameters.values()])
        AL, cache = cu.forward_propagation(X, parameters, "relu", output)
        cu.compute_cost(AL, Y, output)
        cu.cost_from_logits(cache["Z3"], Y, output)
        cache_copy = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in cache.items()}
        frozen(v for v in cache.values() if isinstance(v, np.ndarray))
        grads = cu.backpropagation(cache, Y, parameters)
        frozen(grads.values())
        cu.update_parameters(parameters, grads, 0.1)
        cu.gradient_check_network(parameters, X, Y, "relu", output)
        for k in parameters:
            np.testing.assert_array_equal(parameters[k], copies[k])
        np.testing.assert_array_equal(X, X0)
        np.testing.assert_array_equal(Y, Y0)
        for k, v in cache_copy.items():
            if isinstance(v, np.ndarray):
                np.testing.assert_array_equal(cache[k], v)


def test_layer_functions_leave_inputs_alone():
    rng = np.random.default_rng(1)
    A_prev, W, b = rng.standard_normal((3, 4)), rng.standard_normal((2, 3)), rng.standard_normal((2, 1))
    dZ, Z = rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    frozen([A_prev, W, b, dZ, Z])
    cu.linear_backward(dZ, cu.linear_forward(A_prev, W, b)[1])
    for name in ("relu", "tanh", "sigmoid", "identity", "softmax"):
        cu.activation_backward(dZ, Z, name)
        cu.activation_forward(Z, name)


def test_training_and_data_helpers_leave_inputs_alone():
    X, Y = cu.make_moons(40)
    frozen([X, Y])
    cu.train(X, Y, [2, 4, 1], epochs=2, batch_size=16)
    X_train, X_test, *_ = cu.train_test_split(X, Y)
    cu.Standardizer().fit(X_train).transform(X_test)
