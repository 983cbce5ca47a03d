"""Tests of the finite-difference explorer (notebook 00): equations (0.3) and (0.4).

Every curve is computed with math.sin on Python floats, so the numbers do not depend on BLAS or
on the CPU's vector instructions. Bands are derived from the error model (the module docstring):
truncation ~ |f''| eps / 2 or |f'''| eps^2 / 6, round-off ~ u |f| / eps.
"""

import math

import numpy as np
import pytest

from course_utils import numerical_gradient
from course_utils.widgets.finite_differences import (
    EPS_GRID,
    FUNCTIONS,
    PRECISIONS,
    central_difference,
    difference_errors,
    explore_eps,
    forward_difference,
    make_eps_explorer,
    measured_best_steps,
    predicted_best_steps,
)

from .conftest import control


def test_central_difference_is_equation_0_3():
    f = math.exp
    assert central_difference(f, 0.5, 1e-3) == (f(0.5 + 1e-3) - f(0.5 - 1e-3)) / 2e-3  # the same operations


def test_forward_difference_is_equation_0_4():
    f = math.exp
    assert forward_difference(f, 0.5, 1e-3) == (f(0.5 + 1e-3) - f(0.5)) / 1e-3


def test_float32_rounds_every_intermediate_result():
    x, eps = 1.0, 1e-3
    r = np.float32
    expected = float(r(r(r(math.sin(r(x + r(eps)))) - r(math.sin(r(x - r(eps))))) / r(2 * r(eps))))
    assert central_difference(math.sin, x, eps, "float32") == expected
    assert central_difference(math.sin, x, eps, "float32") != central_difference(math.sin, x, eps)


def test_central_difference_matches_numerical_gradient():
    x = np.array([0.3])
    expected = numerical_gradient(lambda v: float(np.sin(v[0])), x, eps=1e-4)[0]
    # the two differ only by the last bits of np.sin against math.sin: round-off u |sin| / eps ~ 1e-12
    # relative to the derivative 0.96; 1e-9 leaves a thousandfold margin
    assert central_difference(math.sin, 0.3, 1e-4) == pytest.approx(expected, rel=1e-9)


def test_truncation_orders_central_2_forward_1():
    """Between eps = 1e-3 and 1e-2 the next Taylor term changes the slopes by ~eps^2, far below 0.05."""
    eps = np.array([1e-3, 1e-2])
    central, forward = difference_errors(eps)
    assert np.log10(central[1] / central[0]) == pytest.approx(2, abs=0.05)
    assert np.log10(forward[1] / forward[0]) == pytest.approx(1, abs=0.05)


@pytest.mark.parametrize("function", list(FUNCTIONS))
@pytest.mark.parametrize("precision", PRECISIONS)
def test_measured_bottoms_sit_within_a_factor_10_of_the_predicted_ones(function, precision):
    """Ten times past eps*, the growing error term is 10x (forward) or 100x (central) the minimum; a tenth
    of eps*, round-off is 10x: round-off noise (a factor of 2 or so) cannot move the bottom that far."""
    test = FUNCTIONS[function]
    central, forward = difference_errors(EPS_GRID, test.f, test.derivatives[0], test.x, precision)
    for measured, predicted in zip(measured_best_steps(central, forward), predicted_best_steps(function, precision),
                                   strict=True):
        assert predicted / 10 <= measured <= predicted * 10, (function, precision, measured, predicted)
    assert central[0] > 1e3 * central.min() or precision == "float32"  # float64: eps = 1e-14 is far worse


def test_the_predictions_move_as_the_formulas_say():
    base = predicted_best_steps("sin(x) at x = 1", "float64")
    big_f = predicted_best_steps("1000 + sin(x) at x = 1", "float64")
    single = predicted_best_steps("sin(x) at x = 1", "float32")
    size_ratio = (1000 + math.sin(1)) / math.sin(1)
    assert big_f[0] / base[0] == pytest.approx(size_ratio ** (1 / 3), rel=1e-12)  # central ~ |f|^(1/3)
    assert big_f[1] / base[1] == pytest.approx(size_ratio ** 0.5, rel=1e-12)  # forward ~ |f|^(1/2)
    assert single[0] / base[0] == pytest.approx(2.0 ** (29 / 3), rel=1e-12)  # u grows by 2^29
    assert 1e-3 < single[0] < 1e-2 and 1e-4 < single[1] < 1e-3


def test_widget_at_1e_4_central_beats_forward_by_more_than_a_thousand():
    """At eps = 1e-4: central ~ cos(1) eps^2 / 6 = 9e-10, forward ~ sin(1) eps / 2 = 4.2e-5, a ratio 4.7e4."""
    widget = make_eps_explorer()
    control(widget, "step").value = 1e-4
    result = widget.result
    assert result["eps"] == pytest.approx(1e-4)
    assert result["central_error"] < result["forward_error"] / 1000


def test_widget_reaches_1e_13_where_both_estimates_are_worse_than_at_1e_4():
    widget = make_eps_explorer()
    slider = control(widget, "step")
    assert slider.min == -14 and slider.max == -1
    assert math.isclose(-13, slider.min + 8 * slider.step)  # 1e-13 is a grid value of the slider
    slider.value = 1e-4
    at_1e_4 = widget.result
    slider.value = 1e-13
    at_1e_13 = widget.result
    assert at_1e_13["eps"] == pytest.approx(1e-13)
    # round-off u |f| / eps = 1.1e-16 * 0.84 / 1e-13 ~ 1e-3: far above both errors at 1e-4
    assert at_1e_13["central_error"] > 100 * at_1e_4["central_error"]
    assert at_1e_13["forward_error"] > 2 * at_1e_4["forward_error"]


def test_widget_function_and_precision_move_the_bottom():
    widget = make_eps_explorer()
    base = widget.result["measured_best"]
    control(widget, "function").value = "1000 + sin(x) at x = 1"
    big_f = widget.result["measured_best"]
    control(widget, "function").value = "sin(x) at x = 1"
    control(widget, "precision").value = "float32"
    single = widget.result["measured_best"]
    # the grid has 8 steps per decade; predicted moves: 10.6x (central, 8 steps) and 34x (forward, 12 steps) for
    # the larger |f|, 810x and 23 000x for float32. Measured: 7 and 13 steps; 750x and 56 000x.
    assert big_f[0] > base[0] and big_f[1] > base[1]
    assert single[0] > 30 * base[0] and single[1] > 1000 * base[1]


def test_explore_eps_returns_numbers_and_figure():
    result = explore_eps(1e-5)
    assert isinstance(result["central_error"], float) and isinstance(result["forward_error"], float)
    assert result["figure"] is not None
    assert result["predicted_best"] == predicted_best_steps()


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
    with pytest.raises(ValueError, match="precision"):
        central_difference(math.sin, 1.0, 1e-3, precision="float16")
    with pytest.raises(ValueError, match="function"):
        explore_eps(1e-4, function="cos(x)")
