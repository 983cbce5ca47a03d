"""Notebook 02's explorer: gradient descent on the cost surface of a 1-D linear regression.

The model is y_hat = w x + b, the cost the half mean squared error (2.1)

    J(w, b) = (1/2m) sum_i (w x(i) + b - y(i))^2,

and every step is the update rule (2.6), theta <- theta - alpha dJ/dtheta with theta = (w, b) and
the gradient (2.5). J is an exact quadratic in (w, b), with Hessian

    H = (1/m) sum_i [x(i), 1]^T [x(i), 1]   (2 x 2, the same at every point),

so the error theta - theta* is multiplied by (I - alpha H) at every step. Along the eigenvector
of H's largest eigenvalue lambda_max the factor is 1 - alpha lambda_max:
    alpha < 1/lambda_max               the path slides straight down the valley    "converges"
    1/lambda_max < alpha < 2/lambda_max  it zig-zags across the valley, yet arrives  "oscillates"
    alpha > 2/lambda_max               each zig-zag is wider than the last          "diverges"
The verdict below is read off the path itself, not from these formulas, so the notebook and the
tests can check that the two agree. A zig-zag counts only when the step's component along the top
eigenvector is at least OSCILLATION_TOL of the step's length: below that it is round-off (a start
exactly on the other eigenvector has a component of about 1e-16, which flips sign at every step
but is no zig-zag anyone could see).

Centring x (subtracting its mean) makes the off-diagonal entries of H zero: the tilted valley
turns into an axis-aligned, rounder bowl, lambda_max shrinks and the usable learning rates grow.

The pure function ``descent_path`` computes the path; ``show_descent`` also draws it; the widget
``make_descent_explorer`` puts a learning-rate slider and a "centre x" checkbox on ``show_descent``.
"""

from dataclasses import dataclass

import numpy as np

from .._validation import as_matrix, check_positive_int, check_positive_number

VERDICTS = ("converges", "oscillates", "diverges")
BOX_HALF_WIDTH = 6.0  # the path stops when w or b is this far from the optimum (no overflow, ever);
#                       the box grows to twice the start's distance when the start lies further out
OSCILLATION_STEPS = 6  # how many early steps must flip sign along the top eigenvector
OSCILLATION_TOL = 1e-6  # components along the top eigenvector below this fraction of the step are round-off
START = (-1.0, 0.0)  # the default initial (w, b): it has components along both eigenvectors of H


def make_line_data(m=40, noise=0.3, seed=0):
    """Noisy points on the line y = 2x - 1, with x drawn uniformly from [-0.5, 2].

    The inputs are deliberately not centred: their mean is about 0.75, so w and b are coupled and
    the valley of J(w, b) is tilted and elongated. Returns X: 1 x m, Y: 1 x m (float64).
    """
    m = check_positive_int(m, "m")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-0.5, 2.0, m)
    y = 2.0 * x - 1.0 + noise * rng.standard_normal(m)
    return x.reshape(1, -1), y.reshape(1, -1)


def cost_surface(w, b, X, Y):
    """J(w, b) = (1/2m) sum_i (w x(i) + b - y(i))^2, equation (2.1), for many (w, b) at once.

    w, b: arrays of one shape (e.g. a meshgrid) or floats. X, Y: 1 x m.
    Returns J with the shape of w.
    """
    w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
    x, y = X[0], Y[0]
    # Expand the square so the cost of a whole grid needs no m-sized axis:
    # (1/2m) sum (w x + b - y)^2 = 1/2 [w^2 <x^2> + b^2 + <y^2> + 2wb<x> - 2w<xy> - 2b<y>]
    xx, xy, yy = np.mean(x * x), np.mean(x * y), np.mean(y * y)
    mx, my = np.mean(x), np.mean(y)
    return 0.5 * (w * w * xx + b * b + yy + 2 * w * b * mx - 2 * w * xy - 2 * b * my)


def gradient(theta, X, Y):
    """(dJ/dw, dJ/db) at theta = (w, b): dW = (1/m)(Y_hat - Y).X^T, db = (1/m) sum (Y_hat - Y). (2.5)

    theta: array (2,). X, Y: 1 x m. Returns an array (2,).
    """
    w, b = theta
    residual = w * X[0] + b - Y[0]  # y_hat(i) - y(i), shape (m,)
    return np.array([np.mean(residual * X[0]), np.mean(residual)])


def hessian(X):
    """H = (1/m) sum_i [x(i), 1]^T [x(i), 1], the constant 2 x 2 Hessian of J(w, b). X: 1 x m."""
    x = X[0]
    return np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def least_squares(X, Y):
    """The minimiser theta* = (w*, b*) of J, from the normal equations H theta* = (<xy>, <y>)."""
    x, y = X[0], Y[0]
    return np.linalg.solve(hessian(X), np.array([np.mean(x * y), np.mean(y)]))


@dataclass
class DescentResult:
    """Everything the explorer shows for one learning rate.

    path: (k + 1) x 2 array, row j = (w, b) after j steps (row 0 is the start).
    costs: (k + 1,) array, J at each row of path.
    final_cost: J at the last point of the path (a float).
    verdict: "converges", "oscillates" or "diverges".
    message: one sentence explaining the verdict (shown under the plot).
    learning_rate: alpha.
    lambda_max: the largest eigenvalue of the Hessian H; lambda_min: the smallest.
    top_eigenvector: (2,) unit eigenvector of H for lambda_max.
    optimum: (2,) array (w*, b*); optimal_cost: J(w*, b*).
    left_box: True when the path was stopped for leaving the box around theta* (see ``descent_path``).
    box_half_width: h, the half-width of that box (in w and in b).
    X, Y: the data the path ran on (X centred when ``centred``); centred: whether x was centred.
    figure: the matplotlib Figure when the result was drawn, else None.
    """

    path: np.ndarray
    costs: np.ndarray
    final_cost: float
    verdict: str
    message: str
    learning_rate: float
    lambda_max: float
    lambda_min: float
    top_eigenvector: np.ndarray
    optimum: np.ndarray
    optimal_cost: float
    left_box: bool
    box_half_width: float
    X: np.ndarray
    Y: np.ndarray
    centred: bool = False
    figure: object = None


def _validated_data(X, Y):
    X = as_matrix(X, "X", rows=1)
    Y = as_matrix(Y, "Y", rows=1, cols=X.shape[1])
    if X.shape[1] < 2 or np.ptp(X) == 0:
        raise ValueError("X needs at least 2 different values so that J(w, b) has a single minimum")
    return X.astype(np.float64), Y.astype(np.float64)


def centred(X):
    """X with its mean subtracted, x(i) - mean(x): then H = diag(Var x, 1) has no off-diagonal term. X: 1 x m."""
    X = as_matrix(X, "X", rows=1)
    return X - X.mean()


def _verdict(path, costs, top_eigenvector, left_box):
    """Read the behaviour off the path: growth -> diverges; early sign flips -> oscillates.

    Only steps whose component along the top eigenvector is at least OSCILLATION_TOL of the step's
    length take part in the sign test: smaller components are round-off, not a zig-zag.
    """
    if left_box or costs[-1] > costs[0]:
        return "diverges"
    steps = np.diff(path, axis=0)[:OSCILLATION_STEPS]
    along_top = steps @ top_eigenvector  # each step's component along the top eigenvector
    visible = along_top[np.abs(along_top) >= OSCILLATION_TOL * np.linalg.norm(steps, axis=1)]
    if visible.size >= 2 and np.all(visible[1:] * visible[:-1] < 0):
        return "oscillates"
    return "converges"


def _message(verdict, alpha, lambda_max, steps_taken, left_box, gap_ratio):
    thresholds = f"alpha lambda_max = {alpha * lambda_max:.3g}; 1/lambda_max = {1 / lambda_max:.3g}, " \
                 f"2/lambda_max = {2 / lambda_max:.3g}"
    if verdict == "diverges":
        where = f"left the box after {steps_taken} steps" if left_box else "ended higher than it started"
        return f"alpha = {alpha:.3g} diverges: the path {where} ({thresholds})."
    if verdict == "oscillates":
        return f"alpha = {alpha:.3g} oscillates: it zig-zags across the valley but still converges ({thresholds})."
    slow = " It is still far from the minimum: a larger alpha would get there sooner." if gap_ratio > 0.01 else ""
    return f"alpha = {alpha:.3g} converges: it slides down without crossing the valley ({thresholds}).{slow}"


def descent_path(learning_rate, X=None, Y=None, start=START, steps=40, centre=False):
    """Run ``steps`` steps of gradient descent (2.6) on J(w, b) of a 1-D linear regression.

    learning_rate: alpha > 0. X, Y: 1 x m data (default: ``make_line_data()``).
    start: the initial (w, b). steps: the number of updates (an int >= 1). centre: fit
    y = w (x - mean x) + b instead, on centred inputs (a rounder bowl).
    The path stops early if (w, b) leaves the box |w - w*|, |b - b*| <= h, with
    h = max(BOX_HALF_WIDTH, 2 * the start's largest distance from the optimum), so even a huge
    alpha never overflows. Returns a DescentResult (figure None).
    """
    alpha = check_positive_number(learning_rate, "learning_rate")
    steps = check_positive_int(steps, "steps")
    if not isinstance(centre, (bool, np.bool_)):
        raise TypeError(f"centre must be True or False, got {type(centre).__name__}")
    X, Y = make_line_data() if X is None and Y is None else _validated_data(X, Y)
    if centre:
        X = centred(X)
    theta = np.asarray(start, dtype=np.float64)
    if theta.shape != (2,) or not np.isfinite(theta).all():
        raise ValueError(f"start must be two finite numbers (w, b), got {start!r}")
    optimum = least_squares(X, Y)
    eigenvalues, eigenvectors = np.linalg.eigh(hessian(X))
    lambda_max, top = float(eigenvalues[-1]), eigenvectors[:, -1]
    half_width = max(BOX_HALF_WIDTH, 2 * float(np.abs(theta - optimum).max()))
    path, left_box = [theta], False
    for _ in range(steps):
        theta = theta - alpha * gradient(theta, X, Y)
        path.append(theta)
        if np.abs(theta - optimum).max() > half_width:
            left_box = True
            break
    path = np.array(path)
    costs = cost_surface(path[:, 0], path[:, 1], X, Y)
    verdict = _verdict(path, costs, top, left_box)
    optimal_cost = float(cost_surface(optimum[0], optimum[1], X, Y))
    gap_ratio = (costs[-1] - optimal_cost) / max(costs[0] - optimal_cost, 1e-300)
    return DescentResult(
        path=path, costs=costs, final_cost=float(costs[-1]), verdict=verdict,
        message=_message(verdict, alpha, lambda_max, len(path) - 1, left_box, gap_ratio),
        learning_rate=alpha, lambda_max=lambda_max, lambda_min=float(eigenvalues[0]), top_eigenvector=top,
        optimum=optimum, optimal_cost=optimal_cost, left_box=left_box, box_half_width=half_width,
        X=X, Y=Y, centred=bool(centre),
    )


def plot_descent(result, ax=None, view=3.5, legend=True):
    """Draw the contours of J(w, b) (levels labelled by J - J_min) with the path of ``result``. Returns the Axes.

    result: a DescentResult from ``descent_path`` (its own data are used).
    view: half-width of the window around the optimum (in w and in b). legend: label start and minimum.
    A diverging path runs off the window: the axes stay on the valley.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    w_star, b_star = result.optimum
    w = np.linspace(w_star - view, w_star + view, 120)
    b = np.linspace(b_star - view, b_star + view, 120)
    Wg, Bg = np.meshgrid(w, b)
    gap = cost_surface(Wg, Bg, result.X, result.Y) - result.optimal_cost
    levels = [0.01, 0.03, 0.1, 0.3, 1, 3]
    contours = ax.contour(Wg, Bg, gap, levels=levels, cmap="viridis", linewidths=0.8)
    ax.clabel(contours, fontsize=6, fmt=lambda v: f"{v:g}")
    ax.plot(result.path[:, 0], result.path[:, 1], "o-", color="tab:red", markersize=2.5, linewidth=1)
    ax.plot(*result.path[0], "s", color="k", markersize=5, label="start")
    ax.plot(w_star, b_star, "*", color="gold", markeredgecolor="k", markersize=11, label="minimum")
    ax.set_xlim(w[0], w[-1])
    ax.set_ylim(b[0], b[-1])
    ax.set_xlabel("$w$")
    ax.set_ylabel("$b$")
    ratio = result.learning_rate * result.lambda_max
    ax.set_title(f"$\\alpha\\lambda_{{max}}$ = {ratio:.3g}: {result.verdict}", fontsize=10)
    if legend:
        ax.legend(loc="upper right", fontsize=7, title="contours: J − J_min", title_fontsize=7)
    return ax


def show_descent(learning_rate=0.3, steps=40, X=None, Y=None, start=START, centre=False):
    """The widget's function: compute the path, draw it beside the cost curve, print the verdict.

    Arguments as for ``descent_path``. Draws two panels (contours with the path; J - J_min against
    the step on a log scale), calls plt.show(), prints the verdict sentence and the final cost.
    Returns the DescentResult, with ``figure`` set.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    result = descent_path(learning_rate, X, Y, start=start, steps=steps, centre=centre)
    fig, (ax_path, ax_cost) = plt.subplots(1, 2, figsize=(10, 3.5))
    plot_descent(result, ax=ax_path)
    if centre:
        ax_path.set_xlabel("$w$ (x centred)")
    ax_cost.semilogy(result.costs - result.optimal_cost + 1e-16, "o-", markersize=2.5)
    ax_cost.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_cost.set_xlabel("step")
    ax_cost.set_ylabel("$J - J_{min}$")
    ax_cost.set_title(f"distance to the lowest cost (condition number λ_max/λ_min = "
                      f"{result.lambda_max / result.lambda_min:.2g})", fontsize=10)
    fig.tight_layout()
    result.figure = fig
    plt.show()
    print(result.message)
    print(f"final cost J = {result.final_cost:.4g} (lowest possible {result.optimal_cost:.4g})")
    return result


def make_descent_explorer(steps=40):
    """A learning-rate slider (log scale, 0.01 to 3) and a "centre x" checkbox on ``show_descent``.

    Returns an ipywidgets.interactive whose ``.result`` is the DescentResult of the current values.
    """
    import ipywidgets as widgets

    steps = check_positive_int(steps, "steps")
    style = {"description_width": "120px"}
    slider = widgets.FloatLogSlider(value=0.3, base=10, min=-2, max=np.log10(3), step=0.01,
                                    description="learning rate α", readout_format=".3g",
                                    continuous_update=False, style=style, layout=widgets.Layout(width="640px"))
    centre = widgets.Checkbox(value=False, description="centre x (subtract its mean)", style=style,
                              layout=widgets.Layout(width="400px"))
    return widgets.interactive(show_descent, learning_rate=slider, steps=widgets.fixed(steps),
                               X=widgets.fixed(None), Y=widgets.fixed(None), start=widgets.fixed(START),
                               centre=centre)
