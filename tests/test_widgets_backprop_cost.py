"""Tests of the notebook 04 explorer: counted cost of a gradient, nudging (4.1) vs backpropagation."""

import numpy as np
import pytest

from course_utils import backpropagation, forward_propagation, initialize_parameters, numerical_gradient
from course_utils.widgets.backprop_cost import (
    BackpropCost,
    backprop_cost,
    backward_multiply_adds,
    forward_multiply_adds,
    gradient_costs,
    make_backprop_cost,
    network_dims,
    parameter_count,
)

from .conftest import control


@pytest.mark.parametrize("layer_dims", [[2, 1], [2, 3, 1], [4, 8, 8, 1], [10, 20, 5, 3]])
def test_parameter_count_matches_the_initialised_arrays(layer_dims):
    parameters = initialize_parameters(layer_dims, seed=0)
    assert parameter_count(layer_dims) == sum(value.size for value in parameters.values())


@pytest.mark.parametrize("layer_dims", [[2, 1], [3, 4, 2], [5, 3, 3, 1]])
def test_numerical_gradient_calls_the_cost_exactly_2P_times(layer_dims):
    P = parameter_count(layer_dims)
    calls = []

    def cost(theta):
        calls.append(1)
        return float(np.sum(np.sin(theta)))

    numerical_gradient(cost, np.linspace(-1, 1, P))
    assert len(calls) == 2 * P == gradient_costs(layer_dims)[0]


def test_multiply_adds_match_a_hand_count():
    # [3, 4, 2] with m = 5: forward 5*(4*3 + 2*4) = 100; backward dW: 100, dA1: 5*2*4 = 40
    assert forward_multiply_adds([3, 4, 2], m=5) == 100
    assert backward_multiply_adds([3, 4, 2], m=5) == 140
    assert gradient_costs([3, 4, 2]) == (2 * (4 * 3 + 4 + 2 * 4 + 2), 2.4)


@pytest.mark.parametrize("width", [1, 5, 50, 500])
def test_backprop_costs_between_two_and_three_forward_passes(width):
    _, backprop = gradient_costs(network_dims(width, 10, 3, 2))
    assert 2 <= backprop < 3
    assert gradient_costs([7, 1]) == (16, 2.0)  # one layer: no dA[0], so exactly 2


def test_backprop_cost_is_independent_of_m():
    dims = [6, 9, 4, 1]
    ratios = {backward_multiply_adds(dims, m) / forward_multiply_adds(dims, m) for m in (1, 7, 64)}
    assert len(ratios) == 1


def test_counts_are_what_backpropagation_really_multiplies():
    """Count the multiply-adds of every matrix product the reference code performs."""
    dims, m = [3, 5, 4, 2], 6
    total = {"multiply_adds": 0}

    class Counted(np.ndarray):
        def __matmul__(self, other):
            total["multiply_adds"] += self.shape[0] * self.shape[1] * other.shape[1]
            return super().__matmul__(other)

    rng = np.random.default_rng(0)
    parameters = {k: v.view(Counted) for k, v in initialize_parameters(dims, seed=1).items()}
    X = rng.standard_normal((dims[0], m)).view(Counted)
    Y = rng.standard_normal((dims[-1], m)).view(Counted)
    _, cache = forward_propagation(X, parameters, "tanh", "identity")
    assert total["multiply_adds"] == forward_multiply_adds(dims, m)
    total["multiply_adds"] = 0
    backpropagation(cache, Y, parameters)
    assert total["multiply_adds"] == backward_multiply_adds(dims, m)


def test_pure_function_returns_every_number_shown():
    result = backprop_cost(hidden_width=4, n_inputs=3, n_hidden_layers=1, n_outputs=1, max_width=10)
    assert isinstance(result, BackpropCost)
    assert result.layer_dims == [3, 4, 1]
    assert result.P == 4 * 3 + 4 + 4 + 1 == 21
    assert result.numerical_passes == 42
    assert result.backprop_passes == pytest.approx(1 + (16 + 4) / 16)
    assert result.speedup == pytest.approx(42 / result.backprop_passes)
    assert "P = 21 parameters" in result.readout
    assert len(result.curve_P) == 10 and result.curve_P[3] == 21
    np.testing.assert_array_equal(result.curve_numerical, 2 * result.curve_P)
    assert result.figure.axes[0].get_xscale() == "log"


def test_slider_moves_the_counts_and_the_readout():
    w = make_backprop_cost()
    width = control(w, "hidden width")
    assert width.continuous_update is False

    width.value = 5
    first = w.result
    width.value = 60
    second = w.result

    for result, h in ((first, 5), (second, 60)):
        assert result.hidden_width == h
        assert result.layer_dims == [10, h, h, 1]
        assert result.P == h * h + 13 * h + 1
        assert result.numerical_passes == 2 * result.P  # exactly 2P
        assert 2 <= result.backprop_passes < 3  # a small constant
    assert second.P > 10 * first.P
    assert second.numerical_passes / first.numerical_passes == second.P / first.P
    assert second.backprop_passes / first.backprop_passes < 1.5  # while 2P grew 48-fold
    assert second.readout != first.readout
    assert f"{second.P:,}" in second.readout


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"hidden_width": 0}, ValueError, "hidden_width"),
        ({"hidden_width": 2.5}, TypeError, "hidden_width"),
        ({"n_inputs": -1}, ValueError, "n_inputs"),
        ({"n_hidden_layers": -1}, ValueError, "n_hidden_layers"),
        ({"max_width": 0}, ValueError, "max_width"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        backprop_cost(**kwargs)


@pytest.mark.parametrize("layer_dims", [[3], [3, 0, 1], "34", [2, 1.5]])
def test_bad_layer_dims_are_rejected(layer_dims):
    with pytest.raises(ValueError, match="layer_dims"):
        parameter_count(layer_dims)
