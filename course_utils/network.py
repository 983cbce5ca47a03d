"""A fully connected network: initialise, forward, backpropagate, update, predict.

Notation (Andrew Ng's, as in the course): examples are columns. X = A[0] is n_0 x m,
Z[l] and A[l] are n_l x m, W[l] is n_l x n_{l-1}, b[l] is n_l x 1, and the output A[L] is
called AL. Parameters live in a dictionary {"W1", "b1", ..., "WL", "bL"}; gradients in
{"dW1", "db1", ...}.

The 1/m rule: dZ[l] and dA[l] are gradients of the *summed* loss sum_i loss(i), so the output
layer's dZ[L] = AL - Y holds literally; the single 1/m of J = (1/m) sum_i loss(i) is applied in
dW[l] and db[l], which are the true gradients of J.
"""

import numpy as np

from ._validation import (
    HIDDEN_ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    as_matrix,
    check_name,
    check_parameters,
    check_positive_number,
)
from .activations import _activation_backward, _activation_forward
from .layers import _linear_backward, _linear_forward
from .losses import _cost_from_logits, check_labels, output_layer_dZ
from .regularisation import (
    PENALTIES,
    _dropout_backward,
    _dropout_forward,
    _penalty_cost,
    _penalty_gradient,
    check_keep_prob,
    check_lambd,
)

INITIALISATIONS = ("he", "xavier", "small")


def initialize_parameters(layer_dims, init="he", seed=0, dtype=np.float64):
    """Random weights and zero biases for a network with the given layer sizes. Equation (3.6).

    layer_dims: [n_0, n_1, ..., n_L], the input size then each layer's number of units.
    init: "he"     -> W[l] ~ N(0, 2 / n_{l-1})              (for ReLU layers)
          "xavier" -> W[l] ~ N(0, 2 / (n_{l-1} + n_l))      (Glorot; for tanh/sigmoid layers)
          "small"  -> W[l] ~ N(0, 0.01^2)                   (the classic, too small for depth)
    seed: seeds numpy's default_rng, so the same call always returns the same numbers.
    Returns {"W1": n_1 x n_0, "b1": n_1 x 1, ..., "WL", "bL"}.
    """
    check_name(init, "init", INITIALISATIONS)
    if not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2:
        raise ValueError(f"layer_dims must be a list [n_0, n_1, ..., n_L] of at least 2 sizes, got {layer_dims!r}")
    for position, n in enumerate(layer_dims):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"layer_dims[{position}] must be a positive integer, got {n!r}")
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        if init == "he":
            scale = np.sqrt(2 / n_prev)
        elif init == "xavier":
            scale = np.sqrt(2 / (n_prev + n))
        else:
            scale = 0.01
        parameters[f"W{l}"] = (rng.standard_normal((n, n_prev)) * scale).astype(dtype)
        parameters[f"b{l}"] = np.zeros((n, 1), dtype=dtype)
    return parameters


def _forward(X, parameters, L, hidden_activation, output_activation, keep_prob=1.0, rng=None):
    """Forward pass without input checks (the public functions check first).

    A loop over the layer pairs: linear (3.1), activation (3.2), and on hidden layers inverted
    dropout (8.6) when keep_prob < 1 (rng draws the masks).
    """
    cache = {"A0": X, "hidden_activation": hidden_activation, "output_activation": output_activation,
             "keep_prob": keep_prob}
    A = X
    for l in range(1, L + 1):
        Z = _linear_forward(A, parameters[f"W{l}"], parameters[f"b{l}"])  # (3.1)
        A = _activation_forward(Z, hidden_activation if l < L else output_activation)  # (3.2)
        if l < L and keep_prob < 1:
            A, cache[f"D{l}"] = _dropout_forward(A, keep_prob, rng)  # (8.6)
        cache[f"Z{l}"] = Z
        cache[f"A{l}"] = A
    return A, cache


def forward_propagation(X, parameters, hidden_activation="relu", output_activation="sigmoid",
                        keep_prob=1.0, seed=0):
    """Run X through every layer: Z[l] = W[l].A[l-1] + b[l] (3.1), A[l] = g(Z[l]) (3.2).

    X: n_0 x m. parameters: {"W1", "b1", ..., "WL", "bL"}.
    hidden_activation: "relu", "tanh", "sigmoid" or "identity" (layers 1 .. L-1).
    output_activation: one of those or "softmax" (layer L).
    keep_prob: in (0, 1]; below 1, inverted dropout (8.6) is applied to every hidden layer's A,
    with masks drawn from ``np.random.default_rng(seed)`` (the same seed gives the same masks).
    The output layer is never dropped.
    Returns (AL, cache). AL is n_L x m. cache holds "A0" = X, and "Z{l}", "A{l}" for every layer
    (n_l x m each; A{l} after dropout), the masks "D{l}" of the hidden layers when keep_prob < 1,
    keep_prob and the two activation names: what ``backpropagation`` needs.
    """
    if hidden_activation == "softmax":
        raise ValueError("hidden_activation 'softmax' is not allowed: softmax belongs to the output layer "
                         f"(output_activation); expected one of {HIDDEN_ACTIVATIONS}")
    check_name(hidden_activation, "hidden_activation", HIDDEN_ACTIVATIONS)
    check_name(output_activation, "output_activation", OUTPUT_ACTIVATIONS)
    keep_prob = check_keep_prob(keep_prob)
    L = check_parameters(parameters)
    X = as_matrix(X, "X", rows=parameters["W1"].shape[1])
    if output_activation == "softmax" and parameters[f"W{L}"].shape[0] < 2:
        raise ValueError(f"softmax output needs at least 2 units, but W{L} has shape {parameters[f'W{L}'].shape}")
    rng = np.random.default_rng(seed) if keep_prob < 1 else None
    return _forward(X, parameters, L, hidden_activation, output_activation, keep_prob, rng)


def _backward(cache, Y, parameters, L, lambd=0.0, penalty="l2"):
    """Backward pass without input checks (the public function checks first).

    A loop over the layer pairs in reverse: the output layer's dZ (5.5), then for each layer the
    linear step's gradients (5.2)-(5.4) and, below a hidden layer, dropout's (8.7) and the
    activation's (5.1). With lambd > 0 the penalty's gradient (8.3)/(8.5) is added to each dW.
    """
    hidden_activation, output_activation = cache["hidden_activation"], cache["output_activation"]
    keep_prob = cache.get("keep_prob", 1.0)
    m = Y.shape[1]
    grads = {}
    dZ = output_layer_dZ(cache[f"A{L}"], cache[f"Z{L}"], Y, output_activation)  # (5.5)
    for l in range(L, 0, -1):
        W = parameters[f"W{l}"]
        grads[f"dZ{l}"] = dZ
        dA_prev, dW, db = _linear_backward(dZ, cache[f"A{l - 1}"], W, need_dA_prev=l > 1)  # (5.2)-(5.4)
        if lambd > 0:
            dW = dW + _penalty_gradient(W, lambd, m, penalty)  # (8.3) / (8.5)
        grads[f"dW{l}"], grads[f"db{l}"] = dW, db
        if l > 1:  # dA[0] is never needed: it was skipped
            grads[f"dA{l - 1}"] = dA_prev
            if f"D{l - 1}" in cache:
                dA_prev = _dropout_backward(dA_prev, cache[f"D{l - 1}"], keep_prob)  # (8.7)
            dZ = _activation_backward(dA_prev, cache[f"Z{l - 1}"], hidden_activation)  # (5.1)
    return grads


def _check_cache(cache, L):
    if not isinstance(cache, dict):
        raise TypeError(f"cache must be the dict returned by forward_propagation, got {type(cache).__name__}")
    needed = ["hidden_activation", "output_activation", "A0"] + [f"{k}{l}" for l in range(1, L + 1) for k in "ZA"]
    missing = [key for key in needed if key not in cache]
    if missing:
        raise ValueError(
            f"cache is missing {missing}; pass the cache that forward_propagation returned "
            f"for these {L}-layer parameters"
        )
    if not (isinstance(cache["hidden_activation"], str) and isinstance(cache["output_activation"], str)):
        raise TypeError("cache['hidden_activation'] and cache['output_activation'] must be activation names")
    check_name(cache["hidden_activation"], "cache['hidden_activation']", HIDDEN_ACTIVATIONS)
    check_name(cache["output_activation"], "cache['output_activation']", OUTPUT_ACTIVATIONS)
    keep_prob = check_keep_prob(cache.get("keep_prob", 1.0))
    masks = [f"D{l}" for l in range(1, L)]
    if keep_prob < 1 and any(key not in cache for key in masks):
        raise ValueError(f"cache has keep_prob {keep_prob} but not every dropout mask {masks}; "
                         "pass the cache that forward_propagation returned")


def _network_cost(cache, Y, parameters, L, lambd=0.0, penalty="l2"):
    """J from the output layer's logits Z[L] (6.1)/(6.2), exact and finite, plus the penalty (8.2)/(8.4).

    Without input checks. This, not the clipped ``compute_cost(AL, ...)``, is the cost that the
    training loop records and the gradient checker differentiates: clipping flattens the cost of a
    saturated output, while its true gradient AL - Y does not vanish.
    """
    cost = _cost_from_logits(cache[f"Z{L}"], Y, cache["output_activation"])
    return cost + _penalty_cost(parameters, lambd, Y.shape[1], penalty)


def backpropagation(cache, Y, parameters, lambd=0.0, penalty="l2"):
    """Gradients of the cost with respect to every parameter, one layer at a time, backwards.

    cache: from ``forward_propagation`` (it records the activations, keep_prob and the dropout
    masks used). Y: n_L x m labels (one-hot columns for softmax). parameters: the same dict the
    forward pass used. lambd, penalty: the weight penalty of ``compute_cost``; with lambd > 0,
    (lambd / m) W[l] ("l2", (8.3)) or (lambd / m) sign(W[l]) ("l1", (8.5)) is added to dW[l].

    Returns grads with, for every layer l:
        "dW{l}"  n_l x n_{l-1}   dJ/dW[l] = (1/m) dZ[l] . A[l-1]^T           (5.2)
        "db{l}"  n_l x 1         dJ/db[l] = (1/m) sum of dZ[l]'s columns     (5.3)
        "dZ{l}"  n_l x m         gradient of the summed loss w.r.t. Z[l]     (5.1), (5.5)
        "dA{l}"  n_l x m         (l = 1 .. L-1) gradient of the summed loss   (5.4)
                                 with respect to A[l] (after dropout, if any)
    dZ and dA follow the 1/m rule: each is m times the gradient of J (5.7).

    Only the parameters' keys and shapes are checked here: their values were checked by the
    forward pass (a NaN slipped in since then shows up in grads, which ``update_parameters`` checks).
    """
    L = check_parameters(parameters, finite=False)
    _check_cache(cache, L)
    AL = cache[f"A{L}"]
    Y = as_matrix(Y, "Y")
    if Y.shape != AL.shape:
        raise ValueError(f"Y has shape {Y.shape} but the network's output AL has shape {AL.shape}; they must match")
    for l in range(1, L + 1):
        expected = (parameters[f"W{l}"].shape[0], AL.shape[1])
        for key in (f"Z{l}", f"A{l}"):
            if np.shape(cache[key]) != expected:
                raise ValueError(
                    f"cache['{key}'] has shape {np.shape(cache[key])} but parameters give {expected}; "
                    "was the cache made with these parameters?"
                )
    check_labels(Y, cache["output_activation"])
    lambd = check_lambd(lambd)
    check_name(penalty, "penalty", PENALTIES)
    return _backward(cache, Y, parameters, L, lambd, penalty)


def check_gradients_dict(grads, parameters, name="grads"):
    """Check that ``grads`` has finite "dW{l}" and "db{l}" shaped like parameters' W and b; return L.

    Only the keys and shapes of ``parameters`` are checked: their values were checked by the
    forward pass that led to these gradients.
    """
    L = check_parameters(parameters, finite=False)
    if not isinstance(grads, dict):
        raise TypeError(f"{name} must be a dict like {{'dW1': ..., 'db1': ...}}, got {type(grads).__name__}")
    for l in range(1, L + 1):
        for kind in ("W", "b"):
            key = f"d{kind}{l}"
            if key not in grads:
                raise ValueError(f"{name} is missing {key!r} (parameters have {L} layers)")
            shape = parameters[f"{kind}{l}"].shape
            as_matrix(grads[key], f"{name}['{key}']", rows=shape[0], cols=shape[1])
    return L


def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent: W[l] <- W[l] - alpha dW[l], b[l] <- b[l] - alpha db[l]. (2.6)

    parameters: {"W1", "b1", ...}. grads: {"dW1", "db1", ...} of the same shapes.
    learning_rate: alpha, a finite number > 0.
    Returns a *new* dictionary; the arrays passed in are left untouched.
    """
    alpha = check_positive_number(learning_rate, "learning_rate")
    L = check_gradients_dict(grads, parameters)
    return _update(parameters, grads, alpha, L)


def _update(parameters, grads, alpha, L):
    new = {}
    for l in range(1, L + 1):
        new[f"W{l}"] = parameters[f"W{l}"] - alpha * grads[f"dW{l}"]
        new[f"b{l}"] = parameters[f"b{l}"] - alpha * grads[f"db{l}"]
    return new


def predict(X, parameters, hidden_activation="relu", output_activation="sigmoid", threshold=0.5):
    """The network's decision for each column of X.

    sigmoid output: 1 where AL > threshold else 0 (n_L x m, ints); with the default threshold 1/2
        this is logistic regression's decision rule y_hat > 1/2, equation (1.4).
    softmax output: the index of the largest probability in each column (shape (m,), ints).
    other outputs: AL itself (regression), n_L x m.
    """
    AL, _ = forward_propagation(X, parameters, hidden_activation, output_activation)
    if output_activation == "sigmoid":
        return (AL > threshold).astype(int)
    if output_activation == "softmax":
        return AL.argmax(axis=0)
    return AL
