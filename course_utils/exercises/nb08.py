"""Notebook 08's exercises: the L2-penalised cost (8.2), the penalties' gradients (8.3), (8.5), and
the backward pass of inverted dropout (8.7)."""

import numpy as np

from ..losses import _cost, compute_cost
from ..network import initialize_parameters
from ..regularisation import dropout_backward, penalty_gradient
from ._core import Exercise, Mistake, register


# (8.2) the L2-penalised cross-entropy --------------------------------------------------------------
def l2_cost(AL, Y, parameters, lambd):
    """The reference: compute_cost with a sigmoid output and the L2 penalty (8.2)."""
    return compute_cost(AL, Y, "sigmoid", parameters=parameters, lambd=lambd)


def _l2_cost_cases(rng):
    cases = []
    for i in range(8):
        dims = [int(v) for v in rng.integers(2, 6, int(rng.integers(1, 3)) + 1)] + [1]
        parameters = initialize_parameters(dims, init="xavier", seed=int(rng.integers(1 << 30)))
        parameters = {k: v + (0.5 * rng.standard_normal(v.shape) if k[0] == "b" else 0) for k, v in parameters.items()}
        m = 1 if i == 0 else int(rng.integers(2, 9))
        AL = rng.uniform(0.05, 0.95, (1, m))
        Y = rng.integers(0, 2, (1, m)).astype(float)
        cases.append((AL, Y, parameters, float(rng.choice([0.1, 0.7, 2.0]))))
    return cases


def _l2_cost_with(penalty):
    def wrong(AL, Y, parameters, lambd):
        m = Y.shape[1]
        return _cost(AL, Y, "sigmoid") + penalty(parameters, lambd, m)
    return wrong


def _squares(parameters, kind):
    return sum(float(np.sum(value * value)) for key, value in parameters.items() if key[0] in kind)


register(Exercise(
    name="l2_cost",
    equation="(8.2)",
    reference=l2_cost,
    cases=_l2_cost_cases,
    outputs=("cost",),
    argument_names=("AL", "Y", "parameters", "lambd"),
    mistakes=(
        Mistake("biases_penalised", _l2_cost_with(lambda p, lambd, m: lambd / (2 * m) * _squares(p, "Wb")),
                "the biases were penalised too: (8.2) adds (lambd / 2m) times the squared entries of every W[l] "
                "only. A bias shifts a unit; it does not make the network wiggle, so it is left alone."),
        Mistake("missing_1_over_m", _l2_cost_with(lambda p, lambd, m: lambd / 2 * _squares(p, "W")),
                "the penalty is m times too large: (8.2) is (lambd / 2m) sum ||W[l]||^2, averaged over the m "
                "examples like the cross-entropy."),
        Mistake("missing_one_half", _l2_cost_with(lambda p, lambd, m: lambd / m * _squares(p, "W")),
                "the penalty is twice too large: (8.2) has a 1/2, (lambd / 2m) sum ||W||^2, so that its gradient "
                "is exactly (lambd / m) W (8.3)."),
        Mistake("penalty_missing", _l2_cost_with(lambda p, lambd, m: 0.0),
                "this is the plain cross-entropy: add the L2 penalty (lambd / 2m) sum over layers of the squared "
                "entries of W[l] (8.2)."),
    ),
    hint="cross-entropy (2.2) + lambd / (2 * m) * sum of np.sum(W * W) over the weight matrices W1, W2, ... (not b).",
))


# (8.3), (8.5) the penalties' gradients -------------------------------------------------------------
def _penalty_gradient_cases(rng):
    cases = []
    for i in range(10):
        n, n_prev = (int(v) for v in rng.choice(np.arange(2, 7), 2, replace=False))
        W = rng.standard_normal((n, n_prev))
        penalty = "l2" if i % 2 == 0 else "l1"
        if penalty == "l1":
            W[0, 0] = 0.0  # an exact zero: its subgradient is 0 by the course's convention (sign(0) = 0)
        m = 1 if i < 2 else int(rng.integers(2, 50))
        cases.append((W, float(rng.choice([0.1, 0.7, 2.0])), m, penalty))
    return cases


def _penalty_gradient_with(l2, l1):
    def wrong(W, lambd, m, penalty="l2"):
        return l2(W, lambd, m) if penalty == "l2" else l1(W, lambd, m)
    return wrong


register(Exercise(
    name="penalty_gradient",
    equation="(8.3), (8.5)",
    reference=penalty_gradient,
    cases=_penalty_gradient_cases,
    outputs=("dW_penalty",),
    argument_names=("W", "lambd", "m", "penalty"),
    mistakes=(
        Mistake("missing_1_over_m", _penalty_gradient_with(lambda W, lambd, m: lambd * W,
                                                           lambda W, lambd, m: lambd * np.sign(W)),
                "the gradient is m times too large: the penalties (8.2), (8.4) carry a 1/m, and so do their "
                "gradients (lambd / m) W (8.3) and (lambd / m) sign(W) (8.5)."),
        Mistake("kept_one_half", _penalty_gradient_with(lambda W, lambd, m: lambd / (2 * m) * W,
                                                        lambda W, lambd, m: lambd / m * np.sign(W)),
                "the L2 gradient is half what it should be: differentiating (lambd / 2m) W^2 gives 2 (lambd / 2m) W "
                "= (lambd / m) W (8.3); the 1/2 was there to cancel that 2."),
        Mistake("l1_uses_W", _penalty_gradient_with(lambda W, lambd, m: lambd / m * W,
                                                    lambda W, lambd, m: lambd / m * W),
                "for L1 you used the L2 gradient: the derivative of |W_jk| is sign(W_jk) (8.5), so every weight is "
                "pushed towards 0 by the same amount lambd / m, however small it is already."),
    ),
    hint="l2: (lambd / m) * W (8.3); l1: (lambd / m) * np.sign(W) (8.5), where np.sign(0) = 0.",
))


# (8.7) the backward pass of inverted dropout -------------------------------------------------------
def _dropout_cases(rng):
    cases = []
    for i in range(10):
        n, m = int(rng.integers(2, 7)), 1 if i == 0 else int(rng.integers(2, 9))
        keep_prob = float(rng.choice([0.5, 0.6, 0.8, 0.9]))
        mask = rng.random((n, m)) < keep_prob
        mask.flat[0], mask.flat[-1] = True, False  # at least one kept and one dropped unit
        cases.append((rng.standard_normal((n, m)), mask, keep_prob))
    return cases


register(Exercise(
    name="dropout_backward",
    equation="(8.7)",
    reference=dropout_backward,
    cases=_dropout_cases,
    outputs=("dA",),
    argument_names=("dA_drop", "mask", "keep_prob"),
    mistakes=(
        Mistake("missing_keep_prob_scaling", lambda dA_drop, mask, keep_prob: dA_drop * mask,
                "the kept units' gradients are keep_prob times too small: the forward pass (8.6) divided the kept "
                "activations by keep_prob, so the backward pass (8.7) divides their gradients by it too."),
        Mistake("mask_not_applied", lambda dA_drop, mask, keep_prob: dA_drop / keep_prob,
                "dropped units got a gradient: a unit the forward pass set to 0 did not affect the cost, so its "
                "gradient is 0. Multiply by the same mask (8.7)."),
        Mistake("keep_prob_multiplied", lambda dA_drop, mask, keep_prob: dA_drop * mask * keep_prob,
                "you multiplied by keep_prob: the forward pass (8.6) *divided* by keep_prob, and the chain rule "
                "carries that same factor 1 / keep_prob back (8.7)."),
    ),
    hint="dA = dA_drop * mask / keep_prob: the same mask and the same 1 / keep_prob as the forward pass (8.6).",
))
