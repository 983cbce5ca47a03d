"""course_utils.jacobians (notebook 04): what a gradient costs (4.1), the recursion (4.2), Jacobian chains (4.3).

Counts are checked against a hand count and against the multiply-adds the reference code really
performs; the layer Jacobian and the recursion against finite differences and autograd; the two
orders of a chain against numpy's own product, with the round-off bound shown to be honest (it
holds for correct products and is broken by a planted error).
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad, jacobian

import course_utils as cu
from course_utils.jacobians import (
    backward_multiply_adds,
    cache_numbers,
    chain_costs,
    deltas_by_recursion,
    forward_accumulation,
    forward_multiply_adds,
    gradient_costs,
    layer_jacobian,
    parameter_count,
    product_roundoff_bound,
    reverse_accumulation,
)

AUTOGRAD_G = {"tanh": anp.tanh, "sigmoid": lambda z: 1 / (1 + anp.exp(-z)), "identity": lambda z: z,
              "relu": lambda z: anp.maximum(z, 0)}


# ------------------------------------------------------------------ (4.1) counts
@pytest.mark.parametrize("layer_dims", [[2, 1], [2, 3, 1], [4, 8, 8, 1], [10, 20, 5, 3]])
def test_parameter_count_matches_the_initialised_arrays(layer_dims):
    parameters = cu.initialize_parameters(layer_dims, seed=0)
    assert parameter_count(layer_dims) == sum(value.size for value in parameters.values())


def test_multiply_adds_match_a_hand_count():
    # [3, 4, 2] with m = 5: forward 5*(4*3 + 2*4) = 100; backward dW: 100, dA1: 5*2*4 = 40
    assert forward_multiply_adds([3, 4, 2], m=5) == 100
    assert backward_multiply_adds([3, 4, 2], m=5) == 140
    assert gradient_costs([3, 4, 2]) == (2 * (4 * 3 + 4 + 2 * 4 + 2), 2.4)
    assert gradient_costs([7, 1]) == (16, 2.0)  # one layer: no dA[0], so exactly 2


@pytest.mark.parametrize("dims", [[10, 1, 1, 1], [10, 5, 3], [3, 50, 50, 50, 2], [784, 128, 10]])
def test_backprop_costs_between_two_and_three_forward_passes(dims):
    _, backprop = gradient_costs(dims)
    assert 2 <= backprop < 3


def test_counts_are_what_the_reference_code_multiplies():
    """Count the multiply-adds of every matrix product forward_propagation and backpropagation perform."""
    dims, m = [3, 5, 4, 2], 6
    total = {"multiply_adds": 0}

    class Counted(np.ndarray):
        def __matmul__(self, other):
            total["multiply_adds"] += self.shape[0] * self.shape[1] * other.shape[1]
            return super().__matmul__(other)

    rng = np.random.default_rng(0)
    parameters = {k: v.view(Counted) for k, v in cu.initialize_parameters(dims, seed=1).items()}
    X = rng.standard_normal((dims[0], m)).view(Counted)
    Y = rng.standard_normal((dims[-1], m)).view(Counted)
    _, cache = cu.forward_propagation(X, parameters, "tanh", "identity")
    assert total["multiply_adds"] == forward_multiply_adds(dims, m)
    total["multiply_adds"] = 0
    cu.backpropagation(cache, Y, parameters)
    assert total["multiply_adds"] == backward_multiply_adds(dims, m)


def test_cache_numbers_count_what_forward_propagation_keeps():
    dims, m = [4, 6, 5, 3], 7
    parameters = cu.initialize_parameters(dims, seed=0)
    _, cache = cu.forward_propagation(np.ones((4, m)), parameters, "relu", "softmax")
    kept = sum(value.size for key, value in cache.items() if isinstance(value, np.ndarray))
    assert kept == cache_numbers(dims, m) == m * (4 + 2 * (6 + 5 + 3))


@pytest.mark.parametrize(("call", "message"), [
    (lambda: parameter_count([3]), "layer_dims"),
    (lambda: parameter_count([3, 0, 1]), r"layer_dims\[1\]"),
    (lambda: parameter_count("34"), "layer_dims"),
    (lambda: forward_multiply_adds([2, 1], m=0), "m must be"),
    (lambda: cache_numbers([2, 1.5], 3), r"layer_dims\[1\]"),
    (lambda: chain_costs([4]), "dims"),
])
def test_bad_sizes_are_named(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


# ------------------------------------------------------------------ (4.2) layer Jacobian and recursion
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "identity", "relu"])
def test_layer_jacobian_against_finite_differences_and_autograd(activation):
    rng = np.random.default_rng(4)
    W, b = rng.standard_normal((5, 3)), rng.standard_normal((5, 1))
    a_prev = rng.standard_normal((3, 1))
    z = W @ a_prev + b
    assert np.abs(z).min() > 1e-3  # away from ReLU's kink
    g = AUTOGRAD_G[activation]
    J = layer_jacobian(W, z, activation)
    oracle = jacobian(lambda a: g(anp.dot(W, a) + b)[:, 0])(a_prev)[:, :, 0]
    assert J.shape == (5, 3)
    assert cu.relative_error(J, oracle) < 1e-12
    rows = [cu.numerical_gradient(lambda a, j=j: float(cu.activation_forward(W @ a + b, activation)[j, 0]),
                                  a_prev.copy(), eps=1e-5)[:, 0] for j in range(5)]
    worst = cu.compare_gradients(J, np.array(rows), f_scale=float(np.abs(g(z)).max()), eps=1e-5)
    assert worst.ratio < 0.1, worst


def _network_jacobians(dims, seed):
    """Layer Jacobians of a tanh network with a sigmoid output for one example, and dJ/da[L]."""
    rng = np.random.default_rng(seed)
    parameters = cu.initialize_parameters(dims, init="xavier", seed=seed)
    parameters = {k: v + 0.3 * rng.standard_normal(v.shape) if k[0] == "b" else v for k, v in parameters.items()}
    x, y = rng.standard_normal((dims[0], 1)), (rng.random((dims[-1], 1)) < 0.5).astype(float)
    aL, cache = cu.forward_propagation(x, parameters, "tanh", "sigmoid")
    L = len(dims) - 1
    jacobians = {l: layer_jacobian(parameters[f"W{l}"], cache[f"Z{l}"], "sigmoid" if l == L else "tanh")
                 for l in range(1, L + 1)}
    return parameters, x, y, cache, jacobians, (aL - y) / (aL * (1 - aL))


@pytest.mark.parametrize(("dims", "seed"), [([3, 4, 5, 4, 2], 0), ([2, 6, 3, 1], 1), ([4, 2], 2)])
def test_recursion_gives_dJ_da_of_every_layer(dims, seed):
    parameters, x, y, cache, jacobians, delta_L = _network_jacobians(dims, seed)
    deltas = deltas_by_recursion(jacobians, delta_L)
    L = len(dims) - 1
    assert sorted(deltas) == list(range(1, L + 1))
    grads = cu.backpropagation(cache, y, parameters)  # dA is the summed loss's gradient: m = 1 here
    for l in range(1, L):
        assert deltas[l].shape == (dims[l], 1)
        assert cu.relative_error(deltas[l], grads[f"dA{l}"]) < 1e-12

    def cost_from_layer(a, l):  # J as a function of a[l]: the layers above it, then the cross-entropy
        for k in range(l + 1, L + 1):
            z = anp.dot(parameters[f"W{k}"], a) + parameters[f"b{k}"]
            a = AUTOGRAD_G["sigmoid" if k == L else "tanh"](z)
        return -anp.sum(y * anp.log(a) + (1 - y) * anp.log(1 - a))

    for l in range(1, L + 1):
        assert cu.relative_error(deltas[l], grad(cost_from_layer)(cache[f"A{l}"], l)) < 1e-12


def test_recursion_rejects_bad_input():
    J = {1: np.ones((4, 3)), 2: np.ones((2, 4))}
    with pytest.raises(TypeError, match="jacobians must be a dict"):
        deltas_by_recursion([np.ones((4, 3))], np.ones((4, 1)))
    with pytest.raises(ValueError, match="keys 1 .. 2"):
        deltas_by_recursion({1: J[1], 3: J[2]}, np.ones((2, 1)))
    with pytest.raises(ValueError, match="delta_L has shape"):
        deltas_by_recursion(J, np.ones((4, 1)))
    with pytest.raises(ValueError, match="J_2"):
        deltas_by_recursion({1: J[1], 2: np.ones((2, 5))}, np.ones((2, 1)))
    with pytest.raises(ValueError, match="unknown activation"):
        layer_jacobian(np.ones((2, 2)), np.ones((2, 1)), "softmax")
    with pytest.raises(ValueError, match="z has shape"):
        layer_jacobian(np.ones((2, 3)), np.ones((3, 1)), "tanh")


# ------------------------------------------------------------------ (4.3) chains
def _chain(dims, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((n, n_prev)) for n_prev, n in zip(dims[:-1], dims[1:], strict=True)]


@pytest.mark.parametrize("dims", [[100, 50, 20, 1], [5, 5, 5, 5, 5, 1], [2, 16, 16, 8], [1, 64, 64, 64], [7, 3]])
def test_both_orders_give_numpys_product_and_count_as_4_3_says(dims):
    chain = _chain(dims)
    exact = np.linalg.multi_dot(chain[::-1]) if len(chain) > 1 else chain[0]
    reverse, reverse_count = reverse_accumulation(chain)
    forward, forward_count = forward_accumulation(chain)
    bound = product_roundoff_bound(chain)
    assert reverse.shape == forward.shape == (dims[-1], dims[0])
    assert np.all(np.abs(reverse - exact) <= bound) and np.all(np.abs(forward - exact) <= bound)
    assert (reverse_count, forward_count) == chain_costs(dims)
    assert forward_count * dims[-1] == reverse_count * dims[0]  # the ratio is exactly n_0 / n_L


def test_the_roundoff_bound_is_a_tenth_used_by_correct_products_and_broken_by_a_planted_error():
    chain = _chain([300, 200, 200, 200, 1], seed=3)
    reverse, _ = reverse_accumulation(chain)
    forward, _ = forward_accumulation(chain)
    bound = product_roundoff_bound(chain)
    assert (np.abs(reverse - forward) / bound).max() < 0.1
    planted = forward * (1 + 1e-8)  # a relative slip of 1e-8 in every entry (observed: 130 times the bound)
    assert (np.abs(reverse - planted) / bound).max() > 10


def test_chains_reject_sizes_that_do_not_fit():
    with pytest.raises(ValueError, match=r"jacobians\[1\] \(J_2\) has shape"):
        reverse_accumulation([np.ones((4, 3)), np.ones((2, 5))])
    with pytest.raises(TypeError, match="non-empty list"):
        forward_accumulation([])
