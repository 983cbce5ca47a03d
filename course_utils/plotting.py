"""Plots the notebooks share: decision boundaries, learning curves, gradient-check errors.

Each function draws on a matplotlib Axes (a new figure when ``ax`` is None) and returns the Axes,
so a notebook can add titles or combine plots. matplotlib is imported here, not in the core maths.
"""

import matplotlib.pyplot as plt
import numpy as np


def _axes(ax, figsize=(5, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def decision_grid(predict_fn, X, resolution=200, margin=0.5):
    """Evaluate ``predict_fn`` on a grid covering the 2-D points X (2 x m).

    predict_fn: maps a 2 x k array of points to k class labels (any shape with k entries).
    Returns (xx, yy, labels), three resolution x resolution arrays.
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"X must have shape (2, m) for a decision boundary, got {X.shape}")
    x_min, x_max = X[0].min() - margin, X[0].max() + margin
    y_min, y_max = X[1].min() - margin, X[1].max() + margin
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution))
    points = np.vstack([xx.ravel(), yy.ravel()])
    labels = np.asarray(predict_fn(points)).reshape(xx.shape)
    return xx, yy, labels


def plot_decision_boundary(predict_fn, X, Y, ax=None, resolution=200, title=None):
    """Shade the regions ``predict_fn`` assigns to each class, with the points X (2 x m) on top.

    Y: 1 x m labels (0/1) or k x m one-hot. Returns the Axes.
    """
    ax = _axes(ax)
    xx, yy, labels = decision_grid(predict_fn, X, resolution)
    Y = np.asarray(Y)
    classes = Y.argmax(axis=0) if Y.shape[0] > 1 else Y[0]
    ax.contourf(xx, yy, labels, alpha=0.3, cmap="coolwarm", levels=np.arange(labels.max() + 2) - 0.5)
    ax.scatter(X[0], X[1], c=classes, cmap="coolwarm", s=12, edgecolors="k", linewidths=0.3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return ax


def plot_learning_curves(curves, ax=None, ylabel="cost J", log=False, title=None):
    """Plot one or more curves against the epoch. curves: {label: sequence of numbers}. Returns the Axes."""
    ax = _axes(ax)
    for label, values in curves.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")
    if len(curves) > 1:
        ax.legend()
    if title:
        ax.set_title(title)
    return ax


def plot_gradient_check(report, ax=None, title="gradient check: worst entry per parameter"):
    """Bar chart of each parameter's worst entry as a fraction of its allowed error (log scale).

    report: {"W1": WorstEntry, ...} from ``gradient_check_network`` (or {name: ratio}). A bar
    at or below 1 (the dashed line) passes. An exact match (ratio 0) is drawn at 1e-6 and labelled.
    Returns the Axes.
    """
    ax = _axes(ax)
    names = list(report)
    ratios = [getattr(report[n], "ratio", report[n]) for n in names]
    shown = np.maximum(ratios, 1e-6)
    colours = ["tab:green" if r <= 1 else "tab:red" for r in ratios]
    ax.bar(names, shown, color=colours)
    for x, r in enumerate(ratios):
        if r == 0:
            ax.annotate("exact", (x, 1e-6), ha="center", va="bottom", fontsize=8)
    ax.axhline(1, color="k", linestyle="--", linewidth=1, label="allowed error")
    ax.set_yscale("log")
    ax.set_ylabel("error / allowed error")
    ax.legend(loc="upper right")
    if title:
        ax.set_title(title)
    return ax


def _shown_units(n, max_units):
    """The unit numbers (1-based) drawn for a layer of n units: all, or the first and last few around a gap."""
    if n <= max_units:
        return list(range(1, n + 1))
    head = (max_units - 1) // 2 + (max_units - 1) % 2
    return list(range(1, head + 1)) + [None] + list(range(n - (max_units - 1 - head) + 1, n + 1))


def draw_network(layer_dims, ax=None, highlight=None, shapes=False, max_units=8, title=None):
    """Draw a fully connected feedforward network: layers as columns of units, every weight as a line.

    layer_dims: [n_0, n_1, ..., n_L]; layer 0 is the input (its units are the features x_k), layer L
    the output. Units are numbered 1, 2, ... from the top, as in the maths; data flow left to right.
    highlight: (l, j, k) draws the weight W[l]_jk thick, as an arrow from unit k of layer l-1 into
    unit j of layer l (equation (3.3): row j of W[l] holds unit j's incoming weights, column k
    the weights leaving unit k of the layer before). shapes: write each W[l], b[l] and A[l] shape
    under the layers (A[l] is n_l x m). Layers wider than max_units show their first and last units
    around a gap. Returns the Axes.
    """
    if not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2 or not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 1 for n in layer_dims):
        raise ValueError(f"layer_dims must be a list [n_0, ..., n_L] of at least 2 positive ints, got {layer_dims!r}")
    L = len(layer_dims) - 1
    if highlight is not None:
        l, j, k = highlight
        if not (1 <= l <= L and 1 <= j <= layer_dims[l] and 1 <= k <= layer_dims[l - 1]):
            raise ValueError(f"highlight (l, j, k) = {highlight!r} is not a weight of {list(layer_dims)}: need "
                             f"1 <= l <= {L}, 1 <= j <= n_l and 1 <= k <= n_(l-1)")
    ax = _axes(ax, figsize=(1.9 * (L + 1) + 1, 3.6))
    shown = [_shown_units(int(n), max_units) for n in layer_dims]
    tallest = max(len(units) for units in shown)
    step = 2.4  # horizontal distance between layers, in units of the vertical distance between units

    where = {}
    for l, units in enumerate(shown):
        for slot, unit in enumerate(units):
            x, y = step * l, (len(units) - 1) / 2 - slot  # each layer centred on y = 0, its first unit at the top
            if unit is None:
                ax.text(x, y, "⋮", ha="center", va="center", fontsize=14)
            else:
                where[l, unit] = (x, y)
    for l in range(1, L + 1):
        for (l_to, j), (x1, y1) in where.items():
            if l_to != l:
                continue
            for (l_from, k), (x0, y0) in where.items():
                if l_from == l - 1 and (l, j, k) != tuple(highlight or ()):
                    ax.plot([x0, x1], [y0, y1], color="0.75", linewidth=0.6, zorder=1)
    radius = 0.17
    for (l, unit), (x, y) in where.items():
        colour = "white"
        if highlight is not None and (l, unit) == (highlight[0], highlight[1]):
            colour = "tab:red"
        elif highlight is not None and (l, unit) == (highlight[0] - 1, highlight[2]):
            colour = "tab:orange"
        ax.add_patch(plt.Circle((x, y), radius, facecolor=colour, edgecolor="k", linewidth=1, zorder=3))
        name = f"$x_{{{unit}}}$" if l == 0 else f"{unit}"
        ax.text(x, y, name, ha="center", va="center", fontsize=8, zorder=4)
    if highlight is not None:
        l, j, k = highlight
        (x0, y0), (x1, y1) = where.get((l - 1, k)), where.get((l, j))
        ax.annotate("", xy=(x1 - radius, y1 + (y0 - y1) * radius / max(abs(x1 - x0), 1e-9)),
                    xytext=(x0 + radius, y0 - (y0 - y1) * radius / max(abs(x1 - x0), 1e-9)),
                    arrowprops={"arrowstyle": "-|>", "color": "tab:red", "linewidth": 2}, zorder=2)
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.3, f"$W^{{[{l}]}}_{{{j}{k}}}$", color="tab:red", ha="center",
                va="bottom", fontsize=12, zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    bottom = -(tallest - 1) / 2 - 0.6
    for l, n in enumerate(layer_dims):
        kind = "input" if l == 0 else "output" if l == L else "hidden"
        ax.text(step * l, bottom, f"layer {l}\n({kind})\n$n_{{{l}}} = {n}$", ha="center", va="top", fontsize=8)
        if shapes:
            ax.text(step * l, bottom - 1.3, f"$A^{{[{l}]}}$: {n} × m", ha="center", va="top", fontsize=8,
                    color="tab:blue")
            if l > 0:
                ax.text(step * (l - 0.5), (tallest - 1) / 2 + 0.35,
                        f"$W^{{[{l}]}}$: {n} × {layer_dims[l - 1]}\n$b^{{[{l}]}}$: {n} × 1",
                        ha="center", va="bottom", fontsize=8, color="tab:purple")
    ax.set_xlim(-0.8, step * L + 0.8)
    ax.set_ylim(bottom - (1.9 if shapes else 1.4), (tallest - 1) / 2 + (1.2 if shapes else 0.4))
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return ax
