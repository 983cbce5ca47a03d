"""Explorers for notebook 05 (backpropagation): nudge any weight, and step through backprop.

Pure functions compute what the widgets show, and are tested without a browser:

    nudge_weight(parameters, X, Y, layer, j, k, eps)   -> NudgeResult
        nudges one weight W[layer]_jk by +-eps, measures the change in the cost J (a central
        difference, (0.3)) and sets it beside dW[layer]_jk from backpropagation (5.2).
    nudge_errors(parameters, X, Y, layer, j, k, eps_values)  -> array
        the relative error of that central difference for many eps: the V-curve of notebook 00
        (truncation ~ eps^2 on the right, round-off ~ u J / eps on the left) for this weight.
    backprop_steps(parameters, X, Y, hidden_activation) -> list of Step
        every quantity of one forward and one backward pass, in the order backpropagation
        computes them, each with its equation ID, shape, value and what it reads.
    stepper_view(number, hidden_activation, predict, guess) -> StepView
        what the stepper shows at one step: the table, the values read and made, the diagram.

``make_nudge_panel()`` and ``make_backprop_stepper()`` wrap them in ``ipywidgets.interactive``.
Shapes follow the course: examples are columns, X is n_0 x m, Y is n_L x m, W[l] is n_l x n_{l-1}.
The cost is computed from the output logits Z[L] ((6.1), exact), as the training loop does.
"""

import html
import numbers
import re
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from .. import backpropagation, cost_from_logits, forward_propagation, initialize_parameters, relative_error
from .._validation import (
    HIDDEN_ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    as_matrix,
    check_name,
    check_parameters,
    check_positive_number,
)
from ..activations import ACTIVATIONS
from ..diagrams import draw_backprop_sweep, sweep_reads

UNIT_ROUNDOFF = float(np.finfo(np.float64).eps) / 2
EPS_RANGE = (-12, 0)  # the nudge slider runs from 1e-12 to 1 (log10)
STEPPER_ACTIVATIONS = ("tanh", "relu", "sigmoid")

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
    roundoff: float = float("nan")  # u |J| / (eps |dW_jk|): the relative error round-off alone can cause
    figure: object = None  # the panel's matplotlib Figure, when drawn


def _check_index(value, name, size, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if not 0 <= value < size:
        raise ValueError(f"{name} must be in 0 .. {size - 1} ({what}), got {value}")
    return int(value)


def _cost(parameters, X, Y, L, hidden_activation, output_activation):
    """J from the output logits Z[L], exactly (6.1)/(6.2), as training and gradient checks compute it."""
    _, cache = forward_propagation(X, parameters, hidden_activation, output_activation)
    return cost_from_logits(cache[f"Z{L}"], Y, output_activation)


def _checked_nudge(parameters, X, Y, layer, j, k, hidden_activation, output_activation):
    """Validate the nudge panel's arguments; return (L, j, k, X, Y)."""
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
    X = as_matrix(X, "X", rows=parameters["W1"].shape[1])
    Y = as_matrix(Y, "Y", rows=parameters[f"W{L}"].shape[0], cols=X.shape[1])
    return L, j, k, X, Y


def _central_difference(params, X, Y, L, layer, j, k, eps, hidden_activation, output_activation):
    """(J(W_jk + eps), J(W_jk - eps)), restoring W_jk afterwards."""
    W = params[f"W{layer}"]
    weight = float(W[j, k])
    try:
        W[j, k] = weight + eps
        cost_plus = _cost(params, X, Y, L, hidden_activation, output_activation)
        W[j, k] = weight - eps
        cost_minus = _cost(params, X, Y, L, hidden_activation, output_activation)
    finally:
        W[j, k] = weight
    return cost_plus, cost_minus


def nudge_weight(parameters, X, Y, layer, j, k, eps, hidden_activation="tanh", output_activation="sigmoid"):
    """Nudge W[layer]_jk by +-eps; compare Delta J / (2 eps) with backpropagation's dW[layer]_jk.

    parameters: {"W1", "b1", ..., "WL", "bL"}; W[l] is n_l x n_{l-1}. Not modified.
    X: n_0 x m inputs. Y: n_L x m labels.
    layer: l in 1 .. L. j: row of W[l], 0 .. n_l - 1. k: column of W[l], 0 .. n_{l-1} - 1.
    eps: the nudge, a number > 0 (same units as the weight).
    hidden_activation, output_activation: as in ``forward_propagation``; J is computed from the
    output logits (``cost_from_logits``).

    Returns a NudgeResult: the central difference (J(W_jk + eps) - J(W_jk - eps)) / (2 eps)
    (equation (0.3)), the analytic dJ/dW_jk from (5.2), their relative error, and the relative
    error round-off alone would explain, u |J| / (eps |dW_jk|).
    """
    L, j, k, X, Y = _checked_nudge(parameters, X, Y, layer, j, k, hidden_activation, output_activation)
    eps = check_positive_number(eps, "eps")
    params = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
    _, cache = forward_propagation(X, params, hidden_activation, output_activation)
    cost = cost_from_logits(cache[f"Z{L}"], Y, output_activation)
    analytic = float(backpropagation(cache, Y, params)[f"dW{layer}"][j, k])
    cost_plus, cost_minus = _central_difference(params, X, Y, L, layer, j, k, eps, hidden_activation,
                                                output_activation)
    numerical = (cost_plus - cost_minus) / (2 * eps)
    roundoff = UNIT_ROUNDOFF * abs(cost) / (eps * abs(analytic)) if analytic else float("inf")
    return NudgeResult(layer, j, k, eps, float(params[f"W{layer}"][j, k]), cost, cost_plus, cost_minus, numerical,
                       analytic, relative_error(np.array(numerical), np.array(analytic)), roundoff)


def nudge_errors(parameters, X, Y, layer, j, k, eps_values, hidden_activation="tanh", output_activation="sigmoid"):
    """Relative error of the central difference for W[layer]_jk at each eps: its V-curve.

    Arguments as for ``nudge_weight``; eps_values: a 1-D array of nudges > 0. Large eps: the
    secant is not the tangent (truncation, ~ eps^2). Tiny eps: J(W + eps) and J(W - eps) agree in
    almost every digit, and the rounding of each, about u |J|, is divided by 2 eps (round-off).
    Returns an array of relative errors like eps_values.
    """
    L, j, k, X, Y = _checked_nudge(parameters, X, Y, layer, j, k, hidden_activation, output_activation)
    eps_values = np.asarray(eps_values, dtype=np.float64)
    if eps_values.ndim != 1 or eps_values.size == 0 or not np.all(np.isfinite(eps_values) & (eps_values > 0)):
        raise ValueError(f"eps_values must be a non-empty 1-D array of finite numbers > 0, got {eps_values!r}")
    params = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
    _, cache = forward_propagation(X, params, hidden_activation, output_activation)
    analytic = backpropagation(cache, Y, params)[f"dW{layer}"][j, k]
    errors = []
    for eps in eps_values:
        cost_plus, cost_minus = _central_difference(params, X, Y, L, layer, j, k, float(eps), hidden_activation,
                                                    output_activation)
        errors.append(relative_error(np.array((cost_plus - cost_minus) / (2 * eps)), np.array(analytic)))
    return np.array(errors)


def cost_along_weight(parameters, X, Y, layer, j, k, offsets, hidden_activation="tanh",
                      output_activation="sigmoid"):
    """J as W[layer]_jk moves by each offset (a 1-D array, weight units). Returns an array like offsets."""
    L = check_parameters(parameters)
    params = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
    W = params[f"W{layer}"]
    weight = W[j, k]
    costs = []
    for offset in np.asarray(offsets, dtype=np.float64):
        W[j, k] = weight + offset
        costs.append(_cost(params, X, Y, L, hidden_activation, output_activation))
    return np.array(costs)


TRACE_EPS = np.logspace(EPS_RANGE[0], EPS_RANGE[1], 25)  # the nudges of the panel's error trace


def _nudge_figure(result, parameters, X, Y, hidden_activation, output_activation):
    """Left: J along W_jk with the tangent (slope dW_jk) and the secant through +-eps.
    Right: the relative error against eps for this weight, with the chosen eps marked."""
    half_width = max(1.25 * result.eps, 0.5)
    t = np.linspace(-half_width, half_width, 81)
    J = cost_along_weight(parameters, X, Y, result.layer, result.j, result.k, t, hidden_activation,
                          output_activation)
    errors = nudge_errors(parameters, X, Y, result.layer, result.j, result.k, TRACE_EPS, hidden_activation,
                          output_activation)
    fig, (ax, ax_error) = plt.subplots(1, 2, figsize=(10, 3.3))
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

    floor = 1e-17  # an exact agreement (error 0) is drawn here and labelled
    ax_error.loglog(TRACE_EPS, np.maximum(errors, floor), "o-", color="k", markersize=3, label="relative error")
    ax_error.loglog(TRACE_EPS, UNIT_ROUNDOFF * abs(result.cost) / (TRACE_EPS * abs(result.analytic)), "--",
                    color="tab:orange", label=r"round-off $\approx u\,J / (\varepsilon\,|dW_{jk}|)$")
    ax_error.loglog([result.eps], [max(result.relative_error, floor)], "o", color="tab:red", markersize=8,
                    label=f"ε = {result.eps:.1e}")
    if result.relative_error == 0:
        ax_error.annotate("exact", (result.eps, floor), ha="center", va="bottom", fontsize=8)
    ax_error.set_ylim(floor / 2, 10)
    ax_error.set_xlabel(r"nudge $\varepsilon$")
    ax_error.set_ylabel("relative error")
    ax_error.set_title("small ε: round-off; large ε: the secant bends away", fontsize=9)
    ax_error.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    return fig


def _nudge_html(r):
    rows = [
        ("weight", f"W{r.layer}[{r.j}, {r.k}] = {r.weight:.4g}"),
        ("nudge ε", f"{r.eps:.1e}"),
        ("J(W − ε), J, J(W + ε)", f"{r.cost_minus:.8g}, {r.cost:.8g}, {r.cost_plus:.8g}"),
        ("ΔJ / 2ε (central difference)", f"{r.numerical:.8g}"),
        (f"dW{r.layer}[{r.j}, {r.k}] from backprop (5.2)", f"{r.analytic:.8g}"),
        ("relative error", f"{r.relative_error:.2e}"),
    ]
    body = "".join(f"<tr><td style='width:18em'>{html.escape(a)}</td><td><code>{html.escape(b)}</code></td></tr>"
                   for a, b in rows)
    return f"<table style='table-layout:fixed'>{body}</table>"


def make_nudge_panel(parameters=None, X=None, Y=None, hidden_activation="tanh", output_activation="sigmoid"):
    """Widget: pick a layer, a weight (j, k) and a nudge eps; see Delta J / 2 eps beside dW_jk.

    Defaults to ``nudge_network()`` (3-4-3-1, tanh hidden, sigmoid output, m = 6). The j and k
    sliders follow the chosen layer's shape (j < n_l, k < n_{l-1}); eps moves on a log scale from
    1e-12 to 1, far enough for round-off to show. Returns the ``ipywidgets.interactive``; its
    ``.result`` is the last NudgeResult, with its ``figure``.
    """
    import ipywidgets as widgets
    from IPython.display import HTML, display

    if parameters is None:
        parameters, X, Y = nudge_network()
    L = check_parameters(parameters)
    shapes = {l: parameters[f"W{l}"].shape for l in range(1, L + 1)}
    style, layout = {"description_width": "7em"}, widgets.Layout(width="520px")

    layer = widgets.Dropdown(options=[(f"{l}: W{l} is {s[0]}×{s[1]}", l) for l, s in shapes.items()],
                             value=1, description="layer", style=style)
    j = widgets.IntSlider(value=0, min=0, max=shapes[1][0] - 1, description="j (row)", continuous_update=False,
                          style=style, layout=layout)
    k = widgets.IntSlider(value=0, min=0, max=shapes[1][1] - 1, description="k (column)", continuous_update=False,
                          style=style, layout=layout)
    eps = widgets.FloatLogSlider(value=1e-5, base=10, min=EPS_RANGE[0], max=EPS_RANGE[1], step=0.25,
                                 description="nudge ε", readout_format=".1e", continuous_update=False,
                                 style=style, layout=layout)

    def follow_layer(change):
        # registered before ``interactive`` so the bounds are right when the panel recomputes
        n_l, n_prev = shapes[change["new"]]
        j.max, k.max = n_l - 1, n_prev - 1  # ipywidgets clamps the values into the new range

    layer.observe(follow_layer, names="value")

    def show(layer, j, k, eps):
        n_l, n_prev = shapes[layer]
        result = nudge_weight(parameters, X, Y, layer, min(j, n_l - 1), min(k, n_prev - 1), eps,
                              hidden_activation, output_activation)
        result.figure = _nudge_figure(result, parameters, X, Y, hidden_activation, output_activation)
        display(HTML(_nudge_html(result)))
        plt.show()
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
    reads: tuple = ()  # what it is computed from ("dZ2", "A1"), in the order of the formula
    cached: tuple = ()  # of those, the arrays the forward pass kept in the cache (A, Z)


def _dims(*shapes):
    return "×".join(str(n) for n in shapes)


def backprop_steps(parameters=None, X=None, Y=None, hidden_activation="tanh"):
    """Every quantity of one forward and one backward pass, in the order it is computed.

    parameters: {"W1", "b1", ..., "WL", "bL"} (default: ``stepper_network()``, sizes 2-3-2-1).
    X: n_0 x m. Y: 1 x m binary labels (the output is a sigmoid with cross-entropy, so
    dZ[L] = A[L] - Y, (5.5)). hidden_activation: "tanh", "sigmoid", "relu" or "identity".

    Forward: Z1 (3.1), A1 (3.2), ..., ZL, AL, cost (2.2). Backward: dZL (5.5), dWL (5.2), dbL (5.3),
    then for l = L-1 .. 1: dA_l (5.4), dZ_l (5.1), dW_l (5.2), db_l (5.3): 6L steps in all.
    dZ and dA are gradients of the summed loss; dW and db carry 1/m. Each Step records what it
    reads (``diagrams.sweep_reads``) and which of those the forward pass cached.
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
    reads = sweep_reads(L)
    m = X.shape[1]
    steps = []

    def record(phase, name, formula, dimensions, value):
        value = np.array(value, dtype=np.float64)
        equation, read = reads[name]
        cached = tuple(r for r in read if r[0] in "AZ")
        steps.append(Step(len(steps) + 1, phase, name, equation, formula, dimensions, value.shape, value,
                          read, cached))

    A = {0: X}
    Z = {}
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z[l] = W @ A[l - 1] + b
        record("forward", f"Z{l}", f"Z{l} = W{l} · A{l - 1} + b{l}",
               f"({_dims(*W.shape)})·({_dims(*A[l - 1].shape)}) + {_dims(*b.shape)} → {_dims(*Z[l].shape)}", Z[l])
        A[l] = sigmoid(Z[l]) if l == L else g(Z[l])
        name = "σ" if l == L else hidden_activation
        record("forward", f"A{l}", f"A{l} = {name}(Z{l})", f"{_dims(*Z[l].shape)} → {_dims(*A[l].shape)}", A[l])
    cost = cost_from_logits(Z[L], Y)
    record("forward", "cost", f"J = −(1/m) Σ [y log a{L} + (1 − y) log(1 − a{L})]", f"1×{m} → one number", cost)

    dZ = A[L] - Y
    record("backward", f"dZ{L}", f"dZ{L} = A{L} − Y", f"{_dims(*A[L].shape)} − {_dims(*Y.shape)}", dZ)
    for l in range(L, 0, -1):
        if l < L:
            W_next = parameters[f"W{l + 1}"]
            dA = W_next.T @ dZ
            record("backward", f"dA{l}", f"dA{l} = W{l + 1}ᵀ · dZ{l + 1}",
                   f"({_dims(*W_next.T.shape)})·({_dims(*dZ.shape)}) → {_dims(*dA.shape)}", dA)
            dZ = dA * g_prime(Z[l])
            record("backward", f"dZ{l}", f"dZ{l} = dA{l} ⊙ {hidden_activation}′(Z{l})",
                   f"{_dims(*dA.shape)} ⊙ {_dims(*Z[l].shape)}", dZ)
        dW = dZ @ A[l - 1].T / m
        record("backward", f"dW{l}", f"dW{l} = (1/m) dZ{l} · A{l - 1}ᵀ",
               f"({_dims(*dZ.shape)})·({_dims(*A[l - 1].T.shape)}) → {_dims(*dW.shape)}", dW)
        db = dZ.sum(axis=1, keepdims=True) / m
        record("backward", f"db{l}", f"db{l} = (1/m) Σ_i dZ{l}(i)",
               f"sum of {m} columns of {_dims(*dZ.shape)} → {_dims(*db.shape)}", db)
    return steps


_NUMBERS = re.compile(r"\d+")


def parse_shape(text):
    """A shape typed by a learner: "3x4", "3×4", "(3, 4)", "3 4" -> (3, 4); "()", "scalar", "number" -> ().

    Returns a tuple of ints, or None when the text is empty or names no shape.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    numbers_found = tuple(int(n) for n in _NUMBERS.findall(text))
    if numbers_found:
        return numbers_found
    if text.strip().lower() in ("()", "scalar", "number", "a number", "one number"):
        return ()
    return None


@dataclass
class StepView:
    """What the stepper shows at one step."""

    step: Step  # the current step
    steps: list  # all the steps of this pass
    shape_shown: bool  # False while the learner is asked to predict the shape
    verdict: object  # None (no guess yet), True (right) or False (wrong) for a predicted shape
    html: str  # the table and the values, as shown
    figure: object  # the diagram of the sweep with this step and what it reads marked


_STEP_CACHE = {}


def _steps_for(hidden_activation):
    """The stepper network's steps for one hidden activation (computed once each)."""
    if hidden_activation not in _STEP_CACHE:
        _STEP_CACHE[hidden_activation] = backprop_steps(hidden_activation=hidden_activation)
    return _STEP_CACHE[hidden_activation]


def _matrix_html(value):
    if value.ndim == 0:
        return f"<code>{float(value):.4g}</code>"
    rows = "".join("<tr>" + "".join(f"<td style='padding:0 4px'><code>{x:.3g}</code></td>" for x in row) + "</tr>"
                   for row in value)
    return f"<table style='border:1px solid #999;display:inline-table'>{rows}</table>"


def _known_values(hidden_activation):
    """Every array the steps read or make, by name: parameters, A0 = X, Y and the steps' values."""
    parameters, X, Y = stepper_network()
    values = {**parameters, "A0": X, "Y": Y}
    values.update({s.name: s.value for s in _steps_for(hidden_activation)})
    return values


def _shape_text(shape):
    return "×".join(map(str, shape)) if shape else "one number"


def _stepper_html(steps, step, values, predict, shape_shown, verdict, guess):
    cols = ("3em", "6em", "5em", "5em", "7em", "8em", "auto")
    head = "".join(f"<col style='width:{w}'>" for w in cols)
    rows = []
    for s in steps:
        if s.number == step.number:
            style = "font-weight:bold;background:#ffe9a8"
        else:
            style = "color:#aaa" if s.number > step.number else ""
        hide = predict and (s.number > step.number or (s.number == step.number and not shape_shown))
        shape = "?" if hide else _shape_text(s.shape)
        rows.append(f"<tr style='{style}'><td>{s.number}</td><td>{s.phase}</td><td>{html.escape(s.name)}</td>"
                    f"<td>{s.equation}</td><td>{shape}</td><td>{', '.join(s.cached) or '—'}</td>"
                    f"<td>{html.escape(s.formula)}</td></tr>")
    table = (f"<table style='table-layout:fixed;width:58em'><colgroup>{head}</colgroup>"
             "<tr><th>step</th><th>pass</th><th>quantity</th><th>equation</th><th>shape</th>"
             "<th>reads the cache</th><th>computed as</th></tr>" + "".join(rows) + "</table>")
    inputs = " &nbsp; ".join(
        f"<b>{html.escape(name)}</b> ({_shape_text(np.shape(values[name]))}) {_matrix_html(np.asarray(values[name]))}"
        for name in step.reads)
    if shape_shown:
        made = (f"<b>{html.escape(step.name)}</b> ({_shape_text(step.shape)}) {_matrix_html(step.value)}"
                f" &nbsp; dimensions: <code>{html.escape(step.dimensions)}</code>")
    else:
        made = (f"<b>{html.escape(step.name)}</b>: what shape will it have? Type it in the box "
                "(e.g. <code>3x4</code>).")
    if verdict is not None:
        made = (f"your guess {html.escape(guess)}: " + ("✓ right. " if verdict else
                f"✗ not quite, it is {_shape_text(step.shape)}. ") + made)
    block = (f"<div style='min-height:9em;width:58em'><p>Step {step.number}/{len(steps)} ({step.phase}): "
             f"<code>{html.escape(step.formula)}</code>, equation {step.equation}</p>"
             f"<p>reads: {inputs}</p><p>makes: {made}</p></div>")
    return table + block


def stepper_view(number=1, hidden_activation="tanh", predict=False, guess=""):
    """What the backprop stepper shows at step ``number`` of the 2-3-2-1 network.

    number: 1 .. 18. hidden_activation: "tanh", "relu" or "sigmoid". predict: when True the
    shape of the current step (and of every later one) stays hidden until ``guess`` (text such
    as "2x3") names a shape; then the verdict and the shape are shown. Draws nothing on screen.
    Returns a StepView (the table as HTML, the diagram as a matplotlib Figure).
    """
    check_name(hidden_activation, "hidden_activation", STEPPER_ACTIVATIONS)
    steps = _steps_for(hidden_activation)
    if isinstance(number, bool) or not isinstance(number, numbers.Integral) or not 1 <= number <= len(steps):
        raise ValueError(f"number must be a step from 1 to {len(steps)}, got {number!r}")
    step = steps[number - 1]
    guessed = parse_shape(guess) if predict else None
    verdict = None if guessed is None else guessed == step.shape
    shape_shown = not predict or guessed is not None
    html_text = _stepper_html(steps, step, _known_values(hidden_activation), predict, shape_shown, verdict, guess)
    fig, ax = plt.subplots(figsize=(9.5, 3.9))
    L = len(steps) // 6
    draw_backprop_sweep(L, highlight=step.name, ax=ax,
                        title=f"step {step.number}: {step.name} reads {', '.join(step.reads)}")
    fig.tight_layout()
    return StepView(step, steps, shape_shown, verdict, html_text, fig)


def make_backprop_stepper(hidden_activation="tanh"):
    """Widget: a "step" slider walks through one forward and one backward pass of the 2-3-2-1 network.

    Each step shows its formula, equation, shape, what it reads (the cached arrays marked on a
    diagram of the sweep) and its value. "predict each shape first" hides the shape of the
    current step until a guess is typed; moving to another step clears the guess. The hidden
    activation can be changed. Returns the ``ipywidgets.interactive``; its ``.result`` is the
    current StepView.
    """
    import ipywidgets as widgets
    from IPython.display import HTML, display

    steps = _steps_for(hidden_activation)
    style = {"description_width": "11em"}
    step = widgets.IntSlider(value=1, min=1, max=len(steps), description="step", continuous_update=False,
                             style=style, layout=widgets.Layout(width="560px"))
    activation = widgets.Dropdown(options=STEPPER_ACTIVATIONS, value=hidden_activation,
                                  description="hidden activation", style=style)
    predict = widgets.Checkbox(value=False, description="predict each shape first", indent=False)
    guess = widgets.Text(value="", description="your shape guess", placeholder="e.g. 3x4",
                         continuous_update=False, style=style)

    def new_step(change):
        # registered before ``interactive``: a new step starts with an empty guess
        guess.value = ""

    step.observe(new_step, names="value")

    def show(step, hidden_activation, predict, guess):
        view = stepper_view(step, hidden_activation, predict, guess)
        display(HTML(view.html))
        plt.show()
        return view

    return widgets.interactive(show, step=step, hidden_activation=activation, predict=predict, guess=guess)
