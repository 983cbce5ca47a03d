"""The network diagram of notebook 03 (course_utils.plotting.draw_network): units, weights, direction."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgb
from matplotlib.patches import Circle
from matplotlib.text import Annotation

from course_utils.plotting import draw_network


def _circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


def test_one_circle_per_unit_and_one_line_per_weight():
    dims = [2, 4, 3, 1]
    ax = draw_network(dims)
    assert len(_circles(ax)) == sum(dims)
    assert len(ax.lines) == sum(dims[l] * dims[l - 1] for l in range(1, len(dims)))
    texts = " ".join(t.get_text() for t in ax.texts)
    for l, n in enumerate(dims):
        assert f"layer {l}" in texts and f"$n_{{{l}}} = {n}$" in texts


def test_the_highlighted_weight_points_from_unit_k_of_layer_l_minus_1_into_unit_j_of_layer_l():
    ax = draw_network([2, 4, 3, 1], highlight=(2, 1, 3))
    (arrow,) = [t for t in ax.texts if isinstance(t, Annotation)]
    (x_tail, y_tail), (x_head, y_head) = arrow.xyann, arrow.xy
    (target,) = [c for c in _circles(ax) if c.get_facecolor()[:3] == to_rgb("tab:red")]
    (source,) = [c for c in _circles(ax) if c.get_facecolor()[:3] == to_rgb("tab:orange")]
    # layers sit at x = 0, 2.4, 4.8, ...; units from the top: layer 2 (3 units) at y = 1, 0, -1,
    # layer 1 (4 units) at y = 1.5, 0.5, -0.5, -1.5. So unit 1 of layer 2 and unit 3 of layer 1:
    assert target.center == pytest.approx((4.8, 1.0)) and source.center == pytest.approx((2.4, -0.5))
    assert x_tail < x_head  # the arrow runs forward, from the source unit into the target unit
    assert x_tail == pytest.approx(2.4, abs=0.3) and x_head == pytest.approx(4.8, abs=0.3)
    assert y_tail == pytest.approx(-0.5, abs=0.3) and y_head == pytest.approx(1.0, abs=0.3)
    assert any(t.get_text() == "$W^{[2]}_{13}$" for t in ax.texts)
    assert len(ax.lines) == 2 * 4 + 4 * 3 + 3 * 1 - 1  # every other weight is a plain line


def test_shapes_are_written_under_the_layers():
    ax = draw_network([3, 5, 2], shapes=True)
    texts = [t.get_text() for t in ax.texts]
    assert "$W^{[1]}$: 5 × 3\n$b^{[1]}$: 5 × 1" in texts and "$W^{[2]}$: 2 × 5\n$b^{[2]}$: 2 × 1" in texts
    assert "$A^{[0]}$: 3 × m" in texts and "$A^{[2]}$: 2 × m" in texts


def test_wide_layers_are_drawn_with_a_gap():
    ax = draw_network([2, 30, 1], max_units=8)
    assert len(_circles(ax)) == 2 + 7 + 1
    assert any(t.get_text() == "⋮" for t in ax.texts)
    plt.close(ax.figure)


@pytest.mark.parametrize("bad", [[3], [2, 0, 1], "2,3", [2, 3.5]])
def test_bad_layer_dims_are_rejected(bad):
    with pytest.raises(ValueError, match="layer_dims"):
        draw_network(bad)


def test_a_highlight_outside_the_network_is_rejected():
    with pytest.raises(ValueError, match="highlight"):
        draw_network([2, 4, 1], highlight=(2, 1, 5))  # layer 1 has only 4 units
