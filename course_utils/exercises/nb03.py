"""Notebook 03's exercises: a layer's linear step (3.1)."""

from ..layers import linear_forward
from ._core import Exercise, Mistake, register
from ._random import layer_sizes


def _linear_forward_cases(rng):
    return [(rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1)))
            for n_prev, n, m in layer_sizes(rng)]


register(Exercise(
    name="linear_forward",
    equation="(3.1)",
    reference=linear_forward,
    cases=_linear_forward_cases,
    outputs=("Z", None),
    argument_names=("A_prev", "W", "b"),
    mistakes=(
        Mistake("bias_dropped", lambda A_prev, W, b: (W @ A_prev, (A_prev, W, b)),
                "Z is missing the bias: (3.1) is Z = W . A_prev + b, with b (n_l x 1) added to every column."),
    ),
    hint="Z = W @ A_prev + b: W is n_l x n_{l-1}, A_prev is n_{l-1} x m, so Z is n_l x m.",
))
