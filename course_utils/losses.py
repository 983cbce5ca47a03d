"""Cost functions J and the output layer's gradient.

J is always the *mean* of the per-example losses: J = (1/m) sum_i loss(i).

Each output activation has its natural loss:
    "sigmoid"  -> binary cross-entropy         (2.2)
    "softmax"  -> categorical cross-entropy    (6.2)
    "identity" -> half mean squared error      (2.1)
    "relu", "tanh" -> half mean squared error as well (a regression output squashed by g)
"""

import numpy as np

from ._validation import OUTPUT_ACTIVATIONS, as_matrix, check_name, check_parameters
from .activations import ACTIVATIONS, _activation_backward
from .regularisation import PENALTIES, _penalty_cost, check_lambd

# Output activation -> the loss that pairs with it.
LOSS_OF_OUTPUT = {
    "sigmoid": "binary cross-entropy",
    "softmax": "categorical cross-entropy",
    "identity": "half mean squared error",
    "relu": "half mean squared error",
    "tanh": "half mean squared error",
}

# For these pairs dJ_sum/dZ[L] simplifies to AL - Y (5.5).
CANONICAL_PAIRS = ("sigmoid", "softmax", "identity")


def check_labels(Y, output_activation, name="Y"):
    """Raise ``ValueError`` if the labels ``Y`` lie outside the loss's domain.

    sigmoid: every entry in [0, 1]. softmax: every column is a probability vector (entries in
    [0, 1] summing to 1, e.g. one-hot). Regression outputs accept any finite value.
    """
    if output_activation in ("sigmoid", "softmax"):
        low, high = Y.min(), Y.max()
        if low < 0 or high > 1:
            raise ValueError(
                f"{name} must lie in [0, 1] for {LOSS_OF_OUTPUT[output_activation]} "
                f"(output_activation={output_activation!r}), got values from {low} to {high}"
            )
    if output_activation == "softmax":
        sums = Y.sum(axis=0)
        worst = int(np.argmax(np.abs(sums - 1)))
        if abs(sums[worst] - 1) > 1e-6:
            raise ValueError(
                f"each column of {name} must sum to 1 (one-hot labels) for softmax, "
                f"but column {worst} sums to {sums[worst]:.6g}"
            )


def _validated(AL, Y, output_activation, AL_name="AL"):
    check_name(output_activation, "output_activation", OUTPUT_ACTIVATIONS)
    AL = as_matrix(AL, AL_name)
    Y = as_matrix(Y, "Y")
    if Y.shape != AL.shape:
        raise ValueError(f"Y has shape {Y.shape} but {AL_name} has shape {AL.shape}; they must match (n_L x m)")
    if output_activation == "softmax" and AL.shape[0] < 2:
        raise ValueError(f"softmax needs at least 2 output rows (classes), {AL_name} has shape {AL.shape}")
    check_labels(Y, output_activation)
    return AL, Y


def binary_cross_entropy(AL, Y):
    """J = -(1/m) sum [y log a + (1 - y) log(1 - a)]. Equation (2.2).

    AL, Y: 1 x m (or n x m for n independent labels). Probabilities are kept inside
    [eps, 1 - eps] (eps = machine epsilon of the dtype), so AL of exactly 0 or 1 gives a large
    but finite cost. Returns a float.
    """
    eps = np.finfo(AL.dtype).eps
    A = np.clip(AL, eps, 1 - eps)
    m = AL.shape[1]
    return float(-(Y * np.log(A) + (1 - Y) * np.log(1 - A)).sum() / m)


def categorical_cross_entropy(AL, Y):
    """J = -(1/m) sum_i sum_k y_k log a_k. Equation (6.2).

    AL, Y: n_classes x m; columns of Y one-hot. Probabilities below machine epsilon are raised to
    it, so a zero probability gives a large but finite cost. Returns a float.
    """
    eps = np.finfo(AL.dtype).eps
    m = AL.shape[1]
    return float(-(Y * np.log(np.maximum(AL, eps))).sum() / m)


def half_mean_squared_error(AL, Y):
    """J = (1/m) sum_i (1/2) ||a(i) - y(i)||^2. Equation (2.1). AL, Y: n_L x m. Returns a float.

    The squared errors are summed over the n_L outputs of an example and averaged over the m
    examples (the mean is over examples only, as for every cost in the course).
    """
    m = AL.shape[1]
    D = AL - Y
    return float((D * D).sum() / (2 * m))


def _cost(AL, Y, output_activation):
    if output_activation == "sigmoid":
        return binary_cross_entropy(AL, Y)
    if output_activation == "softmax":
        return categorical_cross_entropy(AL, Y)
    return half_mean_squared_error(AL, Y)


def compute_cost(AL, Y, output_activation="sigmoid", parameters=None, lambd=0.0, penalty="l2"):
    """The cost J of the network's output AL against the labels Y (mean over the m examples).

    AL, Y: n_L x m. output_activation picks the loss (see the module docstring): sigmoid ->
    binary cross-entropy (2.2), softmax -> categorical cross-entropy (6.2), identity/relu/tanh
    -> half mean squared error (2.1).
    parameters, lambd, penalty: with lambd > 0, the weight penalty of ``parameters`` is added:
    (lambd / 2m) sum ||W[l]||^2 for penalty "l2" (8.2), (lambd / m) sum |W[l]| for "l1" (8.4).
    Probabilities are clipped to [eps, 1 - eps] here, so a saturated AL gives a capped cost; the
    exact cost comes from the logits (``cost_from_logits``), which training and gradient checks use.
    Returns a Python float.
    """
    AL, Y = _validated(AL, Y, output_activation)
    lambd = check_lambd(lambd)
    check_name(penalty, "penalty", PENALTIES)
    if lambd > 0 and parameters is None:
        raise ValueError(f"lambd is {lambd} but no parameters were given; pass parameters= to penalise their weights")
    if parameters is not None:
        check_parameters(parameters)
    return _cost(AL, Y, output_activation) + _penalty_cost(parameters, lambd, AL.shape[1], penalty)


def _cost_from_logits(ZL, Y, output_activation):
    """(6.1), (6.2) without input checks; see ``cost_from_logits``."""
    m = ZL.shape[1]
    if output_activation == "sigmoid":
        losses = np.maximum(ZL, 0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL)))  # (6.1)
        return float(losses.sum() / m)
    if output_activation == "softmax":
        Zmax = ZL.max(axis=0, keepdims=True)
        logsumexp = Zmax + np.log(np.exp(ZL - Zmax).sum(axis=0, keepdims=True))
        return float(((logsumexp * Y.sum(axis=0, keepdims=True)).sum() - (Y * ZL).sum()) / m)  # (6.2)
    return half_mean_squared_error(ACTIVATIONS[output_activation][0](ZL), Y)


def cost_from_logits(ZL, Y, output_activation="sigmoid"):
    """The same J as ``compute_cost``, computed from the output layer's Z (the logits). (6.1), (6.2)

    sigmoid: loss = max(z, 0) - z y + log(1 + exp(-|z|))  (the log-sigmoid written stably)
    softmax: loss = logsumexp(z) - sum_k y_k z_k, with logsumexp shifted by the column maximum
    Both are exact, with no clipping, and finite for logits of any finite size.
    Regression outputs fall back to half MSE of g(ZL).

    ZL, Y: n_L x m. Returns a Python float.
    """
    ZL, Y = _validated(ZL, Y, output_activation, AL_name="ZL")
    return _cost_from_logits(ZL, Y, output_activation)


def output_layer_dZ(AL, ZL, Y, output_activation):
    """dZ[L], the gradient of the *summed* loss sum_i loss(i) with respect to Z[L]. (5.5), (2.4)

    For one-unit logistic or linear regression this is m times (2.4), dJ/dz(i) = (y_hat(i) - y(i)) / m.
    For the canonical pairs (sigmoid + cross-entropy, softmax + categorical cross-entropy,
    identity + half MSE) the chain rule collapses to dZ[L] = AL - Y. For relu/tanh outputs with
    half MSE, dA[L] = AL - Y and dZ[L] = dA[L] * g'(Z[L]) (5.1).

    This is m times dJ/dZ[L] (the 1/m rule, (5.7)): the 1/m is applied once, in dW and db.
    AL, ZL, Y: n_L x m (already validated). Returns dZ[L], n_L x m.
    """
    if output_activation in CANONICAL_PAIRS:
        return AL - Y
    return _activation_backward(AL - Y, ZL, output_activation)  # dA[L] = AL - Y, then (5.1)
