"""Gradient checking: compare an analytic gradient with central finite differences.

    df/dx_k  ~  (f(x + eps e_k) - f(x - eps e_k)) / (2 eps)          equation (0.3)

The error is O(eps^2) (a forward difference's is O(eps)), until round-off, about
1e-16 |f| / eps, takes over. Errors are reported for the *worst* entry, never averaged: an average
lets one wrong entry hide among many right ones.
"""

from dataclasses import dataclass

import numpy as np

from ._validation import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, as_matrix, check_name, check_parameters
from .losses import _cost, check_labels
from .network import _backward, _forward

TINY = 1e-12  # denominators never go below this, so two zero gradients agree exactly

# Gradient checks judge entries smaller than this on their absolute error instead: finite
# differences of a cost J carry round-off of about 1e-16 |J| / eps in *absolute* terms, which is a
# large relative error for an entry of 1e-8 and says nothing about the code. With eps = 1e-5 and
# this floor, a correct gradient scores <= 1e-7 on every architecture the tests draw.
GRADCHECK_FLOOR = 1e-3
GRADCHECK_EPS = 1e-5


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of a scalar function f at x. Equations (0.3), (4.1).

    f: called as f(x); must return one finite number. x: a float array of any shape; each entry
    is nudged by +-eps in place and restored (also if f raises), so x is unchanged afterwards.
    Costs 2 x.size calls of f: 2P cost evaluations for P parameters (4.1).
    Returns an array of x's shape and dtype with the estimated df/dx.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError(f"x must be a float numpy array (it is nudged in place), got {type(x).__name__}"
                        + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else ""))
    if not callable(f):
        raise TypeError(f"f must be a function of x returning a number, got {type(f).__name__}")
    if not (isinstance(eps, (int, float)) and np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a finite number > 0, got {eps!r}")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        try:
            x[index] = original + eps
            f_plus = _scalar(f(x))
            x[index] = original - eps
            f_minus = _scalar(f(x))
        finally:
            x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def _scalar(value):
    value = float(np.asarray(value).item()) if np.size(value) == 1 else None
    if value is None or not np.isfinite(value):
        raise ValueError(f"f must return one finite number, got {value!r}")
    return value


def relative_errors(a, b, floor=TINY):
    """Element-wise |a - b| / max(|a| + |b|, floor). a, b: arrays of one shape. Same shape out."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; they must match")
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)


def relative_error(a, b, floor=TINY):
    """The worst element-wise relative error max_k |a_k - b_k| / max(|a_k| + |b_k|, floor).

    0 means identical; 1 means opposite signs or one side zero. A correct gradient scores about
    1e-7 or less against central differences in float64 (pass floor=GRADCHECK_FLOOR when some
    entries are far smaller than the cost; see that constant). a, b: same shape.
    Returns a Python float.
    """
    errors = relative_errors(a, b, floor)
    return float(errors.max()) if errors.size else 0.0


@dataclass
class WorstEntry:
    """Where an analytic gradient and its numerical estimate disagree most."""

    error: float  # relative error at that entry
    index: tuple  # the entry's index
    analytic: float
    numerical: float

    def __str__(self):
        return (f"relative error {self.error:.2e} at {self.index} "
                f"(analytic {self.analytic:.6g}, numerical {self.numerical:.6g})")


def worst_entry(analytic, numerical, floor=TINY):
    """The entry where ``analytic`` and ``numerical`` (same shape) disagree most, as a WorstEntry."""
    errors = relative_errors(analytic, numerical, floor)
    index = np.unravel_index(int(np.argmax(errors)), errors.shape)
    return WorstEntry(float(errors[index]), tuple(int(i) for i in index),
                      float(np.asarray(analytic)[index]), float(np.asarray(numerical)[index]))


def check_array_gradient(forward, backward, x, seed=0, eps=GRADCHECK_EPS, floor=GRADCHECK_FLOOR):
    """Check a layer whose output is an array, using a *random* upstream gradient.

    The scalar checked is f(x) = sum(dout * forward(x)), with dout drawn from N(0, 1), so every
    output entry matters with a different weight (an all-ones dout would hide some bugs).
    forward: x -> out (any shape). backward: dout -> dx, the layer's analytic gradient.
    x: float array. Returns a WorstEntry comparing backward(dout) with the numerical dx.
    """
    out = np.asarray(forward(x))
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    numerical = numerical_gradient(lambda v: float((dout * forward(v)).sum()), x, eps)
    analytic = np.asarray(backward(dout))
    if analytic.shape != x.shape:
        raise ValueError(f"backward returned shape {analytic.shape}, expected x's shape {x.shape}")
    return worst_entry(analytic, numerical, floor)


def gradient_check_network(parameters, X, Y, hidden_activation="relu", output_activation="sigmoid",
                           eps=GRADCHECK_EPS, floor=GRADCHECK_FLOOR, forward=None, backward=None):
    """Compare backpropagation's dW, db with central differences of J, parameter by parameter.

    parameters: {"W1", "b1", ...}; X: n_0 x m; Y: n_L x m. Every entry of every parameter is
    nudged (2P cost evaluations in all), on copies: ``parameters`` is not modified. Entries are
    compared by relative error, those below ``floor`` by absolute error (see GRADCHECK_FLOOR).
    forward(X, parameters, hidden_activation, output_activation) -> (AL, cache) and
    backward(cache, Y, parameters) -> grads default to the course's ``_forward``/``_backward``;
    pass others to check your own code.
    Returns {"W1": WorstEntry, "b1": WorstEntry, ...}: the worst entry of each parameter.
    """
    check_name(hidden_activation, "hidden_activation", HIDDEN_ACTIVATIONS)
    check_name(output_activation, "output_activation", OUTPUT_ACTIVATIONS)
    L = check_parameters(parameters)
    X = as_matrix(X, "X", rows=parameters["W1"].shape[1])
    Y = as_matrix(Y, "Y", rows=parameters[f"W{L}"].shape[0], cols=X.shape[1])
    check_labels(Y, output_activation)
    if forward is None:
        def forward(X_, p, h, o):
            return _forward(X_, p, L, h, o)
    if backward is None:
        def backward(c, Y_, p):
            return _backward(c, Y_, p, L)

    params = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
    _, cache = forward(X, params, hidden_activation, output_activation)
    grads = backward(cache, Y, params)

    def cost(_):
        AL, _cache = forward(X, params, hidden_activation, output_activation)
        return _cost(AL, Y, output_activation)

    report = {}
    for key in sorted(params, key=lambda k: (int(k[1:]), k[0] != "W")):
        numerical = numerical_gradient(cost, params[key], eps)
        report[key] = worst_entry(np.asarray(grads["d" + key]), numerical, floor)
    return report


def check_update_step(parameters, grads, new_parameters, learning_rate):
    """Check one gradient-descent step: every parameter must move by exactly -alpha * gradient.

    A gradient check cannot see a training loop that forgets to update b or updates W twice; this
    can. parameters, grads, new_parameters: the dicts before, the gradients, and after one
    ``update_parameters``-like step. Returns {"W1": WorstEntry, "b1": ..., ...} comparing the
    actual change new - old with -alpha * d(parameter).
    """
    L = check_parameters(parameters)
    if check_parameters(new_parameters, "new_parameters") != L:
        raise ValueError(f"new_parameters has a different number of layers than parameters ({L})")
    report = {}
    for key in sorted(parameters, key=lambda k: (int(k[1:]), k[0] != "W")):
        change = np.asarray(new_parameters[key], dtype=np.float64) - parameters[key]
        report[key] = worst_entry(change, -learning_rate * np.asarray(grads["d" + key], dtype=np.float64))
    return report
