"""F1 = 2PR / (P + R), equation (6.3), against counts made by hand.

The counts-only form 2 TP / (2 TP + FP + FN) and the harmonic mean of precision and recall must
agree; the positive class is the one named; a classifier that never says "positive" scores 0.
"""

import numpy as np
import pytest

import course_utils as cu


@pytest.mark.parametrize("seed", range(5))
def test_f1_is_the_harmonic_mean_and_the_counts_only_form(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, 40)
    y_pred = np.where(rng.random(40) < 0.7, y_true, 1 - y_true)
    tp = int(np.sum((y_true == 1) & (y_pred == 1)))
    fp = int(np.sum((y_true == 0) & (y_pred == 1)))
    fn = int(np.sum((y_true == 1) & (y_pred == 0)))
    precision, recall, f1 = cu.precision_recall_f1(y_true, y_pred)
    assert (precision, recall) == (tp / (tp + fp), tp / (tp + fn))
    assert f1 == pytest.approx(2 * precision * recall / (precision + recall), rel=1e-15)  # (6.3)
    assert f1 == pytest.approx(2 * tp / (2 * tp + fp + fn), rel=1e-15)  # the counts-only form
    assert cu.f1_score(y_true.reshape(1, -1).astype(float), y_pred.reshape(1, -1)) == f1  # rows of floats too


def test_f1_of_the_other_class_and_of_a_silent_classifier():
    y_true = np.array([1, 1, 0, 0, 0, 1])
    y_pred = np.array([1, 0, 0, 1, 0, 1])
    # class 0 as the positive one: TP = 2 (indices 2, 4), FP = 1 (index 1), FN = 1 (index 3)
    assert cu.f1_score(y_true, y_pred, positive=0) == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    assert cu.f1_score(y_true, np.zeros(6, dtype=int)) == 0.0  # never predicts 1: no true positives
