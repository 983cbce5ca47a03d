"""Explorer for finite differences: how the error of a numerical derivative depends on the step eps.

    central difference   (f(x + eps) - f(x - eps)) / (2 eps)    error O(eps^2)    equation (0.3)
    forward difference   (f(x + eps) - f(x)) / eps              error O(eps)      equation (0.4)

Both errors shrink as eps shrinks, until round-off takes over: each value of f carries a relative
error of about u (u = 2^-53 ~ 1.1e-16 in float64, 2^-24 ~ 6e-8 in float32), and dividing a
difference of two such values by eps amplifies it to about u |f(x)| / eps. On a log-log plot the
error against eps is therefore a V, whose bottom the two error terms predict:

    forward:  (1/2)|f''| eps + u|f|/eps       is smallest at  eps* = sqrt(2 u |f| / |f''|)
    central:  (1/6)|f'''| eps^2 + u|f|/eps    is smallest at  eps* = (3 u |f| / |f'''|)^(1/3)

The explorer lets a learner move eps, pick a function whose |f| is large (1000 + sin x), and
switch to float32 arithmetic (every intermediate result rounded to float32), and watch the bottom
of the V move where the formulas say. The functions are evaluated with ``math.sin`` on Python
floats (no BLAS, no vectorised kernels), so the curves do not depend on the CPU.
"""

import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from ipywidgets import Dropdown, FloatLogSlider, Layout, ToggleButtons, interactive

from .._validation import check_name, check_positive_number

EPS_GRID = np.logspace(-14, -1, 105)  # the step sizes of the V-curve, 8 per decade
UNIT_ROUNDOFF = {"float64": 2.0**-53, "float32": 2.0**-24}  # relative rounding error of one operation
PRECISIONS = tuple(UNIT_ROUNDOFF)


@dataclass(frozen=True)
class TestFunction:
    """A function with known derivatives at one point: what the explorer differentiates."""

    label: str
    f: object  # float -> float
    derivatives: tuple  # (f', f'', f''') as functions float -> float
    x: float


FUNCTIONS = {
    "sin(x) at x = 1": TestFunction("sin(x) at x = 1", math.sin, (math.cos, lambda x: -math.sin(x),
                                                                   lambda x: -math.cos(x)), 1.0),
    "1000 + sin(x) at x = 1": TestFunction("1000 + sin(x) at x = 1", lambda x: 1000.0 + math.sin(x),
                                           (math.cos, lambda x: -math.sin(x), lambda x: -math.cos(x)), 1.0),
}


def _check_function(f, name):
    if not callable(f):
        raise TypeError(f"{name} must be a function of one float, got {type(f).__name__}")


def _check_real(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def _rounder(precision):
    """A function rounding a float to the chosen precision (float64: unchanged)."""
    check_name(precision, "precision", PRECISIONS)
    return (lambda v: float(np.float32(v))) if precision == "float32" else float


def central_difference(f, x, eps, precision="float64"):
    """Central-difference estimate of f'(x): (f(x + eps) - f(x - eps)) / (2 eps). Equation (0.3).

    f: a function of one float returning a float. x: the point (a float). eps: the step, > 0.
    precision: "float64", or "float32" to round x +- eps, both values of f, their difference and
    the quotient to float32, as a float32 program would. Returns a float. Its error is about
    |f'''(x)| eps^2 / 6 plus round-off of about u |f| / eps.
    """
    _check_function(f, "f")
    x = _check_real(x, "x")
    eps = check_positive_number(eps, "eps")
    r = _rounder(precision)
    eps = r(eps)
    return r(r(r(f(r(x + eps))) - r(f(r(x - eps)))) / r(2 * eps))


def forward_difference(f, x, eps, precision="float64"):
    """Forward-difference estimate of f'(x): (f(x + eps) - f(x)) / eps. Equation (0.4).

    f: a function of one float returning a float. x: the point (a float). eps: the step, > 0.
    precision: as for ``central_difference``. Returns a float. Its error is about
    |f''(x)| eps / 2 plus round-off of about u |f| / eps.
    """
    _check_function(f, "f")
    x = _check_real(x, "x")
    eps = check_positive_number(eps, "eps")
    r = _rounder(precision)
    eps = r(eps)
    return r(r(r(f(r(x + eps))) - r(f(r(x)))) / eps)


def difference_errors(eps_values, f=math.sin, df=math.cos, x=1.0, precision="float64"):
    """Absolute errors of both estimates of f'(x), one pair per step size.

    eps_values: a 1-D sequence of k steps, each > 0. f: the function (float -> float); df: its exact
    derivative (float -> float). x: the point (a float). precision: "float64" or "float32".
    Returns (central_errors, forward_errors): two arrays of shape (k,), |estimate - df(x)|.
    """
    _check_function(df, "df")
    eps_values = np.asarray(eps_values, dtype=np.float64)
    if eps_values.ndim != 1 or eps_values.size == 0:
        raise ValueError(f"eps_values must be a non-empty 1-D sequence, got shape {eps_values.shape}")
    exact = df(_check_real(x, "x"))
    central = [abs(central_difference(f, x, float(eps), precision) - exact) for eps in eps_values]
    forward = [abs(forward_difference(f, x, float(eps), precision) - exact) for eps in eps_values]
    return np.array(central), np.array(forward)


def _envelope(errors, half_width=2):
    """The largest error among each step's neighbours (half_width grid steps either side)."""
    padded = np.pad(errors, half_width, mode="edge")
    return np.array([padded[k:k + 2 * half_width + 1].max() for k in range(errors.size)])


def measured_best_steps(central_errors, forward_errors, eps_values=EPS_GRID):
    """The grid steps with the smallest error, (central, forward), judged by the upper envelope.

    Round-off makes the error jump up and down from one step to the next, and now and then a lucky
    cancellation gives an error far below its neighbours'. So each step is judged by the largest
    error among it and its two neighbours on either side (a factor 10^(1/4) each way on the grid),
    and the best step is where that envelope is lowest. Returns two floats.
    """
    eps_values = np.asarray(eps_values, dtype=np.float64)
    return tuple(float(eps_values[np.argmin(_envelope(np.asarray(e)))]) for e in (central_errors, forward_errors))


def predicted_best_steps(function="sin(x) at x = 1", precision="float64"):
    """The steps the error model says are best: (central eps*, forward eps*), two floats.

    central: (3 u |f| / |f'''|)^(1/3), forward: sqrt(2 u |f| / |f''|), with u the unit round-off of
    ``precision`` and the derivatives of the named test function at its point.
    """
    check_name(function, "function", tuple(FUNCTIONS))
    test = FUNCTIONS[function]
    u = UNIT_ROUNDOFF[check_name(precision, "precision", PRECISIONS)]
    size, (_, d2, d3) = abs(test.f(test.x)), test.derivatives
    return (3 * u * size / abs(d3(test.x))) ** (1 / 3), math.sqrt(2 * u * size / abs(d2(test.x)))


def explore_eps(eps=1e-4, function="sin(x) at x = 1", precision="float64"):
    """Draw the error V-curves of one test function and mark the step ``eps`` on them.

    eps: the step (> 0). function: a key of FUNCTIONS. precision: "float64" or "float32".
    Returns a dict with "eps"; "central_error" and "forward_error" (floats: the absolute errors at
    this eps); "predicted_best" and "measured_best" (each a (central, forward) pair of steps: the
    error model's eps* and the grid step where the error is smallest, by ``measured_best_steps``);
    and "figure".
    """
    eps = check_positive_number(eps, "eps")
    check_name(function, "function", tuple(FUNCTIONS))
    check_name(precision, "precision", PRECISIONS)
    test = FUNCTIONS[function]
    df = test.derivatives[0]
    central_curve, forward_curve = difference_errors(EPS_GRID, test.f, df, test.x, precision)
    central_errors, forward_errors = difference_errors([eps], test.f, df, test.x, precision)
    central_error, forward_error = float(central_errors[0]), float(forward_errors[0])
    predicted = predicted_best_steps(function, precision)
    measured = measured_best_steps(central_curve, forward_curve)
    floor = 1e-17  # an error of exactly 0 still gets a point on the log axis
    u = UNIT_ROUNDOFF[precision]

    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.loglog(EPS_GRID, np.maximum(forward_curve, floor), color="tab:orange", label="forward (0.4)")
    ax.loglog(EPS_GRID, np.maximum(central_curve, floor), color="tab:blue", label="central (0.3)")
    ax.loglog(EPS_GRID, u * abs(test.f(test.x)) / EPS_GRID, "k:", linewidth=1,
              label=r"round-off $\approx u\,|f|/\varepsilon$")
    for best, colour, name in zip(predicted, ("tab:blue", "tab:orange"), ("central", "forward"), strict=True):
        ax.axvline(best, color=colour, linestyle="--", linewidth=1, label=f"predicted best, {name}: {best:.1e}")
    ax.axvline(eps, color="grey", linewidth=1)
    ax.plot([eps], [max(forward_error, floor)], "o", color="tab:orange")
    ax.plot([eps], [max(central_error, floor)], "o", color="tab:blue")
    ax.set_ylim(1e-17, 10)
    ax.set_xlabel(r"step $\varepsilon$")
    ax.set_ylabel("absolute error")
    ax.set_title(f"{test.label}, {precision}: at eps = {eps:.1e} the central error is {central_error:.1e}, "
                 f"the forward error {forward_error:.1e}", fontsize=9)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    plt.show()
    return {"eps": eps, "central_error": central_error, "forward_error": forward_error,
            "predicted_best": predicted, "measured_best": measured, "figure": fig}


def make_eps_explorer(eps=1e-4):
    """An eps slider (log scale, 1e-14 .. 1e-1, 8 steps per decade), a function and a precision picker.

    Returns an ``ipywidgets.interactive`` whose ``.result`` is the dict of ``explore_eps``.
    The slider also moves with the arrow keys, one grid step (a factor 10^(1/8)) per press.
    """
    eps = check_positive_number(eps, "eps")
    style = {"description_width": "90px"}
    slider = FloatLogSlider(value=eps, base=10, min=-14, max=-1, step=0.125, description="step ε",
                            readout_format=".1e", continuous_update=False, style=style,
                            layout=Layout(width="640px"))
    function = Dropdown(options=list(FUNCTIONS), value="sin(x) at x = 1", description="function", style=style,
                        layout=Layout(width="360px"))
    precision = ToggleButtons(options=list(PRECISIONS), value="float64", description="precision", style=style)
    return interactive(explore_eps, eps=slider, function=function, precision=precision)
