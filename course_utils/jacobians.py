"""What a gradient costs, and chains of Jacobians: the maths of notebook 04.

Cost (4.1). Nudging every parameter with central differences evaluates the cost twice per
parameter: 2P forward passes for P parameters. Backpropagation costs one forward and one backward
pass; counted in multiply-adds of the matrix products (where a dense network spends its time),
that is between 2 and 3 forward passes, whatever P is. Its price is memory: the backward pass
reads the arrays the forward pass computed, so they are kept (the cache).

The recursion (4.2). For one example, layer l maps a[l-1] to a[l] = g(W[l] a[l-1] + b[l]); its
Jacobian is d a[l] / d a[l-1] = diag(g'(z[l])) W[l]. With delta[l] = dJ/da[l] (a column),

    delta[l] = (d a[l+1] / d a[l])^T delta[l+1],        delta[L] = dJ/da[L]          (4.2)

computed once per layer, from the output back.

Forward or reverse (4.3). The Jacobian of a chain J_L ... J_1 (J_l is n_l x n_{l-1}) costs
n_L sum_l n_l n_{l-1} multiply-adds when multiplied from the output end (reverse accumulation:
vector-Jacobian products when n_L = 1) and n_0 sum_l n_l n_{l-1} from the input end (forward
accumulation: n_0 Jacobian-vector products).

Only numpy is imported here.
"""

import numbers

import numpy as np

from ._validation import HIDDEN_ACTIVATIONS, as_matrix, check_name, check_positive_int
from .activations import ACTIVATIONS

UNIT_ROUNDOFF = float(np.finfo(np.float64).eps) / 2  # u = 2^-53


def _check_dims(dims, name="layer_dims"):
    if not isinstance(dims, (list, tuple)) or len(dims) < 2:
        raise ValueError(f"{name} must be a list [n_0, n_1, ..., n_L] of at least 2 sizes, got {dims!r}")
    for position, n in enumerate(dims):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"{name}[{position}] must be a positive integer, got {n!r}")
    return [int(n) for n in dims]


def _weight_counts(dims):
    """[n_l * n_{l-1} for l = 1 .. L]: the entries of each W[l], and the multiply-adds of W[l] . a."""
    return [n * n_prev for n_prev, n in zip(dims[:-1], dims[1:], strict=True)]


# ----------------------------------------------------------------------------------------------
# (4.1) what one gradient costs
# ----------------------------------------------------------------------------------------------
def parameter_count(layer_dims):
    """P = sum over layers of n_l n_{l-1} (the weights W[l]) + n_l (the biases b[l]). (4.1)

    layer_dims: [n_0, n_1, ..., n_L]. Returns P, an int.
    """
    dims = _check_dims(layer_dims)
    return sum(_weight_counts(dims)) + sum(dims[1:])


def forward_multiply_adds(layer_dims, m=1):
    """Multiply-adds of one forward pass: m sum_l n_l n_{l-1} (one product W[l] . A[l-1] per layer).

    layer_dims: [n_0, ..., n_L]. m: number of examples (columns of X). Returns an int.
    """
    dims = _check_dims(layer_dims)
    return check_positive_int(m, "m") * sum(_weight_counts(dims))


def backward_multiply_adds(layer_dims, m=1):
    """Multiply-adds of one backward pass.

    Every layer computes dW[l] = (1/m) dZ[l] . A[l-1]^T (n_l n_{l-1} m multiply-adds, (5.2));
    layers 2 .. L also compute dA[l-1] = W[l]^T . dZ[l] (the same count, (5.4)); dA[0] is never
    needed. layer_dims: [n_0, ..., n_L]. m: number of examples. Returns an int.
    """
    counts = _weight_counts(_check_dims(layer_dims))
    return check_positive_int(m, "m") * (sum(counts) + sum(counts[1:]))


def gradient_costs(layer_dims):
    """Cost of one full gradient, in forward passes, for both methods. (4.1)

    layer_dims: [n_0, ..., n_L].
    Returns (numerical, backprop):
        numerical  2P, an int: central differences evaluate the cost twice per parameter
        backprop   1 + backward/forward multiply-adds, a float in [2, 3): one forward pass plus
                   one backward pass, the same for every m
    """
    numerical = 2 * parameter_count(layer_dims)
    backprop = 1 + backward_multiply_adds(layer_dims) / forward_multiply_adds(layer_dims)
    return numerical, backprop


def cache_numbers(layer_dims, m):
    """How many numbers the forward pass keeps for the backward pass: n_0 m + 2 m sum_{l>=1} n_l.

    The cache holds A[0] = X (n_0 x m) and, for every layer, Z[l] and A[l] (n_l x m each): the
    memory reverse mode pays for computing every delta once. Nudging keeps none of them.
    layer_dims: [n_0, ..., n_L]. m: number of examples. Returns an int.
    """
    dims = _check_dims(layer_dims)
    m = check_positive_int(m, "m")
    return m * (dims[0] + 2 * sum(dims[1:]))


# ----------------------------------------------------------------------------------------------
# (4.2) the layer Jacobian and the recursion
# ----------------------------------------------------------------------------------------------
def layer_jacobian(W, z, activation):
    """d a[l] / d a[l-1] = diag(g'(z[l])) . W[l] for one example: the factor of the recursion (4.2).

    Element by element: d a_j / d a_prev_k = g'(z_j) W_jk (row j scaled by g'(z_j)).
    W: n_l x n_{l-1}. z: n_l x 1, the layer's pre-activation. activation: "relu", "tanh",
    "sigmoid" or "identity". Returns an n_l x n_{l-1} matrix.
    """
    check_name(activation, "activation", HIDDEN_ACTIVATIONS)
    W = as_matrix(W, "W")
    z = as_matrix(z, "z", rows=W.shape[0], cols=1)
    return ACTIVATIONS[activation][1](z) * W  # (n_l x 1) broadcast over the columns of W


def _check_chain(jacobians, name="jacobians"):
    """The matrices of a chain J_1 .. J_L (a list), checked to fit: J_l is n_l x n_{l-1}."""
    if not isinstance(jacobians, (list, tuple)) or not jacobians:
        raise TypeError(f"{name} must be a non-empty list [J_1, ..., J_L] of matrices, got {type(jacobians).__name__}")
    chain = []
    for l, J in enumerate(jacobians, start=1):
        J = as_matrix(J, f"{name}[{l - 1}] (J_{l})", cols=chain[-1].shape[0] if chain else None)
        chain.append(J)
    return chain


def deltas_by_recursion(jacobians, delta_L):
    """delta[l] = J_{l+1}^T delta[l+1] for l = L-1 .. 1, from the output back. Equation (4.2).

    jacobians: {1: J_1, ..., L: J_L} with J_l = d a[l] / d a[l-1], an n_l x n_{l-1} matrix.
    delta_L: dJ/da[L], an n_L x 1 column. Each step is one matrix-vector product; nothing is
    recomputed. Returns {L: delta_L, L-1: ..., 1: delta[1]}, delta[l] of shape n_l x 1.
    """
    if not isinstance(jacobians, dict) or not jacobians:
        raise TypeError(f"jacobians must be a dict {{1: J_1, ..., L: J_L}}, got {type(jacobians).__name__}")
    L = len(jacobians)
    if sorted(jacobians) != list(range(1, L + 1)):
        raise ValueError(f"jacobians must have the keys 1 .. {L}, got {sorted(jacobians)}")
    chain = _check_chain([jacobians[l] for l in range(1, L + 1)])
    deltas = {L: as_matrix(delta_L, "delta_L", rows=chain[-1].shape[0], cols=1)}
    for l in range(L - 1, 0, -1):
        deltas[l] = chain[l].T @ deltas[l + 1]  # chain[l] is J_{l+1}
    return deltas


# ----------------------------------------------------------------------------------------------
# (4.3) a chain of Jacobians, multiplied from either end
# ----------------------------------------------------------------------------------------------
def chain_costs(dims):
    """(reverse, forward) multiply-adds of J_L ... J_1 for a chain of sizes dims = [n_0, ..., n_L]. (4.3)

    reverse = n_L sum_l n_l n_{l-1}, forward = n_0 sum_l n_l n_{l-1}. Returns two ints.
    """
    dims = _check_dims(dims, "dims")
    total = sum(_weight_counts(dims))
    return dims[-1] * total, dims[0] * total


def reverse_accumulation(jacobians):
    """J_L ... J_1 multiplied from the output end, and the multiply-adds it took. Equation (4.3).

    Start from the n_L x n_L identity, multiply by J_L, then J_{L-1}, ..., J_1: step l multiplies
    an n_L x n_l matrix by J_l (n_L n_l n_{l-1} multiply-adds). With n_L = 1 each step is a
    vector-Jacobian product. jacobians: [J_1, ..., J_L], J_l of shape n_l x n_{l-1}.
    Returns (product, multiply_adds): the n_L x n_0 Jacobian of the chain and an int.
    """
    chain = _check_chain(jacobians)
    product, multiply_adds = np.eye(chain[-1].shape[0]), 0
    for J in reversed(chain):
        multiply_adds += product.shape[0] * J.shape[0] * J.shape[1]
        product = product @ J
    return product, multiply_adds


def forward_accumulation(jacobians):
    """J_L ... J_1 multiplied from the input end, and the multiply-adds it took. Equation (4.3).

    Start from the n_0 x n_0 identity, multiply by J_1, then J_2, ..., J_L: step l multiplies J_l
    by an n_{l-1} x n_0 matrix (n_l n_{l-1} n_0 multiply-adds), i.e. n_0 Jacobian-vector products.
    jacobians: [J_1, ..., J_L]. Returns (product, multiply_adds) as ``reverse_accumulation``.
    """
    chain = _check_chain(jacobians)
    product, multiply_adds = np.eye(chain[0].shape[1]), 0
    for J in chain:
        multiply_adds += J.shape[0] * J.shape[1] * product.shape[1]
        product = J @ product
    return product, multiply_adds


def product_roundoff_bound(jacobians):
    """How far two correct evaluations of J_L ... J_1 (in any order) may differ, entry by entry.

    A computed product of a p x q and a q x r matrix is off by at most about q u |A| |B| per entry
    (u: the unit round-off; |A|: entry-wise absolute values). Along a chain these add up, so any
    bracketing is within (sum of the inner sizes) u |J_L| ... |J_1| of the exact product, and two
    bracketings within twice that: 2 (n_0 + ... + n_L) u |J_L| ... |J_1|.
    jacobians: [J_1, ..., J_L]. Returns an n_L x n_0 array of bounds.
    """
    chain = _check_chain(jacobians)
    magnitude = np.abs(chain[0])
    for J in chain[1:]:
        magnitude = np.abs(J) @ magnitude
    sizes = chain[0].shape[1] + sum(J.shape[0] for J in chain)
    return 2 * sizes * UNIT_ROUNDOFF * magnitude
