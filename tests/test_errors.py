"""Bad input gets a clear error: the right exception type, naming the argument, expected vs actual."""

import numpy as np
import pytest

import course_utils as cu


@pytest.fixture
def net():
    parameters = cu.initialize_parameters([3, 4, 2, 1], seed=0)
    X = np.random.default_rng(0).standard_normal((3, 5))
    Y = np.array([[0, 1, 1, 0, 1]], dtype=float)
    AL, cache = cu.forward_propagation(X, parameters)
    return parameters, X, Y, AL, cache


def raises(exc, *fragments):
    """Context manager: the call raises ``exc`` whose message contains every fragment."""
    class _Check:
        def __enter__(self):
            self.ctx = pytest.raises(exc)
            self.info = self.ctx.__enter__()

        def __exit__(self, *args):
            handled = self.ctx.__exit__(*args)
            message = str(self.info.value)
            for fragment in fragments:
                assert fragment in message, f"{fragment!r} not in {message!r}"
            return handled
    return _Check()


# --- shapes -------------------------------------------------------------------------------------

def test_X_with_wrong_number_of_rows(net):
    parameters, X, *_ = net
    with raises(ValueError, "X", "(4, 5)", "(3, 'any')"):
        cu.forward_propagation(np.ones((4, 5)), parameters)


def test_bias_of_wrong_length_that_numpy_would_broadcast(net):
    parameters, X, *_ = net
    bad = dict(parameters, b1=np.zeros((1, 1)))  # numpy would silently broadcast this
    with raises(ValueError, "b1", "(1, 1)", "(4, 1)"):
        cu.forward_propagation(X, bad)
    with raises(ValueError, "b", "(1, 1)", "(4, 1)"):
        cu.linear_forward(X, parameters["W1"], np.zeros((1, 1)))
    with raises(ValueError, "b", "(4,)"):
        cu.linear_forward(X, parameters["W1"], np.zeros(4))


def test_weight_chain_mismatch_names_the_layer(net):
    parameters, X, *_ = net
    bad = dict(parameters, W2=np.zeros((2, 5)))
    with raises(ValueError, "W2", "(2, 5)", "layer 1 has 4 units"):
        cu.forward_propagation(X, bad)


def test_missing_parameter_key(net):
    parameters, X, *_ = net
    bad = {k: v for k, v in parameters.items() if k != "b2"}
    with raises(ValueError, "missing b2"):
        cu.forward_propagation(X, bad)
    with raises(ValueError, "unexpected key", "'V1'"):
        cu.forward_propagation(X, dict(parameters, V1=np.zeros((1, 1))))


def test_Y_shape_mismatch(net):
    parameters, X, Y, AL, cache = net
    with raises(ValueError, "Y", "(1, 4)", "(1, 5)"):
        cu.backpropagation(cache, Y[:, :4], parameters)
    with raises(ValueError, "Y", "(1, 4)", "(1, 5)"):
        cu.compute_cost(AL, Y[:, :4])
    with raises(ValueError, "X has 5 examples", "Y has 4"):
        cu.train_test_split(X, Y[:, :4])
    with raises(ValueError, "Y", "(1, 4)"):
        cu.train(X, Y[:, :4], [3, 1])


def test_linear_backward_dZ_shape(net):
    parameters, X, *_ = net
    _, linear_cache = cu.linear_forward(X, parameters["W1"], parameters["b1"])
    with raises(ValueError, "dZ", "(4, 4)", "(4, 5)"):
        cu.linear_backward(np.ones((4, 4)), linear_cache)


def test_one_dimensional_input(net):
    parameters, *_ = net
    with raises(ValueError, "X", "2-D", "(3,)"):
        cu.forward_propagation(np.ones(3), parameters)


def test_cache_from_other_parameters(net):
    parameters, X, Y, AL, cache = net
    other = cu.initialize_parameters([3, 6, 2, 1], seed=1)
    with raises(ValueError, "cache['Z1']", "(4, 5)", "(6, 5)"):
        cu.backpropagation(cache, Y, other)
    with raises(ValueError, "cache is missing"):
        cu.backpropagation({"A0": X}, Y, parameters)


def test_gradients_dict_mismatch(net):
    parameters, X, Y, AL, cache = net
    grads = cu.backpropagation(cache, Y, parameters)
    with raises(ValueError, "grads['dW1']", "(3, 4)", "(4, 3)"):
        cu.update_parameters(parameters, dict(grads, dW1=grads["dW1"].T), 0.1)
    with raises(ValueError, "missing 'db2'"):
        cu.update_parameters(parameters, {k: v for k, v in grads.items() if k != "db2"}, 0.1)


# --- values -------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs(net, bad):
    parameters, X, Y, AL, cache = net
    X_bad = X.copy()
    X_bad[1, 2] = bad
    with raises(ValueError, "X", "finite", "X[1, 2]", str(bad)):
        cu.forward_propagation(X_bad, parameters)
    W_bad = dict(parameters, W2=parameters["W2"].copy())
    W_bad["W2"][0, 0] = bad
    with raises(ValueError, "parameters['W2']", "finite"):
        cu.forward_propagation(X, W_bad)
    Y_bad = Y.copy()
    Y_bad[0, 0] = bad
    with raises(ValueError, "Y", "finite"):
        cu.compute_cost(AL, Y_bad)


def test_empty_batch(net):
    parameters, *_ = net
    with raises(ValueError, "X", "empty", "(3, 0)"):
        cu.forward_propagation(np.ones((3, 0)), parameters)


def test_non_numeric_arrays(net):
    parameters, X, *_ = net
    with raises(TypeError, "X", "numbers", "<U"):
        cu.forward_propagation(np.array([["a"] * 5] * 3), parameters)
    with raises(TypeError, "X", "numpy array", "dict"):
        cu.forward_propagation({"X": X}, parameters)
    with raises(TypeError, "parameters", "dict", "list"):
        cu.forward_propagation(X, [parameters["W1"]])


def test_labels_outside_the_loss_domain(net):
    parameters, X, Y, AL, cache = net
    with raises(ValueError, "Y", "[0, 1]", "2.0"):
        cu.compute_cost(AL, Y * 2, "sigmoid")
    with raises(ValueError, "Y", "[0, 1]", "-1.0"):
        cu.backpropagation(cache, Y - 1, parameters)
    probs = cu.softmax(np.zeros((3, 2)))
    with raises(ValueError, "column 1", "sums to 2"):
        cu.compute_cost(probs, np.array([[1.0, 1], [0, 1], [0, 0]]), "softmax")


def test_unknown_names(net):
    parameters, X, Y, AL, cache = net
    with raises(ValueError, "hidden_activation", "'relu6'", "'relu'"):
        cu.forward_propagation(X, parameters, hidden_activation="relu6")
    with raises(ValueError, "hidden_activation 'softmax'", "output layer"):
        cu.forward_propagation(X, parameters, hidden_activation="softmax")  # softmax is output-only
    with raises(ValueError, "output_activation", "'sigmoidd'"):
        cu.compute_cost(AL, Y, "sigmoidd")
    with raises(ValueError, "init", "'glorot'", "'xavier'"):
        cu.initialize_parameters([2, 1], init="glorot")
    with raises(ValueError, "activation", "'gelu'"):
        cu.activation_forward(np.ones((1, 1)), "gelu")


@pytest.mark.parametrize("rate", [np.nan, np.inf, -0.1, 0])
def test_bad_learning_rates(net, rate):
    parameters, X, Y, AL, cache = net
    grads = cu.backpropagation(cache, Y, parameters)
    with raises(ValueError, "learning_rate", str(rate)):
        cu.update_parameters(parameters, grads, rate)


def test_learning_rate_type(net):
    parameters, X, Y, AL, cache = net
    grads = cu.backpropagation(cache, Y, parameters)
    with raises(TypeError, "learning_rate", "str"):
        cu.update_parameters(parameters, grads, "0.1")


def test_bad_layer_dims():
    with raises(ValueError, "layer_dims[1]", "0"):
        cu.initialize_parameters([3, 0, 1])
    with raises(ValueError, "layer_dims", "at least 2"):
        cu.initialize_parameters([3])


def test_softmax_needs_two_units(net):
    parameters, X, *_ = net
    with raises(ValueError, "softmax", "2 units"):
        cu.forward_propagation(X, parameters, output_activation="softmax")


def test_numerical_gradient_arguments():
    with raises(TypeError, "x", "float", "int64"):
        cu.numerical_gradient(lambda v: 0.0, np.arange(3))
    with raises(ValueError, "eps", "0"):
        cu.numerical_gradient(lambda v: 0.0, np.ones(3), eps=0)
    with raises(ValueError, "one finite number"):
        cu.numerical_gradient(lambda v: v, np.ones(3))


def test_relative_error_shape_mismatch():
    with raises(ValueError, "a has shape (2,)", "b has shape (3,)"):
        cu.relative_error(np.ones(2), np.ones(3))


def test_standardizer_before_fit_and_split_fraction():
    with raises(ValueError, "before fit"):
        cu.Standardizer().transform(np.ones((2, 2)))
    with raises(ValueError, "test_fraction", "1.5"):
        cu.train_test_split(np.ones((2, 4)), np.ones((1, 4)), test_fraction=1.5)


def test_no_bare_numpy_error_reaches_the_user(net):
    """A sweep of wrong shapes: every failure is our ValueError/TypeError, never numpy's."""
    parameters, X, Y, AL, cache = net
    for shape in [(3, 1), (1, 5), (5, 3), (2, 5)]:
        try:
            cu.forward_propagation(np.ones(shape), parameters)
        except (ValueError, TypeError) as error:
            assert "shape" in str(error) and "operands could not be broadcast" not in str(error)
        else:
            assert shape[0] == 3, f"shape {shape} was accepted"
