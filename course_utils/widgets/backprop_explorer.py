"""Explorers for notebook 05 (backpropagation): nudge any weight, and step through backprop.

Two pure functions compute what the widgets show, and are tested without a browser:

    nudge_weight(parameters, X, Y, layer, j, k, eps)  -> NudgeResult
        nudges one weight W[layer]_jk by +-eps, measures the change in the cost J (a central
        difference, (0.3)) and sets it beside dW[layer]_jk from backpropagation (5.2).
    backprop_steps(parameters, X, Y)                    -> list of Step
        every quantity of one forward and one backward pass, in the order backpropagation
        computes them, each with its equation ID, shape and value.

``make_nudge_panel()`` and ``make_backprop_stepper()`` wrap them in ``ipywidgets.interactive``.
Shapes follow the course: examples are columns, X is n_0 x m, Y is n_L x m, W[l] is n_l x n_{l-1}.
"""

import html
import numbers
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from .. import backpropagation, compute_cost, forward_propagation, initialize_parameters, relative_error
from .._validation import (
    HIDDEN_ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    as_matrix,
    check_name,
    check_parameters,
    check_positive_number,
)
from ..activations import ACTIVATIONS

# ---------------------------------------------------------------------------------------------
# Example networks (fixed seeds, so every learner sees the same numbers)
# ---------------------------------------------------------------------------------------------


def nudge_network(seed=0):
    """A small smooth network for the nudge panel: sizes 3-4-3-1, tanh hidden, sigmoid output.

    Returns (parameters, X, Y): Xavier weights and small random biases, X of shape 3 x 6 drawn
    from N(0, 1) and binary labels Y of shape 1 x 6.
    """
    rng = np.random.default_rng(seed)
    parameters = initialize_parameters([3, 4, 3, 1], init="xavier", seed=seed)
    for l in (1, 2, 3):
        parameters[f"b{l}"] = 0.1 * rng.standard_normal(parameters[f"b{l}"].shape)
    X = rng.standard_normal((3, 6))
    Y = (rng.random((1, 6)) < 0.5).astype(float)
    return parameters, X, Y


def stepper_network(seed=0):
    """The 2-3-2-1 network of the backprop stepper: m = 4 examples.

    Returns (parameters, X, Y): Xavier weights W1 (3, 2), W2 (2, 3), W3 (1, 2); small random biases;
    X of shape 2 x 4 (one column per example) and labels Y = [[0, 1, 1, 0]] (an XOR-like pattern).
    """
    rng = np.random.default_rng(seed)
    parameters = initialize_parameters([2, 3, 2, 1], init="xavier", seed=seed)
    for l in (1, 2, 3):
        parameters[f"b{l}"] = 0.1 * rng.standard_normal(parameters[f"b{l}"].shape)
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]]) + 0.1 * rng.standard_normal((2, 4))
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    return parameters, X, Y


# ---------------------------------------------------------------------------------------------
# (a) Nudge any weight
# ---------------------------------------------------------------------------------------------


@dataclass
class NudgeResult:
    """What nudging one weight shows. All numbers are Python floats."""

    layer: int  # l, 1 .. L
    j: int  # row of W[l]: the unit of layer l
    k: int  # column of W[l]: the unit of layer l-1
    eps: float  # the nudge
    weight: float  # W[l]_jk before nudging
    cost: float  # J at the original weights
    cost_plus: float  # J with W[l]_jk + eps
    cost_minus: float  # J with W[l]_jk - eps
    numerical: float  # (J+ - J-) / (2 eps), the central difference (0.3)
    analytic: float  # dW[l]_jk from backpropagation (5.2)
    relative_error: float  # |numerical - analytic| / max(|numerical| + |analytic|, 1e-12)


def _check_index(value, name, size, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if not 0 <= value < size:
        raise ValueError(f"{name} must be in 0 .. {size - 1} ({what}), got {value}")
    return int(value)


def _cost(parameters, X, Y, hidden_activation, output_activation):
    AL, _ = forward_propagation(X, parameters, hidden_activation, output_activation)
    return compute_cost(AL, Y, output_activation)


def nudge_weight(parameters, X, Y, layer, j, k, eps, hidden_activation="tanh", output_activation="sigmoid"):
    """Nudge W[layer]_jk by +-eps; compare Delta J / (2 eps) with backpropagation's dW[layer]_jk.

    parameters: {"W1", "b1", ..., "WL", "bL"}; W[l] is n_l x n_{l-1}. Not modified.
    X: n_0 x m inputs. Y: n_L x m labels.
    layer: l in 1 .. L. j: row of W[l], 0 .. n_l - 1. k: column of W[l], 0 .. n_{l-1} - 1.
    eps: the nudge, a number > 0 (same units as the weight).
    hidden_activation, output_activation: as in ``forward_propagation``; the cost is the one
    ``compute_cost`` pairs with the output activation.

    Returns a NudgeResult: the central difference (J(W_jk + eps) - J(W_jk - eps)) / (2 eps)
    (equation (0.3)), the analytic dJ/dW_jk from (5.2), and their relative error.
    """
    check_name(hidden_activation, "hidden_activation", HIDDEN_ACTIVATIONS)
    check_name(output_activation, "output_activation", OUTPUT_ACTIVATIONS)
    L = check_parameters(parameters)
    if isinstance(layer, bool) or not isinstance(layer, numbers.Integral):
        raise TypeError(f"layer must be an integer, got {type(layer).__name__}")
    if not 1 <= layer <= L:
        raise ValueError(f"layer must be in 1 .. {L} (the network has {L} layers), got {layer}")
    n_l, n_prev = parameters[f"W{layer}"].shape
    j = _check_index(j, "j", n_l, f"W{layer} has {n_l} rows")
    k = _check_index(k, "k", n_prev, f"W{layer} has {n_prev} columns")
    eps = check_positive_number(eps, "eps")
    X = as_matrix(X, "X", rows=parameters["W1"].shape[1])
    Y = as_matrix(Y, "Y", rows=parameters[f"W{L}"].shape[0], cols=X.shape[1])

    params = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
    AL, cache = forward_propagation(X, params, hidden_activation, output_activation)
    cost = compute_cost(AL, Y, output_activation)
    analytic = float(backpropagation(cache, Y, params)[f"dW{layer}"][j, k])

    W = params[f"W{layer}"]
    weight = float(W[j, k])
    W[j, k] = weight + eps
    cost_plus = _cost(params, X, Y, hidden_activation, output_activation)
    W[j, k] = weight - eps
    cost_minus = _cost(params, X, Y, hidden_activation, output_activation)
    W[j, k] = weight
    numerical = (cost_plus - cost_minus) / (2 * eps)
    return NudgeResult(layer, j, k, eps, weight, cost, cost_plus, cost_minus, numerical, analytic,
                       relative_error(np.array(numerical), np.array(analytic)))


def cost_along_weight(parameters, X, Y, layer, j, k, offsets, hidden_activation="tanh",
                      output_activation="sigmoid"):
    """J as W[layer]_jk moves by each offset (a 1-D array, weight units). Returns an array like offsets."""
    params = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
    W = params[f"W{layer}"]
    weight = W[j, k]
    costs = []
    for offset in np.asarray(offsets, dtype=np.float64):
        W[j, k] = weight + offset
        costs.append(_cost(params, X, Y, hidden_activation, output_activation))
    return np.array(costs)


def _nudge_figure(result, parameters, X, Y, hidden_activation, output_activation):
    """J along W_jk with the tangent (slope dW_jk) and the secant through +-eps."""
    half_width = max(1.25 * result.eps, 0.5)
    t = np.linspace(-half_width, half_width, 81)
    J = cost_along_weight(parameters, X, Y, result.layer, result.j, result.k, t, hidden_activation,
                          output_activation)
    fig, ax = plt.subplots(figsize=(5, 3.2))
    w = result.weight
    ax.plot(w + t, J, color="k", label="J as $W_{jk}$ moves")
    ax.plot(w + t, result.cost + result.analytic * t, "--", color="tab:blue", label="tangent: slope $dW_{jk}$")
    ax.plot(w + t, result.cost_minus + result.numerical * (t + result.eps), ":", color="tab:red",
            label=r"secant: slope $\Delta J / 2\varepsilon$")
    ax.plot([w - result.eps, w + result.eps], [result.cost_minus, result.cost_plus], "o", color="tab:red")
    ax.plot([w], [result.cost], "o", color="k")
    ax.set_xlabel(f"$W^{{[{result.layer}]}}_{{{result.j}{result.k}}}$")
    ax.set_ylabel("cost J")
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def _nudge_html(r):
    rows = [
        ("weight", f"W{r.layer}[{r.j}, {r.k}] = {r.weight:.4g}"),
        ("nudge ε", f"{r.eps:.1e}"),
        ("J(W − ε), J, J(W + ε)", f"{r.cost_minus:.8g}, {r.cost:.8g}, {r.cost_plus:.8g}"),
        ("ΔJ / 2ε (central difference)", f"{r.numerical:.8g}"),
        (f"dW{r.layer}[{r.j}, {r.k}] from backprop (5.2)", f"{r.analytic:.8g}"),
        ("relative error", f"{r.relative_error:.2e}"),
    ]
    body = "".join(f"<tr><td>{html.escape(a)}</td><td><code>{html.escape(b)}</code></td></tr>" for a, b in rows)
    return f"<table>{body}</table>"


def make_nudge_panel(parameters=None, X=None, Y=None, hidden_activation="tanh", output_activation="sigmoid"):
    """Widget: pick a layer, a weight (j, k) and a nudge eps; see Delta J / 2 eps beside dW_jk.

    Defaults to ``nudge_network()`` (3-4-3-1, tanh hidden, sigmoid output, m = 6). The j and k
    sliders follow the chosen layer's shape (j < n_l, k < n_{l-1}); eps moves on a log scale from
    1e-8 to 1. Returns the ``ipywidgets.interactive``; its ``.result`` is the last NudgeResult.
    """
    import ipywidgets as widgets
    from IPython.display import HTML, display

    if parameters is None:
        parameters, X, Y = nudge_network()
    L = check_parameters(parameters)
    shapes = {l: parameters[f"W{l}"].shape for l in range(1, L + 1)}

    layer = widgets.Dropdown(options=[(f"{l}: W{l} is {s[0]}×{s[1]}", l) for l, s in shapes.items()],
                             value=1, description="layer")
    j = widgets.IntSlider(value=0, min=0, max=shapes[1][0] - 1, description="j (row)", continuous_update=False)
    k = widgets.IntSlider(value=0, min=0, max=shapes[1][1] - 1, description="k (column)", continuous_update=False)
    eps = widgets.FloatLogSlider(value=1e-5, base=10, min=-8, max=0, step=0.25, description="ε",
                                 readout_format=".1e", continuous_update=False)

    def follow_layer(change):
        # registered before ``interactive`` so the bounds are right when the panel recomputes
        n_l, n_prev = shapes[change["new"]]
        j.max, k.max = n_l - 1, n_prev - 1  # ipywidgets clamps the values into the new range

    layer.observe(follow_layer, names="value")

    def show(layer, j, k, eps):
        n_l, n_prev = shapes[layer]
        result = nudge_weight(parameters, X, Y, layer, min(j, n_l - 1), min(k, n_prev - 1), eps,
                              hidden_activation, output_activation)
        display(HTML(_nudge_html(result)))
        _nudge_figure(result, parameters, X, Y, hidden_activation, output_activation)
        return result

    return widgets.interactive(show, layer=layer, j=j, k=k, eps=eps)


# ---------------------------------------------------------------------------------------------
# (b) Step through one forward and one backward pass
# ---------------------------------------------------------------------------------------------


@dataclass
class Step:
    """One quantity of the forward or backward pass."""

    number: int  # 1, 2, ... in the order it is computed
    phase: str  # "forward" or "backward"
    name: str  # "Z1", "A1", ..., "cost", "dZ3", "dW3", ...
    equation: str  # the course's equation ID, e.g. "(5.2)"
    formula: str  # the line that computes it, e.g. "dW2 = (1/m) dZ2 · A1ᵀ"
    dimensions: str  # the dimension check, e.g. "(2×4)·(4×3) → 2×3"
    shape: tuple  # the value's shape; () for the cost
    value: np.ndarray  # a copy of the value (a 0-d array for the cost)


def _dims(*shapes):
    return "×".join(str(n) for n in shapes)


def backprop_steps(parameters=None, X=None, Y=None, hidden_activation="tanh"):
    """Every quantity of one forward and one backward pass, in the order it is computed.

    parameters: {"W1", "b1", ..., "WL", "bL"} (default: ``stepper_network()``, sizes 2-3-2-1).
    X: n_0 x m. Y: 1 x m binary labels (the output is a sigmoid with cross-entropy, so
    dZ[L] = A[L] - Y, (5.5)). hidden_activation: "tanh", "sigmoid", "relu" or "identity".

    Forward: Z1 (3.1), A1 (3.2), ..., ZL, AL, cost (2.2). Backward: dZL (5.5), dWL (5.2), dbL (5.3),
    then for l = L-1 .. 1: dA_l (5.4), dZ_l (5.1), dW_l (5.2), db_l (5.3). That is 6L steps
    (18 for the 2-3-2-1 network). dZ and dA are gradients of the summed loss; dW and db carry 1/m.
    Returns a list of Step.
    """
    check_name(hidden_activation, "hidden_activation", HIDDEN_ACTIVATIONS)
    if parameters is None:
        parameters, X, Y = stepper_network()
    L = check_parameters(parameters)
    X = as_matrix(X, "X", rows=parameters["W1"].shape[1])
    Y = as_matrix(Y, "Y", rows=parameters[f"W{L}"].shape[0], cols=X.shape[1])
    if parameters[f"W{L}"].shape[0] != 1:
        raise ValueError(f"the stepper's output is one sigmoid unit, but W{L} has shape {parameters[f'W{L}'].shape}")
    if Y.min() < 0 or Y.max() > 1:
        raise ValueError(f"Y must hold labels in [0, 1] for cross-entropy, got values from {Y.min()} to {Y.max()}")
    g, g_prime = ACTIVATIONS[hidden_activation]
    sigmoid = ACTIVATIONS["sigmoid"][0]
    m = X.shape[1]
    steps = []

    def record(phase, name, equation, formula, dimensions, value):
        value = np.array(value, dtype=np.float64)
        steps.append(Step(len(steps) + 1, phase, name, equation, formula, dimensions, value.shape, value))

    A = {0: X}
    Z = {}
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z[l] = W @ A[l - 1] + b
        record("forward", f"Z{l}", "(3.1)", f"Z{l} = W{l} · A{l - 1} + b{l}",
               f"({_dims(*W.shape)})·({_dims(*A[l - 1].shape)}) + {_dims(*b.shape)} → {_dims(*Z[l].shape)}", Z[l])
        A[l] = sigmoid(Z[l]) if l == L else g(Z[l])
        name = "σ" if l == L else hidden_activation
        record("forward", f"A{l}", "(3.2)", f"A{l} = {name}(Z{l})", f"{_dims(*Z[l].shape)} → {_dims(*A[l].shape)}",
               A[l])
    cost = compute_cost(A[L], Y, "sigmoid")
    record("forward", "cost", "(2.2)", f"J = −(1/m) Σ [y log a{L} + (1 − y) log(1 − a{L})]",
           f"1×{m} → one number", cost)

    dZ = A[L] - Y
    record("backward", f"dZ{L}", "(5.5)", f"dZ{L} = A{L} − Y", f"{_dims(*A[L].shape)} − {_dims(*Y.shape)}", dZ)
    for l in range(L, 0, -1):
        if l < L:
            W_next = parameters[f"W{l + 1}"]
            dA = W_next.T @ dZ
            record("backward", f"dA{l}", "(5.4)", f"dA{l} = W{l + 1}ᵀ · dZ{l + 1}",
                   f"({_dims(*W_next.T.shape)})·({_dims(*dZ.shape)}) → {_dims(*dA.shape)}", dA)
            dZ = dA * g_prime(Z[l])
            record("backward", f"dZ{l}", "(5.1)", f"dZ{l} = dA{l} ⊙ {hidden_activation}′(Z{l})",
                   f"{_dims(*dA.shape)} ⊙ {_dims(*Z[l].shape)}", dZ)
        dW = dZ @ A[l - 1].T / m
        record("backward", f"dW{l}", "(5.2)", f"dW{l} = (1/m) dZ{l} · A{l - 1}ᵀ",
               f"({_dims(*dZ.shape)})·({_dims(*A[l - 1].T.shape)}) → {_dims(*dW.shape)}", dW)
        db = dZ.sum(axis=1, keepdims=True) / m
        record("backward", f"db{l}", "(5.3)", f"db{l} = (1/m) Σ_i dZ{l}(i)",
               f"sum of {m} columns of {_dims(*dZ.shape)} → {_dims(*db.shape)}", db)
    return steps


def _matrix_html(value):
    if value.ndim == 0:
        return f"<code>{float(value):.4g}</code>"
    rows = "".join("<tr>" + "".join(f"<td><code>{x:.4g}</code></td>" for x in row) + "</tr>" for row in value)
    return f"<table style='border:1px solid #999'>{rows}</table>"


def _steps_html(steps, current):
    step = steps[current - 1]
    head = (f"<p><b>Step {step.number}/{len(steps)} ({step.phase})</b>: "
            f"<code>{html.escape(step.formula)}</code> &nbsp; equation {step.equation} &nbsp; "
            f"shape {step.shape} &nbsp; dimensions: <code>{html.escape(step.dimensions)}</code></p>")
    lines = []
    for s in steps:
        style = "font-weight:bold;background:#ffe9a8" if s.number == current else (
            "color:#999" if s.number > current else "")
        value = _matrix_html(s.value) if s.number == current else ""
        lines.append(f"<tr style='{style}'><td>{s.number}</td><td>{s.phase}</td><td>{html.escape(s.name)}</td>"
                     f"<td>{s.equation}</td><td>{s.shape}</td><td>{value}</td></tr>")
    table = ("<table><tr><th>step</th><th>pass</th><th>quantity</th><th>equation</th><th>shape</th>"
             "<th>value (4 significant digits)</th></tr>" + "".join(lines) + "</table>")
    return head + table


def make_backprop_stepper(hidden_activation="tanh"):
    """Widget: a "step" slider walks through ``backprop_steps()`` on the 2-3-2-1 network.

    Each step shows the quantity's formula, equation ID, shape, dimension check and value.
    Returns the ``ipywidgets.interactive``; its ``.result`` is the current Step.
    """
    import ipywidgets as widgets
    from IPython.display import HTML, display

    steps = backprop_steps(hidden_activation=hidden_activation)
    step = widgets.IntSlider(value=1, min=1, max=len(steps), description="step", continuous_update=False)

    def show(step):
        display(HTML(_steps_html(steps, step)))
        return steps[step - 1]

    return widgets.interactive(show, step=step)
