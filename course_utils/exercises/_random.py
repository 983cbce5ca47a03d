"""Random cases shared by the exercises: shapes that expose the classic mistakes.

Layers are never square (a missing transpose cannot hide), m is 1 in one case and larger in the
others (a missing 1/m shows), biases are non-zero (a dropped bias shows).
"""

import numpy as np


def layer_sizes(rng, count=12):
    """[(n_prev, n, m)] with n_prev != n, n != m, and m = 1 in the first case."""
    sizes = []
    while len(sizes) < count:
        n_prev, n = (int(v) for v in rng.integers(2, 7, 2))
        m = 1 if not sizes else int(rng.integers(2, 9))
        if n_prev != n and n != m and n_prev != m:
            sizes.append((n_prev, n, m))
    return sizes


def away_from_zero(rng, shape, low=0.05):
    """Standard normal entries, none closer to 0 than ``low`` (no ReLU kink within a nudge)."""
    Z = rng.standard_normal(shape)
    return np.where(np.abs(Z) < low, np.sign(Z + 1e-300) * (low + np.abs(Z)), Z)
