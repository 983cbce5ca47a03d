"""Notebook 09's exercises: zero padding, the convolution's forward pass, pooling."""

import numpy as np

from .. import conv
from ._core import Exercise, Mistake, register


def _conv_sizes(rng, count=10):
    """[(m, n_H, n_W, n_C_prev, n_C, f, stride, pad)]: non-square, m = 1 first, at least 2 x 2 outputs."""
    sizes = []
    while len(sizes) < count:
        m = 1 if not sizes else int(rng.integers(2, 4))
        n_H, n_W = (int(v) for v in rng.integers(4, 9, 2))
        n_C_prev, n_C = (int(v) for v in rng.integers(1, 4, 2))
        f, stride, pad = int(rng.integers(1, 5)), int(rng.integers(1, 3)), int(rng.integers(0, 3))
        if n_H != n_W and min(n_H, n_W) + 2 * pad - f >= stride:
            sizes.append((m, n_H, n_W, n_C_prev, n_C, f, stride, pad))
    return sizes


# (9.1) zero padding ---------------------------------------------------------------------------------
def _pad_cases(rng):
    return [(rng.standard_normal((m, n_H, n_W, n_C)), pad) for m, n_H, n_W, n_C, _, _, _, pad in _conv_sizes(rng, 8)
            if pad > 0] or [(rng.standard_normal((2, 4, 5, 3)), 1)]


register(Exercise(
    name="zero_pad",
    equation="(9.1)",
    reference=conv.zero_pad,
    cases=lambda rng: _pad_cases(rng) + [(rng.standard_normal((1, 3, 4, 2)), 2),
                                         (rng.standard_normal((3, 5, 2, 1)), 1)],
    outputs=("X_pad",),
    argument_names=("X", "pad"),
    mistakes=(
        Mistake("wrong_axis", lambda X, pad: np.pad(X, pad),
                "you padded every axis, the examples and the channels too; only the height and width (axes 1 and "
                "2) get zeros: np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))."),
        Mistake("one_side_only", lambda X, pad: np.pad(X, ((0, 0), (0, pad), (0, pad), (0, 0))),
                "the zeros went on one side only; pad adds pad zeros on *both* sides, so the height grows by 2 pad."),
    ),
    hint="np.pad takes one (before, after) pair per axis: ((0, 0), (pad, pad), (pad, pad), (0, 0)).",
))


# (9.1) the convolution's forward pass ---------------------------------------------------------------
def _conv_cases(rng):
    cases = []
    for m, n_H, n_W, n_C_prev, n_C, f, stride, pad in _conv_sizes(rng):
        cases.append((rng.standard_normal((m, n_H, n_W, n_C_prev)), rng.standard_normal((f, f, n_C_prev, n_C)),
                      rng.standard_normal((1, 1, 1, n_C)), stride, pad))
    return cases


def _conv_forward(A_prev, W, b, stride, pad):
    return conv.conv_forward(A_prev, W, b, stride, pad)[0]


def _conv_without_plus_one(A_prev, W, b, stride, pad):
    """N = floor((n + 2 pad - f) / stride), without the + 1: the last row and column are lost."""
    return _conv_forward(A_prev, W, b, stride, pad)[:, :-1, :-1, :]


register(Exercise(
    name="conv_forward",
    equation="(9.1)",
    reference=_conv_forward,
    cases=_conv_cases,
    outputs=("Z",),
    argument_names=("A_prev", "W", "b", "stride", "pad"),
    mistakes=(
        Mistake("kernel_flipped",
                lambda A_prev, W, b, stride, pad: _conv_forward(A_prev, W[::-1, ::-1], b, stride, pad),
                "you flipped the kernel: that is the mathematicians' convolution (9.2). A convolutional layer "
                "computes the cross-correlation (9.1): W[p, q] multiplies A_pad[h S + p, w S + q], unflipped."),
        Mistake("bias_dropped", lambda A_prev, W, b, stride, pad: _conv_forward(A_prev, W, 0 * b, stride, pad),
                "the bias is missing: (9.1) adds b[c] to every entry of feature map c."),
        Mistake("wrong_output_size", _conv_without_plus_one,
                "Z has one row and one column too few: the number of positions is 1 + floor((n + 2P - F) / S) "
                "(9.3); the first window sits at position 0 and counts too."),
        Mistake("padding_ignored", lambda A_prev, W, b, stride, pad: _conv_forward(A_prev, W, b, stride, 0),
                "the padding is missing: slide the window over zero_pad(A_prev, pad), not over A_prev (9.1)."),
    ),
    hint="Pad A_prev; Z has 1 + (n_H + 2 pad - f) // stride rows (9.3); Z[i, h, w, c] is the sum of the window "
         "A_pad[i, h*stride:h*stride+f, w*stride:w*stride+f, :] times W[:, :, :, c], plus b[0, 0, 0, c].",
))


# (9.7), (9.8) pooling -------------------------------------------------------------------------------
def _pool_cases(rng):
    cases = []
    for i, (f, stride) in enumerate([(2, 2), (2, 1), (3, 2), (2, 2), (3, 1), (1, 1), (2, 2), (3, 3)]):
        m, n_C = (1 if i == 0 else int(rng.integers(2, 4))), int(rng.integers(2, 4))
        n_H, n_W = f + stride * int(rng.integers(1, 4)), f + stride * int(rng.integers(1, 4)) + 1
        cases.append((rng.standard_normal((m, n_H, n_W, n_C)), f, stride, ["max", "average"][i % 2]))
    return cases


def _pool_forward(A_prev, f, stride, mode):
    return conv.pool_forward(A_prev, f, stride, mode)[0]


def _pool_over_channels_too(A_prev, f, stride, mode):
    """The original series' slip: each window averaged over the channels as well."""
    A = _pool_forward(A_prev, f, stride, mode)
    return np.broadcast_to(A.mean(axis=3, keepdims=True), A.shape).copy() if mode == "average" else A


register(Exercise(
    name="pool_forward",
    equation="(9.7), (9.8)",
    reference=_pool_forward,
    cases=_pool_cases,
    outputs=("A",),
    argument_names=("A_prev", "f", "stride", "mode"),
    mistakes=(
        Mistake("wrong_axis", _pool_over_channels_too,
                "the average mixes the channels: pooling works on each channel on its own, averaging over the "
                "f x f window (axes 1 and 2) only (9.8); take the window as A_prev[i, rows, cols, c]."),
        Mistake("wrong_output_size",
                lambda A_prev, f, stride, mode: _pool_forward(A_prev, f, stride, mode)[:, :-1, :-1],
                "A has one row and one column too few: a pooling layer has 1 + floor((n - f) / stride) positions "
                "(9.3 with P = 0)."),
        Mistake("max_and_average_swapped",
                lambda A_prev, f, stride, mode: _pool_forward(A_prev, f, stride, "average" if mode == "max" else "max"),
                "max and average are swapped: mode 'max' takes the largest entry of each window (9.7), 'average' "
                "its mean (9.8)."),
    ),
    hint="n_H = 1 + (n_H_prev - f) // stride; A[i, h, w, c] is the max (or mean) of "
         "A_prev[i, h*stride:h*stride+f, w*stride:w*stride+f, c].",
))
