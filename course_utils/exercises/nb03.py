"""Notebook 03's exercises: a layer's linear step (3.1), the forward pass with its cache (3.1)-(3.2),
and He initialisation (3.6)."""

import numpy as np

from ..activations import _activation_forward
from ..layers import linear_forward
from ..network import forward_propagation
from ._core import Exercise, Mistake, register
from ._random import layer_sizes


# (3.1) the linear step of one layer ------------------------------------------------------------
def _linear_forward_cases(rng):
    return [(rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1)))
            for n_prev, n, m in layer_sizes(rng)]


register(Exercise(
    name="linear_forward",
    equation="(3.1)",
    reference=linear_forward,
    cases=_linear_forward_cases,
    outputs=("Z", None),
    argument_names=("A_prev", "W", "b"),
    mistakes=(
        Mistake("bias_dropped", lambda A_prev, W, b: (W @ A_prev, (A_prev, W, b)),
                "Z is missing the bias: (3.1) is Z = W . A_prev + b, with b (n_l x 1) added to every column."),
    ),
    hint="Z = W @ A_prev + b (3.1): W is n_l x n_{l-1}, A_prev is n_{l-1} x m, so Z is n_l x m; "
         "return (Z, (A_prev, W, b)).",
))


# (3.1)-(3.2) the forward pass through every layer, with its cache ------------------------------
def _forward_cases(rng):
    cases = []
    combos = [("relu", "sigmoid"), ("tanh", "identity"), ("sigmoid", "sigmoid"), ("relu", "identity"),
              ("tanh", "sigmoid"), ("relu", "sigmoid"), ("sigmoid", "identity")]
    for i, (hidden, output) in enumerate(combos):
        depth = 2 + i % 2  # 2 or 3 layers: at least one hidden layer
        dims = [int(rng.integers(2, 5))] + [int(v) for v in rng.integers(2, 6, depth - 1)] + [int(rng.integers(1, 3))]
        parameters = {}
        for l in range(1, depth + 1):
            parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
            parameters[f"b{l}"] = 0.5 + rng.standard_normal((dims[l], 1))  # non-zero biases: a dropped bias shows
        m = 1 if i == 0 else int(rng.integers(2, 7))
        cases.append((rng.standard_normal((dims[0], m)), parameters, hidden, output))
    return cases


def _forward_with(hidden_bias=True, hidden_uses_output=False, output_uses_hidden=False):
    """forward_propagation with one classic slip: the loop of (3.1), (3.2) written slightly wrong."""
    def wrong(X, parameters, hidden_activation, output_activation):
        L = sum(1 for key in parameters if key[0] == "W")
        cache, A = {"A0": X}, X
        for l in range(1, L + 1):
            Z = parameters[f"W{l}"] @ A
            if l == L or hidden_bias:
                Z = Z + parameters[f"b{l}"]
            if l < L:
                A = _activation_forward(Z, output_activation if hidden_uses_output else hidden_activation)
            else:
                A = _activation_forward(Z, hidden_activation if output_uses_hidden else output_activation)
            cache[f"Z{l}"], cache[f"A{l}"] = Z, A
        return A, cache
    return wrong


def _layer_arrays(cache):
    """The cache entries the exercise compares: A0 = X and every Z{l}, A{l}."""
    return [key for key in cache if key[0] in "AZ" and key[1:].isdigit()]


register(Exercise(
    name="forward_propagation",
    equation="(3.1)-(3.2)",
    reference=forward_propagation,
    cases=_forward_cases,
    outputs=("AL", "cache"),
    keys=_layer_arrays,
    argument_names=("X", "parameters", "hidden_activation", "output_activation"),
    mistakes=(
        Mistake("bias_dropped", _forward_with(hidden_bias=False),
                "the hidden layers lost their bias: every layer's Z[l] = W[l] . A[l-1] + b[l] (3.1), not only the "
                "last one's (the slip of the original series)."),
        Mistake("output_activation_in_hidden_layers", _forward_with(hidden_uses_output=True),
                "the hidden layers used the output activation: A[l] = g(Z[l]) (3.2) takes hidden_activation for "
                "l < L and output_activation only for the last layer L."),
        Mistake("hidden_activation_at_output", _forward_with(output_uses_hidden=True),
                "the last layer used the hidden activation: A[L] = g(Z[L]) (3.2) takes output_activation "
                "(a sigmoid for a probability, the identity for a number)."),
    ),
    hint="A = X; for l = 1..L: Z = W[l] @ A + b[l] (3.1), A = g(Z) (3.2) with the hidden activation for l < L and "
         "the output one for l = L; store cache['Z{l}'] and cache['A{l}'] (and cache['A0'] = X). "
         "Return (A, cache).",
))


# (3.6) He initialisation: scale standard normal draws ---------------------------------------------
def _he_cases(rng):
    cases = []
    for i in range(7):
        depth = 1 + i % 3
        dims = [int(rng.integers(2, 7))]
        while len(dims) < depth + 1:
            n = int(rng.integers(2, 9))
            if n != dims[-1]:  # never square: fan-in and fan-out differ
                dims.append(n)
        cases.append(([rng.standard_normal((dims[l], dims[l - 1])) for l in range(1, depth + 1)],))
    return cases


def he_initialize(normals):
    """He initialisation (3.6) from given standard normal draws: W[l] = normals[l-1] * sqrt(2 / n_{l-1}), b[l] = 0.

    normals: a list of L arrays, normals[l-1] of shape n_l x n_{l-1} with N(0, 1) entries. Returns
    {"W1", "b1", ..., "WL", "bL"}. With normals drawn by ``rng.standard_normal((n_l, n_{l-1}))``
    layer after layer, this is exactly ``initialize_parameters(layer_dims, "he", seed)`` for
    rng = np.random.default_rng(seed).
    """
    parameters = {}
    for l, N in enumerate(normals, start=1):
        n, n_prev = N.shape
        parameters[f"W{l}"] = N * np.sqrt(2 / n_prev)
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def _he_with(scale):
    def wrong(normals):
        parameters = {}
        for l, N in enumerate(normals, start=1):
            n, n_prev = N.shape
            parameters[f"W{l}"] = N * scale(n_prev, n)
            parameters[f"b{l}"] = np.zeros((n, 1))
        return parameters
    return wrong


register(Exercise(
    name="he_initialize",
    equation="(3.6)",
    reference=he_initialize,
    cases=_he_cases,
    outputs=("parameters",),
    argument_names=("normals",),
    mistakes=(
        Mistake("variance_instead_of_std", _he_with(lambda n_prev, n: 2 / n_prev),
                "you multiplied by the variance 2 / n_{l-1}; multiply N(0, 1) draws by the standard deviation, "
                "sqrt(2 / n_{l-1}), to get Var W = 2 / n_{l-1} (3.6)."),
        Mistake("fan_out_instead_of_fan_in", _he_with(lambda n_prev, n: np.sqrt(2 / n)),
                "you divided by n_l, the layer's own width; He's variance 2 / n_{l-1} (3.6) counts the n_{l-1} "
                "inputs each unit sums over (W[l] has shape n_l x n_{l-1}, so n_{l-1} is its number of columns)."),
        Mistake("xavier_instead_of_he", _he_with(lambda n_prev, n: np.sqrt(2 / (n_prev + n))),
                "this is Xavier's scale, sqrt(2 / (n_{l-1} + n_l)); He's (3.6) for ReLU layers is sqrt(2 / n_{l-1})."),
    ),
    hint="For each N in normals: n_l, n_prev = N.shape; W = N * sqrt(2 / n_prev); b = zeros (n_l x 1) (3.6).",
))
