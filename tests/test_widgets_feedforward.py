"""Tests of the notebook-03 explorers: initialisation scale and network shape on the moons."""

import ipywidgets as widgets
import numpy as np
import pytest

import course_utils as cu
from course_utils.widgets.feedforward import (
    activation_spread,
    init_scale_histograms,
    make_architecture_explorer,
    make_init_scale_explorer,
    moons_decision_boundary,
    train_moons_classifier,
)

# --- (a) initialisation scale ------------------------------------------------------------------
from .conftest import control


def test_activation_spread_returns_one_std_per_layer():
    result = activation_spread(1.0, "relu", depth=4, width=20, m=30, seed=0)
    assert result["std"].shape == result["gradient_std"].shape == result["mean_slope"].shape == (4,)
    assert [A.shape for A in result["activations"]] == [(20, 30)] * 4
    assert np.array_equal(result["std"], [A.std() for A in result["activations"]])  # the very same computation


def test_the_backward_spread_is_backpropagation_of_a_random_output_gradient():
    """gradient_std is the std of dW[l] from (5.1)-(5.4): the gradient of f = (1/m) sum(dA * A_L) with
    respect to W[l], here by central differences (each entry off by round-off ~1e-10 relative, so the
    std agrees to far better than the 1e-6 asked)."""
    depth, width, m, seed = 3, 6, 5, 2
    result = activation_spread(1.3, "tanh", depth=depth, width=width, m=m, seed=seed)
    X = np.random.default_rng(seed).standard_normal((width, m))
    parameters = cu.initialize_parameters([width] * (depth + 1), init="he", seed=seed + 1)
    parameters = {k: 1.3 * v if k[0] == "W" else v for k, v in parameters.items()}
    dA = np.random.default_rng(seed + 2).standard_normal((width, m))
    for l in range(1, depth + 1):
        def f(W, l=l):
            nudged = dict(parameters, **{f"W{l}": W})
            return float((dA * cu.forward_propagation(X, nudged, "tanh", "tanh")[0]).sum()) / m

        W = parameters[f"W{l}"].copy()
        numerical = cu.numerical_gradient(f, W, eps=1e-5)
        assert numerical.std() == pytest.approx(result["gradient_std"][l - 1], rel=1e-6)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_scale_is_a_multiple_of_he_and_reproduces_the_named_initialisations(activation):
    """Equal widths: scale 1 is He, 1/sqrt(2) is Xavier, 0.01/sqrt(2/n) is "small" (3.6)."""
    depth, width, m, seed = 5, 30, 40, 3
    X = np.random.default_rng(seed).standard_normal((width, m))
    for init, scale in [("he", 1.0), ("xavier", 1 / np.sqrt(2)), ("small", 0.01 / np.sqrt(2 / width))]:
        parameters = cu.initialize_parameters([width] * (depth + 1), init=init, seed=seed + 1)
        _, cache = cu.forward_propagation(X, parameters, activation, activation)
        expected = [cache[f"A{l}"].std() for l in range(1, depth + 1)]
        got = activation_spread(scale, activation, depth=depth, width=width, m=m, seed=seed)["std"]
        assert np.allclose(got, expected, rtol=1e-9, atol=0), init


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_bigger_scale_gives_bigger_last_layer_spread(activation):
    last = [activation_spread(scale, activation)["std"][-1] for scale in (0.05, 0.3, 1.0, 3.0)]
    assert np.all(np.diff(last) > 0), last


def test_small_scale_collapses_and_he_keeps_relu_spread():
    small = activation_spread(0.01 / np.sqrt(2 / 100), "relu")["std"]
    he = activation_spread(1.0, "relu")
    assert small[-1] / small[0] < 1e-6  # measured 3e-11: a factor 0.07 per layer
    assert np.all(he["std"] / he["std"][0] > 1 / 3) and np.all(he["std"] / he["std"][0] < 3)  # measured 0.67..1
    ratio = he["gradient_std"][0] / he["gradient_std"][-1]
    assert 1 / 3 < ratio < 3  # He keeps the backward spread too (measured 0.96)


def test_large_tanh_weights_saturate_and_unbalance_the_gradients():
    """tanh at 3 x He: activations pile up near +-1 (mean tanh' ~ 0.2) and dW grows ~70x from layer 10 back
    to layer 1: the flat forward spread hides a backward pass that is far from balanced."""
    big = activation_spread(3.0, "tanh")
    assert big["mean_slope"].max() < 0.3
    assert big["gradient_std"][0] / big["gradient_std"][-1] > 10


def test_sigmoid_gradients_vanish_at_he_scale_but_larger_weights_counter_the_quarter():
    """g' <= 1/4 alone does not decide: the layer's backward map is W^T diag(g'). At He scale the sigmoid
    network's dW shrinks ~2e4x from layer 10 to layer 1; at 5 x He only ~5x (measured)."""
    he = activation_spread(1.0, "sigmoid")
    big = activation_spread(5.0, "sigmoid")
    assert np.all(he["mean_slope"] <= 0.25) and np.all(big["mean_slope"] <= 0.25)
    assert he["gradient_std"][0] / he["gradient_std"][-1] < 1e-3
    assert big["gradient_std"][0] / big["gradient_std"][-1] > 1e-2


def test_init_scale_histograms_returns_numbers_and_figure():
    result = init_scale_histograms(0.5, "tanh", depth=4, width=10, m=20)
    assert result["std"].shape == (4,)
    assert result["last_std"] == result["std"][-1]
    assert result["ratio"] == result["std"][-1] / result["std"][0]
    assert result["gradient_ratio"] == result["gradient_std"][0] / result["gradient_std"][-1]
    assert len(result["figure"].axes) == 4 + 2  # one histogram per layer, the forward and the backward spread


def test_init_scale_explorer_follows_its_controls():
    w = make_init_scale_explorer(depth=6, width=50, m=100)
    assert isinstance(w, widgets.interactive)
    scale = control(w, "scale")
    assert isinstance(scale, widgets.FloatLogSlider) and scale.continuous_update is False
    start = w.result["last_std"]
    expected = activation_spread(1.0, "relu", depth=6, width=50, m=100)["std"][-1]
    assert start == pytest.approx(expected)

    scale.value = 3.0
    bigger = w.result["last_std"]
    assert bigger > 10 * start  # the result changes when the slider moves, in the right direction
    scale.value = 0.1
    assert w.result["last_std"] < start / 10

    control(w, "activation").value = "tanh"
    assert w.result["last_std"] == activation_spread(0.1, "tanh", depth=6, width=50, m=100)["std"][-1]
    control(w, "activation").value = "sigmoid"
    assert w.result["last_std"] == activation_spread(0.1, "sigmoid", depth=6, width=50, m=100)["std"][-1]


def test_activation_spread_rejects_bad_input():
    with pytest.raises(ValueError, match="scale"):
        activation_spread(0.0)
    with pytest.raises(TypeError, match="scale"):
        activation_spread("big")
    with pytest.raises(ValueError, match="activation"):
        activation_spread(1.0, "softmax")
    with pytest.raises(ValueError, match="depth"):
        activation_spread(1.0, "relu", depth=0)
    with pytest.raises(TypeError, match="width"):
        activation_spread(1.0, "relu", width=2.5)


# --- (b) network shape and activation on the moons ---------------------------------------------


def test_relu_network_fits_the_moons_and_a_linear_one_does_not():
    relu = train_moons_classifier("relu", width=16, depth=1)
    linear = train_moons_classifier("identity", width=16, depth=1)
    assert relu["accuracy"] > 0.9
    assert linear["accuracy"] < relu["accuracy"] - 0.05
    assert relu["layer_dims"] == [2, 16, 1]
    assert len(relu["costs"]) == 1000 and relu["costs"][-1] < relu["costs"][0]


def test_deep_linear_network_is_still_linear():
    """Depth does not help without a non-linearity: every identity network ends near the same score."""
    shallow = train_moons_classifier("identity", width=4, depth=1)["accuracy"]
    deep = train_moons_classifier("identity", width=16, depth=3)["accuracy"]
    assert abs(deep - shallow) <= 0.02
    assert deep < 0.9


def test_sigmoid_at_a_small_learning_rate_is_stuck_on_a_plateau_and_a_larger_one_fits():
    """alpha = 0.5: the cost stays within 3% from epoch 200 to 1000 (a plateau; measured 0.336 -> 0.337)
    and the boundary stays nearly straight. alpha = 4: the same network fits the moons (measured 0.945)."""
    stuck = train_moons_classifier("sigmoid", width=16, depth=1, learning_rate=0.5)
    assert abs(stuck["costs"][-1] / stuck["costs"][199] - 1) < 0.03
    assert stuck["accuracy"] < 0.9
    fast = train_moons_classifier("sigmoid", width=16, depth=1, learning_rate=4.0)
    assert fast["accuracy"] > 0.9 and fast["costs"][-1] < 0.7 * stuck["costs"][-1]


def test_moons_decision_boundary_returns_accuracy_and_figure():
    result = moons_decision_boundary("tanh", width=8, depth=1, epochs=200)
    expected = train_moons_classifier("tanh", width=8, depth=1, epochs=200)
    assert result["accuracy"] == expected["accuracy"]  # the same run, bit for bit (same process, same calls)
    assert result["final_cost"] == expected["costs"][-1]
    assert len(result["figure"].axes) == 2


def test_architecture_explorer_follows_its_controls():
    w = make_architecture_explorer()
    assert isinstance(w, widgets.interactive)
    activation, width, depth = control(w, "activation"), control(w, "width"), control(w, "hidden layers")
    rate, epochs = control(w, "learning rate"), control(w, "epochs")
    assert isinstance(activation, widgets.Dropdown)
    assert isinstance(width, widgets.IntSlider) and isinstance(depth, widgets.IntSlider)
    assert width.continuous_update is False and depth.continuous_update is False
    assert (activation.value, width.value, depth.value, rate.value, epochs.value) == ("relu", 16, 1, 0.5, 1000)
    assert all(len(c.description) * 7 < int(c.style.description_width[:-2]) for c in (width, depth, rate, epochs))
    relu_accuracy = w.result["accuracy"]
    assert relu_accuracy > 0.9

    activation.value = "identity"
    assert w.result["accuracy"] < relu_accuracy  # a linear network scores lower on the moons

    activation.value = "relu"
    width.value = 1
    assert w.result["accuracy"] < relu_accuracy  # one hidden unit cannot bend around the moons
    width.value = 16
    depth.value = 2
    assert w.result["accuracy"] == train_moons_classifier("relu", width=16, depth=2)["accuracy"]

    depth.value = 1
    activation.value = "sigmoid"
    stuck = w.result["accuracy"]
    rate.value = 4.0  # a grid value of the slider: 2^2
    assert w.result["accuracy"] > stuck + 0.05  # the learning rate, not the sigmoid alone, decided (0.86 -> 0.945)
    epochs.value = 200
    assert len(w.result["costs"]) == 200


def test_train_moons_classifier_rejects_bad_input():
    with pytest.raises(ValueError, match="activation"):
        train_moons_classifier("softmax")
    with pytest.raises(ValueError, match="width"):
        train_moons_classifier("relu", width=0)
    with pytest.raises(TypeError, match="depth"):
        train_moons_classifier("relu", depth=1.5)
    with pytest.raises(ValueError, match="learning_rate"):
        train_moons_classifier("relu", learning_rate=-1)
