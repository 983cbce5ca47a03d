"""The original series' bugs (course_utils.bugs): each is caught by its tool; none is the correct function in disguise.

For every bug: its signature is the correct function's; on a case named here its output differs from
the correct one's; the tool of notebook 13 fails it by a wide margin (a gradient check's worst ratio
above 1000 with a relative error above 1e-2, an exact count or value far from what it must be); and
the correct function passes the same tool with a tenfold margin (or by a bound derived beside the
assert). Where a bug hides in ordinary use, a test shows that too: it is why a tool is needed.
"""

import inspect

import numpy as np
import pytest

import course_utils as cu
from course_utils import bugs, conv, rnn, training
from course_utils.gradcheck import _central_differences, compare_gradients
from course_utils.widgets.bug_hunt import (
    DENSE,
    adam_reference,
    largest_relative_gap,
    layered_input,
    leaked_examples,
    moons,
    state_check,
)

from .conftest import random_network

PASS, FAIL = 0.1, 1000  # a correct gradient uses at most a tenth of its allowance; a bug over 1000 times it


def worst(report):
    return max(w.ratio for w in report.values())


# ----------------------------------------------------------------------------------------------
# The module itself
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bug", list(bugs.CORRECT), ids=lambda f: f.__name__)
def test_each_bug_has_the_signature_of_the_function_it_imitates(bug):
    correct = bugs.CORRECT[bug]
    assert inspect.signature(bug) == inspect.signature(correct), bug.__name__
    assert bug is not correct and bug.__module__ == "course_utils.bugs"


@pytest.mark.parametrize("bug", list(bugs.CORRECT), ids=lambda f: f.__name__)
def test_each_docstring_names_the_bug_where_it_came_from_how_it_hides_and_what_catches_it(bug):
    doc = inspect.getdoc(bug)
    assert doc.startswith("BUG: ")
    assert f"Imitates ``{bugs.CORRECT[bug].__module__.split('.')[-1]}.{bugs.CORRECT[bug].__name__}``" in doc
    for part in ("Where it came from:", "How it hides:", "What catches it:", "original series"):
        assert part in doc, (bug.__name__, part)


def test_the_module_lists_every_bug():
    defined = {f for name, f in vars(bugs).items() if inspect.isfunction(f) and f.__module__ == "course_utils.bugs"
               and not name.startswith("_")}
    assert defined == set(bugs.CORRECT)
    assert len(defined) >= 10


# ----------------------------------------------------------------------------------------------
# 1. The hidden bias lost to a line break
# ----------------------------------------------------------------------------------------------
def test_dropped_hidden_bias_hides_at_zero_biases_and_differs_with_any_other():
    rng = np.random.default_rng(0)
    parameters, X, _ = random_network(rng, 3, "tanh", "sigmoid", 5)
    zero_biases = {k: (np.zeros_like(v) if k[0] == "b" else v) for k, v in parameters.items()}
    same, _ = bugs.forward_propagation_without_hidden_bias(X, zero_biases, "tanh", "sigmoid")
    np.testing.assert_array_equal(same, cu.forward_propagation(X, zero_biases, "tanh", "sigmoid")[0])
    buggy, cache = bugs.forward_propagation_without_hidden_bias(X, parameters, "tanh", "sigmoid")
    np.testing.assert_allclose(cache["Z1"], parameters["W1"] @ X, rtol=1e-14)  # b1 is gone
    assert np.abs(buggy - cu.forward_propagation(X, parameters, "tanh", "sigmoid")[0]).max() > 1e-3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dropped_hidden_bias_is_caught_by_a_gradient_check(seed):
    rng = np.random.default_rng(seed)
    parameters, X, Y = random_network(rng, 3, "tanh", "sigmoid", 6, width=(3, 5))
    assert worst(cu.gradient_check_network(parameters, X, Y, "tanh", "sigmoid")) < PASS
    report = cu.gradient_check_network(parameters, X, Y, "tanh", "sigmoid",
                                       forward=bugs.forward_propagation_without_hidden_bias)
    for key in ("b1", "b2"):  # the hidden layers' biases: J does not depend on them, backprop says it does
        assert report[key].ratio > FAIL and report[key].error > 1e-2, key
        assert report[key].numerical == 0.0
    assert report["b3"].ratio < PASS  # the output layer kept its bias


def test_without_hidden_biases_a_relu_network_cannot_learn_a_tiny_alternating_batch():
    """Bias-free ReLU layers are positively homogeneous: for x < 0 the logit is c + |x| g(-1), linear in |x|.

    So at x = -1 it is exactly the average of its values at x = -2 and x = 0: it can never be above
    both, and the labels (0, 1, 0) there cannot all be fitted, whatever the weights.
    """
    rng = np.random.default_rng(3)
    for _ in range(5):
        parameters = cu.initialize_parameters([1, 16, 16, 1], seed=int(rng.integers(1000)))
        parameters = {k: v + rng.standard_normal(v.shape) for k, v in parameters.items()}
        _, cache = bugs.forward_propagation_without_hidden_bias(np.array([[-2.0, -1.0, 0.0]]), parameters)
        z = cache["Z3"][0]
        assert z[1] == pytest.approx((z[0] + z[2]) / 2, rel=1e-12, abs=1e-12)
        _, cache = cu.forward_propagation(np.array([[-2.0, -1.0, 0.0]]), parameters)
        assert abs(cache["Z3"][0, 1] - (cache["Z3"][0, 0] + cache["Z3"][0, 2]) / 2) > 1e-6  # biases bend it


# ----------------------------------------------------------------------------------------------
# 2. W updated twice, b never
# ----------------------------------------------------------------------------------------------
def test_w_twice_b_never_differs_and_is_caught_by_the_update_check():
    parameters, X, Y = random_network(np.random.default_rng(0), 2, "tanh", "sigmoid", 8)
    grads = cu.backpropagation(cu.forward_propagation(X, parameters, "tanh", "sigmoid")[1], Y, parameters)
    good = cu.check_update_step(parameters, grads, cu.update_parameters(parameters, grads, 0.1), 0.1)
    new = bugs.update_parameters_w_twice_b_never(parameters, grads, 0.1)
    bad = cu.check_update_step(parameters, grads, new, 0.1)
    assert worst(good) <= 1  # the allowance is the rounding of the two subtractions, derived in check_update_step
    np.testing.assert_array_equal(new["b1"], parameters["b1"])  # b never moves ...
    np.testing.assert_allclose(new["W1"] - parameters["W1"], -0.2 * grads["dW1"], rtol=1e-9)  # ... W moves twice
    for key in parameters:
        assert bad[key].ratio > FAIL and bad[key].error > 1e-2, key
    assert bad["b1"].error == pytest.approx(1.0)


# ----------------------------------------------------------------------------------------------
# 3. A split that leaks
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1])
def test_the_leaky_split_puts_most_test_examples_in_training_too(seed):
    X, Y = cu.make_moons(300, noise=0.35, seed=seed)  # continuous coordinates: every column is unique
    assert leaked_examples(X, X[:, :0]) == 0 and len({c.tobytes() for c in X.T}) == 300
    X_train, X_test, Y_train, Y_test = cu.train_test_split(X, Y, 0.3, seed=seed)
    assert leaked_examples(X_train, X_test) == 0
    X_train, X_test, Y_train, Y_test = bugs.train_test_split_leaky(X, Y, 0.3, seed=seed)
    assert X_test.shape == (2, 90) and X_train.shape == (2, 210)  # the shapes look right
    assert leaked_examples(X_train, X_test) > 0.5 * 90  # about 70 % of the test part was trained on
    distinct = {c.tobytes() for c in np.hstack([X_train, X_test]).T}
    assert len(distinct) < 250  # and as many examples are in neither part
    for X_part, Y_part in ((X_train, Y_train), (X_test, Y_test)):  # the pairs (x, y) themselves stay right
        index = {c.tobytes(): i for i, c in enumerate(X.T)}
        rows = [index[c.tobytes()] for c in X_part.T]
        np.testing.assert_array_equal(Y_part, Y[:, rows])


# ----------------------------------------------------------------------------------------------
# 4. An "accuracy" that is the error rate
# ----------------------------------------------------------------------------------------------
def test_the_error_rate_fails_the_sanity_checks_that_accuracy_passes():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 500)
    assert cu.accuracy(labels, labels) == 1.0 and bugs.accuracy_error_rate(labels, labels) == 0.0
    guesses = rng.integers(0, 10, 500)  # an untrained model: chance, 1/K = 0.1
    assert abs(cu.accuracy(labels, guesses) - 0.1) < 0.05  # 3 standard errors: sqrt(0.1 * 0.9 / 500) = 0.013
    assert bugs.accuracy_error_rate(labels, guesses) > 0.8
    assert bugs.accuracy_error_rate(labels, guesses) == pytest.approx(1 - cu.accuracy(labels, guesses), abs=1e-15)


# ----------------------------------------------------------------------------------------------
# 5. Average pooling that mixes channels
# ----------------------------------------------------------------------------------------------
def test_pooling_that_mixes_channels_is_caught_by_a_constant_channel():
    A_prev = layered_input()
    right, _ = conv.pool_forward(A_prev, 2, 2, "average")
    wrong, _ = bugs.pool_forward_mixing_channels(A_prev, 2, 2, "average")
    assert wrong.shape == right.shape  # a shape check cannot see it
    np.testing.assert_array_equal(right, A_prev[:, ::2, ::2, :])  # each channel keeps its constant
    assert np.abs(wrong - A_prev[:, ::2, ::2, :]).max() == pytest.approx(1.5)  # channels 0..3 averaged to 1.5
    A = np.random.default_rng(0).standard_normal((2, 4, 4, 3))
    np.testing.assert_array_equal(bugs.pool_forward_mixing_channels(A, 2, 2, "max")[0],
                                  conv.pool_forward(A, 2, 2, "max")[0])  # max pooling is right


def test_pooling_that_mixes_channels_fails_a_gradient_check_against_pool_backward():
    A = np.random.default_rng(1).standard_normal((2, 4, 4, 3))

    def check(pool):
        cache = pool(A, 2, 2, "average")[1]
        return cu.check_array_gradient(lambda x: pool(x, 2, 2, "average")[0],
                                       lambda d: conv.pool_backward(d, cache), A.copy())

    assert check(conv.pool_forward).ratio < PASS
    worst_entry = check(bugs.pool_forward_mixing_channels)
    assert worst_entry.ratio > FAIL and worst_entry.error > 1e-2


# ----------------------------------------------------------------------------------------------
# 6. Max pooling that pays every tie
# ----------------------------------------------------------------------------------------------
def _directional_check(pool_backward, A_prev, direction):
    """d/dt sum(dA * pool(A_prev + t direction)) by central differences against <backward(dA), direction>."""
    A, cache = conv.pool_forward(A_prev, 2, 2, "max")
    dA = np.random.default_rng(0).standard_normal(A.shape)
    analytic = np.array([np.sum(pool_backward(dA, cache) * direction)])

    def f(t):
        return float(np.sum(dA * conv.pool_forward(A_prev + t[0] * direction, 2, 2, "max")[0]))

    numerical, f_scale = _central_differences(f, np.zeros(1), 1e-5)
    return compare_gradients(analytic, numerical, f_scale, 1e-5)


def test_every_tie_paid_is_caught_by_a_gradient_check_along_the_tie():
    A_prev = np.array([[3.0, 3.0, 0.5, -1.0], [1.0, 0.0, 0.2, 2.0], [5.0, 5.0, 1.0, 2.0], [5.0, 5.0, 1.5, 1.0]])
    A_prev = A_prev[None, :, :, None]  # windows: a 2-way tie, none, a 4-way tie, none
    direction = (A_prev == conv.pool_forward(A_prev, 2, 2, "max")[0].repeat(2, 1).repeat(2, 2)).astype(float)
    assert direction.sum() == 2 + 1 + 4 + 1  # every maximum, ties included, moves up together
    assert _directional_check(conv.pool_backward, A_prev, direction).ratio < PASS
    caught = _directional_check(bugs.pool_backward_all_ties, A_prev, direction)
    assert caught.ratio > FAIL and caught.error > 1e-2
    _, cache = conv.pool_forward(A_prev, 2, 2, "max")
    one = np.ones((1, 2, 2, 1))
    assert conv.pool_backward(one, cache).sum() == 4 and bugs.pool_backward_all_ties(one, cache).sum() == 8


def test_every_tie_paid_hides_where_no_window_holds_a_tie():
    A_prev = np.random.default_rng(0).permutation(2 * 6 * 6 * 3).reshape(2, 6, 6, 3).astype(float)
    A, cache = conv.pool_forward(A_prev, 2, 2, "max")
    dA = np.random.default_rng(1).standard_normal(A.shape)
    np.testing.assert_array_equal(bugs.pool_backward_all_ties(dA, cache), conv.pool_backward(dA, cache))


# ----------------------------------------------------------------------------------------------
# 7. A softmax shifted by the mean
# ----------------------------------------------------------------------------------------------
def test_the_mean_shift_agrees_on_ordinary_logits_and_overflows_on_extreme_ones():
    Z = 3 * np.random.default_rng(0).standard_normal((10, 20))
    assert np.abs(bugs.softmax_mean_shift(Z) - cu.softmax(Z)).max() < 1e-15  # why it hides
    extreme = np.array([[1000.0], [0.0], [-1000.0]])
    np.testing.assert_array_equal(cu.softmax(extreme), [[1.0], [0.0], [0.0]])  # (9.9): every exponent <= 0
    with pytest.raises(FloatingPointError, match="overflow"):  # the tests raise on overflow
        bugs.softmax_mean_shift(extreme)  # exp(1000 - 0): 1000 > log(largest float) = 709.78
    with np.errstate(over="ignore", invalid="ignore"):
        column = bugs.softmax_mean_shift(extreme)
    assert np.isnan(column[0, 0]) and column[1, 0] == 0  # inf / inf and 1 / inf: no longer probabilities


# ----------------------------------------------------------------------------------------------
# 8. LSTM initial-state gradients m times too large
# ----------------------------------------------------------------------------------------------
def test_m_times_state_gradients_are_caught_by_a_gradient_check_with_m_above_1():
    assert worst(state_check(rnn.lstm_backward, m=4)) < PASS
    report = state_check(bugs.lstm_backward_state_m_times, m=4)
    for name in ("a0", "c0"):
        assert report[name].ratio > FAIL and report[name].error > 1e-2  # (4 - 1) / (4 + 1) = 0.6
        assert report[name].error == pytest.approx(0.6, rel=1e-6)
    assert worst(state_check(bugs.lstm_backward_state_m_times, m=1)) < PASS  # at m = 1 it is invisible


def test_m_times_state_gradients_leave_every_parameter_gradient_bit_for_bit_right():
    rng = np.random.default_rng(0)
    parameters = rnn.initialize_lstm_parameters(3, 4, 2, seed=0)
    x, a0, da = rng.standard_normal((3, 5, 6)), np.zeros((4, 5)), rng.standard_normal((4, 5, 6))
    caches = rnn.lstm_forward(x, a0, parameters)[3]
    right, wrong = rnn.lstm_backward(da, caches), bugs.lstm_backward_state_m_times(da, caches)
    for key in right:
        if key in ("da0", "dc0"):
            np.testing.assert_allclose(wrong[key], 5 * right[key], rtol=1e-15)
            assert np.abs(right[key]).max() > 1e-3  # so the factor 5 is a real difference
        else:
            np.testing.assert_array_equal(wrong[key], right[key])


# ----------------------------------------------------------------------------------------------
# 9. Adam's step counter restarted every epoch
# ----------------------------------------------------------------------------------------------
def test_a_restarted_step_counter_is_caught_against_a_hand_written_loop():
    X, Y = moons()
    settings = {"learning_rate": 0.01, "epochs": 30, "batch_size": 100, "seed": 0}
    reference = adam_reference(X, Y, DENSE, **settings)
    right = training.train_with(X, Y, DENSE, "adam", **settings)
    wrong = bugs.train_with_t_restarting(X, Y, DENSE, "adam", **settings)
    assert largest_relative_gap(right.costs, reference) < 1e-12  # the same operations in the same order
    assert largest_relative_gap(wrong.costs, reference) > 1e-2
    assert wrong.costs[0] == right.costs[0]  # epoch 1 is the same: t = 1, 2 in both
    assert wrong.costs[1] != right.costs[1]  # the first step of epoch 2 has t = 1 again
    assert (right.steps, wrong.steps) == (60, 2)


def test_a_restarted_step_counter_changes_nothing_for_plain_gradient_descent():
    X, Y = moons()
    settings = {"learning_rate": 0.3, "epochs": 5, "batch_size": 100, "seed": 0}
    np.testing.assert_array_equal(bugs.train_with_t_restarting(X, Y, DENSE, "gd", **settings).costs,
                                  training.train_with(X, Y, DENSE, "gd", **settings).costs)


def test_the_restarting_loop_refuses_what_it_does_not_implement():
    X, Y = moons()
    with pytest.raises(ValueError, match="trains only"):
        bugs.train_with_t_restarting(X, Y, DENSE, X_dev=X, Y_dev=Y)


# ----------------------------------------------------------------------------------------------
# 10. A gradient checker that compares norms
# ----------------------------------------------------------------------------------------------
def test_the_norm_checker_passes_known_wrong_gradients_that_the_real_one_fails():
    a = np.random.default_rng(0).standard_normal((4, 5))
    assert cu.relative_error(a, -a) == 1.0  # a sign error: as wrong as can be
    assert bugs.relative_error_of_norms(a, -a) == 0.0  # ... scores a perfect 0
    shuffled = a.ravel()[::-1].reshape(a.shape)
    assert cu.relative_error(a, shuffled) > 0.1
    assert bugs.relative_error_of_norms(a, shuffled) < 1e-12  # the same numbers summed in another order: round-off
    eleven = a.copy()
    smallest = np.unravel_index(np.argmin(np.abs(a)), a.shape)
    eleven[smallest] *= 11  # a 1000 % error in one entry
    assert cu.relative_error(a, eleven) == pytest.approx(10 / 12)
    assert bugs.relative_error_of_norms(a, eleven) < 1e-2
    assert bugs.relative_error_of_norms(a, 2 * a) == pytest.approx(1 / 3)  # it is not the correct one, scaled


# ----------------------------------------------------------------------------------------------
# 11. A cross-entropy that takes log(0)
# ----------------------------------------------------------------------------------------------
def test_the_naive_cross_entropy_agrees_until_an_output_saturates():
    rng = np.random.default_rng(0)
    Z, Y = 3 * rng.standard_normal((1, 50)), (rng.random((1, 50)) < 0.5).astype(float)
    A = cu.sigmoid(Z)
    # (2.2) as written against the course's guarded version, where both are finite
    assert bugs.binary_cross_entropy_naive(A, Y) == pytest.approx(cu.binary_cross_entropy(A, Y), rel=1e-12)
    saturated, y = cu.sigmoid(np.array([[40.0]])), np.array([[1.0]])
    assert saturated[0, 0] == 1.0  # sigma(40) rounds to exactly 1 in float64
    exact = float(np.log1p(np.exp(-40.0)))  # the cost from the logits (6.1)
    assert abs(cu.binary_cross_entropy(saturated, y) - exact) < 1e-15  # clipped to [eps, 1 - eps]: -log(1 - eps)
    with pytest.raises(FloatingPointError):  # log(1 - 1) = log(0): divide by zero, then 0 * -inf
        bugs.binary_cross_entropy_naive(saturated, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.isnan(bugs.binary_cross_entropy_naive(saturated, y))


# ----------------------------------------------------------------------------------------------
# 12. Convolutions that crash for even kernels
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("f", [1, 3, 5])
@pytest.mark.parametrize("stride,pad", [(1, 0), (1, 1), (2, 1), (2, 2)])
def test_centred_windows_agree_with_the_course_for_odd_kernels(f, stride, pad):
    rng = np.random.default_rng(f + 10 * stride + 100 * pad)
    A_prev, W = rng.standard_normal((2, 7, 6, 2)), rng.standard_normal((f, f, 2, 3))
    b = rng.standard_normal((1, 1, 1, 3))
    right, _ = conv.conv_forward(A_prev, W, b, stride, pad)
    wrong, _ = bugs.conv_forward_centred_windows(A_prev, W, b, stride, pad)
    assert np.abs(wrong - right).max() < 1e-12


@pytest.mark.parametrize("f", [2, 4])
def test_centred_windows_crash_for_even_kernels_where_the_course_works(f):
    rng = np.random.default_rng(f)
    A_prev, W, b = rng.standard_normal((2, 7, 6, 2)), rng.standard_normal((f, f, 2, 3)), np.zeros((1, 1, 1, 3))
    Z, _ = conv.conv_forward(A_prev, W, b, 1, 0)
    assert Z.shape == (2, 8 - f, 7 - f, 3)  # (9.3): 1 + (7 - f), 1 + (6 - f)
    with pytest.raises(ValueError, match="broadcast"):
        bugs.conv_forward_centred_windows(A_prev, W, b, 1, 0)

