"""Shared fixtures: strict floating-point errors and random networks of any shape."""

import sys

import numpy as np
import pytest

import course_utils as cu

HIDDEN = ("relu", "tanh", "sigmoid", "identity")
OUTPUT = ("sigmoid", "softmax", "identity", "tanh", "relu")


@pytest.fixture(autouse=True)
def strict_numerics():
    """Overflow, division by zero and invalid operations raise instead of warning (underflow is fine)."""
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        yield


@pytest.fixture(autouse=True)
def close_figures():
    """Close every matplotlib figure a test opened (the widget tests draw)."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def control(w, description):
    """The one control of the ``interactive`` w whose description is (or starts with) ``description``."""
    described = [(c, str(getattr(c, "description", ""))) for c in w.children]
    matches = [c for c, d in described if d == description] or [c for c, d in described if d.startswith(description)]
    assert len(matches) == 1, f"no single control {description!r} among {[d for _, d in described]}"
    return matches[0]


def random_labels(rng, output_activation, n_L, m):
    """Labels in the loss's domain: probabilities for sigmoid, one-hot for softmax, reals otherwise."""
    if output_activation == "sigmoid":
        return rng.uniform(0, 1, (n_L, m))
    if output_activation == "softmax":
        return cu.one_hot(rng.integers(0, n_L, m), n_L)
    return rng.standard_normal((n_L, m))


def random_network(rng, depth, hidden_activation, output_activation, m, width=(1, 5), n_0=None):
    """A random network, inputs and labels. Biases are non-zero so a dropped bias shows.

    ReLU kinks are avoided: inputs are redrawn until every pre-activation is at least 1e-3 from 0.
    Returns (parameters, X, Y).
    """
    low = 2 if output_activation == "softmax" else 1
    dims = [int(n_0 or rng.integers(1, 5))] + [int(rng.integers(*width)) for _ in range(depth - 1)]
    dims.append(int(rng.integers(low, 4)))
    parameters = cu.initialize_parameters(dims, init="xavier", seed=int(rng.integers(1 << 30)))
    parameters = {k: (v + 0.3 * rng.standard_normal(v.shape) if k[0] == "b" else v) for k, v in parameters.items()}
    for _ in range(100):
        X = rng.standard_normal((dims[0], m))
        _, cache = cu.forward_propagation(X, parameters, hidden_activation, output_activation)
        if all(np.abs(cache[f"Z{l}"]).min() > 1e-3 for l in range(1, depth + 1)):
            break
    Y = random_labels(rng, output_activation, dims[-1], m)
    return parameters, X, Y
