"""Notebook 00's exercises: the matrix product by loops (0.1), the central difference (0.3)."""

import numpy as np

from ..gradcheck import numerical_gradient
from ._core import Exercise, Mistake, register


# (0.1) C_ij = sum_k A_ik B_kj, written with loops --------------------------------------------
def _matmul_cases(rng):
    cases = []
    for _ in range(10):
        n, k, p = (int(v) for v in rng.integers(2, 6, 3))
        while len({n, k, p}) < 3:
            n, k, p = (int(v) for v in rng.integers(2, 6, 3))
        cases.append((rng.standard_normal((n, k)), rng.standard_normal((k, p))))
    square = int(rng.integers(2, 5))
    cases.append((rng.standard_normal((square, square)), rng.standard_normal((square, square))))
    return cases


def _matmul_reference(A, B):
    return A @ B


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
    ),
    hint="Check the shape of C (rows of A by columns of B) and that the sum runs over the shared index k.",
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
    ),
    hint="Each entry k should be (f(x + eps e_k) - f(x - eps e_k)) / (2 eps), with x put back afterwards.",
))
