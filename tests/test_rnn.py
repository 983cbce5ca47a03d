"""course_utils.rnn: RNN, LSTM and GRU cells, backpropagation through time, clipping, the many-to-one model.

Every backward pass is checked two ways on random sizes (m = 1 and T_x = 1 included): against central
differences, entry by entry within the round-off allowance of ``compare_gradients``, and against the
autograd package differentiating an independent forward pass written here with separate gate matrices
(exact: relative error <= 1e-9). The loss differentiated is L = sum(da * a), the summed loss of the
1/m rule, so dx, da0, dc0 must equal dL/d(x, a0, c0) exactly and every parameter gradient must equal
(1/m) dL/dW: an m-fold error (the original series' initial-state bug) fails both checks.
"""

import copy
import warnings

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

import course_utils as cu
from course_utils import rnn
from course_utils.gradcheck import _central_differences, compare_gradients

EPS = 1e-5


def random_rnn(rng, n_x, n_a, n_y=3, scale=1.0):
    return {"Wax": scale * rng.standard_normal((n_a, n_x)) / np.sqrt(n_x),
            "Waa": scale * rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
            "ba": 0.5 * rng.standard_normal((n_a, 1)), "Wya": rng.standard_normal((n_y, n_a)),
            "by": 0.5 * rng.standard_normal((n_y, 1))}


def random_lstm(rng, n_x, n_a, n_y=3, scale=1.0):
    parameters = {}
    for gate in "fico":
        parameters["W" + gate] = scale * rng.standard_normal((n_a, n_a + n_x)) / np.sqrt(n_a + n_x)
        parameters["b" + gate] = 0.5 * rng.standard_normal((n_a, 1))
    parameters["Wy"], parameters["by"] = rng.standard_normal((n_y, n_a)), 0.5 * rng.standard_normal((n_y, 1))
    return parameters


SIZES = [(1, 1, 1, 1), (3, 2, 1, 4), (2, 4, 5, 1), (4, 3, 2, 3), (1, 5, 3, 6)]  # (n_x, n_a, m, T_x)
IDS = [f"nx{a}-na{b}-m{c}-T{d}" for a, b, c, d in SIZES]


# ---- independent forward passes for the oracle ------------------------------------------------
def rnn_states(parameters, x, a0):
    a, states = a0, []
    for t in range(x.shape[2]):
        a = anp.tanh(anp.dot(parameters["Wax"], x[:, :, t]) + anp.dot(parameters["Waa"], a) + parameters["ba"])
        states.append(a)
    return states


def lstm_states(parameters, x, a0, c0):
    def sig(z):
        return 0.5 * (anp.tanh(0.5 * z) + 1)

    a, c, states = a0, c0, []
    for t in range(x.shape[2]):
        concat = anp.concatenate([a, x[:, :, t]], axis=0)
        f = sig(anp.dot(parameters["Wf"], concat) + parameters["bf"])
        i = sig(anp.dot(parameters["Wi"], concat) + parameters["bi"])
        o = sig(anp.dot(parameters["Wo"], concat) + parameters["bo"])
        cc = anp.tanh(anp.dot(parameters["Wc"], concat) + parameters["bc"])
        c = f * c + i * cc
        a = o * anp.tanh(c)
        states.append(a)
    return states


def summed_loss(states, da):
    return sum(anp.sum(da[:, :, t] * s) for t, s in enumerate(states))


# ---- (11.1)-(11.5): the RNN ------------------------------------------------------------------------
@pytest.mark.parametrize("n_x,n_a,m,T_x", SIZES, ids=IDS)
def test_rnn_backward_matches_autograd_and_finite_differences(n_x, n_a, m, T_x):
    """(11.3)-(11.5): every gradient of BPTT, against the oracle and against central differences."""
    rng = np.random.default_rng(n_x * 100 + n_a * 10 + m + T_x)
    parameters, x, a0 = random_rnn(rng, n_x, n_a), rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    da = rng.standard_normal((n_a, m, T_x))
    a, y, caches = cu.rnn.rnn_forward(x, a0, parameters)
    grads = cu.rnn.rnn_backward(da, caches)
    assert set(grads) == {"dx", "da0", "dWax", "dWaa", "dba"}

    def loss(p, x_, a0_):
        return summed_loss(rnn_states(p, x_, a0_), da)

    oracle_p, oracle_x, oracle_a0 = (grad(loss, k)(parameters, x, a0) for k in range(3))
    assert cu.relative_error(grads["dx"], oracle_x) <= 1e-9
    assert cu.relative_error(grads["da0"], oracle_a0) <= 1e-9  # not m times larger: the summed loss's gradient
    for key in ("Wax", "Waa", "ba"):
        assert cu.relative_error(grads["d" + key], oracle_p[key] / m) <= 1e-9, key  # the single 1/m

    f_scale = float(np.abs(da * a).sum())
    for name, value, analytic in [("x", x, grads["dx"]), ("a0", a0, grads["da0"])] + [
            (key, parameters[key], m * grads["d" + key]) for key in ("Wax", "Waa", "ba")]:
        def f(v, name=name):
            p = dict(parameters)
            inputs = {"x": x, "a0": a0}
            if name in inputs:
                inputs[name] = v
            else:
                p[name] = v
            return float(np.sum(da * cu.rnn.rnn_forward(inputs["x"], inputs["a0"], p)[0]))
        numerical, _ = _central_differences(f, np.array(value, dtype=float), EPS)
        worst = compare_gradients(analytic, numerical, f_scale, EPS)
        assert worst.ratio < 0.1, (name, worst)


def test_rnn_cell_pair_equals_one_step_of_the_sequence_functions():
    """(11.1), (11.2), (11.3): rnn_forward/rnn_backward with T_x = 1 are one cell forward and backward."""
    rng = np.random.default_rng(1)
    parameters, xt, a_prev = random_rnn(rng, 3, 4), rng.standard_normal((3, 5)), rng.standard_normal((4, 5))
    a_next, yt, cache = cu.rnn.rnn_cell_forward(xt, a_prev, parameters)
    a, y, caches = cu.rnn.rnn_forward(xt[:, :, None], a_prev, parameters)
    np.testing.assert_array_equal(a[:, :, 0], a_next)
    np.testing.assert_array_equal(y[:, :, 0], yt)
    np.testing.assert_allclose(a_next, np.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"]),
                               rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(yt, cu.softmax(parameters["Wya"] @ a_next + parameters["by"]), rtol=1e-13, atol=1e-16)
    da = rng.standard_normal((4, 5))
    step, whole = cu.rnn.rnn_cell_backward(da, cache), cu.rnn.rnn_backward(da[:, :, None], caches)
    np.testing.assert_array_equal(step["dxt"], whole["dx"][:, :, 0])
    np.testing.assert_array_equal(step["da_prev"], whole["da0"])
    for key in ("dWax", "dWaa", "dba"):
        np.testing.assert_array_equal(step[key], whole[key])


def test_the_recurrent_jacobian_is_diag_one_minus_a_squared_times_Waa():
    """(11.4): d a<t> / d a<t-1> = diag(1 - a<t>^2) Waa, for one example, against central differences."""
    rng = np.random.default_rng(4)
    parameters, xt, a_prev = random_rnn(rng, 2, 4), rng.standard_normal((2, 1)), rng.standard_normal((4, 1))
    a_next, _, _ = cu.rnn.rnn_cell_forward(xt, a_prev, parameters)
    jacobian = np.diag(1 - a_next[:, 0] ** 2) @ parameters["Waa"]
    numerical = np.column_stack([
        (cu.rnn.rnn_cell_forward(xt, a_prev + EPS * e, parameters)[0]
         - cu.rnn.rnn_cell_forward(xt, a_prev - EPS * e, parameters)[0])[:, 0] / (2 * EPS)
        for e in np.eye(4)[:, :, None]])
    assert np.abs(jacobian - numerical).max() < 1e-8


# ---- (12.9), (12.10): the LSTM ---------------------------------------------------------------------
@pytest.mark.parametrize("n_x,n_a,m,T_x", SIZES, ids=IDS)
def test_lstm_backward_matches_autograd_and_finite_differences(n_x, n_a, m, T_x):
    """(12.9), (12.10): every weight, x, a<0> and c<0> through the whole sequence."""
    rng = np.random.default_rng(n_x * 1000 + n_a * 100 + m * 10 + T_x)
    parameters = random_lstm(rng, n_x, n_a)
    x, a0, c0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    da = rng.standard_normal((n_a, m, T_x))
    a, y, c, caches = cu.rnn.lstm_forward(x, a0, parameters, c0=c0)
    grads = cu.rnn.lstm_backward(da, caches)
    gate_keys = [k for k in rnn.LSTM_KEYS[:8]]
    assert set(grads) == {"dx", "da0", "dc0"} | {"d" + k for k in gate_keys}

    def loss(p, x_, a0_, c0_):
        return summed_loss(lstm_states(p, x_, a0_, c0_), da)

    oracle = [grad(loss, k)(parameters, x, a0, c0) for k in range(4)]
    assert cu.relative_error(grads["dx"], oracle[1]) <= 1e-9
    assert cu.relative_error(grads["da0"], oracle[2]) <= 1e-9
    assert cu.relative_error(grads["dc0"], oracle[3]) <= 1e-9
    for key in gate_keys:
        assert cu.relative_error(grads["d" + key], oracle[0][key] / m) <= 1e-9, key

    f_scale = float(np.abs(da * a).sum())
    checks = [("x", x, grads["dx"]), ("a0", a0, grads["da0"]), ("c0", c0, grads["dc0"])]
    checks += [(key, parameters[key], m * grads["d" + key]) for key in gate_keys]
    for name, value, analytic in checks:
        def f(v, name=name):
            p, inputs = dict(parameters), {"x": x, "a0": a0, "c0": c0}
            if name in inputs:
                inputs[name] = v
            else:
                p[name] = v
            return float(np.sum(da * cu.rnn.lstm_forward(inputs["x"], inputs["a0"], p, c0=inputs["c0"])[0]))
        numerical, _ = _central_differences(f, np.array(value, dtype=float), EPS)
        worst = compare_gradients(analytic, numerical, f_scale, EPS)
        assert worst.ratio < 0.1, (name, worst)


def test_lstm_cell_backward_against_finite_differences_of_the_cell():
    """(12.9): one cell, with upstream gradients into both a_next and c_next."""
    rng = np.random.default_rng(7)
    n_x, n_a, m = 3, 2, 4
    parameters = random_lstm(rng, n_x, n_a)
    xt, a_prev, c_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
    a_next, c_next, _, cache = cu.rnn.lstm_cell_forward(xt, a_prev, c_prev, parameters)
    grads = cu.rnn.lstm_cell_backward(da_next, dc_next, cache)
    f_scale = float(np.abs(da_next * a_next).sum() + np.abs(dc_next * c_next).sum())
    inputs = {"xt": xt, "a_prev": a_prev, "c_prev": c_prev}
    for name in ["xt", "a_prev", "c_prev"] + list(rnn.LSTM_KEYS[:8]):
        def f(v, name=name):
            p, given = dict(parameters), dict(inputs)
            (given if name in given else p)[name] = v
            a, c, _, _ = cu.rnn.lstm_cell_forward(given["xt"], given["a_prev"], given["c_prev"], p)
            return float(np.sum(da_next * a) + np.sum(dc_next * c))
        value = inputs.get(name, parameters.get(name))
        numerical, _ = _central_differences(f, np.array(value, dtype=float), EPS)
        analytic = grads["d" + name] * (m if name in parameters else 1)
        worst = compare_gradients(analytic, numerical, f_scale, EPS)
        assert worst.ratio < 0.1, (name, worst)


def test_lstm_forward_equals_the_equations_gate_by_gate():
    """(11.10), (11.11): the stacked product computes the same gates as the four separate ones."""
    rng = np.random.default_rng(8)
    parameters = random_lstm(rng, 3, 4)
    xt, a_prev, c_prev = rng.standard_normal((3, 5)), rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    a_next, c_next, yt, cache = cu.rnn.lstm_cell_forward(xt, a_prev, c_prev, parameters)
    concat = np.vstack([a_prev, xt])
    gate = {g: parameters["W" + g] @ concat + parameters["b" + g] for g in "fico"}
    f, i, o, cc = cu.sigmoid(gate["f"]), cu.sigmoid(gate["i"]), cu.sigmoid(gate["o"]), np.tanh(gate["c"])
    np.testing.assert_allclose(c_next, f * c_prev + i * cc, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(a_next, o * np.tanh(f * c_prev + i * cc), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(yt, cu.softmax(parameters["Wy"] @ a_next + parameters["by"]), rtol=1e-13, atol=1e-16)
    for k, expected in zip((4, 5, 6, 7), (f, i, cc, o), strict=True):
        np.testing.assert_allclose(cache[k], expected, rtol=1e-13, atol=1e-15)


def test_forget_one_input_zero_keeps_the_cell_state_exactly():
    """(11.11): with f = 1 and i = 0 at every step, c<t> = c<0> to the last bit, whatever the inputs."""
    rng = np.random.default_rng(9)
    parameters = random_lstm(rng, 3, 4)
    parameters["Wf"], parameters["bf"] = np.zeros((4, 7)), np.full((4, 1), 40.0)  # sigma(40) rounds to 1
    parameters["Wi"], parameters["bi"] = np.zeros((4, 7)), np.full((4, 1), -800.0)  # sigma(-800) underflows to 0
    c0 = rng.standard_normal((4, 6))
    _, _, c, _ = cu.rnn.lstm_forward(rng.standard_normal((3, 6, 50)), rng.standard_normal((4, 6)), parameters, c0=c0)
    for t in range(50):
        np.testing.assert_array_equal(c[:, :, t], c0)


def test_lstm_c0_defaults_to_zero():
    rng = np.random.default_rng(10)
    parameters, x, a0 = random_lstm(rng, 2, 3), rng.standard_normal((2, 4, 3)), rng.standard_normal((3, 4))
    default = cu.rnn.lstm_forward(x, a0, parameters)
    explicit = cu.rnn.lstm_forward(x, a0, parameters, c0=np.zeros((3, 4)))
    for first, second in zip(default[:3], explicit[:3], strict=True):
        np.testing.assert_array_equal(first, second)


# ---- (11.9): the GRU ---------------------------------------------------------------------------------
def test_gru_cell_forward_equals_the_equations():
    """(11.9), written out separately, and gru_forward is a loop of the cell."""
    rng = np.random.default_rng(11)
    parameters = cu.rnn.initialize_gru_parameters(3, 4, seed=2)
    parameters = {k: v + (0.3 * rng.standard_normal(v.shape) if k[0] == "b" else 0) for k, v in parameters.items()}
    x, a0 = rng.standard_normal((3, 5, 4)), rng.standard_normal((4, 5))
    a, _ = cu.rnn.gru_forward(x, a0, parameters)
    a_prev = a0
    for t in range(4):
        xt = x[:, :, t]
        u = 1 / (1 + np.exp(-(parameters["Wu"] @ np.vstack([a_prev, xt]) + parameters["bu"])))
        r = 1 / (1 + np.exp(-(parameters["Wr"] @ np.vstack([a_prev, xt]) + parameters["br"])))
        cc = np.tanh(parameters["Wc"] @ np.vstack([r * a_prev, xt]) + parameters["bc"])
        a_prev = u * cc + (1 - u) * a_prev
        np.testing.assert_allclose(a[:, :, t], a_prev, rtol=1e-12, atol=1e-14)
        np.testing.assert_array_equal(cu.rnn.gru_cell_forward(xt, a[:, :, t - 1] if t else a0, parameters)[0],
                                      a[:, :, t])


# ---- (11.7), (11.8): clipping ----------------------------------------------------------------------------
def test_clipping_by_norm_keeps_the_direction_and_by_value_does_not():
    rng = np.random.default_rng(12)
    gradients = {"dWaa": np.array([[10.0, 0.1], [-0.2, 4.0]]), "dba": rng.standard_normal((2, 1))}
    flat = np.concatenate([g.ravel() for g in gradients.values()])
    by_norm = cu.rnn.clip_by_norm(gradients, 1.0)
    by_value = cu.rnn.clip_by_value(gradients, 1.0)
    flat_norm = np.concatenate([g.ravel() for g in by_norm.values()])
    flat_value = np.concatenate([g.ravel() for g in by_value.values()])
    assert abs(cu.rnn.global_norm(by_norm) - 1.0) < 1e-12
    assert abs(flat_norm @ flat / (np.linalg.norm(flat_norm) * np.linalg.norm(flat)) - 1) < 1e-12  # parallel
    assert np.abs(flat_value).max() <= 1.0
    assert flat_value @ flat / (np.linalg.norm(flat_value) * np.linalg.norm(flat)) < 0.95  # turned away
    short = {"dW": np.array([[0.3, -0.4]])}
    np.testing.assert_array_equal(cu.rnn.clip_by_norm(short, 1.0)["dW"], short["dW"])  # already short: untouched
    assert cu.rnn.global_norm(gradients) == pytest.approx(np.linalg.norm(flat), rel=1e-14)


# ---- the many-to-one model ------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_many_to_one_gradients_against_finite_differences_of_the_cost(cell):
    """(11.13): the cost's gradient through the dense softmax layer and back through time."""
    rng = np.random.default_rng(13 if cell == "rnn" else 14)
    n_x, n_a, n_y, m, T_x = 3, 4, 3, 5, 4
    parameters = random_rnn(rng, n_x, n_a, n_y) if cell == "rnn" else random_lstm(rng, n_x, n_a, n_y)
    x, Y = rng.standard_normal((n_x, m, T_x)), cu.one_hot(rng.integers(0, n_y, m), n_y)
    AL, cache = cu.rnn.many_to_one_forward(x, parameters)
    grads = cu.rnn.many_to_one_backward(Y, cache)
    assert set(grads) == {"d" + key for key in parameters}
    for key in parameters:
        def cost(v, key=key):
            return cu.rnn.many_to_one_cost(cu.rnn.many_to_one_forward(x, {**parameters, key: v})[0], Y)
        numerical, f_scale = _central_differences(cost, np.array(parameters[key]), EPS)
        worst = compare_gradients(grads["d" + key], numerical, f_scale, EPS)
        assert worst.ratio < 0.1, (key, worst)


def test_training_lowers_the_cost_and_leaves_its_inputs_alone():
    x, Y, _ = cu.datasets.make_first_token(m=64, T_x=5, tokens=2, seed=0)
    parameters = cu.rnn.initialize_lstm_parameters(3, 8, 2, seed=0)
    before = copy.deepcopy((x, Y, parameters))
    trained, costs = cu.rnn.train_many_to_one(x, Y, parameters, learning_rate=0.02, iterations=60, batch_size=32)
    assert np.mean(costs[-10:]) < 0.5 * np.mean(costs[:10])
    for original, now in zip(before, (x, Y, parameters), strict=True):
        if isinstance(original, dict):
            for key in original:
                np.testing.assert_array_equal(original[key], now[key])
        else:
            np.testing.assert_array_equal(original, now)
    assert all(not np.array_equal(trained[k], parameters[k]) for k in parameters)  # every parameter moved
    _, gd_costs = cu.rnn.train_many_to_one(x, Y, parameters, learning_rate=0.5, iterations=20, optimizer="gd")
    assert np.isfinite(gd_costs).all()


def test_an_rnn_learns_the_negation_grammar_that_a_bag_of_words_cannot():
    """Word order matters: an RNN separates "good, not bad" from "bad, not good"; their word counts are equal."""
    x, Y, labels, sentences = cu.datasets.make_negation_sentiment(m=200, seed=0)
    parameters = cu.rnn.initialize_rnn_parameters(x.shape[0], 16, 2, seed=0)
    trained, _ = cu.rnn.train_many_to_one(x, Y, parameters, learning_rate=0.02, iterations=300, batch_size=50)
    assert np.mean(cu.rnn.predict_many_to_one(x, trained) == labels) > 0.97


# ---- errors, mutation, numerics --------------------------------------------------------------------------------
def test_bad_inputs_get_clear_errors():
    rng = np.random.default_rng(15)
    rnn_p, lstm_p = random_rnn(rng, 3, 4), random_lstm(rng, 3, 4)
    x, a0 = rng.standard_normal((3, 5, 2)), rng.standard_normal((4, 5))
    with pytest.raises(ValueError, match=r"x must be a 3-D array \(n_x, m, T_x\).*2-D with shape \(3, 5\)"):
        cu.rnn.rnn_forward(x[:, :, 0], a0, rnn_p)
    with pytest.raises(ValueError, match=r"x must be a 3-D array.*4-D"):
        cu.rnn.lstm_forward(x[..., None], a0, lstm_p)
    with pytest.raises(ValueError, match=r"a0 has shape \(4, 6\), expected \(4, 5\)"):
        cu.rnn.rnn_forward(x, rng.standard_normal((4, 6)), rnn_p)
    with pytest.raises(ValueError, match=r"a0 has shape \(3, 5\), expected \(4, 5\)"):
        cu.rnn.lstm_forward(x, rng.standard_normal((3, 5)), lstm_p)
    with pytest.raises(ValueError, match=r"parameters is missing 'Waa'"):
        cu.rnn.rnn_forward(x, a0, {k: v for k, v in rnn_p.items() if k != "Waa"})
    with pytest.raises(ValueError, match=r"parameters is missing 'bo'"):
        cu.rnn.lstm_forward(x, a0, {k: v for k, v in lstm_p.items() if k != "bo"})
    with pytest.raises(ValueError, match=r"x has shape \(2, 5, 2\) but the parameters expect n_x = 3"):
        cu.rnn.rnn_forward(x[:2], a0, rnn_p)
    with pytest.raises(ValueError, match=r"parameters\['Wi'\] has shape \(4, 6\), expected \(4, 7\)"):
        cu.rnn.lstm_forward(x, a0, {**lstm_p, "Wi": np.zeros((4, 6))})
    with pytest.raises(ValueError, match=r"xt has shape \(2, 5\), expected \(3, 'any'\)"):
        cu.rnn.rnn_cell_forward(x[:2, :, 0], a0, rnn_p)
    with pytest.raises(TypeError, match=r"x must be a numpy array"):
        cu.rnn.rnn_forward(x.tolist(), a0, rnn_p)
    with pytest.raises(ValueError, match=r"x must be finite"):
        cu.rnn.rnn_forward(np.where(x > 1, np.nan, x), a0, rnn_p)
    _, _, caches = cu.rnn.rnn_forward(x, a0, rnn_p)
    with pytest.raises(ValueError, match=r"da has shape \(4, 5, 3\), expected \(n_a, m, T_x\) = \(4, 5, 2\)"):
        cu.rnn.rnn_backward(np.zeros((4, 5, 3)), caches)
    with pytest.raises(TypeError, match=r"caches must be the pair"):
        cu.rnn.lstm_backward(np.zeros((4, 5, 2)), caches[0])
    with pytest.raises(TypeError, match=r"cache must be the tuple of 10 items"):
        cu.rnn.lstm_cell_backward(a0, a0, caches[0][0])
    with pytest.raises(ValueError, match=r"max_norm must be a finite number > 0"):
        cu.rnn.clip_by_norm({"dW": np.ones((2, 2))}, 0)
    with pytest.raises(ValueError, match=r"parameters must be an RNN's"):
        cu.rnn.many_to_one_forward(x, {"W1": np.ones((2, 2))})


def test_no_input_is_modified():
    rng = np.random.default_rng(16)
    rnn_p, lstm_p, gru_p = random_rnn(rng, 3, 4), random_lstm(rng, 3, 4), cu.rnn.initialize_gru_parameters(3, 4)
    x, a0, c0, da = (rng.standard_normal(s) for s in ((3, 5, 2), (4, 5), (4, 5), (4, 5, 2)))
    arguments = copy.deepcopy((rnn_p, lstm_p, gru_p, x, a0, c0, da))
    _, _, caches = cu.rnn.rnn_forward(x, a0, rnn_p)
    cu.rnn.rnn_backward(da, caches)
    cu.rnn.rnn_cell_backward(da[:, :, 0], caches[0][0])
    _, _, _, caches = cu.rnn.lstm_forward(x, a0, lstm_p, c0=c0)
    cu.rnn.lstm_backward(da, caches)
    cu.rnn.lstm_cell_backward(da[:, :, 0], c0, caches[0][1])
    cu.rnn.gru_forward(x, a0, gru_p)
    gradients = {"dW": da[:, :, 0]}
    cu.rnn.clip_by_norm(gradients, 0.1)
    cu.rnn.clip_by_value(gradients, 0.1)
    for before, after in zip(arguments, (rnn_p, lstm_p, gru_p, x, a0, c0, da), strict=True):
        for key in (before if isinstance(before, dict) else [None]):
            np.testing.assert_array_equal(before[key] if key else before, after[key] if key else after)


@pytest.mark.parametrize("sign", [1, -1])
def test_extreme_pre_activations_give_no_nan_and_no_warning(sign):
    """Pre-activations of +-1e4 saturate tanh and sigma: the values and gradients stay finite, silently."""
    rng = np.random.default_rng(17)
    x = sign * 1e4 * np.abs(rng.standard_normal((3, 4, 5)))
    a0 = np.zeros((4, 4))
    rnn_p = {k: (np.abs(v) if k[0] == "W" else v) for k, v in random_rnn(rng, 3, 4).items()}
    lstm_p = {k: (np.abs(v) if k[0] == "W" else v) for k, v in random_lstm(rng, 3, 4).items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, y, caches = cu.rnn.rnn_forward(x, a0, rnn_p)
        grads = cu.rnn.rnn_backward(np.ones_like(a), caches)
        a2, y2, c2, caches2 = cu.rnn.lstm_forward(x, a0, lstm_p)
        grads2 = cu.rnn.lstm_backward(np.ones_like(a2), caches2)
        gru_a, _ = cu.rnn.gru_forward(x, a0, cu.rnn.initialize_gru_parameters(3, 4))
        Y = cu.one_hot(np.arange(4) % 3, 3)
        AL, cache = cu.rnn.many_to_one_forward(x, lstm_p)
        cost = cu.rnn.many_to_one_cost(AL, Y)
        model_grads = cu.rnn.many_to_one_backward(Y, cache)
    for array in [a, y, a2, y2, c2, gru_a, *grads.values(), *grads2.values(), *model_grads.values()]:
        assert np.isfinite(array).all()
    assert np.isfinite(cost)
    assert np.abs(a).max() == 1.0  # saturated: tanh(+-1e4) is +-1 exactly


def test_float32_stays_float32():
    rng = np.random.default_rng(18)
    parameters = {k: v.astype(np.float32) for k, v in random_lstm(rng, 3, 4).items()}
    x, a0 = rng.standard_normal((3, 5, 6)).astype(np.float32), np.zeros((4, 5), np.float32)
    a, y, c, caches = cu.rnn.lstm_forward(x, a0, parameters)
    grads = cu.rnn.lstm_backward(np.ones_like(a), caches)
    assert a.dtype == y.dtype == c.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())


def test_initialisations_have_the_documented_shapes_and_scale():
    p = cu.rnn.initialize_rnn_parameters(5, 64, 3, seed=0)
    assert {k: v.shape for k, v in p.items()} == {"Wax": (64, 5), "Waa": (64, 64), "ba": (64, 1), "Wya": (3, 64),
                                                    "by": (3, 1)}
    assert 0.8 < np.abs(np.linalg.eigvals(p["Waa"])).max() < 1.2  # circular law: spectral radius near 1
    q = cu.rnn.initialize_lstm_parameters(5, 8, 3, seed=0, forget_bias=2.0, input_bias=-1.0)
    assert all(q["W" + g].shape == (8, 13) for g in "fico") and (q["bf"] == 2.0).all() and (q["bi"] == -1).all()
    assert (q["bc"] == 0).all() and (q["bo"] == 0).all()


def test_the_gates_sigmoid_is_the_course_sigmoid():
    """(1.2): (1 + tanh(z/2)) / 2 = 1 / (1 + exp(-z)), to rounding, over the whole range, without overflow."""
    z = np.concatenate([np.linspace(-50, 50, 2001), [-1e4, 1e4, 0.0]])
    assert np.abs(rnn._gate_sigmoid(z) - cu.sigmoid(z)).max() <= 2.3e-16
    z32 = z.astype(np.float32)
    assert np.abs(rnn._gate_sigmoid(z32) - cu.sigmoid(z32)).max() <= 1.2e-7
    assert rnn._gate_sigmoid(z32).dtype == np.float32
    assert rnn._gate_sigmoid(np.array([40.0]))[0] == 1.0 and rnn._gate_sigmoid(np.array([-800.0]))[0] == 0.0
