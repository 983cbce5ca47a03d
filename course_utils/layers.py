"""One layer at a time: the linear step Z = W.A_prev + b, forward and backward.

Shapes (one column per example): A_prev is n_{l-1} x m, W is n_l x n_{l-1}, b is n_l x 1,
Z is n_l x m.

The layer pair: ``linear_forward(A_prev, W, b) -> (Z, linear_cache)`` and
``linear_backward(dZ, linear_cache) -> (dA_prev, dW, db)``. The public functions check their
arguments, then call the unchecked ``_linear_forward``/``_linear_backward``, which is where the
equations are written, once. The network's loops (``network.py``) call the unchecked versions
directly, because the public boundary has already checked everything they are given.

The 1/m rule: ``dZ`` and ``dA_prev`` are gradients of the *summed* loss sum_i loss(i); ``dW`` and
``db`` carry the single 1/m and are true gradients of the cost J = (1/m) sum_i loss(i).
"""

from ._validation import as_matrix


def _linear_forward(A_prev, W, b):
    """Z = W . A_prev + b (3.1), without input checks."""
    return W @ A_prev + b


def _linear_backward(dZ, A_prev, W, need_dA_prev=True):
    """(dA_prev, dW, db) of the linear step (5.2)-(5.4), without input checks.

    need_dA_prev=False skips W^T . dZ and returns None in its place: the first layer's dA[0] is a
    gradient with respect to the data, which training never needs.
    """
    m = A_prev.shape[1]
    dW = (dZ @ A_prev.T) / m  # (5.2)
    db = dZ.sum(axis=1, keepdims=True) / m  # (5.3)
    dA_prev = W.T @ dZ if need_dA_prev else None  # (5.4)
    return dA_prev, dW, db


def linear_forward(A_prev, W, b):
    """Z = W . A_prev + b, with b broadcast over the m columns. Equations (1.1) and (3.1).

    A_prev: n_{l-1} x m. W: n_l x n_{l-1}. b: n_l x 1.
    Returns (Z, linear_cache) with Z of shape n_l x m and linear_cache = (A_prev, W, b).
    """
    W = as_matrix(W, "W")
    A_prev = as_matrix(A_prev, "A_prev", rows=W.shape[1])
    b = as_matrix(b, "b", rows=W.shape[0], cols=1)
    return _linear_forward(A_prev, W, b), (A_prev, W, b)


def linear_backward(dZ, linear_cache):
    """Gradients of the linear step, given dZ (the summed loss's gradient w.r.t. Z).

    dW      = (1/m) dZ . A_prev^T          equations (5.2), (2.5)   n_l x n_{l-1}
    db      = (1/m) sum over columns of dZ  equations (5.3), (2.5)   n_l x 1
    dA_prev = W^T . dZ                      equation (5.4)           n_{l-1} x m

    dZ: n_l x m. linear_cache: (A_prev, W, b) from ``linear_forward``.
    Returns (dA_prev, dW, db). dA_prev, like dZ, is a gradient of the summed loss; dW and db are
    gradients of J.
    """
    if not (isinstance(linear_cache, tuple) and len(linear_cache) == 3):
        raise TypeError("linear_cache must be the tuple (A_prev, W, b) returned by linear_forward, "
                        f"got {type(linear_cache).__name__}"
                        + (f" of length {len(linear_cache)}" if isinstance(linear_cache, (tuple, list)) else ""))
    A_prev, W, b = linear_cache
    W = as_matrix(W, "W")
    A_prev = as_matrix(A_prev, "A_prev", rows=W.shape[1])
    dZ = as_matrix(dZ, "dZ", rows=W.shape[0], cols=A_prev.shape[1])
    return _linear_backward(dZ, A_prev, W)
