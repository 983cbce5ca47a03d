"""Gradient checking: compare an analytic gradient with central finite differences.

    df/dx_k  ~  (f(x + eps e_k) - f(x - eps e_k)) / (2 eps)          equation (0.3)

How close must a correct gradient come? The finite difference has two errors (notebook 00):
    truncation  ~ eps^2 |f'''| / 6     relative to the derivative: tiny for eps = 1e-5
    round-off   ~ u |f| / eps          *absolute*: u = 1.1e-16 is float64's unit round-off
The round-off is the same for every entry, however small the entry is, so an entry near zero
cannot meet a *relative* threshold, and which side of a tight threshold it lands on depends on
the CPU's rounding. So each entry is judged by

    |a - b|  <=  rtol (|a| + |b|)  +  atol          atol = ROUNDOFF_ULPS * u * f_scale / eps

with rtol = 1e-7 (the course's threshold for a correct gradient) and f_scale the size of the
numbers f adds up. ``ratio`` is the worst entry's |a - b| over its allowance: at most 1 passes.
A wrong gradient (a missing 1/m, a sign, a missing transpose) is off by a sizeable fraction of
the entry and fails by orders of magnitude; the tests check that for every planted bug.

Errors are reported for the *worst* entry, never averaged: an average lets one wrong entry hide
among many right ones.
"""

from dataclasses import dataclass

import numpy as np

from ._validation import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, as_matrix, check_name, check_parameters
from .losses import check_labels
from .network import _backward, _forward, _network_cost
from .regularisation import PENALTIES, check_lambd

TINY = 1e-12  # denominators of relative errors never go below this, so two zero gradients agree exactly
UNIT_ROUNDOFF = float(np.finfo(np.float64).eps) / 2  # u = 2^-53
GRADCHECK_EPS = 1e-5
GRADCHECK_RTOL = 1e-7
# f is a sum of terms, each rounded a few times; its computed value is off by a few hundred units
# of round-off of f_scale at most (the tests measure the worst at below 1/10 of this allowance).
ROUNDOFF_ULPS = 1000


def _central_differences(f, x, eps):
    """(gradient, largest |f| seen): numerical_gradient's work, also returning f's scale."""
    grad = np.zeros_like(x)
    f_scale = 0.0
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
        f_scale = max(f_scale, abs(f_plus), abs(f_minus))
    return grad, f_scale


def _check_numerical_gradient_arguments(f, x, eps):
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError(f"x must be a float numpy array (it is nudged in place), got {type(x).__name__}"
                        + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else ""))
    if not callable(f):
        raise TypeError(f"f must be a function of x returning a number, got {type(f).__name__}")
    if isinstance(eps, bool) or not (isinstance(eps, (int, float)) and np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a finite number > 0, got {eps!r}")


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of a scalar function f at x. Equations (0.3), (4.1).

    f: called as f(x); must return one finite number. x: a float array of any shape; each entry
    is nudged by +-eps in place and restored (also if f raises), so x is unchanged afterwards.
    Costs 2 x.size calls of f: 2P cost evaluations for P parameters (4.1).
    Returns an array of x's shape and dtype with the estimated df/dx.
    """
    _check_numerical_gradient_arguments(f, x, eps)
    return _central_differences(f, x, eps)[0]


def _scalar(value):
    value = float(np.asarray(value).item()) if np.size(value) == 1 else None
    if value is None or not np.isfinite(value):
        raise ValueError(f"f must return one finite number, got {value!r}")
    return value


def gradient_tolerance(f_scale, eps=GRADCHECK_EPS):
    """The absolute error a correct finite-difference gradient may carry: ROUNDOFF_ULPS u f_scale / eps.

    f_scale: the size of the numbers f adds up (for a cost, the largest |J| seen; for
    sum(dout * out), the sum of |dout * out|). eps: the nudge. Returns a float >= 0.
    """
    if not (np.isfinite(f_scale) and f_scale >= 0):
        raise ValueError(f"f_scale must be a finite number >= 0, got {f_scale!r}")
    return ROUNDOFF_ULPS * UNIT_ROUNDOFF * float(f_scale) / eps


def relative_errors(a, b, floor=TINY):
    """Element-wise |a - b| / max(|a| + |b|, floor). a, b: arrays of one shape. Same shape out."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; they must match")
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)


def relative_error(a, b, floor=TINY):
    """The worst element-wise relative error max_k |a_k - b_k| / max(|a_k| + |b_k|, floor).

    0 means identical; 1 means opposite signs or one side zero. a, b: same shape. Returns a float.
    Against an exact oracle this is the right measure. Against finite differences, entries near
    zero carry round-off that no relative threshold can absorb: use ``compare_gradients``.
    """
    errors = relative_errors(a, b, floor)
    return float(errors.max()) if errors.size else 0.0


@dataclass
class WorstEntry:
    """Where an analytic gradient and its numerical estimate disagree most, judged against the allowance."""

    error: float  # relative error |a - b| / (|a| + |b|) at that entry
    index: tuple  # the entry's index
    analytic: float
    numerical: float
    ratio: float  # |a - b| / (rtol (|a| + |b|) + atol) at that entry: <= 1 passes

    @property
    def passed(self):
        return self.ratio <= 1

    def __str__(self):
        verdict = "within" if self.passed else "OUTSIDE"
        return (f"worst entry {self.index}: analytic {self.analytic:.6g}, numerical {self.numerical:.6g}, "
                f"relative error {self.error:.2e}; {self.ratio:.2g} of the allowed error ({verdict})")


def worst_entry(analytic, numerical, atol=0.0, rtol=GRADCHECK_RTOL):
    """The entry where ``analytic`` and ``numerical`` disagree most, as a WorstEntry.

    Each entry is judged by |a - b| <= rtol (|a| + |b|) + atol; the worst is the entry with the
    largest ratio of its error to that allowance. atol = 0 (the default) makes the judgement purely
    relative, as against an exact oracle. atol may be an array of the entries' shape.
    """
    a, b = np.asarray(analytic, dtype=np.float64), np.asarray(numerical, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"analytic has shape {a.shape} but numerical has shape {b.shape}; they must match")
    if a.size == 0:
        return WorstEntry(0.0, (), 0.0, 0.0, 0.0)
    difference = np.abs(a - b)
    allowance = rtol * (np.abs(a) + np.abs(b)) + atol
    ratios = np.where(difference == 0, 0.0, difference / np.maximum(allowance, np.finfo(np.float64).tiny))
    index = np.unravel_index(int(np.argmax(ratios)), ratios.shape)
    return WorstEntry(float(relative_errors(a[index], b[index])), tuple(int(i) for i in index),
                      float(a[index]), float(b[index]), float(ratios[index]))


def compare_gradients(analytic, numerical, f_scale, eps=GRADCHECK_EPS, rtol=GRADCHECK_RTOL):
    """Judge an analytic gradient against a central-difference one, entry by entry.

    analytic, numerical: arrays of one shape. f_scale, eps: as for ``gradient_tolerance``
    (the numerical gradient was computed with this eps). Returns the WorstEntry; ``.passed`` is
    the verdict, ``.ratio`` how much of the allowed error the worst entry uses.
    """
    return worst_entry(analytic, numerical, gradient_tolerance(f_scale, eps), rtol)


def check_array_gradient(forward, backward, x, seed=0, eps=GRADCHECK_EPS):
    """Check a layer whose output is an array, using a *random* upstream gradient.

    The scalar checked is f(x) = sum(dout * forward(x)), with dout drawn from N(0, 1), so every
    output entry matters with a different weight (an all-ones dout would hide some bugs). By the
    chain rule, df/dx is exactly what the layer's backward pass returns when handed dout.
    forward: x -> out (any shape). backward: dout -> dx, the layer's analytic gradient.
    x: float array. Returns a WorstEntry comparing backward(dout) with the numerical dx.
    """
    out = np.asarray(forward(x))
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    _check_numerical_gradient_arguments(forward, x, eps)
    numerical, _ = _central_differences(lambda v: float((dout * forward(v)).sum()), x, eps)
    analytic = np.asarray(backward(dout))
    if analytic.shape != x.shape:
        raise ValueError(f"backward returned shape {analytic.shape}, expected x's shape {x.shape}")
    f_scale = float(np.abs(dout * out).sum())
    return compare_gradients(analytic, numerical, f_scale, eps)


def gradient_check_network(parameters, X, Y, hidden_activation="relu", output_activation="sigmoid",
                           eps=GRADCHECK_EPS, forward=None, backward=None, lambd=0.0, penalty="l2"):
    """Compare backpropagation's dW, db with central differences of J, parameter by parameter.

    parameters: {"W1", "b1", ...}; X: n_0 x m; Y: n_L x m. Every entry of every parameter is
    nudged (2P cost evaluations in all), on copies: ``parameters`` is not modified. J is computed
    from the output logits (6.1)/(6.2), exactly, plus the weight penalty when lambd > 0, so a
    saturated output is checked against its true cost.
    forward(X, parameters, hidden_activation, output_activation) -> (AL, cache) and
    backward(cache, Y, parameters) -> grads default to the course's own loops; pass others to
    check your own code (the cost reads cache["Z{L}"], so a forward of your own must cache it).
    Returns {"W1": WorstEntry, "b1": WorstEntry, ...}: the worst entry of each parameter, judged
    by ``compare_gradients``.
    """
    check_name(hidden_activation, "hidden_activation", HIDDEN_ACTIVATIONS)
    check_name(output_activation, "output_activation", OUTPUT_ACTIVATIONS)
    L = check_parameters(parameters)
    X = as_matrix(X, "X", rows=parameters["W1"].shape[1])
    Y = as_matrix(Y, "Y", rows=parameters[f"W{L}"].shape[0], cols=X.shape[1])
    check_labels(Y, output_activation)
    lambd = check_lambd(lambd)
    check_name(penalty, "penalty", PENALTIES)
    if forward is None:
        def forward(X_, p, h, o):
            return _forward(X_, p, L, h, o)
    if backward is None:
        def backward(c, Y_, p):
            return _backward(c, Y_, p, L, lambd, penalty)

    params = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
    _, cache = forward(X, params, hidden_activation, output_activation)
    grads = backward(cache, Y, params)

    def cost(_nudged):
        # _nudged is params[key] itself, nudged in place by numerical_gradient, so the forward
        # pass over params sees the nudge.
        _AL, nudged_cache = forward(X, params, hidden_activation, output_activation)
        return _network_cost(nudged_cache, Y, params, L, lambd, penalty)

    report = {}
    for key in sorted(params, key=lambda k: (int(k[1:]), k[0] != "W")):
        numerical, f_scale = _central_differences(cost, params[key], eps)
        report[key] = compare_gradients(np.asarray(grads["d" + key]), numerical, f_scale, eps)
    return report


def check_update_step(parameters, grads, new_parameters, learning_rate):
    """Check one gradient-descent step: every parameter must move by exactly -alpha * gradient.

    A gradient check cannot see a training loop that forgets to update b or updates W twice; this
    can. parameters, grads, new_parameters: the dicts before, the gradients, and after one
    ``update_parameters``-like step. Returns {"W1": WorstEntry, "b1": ..., ...} comparing the
    actual change new - old with -alpha * d(parameter). The allowance is the rounding of the two
    subtractions, 2 u (|old| + |new|) per entry: nothing else may differ.
    """
    L = check_parameters(parameters)
    if check_parameters(new_parameters, "new_parameters") != L:
        raise ValueError(f"new_parameters has a different number of layers than parameters ({L})")
    report = {}
    for key in sorted(parameters, key=lambda k: (int(k[1:]), k[0] != "W")):
        u = float(np.finfo(np.result_type(new_parameters[key], np.float32)).eps) / 2  # the step's dtype
        old = np.asarray(parameters[key], dtype=np.float64)
        new = np.asarray(new_parameters[key], dtype=np.float64)
        rounding = 2 * u * (np.abs(old) + np.abs(new))
        expected = -learning_rate * np.asarray(grads["d" + key], dtype=np.float64)
        report[key] = worst_entry(new - old, expected, atol=rounding, rtol=4 * u)
    return report
