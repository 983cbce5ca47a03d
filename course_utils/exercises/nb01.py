"""Notebook 01's exercises: the sigmoid computed without overflow (1.2)."""

import numpy as np

from ..activations import sigmoid
from ._core import Exercise, Mistake, register


def _sigmoid_cases(rng):
    extremes = np.array([[-1e4, -750.0, -40.0, -1.0, 0.0, 1.0, 40.0, 750.0, 1e4]])
    cases = [(extremes,), (np.array([[0.0]]),)]
    for shape in [(1, 5), (3, 4), (2, 1), (4, 6)]:
        cases.append((rng.standard_normal(shape) * rng.choice([1.0, 10.0, 1000.0]),))
    return cases


def _naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _sign_flipped_sigmoid(z):
    return sigmoid(-z)


register(Exercise(
    name="sigmoid",
    equation="(1.2)",
    reference=sigmoid,
    cases=_sigmoid_cases,
    outputs=("sigma",),
    argument_names=("z",),
    mistakes=(
        Mistake("overflows", _naive_sigmoid,
                "1 / (1 + exp(-z)) overflows for z = -1e4: exp(1e4) is too large for a float. Take exp only of "
                "-|z| (never positive): for z >= 0 use 1 / (1 + exp(-z)), for z < 0 use exp(z) / (1 + exp(z))."),
        Mistake("wrong_sign", _sign_flipped_sigmoid,
                "you computed sigma(-z) = 1 / (1 + exp(z)): the sigmoid (1.2) has exp(-z) in the denominator, "
                "so large positive z gives values near 1."),
    ),
    hint="sigma(z) = 1 / (1 + exp(-z)) (1.2); at z = 0 it is 0.5, and it must stay finite at z = +-1e4.",
))
