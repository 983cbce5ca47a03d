"""Notebook 13's exercises: find the bug. Each exercise hands the learner one of the original series'
bugs (``course_utils.bugs``); the learner writes the fixed function. The bug itself is the first known
mistake, so a check on the unfixed code names it.
"""

import numpy as np

from .. import bugs, rnn
from ..activations import softmax
from ..gradcheck import relative_error
from ..metrics import accuracy
from ._core import Exercise, Mistake, register


# accuracy: the fraction of right answers -----------------------------------------------------------
def _accuracy_cases(rng):
    """Labels of 2 to 10 classes, as rows (m,) or (1, m); m = 1 in the first case; about 70 % right.

    The true labels are floats holding whole numbers, as the course's Y rows do; the predictions are ints.
    """
    cases = []
    for i in range(10):
        K, m = int(rng.integers(2, 11)), 1 if i == 0 else int(rng.integers(5, 40))
        y_true = rng.integers(0, K, m)
        y_pred = np.where(rng.random(m) < 0.7, y_true, rng.integers(0, K, m))
        if i == 0:
            y_pred = y_true.copy()  # one right answer: accuracy 1, error rate 0
        shapes = [(m,), (1, m)]
        cases.append((y_true.reshape(shapes[i % 2]).astype(float), y_pred.reshape(shapes[(i // 2) % 2])))
    return cases


def _accuracy_percent(Y_true, Y_pred):
    return float(100 * np.mean(np.ravel(Y_true) == np.ravel(Y_pred)))


def _accuracy_count(Y_true, Y_pred):
    return float(np.sum(np.ravel(Y_true) == np.ravel(Y_pred)))


register(Exercise(
    name="accuracy",
    equation="(right answers / m)",
    reference=accuracy,
    cases=_accuracy_cases,
    outputs=("accuracy",),
    argument_names=("Y_true", "Y_pred"),
    mistakes=(
        Mistake("error_rate", bugs.accuracy_error_rate,
                "this is the error rate, the fraction of *wrong* predictions (the original series' bug): "
                "accuracy counts the examples where the prediction equals the label, y_pred == y_true."),
        Mistake("percent_not_fraction", _accuracy_percent,
                "you returned a percentage; the course's scores are fractions in [0, 1] (0.97, not 97)."),
        Mistake("count_not_fraction", _accuracy_count,
                "you returned the number of right answers; accuracy is that number divided by m, a fraction "
                "in [0, 1]."),
    ),
    hint="Flatten both label rows, compare them with ==, and take the mean of the result.",
))


# (9.9) softmax with the max shift -------------------------------------------------------------------
def _extreme_column(kind, n):
    """One column of logits that breaks some shift: "spread" (1000, 0, -1000, 0, ...) breaks the mean
    and no shift; "high" (1000, 999, 998, ...) breaks no shift only; "tall" (700, -1000, -1000, ...)
    breaks the mean shift only (700 - mean > 709.8, the log of the largest float)."""
    if kind == "spread":
        return np.array([1000.0, 0.0, -1000.0, 0.0, 0.0, 0.0][:n])
    if kind == "high":
        return 1000.0 - np.arange(n, dtype=float)
    return np.array([700.0] + [-1000.0] * (n - 1))


def _softmax_cases(rng):
    cases = []
    for i, kind in enumerate([None, None, "spread", "high", "tall", None, "spread", "tall", "high", None]):
        n, m = int(rng.integers(3, 7)), 1 if i == 0 else int(rng.integers(2, 6))
        Z = 3 * rng.standard_normal((n, m))
        if kind is not None:
            Z[:, int(rng.integers(m))] = _extreme_column(kind, n)
        cases.append((Z,))
    return cases


def _softmax_no_shift(Z):
    E = np.exp(Z)
    return E / E.sum(axis=0, keepdims=True)


def _softmax_over_examples(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


register(Exercise(
    name="softmax",
    equation="(9.9)",
    reference=softmax,
    cases=_softmax_cases,
    outputs=("A",),
    argument_names=("Z",),
    mistakes=(
        Mistake("mean_shift", bugs.softmax_mean_shift,
                "the logits are shifted by their mean (the original series' bug): exact in theory, but for logits "
                "such as (1000, 0, -1000) the largest exponent is max - mean = 1000 and exp overflows. Shift by "
                "the column's maximum (9.9), so every exponent is at most 0."),
        Mistake("no_shift", _softmax_no_shift,
                "exp of the raw logits overflows as soon as a logit passes about 709.8; subtract each column's "
                "maximum first (9.9): the result is the same, and every exponent is at most 0."),
        Mistake("wrong_axis", _softmax_over_examples,
                "each column is one example, so the maximum and the sum run down the column (axis=0, "
                "keepdims=True); you normalised across the examples (axis=1)."),
    ),
    hint="E = np.exp(Z - Z.max(axis=0, keepdims=True)), then divide by E.sum(axis=0, keepdims=True).",
))


# (12.10) the LSTM's backward pass through time, down to a<0> and c<0> --------------------------------
def _lstm_cases(rng):
    cases = []
    for i, (n_x, n_a, T_x) in enumerate([(2, 3, 3), (3, 2, 4), (2, 4, 1), (1, 3, 5), (3, 3, 2), (2, 2, 6)]):
        m = 1 if i == 0 else int(rng.integers(2, 6))
        parameters = rnn.initialize_lstm_parameters(n_x, n_a, 2, seed=int(rng.integers(1000)))
        parameters = {k: v + (0.5 * rng.standard_normal(v.shape) if k[0] == "b" else 0) for k, v in parameters.items()}
        x, a0, c0 = (rng.standard_normal(shape) for shape in ((n_x, m, T_x), (n_a, m), (n_a, m)))
        _, _, _, caches = rnn.lstm_forward(x, a0, parameters, c0=c0)
        cases.append((rng.standard_normal((n_a, m, T_x)), caches))
    return cases


def _lstm_backward_with(recurrent=True, carry_cell=True):
    """The loop of (12.10) over lstm_cell_backward, with one of its two carries left out."""
    def wrong(da, caches):
        cell_caches, x = caches
        n_a, m, T_x = da.shape
        dx, totals = np.zeros(x.shape), {}
        da_prev, dc_prev = np.zeros((n_a, m)), np.zeros((n_a, m))
        for t in reversed(range(T_x)):
            step = rnn.lstm_cell_backward(da[:, :, t] + (da_prev if recurrent else 0),
                                          dc_prev if carry_cell else np.zeros((n_a, m)), cell_caches[t])
            dx[:, :, t], da_prev, dc_prev = step["dxt"], step["da_prev"], step["dc_prev"]
            for key in step:
                if key[:2] in ("dW", "db"):
                    totals[key] = totals.get(key, 0) + step[key]
        return {"dx": dx, "da0": da_prev, "dc0": dc_prev, **totals}
    return wrong


register(Exercise(
    name="lstm_backward",
    equation="(12.10)",
    reference=rnn.lstm_backward,
    cases=_lstm_cases,
    outputs=("gradients",),
    argument_names=("da", "caches"),
    mistakes=(
        Mistake("state_gradient_m_times", bugs.lstm_backward_state_m_times,
                "da0 and dc0 are m times too large (the original series' bug): like dx, they are gradients of the "
                "*summed* loss and carry no m, neither multiplied nor divided (the 1/m rule); only the weights' "
                "gradients carry the 1/m, and lstm_cell_backward has already applied it."),
        Mistake("missing_recurrent_gradient", _lstm_backward_with(recurrent=False),
                "a<t> feeds the output at step t *and* step t + 1: step t's da_next is da[:, :, t] plus the "
                "da_prev that step t + 1 sent back (12.10)."),
        Mistake("cell_gradient_not_carried", _lstm_backward_with(carry_cell=False),
                "c<t> feeds step t + 1 as well: step t's dc_next is the dc_prev that step t + 1 sent back "
                "(12.10), not zero."),
    ),
    hint="Go backwards from t = T_x - 1 with da_prev = dc_prev = 0: step t gets da[:, :, t] + da_prev and "
         "dc_prev (12.10); add up the weights' gradients over the steps; the last da_prev, dc_prev are da0, dc0.",
))


# the gradient checker's judge: the worst entry's relative error --------------------------------------
def _relative_error_cases(rng):
    """Pairs of gradients: close, off by a sign, shuffled, one entry 11 times too large; m = 1 first."""
    cases = []
    for i, kind in enumerate(["close", "sign", "shuffled", "one_entry", "close", "sign", "one_entry", "shuffled"]):
        shape = (1, 1) if i == 0 else (int(rng.integers(2, 5)), int(rng.integers(2, 6)))
        a = rng.standard_normal(shape)
        if kind == "close":
            b = a * (1 + 1e-3 * rng.standard_normal(shape))
        elif kind == "sign":
            b = -a
        elif kind == "shuffled":
            b = rng.permutation(a.ravel()).reshape(shape)
        else:
            b = a.copy()
            b.flat[int(np.argmin(np.abs(a)))] *= 11  # a 1000 % error in the smallest entry
        cases.append((a, b))
    return cases


def _relative_error_mean(a, b, floor=1e-12):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.mean(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)))


def _relative_error_no_abs(a, b, floor=1e-12):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max((a - b) / np.maximum(a + b, floor)))


register(Exercise(
    name="relative_error",
    equation="(worst entry)",
    reference=relative_error,
    cases=_relative_error_cases,
    outputs=("error",),
    argument_names=("a", "b"),
    mistakes=(
        Mistake("norms_compared", bugs.relative_error_of_norms,
                "you compared the lengths of the two gradients (the original series' kind of checker): a gradient "
                "with the wrong sign, or with its entries shuffled, has the same length and scores 0. Compare "
                "entry by entry: |a_k - b_k| / (|a_k| + |b_k|), and report the worst entry."),
        Mistake("mean_instead_of_max", _relative_error_mean,
                "you averaged the entries' relative errors: one entry 11 times too large hides among many right "
                "ones. Report the worst entry, the maximum."),
        Mistake("no_absolute_value", _relative_error_no_abs,
                "without absolute values a negative difference counts as no error at all (and a + b can be 0): "
                "use |a_k - b_k| / max(|a_k| + |b_k|, floor)."),
    ),
    hint="errors = np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor); return float(errors.max()).",
))
