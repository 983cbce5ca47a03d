"""Notebook 10's exercises: the backward passes of convolution, pooling and flatten."""

import numpy as np

from .. import conv
from ._core import Exercise, Mistake, register
from .nb09 import _conv_sizes


# (10.1)-(10.3) the convolution's backward pass --------------------------------------------------------
def _conv_backward_cases(rng):
    cases = []
    for m, n_H, n_W, n_C_prev, n_C, f, stride, pad in _conv_sizes(rng):
        A_prev, W = rng.standard_normal((m, n_H, n_W, n_C_prev)), rng.standard_normal((f, f, n_C_prev, n_C))
        Z, _ = conv.conv_forward(A_prev, W, np.zeros((1, 1, 1, n_C)), stride, pad)
        cases.append((rng.standard_normal(Z.shape), A_prev, W, stride, pad))
    return cases


def _conv_backward(dZ, A_prev, W, stride, pad):
    _, cache = conv.conv_forward(A_prev, W, np.zeros((1, 1, 1, W.shape[3])), stride, pad)
    return conv.conv_backward(dZ, cache)


def _scatter(dZ, A_prev, W, stride, pad, kernel):
    """dA_pad[:, h S + p, w S + q] += dZ . kernel[p, q]^T for every offset (p, q): (10.3) with the padding kept."""
    f, m, (n_H, n_W) = W.shape[0], dZ.shape[0], dZ.shape[1:3]
    dA_pad = np.zeros((m, A_prev.shape[1] + 2 * pad, A_prev.shape[2] + 2 * pad, W.shape[2]))
    for p in range(f):
        for q in range(f):
            dA_pad[:, p:p + stride * n_H:stride, q:q + stride * n_W:stride, :] += dZ @ kernel[p, q].T
    return dA_pad


def _conv_backward_with(dA_prev=None, scale_dW_db=1.0):
    def wrong(dZ, A_prev, W, stride, pad):
        right = _conv_backward(dZ, A_prev, W, stride, pad)
        return (right[0] if dA_prev is None else dA_prev(dZ, A_prev, W, stride, pad),
                right[1] * scale_dW_db if scale_dW_db != 1 else right[1],
                right[2] * scale_dW_db if scale_dW_db != 1 else right[2])
    return wrong


def _crop(dA_pad, pad):
    return dA_pad[:, pad:dA_pad.shape[1] - pad, pad:dA_pad.shape[2] - pad, :]


def _missing_1_over_m(dZ, A_prev, W, stride, pad):
    return _conv_backward_with(scale_dW_db=A_prev.shape[0])(dZ, A_prev, W, stride, pad)


register(Exercise(
    name="conv_backward",
    equation="(10.1)-(10.3)",
    reference=_conv_backward,
    cases=_conv_backward_cases,
    outputs=("dA_prev", "dW", "db"),
    argument_names=("dZ", "A_prev", "W", "stride", "pad"),
    mistakes=(
        Mistake("missing_1_over_m", _missing_1_over_m,
                "dW and db are m times too large: the 1/m of (10.1) and (10.2) is missing (dZ is the gradient of "
                "the summed loss; J is the mean)."),
        Mistake("kernel_not_flipped",
                _conv_backward_with(dA_prev=lambda dZ, A_prev, W, stride, pad: _crop(
                    _scatter(dZ, A_prev, W, stride, pad, W[::-1, ::-1]), pad)),
                "dA_prev used the kernel unflipped: the input at offset (p, q) of a window received its gradient "
                "through W[p, q] (10.3), so written as a full convolution of dZ the kernel is flipped (10.4); a "
                "full cross-correlation with W itself is wrong."),
        Mistake("padding_not_removed",
                _conv_backward_with(dA_prev=lambda dZ, A_prev, W, stride, pad: _scatter(dZ, A_prev, W, stride, pad, W)),
                "dA_prev still has the padding's rows and columns: the zeros are not an input, so drop their "
                "gradient, dA_pad[:, pad:-pad, pad:-pad, :], to get A_prev's shape (10.3)."),
        Mistake("extra_1_over_m",
                _conv_backward_with(dA_prev=lambda dZ, A_prev, W, stride, pad: _conv_backward(
                    dZ, A_prev, W, stride, pad)[0] / A_prev.shape[0]),
                "dA_prev is m times too small: (10.3) has no 1/m. dA_prev, like dZ, is a gradient of the summed "
                "loss; only dW and db carry the 1/m (the 1/m rule)."),
    ),
    hint="For each offset (p, q): dW[p, q] = (1/m) sum over the windows of A_pad at (p, q) times dZ (10.1); "
         "db = (1/m) dZ summed over i, h, w (10.2); dA_pad at (p, q) += dZ . W[p, q]^T, then crop the padding (10.3).",
))


# (10.5), (10.6) pooling's backward pass ---------------------------------------------------------------
def _pool_backward_cases(rng):
    cases = []
    for i, (f, stride) in enumerate([(2, 2), (2, 2), (2, 1), (3, 2), (2, 2), (3, 1), (3, 3), (2, 1)]):
        m, n_C = (1 if i == 0 else int(rng.integers(2, 4))), int(rng.integers(2, 4))
        n_H, n_W = f + stride * int(rng.integers(1, 4)), f + stride * int(rng.integers(1, 4)) + 1
        mode = "average" if i % 3 == 1 else "max"
        # small integers: many windows have tied maxima
        A_prev = rng.integers(0, 3, (m, n_H, n_W, n_C)).astype(float) if mode == "max" else \
            rng.standard_normal((m, n_H, n_W, n_C))
        dA = rng.standard_normal(conv.pool_forward(A_prev, f, stride, mode)[0].shape)
        cases.append((dA, A_prev, f, stride, mode))
    return cases


def _pool_backward(dA, A_prev, f, stride, mode):
    return conv.pool_backward(dA, conv.pool_forward(A_prev, f, stride, mode)[1])


def _pool_backward_with(max_rule=None, average_rule=None):
    """pool_backward with the max or the average rule replaced: rule(window, A, dA) -> that window's share."""
    def wrong(dA, A_prev, f, stride, mode):
        rule = max_rule if mode == "max" else average_rule
        if rule is None:
            return _pool_backward(dA, A_prev, f, stride, mode)
        A = conv.pool_forward(A_prev, f, stride, mode)[0]
        dA_prev = np.zeros_like(A_prev)
        n_H, n_W = dA.shape[1:3]
        for p in range(f):
            for q in range(f):
                window = (slice(None), slice(p, p + stride * n_H, stride), slice(q, q + stride * n_W, stride))
                dA_prev[window] += rule(A_prev[window], A, dA, f)
        return dA_prev
    return wrong


register(Exercise(
    name="pool_backward",
    equation="(10.5), (10.6)",
    reference=_pool_backward,
    cases=_pool_backward_cases,
    outputs=("dA_prev",),
    argument_names=("dA", "A_prev", "f", "stride", "mode"),
    mistakes=(
        Mistake("all_ties_get_gradient", _pool_backward_with(max_rule=lambda seen, A, dA, f: (seen == A) * dA),
                "every tied maximum got the whole gradient, so a window with two equal maxima passes back twice its "
                "dA. The max takes its value from one entry: send dA to ONE arg-max per window, the first in "
                "reading order (10.5)."),
        Mistake("wrong_axis", _pool_backward_with(
                    average_rule=lambda seen, A, dA, f: np.broadcast_to(dA.sum(axis=3, keepdims=True), dA.shape)
                    / (f * f * dA.shape[3])),
                "the gradient was spread over the channels too (the backward pass of an average over axes 1, 2 and "
                "3). Each channel is pooled on its own: dA[i, h, w, c] goes to channel c of its window only, "
                "dA / f^2 to each of the f x f positions (10.6)."),
        Mistake("not_divided_by_window_size", _pool_backward_with(average_rule=lambda seen, A, dA, f: dA),
                "each position of an average window got the whole dA; the average weighs each of its f^2 inputs "
                "by 1/f^2, so each gets dA / f^2 (10.6)."),
    ),
    hint="Loop over the offsets (p, q) of the f x f window. max: the window's first entry equal to its maximum gets "
         "dA (keep a mask of the windows already served); average: every entry gets dA / f^2. Use +=: windows overlap "
         "when stride < f.",
))


# (10.7) flatten's backward pass -----------------------------------------------------------------------
def _flatten_cases(rng):
    cases = []
    for i in range(8):
        m = 1 if i == 0 else int(rng.integers(2, 5))
        shape = (m, int(rng.integers(1, 4)), int(rng.integers(2, 4)), int(rng.integers(2, 4)))
        cases.append((rng.standard_normal((shape[1] * shape[2] * shape[3], m)), shape))
    return cases


register(Exercise(
    name="flatten_backward",
    equation="(10.7)",
    reference=conv.flatten_backward,
    cases=_flatten_cases,
    outputs=("dA",),
    argument_names=("dX", "shape"),
    mistakes=(
        Mistake("missing_transpose", lambda dX, shape: dX.reshape(shape),
                "the examples got mixed up: dX has one column per example, so transpose it first (one row per "
                "example) and then reshape: dX.T.reshape(shape) (10.7)."),
        Mistake("channels_first_order",
                lambda dX, shape: dX.T.reshape(shape[0], shape[3], shape[1], shape[2]).transpose(0, 2, 3, 1),
                "the numbers of each example are in the wrong order: flatten_forward unrolled A[i] row by row with "
                "the channels innermost, A[i].ravel(), so undo exactly that: dX.T.reshape(shape) (10.7)."),
    ),
    hint="flatten_forward made X = A.reshape(m, -1).T; its backward pass undoes it: dA = dX.T.reshape(shape).",
))
