"""course_utils.optim: mini-batches (7.1), running averages (7.2), (7.3), momentum (7.4), Nesterov (7.6),
decay (7.7), Adagrad (7.8), RMSProp (7.9), Adam (7.10), and train_with (optimisers, early stopping).

Each update is checked against a closed form (a constant gradient, a quadratic) or against an
independent scalar implementation written here from the equations; the optimisers must work for
any parameter dictionary (dense, 4-D convolution filters, RNN names), never modify their inputs,
and reject bad settings with messages that name the argument.
"""

import copy
import math

import numpy as np
import pytest

import course_utils as cu
from course_utils import optim
from course_utils.exercises import REGISTRY
from course_utils.training import TrainingRun, train_with


def dense():
    rng = np.random.default_rng(0)
    return {"W1": rng.standard_normal((4, 3)), "b1": rng.standard_normal((4, 1)),
            "W2": rng.standard_normal((2, 4)), "b2": rng.standard_normal((2, 1))}


def conv_and_rnn():
    """Parameter dicts of other shapes and names: a 4-D filter, and an LSTM's gates."""
    rng = np.random.default_rng(1)
    return [{"W1": rng.standard_normal((3, 3, 2, 4)), "b1": rng.standard_normal((1, 1, 1, 4))},
            {"Wf": rng.standard_normal((5, 8)), "bf": rng.standard_normal((5, 1)), "Wax": rng.standard_normal((5, 3)),
             "Waa": rng.standard_normal((5, 5))}]


def gradients_like(parameters, rng, scale=1.0):
    return {"d" + name: scale * rng.standard_normal(theta.shape) for name, theta in parameters.items()}


# ----------------------------------------------------------------------------------------------
# (7.1) mini-batches
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("m,B", [(10, 3), (12, 4), (7, 7), (5, 64), (9, 1)])
def test_mini_batches_partition_the_columns_and_keep_pairs(m, B):
    X = np.vstack([np.arange(m, dtype=float), np.arange(m) ** 2.0])  # each column says who it is
    Y = np.arange(m).reshape(1, -1)  # integer labels stay integers
    batches = optim.random_mini_batches(X, Y, B, seed=3)
    sizes = [Xb.shape[1] for Xb, _ in batches]
    expected = [B] * (m // B) + ([m % B] if m % B else []) if B <= m else [m]
    assert sizes == expected
    order = np.concatenate([Yb[0] for _, Yb in batches])
    assert sorted(order.tolist()) == list(range(m))  # every column exactly once
    for Xb, Yb in batches:
        np.testing.assert_array_equal(Xb[0], Yb[0])  # columns shuffled *together*
        np.testing.assert_array_equal(Xb[1], Yb[0] ** 2.0)
        assert Yb.dtype == Y.dtype
    if m > 3:
        assert order.tolist() != list(range(m))  # shuffled


def test_mini_batches_are_reproducible_and_a_generator_continues_its_stream():
    X, Y = np.arange(20.0).reshape(1, -1), np.arange(20).reshape(1, -1)
    first = [b[1] for b in optim.random_mini_batches(X, Y, 6, seed=5)]
    again = [b[1] for b in optim.random_mini_batches(X, Y, 6, seed=5)]
    other = [b[1] for b in optim.random_mini_batches(X, Y, 6, seed=6)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))
    rng = np.random.default_rng(5)
    epoch1 = optim.random_mini_batches(X, Y, 6, seed=rng)
    epoch2 = optim.random_mini_batches(X, Y, 6, seed=rng)
    assert np.array_equal(np.hstack([b[1] for b in epoch1]), np.hstack(first))
    assert not np.array_equal(np.hstack([b[1] for b in epoch2]), np.hstack(first))


def test_mini_batch_gradient_is_unbiased_over_an_epoch():
    """(7.1): the batches of one epoch, weighted by their sizes, average to the full-batch gradient."""
    rng = np.random.default_rng(2)
    parameters = cu.initialize_parameters([3, 5, 1], seed=1)
    X, Y = rng.standard_normal((3, 23)), rng.integers(0, 2, (1, 23)).astype(float)
    full = cu.backpropagation(cu.forward_propagation(X, parameters)[1], Y, parameters)
    total = {key: 0.0 for key in ("dW1", "db1", "dW2", "db2")}
    for Xb, Yb in optim.random_mini_batches(X, Y, 5, seed=0):
        grads = cu.backpropagation(cu.forward_propagation(Xb, parameters)[1], Yb, parameters)
        for key in total:
            total[key] = total[key] + grads[key] * Xb.shape[1] / X.shape[1]
    for key in total:
        np.testing.assert_allclose(total[key], full[key], rtol=1e-12, atol=1e-15)


def test_mini_batch_errors_name_the_argument():
    X, Y = np.zeros((2, 5)), np.zeros((1, 5))
    with pytest.raises(ValueError, match="X must be a 2-D"):
        optim.random_mini_batches(np.zeros(5), Y)
    with pytest.raises(ValueError, match="Y must be a 2-D"):
        optim.random_mini_batches(X, [[0, 1]])
    with pytest.raises(ValueError, match="X has 5 examples .* Y has 4"):
        optim.random_mini_batches(X, np.zeros((1, 4)))
    with pytest.raises(ValueError, match="mini_batch_size must be >= 1"):
        optim.random_mini_batches(X, Y, 0)
    with pytest.raises(TypeError, match="mini_batch_size must be an integer"):
        optim.random_mini_batches(X, Y, 2.5)
    with pytest.raises(ValueError, match="no examples"):
        optim.random_mini_batches(np.zeros((2, 0)), np.zeros((1, 0)))


# ----------------------------------------------------------------------------------------------
# (7.2), (7.3), (7.4): momentum's velocity is a running average
# ----------------------------------------------------------------------------------------------
def test_velocity_is_the_unrolled_running_average():
    """(7.2): v_t = (1 - beta) sum_k beta^(t-k) g_k, computed here independently of the recursion."""
    rng = np.random.default_rng(3)
    parameters, beta = dense(), 0.8
    v = optim.initialize_velocity(parameters)
    history = []
    for _ in range(30):
        grads = gradients_like(parameters, rng)
        history.append(grads)
        parameters, v = optim.update_parameters_with_momentum(parameters, grads, v, beta, 0.01)
    t = len(history)
    for key in v:
        unrolled = sum((1 - beta) * beta ** (t - k) * history[k - 1][key] for k in range(1, t + 1))
        np.testing.assert_allclose(v[key], unrolled, rtol=1e-12, atol=1e-14)


def test_momentum_matches_a_scalar_loop_and_the_form_without_one_minus_beta():
    """(7.4) entry by entry; and (7.5): u = beta u + g with learning rate alpha (1 - beta) walks the same path."""
    rng = np.random.default_rng(4)
    parameters, beta, alpha = dense(), 0.9, 0.05
    theta_loop = {k: p.copy() for k, p in parameters.items()}
    u = {k: np.zeros_like(p) for k, p in parameters.items()}
    theta_u = {k: p.copy() for k, p in parameters.items()}
    v = optim.initialize_velocity(parameters)
    v_loop = {k: np.zeros_like(p) for k, p in parameters.items()}
    for _ in range(25):
        grads = gradients_like(parameters, rng)
        parameters, v = optim.update_parameters_with_momentum(parameters, grads, v, beta, alpha)
        for name in theta_loop:
            for index in np.ndindex(theta_loop[name].shape):
                g = grads["d" + name][index]
                v_loop[name][index] = beta * v_loop[name][index] + (1 - beta) * g
                theta_loop[name][index] -= alpha * v_loop[name][index]
            u[name] = beta * u[name] + grads["d" + name]
            theta_u[name] = theta_u[name] - alpha * (1 - beta) * u[name]
    for name in parameters:
        np.testing.assert_allclose(parameters[name], theta_loop[name], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(parameters[name], theta_u[name], rtol=1e-10, atol=1e-12)


def test_momentum_with_beta_zero_is_gradient_descent():
    rng = np.random.default_rng(5)
    parameters = dense()
    grads = gradients_like(parameters, rng)
    stepped, _ = optim.update_parameters_with_momentum(parameters, grads, optim.initialize_velocity(parameters),
                                                       beta=0.0, learning_rate=0.1)
    plain = cu.update_parameters(parameters, grads, 0.1)
    for name in parameters:
        np.testing.assert_array_equal(stepped[name], plain[name])


# ----------------------------------------------------------------------------------------------
# (7.6) Nesterov
# ----------------------------------------------------------------------------------------------
def test_nesterov_lookahead_includes_the_learning_rate():
    """theta_ahead = theta - alpha beta v: where a momentum step with a zero gradient lands."""
    rng = np.random.default_rng(6)
    parameters = dense()
    v = gradients_like(parameters, rng)
    ahead = optim.nesterov_lookahead(parameters, v, beta=0.9, learning_rate=0.03)
    zero = {key: np.zeros_like(value) for key, value in v.items()}
    coasted, _ = optim.update_parameters_with_momentum(parameters, zero, v, beta=0.9, learning_rate=0.03)
    for name in parameters:
        np.testing.assert_allclose(ahead[name], parameters[name] - 0.03 * 0.9 * v["d" + name], rtol=1e-15)
        np.testing.assert_allclose(ahead[name], coasted[name], rtol=1e-14, atol=1e-15)


def test_nesterov_beats_momentum_on_an_ill_conditioned_quadratic():
    """f = (x^2 + 100 y^2)/2 with beta = 0.9, alpha = 0.1: the look-ahead damps the oscillation."""
    from course_utils.widgets.optimisers import optimiser_path

    momentum = optimiser_path("bowl", "momentum", 0.1, steps=300)
    nesterov = optimiser_path("bowl", "nesterov", 0.1, steps=300)
    assert nesterov.arrival is not None and momentum.arrival is not None
    assert nesterov.arrival * 1.3 < momentum.arrival


# ----------------------------------------------------------------------------------------------
# (7.7) decay schedules
# ----------------------------------------------------------------------------------------------
def test_decay_schedules_closed_forms():
    assert optim.inverse_time_decay(0.1, 0, 0.5) == 0.1
    assert optim.inverse_time_decay(0.1, 4, 0.5) == pytest.approx(0.1 / 3)
    assert optim.exponential_decay(0.2, 3, 0.5) == pytest.approx(0.025)
    assert [optim.step_decay(1.0, e, 0.5, time_interval=10) for e in (0, 9, 10, 19, 20)] == [1, 1, 0.5, 0.5, 0.25]
    rates = [optim.inverse_time_decay(1.0, e, 1.0) for e in range(2000)]
    assert sum(rates) > 7.5  # grows like log(epochs): unbounded
    assert sum(r * r for r in rates) < math.pi ** 2 / 6 + 1e-9  # bounded
    assert optim.exponential_decay(1.0, 10 ** 6, 0.5) == 0.0  # underflows quietly, never an error
    with pytest.raises(ValueError, match="decay_rate must be a number >= 0"):
        optim.inverse_time_decay(0.1, 1, -1)
    with pytest.raises(ValueError, match=r"decay_rate must be in \(0, 1\]"):
        optim.exponential_decay(0.1, 1, 1.5)
    with pytest.raises(ValueError, match="epoch must be an integer >= 0"):
        optim.step_decay(0.1, -1, 0.5)
    with pytest.raises(ValueError, match="learning_rate0 must be a finite number > 0"):
        optim.inverse_time_decay(0.0, 1, 0.5)
    with pytest.raises(ValueError, match="time_interval must be >= 1"):
        optim.step_decay(0.1, 3, 0.5, time_interval=0)


# ----------------------------------------------------------------------------------------------
# (7.8) Adagrad, (7.9) RMSProp: closed forms for a constant gradient
# ----------------------------------------------------------------------------------------------
def test_adagrad_constant_gradient_step_shrinks_like_one_over_sqrt_t():
    """G_t = t g^2 (the current gradient included), so step_t = alpha g / (sqrt(t) |g| + eps)."""
    g = np.array([[3.0, -0.002], [1e-3, 40.0]])
    parameters, G = {"w": np.zeros((2, 2))}, optim.initialize_adagrad({"w": np.zeros((2, 2))})
    alpha, eps = 0.1, 1e-8
    for t in range(1, 51):
        new, G = optim.update_parameters_with_adagrad(parameters, {"dw": g}, G, alpha, eps)
        step = parameters["w"] - new["w"]
        np.testing.assert_allclose(G["dw"], t * g * g, rtol=1e-13)
        np.testing.assert_allclose(step, alpha * g / (np.sqrt(t) * np.abs(g) + eps), rtol=1e-12)
        parameters = new
    assert abs(float(step[0, 0]) * np.sqrt(50) / alpha - 1) < 1e-8  # ~ alpha / sqrt(t), sign of g


def test_rmsprop_constant_gradient_closed_form():
    """s_t = (1 - beta^t) g^2 exactly, so the first step is alpha / sqrt(1 - beta) times sign(g): no bias correction."""
    g = np.array([2.0, -0.5, 1e-3])
    parameters, s, beta, alpha = {"w": np.ones(3)}, optim.initialize_rmsprop({"w": np.ones(3)}), 0.9, 0.01
    for t in range(1, 41):
        new, s = optim.update_parameters_with_rmsprop(parameters, {"dw": g}, s, beta, alpha, 1e-8)
        np.testing.assert_allclose(s["dw"], (1 - beta ** t) * g * g, rtol=1e-12)
        np.testing.assert_allclose(parameters["w"] - new["w"], alpha * g / (np.sqrt(1 - beta ** t) * np.abs(g) + 1e-8),
                                   rtol=1e-12)
        if t == 1:  # within alpha eps / (sqrt(1 - beta) |g|) of alpha sign(g) / sqrt(1 - beta), plus round-off
            gap = np.abs(parameters["w"] - new["w"] - alpha * np.sign(g) / np.sqrt(1 - beta))
            assert np.all(gap <= alpha * 1e-8 / (np.sqrt(1 - beta) * np.abs(g)) / np.sqrt(1 - beta) + 1e-17)
        parameters = new


# ----------------------------------------------------------------------------------------------
# (7.10) Adam
# ----------------------------------------------------------------------------------------------
def scalar_adam(theta, gs, alpha, beta1, beta2, eps):
    """Adam for one number, from the equations (Kingma and Ba, Algorithm 1), in plain Python floats."""
    v = s = 0.0
    for t, g in enumerate(gs, start=1):
        v = beta1 * v + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        theta = theta - alpha * (v / (1 - beta1 ** t)) / (math.sqrt(s / (1 - beta2 ** t)) + eps)
    return theta


def test_adam_matches_an_independent_scalar_implementation():
    rng = np.random.default_rng(7)
    parameters = dense()
    start = copy.deepcopy(parameters)
    v, s = optim.initialize_adam(parameters)
    history = []
    for t in range(1, 41):
        grads = gradients_like(parameters, rng, scale=10.0 ** rng.uniform(-4, 2))
        history.append(grads)
        parameters, v, s = optim.update_parameters_with_adam(parameters, grads, v, s, t, 0.01, 0.9, 0.99, 1e-8)
    for name in parameters:
        for index in np.ndindex(parameters[name].shape):
            gs = [float(grads["d" + name][index]) for grads in history]
            expected = scalar_adam(float(start[name][index]), gs, 0.01, 0.9, 0.99, 1e-8)
            assert parameters[name][index] == pytest.approx(expected, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("size", [1e-150, 1e-6, 1e-2, 1.0, 1e3, 1e150])
def test_adam_first_step_is_alpha_times_sign_of_g_at_any_scale(size):
    """t = 1: v_hat = g, s_hat = g^2, so the step alpha g / (|g| + eps) is within alpha eps / |g| of alpha sign(g)."""
    g = size * np.array([[1.0, -2.0], [0.5, -3.0]])
    parameters = {"W": np.zeros((2, 2))}
    v, s = optim.initialize_adam(parameters)
    new, v, s = optim.update_parameters_with_adam(parameters, {"dW": g}, v, s, 1, learning_rate=0.01)
    step = -new["W"]
    assert np.isfinite(step).all()
    np.testing.assert_allclose(step, 0.01 * g / (np.abs(g) + 1e-8), rtol=1e-12)
    if size >= 1e-6:
        ulps = 4 * np.finfo(np.float64).eps * 0.01  # the subtraction's own round-off
        assert np.all(np.abs(step - 0.01 * np.sign(g)) <= 0.01 * 1e-8 / np.abs(g) + ulps)


def test_adam_bias_correction_is_exact_for_a_constant_gradient():
    g = np.array([0.3, -7.0, 1e-4])
    parameters, (v, s) = {"w": np.zeros(3)}, optim.initialize_adam({"w": np.zeros(3)})
    for t in range(1, 201):
        new, v, s = optim.update_parameters_with_adam(parameters, {"dw": g}, v, s, t, 0.001, 0.9, 0.999, 1e-8)
        np.testing.assert_allclose(v["dw"] / (1 - 0.9 ** t), g, rtol=1e-12)  # v_hat = g
        np.testing.assert_allclose(s["dw"] / (1 - 0.999 ** t), g * g, rtol=1e-12)  # s_hat = g^2: uncentred
        np.testing.assert_allclose(parameters["w"] - new["w"], 0.001 * g / (np.abs(g) + 1e-8), rtol=1e-10)
        parameters = new


def test_adam_puts_epsilon_outside_the_square_root():
    """For |g| = 1e-6 the first step is ~alpha; with epsilon inside sqrt it would be ~alpha / 100."""
    g = np.array([1e-6])
    v, s = optim.initialize_adam({"w": np.zeros(1)})
    new, _, _ = optim.update_parameters_with_adam({"w": np.zeros(1)}, {"dw": g}, v, s, 1, 0.01)
    assert -new["w"][0] == pytest.approx(0.01 * 1e-6 / (1e-6 + 1e-8), rel=1e-12)
    assert -new["w"][0] > 10 * 0.01 * 1e-6 / np.sqrt(1e-12 + 1e-8)


@pytest.mark.parametrize("parameters", conv_and_rnn(), ids=["conv-4d", "lstm-names"])
def test_every_optimiser_handles_any_names_and_shapes(parameters):
    rng = np.random.default_rng(8)
    grads = gradients_like(parameters, rng)
    grads["dZ1"] = rng.standard_normal((7, 7))  # backpropagation's extras are ignored
    v, s = optim.initialize_adam(parameters)
    assert set(v) == set(s) == {"d" + name for name in parameters}
    results = [
        optim.update_parameters_with_momentum(parameters, grads, optim.initialize_velocity(parameters))[0],
        optim.update_parameters_with_adagrad(parameters, grads, optim.initialize_adagrad(parameters))[0],
        optim.update_parameters_with_rmsprop(parameters, grads, optim.initialize_rmsprop(parameters))[0],
        optim.update_parameters_with_adam(parameters, grads, v, s, 1)[0],
        optim.nesterov_lookahead(parameters, optim.initialize_velocity(parameters)),
    ]
    for new in results:
        assert list(new) == list(parameters)
        for name in parameters:
            assert new[name].shape == parameters[name].shape
    for name in parameters:  # Adam's first step is alpha g / (|g| + eps) ~ alpha sign(g), whatever the shape
        g = grads["d" + name]
        np.testing.assert_allclose(parameters[name] - results[3][name], 0.01 * g / (np.abs(g) + 1e-8), rtol=1e-12)


def test_float32_stays_float32():
    parameters = {"W": np.ones((3, 2), dtype=np.float32)}
    grads = {"dW": np.full((3, 2), 0.5, dtype=np.float32)}
    v, s = optim.initialize_adam(parameters)
    assert v["dW"].dtype == np.float32
    new, v, s = optim.update_parameters_with_adam(parameters, grads, v, s, 1)
    assert new["W"].dtype == v["dW"].dtype == s["dW"].dtype == np.float32
    new, _ = optim.update_parameters_with_momentum(parameters, grads, optim.initialize_velocity(parameters))
    assert new["W"].dtype == np.float32


def test_no_optimiser_modifies_its_inputs():
    rng = np.random.default_rng(9)
    parameters = dense()
    grads = gradients_like(parameters, rng)
    states = [gradients_like(parameters, rng) for _ in range(2)]
    states[1] = {key: value ** 2 for key, value in states[1].items()}  # a valid s
    arrays = [*parameters.values(), *grads.values(), *states[0].values(), *states[1].values()]
    before = copy.deepcopy((parameters, grads, states))
    for a in arrays:
        a.setflags(write=False)  # an in-place write would raise
    optim.update_parameters_with_momentum(parameters, grads, states[0])
    optim.nesterov_lookahead(parameters, states[0])
    optim.update_parameters_with_adagrad(parameters, grads, states[1])
    optim.update_parameters_with_rmsprop(parameters, grads, states[1])
    optim.update_parameters_with_adam(parameters, grads, states[0], states[1], 3)
    after = (parameters, grads, states)
    for b, a in zip(before, after, strict=True):
        for d_before, d_after in zip(b if isinstance(b, list) else [b], a if isinstance(a, list) else [a], strict=True):
            assert d_before.keys() == d_after.keys()
            for key in d_before:
                np.testing.assert_array_equal(d_before[key], d_after[key])


# ----------------------------------------------------------------------------------------------
# Bad input: clear messages
# ----------------------------------------------------------------------------------------------
def adam_call(**changes):
    parameters = dense()
    grads = gradients_like(parameters, np.random.default_rng(0))
    v, s = optim.initialize_adam(parameters)
    arguments = {"parameters": parameters, "grads": grads, "v": v, "s": s, "t": 1}
    arguments.update(changes)
    return optim.update_parameters_with_adam(**arguments)


@pytest.mark.parametrize("changes,error,message", [
    ({"t": 0}, ValueError, "t must be >= 1: it counts the steps taken so far including this one"),
    ({"t": -3}, ValueError, "t must be >= 1"),
    ({"t": 1.0}, TypeError, "t must be an integer"),
    ({"t": True}, TypeError, "t must be an integer"),
    ({"beta1": 1.0}, ValueError, r"beta1 must be in \[0, 1\)"),
    ({"beta2": -0.1}, ValueError, r"beta2 must be in \[0, 1\)"),
    ({"beta1": "0.9"}, TypeError, "beta1 must be a number"),
    ({"epsilon": 0.0}, ValueError, "epsilon must be a finite number > 0"),
    ({"epsilon": -1e-8}, ValueError, "epsilon must be a finite number > 0"),
    ({"learning_rate": 0}, ValueError, "learning_rate must be a finite number > 0, got 0"),
    ({"learning_rate": float("inf")}, ValueError, "learning_rate must be a finite number > 0"),
    ({"parameters": [1, 2]}, TypeError, "parameters must be a dict"),
    ({"parameters": {}}, ValueError, "parameters is empty"),
    ({"parameters": {"W1": np.ones((2, 2), dtype=int)}}, TypeError, r"parameters\['W1'\] must be a float numpy array"),
    ({"grads": "grads"}, TypeError, "grads must be a dict keyed like the gradients"),
])
def test_adam_rejects_bad_settings(changes, error, message):
    with pytest.raises(error, match=message):
        adam_call(**changes)


def test_numpy_integer_step_is_accepted():
    new, _, _ = adam_call(t=np.int64(4))
    assert set(new) == {"W1", "b1", "W2", "b2"}


def test_a_missing_or_misshapen_gradient_is_named():
    parameters = dense()
    grads = gradients_like(parameters, np.random.default_rng(0))
    del grads["db2"]
    v = optim.initialize_velocity(parameters)
    with pytest.raises(ValueError, match=r"grads is missing 'db2', the gradient of parameters\['b2'\]"):
        optim.update_parameters_with_momentum(parameters, grads, v)
    grads["db2"] = np.zeros((3, 1))
    with pytest.raises(ValueError, match=r"grads\['db2'\] has shape \(3, 1\) but parameters\['b2'\] has shape"):
        optim.update_parameters_with_momentum(parameters, grads, v)
    grads["db2"] = np.full((2, 1), np.nan)
    with pytest.raises(ValueError, match=r"grads\['db2'\] must be finite"):
        optim.update_parameters_with_momentum(parameters, grads, v)
    grads["db2"] = np.zeros((2, 1))
    del v["dW1"]
    with pytest.raises(ValueError, match="v is missing 'dW1', the velocity"):
        optim.update_parameters_with_momentum(parameters, grads, v)


def test_a_negative_second_moment_is_rejected():
    parameters = dense()
    grads = gradients_like(parameters, np.random.default_rng(0))
    v, s = optim.initialize_adam(parameters)
    with pytest.raises(ValueError, match=r"s\['dW1'\] has negative entries.*were v and s swapped"):
        optim.update_parameters_with_adam(parameters, grads, v, grads, 2)
    with pytest.raises(ValueError, match=r"G\['dW1'\] has negative entries"):
        optim.update_parameters_with_adagrad(parameters, grads, grads)


def test_a_gradient_too_large_to_square_is_a_clear_error_not_an_overflow():
    parameters = {"W": np.zeros((2, 2))}
    v, s = optim.initialize_adam(parameters)
    with pytest.raises(ValueError, match=r"grads\['dW'\] has an entry of size 1e\+200, too large to square"):
        optim.update_parameters_with_adam(parameters, {"dW": np.full((2, 2), 1e200)}, v, s, 1)
    small = {"W": np.zeros((2, 2), dtype=np.float32)}
    v32, s32 = optim.initialize_adam(small)
    with pytest.raises(ValueError, match="too large to square"):
        optim.update_parameters_with_rmsprop(small, {"dW": np.full((2, 2), 1e20, dtype=np.float32)}, s32)
    new, _, _ = optim.update_parameters_with_adam(small, {"dW": np.full((2, 2), 1e18, dtype=np.float32)}, v32, s32, 1)
    assert np.isfinite(new["W"]).all()


def test_long_runs_and_tiny_gradients_are_numerically_quiet():
    """t = 10^6 (beta^t underflows to 0) and gradients of 1e-300 (g^2 underflows to 0): no warning, finite."""
    parameters = {"w": np.ones(2)}
    g = np.array([1e-300, -1e-300])
    v, s = optim.initialize_adam(parameters)
    new, v, s = optim.update_parameters_with_adam(parameters, {"dw": g}, v, s, 10 ** 6)
    assert np.isfinite(new["w"]).all() and np.all(np.abs(new["w"] - 1) < 1e-12)
    new, _ = optim.update_parameters_with_adagrad(parameters, {"dw": g}, optim.initialize_adagrad(parameters))
    assert np.isfinite(new["w"]).all()


# ----------------------------------------------------------------------------------------------
# train_with: optimisers in the loop, the global step counter, early stopping
# ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def moons():
    X, Y = cu.make_moons(m=120, noise=0.25, seed=0)
    X_dev, Y_dev = cu.make_moons(m=80, noise=0.25, seed=1)
    return X, Y, X_dev, Y_dev


def test_train_is_train_with_gradient_descent(moons):
    X, Y, _, _ = moons
    parameters, costs = cu.train(X, Y, [2, 6, 1], learning_rate=0.3, epochs=5, batch_size=32, seed=2)
    run = train_with(X, Y, [2, 6, 1], "gd", learning_rate=0.3, epochs=5, batch_size=32, seed=2)
    assert isinstance(run, TrainingRun) and run.costs == costs and run.steps == 5 * 4
    for key in parameters:
        np.testing.assert_array_equal(parameters[key], run.parameters[key])


def manual_loop(X, Y, layer_dims, optimizer, epochs, B, seed, alpha, reset_t=False):
    """train_with written out with the public functions: the step counter t runs over all epochs."""
    parameters = cu.initialize_parameters(layer_dims, seed=seed)
    v, s = optim.initialize_adam(parameters)
    rng = np.random.default_rng(seed)
    t = 0
    for _ in range(epochs):
        if reset_t:
            t = 0  # the original series' bug
        for X_b, Y_b in optim.random_mini_batches(X, Y, B, seed=rng):
            t += 1
            if optimizer == "nesterov":
                ahead = optim.nesterov_lookahead(parameters, v, 0.9, alpha)
                grads = cu.backpropagation(cu.forward_propagation(X_b, ahead)[1], Y_b, ahead)
                parameters, v = optim.update_parameters_with_momentum(parameters, grads, v, 0.9, alpha)
            else:
                grads = cu.backpropagation(cu.forward_propagation(X_b, parameters)[1], Y_b, parameters)
                parameters, v, s = optim.update_parameters_with_adam(parameters, grads, v, s, t, alpha)
    return parameters


@pytest.mark.parametrize("optimizer", ["adam", "nesterov"])
def test_train_with_equals_the_loop_written_out_and_t_never_restarts(moons, optimizer):
    X, Y, _, _ = moons
    run = train_with(X, Y, [2, 6, 1], optimizer, learning_rate=0.01, epochs=4, batch_size=25, seed=3)
    assert run.steps == 4 * 5 and run.epochs_run == 4  # 120 examples in batches of 25: 5 steps per epoch
    expected = manual_loop(X, Y, [2, 6, 1], optimizer, 4, 25, 3, 0.01)
    for key in expected:
        np.testing.assert_allclose(run.parameters[key], expected[key], rtol=1e-12, atol=1e-14)
    if optimizer == "adam":  # the same loop with t reset every epoch ends somewhere else
        buggy = manual_loop(X, Y, [2, 6, 1], "adam", 4, 25, 3, 0.01, reset_t=True)
        assert max(np.abs(buggy[k] - expected[k]).max() for k in expected) > 1e-4


@pytest.mark.parametrize("optimizer", optim.OPTIMIZERS)
def test_every_optimiser_lowers_the_cost(moons, optimizer):
    X, Y, _, _ = moons
    rate = {"gd": 0.5, "momentum": 0.5, "nesterov": 0.5, "adagrad": 0.1, "rmsprop": 0.01, "adam": 0.01}[optimizer]
    run = train_with(X, Y, [2, 8, 1], optimizer, learning_rate=rate, epochs=30, batch_size=32, seed=0)
    assert run.costs[-1] < 0.6 * run.costs[0]
    assert run.data_costs == run.costs  # no penalty: the two agree exactly


def test_the_penalty_gradient_does_not_depend_on_the_batch_size():
    """X = 0 makes the data's dW1 exactly 0, so W1 only decays: W1 (1 - alpha lambd / m)^steps, m = the whole set."""
    m, lambd, alpha = 40, 2.0, 0.1
    X, Y = np.zeros((3, m)), (np.arange(m) % 2).reshape(1, -1).astype(float)
    start = cu.initialize_parameters([3, 4, 1], seed=0)
    for B, steps in ((40, 1), (10, 4), (7, 6)):
        run = train_with(X, Y, [3, 4, 1], "gd", learning_rate=alpha, epochs=1, batch_size=B, lambd=lambd,
                         parameters=start)
        np.testing.assert_allclose(run.parameters["W1"], start["W1"] * (1 - alpha * lambd / m) ** steps, rtol=1e-12)


def test_early_stopping_stops_when_the_dev_cost_stops_improving(moons):
    X, Y, X_dev, Y_dev = moons
    settings = {"learning_rate": 0.05, "batch_size": 16, "seed": 0, "X_dev": X_dev, "Y_dev": Y_dev}
    full = train_with(X, Y, [2, 32, 32, 1], "adam", epochs=150, **settings)
    dev = np.array(full.dev_costs)
    patience = 5
    # the rule, written independently: the first epoch e with e - (epoch of the best dev cost up to e) >= patience
    best_so_far = [int(np.argmin(dev[:e])) + 1 for e in range(1, len(dev) + 1)]
    stop = next(e for e in range(1, len(dev) + 1) if e - best_so_far[e - 1] >= patience)
    assert stop < 150, "this run should overfit the moons"
    run = train_with(X, Y, [2, 32, 32, 1], "adam", epochs=150, patience=patience, **settings)
    assert run.epochs_run == stop and run.best_epoch == best_so_far[stop - 1]
    assert run.dev_costs == full.dev_costs[:stop]
    _, cache = cu.forward_propagation(X_dev, run.parameters)
    assert cu.cost_from_logits(cache["Z3"], Y_dev) == pytest.approx(min(run.dev_costs), rel=1e-12)  # the best epoch's
    assert min(run.dev_costs) < run.dev_costs[-1]  # it stopped after the dev cost went up


def test_dev_costs_are_recorded_without_the_penalty(moons):
    X, Y, X_dev, Y_dev = moons
    run = train_with(X, Y, [2, 5, 1], "adam", learning_rate=0.01, epochs=3, lambd=1.0, X_dev=X_dev, Y_dev=Y_dev)
    _, cache = cu.forward_propagation(X_dev, run.parameters)
    assert run.dev_costs[-1] == pytest.approx(cu.cost_from_logits(cache["Z2"], Y_dev), rel=1e-12)
    AL, _ = cu.forward_propagation(X, run.parameters)
    penalty = cu.penalty_cost(run.parameters, 1.0, X.shape[1])
    assert run.costs[-1] == pytest.approx(run.data_costs[-1] + penalty, rel=1e-12)
    assert run.best_epoch >= 1 and run.parameters is not None


def test_train_with_errors(moons):
    X, Y, X_dev, Y_dev = moons
    with pytest.raises(ValueError, match="unknown optimizer 'sgd'"):
        train_with(X, Y, [2, 3, 1], "sgd")
    with pytest.raises(ValueError, match="patience needs a dev set"):
        train_with(X, Y, [2, 3, 1], patience=3)
    with pytest.raises(ValueError, match="pass both X_dev and Y_dev"):
        train_with(X, Y, [2, 3, 1], X_dev=X_dev)
    with pytest.raises(ValueError, match="patience must be >= 1"):
        train_with(X, Y, [2, 3, 1], X_dev=X_dev, Y_dev=Y_dev, patience=0)
    with pytest.raises(ValueError, match=r"beta must be in \[0, 1\)"):
        train_with(X, Y, [2, 3, 1], "momentum", beta=1.2)
    with pytest.raises(ValueError, match="Y_dev has shape"):
        train_with(X, Y, [2, 3, 1], X_dev=X_dev, Y_dev=Y_dev[:, :5])


def test_progress_bar_runs(moons, capsys):
    X, Y, _, _ = moons
    run = train_with(X, Y, [2, 3, 1], epochs=2, progress=True)
    assert run.epochs_run == 2


def test_the_required_exercises_are_registered():
    required = {"update_parameters_with_adam": {"epsilon_inside_sqrt", "no_bias_correction", "mutates_input"},
                "update_parameters_with_momentum": {"missing_one_minus_beta"},
                "dropout_backward": {"missing_keep_prob_scaling"},
                "l2_cost": {"biases_penalised", "missing_1_over_m"}}
    for name, codes in required.items():
        assert codes <= {m.code for m in REGISTRY[name].mistakes}, name


def test_train_with_decays_the_learning_rate_per_epoch(moons):
    """decay_rate k: epoch e steps with alpha / (1 + k e) (7.7); with X = 0 the weight decay shows it exactly."""
    m, lambd, alpha, k = 40, 2.0, 0.1, 0.5
    X, Y = np.zeros((3, m)), (np.arange(m) % 2).reshape(1, -1).astype(float)
    start = cu.initialize_parameters([3, 4, 1], seed=0)
    run = train_with(X, Y, [3, 4, 1], "gd", learning_rate=alpha, epochs=3, batch_size=20, lambd=lambd,
                     decay_rate=k, parameters=start)
    factor = np.prod([(1 - optim.inverse_time_decay(alpha, e, k) * lambd / m) ** 2 for e in range(3)])
    np.testing.assert_allclose(run.parameters["W1"], start["W1"] * factor, rtol=1e-12)
    with pytest.raises(ValueError, match="decay_rate must be a number >= 0"):
        train_with(X, Y, [3, 4, 1], decay_rate=-0.1)
