"""Notebooks 00-03's exercises, as a learner would get them wrong (tests/test_exercises.py covers the rest).

Each test writes the function a learner might write, with one slip, and checks the diagnosis.
"""

import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import REGISTRY, diagnose
from course_utils.exercises.nb02 import descent_step, logistic_gradients
from course_utils.exercises.nb03 import he_initialize


def test_a_learners_numerical_gradient_passes_and_not_restoring_x_is_mutates_input():
    def numerical_gradient(f, x, eps):
        grad = np.zeros_like(x)
        for k in np.ndindex(x.shape):
            saved = x[k]
            x[k] = saved + eps
            f_plus = f(x)
            x[k] = saved - eps
            f_minus = f(x)
            x[k] = saved
            grad[k] = (f_plus - f_minus) / (2 * eps)
        return grad

    assert diagnose("numerical_gradient", numerical_gradient).passed

    def not_restored(f, x, eps):
        grad = np.zeros_like(x)
        for k in np.ndindex(x.shape):
            x[k] += eps
            f_plus = f(x)
            x[k] -= 2 * eps
            grad[k] = (f_plus - f(x)) / (2 * eps)  # x[k] is left at x - eps
        return grad

    verdict = diagnose("numerical_gradient", not_restored)
    assert verdict.mistake == "mutates_input", verdict.message
    assert "x" in verdict.message and "restore" in verdict.message


def test_matmul_with_the_loops_the_notebook_describes_passes():
    def matmul_by_loops(A, B):
        C = np.zeros((A.shape[0], B.shape[1]))
        for i in range(A.shape[0]):
            for j in range(B.shape[1]):
                for k in range(A.shape[1]):
                    C[i, j] += A[i, k] * B[k, j]
        return C

    assert diagnose("matmul_by_loops", matmul_by_loops).passed


def test_a_sigmoid_with_np_where_over_both_formulas_still_overflows():
    def sigmoid(z):
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))

    verdict = diagnose("sigmoid", sigmoid)
    assert verdict.mistake == "overflows" and "np.where" in verdict.message


def test_the_stable_sigmoid_of_the_notebook_passes():
    def sigmoid(z):
        E = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + E), E / (1 + E))

    assert diagnose("sigmoid", sigmoid).passed


def test_classify_cases_separate_the_two_thresholds_in_every_case_with_a_score_in_between():
    exercise = REGISTRY["classify"]
    from course_utils.exercises._core import cases_of

    cases = cases_of(exercise)
    scores = [(W @ X + b)[0] for X, W, b in cases]
    assert scores[0].shape == (1,) and 0 < scores[0][0] < 0.5  # m = 1, and the two rules disagree on it
    assert all(np.abs(z).min() > 1e-9 for z in scores)  # no score sits on the boundary itself


def test_logistic_gradients_reference_is_linear_backward_with_dZ_of_the_summed_loss():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3, 7)), rng.integers(0, 2, (1, 7)).astype(float)
    W, b = rng.standard_normal((1, 3)), rng.standard_normal((1, 1))
    Y_hat = cu.sigmoid(W @ X + b)
    dW, db = logistic_gradients(X, Y, Y_hat)
    _, dW_ref, db_ref = cu.linear_backward(Y_hat - Y, (X, W, b))
    # the same products and sums in the same order: round-off of a few units in the last place at most
    np.testing.assert_allclose(dW, dW_ref, rtol=1e-13, atol=0)
    np.testing.assert_allclose(db, db_ref, rtol=1e-13, atol=0)


def test_an_in_place_descent_step_is_mutates_input():
    def in_place(W, b, dW, db, learning_rate):
        W -= learning_rate * dW
        b -= learning_rate * db
        return W, b

    assert diagnose("descent_step", in_place).mistake == "mutates_input"
    W, b = np.ones((1, 2)), np.ones((1, 1))
    new_W, new_b = descent_step(W, b, np.ones((1, 2)), np.ones((1, 1)), 0.5)
    assert np.all(W == 1) and np.all(new_W == 0.5) and np.all(new_b == 0.5)


@pytest.mark.parametrize("dims,seed", [([4, 3, 2], 0), ([2, 5, 5, 1], 7), ([6, 1], 3)])
def test_he_initialize_is_initialize_parameters_given_the_same_draws(dims, seed):
    rng = np.random.default_rng(seed)
    normals = [rng.standard_normal((dims[l], dims[l - 1])) for l in range(1, len(dims))]
    expected = cu.initialize_parameters(dims, init="he", seed=seed)
    got = he_initialize(normals)
    assert got.keys() == expected.keys()
    for key in expected:
        np.testing.assert_array_equal(got[key], expected[key])  # the same product of the same two numbers


def test_a_learners_forward_loop_passes_and_a_dropped_hidden_bias_is_named():
    def forward_propagation(X, parameters, hidden_activation, output_activation, drop_bias=False):
        L = len(parameters) // 2
        cache, A = {"A0": X}, X
        for l in range(1, L + 1):
            Z = parameters[f"W{l}"] @ A + (0 if drop_bias and l < L else parameters[f"b{l}"])
            A = cu.activation_forward(Z, hidden_activation if l < L else output_activation)
            cache[f"Z{l}"], cache[f"A{l}"] = Z, A
        return A, cache

    assert diagnose("forward_propagation", forward_propagation).passed
    verdict = diagnose("forward_propagation",
                       lambda X, p, h, o: forward_propagation(X, p, h, o, drop_bias=True))
    assert verdict.mistake == "bias_dropped" and "(3.1)" in verdict.message


def test_a_forward_loop_without_a_cache_entry_is_named():
    def forward_propagation(X, parameters, hidden_activation, output_activation):
        AL, cache = cu.forward_propagation(X, parameters, hidden_activation, output_activation)
        del cache["Z1"]
        return AL, cache

    verdict = diagnose("forward_propagation", forward_propagation)
    assert verdict.mistake == "wrong_type" and "'Z1'" in verdict.message
