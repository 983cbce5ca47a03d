"""The training explorer of notebook 06: sliders -> course_utils.train on a 2-D set -> cost and boundary.

Every run is the course's training loop (init -> forward -> cost -> backward -> update, (2.6)), so
these tests check what a learner should see when moving the sliders: more epochs lower the cost,
a sensible network separates the moons, no hidden layer means a straight boundary, a wide deep
network trained long opens a gap between its training and dev costs, and a learning rate that is
far too large gets a caption (zig-zag, no better than chance, or divergence instead of NaN warnings).
"""

import numpy as np
import pytest
from matplotlib.collections import PathCollection

import course_utils as cu
from course_utils.widgets.training_explorer import (
    CLASS_COLOURS,
    DATASETS,
    MAX_DEPTH,
    MAX_EPOCHS,
    MAX_WIDTH,
    explore_training,
    make_2d_dataset,
    make_training_explorer,
    show_training,
)

from .conftest import control


def test_more_epochs_give_a_lower_final_cost():
    short = explore_training(width=16, depth=2, learning_rate=0.3, epochs=50)
    long = explore_training(width=16, depth=2, learning_rate=0.3, epochs=500)
    assert long.final_cost < short.final_cost
    assert long.costs.shape == (500,) and short.costs.shape == (50,)
    # Full batch from the same initialisation: the long run starts exactly like the short one.
    np.testing.assert_array_equal(long.costs[:50], short.costs)


def test_a_reasonable_network_separates_the_moons():
    result = explore_training(width=16, depth=2, learning_rate=0.3, epochs=1000, dataset="moons")
    assert result.train_accuracy > 0.9
    assert not result.diverged
    assert result.final_cost < 0.5 * result.costs[0]
    assert result.layer_dims == [2, 16, 16, 1]


def test_result_is_what_course_utils_train_gives():
    result = explore_training(width=8, depth=1, learning_rate=0.5, epochs=100, dataset="circles", seed=3)
    X, Y, output_activation = make_2d_dataset("circles", seed=3)
    parameters, costs = cu.train(X, Y, [2, 8, 1], output_activation=output_activation, learning_rate=0.5,
                                 epochs=100, seed=3)
    np.testing.assert_allclose(result.costs, costs, rtol=1e-12)
    for key, value in parameters.items():
        np.testing.assert_allclose(result.parameters[key], value, rtol=1e-12)
    assert result.train_accuracy == cu.accuracy(Y, cu.predict(X, parameters))
    X_dev, Y_dev, _ = make_2d_dataset("circles", seed=4)  # the dev set: a fresh draw, never trained on
    _, dev_cache = cu.forward_propagation(X_dev, parameters, "relu", output_activation)
    assert result.dev_costs[-1] == pytest.approx(cu.cost_from_logits(dev_cache["Z2"], Y_dev), rel=1e-12)
    assert result.dev_accuracy == cu.accuracy(Y_dev, cu.predict(X_dev, parameters))


def test_a_wide_deep_network_trained_long_overfits_the_moons():
    """The notebook's third thing to try: the training cost keeps falling, the dev cost does not follow."""
    result = explore_training(width=32, depth=4, learning_rate=0.3, epochs=2000, dataset="moons")
    assert result.train_accuracy > result.dev_accuracy
    assert result.costs[-1] < 0.5 * result.dev_costs[-1]  # a gap between the two curves
    assert result.dev_costs.min() < result.dev_costs[-1]  # the dev cost bottomed out and rose again


def test_no_hidden_layer_is_logistic_regression_and_cannot_learn_xor():
    line = explore_training(depth=0, learning_rate=0.3, epochs=500, dataset="xor")
    network = explore_training(width=16, depth=2, learning_rate=0.3, epochs=500, dataset="xor")
    assert line.layer_dims == [2, 1]
    assert line.train_accuracy < 0.7  # one straight line cannot separate XOR
    assert network.train_accuracy > 0.95


def test_spirals_use_a_softmax_output_and_show_three_colours_with_a_legend():
    result = show_training(width=32, depth=2, learning_rate=0.5, epochs=1000, dataset="spirals")
    assert result.output_activation == "softmax"
    assert result.layer_dims == [2, 32, 32, 3]
    assert result.train_accuracy > 0.95
    regions = result.figure.axes[1]
    legend = regions.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["class 0", "class 1", "class 2"]
    points = [c for c in regions.collections if isinstance(c, PathCollection) and c.get_facecolor()[0][3] == 1]
    colours = {tuple(np.round(c.get_facecolor()[0], 3)) for c in points}  # the points (the regions are faded)
    assert len(colours) == 3 and len(set(CLASS_COLOURS)) == 3  # every class its own colour


def test_every_data_set_trains_without_numerical_warnings():
    for name in DATASETS:
        result = explore_training(width=8, depth=1, learning_rate=0.3, epochs=20, dataset=name)
        assert np.isfinite(result.costs).all() and 0 <= result.train_accuracy <= 1


def test_a_huge_learning_rate_is_reported_as_divergence(capsys):
    # The autouse fixture turns overflow into an error: the explorer must handle it itself.
    result = explore_training(width=MAX_WIDTH, depth=MAX_DEPTH, learning_rate=10.0, epochs=200)
    assert result.diverged
    assert np.isnan(result.final_cost) and np.isnan(result.train_accuracy)
    assert not np.isfinite(result.costs).all()
    drawn = show_training(width=MAX_WIDTH, depth=MAX_DEPTH, learning_rate=10.0, epochs=200)
    assert drawn.diverged and drawn.figure is not None
    first_bad = int(np.flatnonzero(~np.isfinite(drawn.costs))[0]) + 1
    assert f"diverged: the numbers overflowed at epoch {first_bad}" in capsys.readouterr().out
    assert drawn.caption.startswith("diverged") and drawn.caption in [t.get_text() for t in drawn.figure.texts]


def test_learning_rate_too_small_zig_zag_and_too_large():
    """What the notebook tells learners to look for when they move the learning-rate slider."""
    small = explore_training(learning_rate=0.01)
    good = explore_training(learning_rate=0.3)
    jumpy = explore_training(learning_rate=3.0)
    huge = explore_training(learning_rate=10.0)
    assert small.final_cost > 2 * good.final_cost  # 300 epochs were not enough at alpha = 0.01
    assert np.all(np.diff(small.costs) < 0) and np.all(np.diff(good.costs) < 0)  # smooth descent
    assert small.caption == good.caption == ""
    assert np.any(np.diff(jumpy.costs) > 0)  # the learning curve zig-zags
    assert jumpy.caption.startswith("the cost zig-zags")
    assert not huge.diverged and huge.train_accuracy <= 0.55  # no better than a coin toss
    assert "no better than always guessing the commonest class" in huge.caption
    drawn = show_training(learning_rate=10.0)
    assert huge.caption in [t.get_text() for t in drawn.figure.texts]  # the caption is on the picture


def test_invalid_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="width"):
        explore_training(width=0)
    with pytest.raises(TypeError, match="depth"):
        explore_training(depth=1.5)
    with pytest.raises(ValueError, match="depth"):
        explore_training(depth=-1)
    with pytest.raises(ValueError, match="learning_rate"):
        explore_training(learning_rate=0.0)
    with pytest.raises(TypeError, match="epochs"):
        explore_training(epochs="many")
    with pytest.raises(ValueError, match="dataset"):
        explore_training(dataset="swiss roll")


def test_widget_sliders_drive_the_result():
    w = make_training_explorer()
    width, depth = control(w, "hidden width"), control(w, "hidden layers")
    rate, epochs = control(w, "learning rate"), control(w, "epochs")
    for slider in (width, depth, rate, epochs):
        assert slider.continuous_update is False
        assert slider.style.description_width == "9em" and slider.layout.width == "520px"  # aligned tracks
    assert (width.max, depth.max, epochs.max) == (MAX_WIDTH, MAX_DEPTH, MAX_EPOCHS)
    first = w.result
    assert first.figure is not None and first.layer_dims == [2, 16, 16, 1]

    rate.value = 0.03
    slow = w.result
    assert slow.learning_rate == pytest.approx(0.03)
    assert slow.final_cost != first.final_cost  # moving the learning-rate slider changes the result
    assert not np.array_equal(slow.costs, first.costs)

    epochs.value = 1000
    assert w.result.final_cost < slow.final_cost  # more epochs, lower cost

    depth.value = 0
    assert w.result.layer_dims == [2, 1]
    width.value = 4
    depth.value = 1
    assert w.result.layer_dims == [2, 4, 1]

    control(w, "data set").value = "spirals"
    assert w.result.output_activation == "softmax"
