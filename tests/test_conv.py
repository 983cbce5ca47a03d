"""course_utils.conv against the definitions, finite differences and autograd (notebooks 09 and 10).

The oracles here are written from the equations alone, one entry at a time (the four nested loops
of (9.1), the window loops of (9.7)/(9.8), the scatter of (10.3)), or come from independent code
(scipy.signal, autograd). The course's fast code (im2col, offset loops) is checked against them on
random sizes: f = 1, even and odd f, stride 1 to 3, pad 0 to 2, non-square inputs, m = 1 and m > 1.
"""

import copy

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from scipy import signal

import course_utils as cu
from course_utils import conv
from course_utils.gradcheck import _central_differences, compare_gradients

SIZES = [  # (m, n_H, n_W, n_C_prev, n_C, f, stride, pad)
    (1, 5, 5, 1, 1, 1, 1, 0),
    (2, 6, 5, 3, 4, 1, 2, 1),
    (3, 7, 6, 2, 3, 2, 1, 0),
    (2, 6, 7, 3, 2, 2, 2, 1),
    (2, 7, 7, 2, 5, 3, 1, 1),
    (4, 8, 6, 1, 3, 3, 2, 0),
    (1, 9, 8, 2, 2, 3, 3, 2),
    (2, 7, 9, 3, 2, 4, 1, 2),
    (2, 9, 9, 2, 3, 5, 1, 2),
    (3, 10, 8, 1, 2, 5, 2, 0),
]


def random_layer(rng, m, n_H, n_W, n_C_prev, n_C, f):
    A = rng.standard_normal((m, n_H, n_W, n_C_prev))
    W = rng.standard_normal((f, f, n_C_prev, n_C))
    b = rng.standard_normal((1, 1, 1, n_C))
    return A, W, b


# --- the oracles: the definitions, written one entry at a time -----------------------------------
def conv_definition(A_prev, W, b, stride, pad):
    """(9.1) with four loops (examples, rows, columns, filters)."""
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    f, n_C = W.shape[0], W.shape[3]
    m, H, W_in = A_pad.shape[:3]
    n_H, n_W = 1 + (H - f) // stride, 1 + (W_in - f) // stride
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    patch = A_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                    Z[i, h, w, c] = np.sum(patch * W[:, :, :, c]) + b[0, 0, 0, c]
    return Z


def conv_backward_definition(dZ, A_prev, W, stride, pad):
    """(10.1)-(10.3) as the scatter of each dZ entry onto the patch it read."""
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dA_pad, dW, db = np.zeros_like(A_pad), np.zeros_like(W), np.zeros((1, 1, 1, W.shape[3]))
    f = W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
                    dA_pad[i, rows, cols, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_pad[i, rows, cols, :] * dZ[i, h, w, c]
                    db[0, 0, 0, c] += dZ[i, h, w, c]
    return dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :], dW / m, db / m


def pool_definition(A_prev, f, stride, mode):
    m, H, W_in, n_C = A_prev.shape
    n_H, n_W = 1 + (H - f) // stride, 1 + (W_in - f) // stride
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    A[i, h, w, c] = window.max() if mode == "max" else window.mean()
    return A


def pool_backward_definition(dA, A_prev, f, stride, mode):
    """(10.5): the whole gradient to the window's first arg-max; (10.6): shared equally."""
    dA_prev = np.zeros_like(A_prev)
    m, n_H, n_W, n_C = dA.shape
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
                    if mode == "max":
                        p, q = np.unravel_index(np.argmax(A_prev[i, rows, cols, c]), (f, f))
                        dA_prev[i, h * stride + p, w * stride + q, c] += dA[i, h, w, c]
                    else:
                        dA_prev[i, rows, cols, c] += dA[i, h, w, c] / (f * f)
    return dA_prev


def conv_autograd(A_prev, W, b, stride, pad):
    """(9.1) in autograd.numpy, as a sum over kernel offsets (a third way to compute it)."""
    f = W.shape[0]
    A_pad = anp.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")
    n_H = 1 + (A_pad.shape[1] - f) // stride
    n_W = 1 + (A_pad.shape[2] - f) // stride
    Z = b
    for p in range(f):
        for q in range(f):
            window = A_pad[:, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride, :]
            Z = Z + anp.tensordot(window, W[p, q], axes=([3], [0]))
    return Z


# --- forward ------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=[f"f{s[5]}-s{s[6]}-p{s[7]}" for s in SIZES])
def test_conv_forward_is_the_definition_9_1(size):
    """(9.1) by four loops; conv_forward computes it as one im2col matrix product (9.5), entry for entry the same."""
    m, n_H, n_W, n_C_prev, n_C, f, stride, pad = size
    A, W, b = random_layer(np.random.default_rng(sum(size)), m, n_H, n_W, n_C_prev, n_C, f)
    Z, _ = cu.conv.conv_forward(A, W, b, stride, pad)
    expected = conv_definition(A, W, b, stride, pad)
    assert Z.shape == expected.shape
    np.testing.assert_allclose(Z, expected, rtol=1e-12, atol=1e-12)


def test_cross_correlation_and_true_convolution_9_2():
    """(9.2): scipy's correlate2d is conv_forward; scipy's convolve2d is conv_forward with the kernel flipped."""
    rng = np.random.default_rng(1)
    image, kernel = rng.standard_normal((7, 6)), rng.standard_normal((3, 3))
    A, W, b = image[None, :, :, None], kernel[:, :, None, None], np.zeros((1, 1, 1, 1))
    Z = conv.conv_forward(A, W, b)[0][0, :, :, 0]
    np.testing.assert_allclose(Z, signal.correlate2d(image, kernel, mode="valid"), rtol=1e-12, atol=1e-12)
    flipped = conv.conv_forward(A, W[::-1, ::-1], b)[0][0, :, :, 0]
    np.testing.assert_allclose(flipped, signal.convolve2d(image, kernel, mode="valid"), rtol=1e-12, atol=1e-12)
    assert np.abs(Z - flipped).max() > 0.1  # the two differ for a kernel that is not symmetric


def test_output_size_formula_9_3_over_a_grid():
    """N = 1 + floor((n + 2P - F) / S) against a count of window positions and conv_forward's shape."""
    rng = np.random.default_rng(2)
    checked = 0
    for n in range(1, 9):
        for f in range(1, 6):
            for pad in range(0, 3):
                for stride in range(1, 4):
                    if f > n + 2 * pad:
                        with pytest.raises(ValueError, match="larger than"):
                            conv.output_size(n, f, pad, stride)
                        continue
                    positions = len([s for s in range(0, n + 2 * pad) if s % stride == 0 and s + f <= n + 2 * pad])
                    N = conv.output_size(n, f, pad, stride)
                    Z, _ = conv.conv_forward(rng.standard_normal((1, n, n + 1, 1)), np.ones((f, f, 1, 1)),
                                             np.zeros((1, 1, 1, 1)), stride, pad)
                    assert N == positions == Z.shape[1], (n, f, pad, stride)
                    assert Z.shape[2] == conv.output_size(n + 1, f, pad, stride)
                    checked += 1
    assert checked > 300


def test_same_padding_is_f_minus_1_over_2_and_even_f_cannot_be_same_9_4():
    """(9.4): P = (F - 1) / 2 keeps the size at stride 1; for an even F, P = F/2 and F/2 - 1 miss by one."""
    A = np.random.default_rng(3).standard_normal((1, 8, 8, 1))
    b = np.zeros((1, 1, 1, 1))
    for f in (1, 3, 5, 7):
        assert conv.conv_forward(A, np.ones((f, f, 1, 1)), b, pad=(f - 1) // 2)[0].shape[1:3] == (8, 8)
        if f > 1:  # the old erratum's P = F - 1 grows the map
            assert conv.conv_forward(A, np.ones((f, f, 1, 1)), b, pad=f - 1)[0].shape[1] == 8 + f - 1
    for f in (2, 4, 6):  # no integer P keeps the size: P = f/2 gives n + 1, P = f/2 - 1 gives n - 1
        assert conv.conv_forward(A, np.ones((f, f, 1, 1)), b, pad=f // 2)[0].shape[1] == 9
        assert conv.conv_forward(A, np.ones((f, f, 1, 1)), b, pad=f // 2 - 1)[0].shape[1] == 7


def test_one_by_one_convolution_mixes_channels_9_6():
    """(9.6): with F = 1, Z[i, h, w, :] = A[i, h, w, :] . W[0, 0] + b, one dense layer at every pixel."""
    rng = np.random.default_rng(4)
    A, W, b = random_layer(rng, 3, 5, 4, 6, 2, 1)
    Z, _ = conv.conv_forward(A, W, b)
    np.testing.assert_allclose(Z, A @ W[0, 0] + b, rtol=1e-12, atol=1e-12)


def test_parameter_counts_9_11_do_not_depend_on_the_image_size():
    """(9.11): a conv layer holds F F n_C_prev n_C + n_C numbers at any image size; a dense one n_0 n_1 + n_1."""
    layers = ({"type": "conv", "f": 3, "n_C": 4, "stride": 1, "pad": 1}, {"type": "relu"},
              {"type": "conv", "f": 2, "n_C": 5, "stride": 2, "pad": 0},
              {"type": "pool", "f": 2, "stride": 2, "mode": "max"}, {"type": "flatten"}, {"type": "dense", "n": 3})
    for n_H, n_W in [(8, 8), (12, 20)]:
        parameters = conv.initialize_cnn((n_H, n_W, 2), layers)
        assert parameters["W1"].size + parameters["b1"].size == 3 * 3 * 2 * 4 + 4
        assert parameters["W2"].size + parameters["b2"].size == 2 * 2 * 4 * 5 + 5
        # the map's size (9.3): same padding keeps it, the stride-2 conv and the pool halve it (rounding down)
        h, w = (n_H - 2) // 2 + 1, (n_W - 2) // 2 + 1
        h, w = (h - 2) // 2 + 1, (w - 2) // 2 + 1
        n_0 = h * w * 5
        assert parameters["W3"].size + parameters["b3"].size == n_0 * 3 + 3
        assert sum(v.size for v in parameters.values()) == (3 * 3 * 2 * 4 + 4) + (2 * 2 * 4 * 5 + 5) + (n_0 * 3 + 3)


@pytest.mark.parametrize("mode", conv.POOL_MODES)
@pytest.mark.parametrize("f,stride", [(1, 1), (2, 2), (2, 1), (3, 2), (3, 3)])
def test_pooling_is_the_definition_9_7_9_8(f, stride, mode):
    A = np.random.default_rng(f * 10 + stride).standard_normal((2, 7, 6, 3))
    pooled, _ = conv.pool_forward(A, f, stride, mode)
    np.testing.assert_allclose(pooled, pool_definition(A, f, stride, mode), rtol=1e-12, atol=1e-15)


def test_average_pooling_averages_each_channel_over_its_window_only():
    """Channel c holds the constant c, example i adds 100 i: a wrong-axis average would mix them."""
    m, n_C = 3, 4
    A = np.zeros((m, 4, 4, n_C)) + np.arange(n_C) + 100 * np.arange(m)[:, None, None, None]
    pooled, _ = conv.pool_forward(A, 2, 2, "average")
    assert pooled.shape == (m, 2, 2, n_C)
    np.testing.assert_array_equal(pooled, A[:, :2, :2, :])


# --- backward -----------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=[f"f{s[5]}-s{s[6]}-p{s[7]}" for s in SIZES])
def test_conv_backward_matches_the_scatter_definition_and_autograd(size):
    m, n_H, n_W, n_C_prev, n_C, f, stride, pad = size
    rng = np.random.default_rng(100 + sum(size))
    A, W, b = random_layer(rng, m, n_H, n_W, n_C_prev, n_C, f)
    Z, cache = conv.conv_forward(A, W, b, stride, pad)
    dZ = rng.standard_normal(Z.shape)
    dA_prev, dW, db = conv.conv_backward(dZ, cache)
    for ours, theirs in zip((dA_prev, dW, db), conv_backward_definition(dZ, A, W, stride, pad), strict=True):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)

    def summed(A_, W_, b_):  # the summed loss whose gradients dA_prev, m dW, m db are
        return anp.sum(dZ * conv_autograd(A_, W_, b_, stride, pad))

    assert cu.relative_error(dA_prev, grad(summed, 0)(A, W, b)) < 1e-9
    assert cu.relative_error(m * dW, grad(summed, 1)(A, W, b)) < 1e-9  # the 1/m rule: dW carries 1/m
    assert cu.relative_error(m * db, grad(summed, 2)(A, W, b)) < 1e-9


@pytest.mark.parametrize("f,stride,pad", [(1, 1, 0), (2, 1, 0), (2, 2, 1), (3, 1, 0), (3, 1, 1), (3, 2, 1),
                                          (5, 1, 0), (5, 1, 2), (5, 2, 2)])
def test_conv_gradients_by_finite_differences_10_1_to_10_3(f, stride, pad):
    rng = np.random.default_rng(f * 100 + stride * 10 + pad)
    m = 2
    A, W, b = random_layer(rng, m, 7, 6, 2, 3, f)
    _, cache = conv.conv_forward(A, W, b, stride, pad)
    worst = cu.check_array_gradient(lambda x: conv.conv_forward(x, W, b, stride, pad)[0],
                                    lambda d: conv.conv_backward(d, cache)[0], A.copy(), seed=f)
    assert worst.ratio < 0.1, worst
    worst = cu.check_array_gradient(lambda x: conv.conv_forward(A, x, b, stride, pad)[0],
                                    lambda d: m * conv.conv_backward(d, cache)[1], W.copy(), seed=f)
    assert worst.ratio < 0.1, worst
    worst = cu.check_array_gradient(lambda x: conv.conv_forward(A, W, x, stride, pad)[0],
                                    lambda d: m * conv.conv_backward(d, cache)[2], b.copy(), seed=f)
    assert worst.ratio < 0.1, worst


def test_a_missing_flip_or_a_missing_1_over_m_fails_the_check():
    rng = np.random.default_rng(7)
    A, W, b = random_layer(rng, 2, 6, 6, 2, 3, 3)
    _, cache = conv.conv_forward(A, W, b, 1, 1)

    def unflipped_dA(d):  # full cross-correlation of dZ with W, no flip: the classic slip
        full = conv.conv_forward(d, W.transpose(0, 1, 3, 2), np.zeros((1, 1, 1, 2)), 1, 2)[0]
        return full[:, 1:-1, 1:-1, :]

    worst = cu.check_array_gradient(lambda x: conv.conv_forward(x, W, b, 1, 1)[0], unflipped_dA, A.copy())
    assert worst.ratio > 1000 and worst.error > 1e-2
    worst = cu.check_array_gradient(lambda x: conv.conv_forward(A, x, b, 1, 1)[0],
                                    lambda d: conv.conv_backward(d, cache)[1], W.copy())  # dW without the m
    assert worst.ratio > 1000 and worst.error > 1e-2


@pytest.mark.parametrize("f", [1, 2, 3, 5])
def test_dA_prev_is_the_full_convolution_of_dZ_with_the_flipped_kernel_10_4(f):
    """(10.4): dA_prev is conv_forward of dZ with the kernel flipped, its channels swapped, pad F - 1."""
    rng = np.random.default_rng(f)
    A, W, b = random_layer(rng, 2, 7, 6, 3, 4, f)
    for pad in sorted({0, (f - 1) // 2}):
        Z, cache = conv.conv_forward(A, W, b, 1, pad)
        dZ = rng.standard_normal(Z.shape)
        dA_prev = conv.conv_backward(dZ, cache)[0]
        kernel = W[::-1, ::-1].transpose(0, 1, 3, 2)  # flipped in space, channels swapped: (f, f, n_C, n_C_prev)
        full = conv.conv_forward(dZ, kernel, np.zeros((1, 1, 1, 3)), 1, f - 1)[0]  # "full": pad f - 1
        np.testing.assert_allclose(dA_prev, full[:, pad:pad + 7, pad:pad + 6, :], rtol=1e-12, atol=1e-12)
        for i in range(2):  # and, channel by channel, scipy's full convolution
            expected = sum(signal.convolve2d(dZ[i, :, :, c], W[:, :, 0, c], mode="full") for c in range(4))
            np.testing.assert_allclose(dA_prev[i, :, :, 0], expected[pad:pad + 7, pad:pad + 6], rtol=1e-12,
                                       atol=1e-12)


@pytest.mark.parametrize("mode", conv.POOL_MODES)
@pytest.mark.parametrize("f,stride", [(1, 1), (2, 2), (2, 1), (3, 2), (3, 3)])
def test_pool_backward_by_the_definition_and_finite_differences_10_5_10_6(f, stride, mode):
    rng = np.random.default_rng(f * 10 + stride)
    A = rng.permutation(2 * 7 * 6 * 3).reshape(2, 7, 6, 3) / 10.0  # distinct values: no ties, no kinks
    pooled, cache = conv.pool_forward(A, f, stride, mode)
    dA = rng.standard_normal(pooled.shape)
    dA_prev = conv.pool_backward(dA, cache)
    np.testing.assert_allclose(dA_prev, pool_backward_definition(dA, A, f, stride, mode), rtol=1e-12, atol=1e-15)
    worst = cu.check_array_gradient(lambda x: conv.pool_forward(x, f, stride, mode)[0],
                                    lambda d: conv.pool_backward(d, cache), A.copy(), eps=1e-4)
    assert worst.ratio < 0.1, worst


def test_max_pooling_sends_a_tied_window_gradient_to_one_position():
    A = np.zeros((1, 4, 4, 2))
    A[0, 2:, 2:, 1] = 5.0  # channel 1's last window: four-way tie at 5; the other windows: ties at 0
    pooled, cache = conv.pool_forward(A, 2, 2, "max")
    dA = np.arange(1, 9, dtype=float).reshape(1, 2, 2, 2)
    dA_prev = conv.pool_backward(dA, cache)
    for c in range(2):  # each window's gradient lands whole on one entry: its first (top-left) maximum
        for h in range(2):
            for w in range(2):
                window = dA_prev[0, 2 * h:2 * h + 2, 2 * w:2 * w + 2, c]
                assert np.count_nonzero(window) == 1 and window[0, 0] == dA[0, h, w, c]
    assert dA_prev.sum() == dA.sum()


def test_overlapping_max_windows_add_their_gradients():
    A = np.zeros((1, 3, 3, 1))
    A[0, 1, 1, 0] = 1.0  # the centre is the maximum of all four overlapping 2 x 2 windows
    _, cache = conv.pool_forward(A, 2, 1, "max")
    dA_prev = conv.pool_backward(np.full((1, 2, 2, 1), 0.25), cache)
    assert dA_prev[0, 1, 1, 0] == 1.0 and np.count_nonzero(dA_prev) == 1


def test_flatten_round_trip_and_layout_10_7():
    """(10.7): column i of X is example i unrolled; flatten_backward puts dX^T back in (m, n_H, n_W, n_C)."""
    A = np.random.default_rng(8).standard_normal((3, 2, 4, 5))
    X, cache = conv.flatten_forward(A)
    assert X.shape == (40, 3)
    for i in range(3):
        np.testing.assert_array_equal(X[:, i], A[i].ravel())
    np.testing.assert_array_equal(conv.flatten_backward(X, cache), A)
    worst = cu.check_array_gradient(lambda x: conv.flatten_forward(x)[0], lambda d: conv.flatten_backward(d, cache),
                                    A.copy())
    assert worst.ratio < 0.1, worst


def test_zero_pad_pads_height_and_width_only():
    X = np.random.default_rng(9).standard_normal((2, 3, 4, 5))
    padded = conv.zero_pad(X, 2)
    assert padded.shape == (2, 7, 8, 5)
    np.testing.assert_array_equal(padded[:, 2:-2, 2:-2, :], X)
    assert np.count_nonzero(padded) == X.size
    assert conv.zero_pad(X, 0) is not X and np.array_equal(conv.zero_pad(X, 0), X)


# --- the CNN, end to end ------------------------------------------------------------------------
SMALL_CNN = (
    {"type": "conv", "f": 3, "n_C": 3, "stride": 1, "pad": 1},
    {"type": "relu"},
    {"type": "pool", "f": 2, "stride": 2, "mode": "max"},
    {"type": "conv", "f": 2, "n_C": 2, "stride": 1, "pad": 0},
    {"type": "relu"},
    {"type": "pool", "f": 2, "stride": 1, "mode": "average"},
    {"type": "flatten"},
    {"type": "dense", "n": 5},
    {"type": "relu"},
    {"type": "dense", "n": 3},
)


def test_a_small_cnn_end_to_end_by_finite_differences():
    rng = np.random.default_rng(10)
    for _ in range(50):  # redraw until no ReLU input lies within a nudge of its kink
        X = rng.standard_normal((3, 6, 6, 2))
        parameters = conv.initialize_cnn((6, 6, 2), SMALL_CNN, seed=int(rng.integers(1000)))
        parameters = {k: v + (0.1 * rng.standard_normal(v.shape) if k[0] == "b" else 0) for k, v in parameters.items()}
        AL, cache = conv.cnn_forward(X, parameters, SMALL_CNN)
        relu_inputs = [c for layer, c in zip(SMALL_CNN, cache["caches"], strict=True) if layer["type"] == "relu"]
        if min(np.abs(z).min() for z in relu_inputs) > 1e-3:
            break
    Y = cu.one_hot(np.array([0, 2, 1]), 3)
    grads = conv.cnn_backward(AL, Y, parameters, cache, SMALL_CNN)
    assert set(grads) == {"d" + key for key in parameters}
    for key in parameters:
        def cost(_nudged):
            return conv.cnn_cost(conv.cnn_forward(X, parameters, SMALL_CNN)[1], Y)

        numerical, f_scale = _central_differences(cost, parameters[key], 1e-5)
        worst = compare_gradients(grads["d" + key], numerical, f_scale, 1e-5)
        assert worst.ratio < 0.1, (key, worst)


def test_train_cnn_learns_the_digits_quickly():
    X, Y, _ = cu.load_digits()
    images = X.T.reshape(-1, 8, 8, 1)
    parameters, costs = conv.train_cnn(images[:600], Y[:, :600], learning_rate=0.1, epochs=4, seed=0)
    assert costs[-1] < 0.5 * costs[0]
    accuracy = cu.accuracy(Y[:, 1000:1400].argmax(axis=0), conv.predict_cnn(images[1000:1400], parameters))
    assert accuracy > 0.85


def test_float32_stays_float32_end_to_end():
    rng = np.random.default_rng(11)
    A, W, b = (x.astype(np.float32) for x in random_layer(rng, 2, 6, 6, 2, 3, 3))
    Z, cache = conv.conv_forward(A, W, b, 1, 1)
    grads = conv.conv_backward(Z, cache)
    pooled, pool_cache = conv.pool_forward(Z, 2, 2, "max")
    flat, flat_cache = conv.flatten_forward(pooled)
    assert all(x.dtype == np.float32 for x in (Z, *grads, pooled, conv.pool_backward(pooled, pool_cache), flat,
                                               conv.flatten_backward(flat, flat_cache)))
    X, Y, _ = cu.load_digits()
    images = X.T.reshape(-1, 8, 8, 1).astype(np.float32)
    parameters, costs = conv.train_cnn(images[:64], Y[:, :64], epochs=1, batch_size=32)
    assert all(value.dtype == np.float32 for value in parameters.values()) and np.isfinite(costs).all()
    AL, cache = conv.cnn_forward(images[:8], parameters)
    assert AL.dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv.cnn_backward(AL, Y[:, :8], parameters, cache).values())


def test_huge_inputs_give_a_finite_cost_without_warnings():
    X = np.full((2, 8, 8, 1), 1e6)
    parameters = conv.initialize_cnn((8, 8, 1), seed=0)
    AL, cache = conv.cnn_forward(X, parameters)
    Y = cu.one_hot(np.array([3, 4]), 10)
    assert np.isfinite(conv.cnn_cost(cache, Y)) and np.isfinite(AL).all()
    assert all(np.isfinite(g).all() for g in conv.cnn_backward(AL, Y, parameters, cache).values())


def test_no_input_or_cache_is_modified():
    rng = np.random.default_rng(12)
    A, W, b = random_layer(rng, 2, 6, 5, 2, 3, 3)
    before = copy.deepcopy((A, W, b))
    Z, cache = conv.conv_forward(A, W, b, 2, 1)
    dZ = rng.standard_normal(Z.shape)
    kept = copy.deepcopy((dZ, cache))
    conv.conv_backward(dZ, cache)
    conv.conv_backward(dZ, cache)
    for x, y in zip(before, (A, W, b), strict=True):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(kept[0], dZ)
    for key, value in kept[1].items():
        np.testing.assert_array_equal(value, cache[key])
    for mode in conv.POOL_MODES:
        pooled, pool_cache = conv.pool_forward(A, 2, 1, mode)
        dA, kept = rng.standard_normal(pooled.shape), copy.deepcopy(pool_cache)
        dA_copy = dA.copy()
        conv.pool_backward(dA, pool_cache)
        np.testing.assert_array_equal(dA, dA_copy)
        for key, value in kept.items():
            np.testing.assert_array_equal(value, pool_cache[key])
    np.testing.assert_array_equal(A, before[0])


# --- bad input ----------------------------------------------------------------------------------
def test_bad_inputs_get_clear_errors():
    A, W, b = np.zeros((2, 5, 5, 3)), np.zeros((3, 3, 3, 4)), np.zeros((1, 1, 1, 4))
    with pytest.raises(ValueError, match=r"A_prev must be a 4-D array \(m, n_H, n_W, n_C\).*3-D, shape \(5, 5, 3\)"):
        conv.conv_forward(A[0], W, b)
    with pytest.raises(ValueError, match=r"n_C_prev = 2 must equal the channels of A_prev, n_C = 3"):
        conv.conv_forward(A, W[:, :, :2], b)
    with pytest.raises(ValueError, match=r"W must be square"):
        conv.conv_forward(A, W[:2], b)
    with pytest.raises(ValueError, match=r"b has shape \(4,\).*|b must be a 4-D array"):
        conv.conv_forward(A, W, np.zeros(4))
    with pytest.raises(ValueError, match=r"b has shape \(1, 1, 1, 3\), expected \(1, 1, 1, 4\)"):
        conv.conv_forward(A, W, b[..., :3])
    with pytest.raises(ValueError, match="stride must be >= 1, got 0"):
        conv.conv_forward(A, W, b, stride=0)
    with pytest.raises(TypeError, match="stride must be an integer"):
        conv.conv_forward(A, W, b, stride=1.5)
    with pytest.raises(ValueError, match="pad must be >= 0.*got -1"):
        conv.conv_forward(A, W, b, pad=-1)
    with pytest.raises(ValueError, match=r"f = 7 is larger than the padded input.*7 x 7|f = 7 is larger"):
        conv.conv_forward(A, np.zeros((7, 7, 3, 4)), b, pad=0)
    with pytest.raises(ValueError, match=r"f = 8 is larger than the padded input of A_prev \(2, 5, 5, 3\): 7 x 7"):
        conv.conv_forward(A, np.zeros((8, 8, 3, 4)), b, pad=1)
    with pytest.raises(ValueError, match="A_prev must be finite"):
        conv.conv_forward(np.full((1, 3, 3, 3), np.nan), W, b)
    with pytest.raises(TypeError, match="A_prev must be a numpy array"):
        conv.conv_forward("image", W, b)
    with pytest.raises(ValueError, match="unknown mode 'mean'; expected one of 'max', 'average'"):
        conv.pool_forward(A, 2, 2, mode="mean")
    with pytest.raises(ValueError, match="f = 6 is larger than the input"):
        conv.pool_forward(A, 6, 1)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        conv.pool_forward(A, 2, 0)
    with pytest.raises(ValueError, match="pad must be >= 0"):
        conv.zero_pad(A, -2)
    with pytest.raises(ValueError, match="X must be a 4-D array"):
        conv.zero_pad(A[0], 1)
    Z, cache = conv.conv_forward(A, W, b, 1, 1)
    with pytest.raises(ValueError, match=r"dZ has shape \(2, 4, 4, 4\), but the forward pass's output had shape "
                                         r"\(2, 5, 5, 4\)"):
        conv.conv_backward(Z[:, 1:, 1:], cache)
    with pytest.raises(TypeError, match="cache must be the dict returned by conv_forward"):
        conv.conv_backward(Z, (A, W, b))
    pooled, pool_cache = conv.pool_forward(A, 2, 2)
    with pytest.raises(ValueError, match="dA has shape"):
        conv.pool_backward(pooled[:1], pool_cache)
    with pytest.raises(TypeError, match="cache must be the dict returned by pool_forward"):
        conv.pool_backward(pooled, cache)
    with pytest.raises(ValueError, match=r"dX has shape \(5, 2\), expected \(75, 2\)"):
        conv.flatten_backward(np.zeros((5, 2)), A.shape)
    with pytest.raises(ValueError, match="put a flatten layer before it"):
        conv.initialize_cnn((8, 8, 1), [{"type": "dense", "n": 10}])
    with pytest.raises(ValueError, match="the last layer must be a dense layer"):
        conv.initialize_cnn((8, 8, 1), [{"type": "conv", "f": 3, "n_C": 2}])
    parameters = conv.initialize_cnn((8, 8, 1))
    with pytest.raises(ValueError, match=r"parameters\['W1'\] has shape \(3, 3, 1, 4\), expected \(3, 3, 1, 8\)"):
        conv.cnn_forward(np.zeros((2, 8, 8, 1)), {**parameters, "W1": np.zeros((3, 3, 1, 4))})
    with pytest.raises(ValueError, match="parameters is missing 'b3'"):
        conv.cnn_forward(np.zeros((2, 8, 8, 1)), {k: v for k, v in parameters.items() if k != "b3"})
    with pytest.raises(ValueError, match="X has 3 examples"):
        conv.train_cnn(np.zeros((3, 8, 8, 1)), cu.one_hot(np.array([1, 2]), 10))
