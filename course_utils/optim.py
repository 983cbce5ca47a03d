"""Optimisers (notebook 07): mini-batches, momentum, Nesterov, learning-rate decay, Adagrad, RMSProp, Adam.

Every optimiser here works on *any* dictionary of parameters, not only the dense network's
{"W1", "b1", ...}: a parameter called ``name`` (an array of any shape: a 4-D convolution filter, an
RNN's "Waa", ...) has its gradient in ``grads["d" + name]``, and every running average the
optimiser keeps is a dictionary keyed like the gradients ("dW1", "db1", ...). Extra keys in
``grads`` (backpropagation also returns "dZ1", "dA1", ...) are ignored.

The equations, each written once below (g is a parameter's gradient, alpha the learning rate):

    mini-batch gradient     g_B = (1/B) sum_{i in batch} grad loss(i)                         (7.1)
    running average (EWMA)  v_t = beta v_{t-1} + (1 - beta) x_t,  v_0 = 0                     (7.2)
    bias correction         v_hat_t = v_t / (1 - beta^t)                                        (7.3)
    momentum                v = beta v + (1 - beta) g ;  theta = theta - alpha v                (7.4)
    Nesterov look-ahead     theta_ahead = theta - alpha beta v, then (7.4) with g at theta_ahead (7.6)
    learning-rate decay     alpha_t = alpha_0 / (1 + k t),  alpha_0 gamma^t,  alpha_0 gamma^floor(t/T) (7.7)
    Adagrad                 G = G + g*g ;  theta = theta - alpha g / (sqrt(G) + eps)            (7.8)
    RMSProp                 s = beta s + (1 - beta) g*g ;  theta = theta - alpha g / (sqrt(s) + eps) (7.9)
    Adam                    v, s as (7.2) with beta1, beta2; bias-corrected (7.3) with t;
                            theta = theta - alpha v_hat / (sqrt(s_hat) + eps)                   (7.10)
((7.5), momentum without the (1 - beta), is derived in notebook 07 and is not a function here.)

All functions are pure: they return new dictionaries and never modify the ones they are given.
Adam's t counts the steps taken so far, *including* this one (t = 1 on the first step), over the
whole of training: it must never restart at an epoch boundary.
"""

import numbers

import numpy as np

from ._validation import check_finite, check_positive_int, check_positive_number

OPTIMIZERS = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")


# ----------------------------------------------------------------------------------------------
# Input checks (the public functions check, then call the unchecked internals that training shares)
# ----------------------------------------------------------------------------------------------
def _check_parameters(parameters):
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters must be a dict of arrays like {{'W1': ..., 'b1': ...}}, "
                        f"got {type(parameters).__name__}")
    if not parameters:
        raise ValueError("parameters is empty; it needs at least one array to update")
    for name, value in parameters.items():
        if not isinstance(name, str):
            raise TypeError(f"parameters' keys must be names (strings), got {name!r}")
        if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
            got = f"an array of dtype {value.dtype}" if isinstance(value, np.ndarray) else type(value).__name__
            raise TypeError(f"parameters[{name!r}] must be a float numpy array, got {got}")
        check_finite(value, f"parameters[{name!r}]")


def _check_like_gradients(d, parameters, d_name, meaning, non_negative=False):
    """d must hold "d" + name for every parameter, shaped like it and finite (extra keys are ignored)."""
    if not isinstance(d, dict):
        raise TypeError(f"{d_name} must be a dict keyed like the gradients ({{'dW1': ..., 'db1': ...}}), "
                        f"got {type(d).__name__}")
    for name, theta in parameters.items():
        key = "d" + name
        if key not in d:
            raise ValueError(f"{d_name} is missing {key!r}, {meaning} of parameters[{name!r}]; it needs a key "
                             f"'d' + name for every parameter ({', '.join(repr('d' + n) for n in parameters)})")
        value = d[key]
        if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
            got = f"an array of dtype {value.dtype}" if isinstance(value, np.ndarray) else type(value).__name__
            raise TypeError(f"{d_name}[{key!r}] must be a float numpy array, got {got}")
        if value.shape != theta.shape:
            raise ValueError(f"{d_name}[{key!r}] has shape {value.shape} but parameters[{name!r}] has shape "
                             f"{theta.shape}; they must match")
        check_finite(value, f"{d_name}[{key!r}]")
        if non_negative and (value < 0).any():
            raise ValueError(f"{d_name}[{key!r}] has negative entries; it is a running sum or average of "
                             "squared gradients, so it is >= 0 (were v and s swapped?)")


def _check_squarable(grads, parameters):
    """Squaring a gradient must not overflow: |g| < sqrt(largest float), about 1.3e154 in float64."""
    for name in parameters:
        g = grads["d" + name]
        limit = np.sqrt(np.finfo(g.dtype).max)
        if g.size and np.abs(g).max() >= limit:
            raise ValueError(f"grads['d{name}'] has an entry of size {np.abs(g).max():.3g}, too large to square "
                             f"(limit {limit:.2g}): the training has diverged; lower the learning rate")


def _check_beta(beta, name="beta"):
    if isinstance(beta, bool) or not isinstance(beta, numbers.Real):
        raise TypeError(f"{name} must be a number in [0, 1), got {type(beta).__name__}")
    if not (0 <= beta < 1):
        raise ValueError(f"{name} must be in [0, 1) (the weight of the old average), got {beta}")
    return float(beta)


def _check_step(t):
    if isinstance(t, bool) or not isinstance(t, numbers.Integral):
        raise TypeError(f"t must be an integer (the number of steps taken so far, counting this one), "
                        f"got {type(t).__name__}")
    if t < 1:
        raise ValueError(f"t must be >= 1: it counts the steps taken so far including this one, so the first "
                         f"step has t = 1 (1 - beta^0 = 0 would divide by zero), got {t}")
    return int(t)


def _zeros_like(parameters):
    """{"d" + name: zeros shaped like parameters[name]} (a fresh running average or sum)."""
    _check_parameters(parameters)
    return {"d" + name: np.zeros_like(theta) for name, theta in parameters.items()}


# ----------------------------------------------------------------------------------------------
# Mini-batches (7.1)
# ----------------------------------------------------------------------------------------------
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the examples (columns) of X and Y together and cut them into mini-batches. (7.1)

    X: n_0 x m. Y: n_L x m (the same m). mini_batch_size: B, an int >= 1 (larger than m gives one
    batch of all m). seed: seeds ``np.random.default_rng``, so the same seed gives the same batches
    (a numpy Generator is used as it is: a training loop passes its own, for a new shuffle each epoch).
    Returns a list of (X_batch, Y_batch): n_0 x B and n_L x B, column j of X_batch still paired with
    column j of Y_batch. Every column appears in exactly one batch; the last batch holds the
    m mod B left-over columns when B does not divide m. One shuffle, then consecutive slices (views).
    """
    for value, name in ((X, "X"), (Y, "Y")):
        if not isinstance(value, np.ndarray) or value.ndim != 2:
            got = f"{value.ndim}-D with shape {value.shape}" if isinstance(value, np.ndarray) else type(value).__name__
            raise ValueError(f"{name} must be a 2-D numpy array (one column per example), got {got}")
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"X has {X.shape[1]} examples (columns) but Y has {Y.shape[1]}; they must match")
    if X.shape[1] == 0:
        raise ValueError("X has no examples (0 columns)")
    B = check_positive_int(mini_batch_size, "mini_batch_size")
    m = X.shape[1]
    order = np.random.default_rng(seed).permutation(m)
    X_shuffled, Y_shuffled = np.take(X, order, axis=1), np.take(Y, order, axis=1)  # one order: pairs stay paired
    return [(X_shuffled[:, start:start + B], Y_shuffled[:, start:start + B]) for start in range(0, m, B)]


# ----------------------------------------------------------------------------------------------
# The shared pieces: a running average (7.2), its bias correction (7.3), a step scaled by sqrt (7.8)-(7.10)
# ----------------------------------------------------------------------------------------------
def _ewma(average, x, beta):
    """One step of the exponentially weighted moving average: beta * average + (1 - beta) * x. (7.2)"""
    return beta * average + (1 - beta) * x


def _bias_corrected(average, beta, t):
    """The running average divided by 1 - beta^t, the total weight its terms carry. (7.3)"""
    return average / (1 - beta ** t)


def _scaled_step(theta, direction, squares, alpha, epsilon):
    """theta - alpha * direction / (sqrt(squares) + epsilon): epsilon outside the root. (7.8)-(7.10)"""
    return theta - alpha * direction / (np.sqrt(squares) + epsilon)


# ----------------------------------------------------------------------------------------------
# Momentum (7.4) and Nesterov (7.6)
# ----------------------------------------------------------------------------------------------
def initialize_velocity(parameters):
    """The velocity v of momentum, all zeros: {"d" + name: zeros shaped like parameters[name]}. (7.4)

    parameters: a dict of float arrays of any shapes, e.g. {"W1": n_1 x n_0, "b1": n_1 x 1, ...}.
    Returns {"dW1": zeros like W1, "db1": zeros like b1, ...}.
    """
    return _zeros_like(parameters)


def _momentum(parameters, grads, v, beta, alpha):
    new_parameters, new_v = {}, {}
    for name, theta in parameters.items():
        key = "d" + name
        new_v[key] = _ewma(v[key], grads[key], beta)  # (7.4), a running average (7.2) of the gradients
        new_parameters[name] = theta - alpha * new_v[key]
    return new_parameters, new_v


def update_parameters_with_momentum(parameters, grads, v, beta=0.9, learning_rate=0.01):
    """One step of gradient descent with momentum. Equation (7.4).

        v[dθ] = beta v[dθ] + (1 - beta) dθ        θ = θ - learning_rate v[dθ]      for every parameter θ

    parameters: {name: array of any shape}. grads: holds "d" + name for each (same shapes; other
    keys are ignored). v: the velocities, keyed like grads (``initialize_velocity``). beta: in [0, 1)
    (0 is plain gradient descent). learning_rate: > 0.
    Returns (parameters, v), both new dicts; the inputs are left untouched.
    """
    _check_parameters(parameters)
    _check_like_gradients(grads, parameters, "grads", "the gradient")
    _check_like_gradients(v, parameters, "v", "the velocity")
    beta = _check_beta(beta)
    alpha = check_positive_number(learning_rate, "learning_rate")
    return _momentum(parameters, grads, v, beta, alpha)


def _nesterov_lookahead(parameters, v, beta, alpha):
    return {name: theta - alpha * beta * v["d" + name] for name, theta in parameters.items()}


def nesterov_lookahead(parameters, v, beta=0.9, learning_rate=0.01):
    """Where momentum is about to carry the parameters: θ_ahead = θ - learning_rate beta v[dθ]. (7.6)

    Nesterov's method evaluates the gradient there, not at θ, and then takes the momentum step
    (7.4) from θ with that gradient:
        ahead = nesterov_lookahead(parameters, v, beta, learning_rate)
        grads = <the gradients at ahead>
        parameters, v = update_parameters_with_momentum(parameters, grads, v, beta, learning_rate)
    The look-ahead includes the learning rate: v is in units of a gradient, learning_rate * v in
    units of the parameters (the step that momentum alone would take is learning_rate * beta * v).
    parameters: {name: array}. v: velocities keyed "d" + name. Returns a new dict shaped like parameters.
    """
    _check_parameters(parameters)
    _check_like_gradients(v, parameters, "v", "the velocity")
    beta = _check_beta(beta)
    alpha = check_positive_number(learning_rate, "learning_rate")
    return _nesterov_lookahead(parameters, v, beta, alpha)


# ----------------------------------------------------------------------------------------------
# Learning-rate decay (7.7)
# ----------------------------------------------------------------------------------------------
def _check_decay_arguments(learning_rate0, epoch):
    alpha0 = check_positive_number(learning_rate0, "learning_rate0")
    if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or epoch < 0:
        raise ValueError(f"epoch must be an integer >= 0 (epochs finished so far), got {epoch!r}")
    return alpha0, int(epoch)


def inverse_time_decay(learning_rate0, epoch, decay_rate):
    """alpha = learning_rate0 / (1 + decay_rate * epoch). Equation (7.7).

    learning_rate0: alpha_0 > 0. epoch: int >= 0. decay_rate: k >= 0 (0 keeps alpha constant).
    Returns a float. The sum of these rates grows without bound while the sum of their squares
    does not, which is what lets SGD settle at the minimum instead of jittering around it.
    """
    alpha0, epoch = _check_decay_arguments(learning_rate0, epoch)
    if isinstance(decay_rate, bool) or not isinstance(decay_rate, numbers.Real) or not decay_rate >= 0:
        raise ValueError(f"decay_rate must be a number >= 0, got {decay_rate!r}")
    return alpha0 / (1 + decay_rate * epoch)


def exponential_decay(learning_rate0, epoch, decay_rate):
    """alpha = learning_rate0 * decay_rate ** epoch. Equation (7.7).

    learning_rate0: alpha_0 > 0. epoch: int >= 0. decay_rate: gamma in (0, 1] (1 keeps alpha constant).
    Returns a float.
    """
    alpha0, epoch = _check_decay_arguments(learning_rate0, epoch)
    if isinstance(decay_rate, bool) or not isinstance(decay_rate, numbers.Real) or not (0 < decay_rate <= 1):
        raise ValueError(f"decay_rate must be in (0, 1] (the factor per epoch), got {decay_rate!r}")
    return alpha0 * decay_rate ** epoch


def step_decay(learning_rate0, epoch, decay_rate, time_interval=10):
    """alpha = learning_rate0 * decay_rate ** floor(epoch / time_interval). Equation (7.7).

    The exponential schedule applied once every ``time_interval`` epochs (an int >= 1): alpha
    stays constant for time_interval epochs, then drops by the factor decay_rate in (0, 1].
    Returns a float.
    """
    _, epoch = _check_decay_arguments(learning_rate0, epoch)
    time_interval = check_positive_int(time_interval, "time_interval")
    return exponential_decay(learning_rate0, epoch // time_interval, decay_rate)


# ----------------------------------------------------------------------------------------------
# Adagrad (7.8), RMSProp (7.9), Adam (7.10)
# ----------------------------------------------------------------------------------------------
def initialize_adagrad(parameters):
    """Adagrad's running sums of squared gradients G, all zeros, keyed "d" + name. (7.8)"""
    return _zeros_like(parameters)


def _adagrad(parameters, grads, G, alpha, epsilon):
    new_parameters, new_G = {}, {}
    for name, theta in parameters.items():
        key = "d" + name
        g = grads[key]
        new_G[key] = G[key] + g * g  # (7.8): the sum includes the current gradient
        new_parameters[name] = _scaled_step(theta, g, new_G[key], alpha, epsilon)
    return new_parameters, new_G


def update_parameters_with_adagrad(parameters, grads, G, learning_rate=0.01, epsilon=1e-8):
    """One step of Adagrad. Equation (7.8).

        G[dθ] = G[dθ] + dθ * dθ                θ = θ - learning_rate dθ / (sqrt(G[dθ]) + epsilon)

    Each entry's step is divided by the root of the sum of its squared gradients so far, the
    current one included (the root-sum-square): for a constant gradient the step is about
    learning_rate / sqrt(t) after t steps.
    parameters: {name: array}. grads: "d" + name for each. G: keyed like grads (``initialize_adagrad``).
    learning_rate, epsilon: > 0. Returns (parameters, G), new dicts.
    """
    _check_parameters(parameters)
    _check_like_gradients(grads, parameters, "grads", "the gradient")
    _check_like_gradients(G, parameters, "G", "the sum of squared gradients", non_negative=True)
    _check_squarable(grads, parameters)
    alpha = check_positive_number(learning_rate, "learning_rate")
    epsilon = check_positive_number(epsilon, "epsilon")
    return _adagrad(parameters, grads, G, alpha, epsilon)


def initialize_rmsprop(parameters):
    """RMSProp's running averages s of squared gradients, all zeros, keyed "d" + name. (7.9)"""
    return _zeros_like(parameters)


def _rmsprop(parameters, grads, s, beta, alpha, epsilon):
    new_parameters, new_s = {}, {}
    for name, theta in parameters.items():
        key = "d" + name
        g = grads[key]
        new_s[key] = _ewma(s[key], g * g, beta)  # (7.9), a running average (7.2) of g^2
        new_parameters[name] = _scaled_step(theta, g, new_s[key], alpha, epsilon)
    return new_parameters, new_s


def update_parameters_with_rmsprop(parameters, grads, s, beta=0.9, learning_rate=0.01, epsilon=1e-8):
    """One step of RMSProp. Equation (7.9).

        s[dθ] = beta s[dθ] + (1 - beta) dθ * dθ      θ = θ - learning_rate dθ / (sqrt(s[dθ]) + epsilon)

    parameters: {name: array}. grads: "d" + name for each. s: keyed like grads (``initialize_rmsprop``).
    beta: in [0, 1). learning_rate, epsilon: > 0. Returns (parameters, s), new dicts.
    """
    _check_parameters(parameters)
    _check_like_gradients(grads, parameters, "grads", "the gradient")
    _check_like_gradients(s, parameters, "s", "the running average of squared gradients", non_negative=True)
    _check_squarable(grads, parameters)
    beta = _check_beta(beta)
    alpha = check_positive_number(learning_rate, "learning_rate")
    epsilon = check_positive_number(epsilon, "epsilon")
    return _rmsprop(parameters, grads, s, beta, alpha, epsilon)


def initialize_adam(parameters):
    """Adam's two running averages (v, s), all zeros, each keyed "d" + name. (7.10)

    parameters: {name: array of any shape}. Returns (v, s): v for the gradients, s for their squares.
    """
    return _zeros_like(parameters), _zeros_like(parameters)


def _adam(parameters, grads, v, s, t, alpha, beta1, beta2, epsilon):
    new_parameters, new_v, new_s = {}, {}, {}
    for name, theta in parameters.items():
        key = "d" + name
        g = grads[key]
        new_v[key] = _ewma(v[key], g, beta1)  # first moment (7.2)
        new_s[key] = _ewma(s[key], g * g, beta2)  # uncentred second moment (7.2): g^2, not (g - mean)^2
        v_hat = _bias_corrected(new_v[key], beta1, t)  # (7.3)
        s_hat = _bias_corrected(new_s[key], beta2, t)
        new_parameters[name] = _scaled_step(theta, v_hat, s_hat, alpha, epsilon)  # (7.10)
    return new_parameters, new_v, new_s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    """One step of Adam. Equation (7.10), built from (7.2) and (7.3).

        v[dθ] = beta1 v[dθ] + (1 - beta1) dθ              v_hat = v[dθ] / (1 - beta1^t)
        s[dθ] = beta2 s[dθ] + (1 - beta2) dθ * dθ         s_hat = s[dθ] / (1 - beta2^t)
        θ = θ - learning_rate v_hat / (sqrt(s_hat) + epsilon)          (epsilon outside the root)

    s is the uncentred second moment, a running average of dθ^2 (not a variance).
    parameters: {name: array of any shape}. grads: "d" + name for each (same shapes; other keys are
    ignored). v, s: keyed like grads (``initialize_adam``). t: the number of steps taken so far,
    counting this one (t = 1 on the first step; it keeps counting across epochs). beta1, beta2: in
    [0, 1). learning_rate, epsilon: > 0.
    Returns (parameters, v, s), new dicts; the inputs are left untouched.
    """
    _check_parameters(parameters)
    _check_like_gradients(grads, parameters, "grads", "the gradient")
    _check_like_gradients(v, parameters, "v", "the running average of the gradient")
    _check_like_gradients(s, parameters, "s", "the running average of the squared gradient", non_negative=True)
    _check_squarable(grads, parameters)
    t = _check_step(t)
    alpha = check_positive_number(learning_rate, "learning_rate")
    beta1, beta2 = _check_beta(beta1, "beta1"), _check_beta(beta2, "beta2")
    epsilon = check_positive_number(epsilon, "epsilon")
    return _adam(parameters, grads, v, s, t, alpha, beta1, beta2, epsilon)


# ----------------------------------------------------------------------------------------------
# One interface over all of them, for training loops (train_with) and the optimiser race
# ----------------------------------------------------------------------------------------------
def check_optimizer_settings(optimizer, learning_rate, beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Check an optimiser's name and settings once; return them as a dict for ``_step``.

    optimizer: one of OPTIMIZERS. The settings an optimiser does not use are still checked.
    """
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; expected one of {', '.join(map(repr, OPTIMIZERS))}")
    return {"alpha": check_positive_number(learning_rate, "learning_rate"), "beta": _check_beta(beta),
            "beta1": _check_beta(beta1, "beta1"), "beta2": _check_beta(beta2, "beta2"),
            "epsilon": check_positive_number(epsilon, "epsilon")}


def _gradient_descent(parameters, grads, alpha):
    """theta - alpha dtheta for every parameter (2.6), as ``update_parameters``, for any parameter names."""
    return {name: theta - alpha * grads["d" + name] for name, theta in parameters.items()}


def _initial_state(optimizer, parameters):
    """The running averages the optimiser keeps, all zeros (a dict of dicts keyed like the gradients)."""
    if optimizer in ("momentum", "nesterov"):
        return {"v": initialize_velocity(parameters)}
    if optimizer == "adagrad":
        return {"G": initialize_adagrad(parameters)}
    if optimizer == "rmsprop":
        return {"s": initialize_rmsprop(parameters)}
    if optimizer == "adam":
        v, s = initialize_adam(parameters)
        return {"v": v, "s": s}
    return {}


def _step(optimizer, parameters, gradient_at, state, t, settings):
    """One step of ``optimizer``, without input checks. Returns (parameters, state).

    gradient_at: a function parameters -> grads (Nesterov asks for the gradient at its look-ahead
    point, the others at the parameters themselves). t: the step number, counting this one.
    settings: from ``check_optimizer_settings``.
    """
    alpha, beta, epsilon = settings["alpha"], settings["beta"], settings["epsilon"]
    if optimizer == "gd":
        return _gradient_descent(parameters, gradient_at(parameters), alpha), state
    if optimizer == "momentum":
        parameters, v = _momentum(parameters, gradient_at(parameters), state["v"], beta, alpha)
        return parameters, {"v": v}
    if optimizer == "nesterov":
        grads = gradient_at(_nesterov_lookahead(parameters, state["v"], beta, alpha))  # (7.6)
        parameters, v = _momentum(parameters, grads, state["v"], beta, alpha)
        return parameters, {"v": v}
    if optimizer == "adagrad":
        parameters, G = _adagrad(parameters, gradient_at(parameters), state["G"], alpha, epsilon)
        return parameters, {"G": G}
    if optimizer == "rmsprop":
        parameters, s = _rmsprop(parameters, gradient_at(parameters), state["s"], beta, alpha, epsilon)
        return parameters, {"s": s}
    parameters, v, s = _adam(parameters, gradient_at(parameters), state["v"], state["s"], t, alpha,
                             settings["beta1"], settings["beta2"], epsilon)
    return parameters, {"v": v, "s": s}
