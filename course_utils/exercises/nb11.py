"""Notebook 11's exercises: the RNN cell forward and backward, backpropagation through time, clipping."""

import numpy as np

from ..activations import sigmoid
from ..rnn import _rnn_cell_backward, clip_by_norm, rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward
from ._core import Exercise, Mistake, register


def _rnn_parameters(rng, n_x, n_a, n_y):
    """Random RNN parameters with non-zero biases (a dropped bias shows)."""
    return {"Wax": rng.standard_normal((n_a, n_x)) / np.sqrt(n_x),
            "Waa": rng.standard_normal((n_a, n_a)) / np.sqrt(n_a), "ba": 0.5 * rng.standard_normal((n_a, 1)),
            "Wya": rng.standard_normal((n_y, n_a)), "by": 0.5 * rng.standard_normal((n_y, 1))}


def _sizes(rng, count=8):
    """[(n_x, n_a, n_y, m)]: n_x != n_a (a missing transpose cannot hide), m = 1 in the first case."""
    sizes = []
    while len(sizes) < count:
        n_x, n_a, n_y = (int(v) for v in rng.integers(2, 6, 3))
        m = 1 if not sizes else int(rng.integers(2, 7))
        if n_x != n_a and len({n_a, m}) == 2:
            sizes.append((n_x, n_a, n_y, m))
    return sizes


# (11.1), (11.2) one step forward ---------------------------------------------------------------
def _cell_forward_cases(rng):
    cases = []
    for n_x, n_a, n_y, m in _sizes(rng):
        cases.append((rng.standard_normal((n_x, m)), 0.8 * rng.standard_normal((n_a, m)),
                      _rnn_parameters(rng, n_x, n_a, n_y)))
    return cases


def _cell_forward_with(activation=np.tanh, bias=True, output_axis=0):
    def wrong(xt, a_prev, parameters):
        z = parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + (parameters["ba"] if bias else 0)
        a_next = activation(z)
        logits = parameters["Wya"] @ a_next + parameters["by"]
        E = np.exp(logits - logits.max(axis=output_axis, keepdims=True))
        return a_next, E / E.sum(axis=output_axis, keepdims=True), None
    return wrong


register(Exercise(
    name="rnn_cell_forward",
    equation="(11.1), (11.2)",
    reference=rnn_cell_forward,
    cases=_cell_forward_cases,
    outputs=("a_next", "yt_pred", None),
    argument_names=("xt", "a_prev", "parameters"),
    mistakes=(
        Mistake("bias_dropped", _cell_forward_with(bias=False),
                "a_next is missing the bias: (11.1) is tanh(Wax xt + Waa a_prev + ba)."),
        Mistake("sigmoid_instead_of_tanh", _cell_forward_with(activation=sigmoid),
                "a_next went through a sigmoid; the RNN cell (11.1) uses tanh, whose outputs lie in (-1, 1)."),
        Mistake("wrong_axis", _cell_forward_with(output_axis=1),
                "yt_pred's softmax ran along the examples; (11.2) normalises each column (one example's "
                "n_y scores) over axis 0."),
    ),
    hint="a_next = np.tanh(Wax @ xt + Waa @ a_prev + ba); yt_pred = softmax(Wya @ a_next + by) column by column.",
))


# (11.3) one step backward -----------------------------------------------------------------------
def _cell_backward_cases(rng):
    cases = []
    for n_x, n_a, n_y, m in _sizes(rng):
        parameters = _rnn_parameters(rng, n_x, n_a, n_y)
        xt, a_prev = rng.standard_normal((n_x, m)), 0.8 * rng.standard_normal((n_a, m))
        a_next = np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
        cases.append((rng.standard_normal((n_a, m)), xt, a_prev, a_next, parameters))
    return cases


def rnn_cell_backward_exercise(da_next, xt, a_prev, a_next, parameters):
    """The exercise's signature around ``rnn_cell_backward``: (11.3) from the cell's values."""
    return rnn_cell_backward(da_next, (a_next, a_prev, xt, parameters))


def _cell_backward_with(dz_of=None, scale=1.0, transpose=True):
    def wrong(da_next, xt, a_prev, a_next, parameters):
        dz = dz_of(da_next, xt, a_prev, a_next, parameters) if dz_of else da_next * (1 - a_next ** 2)
        m = xt.shape[1]
        Waa = parameters["Waa"]
        return {"dxt": parameters["Wax"].T @ dz, "da_prev": (Waa.T if transpose else Waa) @ dz,
                "dWax": scale * dz @ xt.T / m, "dWaa": scale * dz @ a_prev.T / m,
                "dba": scale * dz.sum(axis=1, keepdims=True) / m}
    return wrong


def _dz_from_preactivation(da_next, xt, a_prev, a_next, parameters):
    z = parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"]
    return da_next * (1 - z ** 2)


register(Exercise(
    name="rnn_cell_backward",
    equation="(11.3)",
    reference=rnn_cell_backward_exercise,
    cases=_cell_backward_cases,
    outputs=("gradients",),
    argument_names=("da_next", "xt", "a_prev", "a_next", "parameters"),
    mistakes=(
        Mistake("missing_1_over_m", lambda da, x, a, an, p: {
                    k: (v * x.shape[1] if k in ("dWax", "dWaa", "dba") else v)
                    for k, v in rnn_cell_backward_exercise(da, x, a, an, p).items()},
                "dWax, dWaa and dba are m times too large: the parameter gradients of (11.3) carry the 1/m "
                "(da_next is a gradient of the summed loss; J is the mean)."),
        Mistake("tanh_derivative_of_input", _cell_backward_with(dz_of=_dz_from_preactivation),
                "you used 1 - z^2 with z the pre-activation Wax xt + Waa a_prev + ba; tanh'(z) = 1 - tanh(z)^2 "
                "= 1 - a_next^2, the square of the cell's *output* (11.3)."),
        Mistake("missing_transpose", _cell_backward_with(transpose=False),
                "da_prev needs Waa transposed: (11.3) is Waa^T dz, the gradient flowing back along the weights."),
    ),
    hint="dz = da_next * (1 - a_next**2); then the dense layer's rules (5.2)-(5.4) for Wax (input xt) and for "
         "Waa (input a_prev), with one dba.",
))


# (11.5) backpropagation through time --------------------------------------------------------------
def _bptt_cases(rng):
    cases = []
    for i, (n_x, n_a, n_y, m) in enumerate(_sizes(rng)):
        T_x = 1 if i == 1 else int(rng.integers(2, 6))
        parameters = _rnn_parameters(rng, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), 0.5 * rng.standard_normal((n_a, m))
        _, _, caches = rnn_forward(x, a0, parameters)
        cases.append((rng.standard_normal((n_a, m, T_x)), caches))
    return cases


def _bptt_with(carry=True, accumulate=True):
    def wrong(da, caches):
        cell_caches, x = caches
        n_a, m, T_x = da.shape
        dx, da_prev = np.zeros(x.shape), np.zeros((n_a, m))
        grads = {"dWax": 0, "dWaa": 0, "dba": 0}
        for t in reversed(range(T_x)):
            step = _rnn_cell_backward(da[:, :, t] + (da_prev if carry else 0), cell_caches[t])
            dx[:, :, t], da_prev = step["dxt"], step["da_prev"]
            for key in grads:
                grads[key] = grads[key] + step[key] if accumulate else step[key]
        return {"dx": dx, "da0": da_prev, **grads}
    return wrong


register(Exercise(
    name="rnn_backward",
    equation="(11.5)",
    reference=rnn_backward,
    cases=_bptt_cases,
    outputs=("gradients",),
    argument_names=("da", "caches"),
    mistakes=(
        Mistake("missing_recurrent_gradient", _bptt_with(carry=False),
                "each step only got da[:, :, t]; (11.5) adds the gradient coming back from step t + 1 (the "
                "previous iteration's da_prev): a<t> feeds the output *and* the next step."),
        Mistake("not_accumulated", _bptt_with(accumulate=False),
                "the parameter gradients hold only the first step's contribution; the same Wax, Waa, ba are "
                "used at every step, so (11.5) adds up the contributions of all T_x steps."),
    ),
    hint="Loop t from T_x - 1 down to 0: step = rnn_cell_backward(da[:, :, t] + da_prev, caches[0][t]); keep "
         "dx[:, :, t] = step['dxt'], da_prev = step['da_prev'], and add up dWax, dWaa, dba.",
))


# (11.8) clipping by norm -----------------------------------------------------------------------------
def _clip_cases(rng):
    cases = []
    for i in range(8):
        shapes = [tuple(int(v) for v in rng.integers(1, 5, 2)) for _ in range(int(rng.integers(2, 4)))]
        gradients = {f"dW{k}": float(rng.choice([0.3, 3.0, 30.0])) * rng.standard_normal(shape)
                     for k, shape in enumerate(shapes)}
        norms = sorted(float(np.linalg.norm(g)) for g in gradients.values())
        total = float(np.sqrt(sum(n * n for n in norms)))
        # between the largest single norm and the total (where the mistakes differ), or above the total
        max_norm = 2 * total if i == 0 else norms[-1] + (total - norms[-1]) * float(rng.uniform(0.2, 0.8))
        if i == 1:
            max_norm = float(min(norms) * 0.5)
        cases.append((gradients, max_norm))
    return cases


def _clip_per_array(gradients, max_norm):
    return {k: g * min(1.0, max_norm / np.linalg.norm(g)) for k, g in gradients.items()}


def _clip_always(gradients, max_norm):
    norm = np.sqrt(sum(np.sum(g * g) for g in gradients.values()))
    return {k: g * max_norm / norm for k, g in gradients.items()}


register(Exercise(
    name="clip_by_norm",
    equation="(11.8)",
    reference=clip_by_norm,
    cases=_clip_cases,
    outputs=("gradients",),
    argument_names=("gradients", "max_norm"),
    mistakes=(
        Mistake("per_array_norm", _clip_per_array,
                "each array was clipped to its own norm, which changes the gradient's direction; (11.8) uses one "
                "global norm, sqrt of the sum of the squares of *every* entry of every array, and one factor."),
        Mistake("clipped_by_value", lambda gradients, max_norm: {k: np.clip(g, -max_norm, max_norm)
                                                                 for k, g in gradients.items()},
                "you clipped each entry (11.7); clipping by norm (11.8) rescales the whole gradient instead, "
                "keeping its direction."),
        Mistake("always_rescaled", _clip_always,
                "a gradient already shorter than max_norm was stretched; (11.8) multiplies by min(1, max_norm / "
                "norm), so short gradients are left alone."),
    ),
    hint="norm = sqrt(sum over arrays of np.sum(g * g)); if norm > max_norm, multiply every array by "
         "max_norm / norm; return a new dict.",
))
