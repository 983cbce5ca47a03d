"""The learning-rate explorer of notebook 02: gradient descent on J(w, b) of a 1-D linear regression.

The verdict is read off the path; these tests check it against the theory of a quadratic cost:
the top eigen-component of the error is multiplied by 1 - alpha lambda_max at every step, so
alpha < 1/lambda_max converges smoothly, 1/lambda_max < alpha < 2/lambda_max zig-zags and
alpha > 2/lambda_max diverges. Equations (2.1), (2.5), (2.6).
"""

import numpy as np
import pytest

import course_utils as cu
from course_utils.widgets.descent import (
    BOX_HALF_WIDTH,
    OSCILLATION_TOL,
    START,
    cost_surface,
    descent_path,
    gradient,
    hessian,
    least_squares,
    make_descent_explorer,
    make_line_data,
    show_descent,
)

from .conftest import control


@pytest.fixture(scope="module")
def lambda_max():
    return float(np.linalg.eigvalsh(hessian(make_line_data()[0]))[-1])


def test_cost_and_gradient_match_course_utils():
    """(2.1) and (2.5): the module's J and its gradient agree with course_utils and finite differences."""
    X, Y = make_line_data()
    theta = np.array([0.7, -0.3])
    Y_hat = theta[0] * X + theta[1]
    # the same sum of squares in another order: round-off ~ m u = 4e-15 relative; 1e-12 is a 250x margin
    assert cost_surface(*theta, X, Y) == pytest.approx(cu.half_mean_squared_error(Y_hat, Y), rel=1e-12)

    def J(t):
        return float(cost_surface(t[0], t[1], X, Y))

    numerical = cu.numerical_gradient(J, theta.copy(), eps=1e-5)
    worst = cu.compare_gradients(gradient(theta, X, Y), numerical, f_scale=J(theta), eps=1e-5)
    assert worst.ratio < 0.1, worst  # a correct gradient: a tenth of the allowance at most
    _, dW, db = cu.linear_backward(Y_hat - Y, (X, np.array([[theta[0]]]), np.array([[theta[1]]])))
    np.testing.assert_allclose(gradient(theta, X, Y), [dW[0, 0], db[0, 0]], rtol=1e-12)


def test_a_wrong_gradient_fails_the_same_check_by_far():
    X, Y = make_line_data()
    theta = np.array([0.7, -0.3])

    def J(t):
        return float(cost_surface(t[0], t[1], X, Y))

    numerical = cu.numerical_gradient(J, theta.copy(), eps=1e-5)
    m = X.shape[1]
    worst = cu.compare_gradients(m * gradient(theta, X, Y), numerical, f_scale=J(theta), eps=1e-5)  # no 1/m
    assert worst.ratio > 1000 and worst.error > 1e-2


def test_least_squares_matches_numpy():
    X, Y = make_line_data()
    A = np.column_stack([X[0], np.ones(X.shape[1])])
    expected = np.linalg.lstsq(A, Y[0], rcond=None)[0]
    # two solvers of the same well-conditioned 2 x 2 problem (condition number ~7): they agree to ~1e-15
    np.testing.assert_allclose(least_squares(X, Y), expected, rtol=1e-10)


def test_small_learning_rate_converges_to_the_least_squares_optimum(lambda_max):
    result = descent_path(0.4 / lambda_max, steps=300)
    assert result.verdict == "converges"
    assert not result.left_box
    # the error shrinks by (1 - 0.4 lambda_min/lambda_max)^300 < 1e-15 along the slow direction: the path
    # sits on the optimum up to round-off (~1e-15), far inside these tolerances
    assert result.final_cost == pytest.approx(result.optimal_cost, rel=1e-9)
    np.testing.assert_allclose(result.path[-1], result.optimum, atol=1e-6)
    assert np.all(np.diff(result.costs) <= 1e-12)  # never goes up (round-off at the bottom: ~1e-17)


def test_between_one_and_two_over_lambda_max_oscillates(lambda_max):
    alpha = 1.5 / lambda_max
    result = descent_path(alpha, steps=200)
    assert result.verdict == "oscillates"
    along_top = np.diff(result.path, axis=0)[:10] @ result.top_eigenvector
    assert np.all(along_top[1:] * along_top[:-1] < 0)  # the step flips sign along the top eigenvector
    # exact on a quadratic; the components are ~1e-2..1 and carry round-off ~1e-16, so 1e-6 is a wide margin
    np.testing.assert_allclose(along_top[1:] / along_top[:-1], 1 - alpha * lambda_max, rtol=1e-6)
    assert result.final_cost == pytest.approx(result.optimal_cost, rel=1e-9)  # ... and still converges


def test_slightly_above_two_over_lambda_max_diverges_without_overflow(lambda_max):
    result = descent_path(1.02 * 2 / lambda_max, steps=2000)
    assert result.verdict == "diverges"
    assert result.left_box
    assert len(result.path) < 2001  # stopped early at the edge of the box
    assert np.isfinite(result.path).all() and np.isfinite(result.final_cost)
    assert result.box_half_width >= BOX_HALF_WIDTH
    assert np.abs(result.path[-2] - result.optimum).max() <= result.box_half_width  # stopped at the first exit
    assert np.abs(result.path[-1] - result.optimum).max() > result.box_half_width
    assert "diverges" in result.message and "left the box" in result.message


def test_just_below_two_over_lambda_max_does_not_diverge(lambda_max):
    result = descent_path(0.98 * 2 / lambda_max, steps=40)
    assert result.verdict == "oscillates"
    assert result.final_cost < result.costs[0]


def test_huge_learning_rate_is_numerically_safe():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        result = descent_path(1e6, steps=1000)
    assert result.verdict == "diverges" and np.isfinite(result.final_cost)


def test_verdicts_follow_the_thresholds_over_a_sweep(lambda_max):
    for ratio in (0.1, 0.5, 0.9):
        assert descent_path(ratio / lambda_max).verdict == "converges"
    for ratio in (1.1, 1.5, 1.9):
        assert descent_path(ratio / lambda_max).verdict == "oscillates"
    for ratio in (2.1, 3.0, 10.0):
        assert descent_path(ratio / lambda_max).verdict == "diverges"


def test_start_along_the_shallow_eigenvector_does_not_oscillate(lambda_max):
    """No component along the top eigenvector means nothing can zig-zag across the valley.

    Exact arithmetic: the start and every step lie on the shallow eigenvector's line, the component
    along the top one is 0 at every step, and the path slides straight in: "converges".
    Rounding: the computed eigenvector, the start and each gradient carry a top component of a few
    units of round-off (~1e-16 of the step), which flips sign every step because 1 - alpha lambda_max < 0.
    The verdict ignores components below OSCILLATION_TOL = 1e-6 of the step, a millionfold above them.
    """
    X, Y = make_line_data()
    shallow = np.linalg.eigh(hessian(X))[1][:, 0]
    start = least_squares(X, Y) + 2.0 * shallow
    result = descent_path(1.5 / lambda_max, start=tuple(start), steps=60)
    assert result.verdict == "converges"
    steps = np.diff(result.path, axis=0)[:10]
    round_off = np.abs(steps @ result.top_eigenvector) / np.linalg.norm(steps, axis=1)
    assert round_off.max() < 1e-12 <= OSCILLATION_TOL / 1e6  # what rounding leaves is far below the cut


def test_a_small_but_real_zig_zag_is_still_seen(lambda_max):
    """A start with a top component of 1e-3 of its distance (1000x the cut) oscillates, as theory says."""
    X, Y = make_line_data()
    eigenvectors = np.linalg.eigh(hessian(X))[1]
    start = least_squares(X, Y) + 2.0 * eigenvectors[:, 0] + 2e-3 * eigenvectors[:, 1]
    assert descent_path(1.5 / lambda_max, start=tuple(start), steps=60).verdict == "oscillates"


def test_centring_x_rounds_the_bowl_and_raises_the_usable_learning_rate(lambda_max):
    """Centred x: H = diag(Var x, 1), so lambda_max = max(Var x, 1) < lambda_max of the tilted bowl."""
    X, Y = make_line_data()
    plain, centred = descent_path(0.3, steps=40), descent_path(0.3, steps=40, centre=True)
    x = X[0] - X.mean()
    assert centred.lambda_max == pytest.approx(max(np.mean(x * x), 1.0), rel=1e-12)
    assert centred.lambda_max / centred.lambda_min < plain.lambda_max / plain.lambda_min / 2
    assert 2 / centred.lambda_max > 1.5 * 2 / lambda_max  # a larger learning rate is safe ...
    alpha = 1.5 / lambda_max  # ... e.g. this one, which zig-zags on the tilted bowl
    assert descent_path(alpha).verdict == "oscillates"
    assert descent_path(alpha, centre=True).verdict == "converges"
    # the same 40 steps at alpha = 0.3 get far closer to the minimum on the round bowl
    gap = [r.final_cost - r.optimal_cost for r in (plain, centred)]
    assert gap[1] < gap[0] / 50  # measured: 900x closer
    # centring only moves the intercept: the fitted line and its cost are the same
    assert centred.optimal_cost == pytest.approx(plain.optimal_cost, rel=1e-9)
    assert centred.optimum[0] == pytest.approx(plain.optimum[0], rel=1e-9)


def test_invalid_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="learning_rate"):
        descent_path(-0.1)
    with pytest.raises(TypeError, match="learning_rate"):
        descent_path("fast")
    with pytest.raises(TypeError, match="steps"):
        descent_path(0.1, steps=2.5)
    with pytest.raises(ValueError, match="start"):
        descent_path(0.1, start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="X"):
        descent_path(0.1, X=np.ones((1, 5)), Y=np.zeros((1, 5)))
    with pytest.raises(ValueError, match="Y"):
        descent_path(0.1, X=np.arange(5.0).reshape(1, 5), Y=np.zeros((1, 4)))
    with pytest.raises(TypeError, match="centre"):
        descent_path(0.1, centre="yes")


def test_widget_slider_drives_the_result(lambda_max):
    w = make_descent_explorer()
    rate = control(w, "learning rate")
    assert rate.continuous_update is False
    first = w.result
    assert first.verdict in ("converges", "oscillates", "diverges")
    assert first.figure is not None
    assert first.path[0].tolist() == list(START)

    rate.value = 0.3 / lambda_max
    small = w.result
    assert small.verdict == "converges"
    assert small.learning_rate == pytest.approx(rate.value)

    rate.value = 1.5 / lambda_max
    middle = w.result
    assert middle.verdict == "oscillates"
    assert not np.array_equal(middle.path, small.path)  # moving the slider moves the path

    rate.value = 2.5 / lambda_max
    assert w.result.verdict == "diverges"
    assert w.result.left_box and "left the box" in w.result.message
    assert f"alpha lambda_max = {w.result.learning_rate * lambda_max:.3g}" in w.result.message

    control(w, "centre x").value = True  # the same alpha on the centred data: lambda_max is about halved
    assert w.result.centred and w.result.verdict in ("converges", "oscillates")


def test_show_descent_draws_both_panels():
    result = show_descent(0.3, centre=True)
    assert result.figure is not None and len(result.figure.axes) == 2


def test_a_distant_start_is_not_mistaken_for_divergence(lambda_max):
    """The box around the optimum grows with the start, so a far start can still converge."""
    X, Y = make_line_data()
    far = tuple(least_squares(X, Y) + np.array([30.0, -20.0]))
    result = descent_path(0.5 / lambda_max, start=far, steps=400)
    assert result.verdict == "converges" and not result.left_box
    assert result.final_cost == pytest.approx(result.optimal_cost, rel=1e-6)
