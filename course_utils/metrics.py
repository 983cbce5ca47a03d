"""Evaluation: accuracy, the confusion matrix, precision, recall and F1.

Labels are integer class indices of shape (m,) or a 1 x m row (what ``predict`` returns for a
sigmoid output). Equation (6.3): F1 = 2 P R / (P + R).
"""

import numpy as np


def _as_labels(labels, name):
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[0] == 1:
        labels = labels[0]
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"{name} must be a non-empty row of labels, shape (m,) or (1, m); got shape {labels.shape}")
    if labels.dtype.kind == "f":
        if not np.all(labels == np.round(labels)):
            raise ValueError(f"{name} must hold whole-number class labels, got non-integer values")
        labels = labels.astype(int)
    if labels.dtype.kind not in "biu":
        raise TypeError(f"{name} must hold integer class labels, got dtype {labels.dtype}")
    return labels.astype(int)


def _pair(Y_true, Y_pred):
    y_true, y_pred = _as_labels(Y_true, "Y_true"), _as_labels(Y_pred, "Y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"Y_true has {y_true.size} labels but Y_pred has {y_pred.size}; they must match")
    return y_true, y_pred


def accuracy(Y_true, Y_pred):
    """Fraction of examples whose predicted label equals the true one. Returns a float in [0, 1]."""
    y_true, y_pred = _pair(Y_true, Y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(Y_true, Y_pred, classes=None):
    """C[t, p] = number of examples of true class t predicted as p. Returns classes x classes ints."""
    y_true, y_pred = _pair(Y_true, Y_pred)
    if min(y_true.min(), y_pred.min()) < 0:
        raise ValueError("class labels must be >= 0")
    classes = int(max(y_true.max(), y_pred.max())) + 1 if classes is None else classes
    C = np.zeros((classes, classes), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def precision_recall_f1(Y_true, Y_pred, positive=1):
    """Precision TP/(TP+FP), recall TP/(TP+FN) and F1 = 2PR/(P+R) (6.3) for one positive class.

    A ratio with a zero denominator is reported as 0. Returns (precision, recall, f1) floats.
    """
    y_true, y_pred = _pair(Y_true, Y_pred)
    tp = int(np.sum((y_pred == positive) & (y_true == positive)))
    fp = int(np.sum((y_pred == positive) & (y_true != positive)))
    fn = int(np.sum((y_pred != positive) & (y_true == positive)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def f1_score(Y_true, Y_pred, positive=1):
    """F1 = 2 P R / (P + R) for the positive class (6.3). Returns a float in [0, 1]."""
    return precision_recall_f1(Y_true, Y_pred, positive)[2]
