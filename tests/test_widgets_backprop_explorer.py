"""Tests of the notebook 05 explorers: nudge any weight (5.2), and the backprop stepper (3.1)-(5.5).

The notebook's "things to try" are checked here: a small nudge agrees with backprop, a nudge of 1
does not (the secant bends away, truncation ~ eps^2), a tiny nudge loses digits to round-off
(~ u J / eps); the stepper shows what each step reads from the cache and can hide its shape.
"""

import numpy as np
import pytest

import course_utils as cu
from course_utils.diagrams import cached_reads
from course_utils.widgets.backprop_explorer import (
    EPS_RANGE,
    NudgeResult,
    Step,
    StepView,
    backprop_steps,
    make_backprop_stepper,
    make_nudge_panel,
    nudge_errors,
    nudge_network,
    nudge_weight,
    parse_shape,
    stepper_network,
    stepper_view,
)

# ------------------------------------------------------------------ nudge_weight (pure function)
from .conftest import control


def _within_allowance(r):
    """The nudge's worst-entry ratio to the course's gradient-check allowance (DESIGN §5)."""
    return cu.compare_gradients(np.array([r.analytic]), np.array([r.numerical]), abs(r.cost), r.eps).ratio


def test_nudge_matches_backprop_at_small_eps_for_every_layer():
    parameters, X, Y = nudge_network()
    for layer in (1, 2, 3):
        n_l, n_prev = parameters[f"W{layer}"].shape
        for j in range(n_l):
            for k in range(n_prev):
                r = nudge_weight(parameters, X, Y, layer, j, k, 1e-5)
                assert isinstance(r, NudgeResult)
                assert _within_allowance(r) < 0.1, (layer, j, k, r)


def test_nudge_error_grows_like_eps_squared_and_is_large_at_one():
    parameters, X, Y = nudge_network()
    errors = nudge_errors(parameters, X, Y, 1, 0, 0, np.array([1e-3, 1e-2, 1e-1, 1.0]))
    assert all(a < b for a, b in zip(errors, errors[1:], strict=False)), errors
    assert 50 < errors[1] / errors[0] < 200  # truncation ~ eps^2: ten times the nudge, a hundred times the error
    assert errors[-1] > 0.1  # at eps = 1 the secant is no longer the tangent


def test_tiny_nudges_lose_digits_to_roundoff():
    """The round-off arm: J(W + eps) and J(W - eps) agree in almost every digit, so their rounding shows."""
    parameters, X, Y = nudge_network()
    arm = np.array([1e-12, 3e-12, 1e-11, 3e-11])
    errors = nudge_errors(parameters, X, Y, 1, 0, 0, arm)
    best = nudge_errors(parameters, X, Y, 1, 0, 0, np.array([1e-6]))[0]
    r = nudge_weight(parameters, X, Y, 1, 0, 0, 1e-12)
    assert errors.max() > 1000 * best  # observed: about 1e-4 against about 1e-11
    assert errors.max() > 0.01 * r.roundoff  # the size u J / (eps |dW|) predicts
    assert np.all(errors <= 100 * r.roundoff * 1e-12 / arm)  # and never much more than it


def test_nudge_central_difference_and_analytic_are_what_they_claim():
    parameters, X, Y = nudge_network()
    r = nudge_weight(parameters, X, Y, 2, 1, 2, 1e-4)
    assert r.numerical == pytest.approx((r.cost_plus - r.cost_minus) / 2e-4, rel=1e-12)
    AL, cache = cu.forward_propagation(X, parameters, "tanh", "sigmoid")
    assert r.analytic == cu.backpropagation(cache, Y, parameters)["dW2"][1, 2]
    assert r.cost == cu.cost_from_logits(cache["Z3"], Y)  # the exact cost, from the logits
    assert r.weight == parameters["W2"][1, 2]
    assert r.roundoff == pytest.approx(2**-53 * r.cost / (1e-4 * abs(r.analytic)), rel=1e-12)


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
    assert _within_allowance(r) < 0.1


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


def test_nudge_errors_rejects_bad_eps_values():
    parameters, X, Y = nudge_network()
    with pytest.raises(ValueError, match="eps_values"):
        nudge_errors(parameters, X, Y, 1, 0, 0, np.array([1e-3, 0.0]))


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
    assert isinstance(first, NudgeResult) and first.figure is not None
    assert len(first.figure.axes) == 2  # J along the weight, and the error against eps
    assert (first.layer, first.j, first.k, first.eps) == (1, 0, 0, pytest.approx(1e-5))
    assert _within_allowance(first) < 0.1

    control(w, "j (row)").value = 2
    moved = w.result
    assert moved.j == 2
    assert moved.analytic != first.analytic
    assert moved.numerical != first.numerical

    eps = control(w, "nudge ε")
    assert (eps.min, eps.max) == EPS_RANGE == (-12, 0)  # log10: from 1e-12, where round-off shows, to 1
    eps.value = 1.0
    assert w.result.eps == pytest.approx(1.0)
    assert w.result.relative_error > 0.01  # truncation: the secant through +-1 is not the tangent
    eps.value = 1e-12
    assert w.result.eps == pytest.approx(1e-12)
    assert w.result.roundoff > 1e-5  # the digits round-off can cost at this nudge


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
    assert _within_allowance(w.result) < 0.1


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
    assert len(steps) == len(EXPECTED_ORDER)
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


def test_each_backward_step_reads_the_cache_as_the_equations_say():
    steps = {s.name: s for s in backprop_steps()}
    assert steps["dZ3"].cached == ("A3",)  # (5.5): A - Y
    assert steps["dZ2"].cached == ("Z2",) and steps["dZ1"].cached == ("Z1",)  # (5.1): g'(Z[l])
    assert steps["dW3"].cached == ("A2",) and steps["dW1"].cached == ("A0",)  # (5.2): A[l-1]
    assert steps["db2"].cached == ()  # (5.3): dZ only
    assert steps["dA2"].reads == ("W3", "dZ3") and steps["dA2"].cached == ()  # (5.4): a parameter, not the cache
    assert {name: s.cached for name, s in steps.items() if name.startswith("d")} == cached_reads(3)
    # every array the forward pass cached is read by some backward step: none could be thrown away
    read = {r for s in steps.values() if s.phase == "backward" for r in s.cached}
    assert read == {"A0", "Z1", "A1", "Z2", "A2", "A3"}  # Z3 too for a non-canonical output (5.1 at the output)


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


def test_stepper_slider_walks_the_steps_and_marks_what_each_reads():
    w = make_backprop_stepper()
    slider = control(w, "step")
    assert (slider.min, slider.max) == (1, len(EXPECTED_ORDER))
    assert isinstance(w.result, StepView) and w.result.step.name == "Z1" and w.result.figure is not None
    slider.value = 13
    view = w.result
    assert view.step.name == "dW2" and view.step.shape == (2, 3) and view.step.equation == "(5.2)"
    assert view.shape_shown and "2×3" in view.html
    assert "<b>A1</b>" in view.html and "<b>dZ2</b>" in view.html  # the arrays it reads, with their values
    assert "dW2 reads dZ2, A1" in view.figure.axes[0].get_title()
    slider.value = 18
    assert w.result.step.name == "db1"


def test_stepper_hides_the_shape_until_it_is_guessed():
    w = make_backprop_stepper()
    slider, predict, guess = control(w, "step"), control(w, "predict each shape first"), control(w, "your shape guess")
    slider.value = 13  # dW2, 2 x 3
    predict.value = True
    assert not w.result.shape_shown and w.result.verdict is None
    assert "2×3" not in w.result.html and "what shape will it have?" in w.result.html
    guess.value = "3x2"
    assert w.result.verdict is False and w.result.shape_shown and "it is 2×3" in w.result.html
    guess.value = "(2, 3)"
    assert w.result.verdict is True and "✓" in w.result.html
    slider.value = 14  # a new step starts with an empty guess and a hidden shape
    assert guess.value == "" and not w.result.shape_shown and w.result.step.name == "db2"


def test_stepper_offers_the_hidden_activation():
    w = make_backprop_stepper()
    slider, activation = control(w, "step"), control(w, "hidden activation")
    assert set(activation.options) == {"tanh", "relu", "sigmoid"}
    slider.value = 12  # dZ2 = dA2 * g'(Z2)
    tanh_value = w.result.step.value
    activation.value = "relu"
    assert "relu′(Z2)" in w.result.step.formula
    assert not np.array_equal(w.result.step.value, tanh_value)
    parameters, X, Y = stepper_network()
    _, cache = cu.forward_propagation(X, parameters, "relu", "sigmoid")
    np.testing.assert_allclose(w.result.step.value, cu.backpropagation(cache, Y, parameters)["dZ2"],
                               rtol=1e-12, atol=1e-15)
    # the notebook's claim: only the hidden layers' A and dZ steps change formula
    tanh_steps, relu_steps = backprop_steps(hidden_activation="tanh"), backprop_steps(hidden_activation="relu")
    changed = {a.name for a, b in zip(tanh_steps, relu_steps, strict=True) if a.formula != b.formula}
    assert changed == {"A1", "A2", "dZ2", "dZ1"}


@pytest.mark.parametrize(("text", "shape"), [("3x4", (3, 4)), ("3×4", (3, 4)), ("(2, 3)", (2, 3)), ("1", (1,)),
                                             ("()", ()), ("scalar", ()), ("", None), ("no idea", None)])
def test_shape_guesses_are_read_generously(text, shape):
    assert parse_shape(text) == shape


def test_stepper_view_rejects_bad_input():
    with pytest.raises(ValueError, match="number must be a step from 1 to 18"):
        stepper_view(19)
    with pytest.raises(ValueError, match="unknown hidden_activation"):
        stepper_view(1, "softmax")
