"""Explorer for finite differences: how the error of a numerical derivative depends on the step eps.

    central difference   (f(x + eps) - f(x - eps)) / (2 eps)    error O(eps^2)    equation (0.3)
    forward difference   (f(x + eps) - f(x)) / eps              error O(eps)      equation (0.4)

Both errors shrink as eps shrinks, until round-off takes over: each value of f carries a relative
error of about 1e-16, and dividing a difference of two such values by eps amplifies it to about
1e-16 |f(x)| / eps. On a log-log plot the error against eps is therefore a V. Its bottom sits near
eps = 1e-5 for the central difference and near eps = 1e-8 for the forward one.

The test function is f = sin at x = 1 (exact derivative cos), evaluated with ``math.sin`` on Python
floats, so every number here is the same on every machine.
"""

import math

import matplotlib.pyplot as plt
import numpy as np
from ipywidgets import FloatLogSlider, fixed, interactive

from .._validation import check_positive_number

UNIT_ROUNDOFF = 2.0**-53  # relative rounding error of one float64 operation, about 1.1e-16
EPS_GRID = np.logspace(-14, -1, 105)  # the step sizes of the V-curve, 8 per decade


def _check_function(f, name):
    if not callable(f):
        raise TypeError(f"{name} must be a function of one float, got {type(f).__name__}")


def _check_real(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def central_difference(f, x, eps):
    """Central-difference estimate of f'(x): (f(x + eps) - f(x - eps)) / (2 eps). Equation (0.3).

    f: a function of one float returning a float. x: the point (a float). eps: the step, > 0.
    Returns a float. Its error is about |f'''(x)| eps^2 / 6 plus round-off of about 1e-16 |f| / eps.
    """
    _check_function(f, "f")
    x = _check_real(x, "x")
    eps = check_positive_number(eps, "eps")
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def forward_difference(f, x, eps):
    """Forward-difference estimate of f'(x): (f(x + eps) - f(x)) / eps. Equation (0.4).

    f: a function of one float returning a float. x: the point (a float). eps: the step, > 0.
    Returns a float. Its error is about |f''(x)| eps / 2 plus round-off of about 1e-16 |f| / eps.
    """
    _check_function(f, "f")
    x = _check_real(x, "x")
    eps = check_positive_number(eps, "eps")
    return (f(x + eps) - f(x)) / eps


def difference_errors(eps_values, f=math.sin, df=math.cos, x=1.0):
    """Absolute errors of both estimates of f'(x), one pair per step size.

    eps_values: a 1-D sequence of k steps, each > 0. f: the function (float -> float); df: its exact
    derivative (float -> float). x: the point (a float).
    Returns (central_errors, forward_errors): two arrays of shape (k,), |estimate - df(x)|.
    """
    _check_function(df, "df")
    eps_values = np.asarray(eps_values, dtype=np.float64)
    if eps_values.ndim != 1 or eps_values.size == 0:
        raise ValueError(f"eps_values must be a non-empty 1-D sequence, got shape {eps_values.shape}")
    exact = df(_check_real(x, "x"))
    central = [abs(central_difference(f, x, float(eps)) - exact) for eps in eps_values]
    forward = [abs(forward_difference(f, x, float(eps)) - exact) for eps in eps_values]
    return np.array(central), np.array(forward)


def explore_eps(eps=1e-4, x=1.0):
    """Draw the error V-curves for f = sin at x and mark the step ``eps`` on them.

    eps: the step (> 0, unitless like x). x: the point where sin'(x) = cos(x) is estimated.
    Returns a dict with "eps", "central_error" and "forward_error" (floats: the absolute errors of
    the two estimates at this eps) and "figure" (the matplotlib Figure, already shown).
    """
    eps = check_positive_number(eps, "eps")
    x = _check_real(x, "x")
    central_curve, forward_curve = difference_errors(EPS_GRID, x=x)
    central_errors, forward_errors = difference_errors([eps], x=x)
    central_error, forward_error = float(central_errors[0]), float(forward_errors[0])
    floor = 1e-17  # an error of exactly 0 still gets a point on the log axis

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.loglog(EPS_GRID, np.maximum(forward_curve, floor), color="tab:orange", label="forward (0.4)")
    ax.loglog(EPS_GRID, np.maximum(central_curve, floor), color="tab:blue", label="central (0.3)")
    ax.loglog(EPS_GRID, UNIT_ROUNDOFF * abs(math.sin(x)) / EPS_GRID, "k:", linewidth=1,
              label=r"round-off $\approx u\,|f|/\varepsilon$")
    ax.axvline(eps, color="grey", linewidth=1)
    ax.plot([eps], [max(forward_error, floor)], "o", color="tab:orange")
    ax.plot([eps], [max(central_error, floor)], "o", color="tab:blue")
    ax.set_ylim(1e-17, 1)
    ax.set_xlabel(r"step $\varepsilon$")
    ax.set_ylabel("absolute error")
    ax.set_title(f"eps = {eps:.1e}: central error {central_error:.2e}, forward error {forward_error:.2e}",
                 fontsize=9)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    plt.show()
    return {"eps": eps, "central_error": central_error, "forward_error": forward_error, "figure": fig}


def make_eps_explorer(eps=1e-4):
    """An eps slider (log scale, 1e-14 .. 1e-1) on the V-curves. Returns an ``ipywidgets.interactive``.

    Its ``.result`` is the dict returned by ``explore_eps`` for the slider's current value.
    """
    eps = check_positive_number(eps, "eps")
    slider = FloatLogSlider(value=eps, base=10, min=-14, max=-1, step=0.25, description="eps",
                            readout_format=".1e", continuous_update=False)
    return interactive(explore_eps, eps=slider, x=fixed(1.0))
