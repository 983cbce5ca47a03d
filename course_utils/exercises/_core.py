"""The machinery of the exercise checks: run the learner's function, compare, diagnose.

An exercise is data (``Exercise``): the reference function from ``course_utils``, a generator of
random cases, the names of the outputs, and the known mistakes, each a small function computing
the wrong answer a classic slip gives (``Mistake``). ``diagnose`` runs the learner's function on
every case, under ``np.errstate(over/invalid/divide="raise")``, and decides, in this order:

    not_attempted      the function still raises NotImplementedError
    passed             every output matches the reference on every case, and no input changed
    <a known mistake>  the outputs match that mistake's on every case (or, output by output,
                       each wrong output matches some mistake)
    mutates_input      the outputs are right but an input array was changed in place
    raises_exception   the function raised (its type, message and the line of the learner's code)
    wrong_type         it returned the wrong kind of thing (not a tuple of 3, a missing key, ...)
    wrong_shape        an output has the wrong shape (which, expected, actual)
    wrong_values       none of the above: the worst entry, both values, and what to look at
"""

import copy
import linecache
import traceback
import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

RTOL = 1e-6  # two correct implementations differ by round-off only (~1e-15 relative)
ATOL = 1e-9  # times the size of the expected output


class ExerciseFailed(AssertionError):
    """Raised by ``check`` when the learner's function gives a wrong answer; the message says why."""


@dataclass(frozen=True)
class Mistake:
    """A known slip: ``wrong`` computes what a function with that slip returns."""

    code: str  # a short code from the fixed vocabulary, e.g. "missing_1_over_m"
    wrong: Callable  # same signature as the exercise
    message: str  # what went wrong, in the course's words, with the equation ID


@dataclass(frozen=True)
class Exercise:
    """One exercise: what is right, how to test it, and which wrong answers to recognise."""

    name: str  # the function's name, as the notebook's exercise defines it
    equation: str  # its equation ID(s), e.g. "(5.2)-(5.4)"
    reference: Callable  # the correct function (from course_utils)
    cases: Callable  # cases(rng) -> list of argument tuples
    outputs: tuple  # names of the returned values ("dA_prev", "dW", "db"); None skips one
    mistakes: tuple = ()
    hint: str = ""  # what to look at when no known mistake matches
    keys: Callable = None  # for dict outputs: keys(ref_dict) -> the keys to compare
    argument_names: tuple = ()  # names of the arguments, for messages (default: arg1, arg2, ...)


@dataclass
class Verdict:
    """What ``diagnose`` found. ``mistake`` is None when passed, else a short code."""

    name: str
    passed: bool
    mistake: str
    message: str
    cases: int = 0


@dataclass
class _Outcome:
    kind: str  # "returned", "raised", "not_attempted"
    values: object = None  # the returned value
    error: BaseException = None
    where: str = ""  # the learner's line, for a raised exception
    mutated: list = field(default_factory=list)  # names of the inputs that changed


REGISTRY = {}


def register(exercise):
    """Add an exercise to the registry (one entry per exercise name) and return it."""
    if exercise.name in REGISTRY:
        raise ValueError(f"exercise {exercise.name!r} is registered twice")
    codes = [mistake.code for mistake in exercise.mistakes]
    if len(codes) != len(set(codes)):
        raise ValueError(f"exercise {exercise.name!r} has a mistake code twice: {codes}")
    REGISTRY[exercise.name] = exercise
    return exercise


def _exercise(name):
    if not isinstance(name, str) or name not in REGISTRY:
        raise ValueError(f"unknown exercise {name!r}; the exercises are: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name]


def cases_of(exercise):
    """The exercise's cases, always the same ones (the generator is seeded by the name)."""
    rng = np.random.default_rng(zlib.crc32(exercise.name.encode()))
    return exercise.cases(rng)


# ----------------------------------------------------------------------------------------------
# Running a function on one case
# ----------------------------------------------------------------------------------------------
def _learner_line(error, fn):
    """'line N: <source>' of the deepest traceback frame inside the learner's function's file."""
    filename = getattr(getattr(fn, "__code__", None), "co_filename", None)
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    if not frames:
        return ""
    frame = frames[-1]
    source = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
    return f"line {frame.lineno} of the cell that defines {getattr(fn, '__name__', 'it')}: {source}"


def _same(a, b):
    """Exact equality of nested inputs (arrays, dicts, tuples, lists, numbers)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a is b or a == b


def _run(fn, args, names):
    pristine = copy.deepcopy(args)
    given = copy.deepcopy(args)
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            values = fn(*given)
    except NotImplementedError as error:
        return _Outcome("not_attempted", error=error)
    except Exception as error:  # the learner's code may raise anything: report it, do not crash
        return _Outcome("raised", error=error, where=_learner_line(error, fn))
    mutated = [name for name, before, after in zip(names, pristine, given, strict=True) if not _same(before, after)]
    return _Outcome("returned", values=values, mutated=mutated)


# ----------------------------------------------------------------------------------------------
# Comparing outputs
# ----------------------------------------------------------------------------------------------
def _labelled(exercise, values, reference_values):
    """[(label, actual, expected)] for every compared output, or a wrong_type message (str)."""
    names = exercise.outputs
    if len(names) == 1:
        values, reference_values = (values,), (reference_values,)
    elif not isinstance(values, (tuple, list)) or len(values) != len(names):
        got = f"{len(values)} values" if isinstance(values, (tuple, list)) else f"one {type(values).__name__}"
        return f"{exercise.name} should return {len(names)} values ({', '.join(n or '_' for n in names)}), got {got}"
    pairs = []
    for name, actual, expected in zip(names, values, reference_values, strict=True):
        if name is None:
            continue
        if isinstance(expected, dict):
            if not isinstance(actual, dict):
                return f"{name} should be a dict like the reference's, got {type(actual).__name__}"
            for key in (exercise.keys(expected) if exercise.keys else expected):
                if key not in actual:
                    return f"{name} has no key {key!r} (expected keys: {', '.join(map(repr, expected))})"
                pairs.append((f"{name}[{key!r}]", actual[key], expected[key]))
        else:
            pairs.append((name, actual, expected))
    return pairs


def _as_array(value):
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def _close(actual, expected):
    a, e = _as_array(actual), _as_array(expected)
    if a is None or a.shape != e.shape:
        return False
    scale = max(1.0, float(np.abs(e).max())) if e.size else 1.0
    with np.errstate(all="ignore"):
        return bool(np.allclose(a, e, rtol=RTOL, atol=ATOL * scale))


def _matches(outcome, expected_outcome, exercise, only=None):
    """True when two outcomes agree: same exception type, or outputs close (all, or label ``only``)."""
    if outcome.kind != expected_outcome.kind:
        return False
    if outcome.kind == "raised":  # the same operation failing the same way
        return type(outcome.error) is type(expected_outcome.error) and str(outcome.error) == str(expected_outcome.error)
    if outcome.kind != "returned":
        return True
    pairs = _labelled(exercise, outcome.values, expected_outcome.values)
    if isinstance(pairs, str):
        return False
    return all(_close(actual, expected) for label, actual, expected in pairs if only in (None, label))


def _shape(value):
    return "x".join(map(str, value.shape)) or "scalar"


def _describe_case(args, names):
    """'dZ 2x3, linear_cache (4x3, 2x4, 2x1)': what the case's inputs look like."""
    parts = []
    for name, value in zip(names, args, strict=True):
        if isinstance(value, np.ndarray):
            parts.append(f"{name} {_shape(value)}")
        elif isinstance(value, tuple) and all(isinstance(v, np.ndarray) for v in value):
            parts.append(f"{name} ({', '.join(_shape(v) for v in value)})")
        elif isinstance(value, dict) and value and all(isinstance(v, np.ndarray) for v in value.values()):
            parts.append(f"{name} {{{', '.join(f'{k} {_shape(v)}' for k, v in value.items())}}}")
        elif isinstance(value, (int, float, str)) and not isinstance(value, bool):
            parts.append(f"{name}={value!r}")
    return ", ".join(parts)


def _worst_entry(label, actual, expected):
    a, e = _as_array(actual), _as_array(expected)
    with np.errstate(all="ignore"):
        gap = np.abs(a - e)
        gap = np.where(np.isnan(gap), np.inf, gap)
    index = np.unravel_index(int(np.argmax(gap)), gap.shape) if gap.ndim else ()
    where = f"{label}[{', '.join(map(str, index))}]" if index else label
    return f"{where} is {a[index]:.6g}, expected {e[index]:.6g}"


# ----------------------------------------------------------------------------------------------
# The verdict
# ----------------------------------------------------------------------------------------------
def _argument_names(exercise, args):
    return tuple(exercise.argument_names) or tuple(f"argument {i + 1}" for i in range(len(args)))


def diagnose(name, fn):
    """Run ``fn`` on the exercise's random cases and say what, if anything, is wrong.

    name: the exercise's name (e.g. "linear_backward"). fn: the learner's function.
    Returns a Verdict (passed, mistake, message); never raises for a wrong answer.
    """
    exercise = _exercise(name)
    if not callable(fn):
        raise TypeError(f"fn must be your function {name}, got {type(fn).__name__}")
    cases = cases_of(exercise)
    head = f"{exercise.name} {exercise.equation}"
    runs = []
    for args in cases:
        names = _argument_names(exercise, args)
        runs.append((args, names, _run(fn, args, names), _run(exercise.reference, args, names)))

    def verdict(mistake, message):
        return Verdict(exercise.name, mistake is None, mistake, message, len(cases))

    if any(outcome.kind == "not_attempted" for _, _, outcome, _ in runs):
        return verdict("not_attempted", f"{head}: not attempted yet (your function still raises "
                                        "NotImplementedError). Write it, run its cell, then run this check again.")
    right = [_matches(outcome, reference, exercise) for _, _, outcome, reference in runs]
    mutated = next(((args, names, outcome) for args, names, outcome, _ in runs if outcome.mutated), None)
    if all(right) and mutated is None:
        return verdict(None, f"✓ {head}: correct on {len(cases)} random cases")

    found = _known_mistake(exercise, runs)
    if found:
        return verdict(*found)
    if mutated is not None:
        args, names, outcome = mutated
        return verdict("mutates_input", f"{head}: your function changed its input {', '.join(outcome.mutated)} "
                                        f"in place (case: {_describe_case(args, names)}). Never modify an input: "
                                        "compute new arrays (x = x - a, not x -= a), or restore what you nudged.")
    for args, names, outcome, _ in runs:
        if outcome.kind == "raised":
            error = outcome.error
            where = f" at {outcome.where}" if outcome.where else ""
            return verdict("raises_exception", f"{head}: your function raised {type(error).__name__}: {error}"
                                               f"{where} (case: {_describe_case(args, names)})")
    for args, names, outcome, reference in runs:
        pairs = _labelled(exercise, outcome.values, reference.values)
        if isinstance(pairs, str):
            return verdict("wrong_type", f"{head}: {pairs}")
        for label, actual, expected in pairs:
            a, e = _as_array(actual), _as_array(expected)
            if a is None:
                return verdict("wrong_type", f"{head}: {label} should be an array of numbers, "
                                             f"got {type(actual).__name__}")
            if a.shape != e.shape:
                return verdict("wrong_shape", f"{head}: {label} has shape {a.shape}, expected {e.shape} "
                                              f"(case: {_describe_case(args, names)})")
    wrong = [(i, args, names, outcome, reference) for i, ((args, names, outcome, reference), ok)
             in enumerate(zip(runs, right, strict=True)) if not ok]
    i, args, names, outcome, reference = wrong[0]
    pairs = _labelled(exercise, outcome.values, reference.values)
    label, actual, expected = next(p for p in pairs if not _close(p[1], p[2]))
    hint = f" {exercise.hint}" if exercise.hint else ""
    return verdict("wrong_values", f"{head}: wrong on {len(wrong)} of {len(cases)} cases; in case {i + 1} "
                                   f"({_describe_case(args, names)}), {_worst_entry(label, actual, expected)}."
                                   f"{hint}")


def _known_mistake(exercise, runs):
    """(code, message) of the known mistake the outputs match, or None."""
    head = f"{exercise.name} {exercise.equation}"
    mistaken = {}
    for mistake in exercise.mistakes:
        wrongs = [_run(mistake.wrong, args, names) for args, names, _, _ in runs]
        mistaken[mistake.code] = wrongs
        if all(_matches(outcome, wrong, exercise) for (_, _, outcome, _), wrong in zip(runs, wrongs, strict=True)):
            return mistake.code, f"{head}: {mistake.message}"
    # Output by output: each wrong output may match a different mistake (two slips at once).
    first = runs[0]
    pairs = _labelled(exercise, first[2].values, first[3].values) if first[2].kind == "returned" else "raised"
    if isinstance(pairs, str):
        return None
    found = []
    for label, _, _ in pairs:
        if all(_matches(outcome, reference, exercise, only=label) for _, _, outcome, reference in runs):
            continue
        match = next((m for m in exercise.mistakes
                      if all(_matches(outcome, wrong, exercise, only=label)
                             for (_, _, outcome, _), wrong in zip(runs, mistaken[m.code], strict=True))), None)
        if match is None:
            return None  # an output that no known mistake explains
        found.append((label, match))
    if not found:
        return None
    messages = []
    for mistake in dict.fromkeys(m for _, m in found):
        labels = ", ".join(label for label, m in found if m is mistake)
        messages.append(f"{labels}: {mistake.message}")
    return found[0][1].code, f"{head}: " + " Also, ".join(messages)


def check(name, fn):
    """Check the learner's function: print one line if it is right, raise ExerciseFailed if not.

    name: the exercise's name. fn: the learner's function. A function that still raises
    NotImplementedError gets a "not attempted yet" line instead of an error, so the rest of the
    notebook runs. Returns None.
    """
    result = diagnose(name, fn)
    if result.passed or result.mistake == "not_attempted":
        print(result.message)
        return None
    raise ExerciseFailed(f"✗ {result.message}")
