"""Notebook 08's bias-variance simulator: (8.1) measured over training sets, and the widget."""

import numpy as np
import pytest

from course_utils.widgets.bias_variance import (
    MAX_DEGREE,
    X_TEST,
    draw_training_set,
    fit_polynomial,
    make_bias_variance_explorer,
    simulate,
    sweep_degrees,
    true_function,
)

from .conftest import control


def test_least_squares_fit_matches_numpy_polyfit():
    x, y = draw_training_set(30, 0.3, np.random.default_rng(0))
    coefficients = fit_polynomial(x, y, 4)
    expected = np.polyval(np.polyfit(x, y, 4), X_TEST)
    np.testing.assert_allclose(np.polynomial.legendre.legval(X_TEST, coefficients), expected, rtol=1e-9, atol=1e-12)


def test_a_noise_free_polynomial_world_has_no_bias_and_no_variance_at_its_degree():
    """sigma = 0: the degree-9 fit of sin(pi x) is nearly exact, so bias^2, variance and test error are tiny."""
    result = simulate(9, m=40, noise=0.0, training_sets=20)
    assert result.bias2 < 1e-6 and result.variance < 1e-6 and result.test_mse < 1e-6


@pytest.mark.parametrize("degree", [0, 1, 3, 6])
def test_the_decomposition_equals_the_measured_test_error(degree):
    """(8.1): bias^2 + variance + noise agrees with the directly measured error within 4 standard errors."""
    result = simulate(degree, m=40, noise=0.3, training_sets=400)
    assert abs(result.test_mse - result.decomposition) < 4 * result.standard_error
    assert result.standard_error < 0.1 * result.test_mse  # the measurement is precise enough to mean something
    assert result.decomposition == pytest.approx(result.bias2 + result.variance + 0.09, rel=1e-12)


def test_the_decomposition_fails_if_the_variance_is_taken_over_inputs():
    """The erratum: 'variance' as the spread of one fit across x is not the term of (8.1)."""
    result = simulate(3, m=40, noise=0.3, training_sets=400)
    over_inputs = float(np.mean(result.predictions.var(axis=1)))  # spread along x, for each training set
    wrong = result.bias2 + over_inputs + result.noise2
    assert abs(result.test_mse - wrong) > 20 * result.standard_error


def test_bias_falls_and_variance_rises_with_capacity_and_the_error_is_u_shaped():
    degrees, results = sweep_degrees(40, 0.3, 400)
    bias2 = np.array([r.bias2 for r in results])
    variance = np.array([r.variance for r in results])
    error = np.array([r.test_mse for r in results])
    assert degrees == list(range(MAX_DEGREE + 1))
    assert bias2[1] > 30 * bias2[5]  # a line cannot follow sin(pi x); a quintic can
    assert variance[10] > 30 * variance[3]
    best = int(np.argmin(error))
    assert 3 <= best <= 6 and error[0] > 3 * error[best] and error[10] > 3 * error[best]


def test_more_data_lowers_the_variance():
    assert simulate(8, m=100, noise=0.3).variance < 0.2 * simulate(8, m=30, noise=0.3).variance


def test_true_function_and_bad_arguments():
    np.testing.assert_allclose(true_function([0.5, -0.5]), [1.0, -1.0])
    with pytest.raises(ValueError, match="degree must be an integer from 0 to 10"):
        simulate(11)
    with pytest.raises(ValueError, match="degree 8 needs at least 9 points"):
        simulate(8, m=5)
    with pytest.raises(ValueError, match="noise must be a standard deviation >= 0"):
        simulate(3, noise=-1.0)
    with pytest.raises(ValueError, match="training_sets must be at least 2"):
        simulate(3, training_sets=1)


def test_widget_sliders_drive_the_simulation():
    w = make_bias_variance_explorer()
    assert w.result.degree == 3 and w.result.figure is not None
    degree = control(w, "capacity")
    degree.value = 10
    high = w.result
    assert high.degree == 10 and high.variance > 30 * simulate(3).variance
    control(w, "points per training set").value = 120
    assert w.result.m == 120 and w.result.variance < 0.1 * high.variance
    control(w, "noise").value = 0.0
    assert w.result.noise2 == 0.0
