"""course_utils.autodiff: every operation against the autograd package, broadcasting, fan-out, order, errors.

The Tensor's gradients are exact, so against autograd (an independent reverse-mode differentiator) the
relative error must be at most 1e-9; the local rules are also checked against central differences.
Then the Tensor reproduces course_utils' hand-written backward passes: the dense network of notebook 05
(12.1)-(12.7) and the CNN of notebook 10 (conv as products with 0/1 matrices, (12.8)).
"""

import copy
import warnings

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

import course_utils as cu
from course_utils.autodiff import Tensor, add_backward, matmul_backward, mul_backward, unbroadcast
from course_utils.gradcheck import check_array_gradient

from .conftest import random_network

SHAPE_PAIRS = [((3, 4), (3, 4)), ((3, 4), (1, 4)), ((3, 1), (3, 4)), ((2, 3, 4), (3, 4)), ((4,), (3, 4)),
               ((3, 4), ()), ((1, 1), (2, 5))]


def _leaves(rng, *shapes):
    arrays = [rng.standard_normal(shape) + 2.0 for shape in shapes]  # away from 0: / and log are smooth
    return arrays, [Tensor(a) for a in arrays]


@pytest.mark.parametrize("x_shape,y_shape", SHAPE_PAIRS)
def test_binary_operators_broadcast_and_sum_gradients_back(x_shape, y_shape):
    """(12.2)-(12.4): + - * / with broadcasting; each gradient has its operand's shape."""
    rng = np.random.default_rng(len(x_shape) * 10 + len(y_shape))
    (x, y), (X, Y) = _leaves(rng, x_shape, y_shape)
    weights = rng.standard_normal(np.broadcast_shapes(x_shape, y_shape))

    def f(x_, y_):
        return anp.sum(weights * ((x_ + y_) * (x_ - y_) / y_ + x_ * y_ / (y_ * y_ + 1)))

    loss = (weights * ((X + Y) * (X - Y) / Y + X * Y / (Y * Y + 1))).sum()
    loss.backward()
    assert X.grad.shape == x.shape and Y.grad.shape == y.shape
    assert cu.relative_error(X.grad, grad(f, 0)(x, y)) <= 1e-9
    assert cu.relative_error(Y.grad, grad(f, 1)(x, y)) <= 1e-9
    assert float(loss.data) == pytest.approx(float(f(x, y)), rel=1e-12)


def test_unary_functions_powers_reductions_and_transpose():
    """(12.6): exp, log, tanh, sigmoid, relu, x ** p, sum and mean over axes, .T, -x."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4))
    x = np.where(np.abs(x) < 0.05, 0.3, x)  # no ReLU kink within reach
    w = rng.standard_normal((4, 3))

    def f(x_):
        s = 1 / (1 + anp.exp(-x_))
        y = anp.exp(0.5 * x_) + anp.log(x_ * x_ + 1) + anp.tanh(x_) * s + anp.maximum(x_, 0) ** 2
        return (anp.sum(y.T * w) + anp.sum(anp.mean(y, axis=0) ** 3) + anp.sum(anp.sum(y, axis=1, keepdims=True) * 2)
                - anp.mean(y) + anp.sum((x_ * x_ + 1) ** -0.5))

    X = Tensor(x)
    y = (0.5 * X).exp() + (X * X + 1).log() + X.tanh() * X.sigmoid() + X.relu() ** 2
    loss = ((y.T * w).sum() + (y.mean(axis=0) ** 3).sum() + (y.sum(axis=1, keepdims=True) * 2).sum() - y.mean()
            + ((X * X + 1) ** -0.5).sum())
    loss.backward()
    assert cu.relative_error(X.grad, grad(f)(x)) <= 1e-9
    neg = -X
    neg.sum().backward()
    np.testing.assert_array_equal(X.grad, -np.ones_like(x))


@pytest.mark.parametrize("shapes", [((3, 4), (4, 2)), ((1, 4), (4, 1)), ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5))])
def test_matmul_including_stacks_of_matrices(shapes):
    """(12.5): dX = dZ Y^T, dY = X^T dZ, for matrices and (broadcast) stacks of them."""
    rng = np.random.default_rng(2)
    (x, y), (X, Y) = _leaves(rng, *shapes)
    w = rng.standard_normal(np.matmul(x, y).shape)

    def f(x_, y_):
        return anp.sum(w * anp.tanh(anp.matmul(x_, y_) / 10))

    ((X @ Y / 10).tanh() * w).sum().backward()
    assert cu.relative_error(X.grad, grad(f, 0)(x, y)) <= 1e-9
    assert cu.relative_error(Y.grad, grad(f, 1)(x, y)) <= 1e-9


def test_numbers_and_arrays_on_either_side_of_every_operator():
    rng = np.random.default_rng(3)
    x, a, M = rng.standard_normal((2, 2)) + 3, rng.standard_normal((2, 2)), rng.standard_normal((2, 2))
    X = Tensor(x)
    loss = (2 + X) * (X + 2) - (1 - X) + (X - 1) * 3 + 3 * X + 1 / X + X / 4 + a * X + X * a + a - X + M @ X + X @ M
    loss.sum().backward()
    expected = 2 * (x + 2) + 1 + 3 + 3 - 1 / x ** 2 + 0.25 + 2 * a - 1 + M.T @ np.ones((2, 2)) + np.ones((2, 2)) @ M.T
    np.testing.assert_allclose(X.grad, expected, rtol=1e-12)
    assert isinstance(a + X, Tensor) and isinstance(a @ X, Tensor)  # an array on the left defers to the Tensor


def test_fan_out_accumulates_every_contribution():
    """(12.1): a node used several times gets the sum of the gradients of all its uses."""
    x = Tensor(np.array([[3.0]]))
    y = x * x  # x used twice by one operation
    z = y + x + x.tanh()  # and again, twice more
    z.backward()
    assert x.grad[0, 0] == pytest.approx(2 * 3.0 + 1 + (1 - np.tanh(3.0) ** 2), rel=1e-14)
    h = x * 2
    w = h * h + h  # an intermediate node used three times
    w.backward()
    assert h.grad[0, 0] == pytest.approx(2 * 6.0 + 1, rel=1e-14) and x.grad[0, 0] == pytest.approx(26.0, rel=1e-14)


def test_topological_order_puts_every_node_after_its_parents_and_handles_deep_graphs():
    """(12.7): a diamond graph in the right order, and a chain of 5000 nodes (deeper than the recursion limit)."""
    a = Tensor(1.5)
    b, c = a * 2, a.tanh()
    d = b * c + b
    order = d._topological_order()
    position = {id(node): k for k, node in enumerate(order)}
    for node in order:
        assert all(position[id(parent)] < position[id(node)] for parent in node._parents)
    assert len(order) == len({id(n) for n in order})  # each node once
    x = Tensor(np.array([0.5]))
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.sum().backward()
    assert x.grad[0] == pytest.approx(1.0001 ** 5000, rel=1e-10)


def test_backward_resets_the_graph_and_needs_a_scalar():
    x = Tensor(np.ones((2, 3)))
    loss = (x * 3).sum()
    loss.backward()
    loss.backward()  # a second call gives the same gradients, not twice them
    np.testing.assert_array_equal(x.grad, np.full((2, 3), 3.0))
    with pytest.raises(ValueError, match=r"backward\(\) needs a scalar.*shape \(2, 3\)"):
        (x * 3).backward()
    Tensor(np.ones((1, 1))).backward()  # size 1 is a scalar
    with pytest.raises(TypeError, match="x \\*\\* p needs p to be a number"):
        x ** x
    with pytest.raises(ValueError, match="@ needs operands of at least 2 dimensions"):
        x @ Tensor(np.ones(3))
    with pytest.raises(TypeError, match="must hold numbers"):
        Tensor(np.array(["a"]))
    with pytest.raises(ValueError, match="axis must be None"):
        x.sum(axis=2)


def test_the_local_rules_against_finite_differences():
    """(12.2)-(12.5) as functions: a random upstream gradient, each operand nudged."""
    rng = np.random.default_rng(4)
    for x_shape, y_shape in SHAPE_PAIRS:
        x, y = np.array(rng.standard_normal(x_shape)), np.array(rng.standard_normal(y_shape))
        for forward, backward in ((np.add, add_backward), (np.multiply, mul_backward)):
            for k in range(2):
                def fwd(v, k=k, forward=forward, x=x, y=y):
                    return forward(v, y) if k == 0 else forward(x, v)

                def bwd(dout, k=k, backward=backward, x=x, y=y):
                    return backward(dout, x, y)[k]

                worst = check_array_gradient(fwd, bwd, np.array(x if k == 0 else y, dtype=float), seed=k)
                assert worst.ratio < 0.1, (forward.__name__, x_shape, y_shape, worst)
    X, Y = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    assert check_array_gradient(lambda v: v @ Y, lambda d: matmul_backward(d, X, Y)[0], X.copy()).ratio < 0.1
    assert check_array_gradient(lambda v: X @ v, lambda d: matmul_backward(d, X, Y)[1], Y.copy()).ratio < 0.1


def test_unbroadcast_sums_added_and_stretched_axes():
    """(12.4)."""
    g = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(unbroadcast(g, (3, 4)), g.sum(axis=0))
    np.testing.assert_array_equal(unbroadcast(g, (3, 1)), g.sum(axis=0).sum(axis=1, keepdims=True))
    np.testing.assert_array_equal(unbroadcast(g, (1, 1, 4)), g.sum(axis=(0, 1), keepdims=True))
    assert unbroadcast(g, ()).shape == () and unbroadcast(g, ()) == g.sum()
    np.testing.assert_array_equal(unbroadcast(g, g.shape), g)


def test_no_input_array_is_modified():
    rng = np.random.default_rng(5)
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    before = copy.deepcopy((x, y))
    X, Y = Tensor(x), Tensor(y)
    ((X @ Y).tanh().sum() + (X * 2).relu().mean()).backward()
    np.testing.assert_array_equal(x, before[0])
    np.testing.assert_array_equal(y, before[1])
    dout = rng.standard_normal((3, 4))
    kept = dout.copy()
    mul_backward(dout, x, rng.standard_normal((1, 4)))
    unbroadcast(dout, (1, 4))
    np.testing.assert_array_equal(dout, kept)


def test_saturating_functions_at_extreme_inputs_give_no_nan_and_no_warning():
    x = Tensor(np.array([[-1e4, -50.0, 0.0, 50.0, 1e4]]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = x.sigmoid().sum() + x.tanh().sum() + x.relu().sum()
        loss.backward()
    assert np.isfinite(x.grad).all()
    np.testing.assert_allclose(x.grad[0, [0, 4]], [0.0, 1.0], atol=1e-300)


# ---- reproducing the course's hand-written backward passes -------------------------------------------
def tensor_network_cost(X, Y, parameters, L, hidden, output):
    """The dense network of notebook 05 written with Tensors; the cost from the logits (6.1), (6.2)."""
    A = Tensor(X)
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        A = getattr(Z, hidden)() if l < L else Z
    m = X.shape[1]
    if output == "sigmoid":  # max(z, 0) - z y + log(1 + exp(-|z|)), |z| = relu(z) + relu(-z)
        return (Z.relu() - Z * Y + ((-(Z.relu() + (-Z).relu())).exp() + 1).log()).sum() / m
    shift = Z.data.max(axis=0, keepdims=True)  # a constant: logsumexp does not depend on it
    logsumexp = (Z - shift).exp().sum(axis=0, keepdims=True).log() + shift
    return ((logsumexp * Y.sum(axis=0, keepdims=True)).sum() - (Y * Z).sum()) / m


@pytest.mark.parametrize("hidden,output,depth,m", [("relu", "sigmoid", 3, 5), ("tanh", "softmax", 2, 1),
                                                    ("sigmoid", "sigmoid", 1, 4), ("relu", "softmax", 4, 7)])
def test_the_tensor_reproduces_backpropagation(hidden, output, depth, m):
    """Notebook 05's network: the autodiff's dW, db equal cu.backpropagation's (both exact)."""
    rng = np.random.default_rng(depth * 10 + m)
    parameters, X, Y = random_network(rng, depth, hidden, output, m)
    _, cache = cu.forward_propagation(X, parameters, hidden, output)
    grads = cu.backpropagation(cache, Y, parameters)
    leaves = {key: Tensor(value) for key, value in parameters.items()}
    cost = tensor_network_cost(X, Y, leaves, depth, hidden, output)
    cost.backward()
    assert float(cost.data) == pytest.approx(cu.cost_from_logits(cache[f"Z{depth}"], Y, output), rel=1e-12)
    for key, leaf in leaves.items():
        assert cu.relative_error(leaf.grad, grads["d" + key]) <= 1e-9, key


def shift_matrix(m, n_H, n_W, n_H_out, n_W_out, p, q, stride, pad):
    """0/1 matrix (m n_H_out n_W_out, m n_H n_W): row (i, h, w) picks input row (i, h S + p - pad, w S + q - pad)."""
    S = np.zeros((m * n_H_out * n_W_out, m * n_H * n_W))
    for i in range(m):
        for h in range(n_H_out):
            for w in range(n_W_out):
                r, c = h * stride + p - pad, w * stride + q - pad
                if 0 <= r < n_H and 0 <= c < n_W:  # outside: a padding zero, an all-zero row
                    S[(i * n_H_out + h) * n_W_out + w, (i * n_H + r) * n_W + c] = 1
    return S


def cnn_cost_tensor(images, Y, parameters):
    """cu.conv.DIGITS_CNN with Tensors: each layer's rearrangements are products with 0/1 matrices (12.8).

    Activations are (m n_H n_W) x n_C matrices, one row per example and position (conv.py's im2col rows).
    Returns (cost, leaves), leaves {"W1": Tensor of W1 reshaped to a matrix, ...}.
    """
    m, n_H, n_W, n_C = images.shape
    A = Tensor(images.reshape(m * n_H * n_W, n_C))
    leaves, l = {}, 0
    for layer in cu.conv.DIGITS_CNN:
        kind = layer["type"]
        if kind == "conv":
            l += 1
            f, s, pad, n_C_out = layer["f"], layer["stride"], layer["pad"], layer["n_C"]
            n_H2, n_W2 = (n_H + 2 * pad - f) // s + 1, (n_W + 2 * pad - f) // s + 1
            leaves[f"W{l}"] = Tensor(parameters[f"W{l}"].reshape(f * f * n_C, n_C_out))
            leaves[f"b{l}"] = Tensor(parameters[f"b{l}"].reshape(1, n_C_out))
            cols = 0
            for p in range(f):
                for q in range(f):
                    E = np.zeros((n_C, f * f * n_C))  # puts the n_C channels of offset (p, q) in place
                    E[:, (p * f + q) * n_C:(p * f + q + 1) * n_C] = np.eye(n_C)
                    cols = cols + (shift_matrix(m, n_H, n_W, n_H2, n_W2, p, q, s, pad) @ A) @ E  # im2col
            A = cols @ leaves[f"W{l}"] + leaves[f"b{l}"]
            n_H, n_W, n_C = n_H2, n_W2, n_C_out
        elif kind == "relu":
            A = A.relu()
        elif kind == "pool":
            f, s = layer["f"], layer["stride"]
            n_H2, n_W2 = (n_H - f) // s + 1, (n_W - f) // s + 1
            seen = [(shift_matrix(m, n_H, n_W, n_H2, n_W2, p, q, s, 0)) for p in range(f) for q in range(f)]
            values = np.stack([S @ A.data for S in seen])
            winner = np.zeros(values.shape, dtype=bool)  # one arg-max per window: the first in reading order
            np.put_along_axis(winner, values.argmax(axis=0)[None], True, axis=0)
            A = sum((S @ A) * w.astype(float) for S, w in zip(seen, winner, strict=True))
            n_H, n_W = n_H2, n_W2
        elif kind == "flatten":
            P = n_H * n_W
            flat = 0
            for position in range(P):  # row (i, position) of A becomes entries position n_C .. of example i
                R = np.zeros((m, m * P))
                R[np.arange(m), np.arange(m) * P + position] = 1
                F = np.zeros((n_C, P * n_C))
                F[:, position * n_C:(position + 1) * n_C] = np.eye(n_C)
                flat = flat + (R @ A) @ F
            A = flat.T  # (n_H n_W n_C) x m: the dense layers' layout
        else:
            l += 1
            leaves[f"W{l}"], leaves[f"b{l}"] = Tensor(parameters[f"W{l}"]), Tensor(parameters[f"b{l}"])
            A = leaves[f"W{l}"] @ A + leaves[f"b{l}"]
    shift = A.data.max(axis=0, keepdims=True)
    logsumexp = (A - shift).exp().sum(axis=0, keepdims=True).log() + shift
    return ((logsumexp - (A * Y).sum(axis=0, keepdims=True)).sum()) / m, leaves


def test_the_tensor_reproduces_the_cnn_of_notebook_10():
    """Notebook 10's CNN (conv, ReLU, conv, ReLU, max pool, flatten, dense): every dW and db of cnn_backward."""
    X, _, labels = cu.load_digits()
    images = X[:, :4].T.reshape(4, 8, 8, 1)
    Y = cu.one_hot(labels[:4], 10)
    parameters = cu.conv.initialize_cnn((8, 8, 1), seed=3)
    rng = np.random.default_rng(6)
    parameters = {k: v + (0.1 * rng.standard_normal(v.shape) if k[0] == "b" else 0) for k, v in parameters.items()}
    AL, cache = cu.conv.cnn_forward(images, parameters)
    grads = cu.conv.cnn_backward(AL, Y, parameters, cache)
    cost, leaves = cnn_cost_tensor(images, Y, parameters)
    cost.backward()
    assert float(cost.data) == pytest.approx(cu.conv.cnn_cost(cache, Y), rel=1e-12)
    for key, leaf in leaves.items():
        assert cu.relative_error(leaf.grad.reshape(parameters[key].shape), grads["d" + key]) <= 1e-9, key
