"""Recurrent layers (notebooks 11 and 12): RNN, GRU and LSTM cells, forward and backward through time.

Layout (deeplearning.ai's): a sequence is x of shape (n_x, m, T_x), one n_x x m slice x<t> =
x[:, :, t] per time step (examples are columns, as everywhere in the course); hidden states are
a of shape (n_a, m, T_x), outputs y of shape (n_y, m, T_x).

    RNN  parameters {"Wax" n_a x n_x, "Waa" n_a x n_a, "ba" n_a x 1, "Wya" n_y x n_a, "by" n_y x 1}
    LSTM parameters {"Wf", "Wi", "Wc", "Wo": n_a x (n_a + n_x) each, acting on [a<t-1>; x<t>],
                     "bf", "bi", "bc", "bo": n_a x 1, "Wy" n_y x n_a, "by" n_y x 1}
    GRU  parameters {"Wu", "Wr", "Wc": n_a x (n_a + n_x), "bu", "br", "bc": n_a x 1}

Equations (notebook 11 derives them, notebook 12 derives the LSTM's backward pass node by node):
    (11.1)  a<t> = tanh(Wax x<t> + Waa a<t-1> + ba)                      the RNN cell
    (11.2)  y<t> = softmax(Wy a<t> + by)                                  the output at step t
    (11.3)  dz = da<t> * (1 - a<t>^2); dWax = (1/m) dz x<t>^T; dWaa = (1/m) dz a<t-1>^T;
            dba = (1/m) sum_i dz; dx<t> = Wax^T dz; da<t-1> = Waa^T dz   the RNN cell backward
    (11.4)  da<t-1> = diag(1 - a<t>^2) Waa ... per example: d a<t> / d a<t-1> = diag(1 - a<t>^2) Waa
    (11.5)  backpropagation through time: the gradient reaching a<t> is the one from outside (da<t>)
            plus the one from step t + 1; the parameter gradients add up over the steps
    (11.7)  clipping by value, (11.8) clipping by (global) norm
    (11.9)  the GRU cell
    (11.10) the LSTM gates f, i, o = sigma(W [a<t-1>; x<t>] + b), c~ = tanh(Wc [a<t-1>; x<t>] + bc)
    (11.11) c<t> = f<t> * c<t-1> + i<t> * c~<t>,  a<t> = o<t> * tanh(c<t>)
    (11.13) the many-to-one model: y = softmax(Wy a<T> + by) on the last state only
    (12.9)  the LSTM cell backward (derived node by node in notebook 12)
    (12.10) the LSTM backward through time, down to a<0> and c<0>

The layer pairs: ``rnn_cell_forward -> (a_next, yt_pred, cache)`` / ``rnn_cell_backward(da_next,
cache)``, ``lstm_cell_forward -> (a_next, c_next, yt_pred, cache)`` / ``lstm_cell_backward(da_next,
dc_next, cache)``; ``rnn_forward``/``rnn_backward`` and ``lstm_forward``/``lstm_backward`` are loops
over them (vectorised over the batch, a loop over time). The linear steps are the course's dense
layer, ``layers._linear_forward``/``_linear_backward``: the LSTM's four gates are computed by one
product with the four gate matrices stacked (the public parameters stay separate).

The 1/m rule: gradients with respect to states and inputs (da_prev, dc_prev, dxt, dx, da0, dc0)
are gradients of the *summed* loss; gradients with respect to parameters (dWax, dWf, dbf, ...)
carry the single 1/m (m = the number of examples, the columns).
"""

import numbers

import numpy as np

from ._validation import as_matrix, check_finite, check_positive_int, check_positive_number
from .activations import _activation_forward
from .layers import _linear_backward, _linear_forward
from .losses import _cost_from_logits, check_labels, compute_cost, output_layer_dZ
from .optim import _adam, initialize_adam

RNN_KEYS = ("Wax", "Waa", "ba", "Wya", "by")
GATES = ("f", "i", "o", "c")  # the order of the stacked gate rows: the three sigmoid gates, then c~
LSTM_KEYS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by")
GRU_KEYS = ("Wu", "bu", "Wr", "br", "Wc", "bc")
OUTPUT_KEYS = {"rnn": ("Wya", "by"), "lstm": ("Wy", "by")}  # the dense output layer of each model


# ----------------------------------------------------------------------------------------------
# Input checks
# ----------------------------------------------------------------------------------------------
def _as_sequence(x, name, n_x=None, finite=True):
    """x as a 3-D float array (n_x, m, T_x), or a clear error."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a numpy array of shape (n_x, m, T_x), got {type(x).__name__}")
    if x.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers, got an array of dtype {x.dtype}")
    if x.ndim != 3:
        raise ValueError(f"{name} must be a 3-D array (n_x, m, T_x): features x examples x time steps, "
                         f"got {x.ndim}-D with shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name} is empty (shape {x.shape}); it needs at least one feature, example and step")
    if n_x is not None and x.shape[0] != n_x:
        raise ValueError(f"{name} has shape {x.shape} but the parameters expect n_x = {n_x} features, "
                         f"so expected ({n_x}, m, T_x)")
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    if finite:
        check_finite(x, name)
    return x


def _check_keys(parameters, keys, name="parameters"):
    if not isinstance(parameters, dict):
        raise TypeError(f"{name} must be a dict with keys {', '.join(keys)}, got {type(parameters).__name__}")
    missing = [key for key in keys if key not in parameters]
    if missing:
        raise ValueError(f"{name} is missing {', '.join(map(repr, missing))} (expected the keys {', '.join(keys)})")


def _matrix(parameters, key, rows, cols, name="parameters"):
    return as_matrix(parameters[key], f"{name}[{key!r}]", rows=rows, cols=cols)


def _check_rnn_parameters(parameters, n_x=None, output=True):
    """Keys and shapes of the RNN parameters; returns (n_x, n_a, n_y)."""
    keys = RNN_KEYS if output else RNN_KEYS[:3]
    _check_keys(parameters, keys)
    Waa = as_matrix(parameters["Waa"], "parameters['Waa']")
    n_a = Waa.shape[0]
    if Waa.shape[1] != n_a:
        raise ValueError(f"parameters['Waa'] must be square (n_a, n_a), got shape {Waa.shape}")
    n_x = _matrix(parameters, "Wax", n_a, n_x).shape[1]
    _matrix(parameters, "ba", n_a, 1)
    n_y = None
    if output:
        n_y = _matrix(parameters, "Wya", None, n_a).shape[0]
        _matrix(parameters, "by", n_y, 1)
    return n_x, n_a, n_y


def _check_gate_parameters(parameters, gates, n_x=None):
    """Keys and shapes of gate matrices W (n_a, n_a + n_x) and biases b (n_a, 1); returns (n_x, n_a)."""
    first = "W" + gates[0]
    W = as_matrix(parameters[first], f"parameters[{first!r}]")
    n_a = W.shape[0]
    if W.shape[1] <= n_a:
        raise ValueError(f"parameters[{first!r}] has shape {W.shape}; a gate matrix acts on [a_prev; xt], "
                         f"so it must be (n_a, n_a + n_x) with n_x >= 1")
    n_x = W.shape[1] - n_a if n_x is None else n_x
    for gate in gates:
        _matrix(parameters, "W" + gate, n_a, n_a + n_x)
        _matrix(parameters, "b" + gate, n_a, 1)
    return n_x, n_a


def _check_lstm_parameters(parameters, n_x=None, output=True):
    """Keys and shapes of the LSTM parameters; returns (n_x, n_a, n_y)."""
    _check_keys(parameters, LSTM_KEYS if output else LSTM_KEYS[:8])
    n_x, n_a = _check_gate_parameters(parameters, ("f", "i", "c", "o"), n_x)
    n_y = None
    if output:
        n_y = _matrix(parameters, "Wy", None, n_a).shape[0]
        _matrix(parameters, "by", n_y, 1)
    return n_x, n_a, n_y


def _check_state(a, name, n_a, m):
    return as_matrix(a, name, rows=n_a, cols=m)


def _check_step(xt, a_prev, n_x, n_a):
    xt = as_matrix(xt, "xt", rows=n_x)
    a_prev = as_matrix(a_prev, "a_prev", rows=n_a, cols=xt.shape[1])
    return xt, a_prev


def _check_cache_tuple(cache, length, what):
    if not (isinstance(cache, tuple) and len(cache) == length):
        raise TypeError(f"cache must be the tuple of {length} items that {what} returns, got "
                        f"{type(cache).__name__}" + (f" of length {len(cache)}" if isinstance(cache, tuple) else ""))


def _check_caches(caches, what):
    """(cell caches, x) from rnn_forward / lstm_forward; returns them."""
    if not (isinstance(caches, tuple) and len(caches) == 2 and isinstance(caches[0], list)):
        raise TypeError(f"caches must be the pair (list of cell caches, x) that {what} returns, "
                        f"got {type(caches).__name__}")
    cell_caches, x = caches
    x = _as_sequence(x, "caches' x", finite=False)
    if len(cell_caches) != x.shape[2]:
        raise ValueError(f"caches holds {len(cell_caches)} cell caches but x has T_x = {x.shape[2]} steps")
    return cell_caches, x


def _check_upstream(da, n_a, m, T_x, name="da"):
    da = _as_sequence(da, name)
    if da.shape != (n_a, m, T_x):
        raise ValueError(f"{name} has shape {da.shape}, expected (n_a, m, T_x) = {(n_a, m, T_x)}")
    return da


# ----------------------------------------------------------------------------------------------
# Initialisation
# ----------------------------------------------------------------------------------------------
def _sizes(**sizes):
    for name, value in sizes.items():
        check_positive_int(value, name)


def initialize_rnn_parameters(n_x, n_a, n_y, seed=0, dtype=np.float64):
    """Random RNN parameters: Wax ~ N(0, 1/n_x), Waa ~ N(0, 1/n_a), Wya ~ N(0, 1/n_a), zero biases.

    Waa's entries have variance 1/n_a, so its spectral radius is close to 1 (the circular law):
    the state neither explodes nor dies at the start of training. Returns {"Wax", "Waa", "ba",
    "Wya", "by"} with the shapes of the module docstring.
    """
    _sizes(n_x=n_x, n_a=n_a, n_y=n_y)
    rng = np.random.default_rng(seed)
    parameters = {
        "Wax": rng.standard_normal((n_a, n_x)) / np.sqrt(n_x),
        "Waa": rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
        "ba": np.zeros((n_a, 1)),
        "Wya": rng.standard_normal((n_y, n_a)) / np.sqrt(n_a),
        "by": np.zeros((n_y, 1)),
    }
    return {key: value.astype(dtype) for key, value in parameters.items()}


def initialize_lstm_parameters(n_x, n_a, n_y, seed=0, forget_bias=1.0, input_bias=0.0, dtype=np.float64):
    """Random LSTM parameters: each gate W ~ N(0, 1/(n_a + n_x)), Wy ~ N(0, 1/n_a).

    The forget gate's bias is bf = forget_bias (1 by default: the gate starts mostly open,
    f = sigma(1) = 0.73, so the cell state carries information from the first steps of
    training), the input gate's bi = input_bias (a negative value starts it mostly closed, so
    the cell is not flooded with every input before it has learned which one to keep); the other
    biases are zero. Returns {"Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by"}.
    """
    _sizes(n_x=n_x, n_a=n_a, n_y=n_y)
    rng = np.random.default_rng(seed)
    parameters = {}
    for gate in ("f", "i", "c", "o"):
        parameters["W" + gate] = rng.standard_normal((n_a, n_a + n_x)) / np.sqrt(n_a + n_x)
        parameters["b" + gate] = np.full((n_a, 1), {"f": float(forget_bias), "i": float(input_bias)}.get(gate, 0.0))
    parameters["Wy"] = rng.standard_normal((n_y, n_a)) / np.sqrt(n_a)
    parameters["by"] = np.zeros((n_y, 1))
    return {key: value.astype(dtype) for key, value in parameters.items()}


def initialize_gru_parameters(n_x, n_a, seed=0, dtype=np.float64):
    """Random GRU parameters: each W ~ N(0, 1/(n_a + n_x)), zero biases. Returns {"Wu", "bu", "Wr", ...}."""
    _sizes(n_x=n_x, n_a=n_a)
    rng = np.random.default_rng(seed)
    parameters = {}
    for gate in ("u", "r", "c"):
        parameters["W" + gate] = rng.standard_normal((n_a, n_a + n_x)) / np.sqrt(n_a + n_x)
        parameters["b" + gate] = np.zeros((n_a, 1))
    return {key: value.astype(dtype) for key, value in parameters.items()}


# ----------------------------------------------------------------------------------------------
# The gates' sigmoid, and the output layer y<t> = softmax(Wy a<t> + by), (11.2)
# ----------------------------------------------------------------------------------------------
def _gate_sigmoid(z):
    """sigma(z) = (1 + tanh(z / 2)) / 2: the sigmoid (1.2) of ``activations.sigmoid``, written with tanh.

    The identity is exact, and tanh never overflows, so this is as safe as the course's stable
    sigmoid for any z; it takes three array operations instead of seven, and a recurrent network
    evaluates its gates at every step (the tests check that the two agree to rounding).
    """
    s = np.tanh(0.5 * z)
    s += 1
    s *= 0.5
    return s


# ----------------------------------------------------------------------------------------------
# The output layer y<t> = softmax(Wy a<t> + by), (11.2)
# ----------------------------------------------------------------------------------------------
def _output_forward(a, Wy, by):
    """softmax(Wy a + by) for a: (n_a, m) or for every step of a: (n_a, m, T_x), as one product."""
    n_a, shape = a.shape[0], a.shape
    logits = _linear_forward(a.reshape(n_a, -1), Wy, by)
    return _activation_forward(logits, "softmax").reshape((Wy.shape[0],) + shape[1:])


# ----------------------------------------------------------------------------------------------
# RNN
# ----------------------------------------------------------------------------------------------
def _rnn_cell_forward(xt, a_prev, parameters):
    """a_next = tanh(Wax xt + Waa a_prev + ba) (11.1), without checks. Returns (a_next, cache)."""
    z = _linear_forward(xt, parameters["Wax"], parameters["ba"]) + parameters["Waa"] @ a_prev
    a_next = np.tanh(z)
    return a_next, (a_next, a_prev, xt, parameters)


def _rnn_cell_backward(da_next, cache):
    """(11.3) without checks: the gradients of one RNN step, given da_next."""
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next * a_next)  # through tanh: tanh'(z) = 1 - tanh(z)^2 = 1 - a_next^2
    dxt, dWax, dba = _linear_backward(dz, xt, parameters["Wax"])  # (5.2)-(5.4) for the input weights
    da_prev, dWaa, _ = _linear_backward(dz, a_prev, parameters["Waa"])  # the same for the recurrent weights
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def rnn_cell_forward(xt, a_prev, parameters):
    """One step of a vanilla RNN. Equations (11.1) and (11.2).

        a_next  = tanh(Wax xt + Waa a_prev + ba)        (11.1)
        yt_pred = softmax(Wya a_next + by)              (11.2)

    xt: n_x x m, the inputs at this step. a_prev: n_a x m, the previous hidden state.
    parameters: {"Wax", "Waa", "ba", "Wya", "by"}.
    Returns (a_next n_a x m, yt_pred n_y x m, cache), cache = (a_next, a_prev, xt, parameters):
    what ``rnn_cell_backward`` needs.
    """
    n_x, n_a, _ = _check_rnn_parameters(parameters)
    xt, a_prev = _check_step(xt, a_prev, n_x, n_a)
    a_next, cache = _rnn_cell_forward(xt, a_prev, parameters)
    return a_next, _output_forward(a_next, parameters["Wya"], parameters["by"]), cache


def rnn_cell_backward(da_next, cache):
    """Gradients of one RNN step, given da_next (the summed loss's gradient w.r.t. a_next). (11.3)

        dz      = da_next * (1 - a_next^2)        tanh' read from the cell's output, not its input
        dxt     = Wax^T dz                        n_x x m      (summed loss)
        da_prev = Waa^T dz                        n_a x m      (summed loss)     (11.4)
        dWax    = (1/m) dz xt^T                   n_a x n_x    (gradient of J)
        dWaa    = (1/m) dz a_prev^T               n_a x n_a    (gradient of J)
        dba     = (1/m) sum over columns of dz    n_a x 1      (gradient of J)

    cache: from ``rnn_cell_forward``. Returns {"dxt", "da_prev", "dWax", "dWaa", "dba"}.
    """
    _check_cache_tuple(cache, 4, "rnn_cell_forward")
    a_next, a_prev, xt, parameters = cache
    n_x, n_a, _ = _check_rnn_parameters(parameters, output=False)
    xt, a_prev = _check_step(xt, a_prev, n_x, n_a)
    a_next = as_matrix(a_next, "cache's a_next", rows=n_a, cols=xt.shape[1])
    da_next = as_matrix(da_next, "da_next", rows=n_a, cols=xt.shape[1])
    return _rnn_cell_backward(da_next, (a_next, a_prev, xt, parameters))


def _rnn_forward(x, a0, parameters):
    """The loop of ``rnn_forward`` without checks and without outputs. Returns (a, caches)."""
    n_a, (_, m, T_x) = a0.shape[0], x.shape
    a = np.empty((n_a, m, T_x), dtype=np.result_type(x, a0, parameters["Waa"]))
    cell_caches = []
    a_next = a0
    for t in range(T_x):
        a_next, cache = _rnn_cell_forward(x[:, :, t], a_next, parameters)  # (11.1)
        a[:, :, t] = a_next
        cell_caches.append(cache)
    return a, (cell_caches, x)


def rnn_forward(x, a0, parameters):
    """Run an RNN over a whole sequence: (11.1) at every step, then (11.2) at every step.

    x: (n_x, m, T_x). a0: n_a x m, the initial hidden state. parameters: {"Wax", "Waa", "ba",
    "Wya", "by"}. Returns (a, y_pred, caches): a (n_a, m, T_x) the hidden states a<1>..a<T_x>,
    y_pred (n_y, m, T_x) the softmax outputs, caches = (list of the T_x cell caches, x).
    """
    n_x, n_a, _ = _check_rnn_parameters(parameters)
    x = _as_sequence(x, "x", n_x)
    a0 = _check_state(a0, "a0", n_a, x.shape[1])
    a, caches = _rnn_forward(x, a0, parameters)
    return a, _output_forward(a, parameters["Wya"], parameters["by"]), caches


def _rnn_backward(da, caches):
    """The loop of ``rnn_backward`` without checks."""
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    parameters = cell_caches[0][3]
    dx = np.empty(x.shape, dtype=np.result_type(x, da))
    grads = {key: np.zeros_like(parameters[key]) for key in ("Wax", "Waa", "ba")}
    da_prev = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(T_x)):
        step = _rnn_cell_backward(da[:, :, t] + da_prev, cell_caches[t])  # (11.5): outside + from step t + 1
        dx[:, :, t], da_prev = step["dxt"], step["da_prev"]
        for key in grads:
            grads[key] = grads[key] + step["d" + key]  # the same weights at every step: contributions add up
    return {"dx": dx, "da0": da_prev, "dWax": grads["Wax"], "dWaa": grads["Waa"], "dba": grads["ba"]}


def rnn_backward(da, caches):
    """Backpropagation through time for the RNN. Equations (11.3)-(11.5).

    da: (n_a, m, T_x), the summed loss's gradient flowing into each a<t> from outside the
    recurrence (from the outputs y<t>, or only into a<T_x> for a many-to-one model).
    caches: from ``rnn_forward``. Walking back from t = T_x to 1, the gradient reaching a<t> is
    da<t> plus the da_prev of step t + 1 (11.5); each step is ``rnn_cell_backward``.
    Returns {"dx" (n_x, m, T_x), "da0" n_a x m, "dWax", "dWaa", "dba"}: dx and da0 are gradients
    of the summed loss, the parameter gradients carry the 1/m and are summed over the steps.
    """
    cell_caches, x = _check_caches(caches, "rnn_forward")
    first = cell_caches[0]
    _check_cache_tuple(first, 4, "rnn_cell_forward")
    _, n_a, _ = _check_rnn_parameters(first[3], n_x=x.shape[0], output=False)
    da = _check_upstream(da, n_a, x.shape[1], x.shape[2])
    return _rnn_backward(da, (cell_caches, x))


# ----------------------------------------------------------------------------------------------
# LSTM
# ----------------------------------------------------------------------------------------------
def _stack_gates(parameters):
    """W (4 n_a, n_a + n_x) and b (4 n_a, 1): the gate parameters stacked in the order of GATES."""
    W = np.concatenate([parameters["W" + gate] for gate in GATES])
    b = np.concatenate([parameters["b" + gate] for gate in GATES])
    return W, b


def _split_gates(stacked, prefix):
    """{prefix + "f": rows of f, ...}: the inverse of _stack_gates for a stacked gradient."""
    n_a = stacked.shape[0] // 4
    return {prefix + gate: stacked[k * n_a:(k + 1) * n_a] for k, gate in enumerate(GATES)}


def _lstm_cell_forward(xt, a_prev, c_prev, W, b, parameters):
    """One LSTM step (11.10), (11.11) without checks; W, b: the stacked gates. Returns (a_next, c_next, cache)."""
    n_a = a_prev.shape[0]
    concat = np.concatenate([a_prev, xt])  # [a_prev; xt], (n_a + n_x) x m
    gates = _linear_forward(concat, W, b)  # the four gates' pre-activations, one product (11.10)
    sigmoid_gates = _gate_sigmoid(gates[:3 * n_a])
    ft, it, ot = sigmoid_gates[:n_a], sigmoid_gates[n_a:2 * n_a], sigmoid_gates[2 * n_a:]
    cct = np.tanh(gates[3 * n_a:])  # the candidate c~<t>
    c_next = ft * c_prev + it * cct  # (11.11)
    a_next = ot * np.tanh(c_next)  # (11.11)
    return a_next, c_next, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


def _lstm_cell_backward(da_next, dc_next, cache, W):
    """(12.9) without checks; W: the stacked gates. Returns (dxt, da_prev, dc_prev, dW, db), dW and db stacked."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, _ = cache
    tanh_c = np.tanh(c_next)
    # a_next = ot * tanh(c_next): two ways back
    do = da_next * tanh_c
    dc = dc_next + da_next * ot * (1 - tanh_c * tanh_c)  # c<t> feeds a<t> and c<t+1>: the two gradients add
    # c_next = ft * c_prev + it * cct
    df, di, dcc = dc * c_prev, dc * cct, dc * it
    dc_prev = dc * ft  # the forget gate of *this* step multiplies c_prev
    # through the gate non-linearities: sigma' = s (1 - s), tanh' = 1 - t^2, from the cached outputs
    dgates = np.concatenate([df * ft * (1 - ft), di * it * (1 - it), do * ot * (1 - ot), dcc * (1 - cct * cct)])
    concat = np.concatenate([a_prev, xt])
    dconcat, dW, db = _linear_backward(dgates, concat, W)  # (5.2)-(5.4) for the stacked gates
    n_a = a_prev.shape[0]
    return dconcat[n_a:], dconcat[:n_a], dc_prev, dW, db


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One LSTM step. Equations (11.10), (11.11), (11.2).

        ft = sigma(Wf [a_prev; xt] + bf)      forget gate        (11.10)
        it = sigma(Wi [a_prev; xt] + bi)      input (update) gate
        ot = sigma(Wo [a_prev; xt] + bo)      output gate
        cct = tanh(Wc [a_prev; xt] + bc)      candidate cell state
        c_next = ft * c_prev + it * cct                          (11.11)
        a_next = ot * tanh(c_next)
        yt_pred = softmax(Wy a_next + by)                        (11.2)

    xt: n_x x m. a_prev, c_prev: n_a x m. parameters: {"Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo",
    "bo", "Wy", "by"}, each gate W of shape n_a x (n_a + n_x).
    Returns (a_next, c_next, yt_pred, cache) with cache = (a_next, c_next, a_prev, c_prev, ft, it,
    cct, ot, xt, parameters), all n_a x m except xt and parameters.
    """
    n_x, n_a, _ = _check_lstm_parameters(parameters)
    xt, a_prev = _check_step(xt, a_prev, n_x, n_a)
    c_prev = _check_state(c_prev, "c_prev", n_a, xt.shape[1])
    W, b = _stack_gates(parameters)
    a_next, c_next, cache = _lstm_cell_forward(xt, a_prev, c_prev, W, b, parameters)
    return a_next, c_next, _output_forward(a_next, parameters["Wy"], parameters["by"]), cache


def lstm_cell_backward(da_next, dc_next, cache):
    """Gradients of one LSTM step. Equation (12.9), derived node by node in notebook 12.

    da_next: n_a x m, the summed loss's gradient w.r.t. a_next (from the output and from step
    t + 1). dc_next: n_a x m, its gradient w.r.t. c_next arriving from step t + 1 (already through
    that step's forget gate). cache: from ``lstm_cell_forward``.

        dc      = dc_next + da_next * ot * (1 - tanh(c_next)^2)   all of c_next's gradient
        dot     = da_next * tanh(c_next) * ot (1 - ot)            (pre-activation gradients)
        dft     = dc * c_prev * ft (1 - ft)
        dit     = dc * cct * it (1 - it)
        dcct    = dc * it * (1 - cct^2)
        dW_gate = (1/m) d_gate [a_prev; xt]^T,  db_gate = (1/m) sum over columns of d_gate
        [da_prev; dxt] = sum over the gates of W_gate^T d_gate
        dc_prev = dc * ft            this step's forget gate: c_next = ft * c_prev + ... (11.12)

    Returns {"dxt", "da_prev", "dc_prev", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"}:
    dxt, da_prev, dc_prev are gradients of the summed loss, the others carry the 1/m.
    """
    _check_cache_tuple(cache, 10, "lstm_cell_forward")
    parameters = cache[9]
    n_x, n_a, _ = _check_lstm_parameters(parameters, output=False)
    xt = as_matrix(cache[8], "cache's xt", rows=n_x)
    m = xt.shape[1]
    cache = tuple(as_matrix(value, f"cache item {k}", rows=n_a, cols=m) for k, value in enumerate(cache[:8])) + (
        xt, parameters)
    da_next = _check_state(da_next, "da_next", n_a, m)
    dc_next = _check_state(dc_next, "dc_next", n_a, m)
    W, _ = _stack_gates(parameters)
    dxt, da_prev, dc_prev, dW, db = _lstm_cell_backward(da_next, dc_next, cache, W)
    return {"dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev, **_gate_gradients(dW, db)}


def _gate_gradients(dW, db):
    """{"dWf", "dbf", "dWi", ...} in the API's order from the stacked dW, db."""
    split = {**_split_gates(dW, "dW"), **_split_gates(db, "db")}
    return {f"d{kind}{gate}": split[f"d{kind}{gate}"] for gate in ("f", "i", "c", "o") for kind in "Wb"}


def _lstm_forward(x, a0, c0, parameters):
    """The loop of ``lstm_forward`` without checks and without outputs. Returns (a, c, caches)."""
    n_a, (_, m, T_x) = a0.shape[0], x.shape
    W, b = _stack_gates(parameters)
    dtype = np.result_type(x, a0, W)
    a, c = np.empty((n_a, m, T_x), dtype=dtype), np.empty((n_a, m, T_x), dtype=dtype)
    cell_caches = []
    a_next, c_next = a0, c0
    for t in range(T_x):
        a_next, c_next, cache = _lstm_cell_forward(x[:, :, t], a_next, c_next, W, b, parameters)
        a[:, :, t], c[:, :, t] = a_next, c_next
        cell_caches.append(cache)
    return a, c, (cell_caches, x)


def lstm_forward(x, a0, parameters, c0=None):
    """Run an LSTM over a whole sequence: (11.10), (11.11) at every step, then (11.2).

    x: (n_x, m, T_x). a0: n_a x m, the initial hidden state. c0: n_a x m, the initial cell state
    (zeros when None, as in the course's API; pass it to differentiate with respect to it).
    parameters: as for ``lstm_cell_forward``.
    Returns (a, y, c, caches): a and c (n_a, m, T_x), y (n_y, m, T_x) the softmax outputs,
    caches = (list of the T_x cell caches, x).
    """
    n_x, n_a, _ = _check_lstm_parameters(parameters)
    x = _as_sequence(x, "x", n_x)
    a0 = _check_state(a0, "a0", n_a, x.shape[1])
    c0 = np.zeros_like(a0) if c0 is None else _check_state(c0, "c0", n_a, x.shape[1])
    a, c, caches = _lstm_forward(x, a0, c0, parameters)
    return a, _output_forward(a, parameters["Wy"], parameters["by"]), c, caches


def _lstm_backward(da, caches):
    """The loop of ``lstm_backward`` without checks."""
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    W, b = _stack_gates(cell_caches[0][9])
    dx = np.empty(x.shape, dtype=np.result_type(x, da))
    dW, db = np.zeros_like(W), np.zeros_like(b)
    da_prev = np.zeros((n_a, m), dtype=da.dtype)
    dc_prev = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(T_x)):
        # (12.10): a<t> gets the gradient from outside plus the one from step t + 1; c<t> only the latter
        dxt, da_prev, dc_prev, dW_t, db_t = _lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, cell_caches[t], W)
        dx[:, :, t] = dxt
        dW, db = dW + dW_t, db + db_t  # the same weights at every step: contributions add up
    return {"dx": dx, "da0": da_prev, "dc0": dc_prev, **_gate_gradients(dW, db)}


def lstm_backward(da, caches):
    """Backpropagation through time for the LSTM. Equations (12.9), (12.10).

    da: (n_a, m, T_x), the summed loss's gradient flowing into each a<t> from outside the
    recurrence. caches: from ``lstm_forward``. From t = T_x down to 1, step t gets
    da_next = da<t> + (da_prev of step t + 1) and dc_next = dc_prev of step t + 1, and is
    ``lstm_cell_backward``.
    Returns {"dx" (n_x, m, T_x), "da0", "dc0" (n_a x m each), "dWf", "dbf", "dWi", "dbi", "dWc",
    "dbc", "dWo", "dbo"}: dx, da0 and dc0 are gradients of the summed loss (not m times larger,
    not m times smaller), the parameter gradients carry the 1/m and are summed over the steps.
    """
    cell_caches, x = _check_caches(caches, "lstm_forward")
    first = cell_caches[0]
    _check_cache_tuple(first, 10, "lstm_cell_forward")
    _, n_a, _ = _check_lstm_parameters(first[9], n_x=x.shape[0], output=False)
    da = _check_upstream(da, n_a, x.shape[1], x.shape[2])
    return _lstm_backward(da, (cell_caches, x))


# ----------------------------------------------------------------------------------------------
# GRU (forward only)
# ----------------------------------------------------------------------------------------------
def _gru_cell_forward(xt, a_prev, parameters):
    concat = np.concatenate([a_prev, xt])
    gamma_u = _gate_sigmoid(_linear_forward(concat, parameters["Wu"], parameters["bu"]))  # update gate
    gamma_r = _gate_sigmoid(_linear_forward(concat, parameters["Wr"], parameters["br"]))  # reset gate
    cct = np.tanh(_linear_forward(np.concatenate([gamma_r * a_prev, xt]), parameters["Wc"], parameters["bc"]))
    a_next = gamma_u * cct + (1 - gamma_u) * a_prev
    return a_next, (a_next, a_prev, xt, gamma_u, gamma_r, cct, parameters)


def gru_cell_forward(xt, a_prev, parameters):
    """One step of a gated recurrent unit (Cho et al. 2014). Equation (11.9).

        gamma_u = sigma(Wu [a_prev; xt] + bu)                 update gate
        gamma_r = sigma(Wr [a_prev; xt] + br)                 reset gate
        cct     = tanh(Wc [gamma_r * a_prev; xt] + bc)        candidate state
        a_next  = gamma_u * cct + (1 - gamma_u) * a_prev

    With gamma_u near 0 the state is copied (d a_next / d a_prev near the identity); the gates are
    learned, so this *mitigates* vanishing gradients without guaranteeing anything.
    xt: n_x x m. a_prev: n_a x m. parameters: {"Wu", "bu", "Wr", "br", "Wc", "bc"}.
    Returns (a_next n_a x m, cache) with cache = (a_next, a_prev, xt, gamma_u, gamma_r, cct, parameters).
    """
    _check_keys(parameters, GRU_KEYS)
    n_x, n_a = _check_gate_parameters(parameters, ("u", "r", "c"))
    xt, a_prev = _check_step(xt, a_prev, n_x, n_a)
    return _gru_cell_forward(xt, a_prev, parameters)


def gru_forward(x, a0, parameters):
    """Run a GRU over a sequence, (11.9) at every step. x: (n_x, m, T_x), a0: n_a x m.

    Returns (a, caches): a (n_a, m, T_x), caches = (list of the cell caches, x).
    """
    _check_keys(parameters, GRU_KEYS)
    n_x, n_a = _check_gate_parameters(parameters, ("u", "r", "c"))
    x = _as_sequence(x, "x", n_x)
    a_next = _check_state(a0, "a0", n_a, x.shape[1])
    a = np.empty((n_a,) + x.shape[1:], dtype=np.result_type(x, a_next, parameters["Wu"]))
    cell_caches = []
    for t in range(x.shape[2]):
        a_next, cache = _gru_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        cell_caches.append(cache)
    return a, (cell_caches, x)


# ----------------------------------------------------------------------------------------------
# Gradient clipping
# ----------------------------------------------------------------------------------------------
def _check_gradients(gradients):
    if not isinstance(gradients, dict) or not gradients:
        raise TypeError("gradients must be a non-empty dict of arrays, like {'dWax': ..., 'dWaa': ...}, got "
                        f"{type(gradients).__name__}" + (" (empty)" if isinstance(gradients, dict) else ""))
    for key, value in gradients.items():
        if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
            raise TypeError(f"gradients[{key!r}] must be a float numpy array, got {type(value).__name__}")
        check_finite(value, f"gradients[{key!r}]")


def global_norm(gradients):
    """sqrt of the sum of the squares of every entry of every array in ``gradients`` (a float). (11.8)"""
    _check_gradients(gradients)
    return _global_norm(gradients)


def _global_norm(gradients):
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in gradients.values())))


def clip_by_value(gradients, max_value):
    """Clip every entry into [-max_value, max_value]. Equation (11.7).

    Entries are clipped one by one, so a large gradient changes *direction* as well as size (the
    small entries keep their values, the large ones are cut). gradients: dict of arrays.
    max_value: a number > 0. Returns a new dict; the arrays passed in are not modified.
    """
    _check_gradients(gradients)
    v = check_positive_number(max_value, "max_value")
    return {key: np.clip(g, -v, v) for key, g in gradients.items()}


def clip_by_norm(gradients, max_norm):
    """Rescale all gradients together so that their global norm is at most max_norm. Equation (11.8).

        g <- g * min(1, max_norm / ||g||),   ||g|| = global_norm(gradients), over every array at once

    One factor for every entry keeps the gradient's *direction*; only its length changes.
    gradients: dict of arrays. max_norm: a number > 0. Returns a new dict (inputs untouched).
    """
    _check_gradients(gradients)
    tau = check_positive_number(max_norm, "max_norm")
    return _clip_by_norm(gradients, tau)


def _clip_by_norm(gradients, tau):
    norm = _global_norm(gradients)
    scale = tau / norm if norm > tau else 1.0
    return {key: g * scale for key, g in gradients.items()}


# ----------------------------------------------------------------------------------------------
# The many-to-one model: a sequence in, one softmax prediction out (11.13)
# ----------------------------------------------------------------------------------------------
def cell_of(parameters):
    """"rnn" or "lstm", from the parameters' keys (a clear error if they are neither)."""
    if isinstance(parameters, dict) and "Waa" in parameters:
        return "rnn"
    if isinstance(parameters, dict) and "Wf" in parameters:
        return "lstm"
    raise ValueError("parameters must be an RNN's {'Wax', 'Waa', 'ba', 'Wya', 'by'} or an LSTM's "
                     "{'Wf', 'bf', ..., 'Wy', 'by'}; found keys "
                     f"{sorted(parameters) if isinstance(parameters, dict) else type(parameters).__name__}")


def _many_to_one_forward(x, parameters, cell):
    """(11.13) without checks: the recurrence from a<0> = 0, then the dense softmax layer on a<T>."""
    a0 = np.zeros((parameters["ba" if cell == "rnn" else "bf"].shape[0], x.shape[1]), dtype=x.dtype)
    if cell == "rnn":
        a, caches = _rnn_forward(x, a0, parameters)
    else:
        a, _, caches = _lstm_forward(x, a0, np.zeros_like(a0), parameters)
    W_key, b_key = OUTPUT_KEYS[cell]
    a_last = a[:, :, -1]
    Z = _linear_forward(a_last, parameters[W_key], parameters[b_key])  # (3.1)
    AL = _activation_forward(Z, "softmax")  # (3.2)
    return AL, {"cell": cell, "caches": caches, "a_last": a_last, "Z": Z, "AL": AL, "parameters": parameters}


def _many_to_one_backward(Y, cache):
    """Gradients of the many-to-one model's cost, without checks: (5.5), (5.2)-(5.4), then BPTT."""
    cell, parameters, a_last = cache["cell"], cache["parameters"], cache["a_last"]
    W_key, b_key = OUTPUT_KEYS[cell]
    dZ = output_layer_dZ(cache["AL"], cache["Z"], Y, "softmax")  # AL - Y (5.5)
    da_last, dW, db = _linear_backward(dZ, a_last, parameters[W_key])  # (5.2)-(5.4)
    cell_caches, x = cache["caches"]
    da = np.zeros(a_last.shape + (x.shape[2],), dtype=da_last.dtype)
    da[:, :, -1] = da_last  # only a<T> feeds the output
    sequence = _rnn_backward(da, cache["caches"]) if cell == "rnn" else _lstm_backward(da, cache["caches"])
    grads = {key: value for key, value in sequence.items() if key not in ("dx", "da0", "dc0")}
    grads["d" + W_key], grads["d" + b_key] = dW, db
    return grads


def _check_many_to_one(x, parameters, Y=None):
    cell = cell_of(parameters)
    n_x, _, n_y = (_check_rnn_parameters if cell == "rnn" else _check_lstm_parameters)(parameters)
    x = _as_sequence(x, "x", n_x)
    if Y is not None:
        Y = as_matrix(Y, "Y", rows=n_y, cols=x.shape[1])
        check_labels(Y, "softmax")
    return cell, x, Y


def many_to_one_forward(x, parameters):
    """Read a whole sequence, predict one label from the last state. Equation (11.13).

        a<t> from (11.1) (RNN) or (11.10)-(11.11) (LSTM), with a<0> = 0 (and c<0> = 0)
        y_hat = softmax(Wy a<T_x> + by)        (Wya for the RNN): the course's dense layer

    x: (n_x, m, T_x). parameters: an RNN's or an LSTM's (the keys tell which).
    Returns (AL, cache): AL n_y x m, the predicted class probabilities; cache for the backward pass.
    """
    cell, x, _ = _check_many_to_one(x, parameters)
    return _many_to_one_forward(x, parameters, cell)


def many_to_one_cost(AL, Y):
    """The categorical cross-entropy (6.2) of the many-to-one model's predictions: see ``compute_cost``."""
    return compute_cost(AL, Y, "softmax")


def many_to_one_backward(Y, cache):
    """Gradients of J = categorical cross-entropy (6.2) of the many-to-one model. Equations (11.13), (11.5).

    The output layer gives dZ = AL - Y (5.5) and, through (5.2)-(5.4), the gradient reaching
    a<T_x>; ``rnn_backward`` / ``lstm_backward`` carry it back through time.
    Y: n_y x m one-hot labels. cache: from ``many_to_one_forward``.
    Returns the gradient of every parameter, keyed "d" + name ("dWax", ..., "dWya", "dby" or
    "dWf", ..., "dWy", "dby"), each with the 1/m.
    """
    if not (isinstance(cache, dict) and {"cell", "caches", "a_last", "Z", "AL", "parameters"} <= set(cache)):
        raise TypeError("cache must be the dict that many_to_one_forward returns")
    Y = as_matrix(Y, "Y", rows=cache["AL"].shape[0], cols=cache["AL"].shape[1])
    check_labels(Y, "softmax")
    return _many_to_one_backward(Y, cache)


def predict_many_to_one(x, parameters):
    """The predicted class of each sequence: the arg-max of the many-to-one model's output, shape (m,)."""
    AL, _ = many_to_one_forward(x, parameters)
    return AL.argmax(axis=0)


def train_many_to_one(x, Y, parameters, learning_rate=0.01, iterations=300, batch_size=64, max_norm=5.0,
                      optimizer="adam", seed=0):
    """Train a many-to-one RNN or LSTM on mini-batches, with clipping by norm.

    Each iteration takes the next batch_size sequences (reshuffled every pass over the data),
    runs ``many_to_one_forward`` and ``many_to_one_backward``, clips the gradients to a global
    norm of at most max_norm (11.8), and steps every parameter with the optimiser: "adam" (7.10),
    from ``course_utils.optim``, or "gd", theta <- theta - alpha dtheta (2.6).
    x: (n_x, m, T_x). Y: n_y x m one-hot. parameters: the starting point (not modified).
    max_norm: None switches clipping off.
    Returns (parameters, costs): the trained parameters and the cost of each iteration's batch
    (from the logits, exact (6.2)), a list of floats.
    """
    cell, x, Y = _check_many_to_one(x, parameters, Y)
    alpha = check_positive_number(learning_rate, "learning_rate")
    iterations = check_positive_int(iterations, "iterations")
    m = x.shape[1]
    batch_size = min(check_positive_int(batch_size, "batch_size"), m)
    tau = None if max_norm is None else check_positive_number(max_norm, "max_norm")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    if optimizer not in ("adam", "gd"):
        raise ValueError(f"unknown optimizer {optimizer!r}; expected 'adam' or 'gd'")
    rng = np.random.default_rng(seed)
    parameters = {key: np.array(value) for key, value in parameters.items()}
    v, s = initialize_adam(parameters)
    costs, start, order = [], m, None
    for t in range(1, iterations + 1):
        if start + batch_size > m:  # a new pass over the data: reshuffle, then take consecutive slices
            order, start = rng.permutation(m), 0
        batch = order[start:start + batch_size]
        start += batch_size
        x_batch, Y_batch = np.take(x, batch, axis=1), np.take(Y, batch, axis=1)
        AL, cache = _many_to_one_forward(x_batch, parameters, cell)
        costs.append(_cost_from_logits(cache["Z"], Y_batch, "softmax"))
        grads = _many_to_one_backward(Y_batch, cache)
        if tau is not None:
            grads = _clip_by_norm(grads, tau)
        if optimizer == "adam":
            parameters, v, s = _adam(parameters, grads, v, s, t, alpha, 0.9, 0.999, 1e-8)  # (7.10)
        else:
            parameters = {key: value - alpha * grads["d" + key] for key, value in parameters.items()}  # (2.6)
    return parameters, costs
