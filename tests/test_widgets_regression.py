"""Tests of the linear and logistic regression explorers (notebook 01): equations (1.1), (1.2)."""

import numpy as np
import pytest

from course_utils import half_mean_squared_error, sigmoid
from course_utils.widgets.regression import (
    best_line_by_search,
    explore_linear_fit,
    explore_logistic_steepness,
    least_squares_line,
    line_data,
    make_linear_fit_explorer,
    make_steepness_explorer,
    moons_data,
)

from .conftest import control


def test_least_squares_line_matches_polyfit():
    X, Y = line_data()
    w, b = least_squares_line(X, Y)
    w_poly, b_poly = np.polyfit(X[0], Y[0], 1)
    assert w == pytest.approx(w_poly, rel=1e-10)
    assert b == pytest.approx(b_poly, rel=1e-10)


def test_cost_is_half_mean_squared_error():
    X, Y = line_data()
    result = explore_linear_fit(0.5, 0.25, X, Y)
    m = X.shape[1]
    assert result["cost"] == pytest.approx(((0.5 * X + 0.25 - Y) ** 2).sum() / (2 * m), rel=1e-12)
    assert result["cost"] == pytest.approx(half_mean_squared_error(0.5 * X + 0.25, Y), rel=1e-12)


def test_widget_cost_at_least_squares_optimum_is_lowest():
    X, Y = line_data()
    w_best, b_best = least_squares_line(X, Y)
    widget = make_linear_fit_explorer()
    control(widget, "w").value = 0.0
    control(widget, "b").value = 1.0
    elsewhere = widget.result["cost"]
    optimum = explore_linear_fit(w_best, b_best, X, Y)["cost"]
    assert optimum < elsewhere
    assert optimum == pytest.approx(widget.result["best_cost"], rel=1e-12)
    for dw, db in [(0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05)]:
        assert optimum < explore_linear_fit(w_best + dw, b_best + db, X, Y)["cost"]


def test_widget_cost_changes_when_w_moves():
    widget = make_linear_fit_explorer()
    control(widget, "w").value = 0.5
    before = widget.result
    control(widget, "w").value = 1.5
    after = widget.result
    assert (before["w"], after["w"]) == (0.5, 1.5)
    assert after["cost"] != before["cost"]


def test_best_line_by_search_beats_chance_but_not_perfect_on_moons():
    X, Y = moons_data()
    u, c, accuracy = best_line_by_search(X, Y)
    assert u.shape == (1, 2) and np.linalg.norm(u) == pytest.approx(1.0)
    assert 0.8 < accuracy < 1.0
    assert accuracy == ((u @ X > c) == (Y > 0.5)).mean()


def test_widget_larger_steepness_gives_predictions_closer_to_0_and_1():
    widget = make_steepness_explorer()
    results = []
    for value in [0.1, 1.0, 10.0, 100.0]:
        control(widget, "steepness").value = value
        results.append(widget.result)
    confidences = [r["confidence"] for r in results]
    assert all(0.5 <= c <= 1 for c in confidences)
    assert np.all(np.diff(confidences) > 0)
    lows = [r["probability_range"][0] for r in results]
    highs = [r["probability_range"][1] for r in results]
    assert np.all(np.diff(lows) < 0) and np.all(np.diff(highs) >= 0)
    # the boundary W.x + b = 0 does not move, so the decisions (and accuracy) do not change
    assert len({r["accuracy"] for r in results}) == 1


def test_steepness_probabilities_are_sigmoid_of_scaled_score():
    X, Y = moons_data()
    u, c = np.array([[0.6, -0.8]]), 0.1
    result = explore_logistic_steepness(2.0, X, Y, line=(u, c), resolution=20)
    Y_hat = sigmoid(2.0 * (u @ X - c))
    assert result["probability_range"] == pytest.approx((Y_hat.min(), Y_hat.max()), rel=1e-12)
    assert result["confidence"] == pytest.approx(np.maximum(Y_hat, 1 - Y_hat).mean(), rel=1e-12)


def test_bad_inputs_are_rejected():
    X, Y = line_data()
    with pytest.raises(TypeError, match="w must be a real number"):
        explore_linear_fit("1", 0.0, X, Y)
    with pytest.raises(ValueError, match="b must be finite"):
        explore_linear_fit(1.0, float("nan"), X, Y)
    with pytest.raises(ValueError, match="Y has shape"):
        least_squares_line(X, Y[:, :5])
    with pytest.raises(ValueError, match="X has shape"):
        least_squares_line(np.vstack([X, X]), Y)
    with pytest.raises(ValueError, match="steepness"):
        explore_logistic_steepness(0.0)
    with pytest.raises(ValueError, match="X has shape"):
        best_line_by_search(X, Y)


def test_sigmoid_symmetry_1_3_without_warnings():
    z = np.concatenate([[-1e4, -1e3, -745.0], np.linspace(-30, 30, 601), [745.0, 1e3, 1e4]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert np.max(np.abs(sigmoid(-z) - (1 - sigmoid(z)))) <= 2.0**-52
        assert np.all((sigmoid(z) >= 0) & (sigmoid(z) <= 1))
