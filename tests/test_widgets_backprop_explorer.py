"""Tests of the notebook 05 explorers: nudge any weight (5.2), and the backprop stepper (3.1)-(5.5)."""

import numpy as np
import pytest

import course_utils as cu
from course_utils.widgets.backprop_explorer import (
    NudgeResult,
    Step,
    backprop_steps,
    make_backprop_stepper,
    make_nudge_panel,
    nudge_network,
    nudge_weight,
    stepper_network,
)

# ------------------------------------------------------------------ nudge_weight (pure function)
from .conftest import control


def test_nudge_matches_backprop_at_small_eps_for_every_layer():
    parameters, X, Y = nudge_network()
    for layer in (1, 2, 3):
        n_l, n_prev = parameters[f"W{layer}"].shape
        for j in range(n_l):
            for k in range(n_prev):
                r = nudge_weight(parameters, X, Y, layer, j, k, 1e-5)
                assert isinstance(r, NudgeResult)
                assert r.relative_error < 1e-6, (layer, j, k, r)


def test_nudge_error_grows_with_eps_and_is_large_at_one():
    parameters, X, Y = nudge_network()
    errors = [nudge_weight(parameters, X, Y, 1, 0, 0, eps).relative_error for eps in (1e-3, 1e-2, 1e-1, 1.0)]
    assert all(a < b for a, b in zip(errors, errors[1:], strict=False)), errors
    assert errors[-1] > 0.1
    assert errors[0] < 1e-5


def test_nudge_central_difference_and_analytic_are_what_they_claim():
    parameters, X, Y = nudge_network()
    r = nudge_weight(parameters, X, Y, 2, 1, 2, 1e-4)
    assert r.numerical == pytest.approx((r.cost_plus - r.cost_minus) / 2e-4, rel=1e-12)
    AL, cache = cu.forward_propagation(X, parameters, "tanh", "sigmoid")
    assert r.analytic == cu.backpropagation(cache, Y, parameters)["dW2"][1, 2]
    assert r.cost == cu.compute_cost(AL, Y, "sigmoid")
    assert r.weight == parameters["W2"][1, 2]


def test_nudge_does_not_modify_parameters():
    parameters, X, Y = nudge_network()
    before = {key: value.copy() for key, value in parameters.items()}
    nudge_weight(parameters, X, Y, 1, 0, 1, 0.5)
    for key in before:
        assert np.array_equal(parameters[key], before[key])


def test_nudge_works_with_other_activations():
    parameters = cu.initialize_parameters([2, 3, 3], init="xavier", seed=3)
    rng = np.random.default_rng(3)
    X = rng.standard_normal((2, 5))
    Y = cu.one_hot(rng.integers(0, 3, 5), 3)
    r = nudge_weight(parameters, X, Y, 2, 2, 1, 1e-5, hidden_activation="sigmoid", output_activation="softmax")
    assert r.relative_error < 1e-6


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"layer": 0}, ValueError, "layer must be in 1 .. 3"),
        ({"layer": 4}, ValueError, "layer must be in 1 .. 3"),
        ({"layer": 1.0}, TypeError, "layer must be an integer"),
        ({"j": 4}, ValueError, "j must be in 0 .. 3"),
        ({"k": 3}, ValueError, "k must be in 0 .. 2"),
        ({"k": -1}, ValueError, "k must be in 0 .. 2"),
        ({"eps": 0.0}, ValueError, "eps must be a finite number > 0"),
        ({"eps": "small"}, TypeError, "eps must be a real number"),
    ],
)
def test_nudge_rejects_bad_arguments(kwargs, error, message):
    parameters, X, Y = nudge_network()
    arguments = {"layer": 1, "j": 0, "k": 0, "eps": 1e-5} | kwargs
    with pytest.raises(error, match=message):
        nudge_weight(parameters, X, Y, **arguments)


def test_nudge_rejects_mismatched_data():
    parameters, X, Y = nudge_network()
    with pytest.raises(ValueError, match="X has shape"):
        nudge_weight(parameters, X[:2], Y, 1, 0, 0, 1e-5)
    with pytest.raises(ValueError, match="Y has shape"):
        nudge_weight(parameters, X, Y[:, :3], 1, 0, 0, 1e-5)
    del parameters["b2"]
    with pytest.raises(ValueError, match="missing b2"):
        nudge_weight(parameters, X, Y, 1, 0, 0, 1e-5)


# ------------------------------------------------------------------ the nudge panel (widget)


def test_panel_shows_the_nudge_and_follows_the_sliders():
    w = make_nudge_panel()
    first = w.result
    assert isinstance(first, NudgeResult)
    assert (first.layer, first.j, first.k, first.eps) == (1, 0, 0, pytest.approx(1e-5))
    assert first.relative_error < 1e-6

    control(w, "j (row)").value = 2
    moved = w.result
    assert moved.j == 2
    assert moved.analytic != first.analytic
    assert moved.numerical != first.numerical

    control(w, "ε").value = 1.0
    assert w.result.eps == pytest.approx(1.0)
    assert w.result.relative_error > 1e-3


def test_panel_sliders_are_bounded_by_the_layer_shape():
    parameters, _, _ = nudge_network()
    w = make_nudge_panel()
    layer, j, k = control(w, "layer"), control(w, "j (row)"), control(w, "k (column)")
    for l in (1, 2, 3):
        layer.value = l
        n_l, n_prev = parameters[f"W{l}"].shape
        assert (j.max, k.max) == (n_l - 1, n_prev - 1)
    layer.value = 1
    j.value, k.value = 3, 2  # W1 is 4 x 3: the last entry
    layer.value = 3  # W3 is 1 x 3: j is clamped to 0
    assert j.value == 0
    assert (w.result.layer, w.result.j, w.result.k) == (3, 0, 2)
    assert w.result.relative_error < 1e-6


# ------------------------------------------------------------------ backprop_steps (pure function)

EXPECTED_ORDER = ["Z1", "A1", "Z2", "A2", "Z3", "A3", "cost",
                  "dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"]
EXPECTED_SHAPES = {"Z1": (3, 4), "A1": (3, 4), "Z2": (2, 4), "A2": (2, 4), "Z3": (1, 4), "A3": (1, 4), "cost": (),
                   "dZ3": (1, 4), "dW3": (1, 2), "db3": (1, 1), "dA2": (2, 4), "dZ2": (2, 4), "dW2": (2, 3),
                   "db2": (2, 1), "dA1": (3, 4), "dZ1": (3, 4), "dW1": (3, 2), "db1": (3, 1)}
EXPECTED_EQUATIONS = {"Z": "(3.1)", "A": "(3.2)", "c": "(2.2)", "dZ": "(5.1)", "dW": "(5.2)", "db": "(5.3)",
                      "dA": "(5.4)"}


def test_steps_walk_forward_then_backward_in_order():
    steps = backprop_steps()
    assert len(steps) == 18
    assert [s.name for s in steps] == EXPECTED_ORDER
    assert [s.number for s in steps] == list(range(1, 19))
    assert [s.phase for s in steps] == ["forward"] * 7 + ["backward"] * 11
    assert all(isinstance(s, Step) for s in steps)


def test_steps_have_the_right_shapes_and_equations():
    for s in backprop_steps():
        assert s.shape == EXPECTED_SHAPES[s.name], s.name
        assert s.value.shape == s.shape, s.name
        key = s.name[:2] if s.name.startswith("d") else s.name[0]
        expected = "(5.5)" if s.name == "dZ3" else EXPECTED_EQUATIONS[key]
        assert s.equation == expected, s.name
        assert s.dimensions.endswith("×".join(map(str, s.shape))) or s.name in ("cost",), s.name


@pytest.mark.parametrize("hidden_activation", ["tanh", "sigmoid"])
def test_steps_equal_the_course_forward_and_backward_pass(hidden_activation):
    parameters, X, Y = stepper_network()
    AL, cache = cu.forward_propagation(X, parameters, hidden_activation, "sigmoid")
    grads = cu.backpropagation(cache, Y, parameters)
    reference = {**cache, **grads, "cost": cu.compute_cost(AL, Y, "sigmoid")}
    for s in backprop_steps(parameters, X, Y, hidden_activation):
        np.testing.assert_allclose(s.value, reference[s.name], rtol=1e-12, atol=1e-15, err_msg=s.name)


def test_steps_work_for_a_deeper_network():
    parameters = cu.initialize_parameters([2, 4, 3, 3, 1], init="xavier", seed=1)
    X = np.random.default_rng(1).standard_normal((2, 5))
    Y = np.array([[0.0, 1.0, 1.0, 0.0, 1.0]])
    steps = backprop_steps(parameters, X, Y, "relu")
    assert len(steps) == 6 * 4
    AL, cache = cu.forward_propagation(X, parameters, "relu", "sigmoid")
    grads = cu.backpropagation(cache, Y, parameters)
    for s in steps:
        if s.name != "cost":
            np.testing.assert_allclose(s.value, {**cache, **grads}[s.name], rtol=1e-12, atol=1e-15)


def test_steps_reject_bad_input():
    parameters, X, Y = stepper_network()
    with pytest.raises(ValueError, match="unknown hidden_activation"):
        backprop_steps(parameters, X, Y, "softmax")
    with pytest.raises(ValueError, match="Y must hold labels in"):
        backprop_steps(parameters, X, Y + 2)
    two_outputs = cu.initialize_parameters([2, 3, 2], seed=0)
    with pytest.raises(ValueError, match="one sigmoid unit"):
        backprop_steps(two_outputs, X, np.zeros((2, 4)))


# ------------------------------------------------------------------ the stepper (widget)


def test_stepper_slider_walks_the_steps():
    w = make_backprop_stepper()
    slider = control(w, "step")
    assert (slider.min, slider.max) == (1, 18)
    assert w.result.name == "Z1"
    slider.value = 13
    assert w.result.name == "dW2"
    assert w.result.shape == (2, 3)
    assert w.result.equation == "(5.2)"
    slider.value = 18
    assert w.result.name == "db1"
