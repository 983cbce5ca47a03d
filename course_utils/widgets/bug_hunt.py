"""Notebook 13's "pick a bug": choose a planted bug, watch its learning curve beside the correct code's,
then run the check that catches it.

The crime scenes are small training runs in which one piece of the course's code is swapped for its
bug from ``course_utils.bugs``, everything else (data, seed, settings) being equal:

    train_dense(X, Y, layer_dims, forward=..., backward=..., update=...)   a dense network, gradient descent
    softmax_forward(softmax)                                               a forward pass with that softmax
    train_small_cnn(images, Y, mode, pool_forward=..., pool_backward=...)  conv 3 x 3 -> ReLU -> pool -> dense
    train_lstm(x, Y, backward=...)                                         a many-to-one LSTM

Each scene of ``SCENES`` trains the correct code and the bug (``Scene.curves()``) and runs the tool
that tells them apart (``Scene.catch()``, a ``Catch``: the number the tool measures for each, and the
threshold between them). ``bug_hunt(name, run_check, shown)`` draws both: the curves (what you would
see) and, once you ask for it, the check (what gives the bug away). The notebook uses the same
functions, so the widget shows the notebook's numbers.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import numpy as np

from .. import bugs, conv, optim, rnn
from ..activations import softmax as course_softmax
from ..datasets import load_digits, make_first_token, make_moons, train_test_split
from ..gradcheck import _central_differences, check_update_step, compare_gradients, gradient_check_network
from ..gradcheck import relative_error as course_relative_error
from ..layers import linear_backward
from ..losses import binary_cross_entropy, cost_from_logits
from ..metrics import accuracy
from ..network import backpropagation, forward_propagation, initialize_parameters, predict, update_parameters
from ..training import train_with


# ----------------------------------------------------------------------------------------------
# The crime scenes: training runs with one piece swapped
# ----------------------------------------------------------------------------------------------
def train_dense(X, Y, layer_dims, *, forward=forward_propagation, backward=backpropagation, update=update_parameters,
                hidden_activation="relu", output_activation="sigmoid", learning_rate=0.3, epochs=300,
                optimizer="gd", seed=0, measures=None):
    """Full-batch training of a dense network, with any of its pieces replaced.

    forward(X, parameters, hidden_activation, output_activation) -> (AL, cache), backward(cache, Y,
    parameters) -> grads and update(parameters, grads, learning_rate) -> parameters default to the
    course's. optimizer: "gd" (uses ``update``) or "adam" (``update_parameters_with_adam``, t = 1, 2, ...).
    Each epoch: the measures, then one forward pass, its cost J (from the logits it cached), one
    backward pass and one step. measures: {name: function(parameters) -> float}, recorded at the
    start of every epoch (e.g. a test set's cost). He initialisation from ``seed``.
    Returns (curves, parameters): curves = {"cost": [J per epoch], name: [...] for each measure}.
    """
    parameters = initialize_parameters(layer_dims, seed=seed)
    L = len(layer_dims) - 1
    v, s = optim.initialize_adam(parameters)
    measures = measures or {}
    curves = {"cost": [], **{name: [] for name in measures}}
    for t in range(1, epochs + 1):
        for name, measure in measures.items():
            curves[name].append(float(measure(parameters)))
        _, cache = forward(X, parameters, hidden_activation, output_activation)
        curves["cost"].append(cost_from_logits(cache[f"Z{L}"], Y, output_activation))
        grads = backward(cache, Y, parameters)
        if optimizer == "adam":
            parameters, v, s = optim.update_parameters_with_adam(parameters, grads, v, s, t, learning_rate)
        else:
            parameters = update(parameters, grads, learning_rate)
    return curves, parameters


def softmax_forward(softmax):
    """A forward pass whose softmax output layer is ``softmax`` (the course's, or a bug's).

    The layers run as in ``forward_propagation`` up to the logits Z[L]; then AL = softmax(Z[L]).
    The cache says "softmax", so ``backpropagation`` starts from dZ[L] = AL - Y.
    Returns forward(X, parameters, hidden_activation, output_activation) -> (AL, cache).
    """
    def forward(X, parameters, hidden_activation="relu", output_activation="softmax"):
        _, cache = forward_propagation(X, parameters, hidden_activation, "identity")
        L = sum(1 for key in parameters if key[0] == "W")
        cache[f"A{L}"] = softmax(cache[f"Z{L}"])
        cache["output_activation"] = "softmax"
        return cache[f"A{L}"], cache
    return forward


def small_cnn_parameters(n_C=4, seed=0):
    """He-initialised weights of the small CNN: a 3 x 3 convolution with n_C filters on 8 x 8 x 1 images,
    then a dense layer from the pooled 4 x 4 x n_C features to 10 logits. Zero biases."""
    rng = np.random.default_rng(seed)
    return {"W1": rng.standard_normal((3, 3, 1, n_C)) * np.sqrt(2 / 9), "b1": np.zeros((1, 1, 1, n_C)),
            "W2": rng.standard_normal((10, 16 * n_C)) * np.sqrt(2 / (16 * n_C)), "b2": np.zeros((10, 1))}


def small_cnn_cost(images, Y, parameters, mode="max", pool_forward=conv.pool_forward,
                   pool_backward=conv.pool_backward, with_gradients=True):
    """J of the small CNN (conv 3 x 3, same padding -> ReLU -> 2 x 2 pool -> flatten -> dense -> softmax).

    images: (m, 8, 8, 1). Y: 10 x m one-hot. mode: "max" or "average" pooling, with the given
    pool_forward and pool_backward (the course's, or a bug's). J is the cross-entropy from the
    logits (6.2). Returns (J, grads): grads {"dW1", "db1", "dW2", "db2"} from the layers' backward
    passes, or None when with_gradients is False.
    """
    Z1, conv_cache = conv.conv_forward(images, parameters["W1"], parameters["b1"], 1, 1)
    A1 = np.maximum(Z1, 0)
    P, pool_cache = pool_forward(A1, 2, 2, mode)
    X, shape = conv.flatten_forward(P)
    Z2 = parameters["W2"] @ X + parameters["b2"]
    cost = cost_from_logits(Z2, Y, "softmax")
    if not with_gradients:
        return cost, None
    dX, dW2, db2 = linear_backward(course_softmax(Z2) - Y, (X, parameters["W2"], parameters["b2"]))
    dA1 = pool_backward(conv.flatten_backward(dX, shape), pool_cache)
    _, dW1, db1 = conv.conv_backward(dA1 * (Z1 > 0), conv_cache)
    return cost, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def train_small_cnn(images, Y, mode="max", pool_forward=conv.pool_forward, pool_backward=conv.pool_backward,
                    learning_rate=0.2, epochs=60, seed=0):
    """Full-batch gradient descent on the small CNN of ``small_cnn_cost``. Returns (costs, parameters)."""
    parameters, costs = small_cnn_parameters(seed=seed), []
    for _ in range(epochs):
        cost, grads = small_cnn_cost(images, Y, parameters, mode, pool_forward, pool_backward)
        costs.append(cost)
        parameters = {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}
    return costs, parameters


def train_lstm(x, Y, backward=rnn.lstm_backward, n_a=8, learning_rate=1.0, iterations=300, batch_size=64, seed=0):
    """A many-to-one LSTM trained by gradient descent on random mini-batches, with a chosen backward pass.

    x: (n_x, m, T_x). Y: n_y x m one-hot. backward: the course's ``lstm_backward`` or a bug's. Every
    sequence starts from a<0> = 0; the last state feeds a dense softmax layer.
    Returns (costs, parameters): the cost of each iteration's batch (before its step).
    """
    n_x, m, _ = x.shape
    parameters = rnn.initialize_lstm_parameters(n_x, n_a, Y.shape[0], seed=seed)
    rng, costs = np.random.default_rng(seed), []
    for _ in range(iterations):
        batch = rng.choice(m, batch_size, replace=False)
        x_batch, Y_batch = x[:, batch], Y[:, batch]
        a, _, _, caches = rnn.lstm_forward(x_batch, np.zeros((n_a, batch_size)), parameters)
        a_last = a[:, :, -1]
        Z = parameters["Wy"] @ a_last + parameters["by"]
        costs.append(cost_from_logits(Z, Y_batch, "softmax"))
        da_last, dWy, dby = linear_backward(course_softmax(Z) - Y_batch, (a_last, parameters["Wy"], parameters["by"]))
        da = np.zeros_like(a)
        da[:, :, -1] = da_last
        grads = {**backward(da, caches), "dWy": dWy, "dby": dby}
        parameters = {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}
    return costs, parameters


# ----------------------------------------------------------------------------------------------
# What a scene shows: the curves, and the check that tells the two apart
# ----------------------------------------------------------------------------------------------
@dataclass
class Catch:
    """One check, run on the correct code and on the bug.

    tool: the check, in a few words. measure: what number it measures. correct, buggy: that
    number for each. threshold: the check's line between right and wrong. bad_side: "above" when
    a value above the threshold fails the check (an error), "below" when a value below it does
    (a checker reporting no error for a gradient that is known to be wrong).
    """

    tool: str
    measure: str
    correct: float
    buggy: float
    threshold: float
    bad_side: str = "above"

    def fails(self, value):
        """True when ``value`` fails the check (NaN and inf are failures on the "above" side)."""
        if self.bad_side == "above":
            return not value <= self.threshold
        return value < self.threshold

    @property
    def caught(self):
        """The bug fails the check and the correct code passes it."""
        return self.fails(self.buggy) and not self.fails(self.correct)


@dataclass
class Scene:
    """A planted bug: its title, the tool that catches it, how it hides, its curves and its catch."""

    title: str
    bug: Callable
    tool: str
    hides: str  # one sentence: what the learning curve shows
    make_curves: Callable  # () -> {"curves": {label: values}, "ylabel": str, "log": bool, "xlabel": str}
    make_catch: Callable  # () -> Catch
    _cache: dict = field(default_factory=dict, repr=False)

    def curves(self):
        """The learning curves of the correct code and of the bug (computed once, then remembered)."""
        if "curves" not in self._cache:
            self._cache["curves"] = self.make_curves()
        return self._cache["curves"]

    def catch(self):
        """The check that catches the bug, run on both (computed once, then remembered)."""
        if "catch" not in self._cache:
            self._cache["catch"] = self.make_catch()
        return self._cache["catch"]


# ----------------------------------------------------------------------------------------------
# The data the scenes train on
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def moons():
    """200 moons (noise 0.2, seed 0): X 2 x 200, Y 1 x 200."""
    return make_moons(200, noise=0.2, seed=0)


@lru_cache(maxsize=None)
def digits():
    """The digits split of notebook 06 (seed 0, 20 % test): X_train, X_test, Y_train, Y_test."""
    X, Y, _ = load_digits()
    return train_test_split(X, Y, test_fraction=0.2, seed=0)


@lru_cache(maxsize=None)
def digit_images(m=300):
    """The first m digits as images (m, 8, 8, 1), pixels in [0, 1], and their one-hot labels 10 x m."""
    X, Y, _ = load_digits()
    return X[:, :m].T.reshape(m, 8, 8, 1), Y[:, :m]


DENSE = [2, 16, 8, 1]  # the moons network of the dense scenes
CORRECT, BUGGY = "the course's code", "the bug"


def _pair(correct, buggy):
    return {CORRECT: list(correct), BUGGY: list(buggy)}


# 1 ------------------------------------------------------------------------------------------------
def _hidden_bias_curves():
    X, Y = moons()
    correct, _ = train_dense(X, Y, DENSE, hidden_activation="tanh", epochs=400)
    buggy, _ = train_dense(X, Y, DENSE, hidden_activation="tanh", epochs=400,
                           forward=bugs.forward_propagation_without_hidden_bias)
    return {"curves": _pair(correct["cost"], buggy["cost"]), "ylabel": "training cost J", "log": False}


def _hidden_bias_catch():
    X, Y = moons()
    _, parameters = train_dense(X, Y, DENSE, hidden_activation="tanh", epochs=400)
    X_few, Y_few = X[:, :5], Y[:, :5]
    reports = [gradient_check_network(parameters, X_few, Y_few, "tanh", "sigmoid", forward=forward)
               for forward in (None, bugs.forward_propagation_without_hidden_bias)]
    return Catch("gradient check of b1", "worst entry's error / its allowance",
                 max(w.ratio for w in reports[0].values()), reports[1]["b1"].ratio, 1.0)


# 2 ------------------------------------------------------------------------------------------------
def _w_twice_curves():
    X, Y = moons()
    correct, _ = train_dense(X, Y, DENSE, epochs=400)
    buggy, _ = train_dense(X, Y, DENSE, epochs=400, update=bugs.update_parameters_w_twice_b_never)
    return {"curves": _pair(correct["cost"], buggy["cost"]), "ylabel": "training cost J", "log": False}


def _w_twice_catch():
    X, Y = moons()
    parameters = initialize_parameters(DENSE, seed=0)
    grads = backpropagation(forward_propagation(X, parameters)[1], Y, parameters)
    ratios = [max(w.ratio for w in check_update_step(parameters, grads, update(parameters, grads, 0.3), 0.3).values())
              for update in (update_parameters, bugs.update_parameters_w_twice_b_never)]
    return Catch("check_update_step", "worst parameter's move error / its rounding allowance", *ratios, 1.0)


# 3 ------------------------------------------------------------------------------------------------
def leak_data():
    """300 noisier moons (noise 0.35, seed 1): X 2 x 300, Y 1 x 300."""
    return make_moons(300, noise=0.35, seed=1)


def leaked_examples(X_train, X_test):
    """How many test columns also appear, exactly, among the training columns (0 for a clean split)."""
    train = {column.tobytes() for column in X_train.T}
    return sum(column.tobytes() in train for column in X_test.T)


def _leak_curves():
    X, Y = leak_data()
    curves = {}
    for label, split in (("clean split", train_test_split), ("leaky split (the bug)", bugs.train_test_split_leaky)):
        X_train, X_test, Y_train, Y_test = split(X, Y, 0.3, seed=0)

        def test_cost(p, X_test=X_test, Y_test=Y_test):
            return cost_from_logits(forward_propagation(X_test, p)[1]["Z3"], Y_test)

        run, _ = train_dense(X_train, Y_train, [2, 32, 32, 1], learning_rate=0.5, epochs=500,
                             measures={"test": test_cost})
        curves[f"test cost, {label}"] = run["test"]
    return {"curves": curves, "ylabel": "cost J on the test part", "log": False}


def _leak_catch():
    X, Y = leak_data()
    splits = (train_test_split, bugs.train_test_split_leaky)
    counts = [leaked_examples(*split(X, Y, 0.3, seed=0)[:2]) for split in splits]
    return Catch("leak check", "test examples that are also training examples", *counts, 0.5)


# 4 ------------------------------------------------------------------------------------------------
def _accuracy_curves():
    X_train, _, Y_train, _ = digits()
    labels = Y_train.argmax(axis=0)
    measures = {name: (lambda p, score=score: score(labels, predict(X_train, p, "relu", "softmax")))
                for name, score in ((CORRECT, accuracy), (BUGGY, bugs.accuracy_error_rate))}
    run, _ = train_dense(X_train, Y_train, [64, 32, 10], output_activation="softmax", learning_rate=0.5,
                         epochs=100, measures=measures)
    return {"curves": {CORRECT: run[CORRECT], BUGGY: run[BUGGY]}, "ylabel": '"accuracy" on the training set',
            "log": False}


def _accuracy_catch():
    labels = digits()[2].argmax(axis=0)
    return Catch("sanity check: perfect predictions", "1 - the score of labels against themselves",
                 1 - accuracy(labels, labels), 1 - bugs.accuracy_error_rate(labels, labels), 1e-12)


# 5 and 6 ------------------------------------------------------------------------------------------
def _pool_curves(mode, pool_forward, pool_backward):
    images, Y = digit_images()
    correct, _ = train_small_cnn(images, Y, mode)
    buggy, _ = train_small_cnn(images, Y, mode, pool_forward, pool_backward)
    return {"curves": _pair(correct, buggy), "ylabel": "training cost J (small CNN, 300 digits)", "log": False}


def layered_input(m=3, size=4, n_C=4):
    """(m, size, size, n_C) with value c + 100 i everywhere in channel c of example i.

    Pooling it right (each channel on its own) returns the same values; any mixing
    of channels or examples shows at once.
    """
    return np.zeros((m, size, size, n_C)) + np.arange(n_C) + 100 * np.arange(m)[:, None, None, None]


def _mixing_catch():
    A_prev = layered_input()
    gaps = [float(np.abs(pool(A_prev, 2, 2, "average")[0] - A_prev[:, ::2, ::2, :]).max())
            for pool in (conv.pool_forward, bugs.pool_forward_mixing_channels)]
    return Catch("one channel at a time", "largest change of a constant channel", *gaps, 1e-12)


def tie_check(parameters, images, Y, key="b1", pool_backward=conv.pool_backward):
    """Gradient check of one parameter of the small CNN (max pooling), with ``pool_backward`` in its backward pass.

    Where the input is blank, every position of a filter's output holds its bias: a tie that
    nudging the bias keeps (all tied entries move together), so the central difference is exact
    there. Returns the WorstEntry of ``compare_gradients``.
    """
    _, grads = small_cnn_cost(images, Y, parameters, "max", conv.pool_forward, pool_backward)
    nudged = {name: value.copy() for name, value in parameters.items()}

    def cost(_):
        return small_cnn_cost(images, Y, nudged, "max", with_gradients=False)[0]

    numerical, f_scale = _central_differences(cost, nudged[key], 1e-5)
    return compare_gradients(grads["d" + key], numerical, f_scale, 1e-5)


def _ties_catch():
    images, Y = digit_images()
    _, parameters = train_small_cnn(images, Y, "max")
    ratios = [tie_check(parameters, images[:4], Y[:, :4], "b1", pool_backward).ratio
              for pool_backward in (conv.pool_backward, bugs.pool_backward_all_ties)]
    return Catch("gradient check of b1", "worst entry's error / its allowance", *ratios, 1.0)


# 7 ------------------------------------------------------------------------------------------------
def _softmax_curves():
    X_train, _, Y_train, _ = digits()
    runs = [train_dense(X_train, Y_train, [64, 32, 10], forward=softmax_forward(softmax),
                        output_activation="softmax", learning_rate=0.5, epochs=100)[0]["cost"]
            for softmax in (course_softmax, bugs.softmax_mean_shift)]
    return {"curves": _pair(*runs), "ylabel": "training cost J (digits)", "log": True}


def _softmax_catch():
    Z = np.array([[1000.0], [0.0], [-1000.0]])
    exact = np.array([[1.0], [0.0], [0.0]])  # e^-1000 and e^-2000 are 0 in float64
    with np.errstate(over="ignore", invalid="ignore"):
        gaps = [float(np.abs(softmax(Z) - exact).max()) for softmax in (course_softmax, bugs.softmax_mean_shift)]
    return Catch("logits (1000, 0, -1000)", "largest error of the probabilities", *gaps, 1e-12)


# 8 ------------------------------------------------------------------------------------------------
def _lstm_curves():
    x, Y, _ = make_first_token(m=512, T_x=8, tokens=2, seed=0)
    runs = [train_lstm(x, Y, backward)[0] for backward in (rnn.lstm_backward, bugs.lstm_backward_state_m_times)]
    return {"curves": _pair(*runs), "ylabel": "batch cost J (remember the first token)", "log": True,
            "xlabel": "iteration"}


def state_check(backward=rnn.lstm_backward, m=4, seed=0):
    """Gradient check of an LSTM's initial states: da0 and dc0 against central differences of L = sum(da * a).

    A random LSTM (n_x = 2, n_a = 3, T_x = 4) on m random sequences, random a<0>, c<0> and da.
    da0 and dc0 are gradients of the *summed* loss, so they are compared as they are (no 1/m).
    Returns {"a0": WorstEntry, "c0": WorstEntry}.
    """
    rng = np.random.default_rng(seed)
    parameters = rnn.initialize_lstm_parameters(2, 3, 2, seed=seed)
    parameters = {k: v + (0.5 * rng.standard_normal(v.shape) if k[0] == "b" else 0) for k, v in parameters.items()}
    x, a0, c0 = rng.standard_normal((2, m, 4)), rng.standard_normal((3, m)), rng.standard_normal((3, m))
    da = rng.standard_normal((3, m, 4))
    a, _, _, caches = rnn.lstm_forward(x, a0, parameters, c0=c0)
    gradients = backward(da, caches)
    states = {"a0": a0.copy(), "c0": c0.copy()}

    def loss(_):
        return float(np.sum(da * rnn.lstm_forward(x, states["a0"], parameters, c0=states["c0"])[0]))

    f_scale = float(np.abs(da * a).sum())
    report = {}
    for name in ("a0", "c0"):
        numerical, _ = _central_differences(loss, states[name], 1e-5)
        report[name] = compare_gradients(gradients["d" + name], numerical, f_scale, 1e-5)
    return report


def _lstm_catch():
    ratios = [max(w.ratio for w in state_check(backward, m=4).values())
              for backward in (rnn.lstm_backward, bugs.lstm_backward_state_m_times)]
    return Catch("gradient check of a<0>, c<0>, m = 4", "worst entry's error / its allowance", *ratios, 1.0)


# 9 ------------------------------------------------------------------------------------------------
ADAM = {"learning_rate": 0.01, "epochs": 100, "batch_size": 100, "seed": 0}  # two mini-batches per epoch


def adam_reference(X, Y, layer_dims, learning_rate, epochs, batch_size, seed):
    """Adam written out the obvious way: one counter t for the whole run. The cost J after each epoch.

    The same initialisation (He, from seed), the same shuffles (one Generator from seed) and the same
    steps as ``train_with(..., "adam")``, so a correct training loop must reproduce these numbers.
    """
    parameters = initialize_parameters(layer_dims, seed=seed)
    v, s = optim.initialize_adam(parameters)
    rng, t, costs = np.random.default_rng(seed), 0, []
    for _ in range(epochs):
        for X_batch, Y_batch in optim.random_mini_batches(X, Y, batch_size, seed=rng):
            t += 1  # t counts every step since the start
            grads = backpropagation(forward_propagation(X_batch, parameters)[1], Y_batch, parameters)
            parameters, v, s = optim.update_parameters_with_adam(parameters, grads, v, s, t, learning_rate)
        costs.append(cost_from_logits(forward_propagation(X, parameters)[1][f"Z{len(layer_dims) - 1}"], Y))
    return costs


def _adam_runs():
    X, Y = moons()
    return [loop(X, Y, DENSE, "adam", **ADAM).costs for loop in (train_with, bugs.train_with_t_restarting)]


def _adam_curves():
    return {"curves": _pair(*_adam_runs()), "ylabel": "training cost J (Adam, 2 batches per epoch)", "log": False}


def largest_relative_gap(costs, reference):
    """max over the epochs of |costs - reference| / reference."""
    costs, reference = np.asarray(costs), np.asarray(reference)
    return float(np.max(np.abs(costs - reference) / reference))


def _adam_catch():
    X, Y = moons()
    reference = adam_reference(X, Y, DENSE, **ADAM)
    gaps = [largest_relative_gap(costs, reference) for costs in _adam_runs()]
    return Catch("against a hand-written loop", "largest relative gap between the learning curves", *gaps, 1e-9)


# 10 -----------------------------------------------------------------------------------------------
def backpropagation_db1_flipped(cache, Y, parameters, lambd=0.0, penalty="l2"):
    """The course's backpropagation with the sign of db1 flipped: a wrong gradient for a checker to catch."""
    grads = backpropagation(cache, Y, parameters, lambd, penalty)
    return {**grads, "db1": -grads["db1"]}


def _checker_curves():
    X, Y = moons()
    correct, _ = train_dense(X, Y, DENSE, epochs=400)
    flipped, _ = train_dense(X, Y, DENSE, epochs=400, backward=backpropagation_db1_flipped)
    return {"curves": {"the course's backpropagation": correct["cost"],
                       "db1 with the wrong sign (passed by the bug)": flipped["cost"]},
            "ylabel": "training cost J", "log": False}


def flipped_db1_pair():
    """(analytic, numerical): the flipped backpropagation's db1 and central differences of J, on the moons."""
    X, Y = moons()
    parameters = initialize_parameters(DENSE, seed=0)
    parameters = {k: v + (0.1 if k[0] == "b" else 0) for k, v in parameters.items()}
    analytic = backpropagation_db1_flipped(forward_propagation(X, parameters)[1], Y, parameters)["db1"]
    b1 = parameters["b1"].copy()

    def cost(_):
        return cost_from_logits(forward_propagation(X, {**parameters, "b1": b1})[1]["Z3"], Y)

    numerical, _ = _central_differences(cost, b1, 1e-5)
    return analytic, numerical


def _checker_catch():
    analytic, numerical = flipped_db1_pair()
    errors = [judge(analytic, numerical) for judge in (course_relative_error, bugs.relative_error_of_norms)]
    return Catch("test the tester: a known-wrong gradient", "relative error it reports", *errors, 1e-7,
                 bad_side="below")


# 11 -----------------------------------------------------------------------------------------------
def _log_zero_curves():
    X, Y = moons()

    def naive_cost(p):
        AL, _ = forward_propagation(X, p)
        with np.errstate(divide="ignore", invalid="ignore"):
            return bugs.binary_cross_entropy_naive(AL, Y)

    run, _ = train_dense(X, Y, DENSE, learning_rate=2.0, epochs=1000, measures={"naive": naive_cost})
    return {"curves": {"cost from the logits (6.1)": run["cost"], "the bug: log(AL), log(1 - AL)": run["naive"]},
            "ylabel": "training cost J", "log": True}


def _log_zero_catch():
    z, y = np.array([[40.0]]), np.array([[1.0]])
    AL = 1 / (1 + np.exp(-z))  # rounds to exactly 1.0
    exact = float(np.log1p(np.exp(-40.0)))  # (6.1): the true cost of this confident right answer
    with np.errstate(divide="ignore", invalid="ignore"):
        gaps = [abs(cost(AL, y) - exact) for cost in (binary_cross_entropy, bugs.binary_cross_entropy_naive)]
    return Catch("a saturated output (z = 40, y = 1)", "error of the cost", *gaps, 1e-12)


# ----------------------------------------------------------------------------------------------
# The scenes, in the notebook's order
# ----------------------------------------------------------------------------------------------
SCENES = {scene.title: scene for scene in (
    Scene("1. the hidden bias lost to a line break", bugs.forward_propagation_without_hidden_bias,
          "gradient check", "the cost falls, only to a higher floor",
          _hidden_bias_curves, _hidden_bias_catch),
    Scene("2. W updated twice, b never", bugs.update_parameters_w_twice_b_never, "check_update_step",
          "the cost falls, at first even faster", _w_twice_curves, _w_twice_catch),
    Scene("3. a split that leaks", bugs.train_test_split_leaky, "leak check",
          "the test cost is better than ever", _leak_curves, _leak_catch),
    Scene('4. an "accuracy" that is the error rate', bugs.accuracy_error_rate, "sanity check",
          "a smooth falling curve, like a cost", _accuracy_curves, _accuracy_catch),
    Scene("5. average pooling that mixes channels", bugs.pool_forward_mixing_channels, "one channel at a time",
          "the CNN learns, only slower", lambda: _pool_curves("average", bugs.pool_forward_mixing_channels,
                                                                conv.pool_backward), _mixing_catch),
    Scene("6. max pooling that pays every tie", bugs.pool_backward_all_ties, "gradient check",
          "the CNN's curve is almost the correct one", lambda: _pool_curves("max", conv.pool_forward,
                                                                           bugs.pool_backward_all_ties), _ties_catch),
    Scene("7. a softmax shifted by the mean", bugs.softmax_mean_shift, "extreme inputs",
          "the same curve, to the last digits", _softmax_curves, _softmax_catch),
    Scene("8. LSTM initial-state gradients m times too large", bugs.lstm_backward_state_m_times,
          "gradient check", "the correct curve, bit for bit", _lstm_curves, _lstm_catch),
    Scene("9. Adam's step counter restarted every epoch", bugs.train_with_t_restarting,
          "comparison with a reference loop", "smooth, a little off, nearly the same end",
          _adam_curves, _adam_catch),
    Scene("10. a gradient checker that compares norms", bugs.relative_error_of_norms, "test the tester",
          "a network with a sign error still learns, and the checker passes it", _checker_curves,
          _checker_catch),
    Scene("11. a cross-entropy that takes log(0)", bugs.binary_cross_entropy_naive, "saturated outputs",
          "perfect for hundreds of epochs, then NaN", _log_zero_curves, _log_zero_catch),
)}
TITLES = tuple(SCENES)


# ----------------------------------------------------------------------------------------------
# The widget
# ----------------------------------------------------------------------------------------------
def _shown_text(value):
    if not np.isfinite(value):
        return "NaN" if np.isnan(value) else "inf"
    return "0" if value == 0 else f"{value:.2g}"


def draw_catch(catch, ax):
    """Bars of the measured number for the correct code and the bug, with the check's threshold."""
    values = [catch.correct, catch.buggy]
    finite = [abs(v) for v in values + [catch.threshold] if np.isfinite(v) and v != 0]
    log = max(finite) / min(finite) > 100
    floor = min(finite) / 30 if log else 0.0
    top = max(finite) * (30 if log else 1.3)
    drawn = [floor if v == 0 else (top if not np.isfinite(v) else abs(v)) for v in values]
    colours = ["tab:red" if catch.fails(v) else "tab:green" for v in values]
    ax.barh([1, 0], drawn, color=colours, height=0.5, left=floor if log else 0)
    ax.axvline(catch.threshold, color="black", linestyle="--", linewidth=1)
    ax.set_yticks([1, 0], [CORRECT, BUGGY])
    ax.set_ylim(-0.6, 1.9)
    if log:
        ax.set_xscale("log")
    ax.set_xlim(floor if log else 0, top * (3 if log else 1.15))
    for y, value in zip([1, 0], values, strict=True):
        verdict = "fails" if catch.fails(value) else "passes"
        ax.text(0.98, y + 0.33, f"{_shown_text(value)}: {verdict}", transform=ax.get_yaxis_transform(),
                ha="right", va="center", fontsize=9)
    ax.text(catch.threshold, 1.7, f" threshold {_shown_text(catch.threshold)}", fontsize=8, va="center")
    side = "above" if catch.bad_side == "above" else "below"
    ax.set_title(f"{catch.tool}\n{catch.measure} ({side} the threshold fails)", fontsize=9)


def bug_hunt(bug=TITLES[0], run_check=False, shown=100):
    """The widget's function: the chosen scene's learning curves and, if asked, its check.

    bug: one of TITLES. run_check: also run and draw the check that catches it. shown: the
    percentage of the run to draw (a short run can hide a bug that a long one shows).
    Returns a dict: "scene", "curves" (the scene's curves), "shown_steps", "catch" (a Catch or
    None) and "figure".
    """
    import matplotlib.pyplot as plt

    scene = SCENES[bug]
    curves = scene.curves()
    steps = max(len(values) for values in curves["curves"].values())
    shown_steps = max(2, int(round(steps * shown / 100)))
    catch = scene.catch() if run_check else None
    fig, (ax_curve, ax_check) = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [1.3, 1]})
    styles = [("tab:blue", "-"), ("tab:red", "--"), ("tab:cyan", "-"), ("tab:orange", "--")]
    for (label, values), (colour, style) in zip(curves["curves"].items(), styles, strict=False):
        values = np.asarray(values[:shown_steps], dtype=float)
        ax_curve.plot(np.arange(1, values.size + 1), values, style, color=colour, label=label, linewidth=1.5)
        if np.isnan(values).any():
            first = int(np.argmax(np.isnan(values)))
            ax_curve.axvline(first + 1, color=colour, linestyle=":", linewidth=1)
            ax_curve.text(first + 1, 0.5, "  NaN from here", color=colour, transform=ax_curve.get_xaxis_transform(),
                          fontsize=8)
    if curves["log"]:
        ax_curve.set_yscale("log")
    ax_curve.set_xlabel(curves.get("xlabel", "epoch"))
    ax_curve.set_ylabel(curves["ylabel"])
    ax_curve.legend(fontsize=8)
    ax_curve.set_title(f"{scene.title}\nwhat you would see: {scene.hides}", fontsize=9)
    if catch is None:
        ax_check.text(0.5, 0.5, f"Does anything look wrong?\n\nTick 'run the check' to see what\n"
                                f"the {scene.tool} measures.", ha="center", va="center", fontsize=10,
                      transform=ax_check.transAxes)
        ax_check.set_axis_off()
    else:
        draw_catch(catch, ax_check)
    fig.tight_layout()
    plt.show()
    return {"scene": scene, "curves": curves, "shown_steps": shown_steps, "catch": catch, "figure": fig}


def make_bug_hunt():
    """A bug picker, a "run the check" box and a slider for how much of the run to show, on ``bug_hunt``."""
    import ipywidgets as widgets

    style, layout = {"description_width": "11em"}, widgets.Layout(width="600px")
    return widgets.interactive(
        bug_hunt,
        bug=widgets.Dropdown(options=TITLES, value=TITLES[0], description="the bug", style=style, layout=layout),
        run_check=widgets.Checkbox(value=False, description="run the check that catches it", style=style,
                                   layout=layout),
        shown=widgets.IntSlider(value=100, min=5, max=100, step=5, description="% of the run shown",
                                continuous_update=False, style=style, layout=layout),
    )
