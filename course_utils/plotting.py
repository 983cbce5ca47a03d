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
