"""Notebook 06's explorer: train a small network on a 2-D data set and watch what it learns.

Every redraw runs the whole training loop of the course, ``course_utils.train``:

    initialise -> forward (3.1, 3.2) -> cost (2.2 or 6.2) -> backward (5.1-5.5) -> update (2.6)

repeated for ``epochs`` full-batch steps, on a fresh network of ``depth`` hidden ReLU layers of
``width`` units each (depth 0 is logistic regression: a straight boundary). After every epoch the
cost is also measured on a *dev* set, a fresh draw of the same data set that training never sees,
so overfitting shows as a gap between the two curves. The pure function ``explore_training``
returns the numbers; ``show_training`` also draws the cost curves beside the decision regions
(one colour per class, with a legend); ``make_training_explorer`` puts sliders on ``show_training``.

Too large a learning rate makes the weights grow until the numbers overflow. That is a result worth
seeing, not an error: the explorer reports it as ``diverged`` (with the epoch where the cost stopped
being finite) instead of printing floating-point warnings or failing to draw. A learning rate that
is too large but does not overflow makes the cost jump about without falling: the caption says so.
"""

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from .._validation import check_name, check_positive_int, check_positive_number
from ..datasets import make_circles, make_moons, make_spirals, make_xor
from ..metrics import accuracy
from ..network import _backward, _forward, _network_cost, _update, initialize_parameters, predict

DATASETS = ("moons", "circles", "xor", "spirals")
MAX_WIDTH, MAX_DEPTH, MAX_EPOCHS = 32, 4, 2000  # the sliders' ranges: the largest network redraws in < 1.5 s
CLASS_COLOURS = ("tab:blue", "tab:orange", "tab:green")  # one clearly different colour per class


def make_2d_dataset(name="moons", m=200, seed=0):
    """One of the course's 2-D toy sets, with the output activation that suits it.

    name: "moons", "circles", "xor" (two classes, labels 0/1) or "spirals" (three classes, one-hot).
    Returns X: 2 x m, Y: n_L x m (n_L = 1 for two classes, 3 for spirals) and the output activation
    ("sigmoid" or "softmax").
    """
    check_name(name, "dataset", DATASETS)
    if name == "spirals":
        X, Y = make_spirals(m=m, classes=3, noise=0.2, seed=seed)
        return X, Y, "softmax"
    maker = {"moons": make_moons, "circles": make_circles, "xor": make_xor}[name]
    X, Y = maker(m=m, seed=seed)
    return X, Y, "sigmoid"


def labels_of(Y):
    """Class labels (shape (m,), ints) from a 1 x m row of 0/1 labels or from one-hot columns."""
    return Y[0].astype(int) if Y.shape[0] == 1 else Y.argmax(axis=0)


@dataclass
class TrainingResult:
    """What the explorer shows for one setting of the sliders.

    final_cost: the cost J on the training set after the last epoch (a float; nan if diverged).
    train_accuracy: fraction of training points classified correctly, in [0, 1] (nan if diverged).
    costs: (epochs,) array, J after each epoch (the learning curve).
    dev_costs: (epochs,) array, J on the dev set (a fresh draw of 200 points) after each epoch.
    dev_accuracy: fraction of dev points classified correctly (nan if diverged).
    diverged: True when the cost or the weights stopped being finite (the learning rate was too large).
    caption: one sentence on how the run went ("" when the cost fell as it should).
    layer_dims: [2, width, ..., width, n_L], the network that was trained.
    parameters: the trained {"W1", "b1", ...}.
    X, Y, output_activation: the data set it was trained on (X: 2 x m, Y: n_L x m).
    learning_rate, epochs: the settings used.
    figure: the matplotlib Figure when the result was drawn, else None.
    """

    final_cost: float
    train_accuracy: float
    costs: np.ndarray
    layer_dims: list
    parameters: dict
    X: np.ndarray
    Y: np.ndarray
    output_activation: str
    learning_rate: float
    epochs: int
    diverged: bool
    dev_costs: np.ndarray = None
    dev_accuracy: float = float("nan")
    caption: str = ""
    figure: object = None


def _check_depth(depth):
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)):
        raise TypeError(f"depth must be an integer (the number of hidden layers), got {type(depth).__name__}")
    if depth < 0:
        raise ValueError(f"depth must be >= 0 (0 hidden layers is logistic regression), got {depth}")
    return int(depth)


def _train_with_dev_curve(X, Y, X_dev, Y_dev, layer_dims, output_activation, alpha, epochs, seed):
    """Full-batch gradient descent, exactly as ``course_utils.train`` runs it, measuring J on both sets.

    The loop of ``train`` (initialise, then forward -> backward -> update each epoch, the cost from
    the logits after the update), with the dev set's cost measured after each epoch as well.
    Returns (parameters, training costs, dev costs).
    """
    L = len(layer_dims) - 1
    parameters = initialize_parameters(layer_dims, init="he", seed=seed)
    costs, dev_costs = [], []
    for _ in range(epochs):
        _, cache = _forward(X, parameters, L, "relu", output_activation)
        parameters = _update(parameters, _backward(cache, Y, parameters, L), alpha, L)
        _, cache = _forward(X, parameters, L, "relu", output_activation)
        costs.append(_network_cost(cache, Y, parameters, L))
        _, dev_cache = _forward(X_dev, parameters, L, "relu", output_activation)
        dev_costs.append(_network_cost(dev_cache, Y_dev, parameters, L))
    return parameters, np.asarray(costs), np.asarray(dev_costs)


ZIG_ZAG = 0.1  # a learning curve that rises in at least this fraction of its epochs zig-zags
CHANCE_MARGIN = 0.05  # accuracy within this of always answering the commonest class is "chance"


def _caption(costs, diverged, train_accuracy, Y):
    """A sentence on how the run went: "" when the cost fell smoothly."""
    if diverged:
        return _divergence_message(costs)
    rises = float(np.mean(np.diff(costs) > 0)) if costs.size > 1 else 0.0
    chance = float(np.bincount(labels_of(Y)).max() / Y.shape[1])
    if rises >= ZIG_ZAG and train_accuracy <= chance + CHANCE_MARGIN:
        return ("the cost jumps about and the network ends no better than always guessing the commonest class: "
                "the learning rate is far too large")
    if rises >= ZIG_ZAG:
        return "the cost zig-zags: each step overshoots; a smaller learning rate descends smoothly"
    return ""


def explore_training(width=16, depth=2, learning_rate=0.3, epochs=300, dataset="moons", seed=0):
    """Train a fresh network on a 2-D data set, as ``course_utils.train`` does (full batch, ReLU hidden layers).

    width: units per hidden layer (int >= 1). depth: number of hidden layers (int >= 0; 0 means
    logistic regression). learning_rate: alpha > 0. epochs: full-batch gradient-descent steps
    (int >= 1). dataset: one of DATASETS (200 points from ``make_2d_dataset``; the dev set is a
    fresh draw of 200 with seed + 1). seed: seeds the data and the He initialisation.
    Returns a TrainingResult (figure None): final cost, accuracies, both cost histories, ...
    """
    width = check_positive_int(width, "width")
    depth = _check_depth(depth)
    alpha = check_positive_number(learning_rate, "learning_rate")
    epochs = check_positive_int(epochs, "epochs")
    X, Y, output_activation = make_2d_dataset(dataset, seed=seed)
    X_dev, Y_dev, _ = make_2d_dataset(dataset, seed=seed + 1)
    layer_dims = [X.shape[0]] + [width] * depth + [Y.shape[0]]
    # One BLAS thread: for matrices this small, splitting each product across threads is slower.
    # Overflow from a too-large learning rate is reported as "diverged" below, not as warnings.
    with threadpool_limits(limits=1, user_api="blas"), np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        parameters, costs, dev_costs = _train_with_dev_curve(X, Y, X_dev, Y_dev, layer_dims, output_activation,
                                                             alpha, epochs, seed)
    diverged = not (np.isfinite(costs).all() and all(np.isfinite(p).all() for p in parameters.values()))
    if diverged:
        train_accuracy = dev_accuracy = float("nan")
    else:
        train_accuracy = accuracy(labels_of(Y), predict(X, parameters, output_activation=output_activation))
        dev_accuracy = accuracy(labels_of(Y_dev), predict(X_dev, parameters, output_activation=output_activation))
    return TrainingResult(
        final_cost=float(costs[-1]) if not diverged else float("nan"), train_accuracy=train_accuracy,
        costs=costs, layer_dims=layer_dims, parameters=parameters, X=X, Y=Y,
        output_activation=output_activation, learning_rate=alpha, epochs=epochs, diverged=diverged,
        dev_costs=dev_costs, dev_accuracy=dev_accuracy, caption=_caption(costs, diverged, train_accuracy, Y),
    )


def draw_class_regions(predict_fn, X, Y, ax, resolution=120, title=None):
    """Colour the plane by the class ``predict_fn`` gives each point, with the points X (2 x m) on top.

    One clearly different colour per class (up to 3) and a legend naming the true classes.
    Y: 1 x m labels 0/1, or one-hot columns. Returns the Axes.
    """
    from matplotlib.colors import ListedColormap

    from ..plotting import decision_grid

    xx, yy, labels = decision_grid(predict_fn, X, resolution)
    classes = labels_of(Y)
    K = max(Y.shape[0], 2)
    ax.contourf(xx, yy, labels, levels=np.arange(K + 1) - 0.5, cmap=ListedColormap(CLASS_COLOURS[:K]), alpha=0.25)
    for c in range(K):
        ax.scatter(X[0, classes == c], X[1, classes == c], s=12, color=CLASS_COLOURS[c], edgecolors="k",
                   linewidths=0.3, label=f"class {c}")
    ax.legend(fontsize=8, loc="upper right", title="true class", title_fontsize=8)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return ax


DRAWN_COST_LIMIT = 1e100


def _divergence_message(costs):
    """Say when the run blew up. costs: (epochs,) array of J, possibly holding inf or nan."""
    bad = np.flatnonzero(~np.isfinite(costs))
    when = f"at epoch {bad[0] + 1}" if bad.size else "in the weights"
    return f"diverged: the numbers overflowed {when}; try a smaller learning rate"


def show_training(width=16, depth=2, learning_rate=0.3, epochs=300, dataset="moons", seed=0):
    """The widget's function: train (as ``explore_training``), then draw the cost curve beside the boundary.

    Arguments as for ``explore_training``. Draws two panels (J against the epoch on a log scale; the
    decision regions with the training points), calls plt.show() and prints the final numbers.
    Returns the TrainingResult, with ``figure`` set.
    """
    import matplotlib.pyplot as plt

    from ..plotting import plot_learning_curves

    result = explore_training(width, depth, learning_rate, epochs, dataset, seed)
    fig, (ax_cost, ax_boundary) = plt.subplots(1, 2, figsize=(10, 3.7))
    # A diverging run's cost climbs to ~1e300 before it overflows; matplotlib's log-axis ticks
    # overflow near there, so the curve is drawn up to 1e100 (the message gives the epoch).
    def drawable(costs):
        return costs[np.isfinite(costs) & (costs < DRAWN_COST_LIMIT)]

    hidden = " x ".join(map(str, result.layer_dims[1:-1])) or "none (logistic)"
    curves = {"training cost": drawable(result.costs), "dev cost (fresh points)": drawable(result.dev_costs)}
    if result.diverged:
        message = result.caption
        plot_learning_curves(curves, ax=ax_cost, log=True, title=f"hidden: {hidden}; diverged")
        ax_boundary.text(0.5, 0.5, message.replace("; ", "\n"), ha="center", va="center",
                         transform=ax_boundary.transAxes)
        ax_boundary.set_axis_off()
    else:
        message = (f"final cost {result.final_cost:.4g}, training accuracy {result.train_accuracy:.4g}, "
                   f"dev accuracy {result.dev_accuracy:.4g}")
        plot_learning_curves(curves, ax=ax_cost, log=True, title=f"hidden: {hidden}; final J = {result.final_cost:.3g}")

        def classify(points):
            return predict(points, result.parameters, output_activation=result.output_activation)

        draw_class_regions(classify, result.X, result.Y, ax_boundary,
                           title=f"training accuracy {result.train_accuracy:.1%}, dev {result.dev_accuracy:.1%}")
    if result.caption:
        fig.text(0.5, 0.01, result.caption, ha="center", va="bottom", color="tab:red", fontsize=10)
        fig.tight_layout(rect=(0, 0.06, 1, 1))
    else:
        fig.tight_layout()
    result.figure = fig
    plt.show()
    print(f"layers {result.layer_dims}, alpha = {result.learning_rate:.3g}, {result.epochs} epochs: {message}")
    return result


def make_training_explorer():
    """Sliders for width, depth, learning rate (log scale), epochs, and a data-set picker, on ``show_training``.

    Returns an ipywidgets.interactive (its ``.result`` is the latest TrainingResult).
    """
    import ipywidgets as widgets

    style, layout = {"description_width": "9em"}, widgets.Layout(width="520px")  # tracks aligned, labels whole
    controls = {
        "width": widgets.IntSlider(value=16, min=1, max=MAX_WIDTH, description="hidden width",
                                   continuous_update=False, style=style, layout=layout),
        "depth": widgets.IntSlider(value=2, min=0, max=MAX_DEPTH, description="hidden layers",
                                   continuous_update=False, style=style, layout=layout),
        "learning_rate": widgets.FloatLogSlider(value=0.3, base=10, min=-3, max=1, step=0.1,
                                                description="learning rate α", readout_format=".3g",
                                                continuous_update=False, style=style, layout=layout),
        "epochs": widgets.IntSlider(value=300, min=10, max=MAX_EPOCHS, step=10, description="epochs",
                                    continuous_update=False, style=style, layout=layout),
        "dataset": widgets.Dropdown(options=DATASETS, value="moons", description="data set",
                                    style=style),
    }
    return widgets.interactive(show_training, **controls, seed=widgets.fixed(0))
