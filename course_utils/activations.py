"""Activation functions g(Z) and their derivatives g'(Z).

Each function works element by element on an array of any shape (softmax works column by column:
one column is one example). Nothing here modifies its input.

Equations: sigmoid (1.2), tanh (3.4), ReLU (3.5), sigmoid' = sigma(1 - sigma) (2.3),
ReLU'(0) = 0 (5.8), the activation step of backpropagation dZ = dA * g'(Z) (5.1), the softmax
Jacobian (5.6).

The layer pair: ``activation_forward(Z, activation) -> A`` and
``activation_backward(dA, Z, activation) -> dZ``; the only thing the backward step needs from the
forward pass is Z (its cache). Each g' is written once, in the ``*_derivative`` functions, and
``_activation_backward`` is the one place that applies (5.1); the network's loops call it.
"""

import numpy as np

from ._validation import OUTPUT_ACTIVATIONS, as_matrix, check_name


def sigmoid(Z):
    """Logistic sigmoid, sigma(z) = 1 / (1 + exp(-z)). Equation (1.2).

    Computed without overflow for any finite z: exp is only ever taken of -|z| <= 0.

    Z: array of any shape. Returns an array of the same shape, values in [0, 1].
    """
    E = np.exp(-np.abs(Z))  # in (0, 1]: never overflows
    return np.where(Z >= 0, 1 / (1 + E), E / (1 + E))


def sigmoid_derivative(Z):
    """sigma'(z) = sigma(z) * (1 - sigma(z)). Equation (2.3). Same shape as Z; at most 0.25."""
    S = sigmoid(Z)
    return S * (1 - S)


def tanh(Z):
    """Hyperbolic tangent, values in [-1, 1]. Equation (3.4). Same shape as Z."""
    return np.tanh(Z)


def tanh_derivative(Z):
    """tanh'(z) = 1 - tanh(z)^2. Same shape as Z; at most 1."""
    T = np.tanh(Z)
    return 1 - T * T


def relu(Z):
    """Rectified linear unit, max(0, z). Equation (3.5). Same shape as Z."""
    return np.maximum(Z, 0)


def relu_derivative(Z):
    """ReLU'(z): 1 where z > 0, else 0 (ReLU'(0) = 0 by convention, equation (5.8)). Same shape."""
    return (Z > 0).astype(Z.dtype)


def identity(Z):
    """g(z) = z (no activation; the output of a regression network). Returns Z unchanged."""
    return Z


def identity_derivative(Z):
    """g'(z) = 1. Returns an array of ones with Z's shape and dtype."""
    return np.ones_like(Z)


def softmax(Z):
    """Column-wise softmax: A[k, i] = exp(Z[k, i]) / sum_j exp(Z[j, i]).

    Each column is shifted by its maximum first, which leaves the result unchanged but keeps every
    exponent <= 0, so nothing overflows even for logits of 1e4. Equation (9.9).

    Z: n x m (classes x examples). Returns n x m; every column is non-negative and sums to 1.
    """
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def softmax_backward(dA, A):
    """Gradient through a softmax column by column: dz = (da/dz)^T da, Jacobian (5.6).

    The Jacobian of one column is da/dz = diag(a) - a a^T (10.8). It is symmetric, so
    dz = (da/dz)^T da = (diag(a) - a a^T) da = a * (da - a . da), written without forming the
    n x n matrix.

    dA: n x m upstream gradient with respect to A. A: n x m softmax output. Returns dZ, n x m.
    """
    return A * (dA - (dA * A).sum(axis=0, keepdims=True))


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "identity": (identity, identity_derivative),
}


def _activation_forward(Z, activation):
    """A = g(Z) (3.2) without input checks (the public functions and the loops check first)."""
    if activation == "softmax":
        return softmax(Z)
    return ACTIVATIONS[activation][0](Z)


def _activation_backward(dA, Z, activation):
    """dZ = dA * g'(Z) (5.1), or the softmax Jacobian product (5.6), without input checks."""
    if activation == "softmax":
        return softmax_backward(dA, softmax(Z))
    return dA * ACTIVATIONS[activation][1](Z)


def activation_forward(Z, activation):
    """A = g(Z) for the named activation. Equation (3.2).

    Z: n_l x m. activation: "relu", "tanh", "sigmoid", "identity" or "softmax". Returns A, n_l x m.
    """
    check_name(activation, "activation", OUTPUT_ACTIVATIONS)
    Z = as_matrix(Z, "Z")
    return _activation_forward(Z, activation)


def activation_backward(dA, Z, activation):
    """dZ = dA * g'(Z) for an element-wise activation; the Jacobian product for softmax. (5.1)

    dA: n_l x m, gradient of the loss with respect to A = g(Z). Z: n_l x m, the cached input.
    Returns dZ, n_l x m (the same kind of gradient as dA: of the summed loss if dA is).
    """
    check_name(activation, "activation", OUTPUT_ACTIVATIONS)
    Z = as_matrix(Z, "Z")
    dA = as_matrix(dA, "dA", rows=Z.shape[0], cols=Z.shape[1])
    return _activation_backward(dA, Z, activation)
