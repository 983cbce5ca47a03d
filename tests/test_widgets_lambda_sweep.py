"""Notebook 08's lambda explorer: L2 on a small digits training set, the U-shaped dev curve, the widget."""

import numpy as np
import pytest

from course_utils.widgets.lambda_sweep import (
    LAMBDAS,
    lambda_sweep,
    make_lambda_explorer,
    small_digits,
    train_for_lambda,
)

from .conftest import control


def test_small_digits_parts():
    data = small_digits()
    assert data["X_train"].shape == (64, 150) and data["X_dev"].shape == (64, 500) and data["X_test"].shape == (64, 449)
    assert all(data[f"Y_{part}"].sum(axis=0).tolist() == [1] * data[f"Y_{part}"].shape[1] for part in ("train", "dev"))
    # standardised with the training images' statistics only: their rows have mean 0, the dev rows do not
    assert np.abs(data["X_train"].mean(axis=1)).max() < 1e-12
    assert np.abs(data["X_dev"].mean(axis=1)).max() > 1e-3
    data["X_train"][:] = 0  # a copy: the cached data are untouched
    assert np.abs(small_digits()["X_train"]).max() > 0
    with pytest.raises(ValueError, match="n_train and n_dev must be integers"):
        small_digits(n_train=5)


@pytest.fixture(scope="module")
def sweep():
    return lambda_sweep()


def test_the_dev_curve_is_u_shaped(sweep):
    dev = sweep.dev_costs
    best = int(np.argmin(dev))
    assert 0 < best < len(LAMBDAS) - 1  # the lowest dev cost is at neither end
    assert dev[0] > 1.3 * dev[best] and dev[-1] > 2 * dev[best]
    assert sweep.best_lambda == LAMBDAS[best]


def test_more_penalty_fits_the_training_set_worse_and_shrinks_the_weights(sweep):
    assert np.all(np.diff(sweep.train_costs) > 0)
    norms = [sum(float(np.sum(W * W)) for k, W in run.parameters.items() if k[0] == "W") for run in sweep.runs]
    assert np.all(np.diff(norms) < 0)
    gaps = sweep.dev_costs - sweep.train_costs
    assert gaps[-1] < 0.3 * gaps[0]  # the gap between dev and training closes


def test_runs_are_cached_and_checked():
    assert train_for_lambda(0.1) is train_for_lambda(0.1)
    with pytest.raises(ValueError, match="lambd must be a finite number >= 0"):
        train_for_lambda(-1.0)


def test_widget_slider_moves_along_the_sweep(sweep):
    w = make_lambda_explorer()
    assert w.result.lambd == 0.0 and w.result.figure is not None
    slider = control(w, "λ (L2)")
    slider.value = sweep.best_lambda
    best = w.result
    assert best.dev_cost == pytest.approx(min(sweep.dev_costs))
    slider.value = 30.0
    assert w.result.train_cost > 10 * best.train_cost and w.result.weight_norm < best.weight_norm
