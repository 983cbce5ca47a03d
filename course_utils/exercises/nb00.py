"""Notebook 00's exercises: the matrix product by loops (0.1), the central difference (0.3)."""

import numpy as np

from ..gradcheck import numerical_gradient
from ._core import Exercise, Mistake, register


# (0.1) C_ij = sum_k A_ik B_kj, written with loops --------------------------------------------
def _matmul_cases(rng):
    cases = []
    for _ in range(10):
        n, k, p = (int(v) for v in rng.integers(2, 6, 3))
        while len({n, k, p}) < 3:  # three different sizes: a mix-up of indices cannot hide
            n, k, p = (int(v) for v in rng.integers(2, 6, 3))
        cases.append((rng.standard_normal((n, k)), rng.standard_normal((k, p))))
    square = int(rng.integers(2, 5))
    cases.append((rng.standard_normal((square, square)), rng.standard_normal((square, square))))
    cases.append((rng.standard_normal((1, 4)), rng.standard_normal((4, 1))))  # a row times a column: 1 x 1
    return cases


def _matmul_reference(A, B):
    return A @ B


def _last_term_only(A, B):
    """C[i, j] = A[i, k] * B[k, j] with '=' instead of '+=': only the last k survives."""
    return A[:, -1:] * B[-1:, :]


register(Exercise(
    name="matmul_by_loops",
    equation="(0.1)",
    reference=_matmul_reference,
    cases=_matmul_cases,
    outputs=("C",),
    argument_names=("A", "B"),
    mistakes=(
        Mistake("hadamard_instead_of_product", lambda A, B: A * B,
                "you multiplied entry by entry (the Hadamard product (0.2)); the matrix product (0.1) "
                "sums over k: C[i, j] = sum over k of A[i, k] * B[k, j]."),
        Mistake("last_term_only", _last_term_only,
                "each C[i, j] holds only the last term A[i, k] * B[k, j]: inside the loop over k, add to the "
                "entry (C[i, j] += ...) instead of overwriting it (C[i, j] = ...). (0.1) is a sum over k."),
    ),
    hint="C has the rows of A and the columns of B; start it at zeros and add A[i, k] * B[k, j] for every k (0.1).",
))


# (0.3) the central difference, for every entry of x -------------------------------------------
def _smooth(x):
    return float(np.sum(np.sin(3 * x) * x ** 2 + np.exp(0.5 * x)))


def _gradient_cases(rng):
    shapes = [(1,), (4,), (2, 3), (3, 1), (1, 5), (2, 2, 2)]
    return [(_smooth, rng.uniform(-2, 2, shape), 1e-3) for shape in shapes]


def _forward_difference(f, x, eps):
    grad = np.zeros_like(x)
    base = f(x.copy())
    for index in np.ndindex(x.shape):
        nudged = x.copy()
        nudged[index] += eps
        grad[index] = (f(nudged) - base) / eps
    return grad


def _divided_by_eps(f, x, eps):
    return 2 * numerical_gradient(f, x.copy(), eps)


register(Exercise(
    name="numerical_gradient",
    equation="(0.3)",
    reference=numerical_gradient,
    cases=_gradient_cases,
    outputs=("grad",),
    argument_names=("f", "x", "eps"),
    mistakes=(
        Mistake("forward_difference", _forward_difference,
                "this is the forward difference (0.4), (f(x + eps) - f(x)) / eps, whose error shrinks only like "
                "eps. Nudge both ways: (f(x + eps) - f(x - eps)) / (2 eps), equation (0.3)."),
        Mistake("divided_by_eps", _divided_by_eps,
                "your gradient is twice too large: the two nudges are 2 eps apart, so (0.3) divides "
                "f(x + eps) - f(x - eps) by 2 eps, not by eps."),
    ),
    hint="Each entry k should be (f(x + eps e_k) - f(x - eps e_k)) / (2 eps), equation (0.3): save x[k], nudge it, "
         "call f, and put the saved value back exactly (x[k] = saved) before moving on.",
))
