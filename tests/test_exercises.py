"""The exercise checks (course_utils.exercises): right answers pass, each known mistake is named.

For every registered exercise: the reference passes; a stub gets "not attempted"; every registered
mistake gets its own code (never a generic one); a small random perturbation of the reference
gets wrong_values (never a false specific diagnosis); an in-place variant gets mutates_input.
"""

import numpy as np
import pytest

from course_utils import exercises
from course_utils.exercises import REGISTRY, ExerciseFailed, check, diagnose
from course_utils.exercises._core import _labelled, cases_of

NAMES = sorted(REGISTRY)
MISTAKES = [(name, mistake) for name in NAMES for mistake in REGISTRY[name].mistakes]

# Names and codes the course's issues and DESIGN require (the rest are the notebooks' own choice).
REQUIRED = {
    "numerical_gradient": {"forward_difference"},
    "sigmoid": {"overflows"},
    "logistic_gradients": {"missing_1_over_m", "wrong_sign"},
    "linear_forward": {"bias_dropped"},
    "activation_backward": {"g_instead_of_g_prime"},
    "linear_backward": {"missing_1_over_m", "extra_1_over_m", "lost_keepdims", "wrong_axis"},
    "backpropagation": {"missing_1_over_m", "derivative_at_wrong_layer"},
    "update_parameters": {"bias_not_updated"},
}


def test_the_required_exercises_and_mistakes_are_registered():
    for name, codes in REQUIRED.items():
        assert name in REGISTRY, name
        assert codes <= {m.code for m in REGISTRY[name].mistakes}, name


@pytest.mark.parametrize("name", NAMES)
def test_the_reference_passes(name):
    verdict = diagnose(name, REGISTRY[name].reference)
    assert verdict.passed and verdict.mistake is None, verdict.message
    assert verdict.message.startswith(f"✓ {name} ") and f"correct on {verdict.cases} random cases" in verdict.message


@pytest.mark.parametrize("name", NAMES)
def test_a_stub_is_not_attempted(name):
    def stub(*args):
        raise NotImplementedError("Exercise: your code here")

    verdict = diagnose(name, stub)
    assert not verdict.passed and verdict.mistake == "not_attempted"
    assert "not attempted yet" in verdict.message


@pytest.mark.parametrize("name,mistake", MISTAKES, ids=[f"{n}-{m.code}" for n, m in MISTAKES])
def test_each_known_mistake_gets_its_own_diagnosis(name, mistake):
    verdict = diagnose(name, mistake.wrong)
    assert verdict.mistake == mistake.code, verdict.message
    assert mistake.message in verdict.message and REGISTRY[name].equation in verdict.message


def _perturb(value, rng):
    value = np.asarray(value, dtype=np.float64)
    return value + 1e-3 * (1 + np.abs(value)) * rng.standard_normal(value.shape)


def _perturbed_reference(exercise):
    """The reference with its first compared output nudged by ~0.1%: right shape, wrong values."""
    rng = np.random.default_rng(0)

    def fn(*args):
        out = exercise.reference(*args)
        outputs = [out] if len(exercise.outputs) == 1 else list(out)
        first = next(i for i, name in enumerate(exercise.outputs) if name is not None)
        if isinstance(outputs[first], dict):
            changed = dict(outputs[first])
            key = next(iter(exercise.keys(changed) if exercise.keys else changed))
            changed[key] = _perturb(changed[key], rng)
            outputs[first] = changed
        else:
            outputs[first] = _perturb(outputs[first], rng)
        return outputs[0] if len(exercise.outputs) == 1 else tuple(outputs)

    return fn


@pytest.mark.parametrize("name", NAMES)
def test_a_perturbed_reference_gets_wrong_values(name):
    verdict = diagnose(name, _perturbed_reference(REGISTRY[name]))
    assert verdict.mistake == "wrong_values", verdict.message
    assert "expected" in verdict.message


def _first_array(value):
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size:
        return value
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (tuple, list)) else ()
    return next((a for a in map(_first_array, items) if a is not None), None)


@pytest.mark.parametrize("name", NAMES)
def test_an_in_place_variant_gets_mutates_input(name):
    exercise = REGISTRY[name]

    def in_place(*args):
        out = exercise.reference(*args)
        _first_array(args)[...] += 1.0  # right answer, then scribbles on an input
        return out

    verdict = diagnose(name, in_place)
    assert verdict.mistake == "mutates_input", verdict.message


@pytest.mark.parametrize("name", NAMES)
def test_every_case_exercises_the_reference_and_cases_are_reproducible(name):
    exercise = REGISTRY[name]
    first, second = cases_of(exercise), cases_of(exercise)
    assert len(first) >= 5
    for a, b in zip(first, second, strict=True):
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            out_a, out_b = exercise.reference(*a), exercise.reference(*b)
        pairs = _labelled(exercise, out_a, out_b)
        assert not isinstance(pairs, str)
        for _, x, y in pairs:
            np.testing.assert_array_equal(x, y)


def test_check_prints_a_pass_and_a_not_attempted_and_raises_on_a_mistake(capsys):
    check("linear_backward", REGISTRY["linear_backward"].reference)
    assert capsys.readouterr().out.startswith("✓ linear_backward (5.2)-(5.4): correct on 12 random cases")

    def stub(dZ, linear_cache):
        raise NotImplementedError("Exercise 5.2: your code here")

    assert check("linear_backward", stub) is None
    assert "not attempted yet" in capsys.readouterr().out
    missing_m = next(m for m in REGISTRY["linear_backward"].mistakes if m.code == "missing_1_over_m")
    with pytest.raises(ExerciseFailed, match="m times too large"):
        check("linear_backward", missing_m.wrong)
    assert issubclass(ExerciseFailed, AssertionError)


def test_an_exception_names_its_type_message_and_the_learners_line():
    def linear_backward(dZ, linear_cache):
        A_prev, W, b = linear_cache
        return W.T @ dZ, dZ @ A_prev / A_prev.shape[1], dZ.sum(axis=1, keepdims=True)  # A_prev not transposed

    verdict = diagnose("linear_backward", linear_backward)
    assert verdict.mistake == "raises_exception"
    assert "ValueError" in verdict.message and "matmul" in verdict.message
    assert "of the cell that defines linear_backward" in verdict.message
    assert "dZ @ A_prev / A_prev.shape[1]" in verdict.message


def test_wrong_shape_and_wrong_type_are_named():
    def flat_output(dZ, linear_cache):
        A_prev, W, _ = linear_cache
        return W.T @ dZ, (dZ @ A_prev.T).ravel(), dZ.mean(axis=1, keepdims=True)

    verdict = diagnose("linear_backward", flat_output)
    assert verdict.mistake == "wrong_shape" and "dW has shape" in verdict.message and "expected" in verdict.message

    def two_values(dZ, linear_cache):
        A_prev, W, _ = linear_cache
        return W.T @ dZ, dZ @ A_prev.T / A_prev.shape[1]

    verdict = diagnose("linear_backward", two_values)
    assert verdict.mistake == "wrong_type" and "should return 3 values" in verdict.message


def test_two_slips_at_once_are_both_named():
    def linear_backward(dZ, linear_cache):
        A_prev, W, _ = linear_cache
        return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1) / A_prev.shape[1]  # no 1/m in dW; db lost its column

    verdict = diagnose("linear_backward", linear_backward)
    assert verdict.mistake == "missing_1_over_m"
    assert "m times too large" in verdict.message and "keepdims=True" in verdict.message


def test_the_naive_sigmoid_is_diagnosed_as_overflowing():
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    verdict = diagnose("sigmoid", sigmoid)
    assert verdict.mistake == "overflows" and "-1e4" in verdict.message


def test_unknown_exercise_and_non_function_give_clear_errors():
    with pytest.raises(ValueError, match="unknown exercise 'linear_backwards'"):
        diagnose("linear_backwards", print)
    with pytest.raises(TypeError, match="fn must be your function"):
        diagnose("sigmoid", 3)


def test_exercises_is_importable_on_its_own():
    assert exercises.check is check
