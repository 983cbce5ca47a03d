"""Notebook 12's graph stepper: forward values in topological order, then gradients in reverse (12.7).

Backed claims: the final gradients are the derivatives of the loss (against central differences); w's
gradient arrives in three pieces (it is used three times, (12.1)) and is only complete after the last.
"""

import numpy as np
import pytest

from course_utils.widgets.graph_view import LEAVES, PENALTY, build_example, graph_steps, graph_view, make_graph_view

from .conftest import control


def loss_at(**leaves):
    loss, _ = build_example(leaves)
    return float(loss.data.item())


def test_the_last_step_holds_the_derivatives_of_the_loss():
    final = graph_view(len(graph_steps().steps), draw=False)
    assert final["phase"] == "backward" and all(final["complete"].values())
    for name in ("x", "w", "b", "y"):
        eps = 1e-6
        numerical = (loss_at(**{name: LEAVES[name] + eps}) - loss_at(**{name: LEAVES[name] - eps})) / (2 * eps)
        assert final["grads"][name] == pytest.approx(numerical, rel=1e-7, abs=1e-10), name
    x, w, b, y = (LEAVES[k] for k in "xwby")
    a = 1 / (1 + np.exp(-(w * x + b)))
    assert final["grads"]["w"] == pytest.approx(2 * (a - y) * a * (1 - a) * x + 2 * PENALTY * w, rel=1e-12)


def test_forward_steps_fill_values_in_order_and_backward_steps_fill_gradients():
    walk = graph_steps()
    operations = sum(1 for node in walk.nodes if node.op)
    assert len(walk.steps) == 2 * operations
    start = graph_view(0, walk, draw=False)
    assert start["values"]["loss"] is None and start["values"]["w"] == LEAVES["w"]
    after_forward = graph_view(operations, walk, draw=False)
    assert after_forward["values"]["loss"] == pytest.approx(loss_at(), rel=1e-15)
    assert all(g is None for g in after_forward["grads"].values())
    for k in range(1, operations + 1):  # every forward step's inputs were computed before it
        view = graph_view(k, walk, draw=False)
        node = next(n for n in walk.nodes if n.label == view["focus"])
        assert all(view["values"][p] is not None for p in node.parents)


def test_w_collects_three_contributions_and_is_partial_before_the_last():
    walk = graph_steps()
    assert walk.uses["w"] == 3
    seen = [graph_view(k, walk, draw=False) for k in range(len(walk.steps) + 1)]
    counts = [v["received"]["w"] for v in seen]
    assert max(counts) == 3
    first = next(k for k, c in enumerate(counts) if c > 0)
    assert not seen[first]["complete"]["w"]
    assert seen[first]["grads"]["w"] != pytest.approx(seen[-1]["grads"]["w"])  # a part is not the derivative
    assert seen[-1]["complete"]["w"]


def test_a_bad_step_is_refused_and_the_widget_moves():
    with pytest.raises(ValueError, match="step must be an integer from 0 to 16"):
        graph_view(17)
    w = make_graph_view()
    assert w.result["step"] == 0 and w.result["figure"] is not None
    control(w, "step").value = 5
    assert w.result["step"] == 5 and w.result["phase"] == "forward"
