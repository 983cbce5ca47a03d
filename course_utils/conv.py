"""Convolutional layers (notebooks 09 and 10): padding, convolution, pooling, flatten, and a small CNN.

Layout (the original series' and deeplearning.ai's): examples first, channels last.
    A_prev, A, Z: (m, n_H, n_W, n_C)      W: (f, f, n_C_prev, n_C)      b: (1, 1, 1, n_C)
The dense layers (``layers.py``) keep one column per example, n x m; ``flatten_forward`` and
``flatten_backward`` convert between the two layouts.

Forward (notebook 09), with A_pad = A_prev padded by ``pad`` zeros on axes 1 and 2:
    Z[i, h, w, c] = sum_{p, q, k} A_pad[i, h S + p, w S + q, k] W[p, q, k, c] + b[c]      (9.1)
    (a cross-correlation, as every framework computes; a true convolution flips W, (9.2))
    n_H = 1 + floor((n_H_prev + 2 pad - f) / stride), the same for n_W                   (9.3)
    as one matrix product: Z = cols . W_mat + b, cols = im2col(A_pad)                   (9.5)
    max pooling  A[i, h, w, c] = max_{p, q} A_prev[i, h S + p, w S + q, c]               (9.7)
    average      A[i, h, w, c] = (1 / f^2) sum_{p, q} A_prev[i, h S + p, w S + q, c]     (9.8)

Backward (notebook 10). The 1/m rule of the course holds: dZ, dA and dA_prev are gradients of
the *summed* loss; dW and db carry the single 1/m (m = the number of examples, axis 0).
    dW[p, q, k, c] = (1/m) sum_{i, h, w} A_pad[i, h S + p, w S + q, k] dZ[i, h, w, c]     (10.1)
    db[c]          = (1/m) sum_{i, h, w} dZ[i, h, w, c]                                  (10.2)
    dA_pad[i, h S + p, w S + q, k] += sum_c W[p, q, k, c] dZ[i, h, w, c]                 (10.3)
    (for stride 1 this is the full convolution of dZ with the flipped kernel, (10.4))
    max pooling: each window's gradient goes to ONE arg-max (the first, in reading order) (10.5)
    average pooling: each window's gradient is shared equally, dA / f^2                 (10.6)

How it is computed (measured in ``bench/bench_conv.py``): the forward pass copies every window
once into the matrix ``cols`` (im2col) and multiplies it by the kernel, one matrix product; dW
is the one product cols^T . dZ; dA_prev loops over the f x f kernel offsets and adds
dZ . W[p, q]^T into the shifted window of positions that offset touched; pooling loops over the
f x f offsets too, on strided slices. The four nested loops of the definition (9.1) live in
notebook 09 and in the tests, as the reference these are checked against.

Each layer is a pair ``X_forward(...) -> (out, cache)`` and ``X_backward(dout, cache)``; the
public functions check their arguments, then call the unchecked ``_X_forward``/``_X_backward``,
which the CNN's loops (``cnn_forward``, ``cnn_backward``) call directly.
"""

import numbers

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validation import check_finite, check_name, check_positive_int, check_positive_number
from .activations import _activation_backward, _activation_forward, softmax
from .layers import _linear_backward, _linear_forward
from .losses import _cost_from_logits, check_labels

POOL_MODES = ("max", "average")


# ----------------------------------------------------------------------------------------------
# Input checks
# ----------------------------------------------------------------------------------------------
def _as_array(x, name, ndim, what):
    """x as a finite float array with ``ndim`` axes, or a clear error (``what`` names the axes)."""
    if not isinstance(x, np.ndarray):
        if isinstance(x, (list, tuple, numbers.Number)):
            x = np.asarray(x)
        else:
            raise TypeError(f"{name} must be a numpy array, got {type(x).__name__}")
    if x.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers, got an array of dtype {x.dtype}")
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    if x.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array {what}, got {x.ndim}-D, shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name} is empty (shape {x.shape})")
    check_finite(x, name)
    return x


def _check_pad(pad):
    if isinstance(pad, bool) or not isinstance(pad, numbers.Integral):
        raise TypeError(f"pad must be an integer (zeros added on each side), got {type(pad).__name__}")
    if pad < 0:
        raise ValueError(f"pad must be >= 0 (zeros added on each side), got {pad}")
    return int(pad)


def _check_window(f, n_H, n_W, pad, where):
    """Raise unless an f x f window fits inside the (padded) n_H x n_W input."""
    if f > n_H + 2 * pad or f > n_W + 2 * pad:
        raise ValueError(f"f = {f} is larger than the {'padded ' if pad else ''}input of {where}: "
                         f"{n_H + 2 * pad} x {n_W + 2 * pad} (n_H + 2 pad x n_W + 2 pad with pad = {pad}); "
                         "the window must fit at least once")


def _check_conv_arguments(A_prev, W, b, stride, pad):
    A_prev = _as_array(A_prev, "A_prev", 4, "(m, n_H, n_W, n_C): examples first, channels last")
    W = _as_array(W, "W", 4, "(f, f, n_C_prev, n_C)")
    f, f_W, n_C_prev, n_C = W.shape
    if f != f_W:
        raise ValueError(f"W must be square, shape (f, f, n_C_prev, n_C), got {W.shape}")
    if n_C_prev != A_prev.shape[3]:
        raise ValueError(f"W has shape {W.shape}: its n_C_prev = {n_C_prev} must equal the channels of A_prev, "
                         f"n_C = {A_prev.shape[3]} (A_prev has shape {A_prev.shape})")
    b = _as_array(b, "b", 4, "(1, 1, 1, n_C)")
    if b.shape != (1, 1, 1, n_C):
        raise ValueError(f"b has shape {b.shape}, expected (1, 1, 1, {n_C}): one bias per filter of W {W.shape}")
    stride = check_positive_int(stride, "stride")
    pad = _check_pad(pad)
    _check_window(f, A_prev.shape[1], A_prev.shape[2], pad, f"A_prev {A_prev.shape}")
    return A_prev, W, b, stride, pad


def _check_cache(cache, keys, made_by):
    if not isinstance(cache, dict) or any(key not in cache for key in keys):
        raise TypeError(f"cache must be the dict returned by {made_by} (keys {', '.join(keys)}), "
                        f"got {type(cache).__name__}")


def _check_gradient(d, name, shape):
    d = _as_array(d, name, 4, "(m, n_H, n_W, n_C)")
    if d.shape != shape:
        raise ValueError(f"{name} has shape {d.shape}, but the forward pass's output had shape {shape}; "
                         "they must match")
    return d


# ----------------------------------------------------------------------------------------------
# Padding and sizes
# ----------------------------------------------------------------------------------------------
def output_size(n, f, pad=0, stride=1):
    """Positions of an f-wide window on n inputs padded by ``pad``, moved ``stride`` at a time. (9.3)

    N = 1 + floor((n + 2 pad - f) / stride). All arguments are integers; returns an int >= 1.
    "Same" padding pad = (f - 1) / 2 (odd f, stride 1) gives N = n (9.4).
    """
    n, f, stride = (check_positive_int(v, name) for v, name in ((n, "n"), (f, "f"), (stride, "stride")))
    pad = _check_pad(pad)
    _check_window(f, n, n, pad, f"size {n}")
    return 1 + (n + 2 * pad - f) // stride


def _zero_pad(X, pad):
    """X with pad zeros around axes 1 and 2, without input checks (X itself when pad is 0)."""
    if pad == 0:
        return X
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C), dtype=X.dtype)
    X_pad[:, pad:pad + n_H, pad:pad + n_W, :] = X
    return X_pad


def zero_pad(X, pad):
    """X with ``pad`` zeros added on both sides of axes 1 and 2 (height and width) only.

    X: (m, n_H, n_W, n_C). pad: int >= 0. Returns a new array (m, n_H + 2 pad, n_W + 2 pad, n_C);
    the examples (axis 0) and the channels (axis 3) are not padded.
    """
    X = _as_array(X, "X", 4, "(m, n_H, n_W, n_C): examples first, channels last")
    return _zero_pad(X, _check_pad(pad)).copy()


def _windows(A, f, stride):
    """Every f x f window of A as a read-only view (m, n_H, n_W, f, f, n_C): no copy.

    windows[i, h, w, p, q, k] = A[i, h stride + p, w stride + q, k].
    """
    view = sliding_window_view(A, (f, f), axis=(1, 2))  # (m, H - f + 1, W - f + 1, n_C, f, f)
    return view[:, ::stride, ::stride].transpose(0, 1, 2, 4, 5, 3)


# ----------------------------------------------------------------------------------------------
# Convolution
# ----------------------------------------------------------------------------------------------
def _conv_forward(A_prev, W, b, stride, pad):
    """Z (9.1) as one matrix product (9.5), without input checks. Returns (Z, cache)."""
    f, _, n_C_prev, n_C = W.shape
    windows = _windows(_zero_pad(A_prev, pad), f, stride)
    m, n_H, n_W = windows.shape[:3]
    cols = windows.reshape(m * n_H * n_W, f * f * n_C_prev)  # im2col: one row per window (the one copy)
    Z = cols @ W.reshape(f * f * n_C_prev, n_C)  # (9.5)
    Z += b.reshape(1, n_C)  # in place: for a narrow Z, a new array for Z + b costs more than the product
    cache = {"A_prev": A_prev, "W": W, "b": b, "stride": stride, "pad": pad, "cols": cols}
    return Z.reshape(m, n_H, n_W, n_C), cache


def conv_forward(A_prev, W, b, stride=1, pad=0):
    """A convolutional layer's forward pass (a cross-correlation, as every framework computes). (9.1)

    Z[i, h, w, c] = sum_{p, q, k} A_pad[i, h stride + p, w stride + q, k] W[p, q, k, c] + b[c],
    with A_pad = zero_pad(A_prev, pad). Computed as the im2col matrix product (9.5).

    A_prev: (m, n_H_prev, n_W_prev, n_C_prev). W: (f, f, n_C_prev, n_C). b: (1, 1, 1, n_C).
    stride: int >= 1. pad: int >= 0. Any f >= 1 works, even or odd.
    Returns (Z, cache). Z: (m, n_H, n_W, n_C) with n_H = 1 + floor((n_H_prev + 2 pad - f) / stride)
    (9.3), the same for n_W. cache: what ``conv_backward`` needs (the inputs, stride, pad and the
    im2col matrix "cols").
    """
    return _conv_forward(*_check_conv_arguments(A_prev, W, b, stride, pad))


def _conv_backward(dZ, cache, need_dA_prev=True):
    """(dA_prev, dW, db) of a convolution, (10.1)-(10.3), without input checks.

    need_dA_prev=False skips (10.3) and returns None in its place (the first layer's gradient with
    respect to the images is never needed in training).
    """
    A_prev, W, stride, pad = cache["A_prev"], cache["W"], cache["stride"], cache["pad"]
    f, _, n_C_prev, n_C = W.shape
    m, n_H, n_W, _ = dZ.shape
    dZ_rows = dZ.reshape(m * n_H * n_W, n_C)  # one row per window, as cols
    dW = (cache["cols"].T @ dZ_rows).reshape(W.shape) / m  # (10.1)
    db = dZ_rows.sum(axis=0).reshape(1, 1, 1, n_C) / m  # (10.2)
    if not need_dA_prev:
        return None, dW, db
    _, n_H_prev, n_W_prev, _ = A_prev.shape
    dA_pad = np.zeros((m, n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev), dtype=np.result_type(dZ, W))
    for p in range(f):  # (10.3): kernel offset (p, q) touched A_pad[:, h S + p, w S + q] for every (h, w)
        for q in range(f):
            touched = dA_pad[:, p:p + stride * n_H:stride, q:q + stride * n_W:stride, :]
            touched += (dZ_rows @ W[p, q].T).reshape(m, n_H, n_W, n_C_prev)
    return dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db


def conv_backward(dZ, cache):
    """Gradients of a convolutional layer, given dZ (the summed loss's gradient w.r.t. Z).

    dW[p, q, k, c] = (1/m) sum_{i, h, w} A_pad[i, h S + p, w S + q, k] dZ[i, h, w, c]   (10.1)
    db[c]          = (1/m) sum_{i, h, w} dZ[i, h, w, c]                                (10.2)
    dA_prev: every Z[i, h, w, c] sends W[p, q, k, c] dZ[i, h, w, c] back to the input it read,
    A_pad[i, h S + p, w S + q, k]; the padding's share is dropped                       (10.3)
    (with stride 1, dA_pad is the full convolution of dZ with the flipped kernel, (10.4)).

    dZ: (m, n_H, n_W, n_C). cache: from ``conv_forward``.
    Returns (dA_prev, dW, db) with A_prev's, W's and b's shapes. dA_prev, like dZ, is a gradient
    of the summed loss; dW and db carry the 1/m and are gradients of J = (1/m) sum_i loss(i).
    """
    _check_cache(cache, ("A_prev", "W", "b", "stride", "pad", "cols"), "conv_forward")
    A_prev, W, stride, pad = cache["A_prev"], cache["W"], cache["stride"], cache["pad"]
    f = W.shape[0]
    shape = (A_prev.shape[0], output_size(A_prev.shape[1], f, pad, stride),
             output_size(A_prev.shape[2], f, pad, stride), W.shape[3])
    return _conv_backward(_check_gradient(dZ, "dZ", shape), cache)


# ----------------------------------------------------------------------------------------------
# Pooling
# ----------------------------------------------------------------------------------------------
def _offsets(f, stride, n_H, n_W):
    """(p, q, slices): for each window offset, the strided slice of the input it reads."""
    for p in range(f):
        for q in range(f):
            yield p, q, (slice(None), slice(p, p + stride * n_H, stride), slice(q, q + stride * n_W, stride))


def _pool_forward(A_prev, f, stride, mode):
    """Max (9.7) or average (9.8) pooling, without input checks. Returns (A, cache)."""
    n_H, n_W = 1 + (A_prev.shape[1] - f) // stride, 1 + (A_prev.shape[2] - f) // stride
    A = None
    for _, _, window in _offsets(f, stride, n_H, n_W):
        seen = A_prev[window]  # (m, n_H, n_W, n_C): offset (p, q) of every window
        if A is None:
            A = seen.copy()
        elif mode == "max":
            np.maximum(A, seen, out=A)
        else:
            A += seen
    if mode == "average":
        A /= f * f
    cache = {"A_prev": A_prev, "A": A, "f": f, "stride": stride, "mode": mode}
    return A, cache


def _check_pool_arguments(A_prev, f, stride, mode):
    A_prev = _as_array(A_prev, "A_prev", 4, "(m, n_H, n_W, n_C): examples first, channels last")
    f = check_positive_int(f, "f")
    stride = check_positive_int(stride, "stride")
    check_name(mode, "mode", POOL_MODES)
    _check_window(f, A_prev.shape[1], A_prev.shape[2], 0, f"A_prev {A_prev.shape}")
    return A_prev, f, stride, mode


def pool_forward(A_prev, f=2, stride=2, mode="max"):
    """Max or average pooling over f x f windows, each channel on its own. (9.7), (9.8)

    max:     A[i, h, w, c] = max_{p, q < f} A_prev[i, h stride + p, w stride + q, c]
    average: A[i, h, w, c] = (1 / f^2) sum_{p, q < f} A_prev[i, h stride + p, w stride + q, c]
    Both reduce the window's two axes (height and width) only: never the examples or channels.

    A_prev: (m, n_H_prev, n_W_prev, n_C). f, stride: ints >= 1. mode: "max" or "average".
    Returns (A, cache). A: (m, n_H, n_W, n_C), n_H = 1 + floor((n_H_prev - f) / stride) (9.3).
    """
    return _pool_forward(*_check_pool_arguments(A_prev, f, stride, mode))


def _pool_backward(dA, cache):
    """dA_prev of pooling, (10.5) or (10.6), without input checks."""
    A_prev, A, f, stride, mode = cache["A_prev"], cache["A"], cache["f"], cache["stride"], cache["mode"]
    n_H, n_W = dA.shape[1:3]
    dA_prev = np.zeros(A_prev.shape, dtype=np.result_type(dA, A_prev))
    taken = np.zeros(A.shape, dtype=bool)  # max: has this window's winner been found yet?
    for _, _, window in _offsets(f, stride, n_H, n_W):
        if mode == "max":
            winner = (A_prev[window] == A) & ~taken  # (10.5): the first maximum of each window wins
            taken |= winner
            dA_prev[window] += winner * dA
        else:
            dA_prev[window] += dA / (f * f)  # (10.6)
    return dA_prev


def pool_backward(dA, cache):
    """Gradient of pooling with respect to its input, given dA (the summed loss's gradient w.r.t. A).

    max (10.5): each window's dA goes, whole, to ONE position: its maximum. When several entries
    tie for the maximum, the first in reading order (row by row) gets it, the others get 0, so
    the gradient of a window still sums to its dA.
    average (10.6): each window's dA is shared equally, dA / f^2 to each of its f^2 inputs.
    Overlapping windows (stride < f) add their shares.

    dA: (m, n_H, n_W, n_C). cache: from ``pool_forward``.
    Returns dA_prev with A_prev's shape: a gradient of the summed loss, like dA.
    """
    _check_cache(cache, ("A_prev", "A", "f", "stride", "mode"), "pool_forward")
    return _pool_backward(_check_gradient(dA, "dA", cache["A"].shape), cache)


# ----------------------------------------------------------------------------------------------
# Flatten: from (m, n_H, n_W, n_C) to the dense layers' features x m, and back
# ----------------------------------------------------------------------------------------------
def _flatten_forward(A):
    m = A.shape[0]
    return A.reshape(m, -1).T, A.shape


def _flatten_backward(dX, shape):
    return dX.T.reshape(shape)


def flatten_forward(A):
    """Unroll each example's (n_H, n_W, n_C) block into one column: X[:, i] = A[i].ravel(). (10.7)

    A: (m, n_H, n_W, n_C). Returns (X, cache): X of shape (n_H n_W n_C, m), the layout of the dense
    layers (one column per example); cache: A's shape.
    """
    A = _as_array(A, "A", 4, "(m, n_H, n_W, n_C): examples first, channels last")
    return _flatten_forward(A)


def flatten_backward(dX, cache):
    """The inverse rearrangement: column i of dX back into example i's (n_H, n_W, n_C) block. (10.7)

    dX: (n_H n_W n_C, m). cache: the shape from ``flatten_forward``. Returns dA with that shape.
    Flattening only moves numbers, so its backward pass moves the gradients back, unchanged.
    """
    if not (isinstance(cache, tuple) and len(cache) == 4):
        raise TypeError(f"cache must be the shape (m, n_H, n_W, n_C) returned by flatten_forward, got {cache!r}")
    m, n_H, n_W, n_C = cache
    dX = _as_array(dX, "dX", 2, "(features, m): one column per example")
    if dX.shape != (n_H * n_W * n_C, m):
        raise ValueError(f"dX has shape {dX.shape}, expected ({n_H * n_W * n_C}, {m}) for A of shape {cache}")
    return _flatten_backward(dX, cache)


# ----------------------------------------------------------------------------------------------
# A small CNN: a list of layers, run forward and backward by two short loops over the pairs above
# ----------------------------------------------------------------------------------------------
LAYER_TYPES = ("conv", "relu", "pool", "flatten", "dense")

DIGITS_CNN = (  # the network notebook 10 trains on the 8 x 8 digits
    {"type": "conv", "f": 3, "n_C": 8, "stride": 1, "pad": 1},
    {"type": "relu"},
    {"type": "conv", "f": 3, "n_C": 16, "stride": 1, "pad": 1},
    {"type": "relu"},
    {"type": "pool", "f": 2, "stride": 2, "mode": "max"},
    {"type": "flatten"},
    {"type": "dense", "n": 10},  # the logits of the softmax output
)


def _parameter_indices(layers):
    """[l or None for each layer]: conv and dense layers own parameters "W{l}", "b{l}", l = 1, 2, ..."""
    indices, l = [], 0
    for layer in layers:
        if layer["type"] in ("conv", "dense"):
            l += 1
            indices.append(l)
        else:
            indices.append(None)
    return indices


def _check_layers(layers, input_shape):
    """Check a layer list against an input shape (n_H, n_W, n_C); return the output shapes, layer by layer."""
    if not isinstance(layers, (list, tuple)) or not layers:
        raise TypeError(f"layers must be a non-empty list of dicts like {{'type': 'conv', ...}}, got {layers!r}")
    shape, shapes = tuple(input_shape), []
    for position, layer in enumerate(layers):
        if not isinstance(layer, dict) or layer.get("type") not in LAYER_TYPES:
            raise ValueError(f"layers[{position}] must be a dict with 'type' one of {LAYER_TYPES}, got {layer!r}")
        kind, where = layer["type"], f"layers[{position}] ({layer['type']})"
        if kind == "conv":
            if len(shape) != 3:
                raise ValueError(f"{where} needs an (n_H, n_W, n_C) input, but the layer before gives {shape}")
            f, pad, stride = layer["f"], _check_pad(layer.get("pad", 0)), layer.get("stride", 1)
            shape = (output_size(shape[0], f, pad, stride), output_size(shape[1], f, pad, stride),
                     check_positive_int(layer["n_C"], f"{where} n_C"))
        elif kind == "pool":
            if len(shape) != 3:
                raise ValueError(f"{where} needs an (n_H, n_W, n_C) input, but the layer before gives {shape}")
            check_name(layer.get("mode", "max"), f"{where} mode", POOL_MODES)
            f, stride = layer["f"], layer["stride"]
            shape = (output_size(shape[0], f, 0, stride), output_size(shape[1], f, 0, stride), shape[2])
        elif kind == "flatten":
            shape = (int(np.prod(shape)),)
        elif kind == "dense":
            if len(shape) != 1:
                raise ValueError(f"{where} needs a flat input: put a flatten layer before it (input {shape})")
            shape = (check_positive_int(layer["n"], f"{where} n"),)
        shapes.append(shape)
    if layers[-1]["type"] != "dense" or shape[0] < 2:
        raise ValueError("the last layer must be a dense layer with at least 2 units (the softmax's logits)")
    return shapes


def initialize_cnn(input_shape, layers=DIGITS_CNN, seed=0, dtype=np.float64):
    """He-initialised weights (3.6) and zero biases for every conv and dense layer of ``layers``.

    input_shape: (n_H, n_W, n_C) of one example. layers: a list of dicts (see DIGITS_CNN):
    {"type": "conv", "f", "n_C", "stride", "pad"}, {"type": "relu"}, {"type": "pool", "f",
    "stride", "mode"}, {"type": "flatten"}, {"type": "dense", "n"}; the last is a dense layer
    whose outputs are the softmax's logits.
    Returns {"W1", "b1", ...} numbered over the conv and dense layers in order: a conv layer's W is
    (f, f, n_C_prev, n_C) and b is (1, 1, 1, n_C); a dense layer's W is n x n_prev and b is n x 1.
    Each W ~ N(0, 2 / fan_in), fan_in = f f n_C_prev (conv) or n_prev (dense). So a conv layer has
    f f n_C_prev n_C + n_C parameters, whatever the image size, and a dense layer n n_prev + n (9.11).
    """
    shapes = _check_layers(layers, input_shape)
    rng = np.random.default_rng(seed)
    parameters, shape = {}, tuple(input_shape)
    for layer, l, out_shape in zip(layers, _parameter_indices(layers), shapes, strict=True):
        if layer["type"] == "conv":
            W_shape, b_shape = (layer["f"], layer["f"], shape[2], out_shape[2]), (1, 1, 1, out_shape[2])
        elif layer["type"] == "dense":
            W_shape, b_shape = (out_shape[0], shape[0]), (out_shape[0], 1)
        if l is not None:
            fan_in = int(np.prod(W_shape[:-1])) if layer["type"] == "conv" else W_shape[1]
            parameters[f"W{l}"] = (rng.standard_normal(W_shape) * np.sqrt(2 / fan_in)).astype(dtype)
            parameters[f"b{l}"] = np.zeros(b_shape, dtype=dtype)
        shape = out_shape
    return parameters


def _cnn_forward(X, parameters, layers):
    """The CNN's forward pass without input checks: one layer pair after another. Returns (AL, caches)."""
    A, caches = X, []
    for layer, l in zip(layers, _parameter_indices(layers), strict=True):
        kind = layer["type"]
        if kind == "conv":
            A, cache = _conv_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], layer.get("stride", 1),
                                     layer.get("pad", 0))  # (9.1)
        elif kind == "relu":
            A, cache = _activation_forward(A, "relu"), A  # (3.5); the cache is Z
        elif kind == "pool":
            A, cache = _pool_forward(A, layer["f"], layer["stride"], layer.get("mode", "max"))  # (9.7), (9.8)
        elif kind == "flatten":
            A, cache = _flatten_forward(A)  # (10.7)
        else:
            A, cache = _linear_forward(A, parameters[f"W{l}"], parameters[f"b{l}"]), A  # (3.1); cache A_prev
        caches.append(cache)
    return softmax(A), {"caches": caches, "ZL": A}  # the last dense layer's Z are the logits


def _cnn_backward(AL, Y, parameters, layers, caches):
    """The CNN's backward pass without input checks: the pairs in reverse. Returns grads {"dW1", "db1", ...}."""
    grads = {}
    d = AL - Y  # (5.5): softmax with cross-entropy, the summed loss's gradient w.r.t. the logits
    indices = _parameter_indices(layers)
    first = next(i for i, l in enumerate(indices) if l is not None)  # below it, no gradient is needed
    for position in range(len(layers) - 1, first - 1, -1):
        layer, l, cache = layers[position], indices[position], caches[position]
        kind, need_d_prev = layer["type"], position > first
        if kind == "conv":
            d, grads[f"dW{l}"], grads[f"db{l}"] = _conv_backward(d, cache, need_d_prev)  # (10.1)-(10.3)
        elif kind == "relu":
            d = _activation_backward(d, cache, "relu")  # (5.1)
        elif kind == "pool":
            d = _pool_backward(d, cache)  # (10.5), (10.6)
        elif kind == "flatten":
            d = _flatten_backward(d, cache)  # (10.7)
        else:
            d, grads[f"dW{l}"], grads[f"db{l}"] = _linear_backward(d, cache, parameters[f"W{l}"], need_d_prev)
    return grads


def _check_cnn(X, parameters, layers):
    X = _as_array(X, "X", 4, "(m, n_H, n_W, n_C): examples first, channels last")
    expected = initialize_cnn(X.shape[1:], layers)  # checks the layers; its arrays give the expected shapes
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters must be a dict like {{'W1': ..., 'b1': ...}}, got {type(parameters).__name__}")
    for key, value in expected.items():
        if key not in parameters:
            raise ValueError(f"parameters is missing {key!r} (these layers need {', '.join(expected)})")
        if np.shape(parameters[key]) != value.shape:
            raise ValueError(f"parameters[{key!r}] has shape {np.shape(parameters[key])}, expected {value.shape} "
                             "for these layers and this input")
        check_finite(np.asarray(parameters[key]), f"parameters[{key!r}]")
    return X


def cnn_forward(X, parameters, layers=DIGITS_CNN):
    """Run images through the CNN: each layer's forward pass in turn, then a softmax. (9.1), (9.7), (3.1)

    X: (m, n_H, n_W, n_C). parameters: from ``initialize_cnn(X.shape[1:], layers)``.
    Returns (AL, cache): AL is n_classes x m (one column of probabilities per example, the dense
    layout); cache holds "caches" (one per layer, what its backward pass needs) and "ZL", the logits.
    """
    X = _check_cnn(X, parameters, layers)
    return _cnn_forward(X, parameters, layers)


def cnn_backward(AL, Y, parameters, cache, layers=DIGITS_CNN):
    """Gradients of the cross-entropy cost with respect to every parameter of the CNN.

    Starts from dZ = AL - Y at the logits (5.5), then runs each layer's backward pass in reverse:
    dense (5.2)-(5.4), flatten (10.7), pool (10.5)/(10.6), ReLU (5.1), conv (10.1)-(10.3).
    AL: n_classes x m, from ``cnn_forward``. Y: n_classes x m one-hot. cache: from ``cnn_forward``.
    Returns {"dW1": ..., "db1": ..., ...} shaped like the parameters, each a gradient of
    J = (1/m) sum_i loss(i) (the 1/m is applied once, in each dW and db).
    """
    if not (isinstance(cache, dict) and "caches" in cache and len(cache["caches"]) == len(layers)):
        raise TypeError("cache must be the dict returned by cnn_forward for these layers")
    Y = _as_array(Y, "Y", 2, "(n_classes, m): one-hot columns")
    if Y.shape != np.shape(AL):
        raise ValueError(f"Y has shape {Y.shape} but AL has shape {np.shape(AL)}; they must match")
    check_labels(Y, "softmax")
    Y = Y.astype(np.result_type(AL), copy=False)  # one-hot labels are exact in float32: keep AL's dtype
    return _cnn_backward(AL, Y, parameters, layers, cache["caches"])


def cnn_cost(cache, Y):
    """J = (1/m) sum_i [logsumexp(z(i)) - sum_k y_k z_k(i)] from the cached logits. Equation (6.2)."""
    return _cost_from_logits(cache["ZL"], Y, "softmax")


def predict_cnn(X, parameters, layers=DIGITS_CNN, batch_size=256):
    """The most probable class of each image: shape (m,) ints. X: (m, n_H, n_W, n_C)."""
    X = _check_cnn(X, parameters, layers)
    return np.concatenate([_cnn_forward(X[start:start + batch_size], parameters, layers)[0].argmax(axis=0)
                           for start in range(0, X.shape[0], batch_size)])


def _update_cnn(parameters, grads, learning_rate):
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}


def train_cnn(X, Y, layers=DIGITS_CNN, learning_rate=0.05, epochs=10, batch_size=32, seed=0, progress=False,
              parameters=None):
    """Mini-batch gradient descent (2.6) on the CNN, with the softmax cross-entropy cost (6.2).

    X: (m, n_H, n_W, n_C) images. Y: n_classes x m one-hot. layers: as for ``initialize_cnn``.
    Each epoch shuffles the examples once (from ``default_rng(seed)``), then takes consecutive
    batches of ``batch_size`` (the m of the 1/m rule is the batch's size). parameters: start from
    these instead of ``initialize_cnn(X.shape[1:], layers, seed, X.dtype)``. progress: a tqdm bar.
    Returns (parameters, costs): costs[e] is the mean cost of the batches of epoch e, each
    computed from the logits before its step (the whole set is not re-run, to save a pass).
    """
    X = _as_array(X, "X", 4, "(m, n_H, n_W, n_C): examples first, channels last")
    Y = _as_array(Y, "Y", 2, "(n_classes, m): one-hot columns")
    if Y.shape[1] != X.shape[0]:
        raise ValueError(f"X has {X.shape[0]} examples (axis 0) but Y has {Y.shape[1]} (columns); they must match")
    check_labels(Y, "softmax")
    alpha = check_positive_number(learning_rate, "learning_rate")
    epochs, batch_size = check_positive_int(epochs, "epochs"), check_positive_int(batch_size, "batch_size")
    if parameters is None:
        parameters = initialize_cnn(X.shape[1:], layers, seed, X.dtype)
    _check_cnn(X[:1], parameters, layers)
    Y = Y.astype(X.dtype, copy=False)  # one-hot labels are exact in float32: keep X's dtype
    m, rng = X.shape[0], np.random.default_rng(seed)
    epoch_range = range(epochs)
    if progress:
        from tqdm.auto import tqdm

        epoch_range = tqdm(epoch_range, desc="training", unit="epoch")
    costs = []
    for _ in epoch_range:
        order = rng.permutation(m)  # shuffle once per epoch, then take consecutive slices
        X_epoch, Y_epoch = X[order], Y[:, order]
        total = 0.0
        for start in range(0, m, batch_size):
            X_batch, Y_batch = X_epoch[start:start + batch_size], Y_epoch[:, start:start + batch_size]
            AL, cache = _cnn_forward(X_batch, parameters, layers)
            total += cnn_cost(cache, Y_batch) * X_batch.shape[0]
            grads = _cnn_backward(AL, Y_batch, parameters, layers, cache["caches"])
            parameters = _update_cnn(parameters, grads, alpha)  # (2.6)
        costs.append(total / m)
    return parameters, costs
