"""Notebook 02's exercises: the gradients of logistic regression (2.5)."""


from ..activations import sigmoid
from ._core import Exercise, Mistake, register


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
    Returns (dW, db) of shapes 1 x n_0 and 1 x 1.
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
                "your gradient has the wrong sign: dJ/dz = y_hat - y (2.4), not y - y_hat. Gradient descent then "
                "subtracts it."),
    ),
    hint="dZ = Y_hat - Y is 1 x m; dW = dZ . X^T / m is 1 x n_0 and db sums dZ over the examples.",
))
