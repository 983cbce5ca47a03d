"""Network gradients against autograd, an independent reverse-mode differentiator.

The oracle's forward pass below is written from the equations alone, in autograd.numpy; autograd
differentiates it. No finite-difference round-off here, so the agreement must be near machine
precision: worst entry relative error <= 1e-9.
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

import course_utils as cu

from .conftest import HIDDEN, OUTPUT, random_network

ORACLE_TOLERANCE = 1e-9


def _g(Z, name):
    if name == "relu":
        return anp.maximum(Z, 0.0)
    if name == "tanh":
        return anp.tanh(Z)
    if name == "sigmoid":
        return 1.0 / (1.0 + anp.exp(-Z))
    if name == "softmax":
        E = anp.exp(Z - anp.max(Z, axis=0, keepdims=True))
        return E / anp.sum(E, axis=0, keepdims=True)
    return Z


def oracle_cost(parameters, X, Y, hidden, output):
    """J = (1/m) sum of per-example losses, for the network described by ``parameters``."""
    L = len([k for k in parameters if k.startswith("W")])
    A = X
    for l in range(1, L + 1):
        A = _g(anp.dot(parameters[f"W{l}"], A) + parameters[f"b{l}"], hidden if l < L else output)
    m = X.shape[1]
    if output == "sigmoid":
        return -anp.sum(Y * anp.log(A) + (1 - Y) * anp.log(1 - A)) / m
    if output == "softmax":
        return -anp.sum(Y * anp.log(A)) / m
    return anp.sum((A - Y) ** 2) / (2 * m)


def _cases():
    rng = np.random.default_rng(7)
    cases = []
    for depth in range(1, 6):
        for hidden in HIDDEN:
            for output in OUTPUT:
                for m in (1, 4):
                    cases.append((depth, hidden, output, m, int(rng.integers(1 << 30))))
    return cases


@pytest.mark.parametrize("depth,hidden,output,m,seed", _cases())
def test_backpropagation_matches_autograd(depth, hidden, output, m, seed):
    rng = np.random.default_rng(seed)
    parameters, X, Y = random_network(rng, depth, hidden, output, m, width=(1, 7))
    _, cache = cu.forward_propagation(X, parameters, hidden, output)
    grads = cu.backpropagation(cache, Y, parameters)
    with np.errstate(under="ignore"):
        expected = grad(oracle_cost)(parameters, X, Y, hidden, output)
    for key in parameters:
        worst = cu.worst_entry(grads["d" + key], expected[key])
        assert worst.error <= ORACLE_TOLERANCE, f"{key}: {worst}"


@pytest.mark.parametrize("output", OUTPUT)
def test_cost_matches_oracle(output):
    rng = np.random.default_rng(3)
    parameters, X, Y = random_network(rng, 3, "tanh", output, 6)
    AL, _ = cu.forward_propagation(X, parameters, "tanh", output)
    expected = float(oracle_cost(parameters, X, Y, "tanh", output))
    assert cu.compute_cost(AL, Y, output) == pytest.approx(expected, rel=1e-12)
