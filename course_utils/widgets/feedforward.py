"""Explorers for notebook 03, feedforward networks.

Two widgets, each a pure function wrapped by a ``make_*`` function:

- ``init_scale_histograms`` / ``make_init_scale_explorer``: how the scale of the initial weights
  (a multiple of He's scale, equation (3.6)) makes the activations of a deep network collapse,
  stay put or explode, layer by layer (``activation_spread`` computes the numbers).
- ``moons_decision_boundary`` / ``make_architecture_explorer``: train a small network on the moons
  data with a chosen hidden activation, width and depth, and draw its decision boundary
  (``train_moons_classifier`` computes the numbers).
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .._validation import HIDDEN_ACTIVATIONS, check_name, check_positive_int, check_positive_number
from ..datasets import make_moons
from ..metrics import accuracy
from ..network import forward_propagation, initialize_parameters, predict
from ..plotting import plot_decision_boundary
from ..training import train

SPREAD_ACTIVATIONS = ("relu", "tanh")


# --- (a) initialisation scale ------------------------------------------------------------------


def activation_spread(scale=1.0, activation="relu", depth=10, width=100, m=500, seed=0):
    """Standard deviation of every layer's activations in a deep network at initialisation.

    The network has ``depth`` layers of ``width`` units, all with the same activation, and no
    training. Its weights are He's (3.6), W[l] ~ N(0, 2 / n_{l-1}), multiplied by ``scale``: 1 is
    He, 1/sqrt(2) is Xavier (the layers have equal widths), 0.01 / sqrt(2 / width) is "small".
    The input X (width x m) holds standard normal numbers.

    scale: multiplier of the He standard deviation, a number > 0.
    activation: "relu" or "tanh" (every layer, including the last).
    depth, width, m: number of layers, units per layer, examples (ints >= 1).
    seed: X comes from ``np.random.default_rng(seed)``, the weights from
    ``initialize_parameters(..., seed=seed + 1)``.

    Returns a dict:
        "std"          array (depth,)      std of the entries of A[1], ..., A[depth]
        "activations"  list of depth arrays, A[l] of shape width x m
        "scale", "activation"              the arguments, for reference
    """
    scale = check_positive_number(scale, "scale")
    check_name(activation, "activation", SPREAD_ACTIVATIONS)
    depth = check_positive_int(depth, "depth")
    width = check_positive_int(width, "width")
    m = check_positive_int(m, "m")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((width, m))
    parameters = initialize_parameters([width] * (depth + 1), init="he", seed=seed + 1)
    parameters = {key: (scale * value if key[0] == "W" else value) for key, value in parameters.items()}
    _, cache = forward_propagation(X, parameters, hidden_activation=activation, output_activation=activation)
    activations = [cache[f"A{l}"] for l in range(1, depth + 1)]
    std = np.array([A.std() for A in activations])
    return {"std": std, "activations": activations, "scale": scale, "activation": activation}


def _histogram_range(activation):
    """A fixed x-range per activation, so panels compare across layers and across scales."""
    return (-1.0, 1.0) if activation == "tanh" else (0.0, 4.0)


def _draw_histogram(ax, A, activation, l, std):
    low, high = _histogram_range(activation)
    values = A[A > 0] if activation == "relu" else A.ravel()  # ReLU: about half are exactly 0
    ax.hist(np.clip(values, low, high), bins=30, range=(low, high), color="tab:blue")
    ax.set_title(f"layer {l}\nstd {std:.2g}", fontsize=8)
    ax.set_yticks([])
    ax.tick_params(labelsize=7)


def init_scale_histograms(scale=1.0, activation="relu", depth=10, width=100, m=500, seed=0):
    """Draw a row of per-layer activation histograms and the spread against depth.

    Top row: one histogram per layer of the entries of A[l] (for ReLU only the non-zero ones; the
    x-range is fixed, values outside it are piled into the edge bins). Bottom: std of A[l] against
    l on a log scale, beside the He curve (scale 1) for reference. Arguments as in
    ``activation_spread``.

    Returns a dict: "std" (array (depth,), std of A[1..depth]), "last_std" (float, std of the last
    layer's activations), "ratio" (float, last std / first std), "figure" (the matplotlib Figure).
    """
    spread = activation_spread(scale, activation, depth, width, m, seed)
    reference = activation_spread(1.0, activation, depth, width, m, seed)["std"]
    std = spread["std"]
    fig = plt.figure(figsize=(10, 3.5), layout="constrained")
    grid = fig.add_gridspec(2, depth, height_ratios=[1, 1.1])
    for l in range(1, depth + 1):
        ax = fig.add_subplot(grid[0, l - 1])
        _draw_histogram(ax, spread["activations"][l - 1], activation, l, std[l - 1])
    ax = fig.add_subplot(grid[1, :])
    layers = np.arange(1, depth + 1)
    ax.semilogy(layers, reference, "--", color="grey", label="scale 1 (He)")
    ax.semilogy(layers, std, "o-", color="tab:blue", label=f"scale {scale:.3g}")
    ax.set_xlabel("layer l")
    ax.set_ylabel("std of A[l]")
    ax.set_xticks(layers)
    both = np.concatenate([std, reference])
    ax.set_ylim(both.min() / 3, both.max() * 3)
    ax.legend(fontsize=8, loc="best")
    shown = "non-zero activations" if activation == "relu" else "activations"
    fig.suptitle(f"{activation} network, weights = {scale:.3g} x He scale: histograms of the {shown}", fontsize=9)
    plt.show()
    return {"std": std, "last_std": float(std[-1]), "ratio": float(std[-1] / std[0]), "figure": fig}


def make_init_scale_explorer(depth=10, width=100, m=500, seed=0):
    """A log slider for the weight scale (a multiple of He's) and an activation picker.

    Returns an ``ipywidgets.interactive``; its ``.result`` is the dict of ``init_scale_histograms``.
    """
    scale = widgets.FloatLogSlider(value=1.0, base=10, min=-2, max=1, step=0.05, description="scale x He",
                                   readout_format=".3g", continuous_update=False)
    activation = widgets.Dropdown(options=list(SPREAD_ACTIVATIONS), value="relu", description="activation")
    return widgets.interactive(init_scale_histograms, scale=scale, activation=activation, depth=widgets.fixed(depth),
                               width=widgets.fixed(width), m=widgets.fixed(m), seed=widgets.fixed(seed))


# --- (b) network shape and activation ----------------------------------------------------------


def train_moons_classifier(activation="relu", width=16, depth=1, epochs=1000, learning_rate=0.5, m=200, seed=0):
    """Train a network with ``depth`` hidden layers of ``width`` units on the moons data.

    Data: ``make_moons(m, noise=0.2, seed=seed)``, X: 2 x m, Y: 1 x m. Network: layer sizes
    [2, width, ..., width, 1], the chosen hidden activation and a sigmoid output (cross-entropy
    cost), He initialisation for ReLU and Xavier otherwise (3.6), full-batch gradient descent.

    activation: "relu", "tanh", "sigmoid" or "identity" (hidden layers).
    width, depth, epochs: ints >= 1. learning_rate: a number > 0.

    Returns a dict: "accuracy" (float, training accuracy in [0, 1]), "costs" (list of epochs
    floats, cost after each epoch), "parameters", "X", "Y", "layer_dims", "activation".
    """
    check_name(activation, "activation", HIDDEN_ACTIVATIONS)
    width = check_positive_int(width, "width")
    depth = check_positive_int(depth, "depth")
    X, Y = make_moons(m, noise=0.2, seed=seed)
    layer_dims = [2] + [width] * depth + [1]
    init = "he" if activation == "relu" else "xavier"
    parameters, costs = train(X, Y, layer_dims, hidden_activation=activation, output_activation="sigmoid",
                              learning_rate=learning_rate, epochs=epochs, init=init, seed=seed)
    training_accuracy = accuracy(Y, predict(X, parameters, hidden_activation=activation))
    return {"accuracy": training_accuracy, "costs": costs, "parameters": parameters, "X": X, "Y": Y,
            "layer_dims": layer_dims, "activation": activation}


def moons_decision_boundary(activation="relu", width=16, depth=1, epochs=1000, learning_rate=0.5, m=200, seed=0):
    """Train as ``train_moons_classifier`` does, then draw the decision boundary and the cost curve.

    Returns a dict: "accuracy" (float, training accuracy), "final_cost" (float), "figure".
    """
    result = train_moons_classifier(activation, width, depth, epochs, learning_rate, m, seed)
    parameters = result["parameters"]

    def predict_fn(points):
        return predict(points, parameters, hidden_activation=activation)

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5), gridspec_kw={"width_ratios": [1.2, 1]})
    title = f"{result['layer_dims']}, {activation}: training accuracy {result['accuracy']:.3f}"
    plot_decision_boundary(predict_fn, result["X"], result["Y"], ax=left, resolution=150, title=title)
    left.title.set_fontsize(9)
    right.plot(np.arange(1, epochs + 1), result["costs"])
    right.set_xlabel("epoch")
    right.set_ylabel("cost J (cross-entropy)")
    right.set_ylim(bottom=0)
    fig.tight_layout()
    plt.show()
    return {"accuracy": result["accuracy"], "final_cost": result["costs"][-1], "figure": fig}


def make_architecture_explorer(epochs=1000, learning_rate=0.5, m=200, seed=0):
    """A Dropdown for the hidden activation and IntSliders for the hidden width (1-32) and depth (1-4).

    The ranges are kept small so that each redraw (training plus drawing) takes under a second.

    Returns an ``ipywidgets.interactive``; its ``.result`` is the dict of ``moons_decision_boundary``.
    """
    activation = widgets.Dropdown(options=list(HIDDEN_ACTIVATIONS), value="relu", description="activation")
    width = widgets.IntSlider(value=16, min=1, max=32, description="width", continuous_update=False)
    depth = widgets.IntSlider(value=1, min=1, max=4, description="hidden layers", continuous_update=False)
    return widgets.interactive(moons_decision_boundary, activation=activation, width=width, depth=depth,
                               epochs=widgets.fixed(epochs), learning_rate=widgets.fixed(learning_rate),
                               m=widgets.fixed(m), seed=widgets.fixed(seed))
