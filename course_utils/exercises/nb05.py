"""Notebook 05's exercises: the four equations of backpropagation and the assembled backward pass."""

import numpy as np

from ..activations import ACTIVATIONS, _activation_backward, _activation_forward, activation_backward, softmax
from ..datasets import one_hot
from ..layers import _linear_backward, linear_backward
from ..losses import output_layer_dZ
from ..network import _backward, backpropagation, forward_propagation, initialize_parameters
from ._core import Exercise, Mistake, register
from ._random import away_from_zero, layer_sizes


# (5.1) dZ = dA * g'(Z) --------------------------------------------------------------------------
def _activation_cases(rng):
    cases = []
    for i, activation in enumerate(["relu", "tanh", "sigmoid"] * 3):
        n, m = int(rng.integers(2, 6)), 1 if i == 0 else int(rng.integers(2, 7))
        cases.append((rng.standard_normal((n, m)), 2 * away_from_zero(rng, (n, m)), activation))
    return cases


register(Exercise(
    name="activation_backward",
    equation="(5.1)",
    reference=activation_backward,
    cases=_activation_cases,
    outputs=("dZ",),
    argument_names=("dA", "Z", "activation"),
    mistakes=(
        Mistake("g_instead_of_g_prime", lambda dA, Z, activation: dA * ACTIVATIONS[activation][0](Z),
                "you multiplied dA by g(Z); (5.1) needs the derivative g'(Z): for ReLU 1 where Z > 0, for tanh "
                "1 - tanh(Z)^2, for the sigmoid sigma(Z)(1 - sigma(Z))."),
        Mistake("missing_upstream_gradient", lambda dA, Z, activation: ACTIVATIONS[activation][1](Z),
                "you returned g'(Z) alone; the chain rule (5.1) multiplies it by the gradient arriving from "
                "above: dZ = dA * g'(Z)."),
    ),
    hint="dZ = dA * g'(Z), element by element; dZ has Z's shape.",
))


# (5.2)-(5.4) the linear step's gradients -------------------------------------------------------
def _linear_backward_cases(rng):
    cases = []
    for n_prev, n, m in layer_sizes(rng):
        A_prev, W, b = rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1))
        cases.append((rng.standard_normal((n, m)), (A_prev, W, b)))
    return cases


def _linear_backward_with(dA_prev=None, dW=None, db=None):
    """linear_backward with one of its three lines replaced by a slip."""
    def wrong(dZ, linear_cache):
        A_prev, W, _ = linear_cache
        right = _linear_backward(dZ, A_prev, W)
        m = A_prev.shape[1]
        return (dA_prev(dZ, W, m) if dA_prev else right[0],
                dW(dZ, A_prev, m) if dW else right[1],
                db(dZ, m) if db else right[2])
    return wrong


register(Exercise(
    name="linear_backward",
    equation="(5.2)-(5.4)",
    reference=linear_backward,
    cases=_linear_backward_cases,
    outputs=("dA_prev", "dW", "db"),
    argument_names=("dZ", "linear_cache"),
    mistakes=(
        Mistake("missing_1_over_m", _linear_backward_with(dW=lambda dZ, A_prev, m: dZ @ A_prev.T,
                                                          db=lambda dZ, m: dZ.sum(axis=1, keepdims=True)),
                "dW and db are m times too large: the 1/m of (5.2) and (5.3) is missing (dZ is the gradient of "
                "the *summed* loss; J is the mean)."),
        Mistake("extra_1_over_m", _linear_backward_with(dA_prev=lambda dZ, W, m: W.T @ dZ / m),
                "dA_prev is m times too small: (5.4) has no 1/m. dA_prev, like dZ, is a gradient of the summed "
                "loss; only dW and db carry the 1/m (the 1/m rule)."),
        Mistake("missing_transpose", _linear_backward_with(dA_prev=lambda dZ, W, m: W @ dZ),
                "dA_prev needs W transposed: (5.4) is W^T . dZ, which takes dZ's n_l rows back to A_prev's "
                "n_{l-1} rows (W . dZ does not even fit unless the layer is square)."),
        Mistake("dW_transposed", _linear_backward_with(dW=lambda dZ, A_prev, m: (A_prev @ dZ.T) / m),
                "dW is transposed: (5.2) is dZ . A_prev^T, which has W's shape n_l x n_{l-1}."),
        Mistake("lost_keepdims", _linear_backward_with(db=lambda dZ, m: dZ.sum(axis=1) / m),
                "db has shape (n_l,) instead of (n_l, 1): keep the column with dZ.sum(axis=1, keepdims=True) (5.3)."),
        Mistake("wrong_axis", _linear_backward_with(db=lambda dZ, m: dZ.sum(axis=0, keepdims=True) / m),
                "db was summed over the units (axis 0) instead of the examples: (5.3) sums each row of dZ over "
                "its m columns, dZ.sum(axis=1, keepdims=True)."),
    ),
    hint="dW = dZ @ A_prev.T / m (5.2), db = dZ.sum(axis=1, keepdims=True) / m (5.3), dA_prev = W.T @ dZ (5.4).",
))


# (5.5) the output layer's dZ ---------------------------------------------------------------------
def _output_cases(rng):
    cases = []
    for i, output in enumerate(["identity", "sigmoid", "softmax", "tanh"] * 2 + ["tanh"]):
        n = 3 if output == "softmax" else int(rng.integers(1, 4))
        m = 1 if i == 0 else int(rng.integers(2, 7))
        ZL = rng.standard_normal((n, m))
        if output == "sigmoid":
            Y = (rng.random((n, m)) < 0.5).astype(float)
        elif output == "softmax":
            Y = one_hot(rng.integers(0, n, m), n)
        else:
            Y = 0.5 * rng.standard_normal((n, m))
        cases.append((_activation_forward(ZL, output), ZL, Y, output))
    return cases


def _g_prime_twice(AL, ZL, Y, output_activation):
    """(5.1) applied with dA = A - Y to every pair, also where the loss already cancelled g'."""
    if output_activation == "softmax":
        return (AL - Y) * softmax(ZL) * (1 - softmax(ZL))
    return (AL - Y) * ACTIVATIONS[output_activation][1](ZL)


register(Exercise(
    name="output_layer_dZ",
    equation="(5.5)",
    reference=output_layer_dZ,
    cases=_output_cases,
    outputs=("dZ",),
    argument_names=("AL", "ZL", "Y", "output_activation"),
    mistakes=(
        Mistake("shortcut_without_g_prime", lambda AL, ZL, Y, output_activation: AL - Y,
                "dZ = A - Y holds only where loss and activation cancel (identity, sigmoid, softmax with their "
                "losses); for a tanh output with half squared error use (5.1): dZ = (A - Y) * (1 - A^2)."),
        Mistake("extra_1_over_m", lambda AL, ZL, Y, output_activation: output_layer_dZ(AL, ZL, Y, output_activation)
                / Y.shape[1],
                "dZ is m times too small: in this course dZ is the gradient of the summed loss, A - Y with no 1/m "
                "(5.5); the single 1/m goes into dW and db (the 1/m rule, (5.7))."),
        Mistake("g_prime_twice", _g_prime_twice,
                "for sigmoid and softmax with cross-entropy the loss's derivative already divides by g'(Z), so "
                "the chain rule collapses to A - Y (5.5); multiplying by g'(Z) again counts the slope twice."),
    ),
    hint="identity, sigmoid, softmax: dZ = AL - Y (5.5). tanh (half squared error): "
         "dZ = (AL - Y) * (1 - AL**2), (5.1).",
))


# the assembled backward pass ----------------------------------------------------------------------
def _backprop_cases(rng):
    cases = []
    for i in range(8):
        hidden = ["relu", "tanh", "sigmoid"][i % 3]
        dims = [int(rng.integers(2, 5))] + [int(v) for v in rng.integers(2, 6, int(rng.integers(1, 3)))] + [1]
        parameters = initialize_parameters(dims, init="xavier", seed=int(rng.integers(1 << 30)))
        parameters = {k: v + (0.3 * rng.standard_normal(v.shape) if k[0] == "b" else 0) for k, v in parameters.items()}
        m = 1 if i == 0 else int(rng.integers(2, 8))
        X = rng.standard_normal((dims[0], m))
        _, cache = forward_propagation(X, parameters, hidden, "sigmoid")
        Y = rng.integers(0, 2, (1, m)).astype(float)
        cases.append((cache, Y, parameters))
    return cases


def _parameter_gradients(grads):
    return [key for key in grads if key[:2] in ("dW", "db")]


def _backprop_without_one_over_m(cache, Y, parameters):
    L = sum(1 for key in parameters if key[0] == "W")
    m = Y.shape[1]
    return {key: (value * m if key[:2] in ("dW", "db") else value)
            for key, value in _backward(cache, Y, parameters, L).items()}


def _backprop_derivative_at_layer_L(cache, Y, parameters):
    """The source post's slip: g'(Z[L]) in every layer's activation step, instead of g'(Z[l])."""
    L = sum(1 for key in parameters if key[0] == "W")
    grads = {}
    dZ = cache[f"A{L}"] - Y
    for l in range(L, 0, -1):
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = _linear_backward(dZ, cache[f"A{l - 1}"], parameters[f"W{l}"])
        if l > 1:
            dZ = _activation_backward(dA_prev, np.broadcast_to(cache[f"Z{L}"], dA_prev.shape),
                                      cache["hidden_activation"])
    return grads


register(Exercise(
    name="backpropagation",
    equation="(5.1)-(5.5)",
    reference=backpropagation,
    cases=_backprop_cases,
    outputs=("grads",),
    keys=_parameter_gradients,
    argument_names=("cache", "Y", "parameters"),
    mistakes=(
        Mistake("missing_1_over_m", _backprop_without_one_over_m,
                "every dW and db is m times too large: the 1/m of (5.2) and (5.3) is missing."),
        Mistake("derivative_at_wrong_layer", _backprop_derivative_at_layer_L,
                "the activation step of layer l uses g'(Z[L]); (5.1) needs g'(Z[l]), the derivative at that "
                "layer's own pre-activation (the slip of the source post)."),
    ),
    hint="Start from dZ[L] = AL - Y (5.5); then for l = L..1: dW, db from (5.2), (5.3); dA[l-1] = W[l]^T dZ[l] "
         "(5.4); dZ[l-1] = dA[l-1] * g'(Z[l-1]) (5.1).",
))
