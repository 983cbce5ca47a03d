"""Notebook 01's exercises: linear regression for all examples (1.1), the sigmoid computed without
overflow (1.2), and the decision rule of logistic regression (1.4)."""

import numpy as np

from ..activations import sigmoid
from ..layers import linear_forward
from ._core import Exercise, Mistake, register


# (1.1) Y_hat = W . X + b -------------------------------------------------------------------------
def _linear_cases(rng):
    cases = []
    for i, (n_0, n_1) in enumerate([(3, 1), (1, 1), (4, 1), (2, 3), (5, 2), (2, 1), (3, 2), (6, 1)]):
        m = 1 if i == 0 else int(rng.integers(2, 9))
        X = rng.standard_normal((n_0, m))
        cases.append((X, rng.standard_normal((n_1, n_0)), rng.standard_normal((n_1, 1)) + 0.5))
    return cases


def _predict_linear(X, W, b):
    """Y_hat = W . X + b, equation (1.1): the linear step of course_utils. X: n_0 x m. Returns n_1 x m."""
    return linear_forward(X, W, b)[0]


register(Exercise(
    name="predict_linear",
    equation="(1.1)",
    reference=_predict_linear,
    cases=_linear_cases,
    outputs=("Y_hat",),
    argument_names=("X", "W", "b"),
    mistakes=(
        Mistake("bias_dropped", lambda X, W, b: W @ X,
                "Y_hat is missing the bias: (1.1) is Y_hat = W . X + b, with b added to every column (every example)."),
    ),
    hint="W is n_1 x n_0 and X is n_0 x m, so W @ X is n_1 x m; b (n_1 x 1) is broadcast over the m columns (1.1).",
))


# (1.2) the sigmoid, without overflow ----------------------------------------------------------------
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
                "exp overflowed: 1 / (1 + exp(-z)) takes exp(1e4) at z = -1e4, and exp(z) / (1 + exp(z)) takes it at "
                "z = +1e4. (np.where computes both of its branches for every z, so it does not help by itself.) "
                "Take exp only of -|z|, which is never positive: with E = exp(-|z|), sigma(z) (1.2) is 1 / (1 + E) "
                "for z >= 0 and E / (1 + E) for z < 0, by the symmetry (1.3)."),
        Mistake("wrong_sign", _sign_flipped_sigmoid,
                "you computed sigma(-z) = 1 / (1 + exp(z)): the sigmoid (1.2) has exp(-z) in the denominator, "
                "so large positive z gives values near 1."),
    ),
    hint="sigma(z) = 1 / (1 + exp(-z)) (1.2); at z = 0 it is 0.5, and it must stay finite at z = +-1e4.",
))


# (1.4) the decision rule: predict 1 where y_hat > 1/2, i.e. where W . x + b > 0 ---------------------
def _classify_cases(rng):
    cases = []
    for i, n_0 in enumerate([2, 3, 1, 2, 4, 2, 3, 5]):
        m = 1 if i == 0 else int(rng.integers(6, 12))
        W, b = rng.standard_normal((1, n_0)), rng.standard_normal((1, 1))
        X = rng.standard_normal((n_0, m))
        if i == 0:  # the single example: a score between 0 and 1/2, where the two thresholds disagree
            X = X * (0.25 - b[0, 0]) / (W @ X)[0, 0]
        cases.append((X, W, b))
    return cases


def _classify(X, W, b):
    """1.0 where sigma(W . x + b) > 1/2, i.e. where the score z = W . x + b > 0, else 0.0 (1.4). 1 x m."""
    return (linear_forward(X, W, b)[0] > 0).astype(np.float64)


register(Exercise(
    name="classify",
    equation="(1.4)",
    reference=_classify,
    cases=_classify_cases,
    outputs=("predictions",),
    argument_names=("X", "W", "b"),
    mistakes=(
        Mistake("score_thresholded_at_half", lambda X, W, b: ((W @ X + b) > 0.5).astype(np.float64),
                "you compared the score z = W . x + b with 1/2. The 1/2 belongs to the probability: y_hat = sigma(z) "
                "> 1/2 exactly when z > 0, because sigma(0) = 1/2 (1.4)."),
        Mistake("labels_swapped", lambda X, W, b: ((W @ X + b) < 0).astype(np.float64),
                "your labels are swapped: class 1 is predicted where y_hat = sigma(z) > 1/2, that is where the score "
                "z = W . x + b is positive (1.4)."),
    ),
    hint="z = W @ X + b is 1 x m; the prediction is 1 where z > 0 and 0 elsewhere (1.4), e.g. (z > 0).astype(float).",
))
