"""Gradient checks on saturated outputs: output logits of about +-40 and +-1e3.

There sigma(z) rounds to 0 or 1 and a clipped cost goes flat, while the true gradient AL - Y does
not vanish. The course's checker differentiates the exact cost from the logits (6.1)/(6.2), so a
correct backpropagation must pass there, and the planted bugs must still fail by a wide margin.
"""

import numpy as np
import pytest

import course_utils as cu
from course_utils.gradcheck import _central_differences
from course_utils.losses import _cost
from course_utils.network import _backward, _forward

from .conftest import random_network

PASS, FAIL = 0.1, 1000  # worst entry's error over its allowance


def saturated_network(output, logit_scale, seed):
    """A 3-layer tanh network whose output logits are of size ~logit_scale, with both signs."""
    rng = np.random.default_rng(seed)
    parameters, X, _ = random_network(rng, 3, "tanh", output, 6, width=(3, 5))
    _, cache = cu.forward_propagation(X, parameters, "tanh", output)
    L = 3
    ZL = cache[f"Z{L}"] - parameters[f"b{L}"]
    parameters[f"W{L}"] = parameters[f"W{L}"] * (logit_scale / np.abs(ZL).mean())
    parameters[f"b{L}"] = np.zeros_like(parameters[f"b{L}"])
    n_L = parameters[f"W{L}"].shape[0]
    if output == "sigmoid":
        Y = rng.integers(0, 2, (n_L, X.shape[1])).astype(float)
    else:
        Y = cu.one_hot(rng.integers(0, n_L, X.shape[1]), n_L)
    return parameters, X, Y


def worst(report):
    return max(report.values(), key=lambda w: w.ratio)


CASES = [(output, scale, seed) for output in ("sigmoid", "softmax") for scale in (40.0, 1e3) for seed in range(3)]


@pytest.mark.parametrize("output,scale,seed", CASES)
def test_correct_backprop_passes_on_saturated_outputs(output, scale, seed):
    parameters, X, Y = saturated_network(output, scale, seed)
    _, cache = cu.forward_propagation(X, parameters, "tanh", output)
    assert np.abs(cache["Z3"]).max() > 0.5 * scale  # the output really is saturated
    report = cu.gradient_check_network(parameters, X, Y, "tanh", output)
    assert worst(report).ratio < PASS, worst(report)


def _without_one_over_m(cache, Y, parameters):
    grads = _backward(cache, Y, parameters, 3)
    m = Y.shape[1]
    return {k: (v * m if k.startswith("dW") else v) for k, v in grads.items()}


def _sign_flipped_output(cache, Y, parameters):
    flipped = dict(cache)
    flipped["A3"] = 2 * Y - cache["A3"]  # so that dZ[L] = AL - Y becomes Y - AL
    return _backward(flipped, Y, parameters, 3)


@pytest.mark.parametrize("bug", [_without_one_over_m, _sign_flipped_output])
@pytest.mark.parametrize("output,scale,seed", CASES)
def test_planted_bugs_still_fail_on_saturated_outputs(bug, output, scale, seed):
    parameters, X, Y = saturated_network(output, scale, seed)
    report = cu.gradient_check_network(parameters, X, Y, "tanh", output, backward=bug)
    assert worst(report).ratio > FAIL and worst(report).error > 1e-2, worst(report)


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_the_clipped_cost_would_fail_a_correct_gradient(output):
    """Why the checker uses the logits: differentiating compute_cost's clipped value at a logit of
    ~40 rejects a correct backpropagation by orders of magnitude."""
    parameters, X, Y = saturated_network(output, 40.0, 0)
    params = {k: v.copy() for k, v in parameters.items()}
    _, cache = _forward(X, params, 3, "tanh", output)
    grads = _backward(cache, Y, params, 3)

    def clipped_cost(_nudged):
        AL, _ = _forward(X, params, 3, "tanh", output)
        return _cost(AL, Y, output)

    ratios = []
    for key in params:
        numerical, f_scale = _central_differences(clipped_cost, params[key], 1e-5)
        ratios.append(cu.compare_gradients(grads["d" + key], numerical, f_scale).ratio)
    assert max(ratios) > FAIL


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_training_records_the_exact_cost_of_a_saturated_start(output):
    """train's learning curve comes from the logits too: no cap at -log(eps)."""
    parameters, X, Y = saturated_network(output, 1e3, 1)
    _, cache = cu.forward_propagation(X, parameters, "tanh", output)
    exact = cu.cost_from_logits(cache["Z3"], Y, output)
    clipped = cu.compute_cost(cache["A3"], Y, output)
    per_label = -np.log(np.finfo(np.float64).eps)  # 36.04: the most one clipped log can add
    cap = per_label * (Y.shape[0] if output == "sigmoid" else 1)  # per example: each unit, or one class
    assert clipped <= cap + 1e-9 and exact > 10 * cap
    dims = [X.shape[0]] + [parameters[f"W{l}"].shape[0] for l in (1, 2, 3)]
    _, costs = cu.train(X, Y, dims, "tanh", output, learning_rate=1e-12, epochs=1, parameters=parameters)
    assert costs[0] == pytest.approx(exact, rel=1e-6)
