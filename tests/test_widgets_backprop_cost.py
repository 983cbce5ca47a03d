"""Tests of the notebook 04 explorer: a chain of Jacobians multiplied from the output end or the input end (4.3).

Each "thing to try" that notebook 04 lists under the explorer is checked here by moving its
sliders: with one output reverse wins by n_0; n_0 = n_L is a tie; more outputs than inputs and
forward wins; depth and width change both counts but not their ratio; both orders always give
the same Jacobian.
"""

import numpy as np
import pytest

from course_utils.jacobians import chain_costs
from course_utils.widgets.backprop_cost import (
    MAX_DEPTH,
    MAX_INPUTS,
    MAX_OUTPUTS,
    MAX_WIDTH,
    ChainResult,
    chain_dims,
    explore_chain,
    make_chain_explorer,
    random_chain,
    show_chain,
)

from .conftest import control


def test_counts_are_the_products_performed_and_equal_4_3():
    result = explore_chain(n_inputs=30, width=8, depth=2, n_outputs=3)
    assert isinstance(result, ChainResult)
    assert result.dims == [30, 8, 8, 3]
    weights = [8 * 30, 8 * 8, 3 * 8]
    assert result.reverse_steps == [3 * w for w in weights] and result.forward_steps == [30 * w for w in weights]
    assert (result.reverse_count, result.forward_count) == chain_costs(result.dims) == (3 * 328, 30 * 328)
    assert result.agreement <= 1 and result.winner == "reverse"


@pytest.mark.parametrize("sizes", [(100, 64, 3, 1), (MAX_INPUTS, MAX_WIDTH, MAX_DEPTH, MAX_OUTPUTS), (1, 5, 1, 7)])
def test_both_orders_give_the_same_jacobian_with_a_tenfold_margin(sizes):
    result = explore_chain(*sizes)
    assert result.agreement < 0.1  # worst |reverse - forward| over its round-off bound


def test_the_things_to_try_in_notebook_04():
    w = make_chain_explorer()
    n_0, width, depth, n_L = (control(w, name) for name in ("inputs n_0", "inner width", "inner layers", "outputs n_L"))
    for slider in (n_0, width, depth, n_L):
        assert slider.continuous_update is False and slider.min == 1
    assert (n_0.max, width.max, depth.max, n_L.max) == (MAX_INPUTS, MAX_WIDTH, MAX_DEPTH, MAX_OUTPUTS)

    first = w.result  # one output (a cost): reverse accumulation wins by exactly n_0
    assert first.dims == [100, 64, 64, 64, 1] and first.winner == "reverse"
    assert first.forward_count == 100 * first.reverse_count
    assert first.figure is not None and "100x cheaper" in first.readout

    n_L.value = 100  # as many outputs as inputs: a tie
    assert w.result.winner == "tie" and w.result.forward_count == w.result.reverse_count
    assert "a tie" in w.result.readout

    n_0.value = 2  # more outputs than inputs: forward accumulation wins, by n_L / n_0
    assert w.result.winner == "forward" and w.result.reverse_count == 50 * w.result.forward_count

    before = w.result
    depth.value, width.value = 6, 200  # deeper and wider: both counts grow, the ratio does not move
    assert w.result.dims == [2] + [200] * 6 + [100]
    assert w.result.forward_count > 10 * before.forward_count and w.result.reverse_count > 10 * before.reverse_count
    assert w.result.reverse_count / w.result.forward_count == before.reverse_count / before.forward_count == 50
    assert w.result.agreement < 0.1  # and the two products still agree


def test_show_chain_draws_both_panels_and_prints_the_readout(capsys):
    result = show_chain(n_inputs=10, width=4, depth=1, n_outputs=2)
    assert len(result.figure.axes) == 2
    assert result.figure.axes[1].get_xscale() == "log"
    assert result.readout in capsys.readouterr().out


def test_random_chain_fits_and_is_seeded():
    chain = random_chain([5, 4, 3], seed=1)
    assert [J.shape for J in chain] == [(4, 5), (3, 4)]
    np.testing.assert_array_equal(chain[0], random_chain([5, 4, 3], seed=1)[0])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_inputs": 0}, ValueError, "n_inputs"),
        ({"width": 2.5}, TypeError, "width"),
        ({"n_outputs": -1}, ValueError, "n_outputs"),
        ({"depth": -1}, ValueError, "depth"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        explore_chain(**kwargs)
    with pytest.raises(error, match=message):
        chain_dims(**({"n_inputs": 3, "width": 4, "depth": 1, "n_outputs": 1} | kwargs))
