"""Input checks shared by the public functions of ``course_utils``.

Every public function checks what it is given *before* doing any maths, so a mistake shows up as
one clear sentence (which argument, what was expected, what arrived) instead of a numpy broadcast
error three calls deeper, or worse, a silently wrong answer.
"""

import numbers
import re

import numpy as np

HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid", "identity")
OUTPUT_ACTIVATIONS = ("relu", "tanh", "sigmoid", "identity", "softmax")


def as_matrix(x, name, rows=None, cols=None, allow_empty=False, finite=True):
    """Return ``x`` as a finite 2-D float array, or raise a clear error.

    ``rows``/``cols`` (ints or None for "any") give the expected shape. Integer and boolean input
    is converted to float64; float32 stays float32. The input itself is never modified.
    ``finite=False`` skips the scan for NaN and inf, for values another public function has
    already checked (the scan reads every entry, so it costs as much as a pass of arithmetic).
    """
    if not isinstance(x, np.ndarray):
        if isinstance(x, (list, tuple)) or isinstance(x, numbers.Number):
            x = np.asarray(x)
        else:
            raise TypeError(f"{name} must be a numpy array, got {type(x).__name__}")
    if x.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers, got an array of dtype {x.dtype}")
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    if x.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (rows x columns, one column per example), "
            f"got {x.ndim}-D with shape {x.shape}"
        )
    if (rows is not None and x.shape[0] != rows) or (cols is not None and x.shape[1] != cols):
        expected = (rows if rows is not None else "any", cols if cols is not None else "any")
        raise ValueError(f"{name} has shape {x.shape}, expected {expected}")
    if x.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty (shape {x.shape}); it needs at least one row and one column")
    if finite:
        check_finite(x, name)
    return x


def check_finite(x, name):
    """Raise ``ValueError`` if ``x`` holds NaN or +-inf, naming the first bad position."""
    if not np.isfinite(x).all():
        bad = np.argwhere(~np.isfinite(x))[0]
        value = x[tuple(bad)]
        raise ValueError(f"{name} must be finite, but {name}[{', '.join(map(str, bad))}] is {value}")


def check_name(value, name, allowed):
    """Raise ``ValueError`` unless ``value`` is one of the strings in ``allowed``."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; expected one of {', '.join(map(repr, allowed))}")
    return value


def check_positive_number(value, name):
    """Return ``value`` as a float if it is a finite number > 0, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return float(value)


def check_positive_int(value, name):
    """Return ``value`` if it is an int >= 1, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


_PARAMETER_KEY = re.compile(r"^([Wb])([1-9][0-9]*)$")


def check_parameters(parameters, name="parameters", finite=True):
    """Check a parameter dictionary ``{"W1", "b1", ..., "WL", "bL"}`` and return L.

    The number of layers comes from the keys: ``W1 ... WL`` must all be present, each with its
    ``b``. Shapes must chain: ``W[l]`` is n_l x n_{l-1} and ``b[l]`` is n_l x 1. Every value must
    be finite, unless ``finite=False`` (keys and shapes only, for parameters whose values the
    forward pass has already checked).
    """
    if not isinstance(parameters, dict):
        raise TypeError(f"{name} must be a dict like {{'W1': ..., 'b1': ...}}, got {type(parameters).__name__}")
    layers = set()
    for key in parameters:
        match = _PARAMETER_KEY.match(key) if isinstance(key, str) else None
        if match is None:
            raise ValueError(f"{name} has an unexpected key {key!r}; expected keys 'W1', 'b1', ..., 'WL', 'bL'")
        layers.add(int(match.group(2)))
    if not layers:
        raise ValueError(f"{name} is empty; expected keys 'W1', 'b1', ..., 'WL', 'bL'")
    L = max(layers)
    for l in range(1, L + 1):
        for kind in ("W", "b"):
            if f"{kind}{l}" not in parameters:
                raise ValueError(f"{name} is missing {kind}{l!s} "
                                 f"(found layers up to {L}, so expected W1..W{L} and b1..b{L})")
    n_prev = None
    for l in range(1, L + 1):
        W = as_matrix(parameters[f"W{l}"], f"{name}['W{l}']", finite=finite)
        if n_prev is not None and W.shape[1] != n_prev:
            raise ValueError(
                f"{name}['W{l}'] has shape {W.shape} but layer {l - 1} has {n_prev} units, "
                f"so expected ({W.shape[0]}, {n_prev})"
            )
        as_matrix(parameters[f"b{l}"], f"{name}['b{l}']", rows=W.shape[0], cols=1, finite=finite)
        n_prev = W.shape[0]
    return L
