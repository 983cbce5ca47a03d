"""Notebook 06's exercises: one step of gradient descent on every parameter (2.6), the cross-entropy
from the logits (6.1), and F1 (6.3)."""

import numpy as np

from ..activations import sigmoid
from ..losses import compute_cost, cost_from_logits
from ..metrics import accuracy, f1_score, precision_recall_f1
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


# (6.1) the binary cross-entropy computed from the logits ----------------------------------------
def _logit_cases(rng):
    cases = [(np.array([[1e3, -1e3, 1e3, -1e3, 2.0]]), np.array([[1.0, 0.0, 0.0, 1.0, 1.0]])),  # two confidently wrong
             (np.array([[0.7]]), np.array([[1.0]]))]  # m = 1
    for _ in range(6):
        m = int(rng.integers(2, 9))
        scale = float(rng.choice([1.0, 5.0, 50.0]))
        cases.append((scale * rng.standard_normal((1, m)), (rng.random((1, m)) < 0.5).astype(float)))
    return cases


def _naive_cross_entropy(Z, Y):
    A = 1 / (1 + np.exp(-Z))
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def _cross_entropy_of_stable_sigmoid(Z, Y):
    A = sigmoid(Z)
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def _clipped_cross_entropy(Z, Y):
    return compute_cost(sigmoid(Z), Y, "sigmoid")


def _summed_cross_entropy(Z, Y):
    return cost_from_logits(Z, Y) * Z.shape[1]


register(Exercise(
    name="binary_cross_entropy_from_logits",
    equation="(6.1)",
    reference=cost_from_logits,
    cases=_logit_cases,
    outputs=("J",),
    argument_names=("Z", "Y"),
    mistakes=(
        Mistake("overflows", _naive_cross_entropy,
                "exp(-z) overflows for a logit of -1000: never form sigma(z) from exp(-z). Write the loss from the "
                "logit itself, max(z, 0) - z y + log(1 + exp(-|z|)) (6.1): its exponent is never positive."),
        Mistake("log_of_zero", _cross_entropy_of_stable_sigmoid,
                "sigma(1000) rounds to exactly 1, so log(1 - sigma(z)) is log 0: a stable sigmoid is not enough. "
                "Use the logit form (6.1), max(z, 0) - z y + log(1 + exp(-|z|)), which never takes log 0."),
        Mistake("clipped_probabilities", _clipped_cross_entropy,
                "clipping the probabilities keeps the cost finite but caps a confidently wrong example at "
                "-log(eps) = 36 instead of its true loss (1000 for a logit of 1000): use the exact form (6.1)."),
        Mistake("missing_1_over_m", _summed_cross_entropy,
                "J is m times too large: the cost is the mean of the m losses, J = (1/m) sum_i loss(i)."),
    ),
    hint="J = mean over the columns of max(Z, 0) - Z * Y + log1p(exp(-abs(Z))) (6.1).",
))


# (6.3) F1 from the labels ------------------------------------------------------------------------
def _f1_cases(rng):
    cases = []
    while len(cases) < 8:
        m = int(rng.integers(8, 25))
        y_true = (rng.random((1, m)) < 0.4).astype(float)
        y_pred = np.where(rng.random((1, m)) < 0.75, y_true, 1 - y_true)  # right three times in four
        tp = int(np.sum((y_true == 1) & (y_pred == 1)))
        fp = int(np.sum((y_true == 0) & (y_pred == 1)))
        fn = int(np.sum((y_true == 1) & (y_pred == 0)))
        if min(tp, fp, fn) >= 1 and fp != fn:  # precision, recall and F1 all differ
            cases.append((y_true, y_pred))
    return cases


def _arithmetic_mean(Y_true, Y_pred):
    precision, recall, _ = precision_recall_f1(Y_true, Y_pred)
    return (precision + recall) / 2


register(Exercise(
    name="f1_score",
    equation="(6.3)",
    reference=f1_score,
    cases=_f1_cases,
    outputs=("F1",),
    argument_names=("Y_true", "Y_pred"),
    mistakes=(
        Mistake("arithmetic_mean", _arithmetic_mean,
                "you averaged precision and recall, (P + R) / 2; F1 is their harmonic mean, 2 P R / (P + R) (6.3), "
                "which is high only when both are."),
        Mistake("accuracy_instead_of_f1", accuracy,
                "that is the accuracy, (TP + TN) / m; F1 looks only at the positive class: 2 TP / (2 TP + FP + FN) "
                "(6.3)."),
        Mistake("positive_class_swapped", lambda Y_true, Y_pred: f1_score(Y_true, Y_pred, positive=0),
                "you scored class 0 as the positive class; F1 is computed for the positive class, label 1 (6.3): "
                "TP counts examples that are 1 and predicted 1."),
    ),
    hint="TP = sum((Y_true == 1) & (Y_pred == 1)), FP and FN likewise; F1 = 2 TP / (2 TP + FP + FN) (6.3).",
))
