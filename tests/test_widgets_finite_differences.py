"""Tests of the finite-difference explorer (notebook 00): equations (0.3) and (0.4)."""

import math

import numpy as np
import pytest

from course_utils import numerical_gradient
from course_utils.widgets.finite_differences import (
    EPS_GRID,
    central_difference,
    difference_errors,
    explore_eps,
    forward_difference,
    make_eps_explorer,
)

from .conftest import control


def test_central_difference_is_equation_0_3():
    f = math.exp
    assert central_difference(f, 0.5, 1e-3) == (f(0.5 + 1e-3) - f(0.5 - 1e-3)) / 2e-3


def test_forward_difference_is_equation_0_4():
    f = math.exp
    assert forward_difference(f, 0.5, 1e-3) == (f(0.5 + 1e-3) - f(0.5)) / 1e-3


def test_central_difference_matches_numerical_gradient():
    x = np.array([0.3])
    expected = numerical_gradient(lambda v: float(np.sin(v[0])), x, eps=1e-4)[0]
    assert central_difference(math.sin, 0.3, 1e-4) == pytest.approx(expected, rel=1e-12)


def test_truncation_orders_central_2_forward_1():
    eps = np.array([1e-3, 1e-2])
    central, forward = difference_errors(eps)
    assert np.log10(central[1] / central[0]) == pytest.approx(2, abs=0.05)
    assert np.log10(forward[1] / forward[0]) == pytest.approx(1, abs=0.05)


def test_v_curve_bottoms():
    central, forward = difference_errors(EPS_GRID)
    assert 1e-6 <= EPS_GRID[np.argmin(central)] <= 1e-4
    assert 1e-9 <= EPS_GRID[np.argmin(forward)] <= 1e-7
    assert central[0] > 1e3 * central.min()  # round-off makes the error rise again at eps = 1e-14
    assert forward[0] > 1e3 * forward.min()


def test_widget_central_beats_forward_at_1e_4():
    widget = make_eps_explorer()
    control(widget, "eps").value = 1e-4
    result = widget.result
    assert result["eps"] == pytest.approx(1e-4)
    assert result["central_error"] < result["forward_error"]


def test_widget_errors_change_when_slider_moves():
    widget = make_eps_explorer()
    control(widget, "eps").value = 1e-4
    before = widget.result
    control(widget, "eps").value = 1e-2
    after = widget.result
    assert after["eps"] == pytest.approx(1e-2)
    assert after["central_error"] != before["central_error"]
    assert after["forward_error"] != before["forward_error"]


def test_explore_eps_returns_numbers_and_figure():
    result = explore_eps(1e-5)
    assert isinstance(result["central_error"], float) and isinstance(result["forward_error"], float)
    assert result["figure"] is not None


@pytest.mark.parametrize("eps", [0, -1e-3, float("nan"), float("inf")])
def test_bad_eps_is_rejected(eps):
    with pytest.raises(ValueError, match="eps"):
        central_difference(math.sin, 1.0, eps)
    with pytest.raises(ValueError, match="eps"):
        explore_eps(eps)


def test_bad_inputs_are_rejected():
    with pytest.raises(TypeError, match="f must be a function"):
        forward_difference("sin", 1.0, 1e-3)
    with pytest.raises(TypeError, match="x must be a real number"):
        central_difference(math.sin, "1", 1e-3)
    with pytest.raises(TypeError, match="eps must be a real number"):
        forward_difference(math.sin, 1.0, "1e-3")
    with pytest.raises(ValueError, match="eps_values"):
        difference_errors([])
