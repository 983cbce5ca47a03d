"""Notebook 12's explorer: step through a computation graph, forward values first, then gradients.

    graph_steps()            -> GraphWalk: the example graph, its nodes in topological order, and a
                                snapshot of every node's value and gradient after each step
    graph_view(step)         -> dict: what the view shows at one step (the numbers and the figure)
    make_graph_view()        -> ipywidgets.interactive with a step slider

The example is one neuron with a squared error and a weight penalty (lambda = 0.1),

    z = w x + b,   a = sigma(z),   loss = (a - y)^2 + lambda w w,

built with the course's ``Tensor`` (course_utils.autodiff). The weight w is used three times (twice
by w w, once by w x): during the backward pass its gradient arrives in three pieces, and only the
sum is the derivative (the fan-out rule, (12.1)). The forward steps follow the topological order;
the backward steps visit the nodes in reverse (12.7), each applying its local rule (12.2)-(12.6).
"""

from dataclasses import dataclass, field

import numpy as np

from ..autodiff import Tensor

LEAVES = {"x": 1.5, "w": -0.8, "b": 0.4, "y": 1.0}
PENALTY = 0.1  # lambda
# where each node is drawn: (column, row); the columns follow the order of evaluation
POSITIONS = {"w": (0, 1.5), "x": (0, 0.3), "w·w": (1, 2.4), "w·x": (1, 0.6), "b": (1, -0.6), "λ·w·w": (2, 2.4),
             "z": (2, 0.0), "a = σ(z)": (3, 0.0), "y": (3, -1.2), "a − y": (4, -0.6), "(a − y)²": (5, -0.6),
             "loss": (6, 0.9)}


@dataclass
class Node:
    """One drawn node: its label, the operation that made it ("" for a leaf), its Tensor, its drawn parents."""

    label: str
    op: str
    tensor: Tensor
    parents: list = field(default_factory=list)  # labels of the drawn parents


@dataclass
class GraphWalk:
    """The graph and its history: values[k][label] and grads[k][label] after step k (0 = nothing done yet)."""

    nodes: list
    steps: list  # (phase, label, description) of steps 1..len(steps)
    values: list
    grads: list
    received: list  # received[k][label]: how many gradient contributions the node has received after step k
    uses: dict  # label -> how many times the node is used by the nodes above it (its fan-out)


def build_example(leaves=None, penalty=PENALTY):
    """The example graph. Returns (loss, labels): labels maps id(tensor) -> label, for every drawn node."""
    values = dict(LEAVES, **(leaves or {}))
    x, w, b, y = (Tensor(np.array([[values[k]]])) for k in ("x", "w", "b", "y"))
    wx = w * x
    z = wx + b
    a = z.sigmoid()
    e = a - y
    squared = e ** 2
    ww = w * w
    weighted = ww * penalty
    loss = squared + weighted
    named = [(x, "x"), (w, "w"), (b, "b"), (y, "y"), (wx, "w·x"), (z, "z"), (a, "a = σ(z)"), (e, "a − y"),
             (squared, "(a − y)²"), (ww, "w·w"), (weighted, "λ·w·w"), (loss, "loss")]
    return loss, {id(t): label for t, label in named}


def _describe(node, parents):
    rules = {"*": "product", "+": "sum", "-": "difference", "sigmoid": "σ", "**2": "square"}
    inputs = " and ".join(parents)
    if len(node.tensor._parents) > len(parents):
        inputs += " and the constant λ"
    return f"{node.label} = {rules.get(node.op, node.op)} of {inputs}"


def graph_steps(leaves=None, penalty=PENALTY):
    """Run the example forward and backward one node at a time, keeping a snapshot after every step.

    leaves: optional new values for "x", "w", "b", "y". Returns a GraphWalk.
    """
    loss, labels = build_example(leaves, penalty)
    order = [t for t in loss._topological_order() if id(t) in labels]  # constants are not drawn
    nodes = {}
    for t in order:
        parents = [labels[id(p)] for p in t._parents if id(p) in labels]
        nodes[labels[id(t)]] = Node(labels[id(t)], t._op, t, parents)
    uses = {label: 0 for label in nodes}
    for node in nodes.values():
        for parent in node.tensor._parents:
            if id(parent) in labels:
                uses[labels[id(parent)]] += 1

    empty = {label: None for label in nodes}
    values, grads = [dict(empty)], [dict(empty)]
    received = [dict.fromkeys(nodes, 0)]
    for label, node in nodes.items():  # the leaves are known before the first step
        if not node.op:
            values[0][label] = float(node.tensor.data.item())
    steps = []
    for t in order:  # forward, in topological order
        node = nodes[labels[id(t)]]
        if not node.op:
            continue
        values.append({**values[-1], node.label: float(t.data.item())})
        grads.append(dict(empty))
        received.append(dict(received[-1]))
        steps.append(("forward", node.label, _describe(node, node.parents) + f" = {t.data.item():.4g}"))

    full = loss._topological_order()  # backward over the whole graph, constants included
    for t in full:
        t.grad = np.zeros_like(t.data)
    loss.grad = np.ones_like(loss.data)
    current = {label: None for label in nodes}
    current["loss"] = 1.0
    count = dict(received[-1])
    for t in reversed(full):
        if id(t) not in labels or not nodes[labels[id(t)]].op:
            t._backward(t.grad)  # a leaf or a constant: nothing to pass on
            continue
        node = nodes[labels[id(t)]]
        t._backward(t.grad)
        for parent in t._parents:
            if id(parent) in labels:
                name = labels[id(parent)]
                current[name] = float(parent.grad.item())
                count[name] += 1
        values.append(dict(values[-1]))
        grads.append(dict(current))
        received.append(dict(count))
        sent = ", ".join(f"{p}.grad = {current[p]:.4g}" for p in dict.fromkeys(node.parents))
        steps.append(("backward", node.label, f"through {node.label}'s local rule: {sent}"))
    return GraphWalk(list(nodes.values()), steps, values, grads, received, uses)


def graph_view(step=0, walk=None, draw=True):
    """What the view shows after ``step`` steps (0 .. 2 x the number of operations).

    Returns a dict: "step", "phase" ("start", "forward" or "backward"), "focus" (the node of this
    step), "description", "values" and "grads" (label -> number or None), "complete" (label ->
    True once every use of the node has sent its gradient back), "figure" (None if draw is False).
    """
    walk = walk or graph_steps()
    last = len(walk.steps)
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 0 <= step <= last:
        raise ValueError(f"step must be an integer from 0 to {last}, got {step!r}")
    phase, focus, description = ("start", None, "the leaves are given; nothing is computed yet") if step == 0 \
        else walk.steps[step - 1]
    values, grads, received = walk.values[step], walk.grads[step], walk.received[step]
    complete = {node.label: grads[node.label] is not None and received[node.label] >= walk.uses[node.label]
                for node in walk.nodes}
    result = {"step": int(step), "phase": phase, "focus": focus, "description": description, "values": values,
              "grads": grads, "complete": complete, "received": received, "uses": walk.uses, "figure": None}
    if draw:
        result["figure"] = _draw(walk, result)
    return result


def _draw(walk, view):
    import matplotlib.pyplot as plt

    positions = {node.label: POSITIONS[node.label] for node in walk.nodes}
    fig, ax = plt.subplots(figsize=(11, 4.6))
    focus = view["focus"]
    for node in walk.nodes:
        for parent in dict.fromkeys(node.parents):  # w·w uses w twice: one arrow, marked "×2"
            (x0, y0), (x1, y1) = positions[parent], positions[node.label]
            backward_edge = view["phase"] == "backward" and node.label == focus
            ax.annotate("", xy=(x0 + 0.33, y0) if backward_edge else (x1 - 0.33, y1),
                        xytext=(x1 - 0.33, y1) if backward_edge else (x0 + 0.33, y0),
                        arrowprops={"arrowstyle": "->", "color": "C3" if backward_edge else "0.6",
                                    "lw": 2 if backward_edge else 1})
            if node.parents.count(parent) > 1:
                ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, f"×{node.parents.count(parent)}", fontsize=8,
                        color="0.3", ha="center")
    for node in walk.nodes:
        x, y = positions[node.label]
        value, grad = view["values"][node.label], view["grads"][node.label]
        lines = [node.label, "value  —" if value is None else f"value {value:.4g}"]
        if grad is not None:
            lines.append(f"grad {grad:.4g}" + ("" if view["complete"][node.label] else
                                               f"  ({view['received'][node.label]}/{walk.uses[node.label]})"))
        if node.label == focus:
            color = "#ffe9a8"
        elif grad is not None:
            color = "#c9efc9" if view["complete"][node.label] else "#ffd2a8"
        else:
            color = "white" if value is not None else "0.92"
        ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=8, family="monospace",
                bbox={"boxstyle": "round", "facecolor": color, "edgecolor": "0.4"})
    xs, ys = zip(*positions.values(), strict=True)
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.axis("off")
    ax.set_title(f"step {view['step']}/{len(walk.steps)} ({view['phase']}): {view['description']}", fontsize=9)
    fig.text(0.01, 0.01, "yellow: this step · orange: gradient still partial (received/uses) · green: complete",
             fontsize=8, color="0.3")
    fig.tight_layout()
    return fig


def make_graph_view():
    """Widget: a step slider over the forward pass, then the backward pass, of the example graph.

    Returns the ``ipywidgets.interactive``; its ``.result`` is the ``graph_view`` dict, with its figure.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    walk = graph_steps()
    step = widgets.IntSlider(value=0, min=0, max=len(walk.steps), description="step", continuous_update=False,
                             style={"description_width": "4em"}, layout=widgets.Layout(width="560px"))

    def show(step):
        result = graph_view(step, walk)
        plt.show()
        return result

    return widgets.interactive(show, step=step)
