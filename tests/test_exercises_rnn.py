"""Notebooks 11 and 12's exercises: the names and mistake codes the course requires are registered.

(tests/test_exercises.py checks every registered exercise: reference passes, each mistake gets its
own diagnosis, a perturbation gets wrong_values, an in-place variant gets mutates_input.)
"""

import numpy as np

from course_utils.exercises import REGISTRY, diagnose

REQUIRED = {
    "rnn_cell_forward": {"bias_dropped"},
    "rnn_cell_backward": {"missing_1_over_m", "tanh_derivative_of_input"},
    "rnn_backward": {"missing_recurrent_gradient"},
    "clip_by_norm": {"per_array_norm", "clipped_by_value"},
    "unbroadcast": {"lost_keepdims"},
    "mul_backward": {"not_unbroadcast", "swapped_operands"},
    "lstm_cell_backward": {"wrong_forget_gate", "missing_dc_prev_forget", "missing_1_over_m"},
}


def test_the_required_exercises_and_mistakes_are_registered():
    for name, codes in REQUIRED.items():
        assert name in REGISTRY, name
        assert codes <= {m.code for m in REGISTRY[name].mistakes}, name


def test_the_original_series_forget_gate_slip_is_named_with_the_equation():
    """(12.9): multiplying the incoming dc_next by this step's forget gate is diagnosed, not 'wrong values'."""
    def slipped(da_next, dc_next, cache):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
        n_a, m = a_next.shape
        tanh_c = np.tanh(c_next)
        dc = dc_next * ft + da_next * ot * (1 - tanh_c ** 2)  # the slip: f<t> on the incoming gradient
        dz = {"o": da_next * tanh_c * ot * (1 - ot), "f": dc * c_prev * ft * (1 - ft),
              "i": dc * cct * it * (1 - it), "c": dc * it * (1 - cct ** 2)}
        concat = np.vstack([a_prev, xt])
        grads, dconcat = {}, 0
        for g in "fico":
            grads["dW" + g], grads["db" + g] = dz[g] @ concat.T / m, dz[g].sum(axis=1, keepdims=True) / m
            dconcat = dconcat + parameters["W" + g].T @ dz[g]
        return {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc, **grads}

    verdict = diagnose("lstm_cell_backward", slipped)
    assert verdict.mistake == "wrong_forget_gate" and "(12.9)" in verdict.message
