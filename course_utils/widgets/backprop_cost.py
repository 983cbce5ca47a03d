"""Explorer for notebook 04: what one gradient costs, by nudging every parameter or by backpropagation.

Costs are *counted*, never timed, so the widget shows the same numbers on every machine. The unit
is one forward pass, measured in multiply-adds of the matrix products W[l] . A[l-1] (3.1), which
is where a dense network spends its time.

- Nudging every parameter with central differences costs 2 cost evaluations per parameter, so
  2P forward passes for P parameters. Equation (4.1).
- Backpropagation costs one forward pass and one backward pass. The backward pass makes two
  matrix products per layer, dW[l] = (1/m) dZ[l] . A[l-1]^T and dA[l-1] = W[l]^T . dZ[l] (the
  second is skipped for layer 1), so its multiply-adds are at most twice the forward pass's: in
  all, between 2 and 3 forward passes, whatever P is.
"""

import numbers
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .._validation import check_positive_int


def _check_layer_dims(layer_dims):
    if not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2:
        raise ValueError(f"layer_dims must be a list [n_0, n_1, ..., n_L] of at least 2 sizes, got {layer_dims!r}")
    for position, n in enumerate(layer_dims):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"layer_dims[{position}] must be a positive integer, got {n!r}")
    return [int(n) for n in layer_dims]


def parameter_count(layer_dims):
    """P = sum over layers of n_l * n_{l-1} (the weights W[l]) + n_l (the biases b[l]).

    layer_dims: [n_0, n_1, ..., n_L]. Returns P, an int.
    """
    dims = _check_layer_dims(layer_dims)
    return sum(n * n_prev + n for n_prev, n in zip(dims[:-1], dims[1:], strict=True))


def forward_multiply_adds(layer_dims, m=1):
    """Multiply-adds of one forward pass: m * sum_l n_l * n_{l-1} (one product W[l] . A[l-1] per layer).

    layer_dims: [n_0, ..., n_L]. m: number of examples (columns of X). Returns an int.
    """
    dims = _check_layer_dims(layer_dims)
    m = check_positive_int(m, "m")
    return m * sum(n * n_prev for n_prev, n in zip(dims[:-1], dims[1:], strict=True))


def backward_multiply_adds(layer_dims, m=1):
    """Multiply-adds of one backward pass.

    Every layer computes dW[l] = (1/m) dZ[l] . A[l-1]^T (n_l * n_{l-1} * m multiply-adds, (5.2));
    layers 2..L also compute dA[l-1] = W[l]^T . dZ[l] (the same count, (5.4)); dA[0] is never
    needed. layer_dims: [n_0, ..., n_L]. m: number of examples. Returns an int.
    """
    dims = _check_layer_dims(layer_dims)
    m = check_positive_int(m, "m")
    products = [n * n_prev for n_prev, n in zip(dims[:-1], dims[1:], strict=True)]
    return m * (sum(products) + sum(products[1:]))


def gradient_costs(layer_dims):
    """Cost of one full gradient, in forward passes, for both methods.

    layer_dims: [n_0, ..., n_L].
    Returns (numerical, backprop):
        numerical  2P, an int: central differences evaluate the cost twice per parameter (4.1)
        backprop   1 + backward/forward multiply-adds, a float in [2, 3): one forward pass plus
                   one backward pass, independent of m
    """
    numerical = 2 * parameter_count(layer_dims)
    backprop = 1 + backward_multiply_adds(layer_dims) / forward_multiply_adds(layer_dims)
    return numerical, backprop


def network_dims(hidden_width, n_inputs=10, n_hidden_layers=2, n_outputs=1):
    """[n_inputs, hidden_width, ..., hidden_width, n_outputs] with n_hidden_layers hidden layers."""
    hidden_width = check_positive_int(hidden_width, "hidden_width")
    n_inputs = check_positive_int(n_inputs, "n_inputs")
    n_outputs = check_positive_int(n_outputs, "n_outputs")
    if isinstance(n_hidden_layers, bool) or not isinstance(n_hidden_layers, numbers.Integral) or n_hidden_layers < 0:
        raise ValueError(f"n_hidden_layers must be an integer >= 0, got {n_hidden_layers!r}")
    return [n_inputs] + [hidden_width] * int(n_hidden_layers) + [n_outputs]


@dataclass
class BackpropCost:
    """What the widget shows for one slider position (costs in forward passes)."""

    hidden_width: int
    layer_dims: list
    P: int  # number of parameters
    numerical_passes: int  # 2P (4.1)
    backprop_passes: float  # one forward + one backward pass, in [2, 3)
    speedup: float  # numerical_passes / backprop_passes
    readout: str  # the sentence printed above the plot
    curve_P: np.ndarray  # P for every hidden width 1 .. max_width (x axis of the plot)
    curve_numerical: np.ndarray  # 2P for each
    curve_backprop: np.ndarray  # backprop's forward passes for each
    figure: object  # the matplotlib Figure


def backprop_cost(hidden_width=20, n_inputs=10, n_hidden_layers=2, n_outputs=1, max_width=100):
    """Count the forward passes one gradient costs, and plot both methods against P.

    The network is [n_inputs, hidden_width (x n_hidden_layers), n_outputs]; the curves run over
    hidden widths 1 .. max(max_width, hidden_width), with a marker at the chosen width.
    All sizes are positive ints (n_hidden_layers may be 0). Costs are in forward passes
    (multiply-adds of one forward pass); P is a number of parameters. Draws the figure with
    plt.show() and returns a BackpropCost with every number shown.
    """
    max_width = check_positive_int(max_width, "max_width")
    dims = network_dims(hidden_width, n_inputs, n_hidden_layers, n_outputs)
    P = parameter_count(dims)
    numerical, backprop = gradient_costs(dims)
    speedup = numerical / backprop

    widths = np.arange(1, max(max_width, hidden_width) + 1)
    curve_dims = [network_dims(int(w), n_inputs, n_hidden_layers, n_outputs) for w in widths]
    curve_P = np.array([parameter_count(d) for d in curve_dims])
    costs = np.array([gradient_costs(d) for d in curve_dims])
    curve_numerical, curve_backprop = costs[:, 0], costs[:, 1]

    readout = (f"P = {P:,} parameters: nudging needs {numerical:,} forward passes, "
               f"backpropagation {backprop:.3g} ({speedup:,.0f}x fewer)")
    figure = _draw(curve_P, curve_numerical, curve_backprop, P, numerical, backprop, dims)
    print(readout)
    plt.show()
    return BackpropCost(int(hidden_width), dims, P, numerical, backprop, speedup, readout,
                        curve_P, curve_numerical, curve_backprop, figure)


def _draw(curve_P, curve_numerical, curve_backprop, P, numerical, backprop, dims):
    figure, ax = plt.subplots(figsize=(6, 3.5))
    ax.loglog(curve_P, curve_numerical, color="tab:red", label="central differences: $2P$")
    ax.loglog(curve_P, curve_backprop, color="tab:blue", label="backpropagation: forward + backward")
    ax.plot([P], [numerical], "o", color="tab:red")
    ax.plot([P], [backprop], "o", color="tab:blue")
    ax.vlines(P, backprop, numerical, colors="grey", linestyles=":")
    ax.set_xlabel("number of parameters $P$")
    ax.set_ylabel("cost of one gradient\n(forward passes)")
    ax.set_title(f"network {dims}: P = {P:,}", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    figure.tight_layout()
    return figure


def make_backprop_cost(hidden_width=20, n_inputs=10, n_hidden_layers=2, n_outputs=1, max_width=100):
    """A hidden-width slider (which sets P) on the cost plot of ``backprop_cost``.

    Returns an ``ipywidgets.interactive``; its ``.result`` is the latest BackpropCost.
    """
    slider = widgets.IntSlider(value=hidden_width, min=1, max=max_width, step=1,
                               description="hidden width", continuous_update=False,
                               style={"description_width": "initial"})
    return widgets.interactive(backprop_cost, hidden_width=slider, n_inputs=widgets.fixed(n_inputs),
                               n_hidden_layers=widgets.fixed(n_hidden_layers),
                               n_outputs=widgets.fixed(n_outputs), max_width=widgets.fixed(max_width))
