"""Notebook 02's exercises: the cross-entropy cost (2.2), the gradients of logistic regression (2.5)
and one step of gradient descent (2.6)."""

import numpy as np

from ..activations import sigmoid
from ..losses import binary_cross_entropy
from ..network import update_parameters
from ._core import Exercise, Mistake, register


# (2.2) binary cross-entropy ---------------------------------------------------------------------
def _cross_entropy_cases(rng):
    cases = []
    for i in range(8):
        m = 1 if i == 0 else int(rng.integers(2, 12))
        Y = rng.integers(0, 2, (1, m)).astype(float)
        Y[0, 0] = i % 2  # both labels appear across the cases, and every case with m > 1 has both
        if m > 1:
            Y[0, 1] = 1 - Y[0, 0]
        cases.append((rng.uniform(0.05, 0.95, (1, m)), Y))
    return cases


def _cross_entropy_sum(Y_hat, Y):
    return Y.shape[1] * binary_cross_entropy(Y_hat, Y)


def _cross_entropy_positive_term_only(Y_hat, Y):
    return float(-np.sum(Y * np.log(Y_hat)) / Y.shape[1])


register(Exercise(
    name="cross_entropy",
    equation="(2.2)",
    reference=binary_cross_entropy,
    cases=_cross_entropy_cases,
    outputs=("J",),
    argument_names=("Y_hat", "Y"),
    mistakes=(
        Mistake("wrong_sign", lambda Y_hat, Y: -binary_cross_entropy(Y_hat, Y),
                "your J is negative: it is the mean log-likelihood. (2.2) flips the sign, J = -(1/m) sum [...], so "
                "that gradient descent can minimise it (the logs of probabilities are negative)."),
        Mistake("missing_1_over_m", _cross_entropy_sum,
                "your J is m times too large: (2.2) is the *mean* over the m examples, -(1/m) sum [...]."),
        Mistake("missing_negative_class_term", _cross_entropy_positive_term_only,
                "the examples with y = 0 cost nothing in your J: (2.2) has two terms, y log(y_hat) for y = 1 and "
                "(1 - y) log(1 - y_hat) for y = 0 (the Bernoulli probability of the observed label)."),
    ),
    hint="J = -(1/m) * sum(Y * log(Y_hat) + (1 - Y) * log(1 - Y_hat)) (2.2): one number, a Python float.",
))


# (2.5) dW and db of logistic regression ---------------------------------------------------------
def _logistic_cases(rng):
    cases = []
    for i, n_0 in enumerate([2, 3, 1, 4, 2, 5, 3, 2]):
        m = 1 if i == 0 else int(rng.integers(2, 9))
        X = rng.standard_normal((n_0, m))
        Y = rng.integers(0, 2, (1, m)).astype(float)
        Y_hat = sigmoid(rng.standard_normal((1, m)))
        cases.append((X, Y, Y_hat))
    return cases


def logistic_gradients(X, Y, Y_hat):
    """dW = (1/m)(Y_hat - Y).X^T and db = (1/m) sum_i (y_hat(i) - y(i)), equation (2.5).

    X: n_0 x m inputs, Y: 1 x m labels, Y_hat: 1 x m predicted probabilities.
    Returns (dW, db) of shapes 1 x n_0 and 1 x 1; the same numbers as course_utils' linear_backward
    given dZ = Y_hat - Y, the gradient of the summed loss (the 1/m rule).
    """
    m = X.shape[1]
    dZ = Y_hat - Y
    return dZ @ X.T / m, dZ.sum(axis=1, keepdims=True) / m


register(Exercise(
    name="logistic_gradients",
    equation="(2.5)",
    reference=logistic_gradients,
    cases=_logistic_cases,
    outputs=("dW", "db"),
    argument_names=("X", "Y", "Y_hat"),
    mistakes=(
        Mistake("missing_1_over_m", lambda X, Y, Y_hat: ((Y_hat - Y) @ X.T, (Y_hat - Y).sum(axis=1, keepdims=True)),
                "your gradient is m times too large: J is the *mean* loss, so (2.5) divides by m."),
        Mistake("wrong_sign", lambda X, Y, Y_hat: tuple(-g for g in logistic_gradients(X, Y, Y_hat)),
                "your gradient has the wrong sign: dJ/dz = (y_hat - y)/m (2.4), not (y - y_hat)/m, so (2.5) has "
                "Y_hat - Y. Gradient descent then subtracts it."),
    ),
    hint="dZ = Y_hat - Y is 1 x m; dW = dZ . X^T / m is 1 x n_0 and db sums dZ over the examples, / m (2.5).",
))


# (2.6) one step of gradient descent -------------------------------------------------------------
def _step_cases(rng):
    cases = []
    for n_0 in [2, 1, 3, 4, 2, 5]:
        W, b = rng.standard_normal((1, n_0)), rng.standard_normal((1, 1))
        dW, db = rng.standard_normal((1, n_0)), rng.standard_normal((1, 1))
        cases.append((W, b, dW, db, float(rng.choice([0.01, 0.1, 0.5, 2.0]))))
    return cases


def descent_step(W, b, dW, db, learning_rate):
    """theta <- theta - alpha dJ/dtheta for theta = W and b, equation (2.6). Returns new (W, b).

    course_utils' update_parameters on a one-layer parameter dictionary; the inputs are not changed.
    """
    new = update_parameters({"W1": W, "b1": b}, {"dW1": dW, "db1": db}, learning_rate)
    return new["W1"], new["b1"]


register(Exercise(
    name="descent_step",
    equation="(2.6)",
    reference=descent_step,
    cases=_step_cases,
    outputs=("W", "b"),
    argument_names=("W", "b", "dW", "db", "learning_rate"),
    mistakes=(
        Mistake("wrong_sign", lambda W, b, dW, db, alpha: (W + alpha * dW, b + alpha * db),
                "you stepped uphill: the gradient points where J rises fastest, so (2.6) *subtracts* it, "
                "theta - alpha dJ/dtheta."),
        Mistake("bias_not_updated", lambda W, b, dW, db, alpha: (W - alpha * dW, b.copy()),
                "b did not move: (2.6) updates every parameter, b - alpha db as well as W - alpha dW."),
    ),
    hint="Return W - learning_rate * dW and b - learning_rate * db (2.6), as new arrays.",
))
