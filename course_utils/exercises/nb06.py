"""Notebook 06's exercises: one step of gradient descent on every parameter (2.6)."""

from ..network import initialize_parameters, update_parameters
from ._core import Exercise, Mistake, register


def _update_cases(rng):
    cases = []
    for _ in range(8):
        dims = [int(v) for v in rng.integers(2, 6, int(rng.integers(2, 4)) + 1)]
        parameters = initialize_parameters(dims, init="xavier", seed=int(rng.integers(1 << 30)))
        parameters = {k: v + (0.3 * rng.standard_normal(v.shape) if k[0] == "b" else 0) for k, v in parameters.items()}
        grads = {f"d{k}": rng.standard_normal(v.shape) for k, v in parameters.items()}
        cases.append((parameters, grads, float(rng.choice([0.01, 0.1, 0.5]))))
    return cases


def _w_twice_b_never(parameters, grads, learning_rate):
    """The original series' loop: W updated twice, b never."""
    new = dict(parameters)
    for key in parameters:
        if key[0] == "W":
            new[key] = parameters[key] - 2 * learning_rate * grads["d" + key]
    return new


def _w_twice(parameters, grads, learning_rate):
    return {k: v - (2 if k[0] == "W" else 1) * learning_rate * grads["d" + k] for k, v in parameters.items()}


def _wrong_sign(parameters, grads, learning_rate):
    return {k: v + learning_rate * grads["d" + k] for k, v in parameters.items()}


register(Exercise(
    name="update_parameters",
    equation="(2.6)",
    reference=update_parameters,
    cases=_update_cases,
    outputs=("parameters",),
    argument_names=("parameters", "grads", "learning_rate"),
    mistakes=(
        Mistake("bias_not_updated", _w_twice_b_never,
                "the biases never move: (2.6) updates every b[l] as well as every W[l], once each (the original "
                "series' loop forgot b and updated W twice)."),
        Mistake("updated_twice", _w_twice,
                "the weights moved twice as far as they should: each W[l] gets one step, W - alpha dW (2.6)."),
        Mistake("wrong_sign", _wrong_sign,
                "you stepped uphill: gradient descent subtracts, theta <- theta - alpha dtheta (2.6)."),
    ),
    hint="For every layer l: W[l] - learning_rate * dW[l] and b[l] - learning_rate * db[l], in a new dict.",
))
