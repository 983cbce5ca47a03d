"""The explorers of notebooks 09 and 10: what they compute, and what their sliders change.

Each "thing to try" the notebooks list under a widget is backed by an assert here.
"""

import numpy as np
import pytest

from course_utils import conv
from course_utils.widgets.cnn_backward import (
    N_INPUT,
    backward_scatter,
    make_backward_scatter,
    make_max_pool_routing,
    max_pool_routing,
)
from course_utils.widgets.convolution import (
    KERNELS,
    explore_convolution,
    make_convolution_explorer,
    make_output_size_calculator,
    output_size_view,
    parse_kernel,
    show_output_size,
)

from .conftest import control


# --- notebook 09: the convolution explorer --------------------------------------------------------
def test_each_entry_is_the_sum_of_the_nine_products_9_1():
    for name in KERNELS:
        for row, col in [(0, 0), (3, 4), (7, 7)]:
            result = explore_convolution(name, digit=2, row=row, col=col, custom="1 2 3; 4 5 6; 7 8 9")
            assert result["window"].shape == (3, 3)
            assert result["value"] == pytest.approx(result["products"].sum(), abs=1e-12)
            assert result["value"] == result["feature_map"][row, col]


def test_identity_kernel_gives_back_the_image_and_a_corner_window_reads_padding():
    result = explore_convolution("identity", digit=5, row=0, col=0)
    np.testing.assert_array_equal(result["feature_map"], result["image"])
    assert np.all(result["window"][0] == 0) and np.all(result["window"][:, 0] == 0)  # the padding's zeros


def test_flipping_the_edge_kernel_negates_the_map_and_the_vertical_kernel_sees_vertical_strokes():
    sobel = explore_convolution("vertical edge (Sobel)", digit=1)  # image 1 is a one: mostly vertical strokes
    flipped = explore_convolution("custom", digit=1, custom="-1 0 1; -2 0 2; -1 0 1")
    np.testing.assert_allclose(flipped["feature_map"], -sobel["feature_map"], atol=1e-12)
    horizontal = explore_convolution("horizontal edge (Sobel)", digit=1)
    assert sobel["label"] == 1
    assert np.abs(sobel["feature_map"]).sum() > 1.2 * np.abs(horizontal["feature_map"]).sum()


def test_blur_keeps_the_total_ink_away_from_the_border():
    blur = explore_convolution("blur (box)", digit=0)
    inner = blur["image"][1:-1, 1:-1]
    assert blur["feature_map"].sum() <= blur["image"].sum() + 1e-12  # the border loses ink to the padding
    assert np.abs(blur["feature_map"]).max() <= blur["image"].max() + 1e-12
    assert inner.size == 36


def test_parse_kernel_accepts_rows_and_rejects_nonsense():
    np.testing.assert_array_equal(parse_kernel("1 0 -1; 2,0,-2\n1 0 -1"), [[1, 0, -1], [2, 0, -2], [1, 0, -1]])
    with pytest.raises(ValueError, match="3 rows of 3"):
        parse_kernel("1 2; 3 4")
    with pytest.raises(ValueError, match="must hold numbers"):
        parse_kernel("a b c; 1 2 3; 1 2 3")


def test_the_explorer_controls_drive_the_result():
    w = make_convolution_explorer()
    assert w.result["figure"] is not None and w.result["label"] == 0
    control(w, "output row").value = 0
    control(w, "output column").value = 7
    assert (w.result["row"], w.result["col"]) == (0, 7)
    control(w, "kernel").value = "custom"
    control(w, "custom kernel").value = "0 0 0; 0 2 0; 0 0 0"
    np.testing.assert_allclose(w.result["feature_map"], 2 * w.result["image"])
    control(w, "digit").value = 3
    assert w.result["label"] == 3


# --- notebook 09: the output-size calculator ------------------------------------------------------
def test_the_calculator_agrees_with_the_implementation_on_every_slider_setting():
    w = make_output_size_calculator()
    ranges = {name: (control(w, name).min, control(w, name).max) for name in
              ("input size n", "filter size F", "padding P", "stride S")}
    checked = 0
    for n in range(ranges["input size n"][0], ranges["input size n"][1] + 1):
        for f in range(ranges["filter size F"][0], ranges["filter size F"][1] + 1):
            for pad in range(ranges["padding P"][0], ranges["padding P"][1] + 1):
                for stride in range(ranges["stride S"][0], ranges["stride S"][1] + 1):
                    if f > n + 2 * pad:
                        continue
                    view = output_size_view(n, f, pad, stride)
                    assert view["formula"] == view["counted"] == view["implementation"], view
                    checked += 1
    assert checked > 1000


def test_calculator_things_to_try():
    assert output_size_view(8, 3, 1, 1)["same"]  # P = (F - 1) / 2 keeps the size
    assert output_size_view(8, 5, 2, 1)["same"]
    assert not output_size_view(8, 3, 2, 1)["same"] and output_size_view(8, 3, 2, 1)["formula"] == 10  # P = F - 1
    assert {output_size_view(8, 4, p, 1)["formula"] for p in range(4)} == {5, 7, 9, 11}  # even F: never 8
    assert output_size_view(8, 3, 0, 2)["unused"] == 1  # stride 2 leaves the last column unread
    assert output_size_view(8, 1, 0, 1)["formula"] == 8  # F = 1


def test_a_window_wider_than_the_padded_input_is_said_not_to_fit(capsys):
    w = make_output_size_calculator()
    control(w, "input size n").value = 2
    control(w, "padding P").value = 0
    control(w, "filter size F").value = 7
    assert w.result["counted"] == 0 and w.result["formula"] is None and w.result["figure"] is not None
    assert show_output_size(2, 7, 0, 1)["counted"] == 0


# --- notebook 10: the backward scatter ------------------------------------------------------------
@pytest.mark.parametrize("f,stride,pad", [(1, 1, 0), (2, 1, 0), (3, 1, 0), (3, 2, 1), (5, 1, 2)])
def test_one_dZ_cell_spreads_the_kernel_onto_its_patch_10_3(f, stride, pad):
    for row in range(0, N_INPUT):
        result = backward_scatter(row, 1, f, stride, pad)
        top, left = result["patch"]
        padded = np.zeros((N_INPUT + 2 * pad, N_INPUT + 2 * pad))
        padded[top:top + f, left:left + f] = result["W"]
        np.testing.assert_array_equal(result["dA_prev"], padded[pad:pad + N_INPUT, pad:pad + N_INPUT])


def test_scatter_things_to_try():
    inside = backward_scatter(2, 2, 3, 1, 0)
    assert inside["dA_prev"].sum() == inside["W"].sum()  # the whole kernel lands inside
    corner = backward_scatter(0, 0, 3, 1, 1)
    assert corner["dA_prev"].sum() < corner["W"].sum()  # part of it fell on the padding and is dropped
    same = backward_scatter(0, 0, 3, 1, 1)["reads"]
    assert same[0, 0] == 4 and same[2, 2] == 9  # a corner is read by 4 outputs, an inner input by 9
    strided = backward_scatter(0, 0, 1, 2, 0)["reads"]
    assert strided[1, 1] == 0 and strided[0, 0] == 1  # f = 1, stride 2: three inputs in four are never read


def test_scatter_controls_drive_the_result():
    w = make_backward_scatter()
    assert w.result["figure"] is not None
    control(w, "filter size f").value = 5
    control(w, "dZ row").value = 9  # beyond the 2 x 2 output: clipped to its last row
    assert w.result["n_out"] == 2 and w.result["row"] == 1
    control(w, "padding").value = 2
    assert w.result["n_out"] == N_INPUT


# --- notebook 10: max-pool routing ----------------------------------------------------------------
@pytest.mark.parametrize("pattern", ["distinct values", "some ties", "all equal"])
@pytest.mark.parametrize("f,stride", [(2, 2), (2, 1), (3, 1), (4, 3)])
def test_one_winner_passes_back_exactly_what_arrived_10_5(pattern, f, stride):
    result = max_pool_routing(pattern, f, stride, seed=1)
    assert result["passed_back"] == result["arrived"]
    A_prev = result["A_prev"][None, :, :, None]
    _, cache = conv.pool_forward(A_prev, f, stride, "max")
    dA_prev = conv.pool_backward(result["dA"][None, :, :, None], cache)[0, :, :, 0]
    np.testing.assert_array_equal(result["dA_prev"], dA_prev)


def test_routing_things_to_try():
    distinct = max_pool_routing("distinct values", 2, 2)
    assert distinct["passed_back_all_ties"] == distinct["passed_back"]  # no ties: both rules agree
    flat = max_pool_routing("all equal", 2, 2)
    assert flat["passed_back_all_ties"] == 4 * flat["arrived"]  # every window a four-way tie: 4 times too much
    assert np.count_nonzero(flat["dA_prev"]) == 4  # one winner per window: its top-left entry
    ties = max_pool_routing("some ties", 2, 2, seed=0)
    assert ties["passed_back_all_ties"] > ties["passed_back"]
    overlapping = max_pool_routing("distinct values", 2, 1)
    assert overlapping["dA_prev"].max() > overlapping["dA"].max()  # a maximum shared by windows collects their sum


def test_routing_controls_drive_the_result():
    w = make_max_pool_routing()
    assert w.result["figure"] is not None
    control(w, "values").value = "all equal"
    assert w.result["passed_back_all_ties"] == 4 * w.result["arrived"]
    control(w, "stride").value = 1
    assert w.result["A"].shape == (3, 3)
    control(w, "window f").value = 1
    assert w.result["passed_back_all_ties"] == w.result["arrived"]  # a 1 x 1 window cannot tie
