"""Notebook 12's exercises: broadcasting's backward rule, the multiply rule, the LSTM cell backward."""

import numpy as np

from ..autodiff import mul_backward, unbroadcast
from ..rnn import lstm_cell_backward, lstm_cell_forward
from ._core import Exercise, Mistake, register

# (grad's shape, the operand's shape): every way broadcasting stretches or adds axes
_BROADCASTS = [((3, 4), (3, 4)), ((3, 4), (1, 4)), ((3, 4), (3, 1)), ((3, 4), (1, 1)), ((2, 3, 4), (3, 4)),
               ((2, 3, 4), (3, 1)), ((3, 4), (4,)), ((5, 3, 4), (1, 4)), ((2, 5), ())]


# (12.4) unbroadcast --------------------------------------------------------------------------------
def _unbroadcast_cases(rng):
    return [(rng.standard_normal(grad_shape), shape) for grad_shape, shape in _BROADCASTS]


def _unbroadcast_keepdims_lost(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    stretched = tuple(axis for axis, n in enumerate(shape) if n == 1 and grad.shape[axis] != 1)
    return grad.sum(axis=stretched)


def _unbroadcast_leading_kept(grad, shape):
    offset = grad.ndim - len(shape)
    for axis, n in enumerate(shape):
        if n == 1 and grad.shape[axis + offset] != 1:
            grad = grad.sum(axis=axis + offset, keepdims=True)
    return grad


def _unbroadcast_mean(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.mean(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and grad.shape[axis] != 1:
            grad = grad.mean(axis=axis, keepdims=True)
    return grad


register(Exercise(
    name="unbroadcast",
    equation="(12.4)",
    reference=unbroadcast,
    cases=_unbroadcast_cases,
    outputs=("grad",),
    argument_names=("grad", "shape"),
    mistakes=(
        Mistake("lost_keepdims", _unbroadcast_keepdims_lost,
                "the stretched axes were summed away: an operand of shape (1, 4) needs a gradient of shape (1, 4), "
                "so sum those axes with keepdims=True (12.4)."),
        Mistake("leading_axes_not_summed", _unbroadcast_leading_kept,
                "the axes broadcasting added in front are still there: an operand of shape (3, 4) used in a (2, 3, 4) "
                "result was used twice, once per leading entry, so (12.4) sums over the leading axis too."),
        Mistake("mean_instead_of_sum", _unbroadcast_mean,
                "you averaged over the broadcast axes; an entry used k times collects k contributions, so the "
                "fan-out rule (12.1) *adds* them (12.4)."),
    ),
    hint="First sum over axis 0 while grad has more axes than shape; then, for each axis where shape has a 1 and "
         "grad does not, sum over it with keepdims=True.",
))


# (12.3) the multiply gate -----------------------------------------------------------------------
def _mul_cases(rng):
    cases = []
    for out_shape, shape in _BROADCASTS[:-1]:
        x = rng.standard_normal(out_shape)
        y = rng.standard_normal(shape)
        if rng.integers(2):
            x, y = y, x  # the broadcast operand on either side
        cases.append((rng.standard_normal(np.broadcast_shapes(x.shape, y.shape)), x, y))
    return cases


register(Exercise(
    name="mul_backward",
    equation="(12.3), (12.4)",
    reference=mul_backward,
    cases=_mul_cases,
    outputs=("dx", "dy"),
    argument_names=("dout", "x", "y"),
    mistakes=(
        Mistake("not_unbroadcast", lambda dout, x, y: (dout * y, dout * x),
                "a gradient was left in the broadcast shape: each operand's gradient must have the operand's own "
                "shape, so sum it over the axes broadcasting stretched (unbroadcast, (12.4))."),
        Mistake("swapped_operands", lambda dout, x, y: (unbroadcast(dout * x, np.shape(x)),
                                                        unbroadcast(dout * y, np.shape(y))),
                "the operands are swapped: z = x * y moves by y per unit of x, so dx = dz * y and dy = dz * x "
                "(the multiply gate swaps its inputs, (12.3))."),
    ),
    hint="dx = unbroadcast(dout * y, x.shape), dy = unbroadcast(dout * x, y.shape).",
))


# (12.9) the LSTM cell backward -------------------------------------------------------------------
def _lstm_parameters(rng, n_x, n_a, n_y):
    parameters = {}
    for gate in ("f", "i", "c", "o"):
        parameters["W" + gate] = rng.standard_normal((n_a, n_a + n_x)) / np.sqrt(n_a + n_x)
        parameters["b" + gate] = 0.5 * rng.standard_normal((n_a, 1))
    parameters["Wy"], parameters["by"] = rng.standard_normal((n_y, n_a)), rng.standard_normal((n_y, 1))
    return parameters


def _lstm_cases(rng):
    cases = []
    for i in range(8):
        n_x, n_a, n_y = (int(v) for v in rng.integers(2, 5, 3))
        n_x = n_x + 1 if n_x == n_a else n_x
        m = 1 if i == 0 else int(rng.integers(2, 6))
        parameters = _lstm_parameters(rng, n_x, n_a, n_y)
        xt, a_prev, c_prev = (rng.standard_normal((n, m)) for n in (n_x, n_a, n_a))
        *_, cache = lstm_cell_forward(xt, a_prev, c_prev, parameters)
        cases.append((rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m)), cache))
    return cases


def _lstm_backward_with(forget_on_dc_next=False, forget_on_dc_prev=True, times_m=False):
    """The cell's backward pass gate by gate, with one of the classic slips switched on."""
    def wrong(da_next, dc_next, cache):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
        tanh_c = np.tanh(c_next)
        dc = (dc_next * ft if forget_on_dc_next else dc_next) + da_next * ot * (1 - tanh_c ** 2)
        d_pre = {"o": da_next * tanh_c * ot * (1 - ot), "f": dc * c_prev * ft * (1 - ft),
                 "i": dc * cct * it * (1 - it), "c": dc * it * (1 - cct ** 2)}
        concat, m, n_a = np.concatenate([a_prev, xt]), xt.shape[1], a_prev.shape[0]
        scale = m if times_m else 1
        grads, dconcat = {}, 0
        for gate in ("f", "i", "c", "o"):
            grads["dW" + gate] = scale * d_pre[gate] @ concat.T / m
            grads["db" + gate] = scale * d_pre[gate].sum(axis=1, keepdims=True) / m
            dconcat = dconcat + parameters["W" + gate].T @ d_pre[gate]
        return {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft if forget_on_dc_prev else dc,
                **grads}
    return wrong


register(Exercise(
    name="lstm_cell_backward",
    equation="(12.9)",
    reference=lstm_cell_backward,
    cases=_lstm_cases,
    outputs=("gradients",),
    argument_names=("da_next", "dc_next", "cache"),
    mistakes=(
        Mistake("wrong_forget_gate", _lstm_backward_with(forget_on_dc_next=True, forget_on_dc_prev=False),
                "the forget gate of this step multiplied the incoming dc_next; dc_next already went through the "
                "*next* step's forget gate (c<t+1> = f<t+1> * c<t> + ...), and this step's f<t> belongs on the "
                "way out: dc = dc_next + da_next * ot * (1 - tanh(c_next)^2), dc_prev = dc * ft (12.9)."),
        Mistake("missing_dc_prev_forget", _lstm_backward_with(forget_on_dc_prev=False),
                "dc_prev is missing the forget gate: c_next = ft * c_prev + it * cct, so dc_prev = dc * ft (12.9)."),
        Mistake("missing_1_over_m", _lstm_backward_with(times_m=True),
                "the gate weights' and biases' gradients are m times too large: like dW of (5.2), each carries "
                "the 1/m; dxt, da_prev and dc_prev do not."),
    ),
    hint="dc = dc_next + da_next * ot * (1 - tanh(c_next)**2); each gate's pre-activation gradient (do, df, di, "
         "dcc through sigma' = s(1 - s) or tanh' = 1 - t^2); dW_gate = d_gate @ concat.T / m; "
         "[da_prev; dxt] = sum of W_gate.T @ d_gate; dc_prev = dc * ft.",
))
