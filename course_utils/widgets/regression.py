"""Explorers for linear and logistic regression (notebook 01).

Linear regression predicts y_hat = W.X + b (1.1). For one input feature W is 1 x 1, so the model
is a line y_hat = w x + b; ``explore_linear_fit`` draws it, the residuals y_hat - y as vertical
segments, and the half mean squared error J = (1/2m) sum_i (y_hat(i) - y(i))^2.

Beside the data it draws the bowl J(w, b) with a dot at the current (w, b), so moving the line
moves a point on the bowl, and it reports the slopes dJ/dw = (1/m) sum r(i) x(i) and
dJ/db = (1/m) sum r(i) (r = y_hat - y, the residuals), which are zero at the bottom.

Logistic regression squashes the same linear score through the sigmoid (1.2):
y_hat = sigma(W.X + b), a probability. Multiplying W and b by a steepness s > 0 leaves the
boundary W.x + b = 0 where it is but pushes every probability towards 0 or 1;
``explore_logistic_steepness`` shows this on the two-moons data, with the cross-entropy (2.2) of
notebook 02 against s: confident and right lowers it, confident and wrong raises it.
"""

import numbers

import matplotlib.pyplot as plt
import numpy as np
from ipywidgets import FloatLogSlider, FloatSlider, Layout, fixed, interactive

from .._validation import as_matrix, check_positive_int, check_positive_number
from ..activations import sigmoid
from ..datasets import make_moons, make_regression_1d
from ..losses import cost_from_logits, half_mean_squared_error

SLIDER_STYLE = {"description_width": "80px"}
SLIDER_LAYOUT = {"width": "560px"}
STEEPNESS_GRID = np.geomspace(0.1, 100, 61)  # the steepness values of the cross-entropy curve


def _check_real(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def _check_pair(X, Y, n_features):
    X = as_matrix(X, "X", rows=n_features)
    Y = as_matrix(Y, "Y", rows=1, cols=X.shape[1])
    return X, Y


def line_data(m=30, noise=0.3, seed=6):
    """The 1-D data of the linear-fit explorer: noisy points on a line (x in [-1, 1]).

    Returns X: 1 x m and Y: 1 x m (``make_regression_1d`` with degree 1).
    """
    return make_regression_1d(m=m, noise=noise, degree=1, seed=seed)


def least_squares_line(X, Y):
    """The w, b with the smallest squared error sum_i (w x(i) + b - y(i))^2, from ``np.linalg.lstsq``.

    X: 1 x m inputs. Y: 1 x m targets. Returns (w, b), two floats.
    """
    X, Y = _check_pair(X, Y, 1)
    design = np.column_stack([X[0], np.ones(X.shape[1])])  # m x 2: one row [x(i), 1] per example
    (w, b), *_ = np.linalg.lstsq(design, Y[0], rcond=None)
    return float(w), float(b)


def slopes(w, b, X, Y):
    """(dJ/dw, dJ/db) of J = (1/2m) sum (w x + b - y)^2: the residuals' means (1/m) sum r x and (1/m) sum r."""
    residuals = (w * X + b - Y)[0]
    return float(np.mean(residuals * X[0])), float(np.mean(residuals))


def explore_linear_fit(w=0.0, b=1.0, X=None, Y=None, show_best=True):
    """Draw the line y_hat = w x + b (1.1) over the data with its residuals, and the bowl J(w, b).

    w: slope, b: intercept (floats, in the units of y per unit of x and of y). X: 1 x m inputs and
    Y: 1 x m targets (default: ``line_data()``). show_best: also draw the least-squares line.
    Left: data, residuals, line. Right: contours of J(w, b) with the current (w, b) as a dot and the
    least-squares (w, b) as a star.
    Returns a dict with "w", "b", "cost" (the half mean squared error (1/2m) sum (y_hat - y)^2 of
    this line, a float), "best_cost" (the same for the least-squares line), "slopes" ((dJ/dw, dJ/db)
    at (w, b)) and "figure".
    """
    w, b = _check_real(w, "w"), _check_real(b, "b")
    if X is None and Y is None:
        X, Y = line_data()
    X, Y = _check_pair(X, Y, 1)
    Y_hat = w * X + b
    cost = half_mean_squared_error(Y_hat, Y)
    w_best, b_best = least_squares_line(X, Y)
    best_cost = half_mean_squared_error(w_best * X + b_best, Y)
    dJ_dw, dJ_db = slopes(w, b, X, Y)

    fig, (ax, bowl) = plt.subplots(1, 2, figsize=(10, 3.6), gridspec_kw={"width_ratios": [1.2, 1]})
    ax.vlines(X[0], Y[0], Y_hat[0], color="tab:red", linewidth=1, label=r"residuals $\hat y - y$")
    ax.scatter(X[0], Y[0], s=14, color="k", zorder=3, label="data")
    grid = np.linspace(X.min(), X.max(), 2)
    ax.plot(grid, w * grid + b, color="tab:blue", label=f"$\\hat y = {w:.2f}x {b:+.2f}$")
    if show_best:
        ax.plot(grid, w_best * grid + b_best, "k--", linewidth=1, label=f"least squares, J = {best_cost:.3f}")
    margin = 0.5 * (Y.max() - Y.min())
    ax.set_ylim(Y.min() - margin, Y.max() + margin)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_title(f"w = {w:.2f}, b = {b:.2f}:  J = (1/2m) Σ (ŷ − y)² = {cost:.3f}", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")

    w_axis, b_axis = np.linspace(-2, 4, 121), np.linspace(-1, 4, 101)
    Wg, Bg = np.meshgrid(w_axis, b_axis)
    residuals = Wg[..., None] * X[0] + Bg[..., None] - Y[0]  # b x w x m: every line's residuals at once
    J = (residuals**2).mean(axis=-1) / 2
    levels = best_cost + np.array([0.01, 0.05, 0.2, 0.5, 1, 2, 4])
    contours = bowl.contour(Wg, Bg, J, levels=levels, cmap="viridis", linewidths=0.8)
    bowl.clabel(contours, fontsize=6, fmt=lambda v: f"{v:.2f}")
    bowl.plot([w_best], [b_best], "*", color="gold", markeredgecolor="k", markersize=12, label="least squares")
    bowl.plot([w], [b], "o", color="tab:blue", markeredgecolor="k", markersize=7, label="your (w, b)")
    bowl.set(xlabel="$w$", ylabel="$b$", xlim=(w_axis[0], w_axis[-1]), ylim=(b_axis[0], b_axis[-1]))
    bowl.set_title(f"the bowl J(w, b); slopes dJ/dw = {dJ_dw:+.2f}, dJ/db = {dJ_db:+.2f}", fontsize=9)
    bowl.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    plt.show()
    return {"w": w, "b": b, "cost": cost, "best_cost": best_cost, "slopes": (dJ_dw, dJ_db), "figure": fig}


def make_linear_fit_explorer(w=0.0, b=1.0):
    """Sliders for w (-2 .. 4) and b (-1 .. 4), in steps of 0.01, on ``explore_linear_fit``.

    Returns an ``interactive`` whose ``.result`` is the dict ``explore_linear_fit`` returned for the
    current slider values. The arrow keys move a slider by one step.
    """
    X, Y = line_data()
    w_slider = FloatSlider(value=_check_real(w, "w"), min=-2, max=4, step=0.01, description="slope w",
                           continuous_update=False, style=SLIDER_STYLE, layout=Layout(**SLIDER_LAYOUT))
    b_slider = FloatSlider(value=_check_real(b, "b"), min=-1, max=4, step=0.01, description="intercept b",
                           continuous_update=False, style=SLIDER_STYLE, layout=Layout(**SLIDER_LAYOUT))
    return interactive(explore_linear_fit, w=w_slider, b=b_slider, X=fixed(X), Y=fixed(Y),
                       show_best=fixed(True))


def moons_data(m=200, noise=0.2, seed=0):
    """The 2-D data of the steepness explorer: two moons. Returns X: 2 x m and Y: 1 x m (0/1)."""
    return make_moons(m=m, noise=noise, seed=seed)


def best_line_by_search(X, Y, n_angles=360, n_offsets=201):
    """The straight line u.x = c that classifies the most points, found by trying many lines.

    Each candidate is a unit direction u = (cos theta, sin theta) (n_angles angles in [0, 2 pi))
    and an offset c (n_offsets values spanning the projections u.x(i)); it predicts 1 where
    u.x > c. No gradients: a brute-force search, fine for 2 parameters, hopeless for millions.
    X: 2 x m points. Y: 1 x m labels 0/1.
    Returns (u, c, accuracy): u of shape (1, 2), c a float, accuracy the fraction classified right.
    """
    X, Y = _check_pair(X, Y, 2)
    n_angles = check_positive_int(n_angles, "n_angles")
    n_offsets = check_positive_int(n_offsets, "n_offsets")
    best = (None, None, -1.0)
    for theta in np.linspace(0, 2 * np.pi, n_angles, endpoint=False):
        u = np.array([[np.cos(theta), np.sin(theta)]])
        projection = (u @ X)[0]  # (m,)
        offsets = np.linspace(projection.min(), projection.max(), n_offsets)
        predictions = projection[None, :] > offsets[:, None]  # n_offsets x m
        accuracies = (predictions == (Y[0] > 0.5)).mean(axis=1)
        k = int(np.argmax(accuracies))
        if accuracies[k] > best[2]:
            best = (u, float(offsets[k]), float(accuracies[k]))
    return best


def steepness_cross_entropy(steepness, X, Y, line):
    """The cross-entropy (2.2) of the logistic regression W = s u, b = -s c on (X, Y), from its logits.

    steepness: s > 0, a number or an array of them. X: 2 x m points, Y: 1 x m labels, line: (u, c).
    Computed stably from z = s (u.x - c) (6.1), so a huge s gives a large but exact cost.
    Returns a float (or an array of floats with steepness's shape).
    """
    u, c = line
    scores = (u @ X - c)[0]  # (m,), the unscaled score of every point
    values = [cost_from_logits(np.atleast_2d(s * scores), Y, "sigmoid") for s in np.ravel(steepness)]
    return values[0] if np.ndim(steepness) == 0 else np.array(values).reshape(np.shape(steepness))


def explore_logistic_steepness(steepness=1.0, X=None, Y=None, line=None, resolution=150):
    """Probabilities y_hat = sigma(W.x + b) of a logistic regression whose W, b are scaled by ``steepness``.

    The line is u.x = c (u: 1 x 2 unit vector, c: float), so W = s u (1 x 2) and b = -s c (a 1 x 1
    bias): the boundary W.x + b = 0 stays put for every s > 0, only the probabilities sharpen.
    steepness: s > 0 (unitless). X: 2 x m points and Y: 1 x m labels (default: ``moons_data()``).
    line: (u, c); default ``best_line_by_search(X, Y)``. resolution: grid points per axis.
    Left: the probability image and the points. Right: the cross-entropy (2.2) against s, with the
    current s marked.
    Returns a dict with "steepness"; "confidence", the mean over the points of max(y_hat, 1 - y_hat)
    (0.5 = a coin flip, 1 = certain); "probability_range", (min, max) of y_hat over the points;
    "accuracy", the fraction with (y_hat > 0.5) == y; "cross_entropy" at this s; "best_steepness",
    the s of STEEPNESS_GRID with the lowest cross-entropy; and "figure".
    """
    s = check_positive_number(steepness, "steepness")
    if X is None and Y is None:
        X, Y = moons_data()
    X, Y = _check_pair(X, Y, 2)
    resolution = check_positive_int(resolution, "resolution")
    u, c = best_line_by_search(X, Y)[:2] if line is None else line
    u = as_matrix(u, "line[0] (the direction u)", rows=1, cols=2)
    c = _check_real(c, "line[1] (the offset c)")
    W, b = s * u, np.array([[-s * c]])
    Y_hat = sigmoid(W @ X + b)  # 1 x m
    confidence = float(np.maximum(Y_hat, 1 - Y_hat).mean())
    accuracy = float(((Y_hat > 0.5) == (Y > 0.5)).mean())
    cross_entropy = steepness_cross_entropy(s, X, Y, (u, c))
    curve = steepness_cross_entropy(STEEPNESS_GRID, X, Y, (u, c))
    best_steepness = float(STEEPNESS_GRID[np.argmin(curve)])

    x1 = np.linspace(X[0].min() - 0.5, X[0].max() + 0.5, resolution)
    x2 = np.linspace(X[1].min() - 0.5, X[1].max() + 0.5, resolution)
    grid_1, grid_2 = np.meshgrid(x1, x2)
    P = sigmoid(W @ np.vstack([grid_1.ravel(), grid_2.ravel()]) + b).reshape(grid_1.shape)
    fig, (ax, ce) = plt.subplots(1, 2, figsize=(10, 3.6), gridspec_kw={"width_ratios": [1.4, 1]})
    image = ax.imshow(P, origin="lower", extent=(x1[0], x1[-1], x2[0], x2[-1]), cmap="RdBu_r",
                      vmin=0, vmax=1, aspect="auto", alpha=0.5)
    ax.contour(grid_1, grid_2, P, levels=[0.5], colors="k", linewidths=1)
    for label, colour, marker in ((0, "tab:blue", "o"), (1, "tab:red", "^")):
        points = X[:, Y[0] == label]
        ax.scatter(points[0], points[1], color=colour, marker=marker, s=14, edgecolors="k", linewidths=0.4,
                   label=f"y = {label}")
    fig.colorbar(image, ax=ax, label=r"$\hat y = \sigma(W\cdot x + b)$")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title(f"steepness {s:.3g}: mean confidence {confidence:.3f}, accuracy {accuracy:.3f}", fontsize=10)
    ce.semilogx(STEEPNESS_GRID, curve, color="k", linewidth=1)
    ce.plot([s], [cross_entropy], "o", color="tab:purple", label=f"s = {s:.3g}: J = {cross_entropy:.3f}")
    ce.axvline(best_steepness, color="grey", linestyle=":", linewidth=1, label=f"lowest J at s ≈ {best_steepness:.2g}")
    ce.set(xlabel="steepness s", ylabel="cross-entropy J (2.2)")
    ce.set_title("how much the labels cost the model (notebook 02)", fontsize=9)
    ce.legend(fontsize=7, loc="upper center")
    fig.tight_layout()
    plt.show()
    return {"steepness": s, "confidence": confidence,
            "probability_range": (float(Y_hat.min()), float(Y_hat.max())), "accuracy": accuracy,
            "cross_entropy": cross_entropy, "best_steepness": best_steepness, "figure": fig}


def make_steepness_explorer(steepness=1.0):
    """A steepness slider (log scale, 0.1 .. 100) on ``explore_logistic_steepness`` with the moons.

    The line is searched once here, not on every slider move. Returns an ``ipywidgets.interactive``
    whose ``.result`` is the dict of ``explore_logistic_steepness``.
    """
    X, Y = moons_data()
    u, c, _ = best_line_by_search(X, Y)
    slider = FloatLogSlider(value=check_positive_number(steepness, "steepness"), base=10, min=-1, max=2,
                            step=0.025, description="steepness s", readout_format=".3g", continuous_update=False,
                            style=SLIDER_STYLE, layout=Layout(**SLIDER_LAYOUT))
    return interactive(explore_logistic_steepness, steepness=slider, X=fixed(X), Y=fixed(Y), line=fixed((u, c)),
                       resolution=fixed(150))
