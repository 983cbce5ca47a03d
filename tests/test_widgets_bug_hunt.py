"""Notebook 13's "pick a bug": every scene's curves tell the story its title promises, and its check catches the bug.

For each scene: the correct code passes its check and the bug fails it, each by a wide margin (a
tenfold one, or the bound of ``check_update_step``, derived there); the curves back the sentence
the widget shows under the title; and the interactive widget follows its controls.
"""

import numpy as np
import pytest

from course_utils import bugs
from course_utils.widgets import bug_hunt
from course_utils.widgets.bug_hunt import SCENES, TITLES, Catch, make_bug_hunt

from .conftest import control


def curves_of(title):
    return [np.asarray(v, dtype=float) for v in SCENES[title].curves()["curves"].values()]


@pytest.mark.parametrize("title", TITLES)
def test_each_check_passes_the_correct_code_and_catches_the_bug_by_a_wide_margin(title):
    catch = SCENES[title].catch()
    assert catch.caught, catch
    if catch.bad_side == "above":
        assert not np.isfinite(catch.buggy) or catch.buggy >= 10 * catch.threshold, catch
        if title.startswith("2."):  # check_update_step's allowance is a derived rounding bound
            assert catch.correct <= catch.threshold
        else:
            assert catch.correct <= catch.threshold / 10, catch
    else:
        assert catch.correct >= 10 * catch.threshold and catch.buggy <= catch.threshold / 10, catch


@pytest.mark.parametrize("title", TITLES)
def test_each_scene_trains_both_the_same_number_of_steps_from_the_same_start(title):
    curves = curves_of(title)
    assert len(curves) == 2 and curves[0].size == curves[1].size >= 40
    # The same first cost, except where the bug is already in the first number: a different training
    # set (3), the score itself (4), a forward pass that mixes channels (5).
    if title[:2] not in ("3.", "4.", "5."):
        assert len({float(c[0]) for c in curves}) == 1, title
    assert SCENES[title].bug in bugs.CORRECT


def test_the_stories_under_the_titles():
    falls = [t for t in TITLES if t[:2] in ("1.", "2.", "5.", "6.", "7.", "9.", "10")]
    for title in falls:  # "it learns": every bug's cost ends far below where it started
        correct, buggy = curves_of(title)
        assert buggy[-1] < 0.8 * buggy[0] and correct[-1] < 0.8 * correct[0], title
    correct, buggy = curves_of(TITLES[0])
    assert buggy[-1] > 1.5 * correct[-1]  # 1: a higher floor
    correct, buggy = curves_of(TITLES[1])
    assert buggy[10] < correct[10] and buggy[-1] > correct[-1]  # 2: at first even faster, then behind
    clean, leaky = curves_of(TITLES[2])
    assert leaky[-1] < 0.85 * clean[-1]  # 3: the leaky test cost looks better
    right, error_rate = curves_of(TITLES[3])
    assert right[-1] > 0.9 and error_rate[-1] < 0.1 and error_rate[0] > 0.5  # 4: falls like a cost
    np.testing.assert_allclose(error_rate, 1 - right, atol=1e-12)
    correct, buggy = curves_of(TITLES[5])
    assert abs(buggy[-1] - correct[-1]) < 0.2 * correct[-1]  # 6: almost the correct curve
    correct, buggy = curves_of(TITLES[6])
    assert np.abs(buggy - correct).max() < 1e-9 * correct.max()  # 7: the same curve
    correct, buggy = curves_of(TITLES[7])
    np.testing.assert_array_equal(correct, buggy)  # 8: identical, bit for bit
    assert correct[-20:].mean() < 0.05 * correct[0]  # and it learns the task
    correct, buggy = curves_of(TITLES[8])
    assert correct[0] == buggy[0] and np.abs(buggy - correct).max() > 0.01  # 9: parts after epoch 1 ...
    assert abs(buggy[-1] - correct[-1]) < 0.05 * correct[-1]  # ... and ends nearly in the same place
    logits, naive = curves_of(TITLES[10])
    first_nan = int(np.argmax(np.isnan(naive)))
    assert np.isfinite(logits).all() and np.isnan(naive[-1]) and first_nan > 100  # 11: NaN, late
    np.testing.assert_allclose(naive[:first_nan], logits[:first_nan], rtol=1e-9)


def test_a_catch_judges_both_sides():
    above = Catch("tool", "error", correct=0.01, buggy=float("nan"), threshold=1.0)
    assert above.fails(float("nan")) and above.fails(2.0) and not above.fails(1.0) and above.caught
    below = Catch("tool", "reported error", correct=1.0, buggy=1e-12, threshold=1e-7, bad_side="below")
    assert below.caught and not Catch("t", "e", correct=2.0, buggy=3.0, threshold=1.0).caught


def test_the_widget_follows_its_controls():
    w = make_bug_hunt()
    assert w.result["scene"].title == TITLES[0] and w.result["catch"] is None  # first the curve, no answer
    control(w, "the bug").value = TITLES[6]
    assert w.result["scene"].title == TITLES[6] and w.result["catch"] is None
    control(w, "run the check").value = True
    assert w.result["catch"] is SCENES[TITLES[6]].catch() and w.result["catch"].caught
    control(w, "% of the run").value = 20
    assert w.result["shown_steps"] == 20  # 20 % of 100 epochs
    assert len(w.result["figure"].axes[0].lines[0].get_xdata()) == 20


def test_things_to_try():
    # 11 at 20 %: the part of the run shown is perfect; the NaN comes later
    result = bug_hunt.bug_hunt(TITLES[10], shown=20)
    logits, naive = curves_of(TITLES[10])
    assert np.isfinite(naive[:result["shown_steps"]]).all() and np.isnan(naive).any()
    # 9 at 5 %: for the first epoch the two curves are one
    result = bug_hunt.bug_hunt(TITLES[8], shown=5)
    correct, buggy = (line.get_ydata() for line in result["figure"].axes[0].lines[:2])
    assert correct[0] == buggy[0] and correct[1] != buggy[1] and result["shown_steps"] == 5
    # 8: the two curves are one line, and the check fails the bug by over a million times its allowance
    correct, buggy = curves_of(TITLES[7])
    assert np.array_equal(correct, buggy) and SCENES[TITLES[7]].catch().buggy > 1e6
    # 6 with the check: W1 would pass; it is b1, the bias of the blank background, that fails
    images, Y = bug_hunt.digit_images()
    _, parameters = bug_hunt.train_small_cnn(images, Y, "max")
    assert bug_hunt.tie_check(parameters, images[:4], Y[:, :4], "W1", bugs.pool_backward_all_ties).ratio < 0.1
    assert SCENES[TITLES[5]].catch().buggy > 1000


def test_the_check_panel_draws_nan_and_zero_values():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    bug_hunt.draw_catch(Catch("t", "e", correct=0.0, buggy=float("nan"), threshold=1e-12), ax)
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("0: passes") for t in texts) and any(t.startswith("NaN: fails") for t in texts)
