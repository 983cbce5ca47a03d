"""Notebook 07's optimiser race: the test functions, the paths, the verdicts, and the widget.

The functions' gradients are checked against finite differences and autograd; the race's claims
(the ones the notebook's "things to try" make) are asserted here with wide margins.
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

import course_utils as cu
from course_utils.widgets.optimisers import (
    BOX,
    FUNCTIONS,
    GRID,
    arrival_step,
    make_optimiser_race,
    optimiser_path,
    race,
    tune_learning_rates,
)

from .conftest import control

ORACLES = {
    "bowl": lambda t: 0.5 * (t[0] ** 2 + 100 * t[1] ** 2),
    "rotated bowl": lambda t: 0.5 * (
        (anp.cos(np.pi / 6) * t[0] + anp.sin(np.pi / 6) * t[1]) ** 2
        + 100 * (-anp.sin(np.pi / 6) * t[0] + anp.cos(np.pi / 6) * t[1]) ** 2),
    "rosenbrock": lambda t: (1 - t[0]) ** 2 + 100 * (t[1] - t[0] ** 2) ** 2,
    "saddle": lambda t: 25 * t[0] ** 2 + t[1] ** 4 / 4 - t[1] ** 2 / 2,
}


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_values_and_gradients_against_autograd_and_finite_differences(name):
    fn = FUNCTIONS[name]
    for point in ([0.3, -0.7], [-1.1, 0.9], list(fn.start)):
        theta = np.array(point)
        assert fn.value(theta) == pytest.approx(float(ORACLES[name](theta)), rel=1e-12)
        assert cu.relative_error(fn.gradient(theta), grad(ORACLES[name])(theta)) < 1e-12
        numerical = cu.numerical_gradient(lambda t: float(fn.value(t)), theta.copy(), eps=1e-6)
        np.testing.assert_allclose(fn.gradient(theta), numerical, rtol=1e-6, atol=1e-6)
    for point in fn.minima:
        assert fn.value(np.array(point)) == pytest.approx(fn.minimum_value, abs=1e-15)
        np.testing.assert_allclose(fn.gradient(np.array(point)), 0, atol=1e-14)


def test_the_rotated_bowl_has_the_same_curvatures():
    """Eigenvalues 1 and 100 (kappa = 100) for both bowls; only the axes turn."""
    for name in ("bowl", "rotated bowl"):
        H = np.column_stack([FUNCTIONS[name].gradient(e) for e in np.eye(2)])
        np.testing.assert_allclose(np.linalg.eigvalsh(H), [1, 100], rtol=1e-12)


def test_arrival_step():
    assert arrival_step([5, 1, 1e-5, 1e-6]) == 2
    assert arrival_step([5, 1e-5, 1, 1e-6]) == 3  # it must *stay* below
    assert arrival_step([5, 1e-5, 1]) is None
    assert arrival_step([1e-9]) == 0
    assert arrival_step([1e-5, np.nan]) is None


def test_gradient_descent_limit_is_two_over_lambda_max():
    """Stable below alpha = 2 / 100 on the bowl, diverges above it (and stops at the box, with no overflow)."""
    assert optimiser_path("bowl", "gd", 0.019, steps=3000).arrival is not None
    diverged = optimiser_path("bowl", "gd", 0.021, steps=3000)
    assert diverged.diverged and diverged.arrival is None
    assert np.abs(diverged.points[-1]).max() > BOX >= np.abs(diverged.points[-2]).max()
    assert np.isfinite(optimiser_path("rosenbrock", "gd", 1.0).values).all()


def test_beta_zero_makes_momentum_and_nesterov_gradient_descent():
    gd = optimiser_path("rotated bowl", "gd", 0.01, steps=100)
    for name in ("momentum", "nesterov"):
        path = optimiser_path("rotated bowl", name, 0.01, steps=100, beta=0.0)
        np.testing.assert_array_equal(path.points, gd.points)


def test_starting_on_the_ridge_of_the_saddle_nobody_leaves_it():
    """At y = 0 exactly, every gradient's y-component is 0, so y stays exactly 0 for every optimiser."""
    for name in ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"):
        path = optimiser_path("saddle", name, 0.01, steps=300, start=(0.6, 0.0))
        assert np.all(path.points[:, 1] == 0.0) and path.arrival is None


def test_the_tuned_race_results_the_notebook_states():
    best = {name: tune_learning_rates(name) for name in ("rotated bowl", "rosenbrock", "saddle")}
    for rates in best.values():
        assert set(rates.values()) <= set(GRID)
    bowl = race("rotated bowl", best["rotated bowl"]).paths
    assert bowl["momentum"].arrival * 2 < bowl["gd"].arrival and bowl["nesterov"].arrival * 3 < bowl["gd"].arrival
    rosenbrock = race("rosenbrock", best["rosenbrock"]).paths
    assert rosenbrock["gd"].arrival is None
    assert all(rosenbrock[name].arrival is not None for name in ("momentum", "nesterov", "adam"))
    for rate in GRID:  # not one learning rate of the grid gets gradient descent there
        assert optimiser_path("rosenbrock", "gd", rate).arrival is None
    saddle = race("saddle", best["saddle"]).paths
    assert saddle["adagrad"].arrival * 10 < saddle["gd"].arrival and saddle["adam"].arrival * 2 < saddle["gd"].arrival


def test_things_to_try_in_the_widget():
    # 1. the rotated bowl, alpha 0.01 -> 0.03: gradient descent diverges, momentum and Nesterov still arrive
    at_001, at_003 = race("rotated bowl", 0.01).paths, race("rotated bowl", 0.03).paths
    for name in ("bowl", "rotated bowl"):  # momentum's limit: alpha (1 - beta) 100 < 2 (1 + beta), alpha < 0.38
        assert not optimiser_path(name, "momentum", 0.37, steps=3000).diverged
        assert optimiser_path(name, "momentum", 0.39, steps=3000).diverged
    assert at_001["gd"].arrival is not None and at_003["gd"].diverged
    assert at_003["momentum"].arrival is not None and at_003["nesterov"].arrival is not None
    # 3. the saddle at alpha 0.01: Adam leaves the ridge and arrives; the gradient methods do not, in 500 steps
    saddle = race("saddle", 0.01).paths
    assert saddle["adam"].arrival is not None and saddle["adam"].arrival < 200
    assert all(saddle[name].arrival is None for name in ("gd", "momentum", "nesterov"))
    # 4. Adagrad at alpha 1: arrives on the axis-aligned bowl, not on the rotated one
    assert optimiser_path("bowl", "adagrad", 1.0).arrival < 100
    assert optimiser_path("rotated bowl", "adagrad", 1.0).arrival is None
    # 5. beta2: a long memory of g^2 stalls Adam at alpha 0.01; at alpha 0.1 a short one jitters
    assert optimiser_path("bowl", "adam", 0.01, beta2=0.9).arrival is not None
    assert optimiser_path("bowl", "adam", 0.01, beta2=0.999).gaps[-1] > 1
    assert optimiser_path("bowl", "adam", 0.1, beta2=0.9).arrival is None
    assert optimiser_path("bowl", "adam", 0.1, beta2=0.999).arrival is not None


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown function 'sphere'"):
        optimiser_path("sphere")
    with pytest.raises(ValueError, match="unknown optimizer 'lbfgs'"):
        optimiser_path("bowl", "lbfgs")
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        optimiser_path("bowl", "adam", -1.0)
    with pytest.raises(ValueError, match="start must be two finite numbers"):
        optimiser_path("bowl", "adam", 0.1, start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="learning_rates has no entry for 'momentum'"):
        race("bowl", {"gd": 0.01})


def test_widget_drives_the_race():
    w = make_optimiser_race()
    first = w.result
    assert first.function == "rotated bowl" and first.figure is not None
    assert set(first.paths) == {"gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}
    rate = control(w, "learning rate")
    assert rate.continuous_update is False
    rate.value = 0.03
    assert w.result.paths["gd"].diverged and w.result.paths["momentum"].learning_rate == pytest.approx(0.03)
    control(w, "β (β₁").value = 0.0
    np.testing.assert_array_equal(w.result.paths["momentum"].points, w.result.paths["gd"].points)
    control(w, "function").value = "saddle"
    assert w.result.function == "saddle"
    control(w, "β₂").value = 0.9
    control(w, "steps").value = 50
    assert len(w.result.paths["adam"].points) == 51
    assert "arrives" in w.result.summary() or "not there" in w.result.summary()
