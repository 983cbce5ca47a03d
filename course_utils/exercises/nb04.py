"""Notebook 04's exercises: the layer Jacobian, the recursion (4.2), and reverse accumulation (4.3)."""

import numpy as np

from ..activations import ACTIVATIONS
from ..jacobians import deltas_by_recursion, forward_accumulation, layer_jacobian, reverse_accumulation
from ._core import Exercise, Mistake, register
from ._random import away_from_zero


def _distinct_sizes(rng, count, low=2, high=7):
    """count sizes, neighbours never equal (so a missing transpose cannot hide)."""
    sizes = [int(rng.integers(low, high))]
    while len(sizes) < count:
        n = int(rng.integers(low, high))
        if n != sizes[-1] and (len(sizes) < 2 or n != sizes[-2]):
            sizes.append(n)
    return sizes


# the layer Jacobian d a[l] / d a[l-1] = diag(g'(z[l])) W[l] ------------------------------------
def _layer_jacobian_cases(rng):
    cases = []
    for activation in ["relu", "tanh", "sigmoid"] * 3:
        n_prev, n = _distinct_sizes(rng, 2)
        cases.append((rng.standard_normal((n, n_prev)), 2 * away_from_zero(rng, (n, 1)), activation))
    return cases


register(Exercise(
    name="layer_jacobian",
    equation="(4.2)",
    reference=layer_jacobian,
    cases=_layer_jacobian_cases,
    outputs=("jacobian",),
    argument_names=("W", "z", "activation"),
    mistakes=(
        Mistake("g_instead_of_g_prime", lambda W, z, activation: ACTIVATIONS[activation][0](z) * W,
                "you scaled the rows of W by g(z); the Jacobian needs the slope g'(z): "
                "d a_j / d a_prev_k = g'(z_j) W_jk."),
        Mistake("missing_activation_slope", lambda W, z, activation: W.copy(),
                "you returned W alone, the Jacobian of z = W a_prev + b; a[l] = g(z) bends each z_j by its "
                "slope, so row j of W must be multiplied by g'(z_j): diag(g'(z)) W."),
        Mistake("missing_transpose", lambda W, z, activation: (ACTIVATIONS[activation][1](z) * W).T,
                "your Jacobian is transposed: d a[l] / d a[l-1] has one row per output a_j (n_l rows) and one "
                "column per input a_prev_k (n_{l-1} columns), the shape of W."),
        Mistake("diag_on_wrong_side", lambda W, z, activation: W @ np.diag(ACTIVATIONS[activation][1](z)[:, 0]),
                "diag(g'(z)) goes on the left, diag(g'(z)) W: it scales the rows of W (one row per output "
                "unit j); W diag(g'(z)) would scale its columns, and does not even fit unless W is square."),
    ),
    hint="Row j of the Jacobian is g'(z_j) times row j of W: ACTIVATIONS-style g'(z) of shape (n_l, 1) times W "
         "broadcasts over the columns, or np.diag(g_prime[:, 0]) @ W.",
))


# the recursion (4.2) ---------------------------------------------------------------------------
def _recursion_cases(rng):
    cases = []
    for i in range(8):
        L = [1, 2, 3, 4, 2, 3, 4, 3][i]
        dims = _distinct_sizes(rng, L + 1)
        jacobians = {l: rng.standard_normal((dims[l], dims[l - 1])) for l in range(1, L + 1)}
        cases.append((jacobians, rng.standard_normal((dims[-1], 1))))
    return cases


def _recursion_with(step):
    """deltas_by_recursion with its one line, delta[l] = J_{l+1}^T delta[l+1], replaced by a slip."""
    def wrong(jacobians, delta_L):
        L = len(jacobians)
        deltas = {L: delta_L}
        for l in range(L - 1, 0, -1):
            deltas[l] = step(jacobians, deltas, l, L)
        return deltas
    return wrong


register(Exercise(
    name="deltas_by_recursion",
    equation="(4.2)",
    reference=deltas_by_recursion,
    cases=_recursion_cases,
    outputs=("deltas",),
    argument_names=("jacobians", "delta_L"),
    mistakes=(
        Mistake("missing_transpose", _recursion_with(lambda J, d, l, L: J[l + 1] @ d[l + 1]),
                "the shapes do not fit: (4.2) is delta[l] = J_{l+1}^T delta[l+1], the transpose of the Jacobian of "
                "layer l+1 (jacobians[l + 1].T). J_{l+1} is n_{l+1} x n_l, so only its transpose takes the "
                "n_{l+1} entries of delta[l+1] back to layer l's n_l."),
        Mistake("hadamard_instead_of_matmul", _recursion_with(lambda J, d, l, L: J[l + 1].T * d[l + 1]),
                "you multiplied element by element (*); (4.2) is a matrix-vector product, "
                "J_{l+1}^T @ delta[l+1]: each delta[l]_k sums over the units j of layer l+1."),
        Mistake("not_chained", _recursion_with(lambda J, d, l, L: J[l + 1].T @ d[L]),
                "each delta[l] is built from delta[l+1], the one just computed, not from delta[L]: "
                "delta[l] = J_{l+1}^T delta[l+1] (4.2). That is the reuse that makes it cheap."),
    ),
    hint="Start with deltas = {L: delta_L}; then for l = L-1 down to 1: "
         "deltas[l] = jacobians[l + 1].T @ deltas[l + 1].",
))


# reverse accumulation (4.3) --------------------------------------------------------------------
def _chain_cases(rng):
    cases = []
    for L in [1, 2, 3, 4, 2, 3, 4, 3]:
        dims = _distinct_sizes(rng, L + 1)
        if dims[0] == dims[-1]:  # n_0 = n_L would make both orders cost the same
            dims[0] += 7
        cases.append(([rng.standard_normal((n, n_prev)) for n_prev, n in zip(dims[:-1], dims[1:], strict=True)],))
    return cases


def _counting_products(jacobians):
    product, _ = reverse_accumulation(jacobians)
    return product, len(jacobians)


register(Exercise(
    name="reverse_accumulation",
    equation="(4.3)",
    reference=reverse_accumulation,
    cases=_chain_cases,
    outputs=("product", "multiply_adds"),
    argument_names=("jacobians",),
    mistakes=(
        Mistake("forward_order", forward_accumulation,
                "you multiplied from the input end (J_1 first): the product is right, but that is forward "
                "accumulation, n_0 sum n_l n_{l-1} multiply-adds. Reverse starts from the n_L x n_L identity and "
                "multiplies J_L first (4.3)."),
        Mistake("counted_products", _counting_products,
                "multiply_adds counts the products, not their multiply-adds: a p x q times q x r product costs "
                "p q r (4.3)."),
    ),
    hint="product = np.eye(n_L); for J in reversed(jacobians): add product.shape[0] * J.shape[0] * J.shape[1], "
         "then product = product @ J.",
))
