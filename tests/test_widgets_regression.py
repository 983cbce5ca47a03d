"""Tests of the linear and logistic regression explorers (notebook 01): equations (1.1), (1.2)."""

import numpy as np
import pytest

import course_utils as cu
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
    slopes,
    steepness_cross_entropy,
)

from .conftest import control


def test_least_squares_line_matches_polyfit():
    """Two solvers (lstsq, polyfit) of a problem with condition number ~2: they agree to ~1e-15."""
    X, Y = line_data()
    w, b = least_squares_line(X, Y)
    w_poly, b_poly = np.polyfit(X[0], Y[0], 1)
    assert w == pytest.approx(w_poly, rel=1e-10)
    assert b == pytest.approx(b_poly, rel=1e-10)


def test_the_least_squares_line_solves_the_two_balance_equations():
    """At the bottom both slopes vanish (the normal equations): mean(r) = mean(r x) = 0, up to round-off."""
    X, Y = line_data()
    w, b = least_squares_line(X, Y)
    # round-off of residuals of size ~1: m u ~ 30 * 1.1e-16 = 3e-15 per mean; 1e-12 leaves a 300x margin
    assert max(abs(v) for v in slopes(w, b, X, Y)) < 1e-12


def test_slopes_are_the_gradient_of_the_half_mse():
    X, Y = line_data()
    theta = np.array([0.5, 0.25])

    def J(t):
        return half_mean_squared_error(t[0] * X + t[1], Y)

    numerical = cu.numerical_gradient(J, theta.copy(), eps=1e-5)
    worst = cu.compare_gradients(np.array(slopes(*theta, X, Y)), numerical, f_scale=J(theta), eps=1e-5)
    assert worst.ratio < 0.1, worst


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
    control(widget, "slope").value = 0.0
    control(widget, "intercept").value = 1.0
    elsewhere = widget.result["cost"]
    optimum = explore_linear_fit(w_best, b_best, X, Y)["cost"]
    assert optimum < elsewhere
    assert optimum == pytest.approx(widget.result["best_cost"], rel=1e-12)
    for dw, db in [(0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05)]:
        assert optimum < explore_linear_fit(w_best + dw, b_best + db, X, Y)["cost"]


def test_widget_cost_changes_when_w_moves():
    widget = make_linear_fit_explorer()
    control(widget, "slope").value = 0.5
    before = widget.result
    control(widget, "slope").value = 1.5
    after = widget.result
    assert (before["w"], after["w"]) == (0.5, 1.5)
    assert after["cost"] != before["cost"]
    assert after["slopes"] != before["slopes"]
    assert len(after["figure"].axes) == 2  # the line over the data, and the dot on the bowl J(w, b)


def test_moving_b_alone_shifts_dJ_db_by_exactly_that_amount():
    """dJ/db is the mean residual, and b moves every residual by the same amount: the shift is exact up to
    round-off of residuals of size ~3 (1e-15); 1e-12 is a wide margin."""
    widget = make_linear_fit_explorer()
    control(widget, "intercept").value = 0.5
    before = widget.result["slopes"]
    control(widget, "intercept").value = 1.25
    after = widget.result["slopes"]
    assert after[1] - before[1] == pytest.approx(0.75, abs=1e-12)


def test_the_sliders_can_reach_the_least_squares_cost_within_0_01():
    """The notebook asks for J within 0.01 of the best: the 0.01 grid of the sliders gets there."""
    X, Y = line_data()
    w_best, b_best = least_squares_line(X, Y)
    widget = make_linear_fit_explorer()
    control(widget, "slope").value = round(w_best, 2)
    control(widget, "intercept").value = round(b_best, 2)
    assert widget.result["cost"] - widget.result["best_cost"] < 0.001  # measured 1e-5, and the task asks 0.01


def test_best_line_by_search_beats_chance_but_not_perfect_on_moons():
    X, Y = moons_data()
    u, c, accuracy = best_line_by_search(X, Y)
    assert u.shape == (1, 2) and np.linalg.norm(u) == pytest.approx(1.0)
    assert 0.8 < accuracy < 1.0
    assert accuracy == ((u @ X > c) == (Y > 0.5)).mean()


def test_widget_larger_steepness_gives_predictions_closer_to_0_and_1():
    widget = make_steepness_explorer()
    assert control(widget, "steepness").max == 2 and control(widget, "steepness").min == -1
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


def test_cross_entropy_against_steepness_is_u_shaped_on_the_best_line():
    """Too timid (s = 0.5) and too confident (s = 50) both cost more than a moderate s (measured best ~4)."""
    X, Y = moons_data()
    line = best_line_by_search(X, Y)[:2]
    J = steepness_cross_entropy(np.array([0.5, 4.0, 50.0]), X, Y, line)
    assert J[1] < J[0] - 0.1 and J[1] < J[2] - 0.5  # measured: 0.58, 0.35, 2.2
    widget = make_steepness_explorer()
    assert 2 < widget.result["best_steepness"] < 8
    assert widget.result["cross_entropy"] == pytest.approx(steepness_cross_entropy(1.0, X, Y, line), rel=1e-12)


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
