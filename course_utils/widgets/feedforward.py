"""Explorers for notebook 03, feedforward networks.

Two widgets, each a pure function wrapped by a ``make_*`` function:

- ``init_scale_histograms`` / ``make_init_scale_explorer``: how the scale of the initial weights
  (a multiple of He's scale, equation (3.6)) makes the activations of a deep network collapse,
  stay put, explode or saturate, layer by layer, and what that does to the gradients flowing back
  (``activation_spread`` computes the numbers: the forward spread and the backward one).
- ``moons_decision_boundary`` / ``make_architecture_explorer``: train a small network on the moons
  data with a chosen hidden activation, width, depth, learning rate and number of epochs, and draw
  its decision boundary and cost curve (``train_moons_classifier`` computes the numbers).
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

from .._validation import HIDDEN_ACTIVATIONS, check_name, check_positive_int, check_positive_number
from ..activations import activation_backward
from ..datasets import make_moons
from ..layers import linear_backward
from ..metrics import accuracy
from ..network import forward_propagation, initialize_parameters, predict
from ..plotting import plot_decision_boundary
from ..training import train

SPREAD_ACTIVATIONS = ("relu", "tanh", "sigmoid")
STYLE = {"description_width": "110px"}  # wide enough for every description: nothing is cut off


# --- (a) initialisation scale ------------------------------------------------------------------


def activation_spread(scale=1.0, activation="relu", depth=10, width=100, m=500, seed=0):
    """Standard deviation of every layer's activations, and of its weight gradient, at initialisation.

    The network has ``depth`` layers of ``width`` units, all with the same activation, and no
    training. Its weights are He's (3.6), W[l] ~ N(0, 2 / n_{l-1}), multiplied by ``scale``: 1 is
    He, 1/sqrt(2) is Xavier (the layers have equal widths), 0.01 / sqrt(2 / width) is "small".
    The input X (width x m) holds standard normal numbers. For the backward pass, a standard normal
    gradient dA[depth] arrives at the last layer (as from some cost) and is carried back through
    every layer with (5.1)-(5.4): dZ = dA * g'(Z), dW = dZ . A_prev^T / m, dA_prev = W^T . dZ.

    scale: multiplier of the He standard deviation, a number > 0.
    activation: "relu", "tanh" or "sigmoid" (every layer, including the last).
    depth, width, m: number of layers, units per layer, examples (ints >= 1).
    seed: X comes from ``np.random.default_rng(seed)``, the weights from
    ``initialize_parameters(..., seed=seed + 1)``, dA[depth] from ``default_rng(seed + 2)``.

    Returns a dict:
        "std"           array (depth,)      std of the entries of A[1], ..., A[depth]
        "gradient_std"  array (depth,)      std of the entries of dW[1], ..., dW[depth]
        "mean_slope"    array (depth,)      mean of g'(Z[l]) over its entries, l = 1..depth
        "activations"   list of depth arrays, A[l] of shape width x m
        "scale", "activation"               the arguments, for reference
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

    gradient_std, mean_slope = np.zeros(depth), np.zeros(depth)
    dA = np.random.default_rng(seed + 2).standard_normal((width, m))
    for l in range(depth, 0, -1):
        Z = cache[f"Z{l}"]
        mean_slope[l - 1] = activation_backward(np.ones_like(Z), Z, activation).mean()  # the mean g'(Z)
        dZ = activation_backward(dA, Z, activation)  # (5.1)
        dA, dW, _ = linear_backward(dZ, (cache[f"A{l - 1}"], parameters[f"W{l}"], parameters[f"b{l}"]))
        gradient_std[l - 1] = dW.std()
    return {"std": np.array([A.std() for A in activations]), "gradient_std": gradient_std,
            "mean_slope": mean_slope, "activations": activations, "scale": scale, "activation": activation}


def _draw_histogram(ax, A, activation, l, std):
    """One layer's activations: tanh and sigmoid on their own ranges (saturation piles up at the ends);
    ReLU's non-zero values in units of the layer's std (the magnitude is in the title and the panel below)."""
    if activation == "relu":
        values, (low, high) = A[A > 0] / max(std, 1e-300), (0.0, 4.0)
    else:
        values, (low, high) = A.ravel(), ((-1.0, 1.0) if activation == "tanh" else (0.0, 1.0))
    ax.hist(np.clip(values, low, high), bins=30, range=(low, high), color="tab:blue")
    ax.set_title(f"layer {l}\nstd {std:.2g}", fontsize=8)
    ax.set_yticks([])
    ax.tick_params(labelsize=7)


def init_scale_histograms(scale=1.0, activation="relu", depth=10, width=100, m=500, seed=0):
    """Draw a row of per-layer activation histograms, then the spread of A[l] and of dW[l] against depth.

    Top row: one histogram per layer of the entries of A[l] (tanh on [-1, 1], sigmoid on [0, 1];
    for ReLU the non-zero ones divided by the layer's std, on [0, 4]; values outside pile into the
    edge bins). Bottom left: std of A[l] against l on a log scale; bottom right: std of dW[l], the
    gradient a random output gradient sends back to layer l. Both beside the He curve (scale 1).
    Arguments as in ``activation_spread``.

    Returns a dict: "std" (array (depth,), std of A[1..depth]), "gradient_std" (array (depth,), std
    of dW[1..depth]), "last_std" (float, std of the last layer's activations), "ratio" (float,
    last std / first std), "gradient_ratio" (float, std of dW[1] / std of dW[depth]: above 1 the
    gradients grow on their way back, below 1 they vanish), "mean_slope" (array (depth,), mean g'(Z[l]))
    and "figure" (the matplotlib Figure).
    """
    spread = activation_spread(scale, activation, depth, width, m, seed)
    reference = activation_spread(1.0, activation, depth, width, m, seed)
    std, gradient_std = spread["std"], spread["gradient_std"]
    fig = plt.figure(figsize=(10, 4.6), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.3])
    for l, ax in enumerate(top.subplots(1, depth), start=1):
        _draw_histogram(ax, spread["activations"][l - 1], activation, l, std[l - 1])
    layers = np.arange(1, depth + 1)
    for ax, colour, values, he_values, label in zip(
            bottom.subplots(1, 2), ("tab:blue", "tab:red"), (std, gradient_std),
            (reference["std"], reference["gradient_std"]), ("std of A[l] (forward)", "std of dW[l] (backward)"),
            strict=True):
        ax.semilogy(layers, he_values, "--", color="grey", label="scale 1 (He)")
        ax.semilogy(layers, values, "o-", color=colour, label=f"scale {scale:.3g}")
        ax.set_xlabel("layer l")
        ax.set_ylabel(label, fontsize=8)
        ax.set_xticks(layers)
        both = np.concatenate([values, he_values])
        ax.set_ylim(both.min() / 3, both.max() * 3)
        if both.max() / both.min() > 30:  # several decades: label only the powers of ten
            ax.yaxis.set_minor_formatter(NullFormatter())
        ax.legend(fontsize=7, loc="best")
    shown = "non-zero activations / their std" if activation == "relu" else "activations"
    fig.suptitle(f"{activation} network, weights = {scale:.3g} x He scale: histograms of the {shown}; "
                 f"mean g'(Z) from {spread['mean_slope'].min():.2f} to {spread['mean_slope'].max():.2f}", fontsize=9)
    plt.show()
    return {"std": std, "gradient_std": gradient_std, "last_std": float(std[-1]), "ratio": float(std[-1] / std[0]),
            "gradient_ratio": float(gradient_std[0] / gradient_std[-1]), "mean_slope": spread["mean_slope"],
            "figure": fig}


def make_init_scale_explorer(depth=10, width=100, m=500, seed=0):
    """A log slider for the weight scale (a multiple of He's, 0.01 .. 10) and an activation picker.

    Returns an ``ipywidgets.interactive``; its ``.result`` is the dict of ``init_scale_histograms``.
    """
    scale = widgets.FloatLogSlider(value=1.0, base=10, min=-2, max=1, step=0.01, description="scale × He",
                                   readout_format=".3g", continuous_update=False, style=STYLE,
                                   layout=widgets.Layout(width="600px"))
    activation = widgets.Dropdown(options=list(SPREAD_ACTIVATIONS), value="relu", description="activation",
                                  style=STYLE, layout=widgets.Layout(width="300px"))
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

    The cost is drawn on a log scale, so a plateau (a flat stretch: the network is stuck, not slow)
    and the fall after it are both visible.
    Returns a dict: "accuracy" (float, training accuracy), "final_cost" (float), "costs", "figure".
    """
    result = train_moons_classifier(activation, width, depth, epochs, learning_rate, m, seed)
    parameters = result["parameters"]

    def predict_fn(points):
        return predict(points, parameters, hidden_activation=activation)

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), gridspec_kw={"width_ratios": [1.2, 1]})
    title = f"{result['layer_dims']}, {activation}, α = {learning_rate:.3g}: training accuracy {result['accuracy']:.3f}"
    plot_decision_boundary(predict_fn, result["X"], result["Y"], ax=left, resolution=150, title=title)
    left.title.set_fontsize(9)
    right.semilogy(np.arange(1, epochs + 1), result["costs"])
    right.set_xlabel("epoch")
    right.set_ylabel("cost J (cross-entropy), log scale")
    right.set_title(f"final cost {result['costs'][-1]:.3g} after {epochs} epochs", fontsize=9)
    fig.tight_layout()
    plt.show()
    return {"accuracy": result["accuracy"], "final_cost": result["costs"][-1], "costs": result["costs"],
            "figure": fig}


def make_architecture_explorer(epochs=1000, learning_rate=0.5, m=200, seed=0):
    """The hidden activation, width (1-32), depth (1-4), learning rate (1/32-8, powers of 2^(1/4)), epochs (100-3000).

    Each redraw trains the network afresh (full-batch gradient descent); the ranges keep it to a
    second or two.

    Returns an ``ipywidgets.interactive``; its ``.result`` is the dict of ``moons_decision_boundary``.
    """
    layout = widgets.Layout(width="520px")
    activation = widgets.Dropdown(options=list(HIDDEN_ACTIVATIONS), value="relu", description="activation",
                                  style=STYLE, layout=widgets.Layout(width="300px"))
    width = widgets.IntSlider(value=16, min=1, max=32, description="width", continuous_update=False, style=STYLE,
                              layout=layout)
    depth = widgets.IntSlider(value=1, min=1, max=4, description="hidden layers", continuous_update=False,
                              style=STYLE, layout=layout)
    rate = widgets.FloatLogSlider(value=check_positive_number(learning_rate, "learning_rate"), base=2,
                                  min=-5, max=3, step=0.25, description="learning rate α",
                                  readout_format=".3g", continuous_update=False, style=STYLE, layout=layout)
    steps = widgets.IntSlider(value=check_positive_int(epochs, "epochs"), min=100, max=3000, step=100,
                              description="epochs", continuous_update=False, style=STYLE, layout=layout)
    return widgets.interactive(moons_decision_boundary, activation=activation, width=width, depth=depth,
                               epochs=steps, learning_rate=rate, m=widgets.fixed(m), seed=widgets.fixed(seed))
