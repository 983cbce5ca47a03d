"""Regularisation: weight penalties (L2 and L1) and inverted dropout, each with its gradient.

Weight penalties are added to the cost J = (1/m) sum_i loss(i):
    L2:  J + (lambd / 2m) sum_l ||W[l]||^2        (8.2)   gradient  (lambd / m) W[l]        (8.3)
    L1:  J + (lambd / m)  sum_l sum |W[l]_jk|     (8.4)   subgradient (lambd / m) sign(W[l]) (8.5)
Biases are not penalised. sign(0) = 0: at W_jk = 0 any value in [-1, 1] is a subgradient of |W_jk|,
and 0 is the one that leaves an exact zero where it is.

Inverted dropout on a hidden layer's activations A (n_l x m):
    forward:   mask ~ Bernoulli(keep_prob), A_drop = A * mask / keep_prob      (8.6)
    backward:  dA = dA_drop * mask / keep_prob                                  (8.7)
Dividing by keep_prob keeps E[A_drop] = A, so nothing needs rescaling at test time (keep_prob = 1).
The layer pair is ``dropout_forward(A, keep_prob, rng) -> (A_drop, mask)`` and
``dropout_backward(dA_drop, mask, keep_prob) -> dA``.
"""

import numbers

import numpy as np

from ._validation import as_matrix, check_name, check_parameters

PENALTIES = ("l2", "l1")


def check_keep_prob(keep_prob):
    """Return keep_prob as a float if it is a number in (0, 1], else raise a clear error."""
    if isinstance(keep_prob, bool) or not isinstance(keep_prob, numbers.Real):
        raise TypeError(f"keep_prob must be a number in (0, 1], got {type(keep_prob).__name__}")
    if not (0 < keep_prob <= 1):
        raise ValueError(f"keep_prob must be in (0, 1] (the probability of keeping a unit), got {keep_prob}")
    return float(keep_prob)


def check_lambd(lambd):
    """Return lambd as a float if it is a finite number >= 0, else raise a clear error."""
    if isinstance(lambd, bool) or not isinstance(lambd, numbers.Real):
        raise TypeError(f"lambd must be a number >= 0, got {type(lambd).__name__}")
    if not np.isfinite(lambd) or lambd < 0:
        raise ValueError(f"lambd must be a finite number >= 0 (the penalty's strength), got {lambd}")
    return float(lambd)


def _weights(parameters):
    L = sum(1 for key in parameters if key.startswith("W"))
    return [parameters[f"W{l}"] for l in range(1, L + 1)]


def _penalty_cost(parameters, lambd, m, penalty):
    """The penalty term of the cost, (8.2) or (8.4), without input checks. Returns a float."""
    if lambd == 0:
        return 0.0
    if penalty == "l2":
        return lambd / (2 * m) * sum(float(np.sum(W * W)) for W in _weights(parameters))
    return lambd / m * sum(float(np.sum(np.abs(W))) for W in _weights(parameters))


def _penalty_gradient(W, lambd, m, penalty):
    """The penalty's gradient with respect to one W, (8.3) or (8.5), without input checks."""
    if penalty == "l2":
        return (lambd / m) * W
    return (lambd / m) * np.sign(W)


def penalty_cost(parameters, lambd, m, penalty="l2"):
    """The weight penalty added to the cost. Equations (8.2) (L2) and (8.4) (L1).

    L2: (lambd / 2m) * sum over layers of the squared entries of W[l].
    L1: (lambd / m) * sum over layers of the absolute entries of W[l].
    parameters: {"W1", "b1", ...} (biases are not penalised). lambd: >= 0. m: the number of
    examples the cost averages over. penalty: "l2" or "l1". Returns a float.
    """
    check_parameters(parameters)
    lambd = check_lambd(lambd)
    check_name(penalty, "penalty", PENALTIES)
    if isinstance(m, bool) or not isinstance(m, numbers.Integral) or m < 1:
        raise ValueError(f"m must be the number of examples, an integer >= 1, got {m!r}")
    return _penalty_cost(parameters, lambd, int(m), penalty)


def penalty_gradient(W, lambd, m, penalty="l2"):
    """The penalty's gradient with respect to W[l]. Equations (8.3) (L2) and (8.5) (L1).

    L2: (lambd / m) W. L1: the subgradient (lambd / m) sign(W), with sign(0) = 0.
    W: n_l x n_{l-1}. Returns an array of W's shape, to be added to backpropagation's dW[l].
    """
    W = as_matrix(W, "W")
    lambd = check_lambd(lambd)
    check_name(penalty, "penalty", PENALTIES)
    if isinstance(m, bool) or not isinstance(m, numbers.Integral) or m < 1:
        raise ValueError(f"m must be the number of examples, an integer >= 1, got {m!r}")
    return _penalty_gradient(W, lambd, int(m), penalty)


def _dropout_forward(A, keep_prob, rng):
    """Inverted dropout (8.6) without input checks. Returns (A_drop, mask); mask is boolean."""
    mask = rng.random(A.shape) < keep_prob
    return A * mask / keep_prob, mask


def _dropout_backward(dA_drop, mask, keep_prob):
    """The gradient through inverted dropout (8.7) without input checks."""
    return dA_drop * mask / keep_prob


def dropout_forward(A, keep_prob, rng):
    """Inverted dropout: keep each unit with probability keep_prob, scale the kept ones up. (8.6)

    A: n_l x m activations of a hidden layer. keep_prob: in (0, 1]. rng: a numpy Generator
    (``np.random.default_rng(seed)``), so the masks can be reproduced.
    Returns (A_drop, mask): A_drop = A * mask / keep_prob (n_l x m, A's dtype) and the boolean
    n_l x m mask that ``dropout_backward`` needs. E[A_drop] = A.
    """
    A = as_matrix(A, "A")
    keep_prob = check_keep_prob(keep_prob)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)), got {type(rng).__name__}")
    return _dropout_forward(A, keep_prob, rng)


def dropout_backward(dA_drop, mask, keep_prob):
    """The gradient through inverted dropout: dA = dA_drop * mask / keep_prob. (8.7)

    dA_drop: n_l x m, the gradient with respect to the dropped activations. mask: the n_l x m
    mask ``dropout_forward`` returned. keep_prob: the same value the forward pass used.
    Returns dA, n_l x m: dropped units get no gradient, kept ones are scaled like the forward pass.
    """
    dA_drop = as_matrix(dA_drop, "dA_drop")
    mask = np.asarray(mask)
    if mask.shape != dA_drop.shape:
        raise ValueError(f"mask has shape {mask.shape} but dA_drop has shape {dA_drop.shape}; they must match")
    if mask.dtype != bool and not np.isin(mask, (0, 1)).all():
        raise ValueError("mask must hold only 0s and 1s (keep or drop), as dropout_forward returns it")
    keep_prob = check_keep_prob(keep_prob)
    return _dropout_backward(dA_drop, mask, keep_prob)
