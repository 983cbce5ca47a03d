"""Drawings of the course's ideas (matplotlib): the forward and backward sweep with its cache.

``sweep_reads(L)`` says which arrays each quantity of one forward and one backward pass is
computed from; ``draw_backprop_sweep(L)`` draws them as a diagram:

    top row       W[l], b[l]                                  the parameters
    middle row    A[0] -> Z[1] -> A[1] -> ... -> A[L] -> J     the forward pass (kept in the cache)
    bottom rows   dZ[L] -> dA[L-1] -> dZ[L-1] -> ... -> dZ[1]  the backward pass, with dW[l], db[l]

Dashed arrows are the backward pass reading the cache: dZ[l] reads Z[l] for g'(Z[l]) (5.1),
dW[l] reads A[l-1] (5.2), dA[l-1] reads W[l] (5.4), and dZ[L] reads A[L] (5.5). The backward
pass needs them in the reverse of the order the forward pass made them, so all must be kept.
"""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch, Patch

CACHE_COLOUR, PARAMETER_COLOUR, GRADIENT_COLOUR = "#fdd9a0", "#dddddd", "#cfe3f7"
READ_COLOUR, BACKWARD_COLOUR, HIGHLIGHT_COLOUR = "tab:orange", "tab:blue", "#ffe14d"


def _check_L(L):
    if isinstance(L, bool) or not isinstance(L, int) or L < 1:
        raise ValueError(f"L must be the number of layers, an int >= 1, got {L!r}")
    return L


def sweep_reads(L):
    """{quantity: (quantity, equation, (what it reads, ...))} for one forward and one backward pass.

    Quantities are named as in the code: "Z1", "A1", ..., "cost", "dZ3", "dW3", "db3", "dA2", ...
    (dA0 is never computed). The reads of the backward pass from the forward pass are the cache:
    dZ[L] reads A[L] (5.5), dZ[l] reads Z[l] (5.1), dW[l] reads A[l-1] (5.2), dA[l-1] reads W[l] (5.4).
    Returns a dict in the order the quantities are computed.
    """
    L = _check_L(L)
    reads = {}
    for l in range(1, L + 1):
        reads[f"Z{l}"] = ("(3.1)", (f"W{l}", f"A{l - 1}", f"b{l}"))
        reads[f"A{l}"] = ("(3.2)", (f"Z{l}",))
    reads["cost"] = ("(2.2)", (f"A{L}", "Y"))
    reads[f"dZ{L}"] = ("(5.5)", (f"A{L}", "Y"))
    for l in range(L, 0, -1):
        if l < L:
            reads[f"dA{l}"] = ("(5.4)", (f"W{l + 1}", f"dZ{l + 1}"))
            reads[f"dZ{l}"] = ("(5.1)", (f"dA{l}", f"Z{l}"))
        reads[f"dW{l}"] = ("(5.2)", (f"dZ{l}", f"A{l - 1}"))
        reads[f"db{l}"] = ("(5.3)", (f"dZ{l}",))
    return reads


def cached_reads(L):
    """{backward quantity: the forward-pass arrays (A, Z) it reads}: what the cache is for."""
    return {name: tuple(r for r in read if r[0] in "AZ") for name, (_, read) in sweep_reads(L).items()
            if name.startswith("d")}


def _positions(L):
    """(x, y) of every node of the diagram."""
    top, middle, bottom, lowest = 2.3, 1.15, 0.0, -1.1
    where = {"A0": (0, middle), "cost": (2 * L + 1, middle), "Y": (2 * L + 1, bottom)}
    for l in range(1, L + 1):
        where[f"W{l}"] = (2 * l - 1.3, top)
        where[f"b{l}"] = (2 * l - 0.7, top)
        where[f"Z{l}"] = (2 * l - 1, middle)
        where[f"A{l}"] = (2 * l, middle)
        where[f"dZ{l}"] = (2 * l - 1, bottom)
        where[f"dW{l}"] = (2 * l - 1.3, lowest)
        where[f"db{l}"] = (2 * l - 0.7, lowest)
        if l < L:
            where[f"dA{l}"] = (2 * l, bottom)
    return where


def _label(name):
    if name == "cost":
        return "$J$"
    if name == "Y":
        return "$Y$"
    head, l = name.rstrip("0123456789"), name[len(name.rstrip("0123456789")):]
    return f"${head}^{{[{l}]}}$"


def _colour(name):
    if name.startswith("d"):
        return GRADIENT_COLOUR
    if name[0] in "Wb" or name == "Y":
        return PARAMETER_COLOUR
    if name == "cost":
        return "white"
    return CACHE_COLOUR


def _arrow(ax, boxes, where, source, target, colour, style="-", width=1.0, alpha=1.0, bend=0.0):
    """An arrow from one node's box to another's (ending at the box edges)."""
    ax.annotate("", xy=where[target], xytext=where[source], zorder=1,
                arrowprops={"arrowstyle": "-|>", "color": colour, "linestyle": style, "linewidth": width,
                            "alpha": alpha, "patchA": boxes[source], "patchB": boxes[target],
                            "shrinkA": 1, "shrinkB": 1, "mutation_scale": 12,
                            "connectionstyle": f"arc3,rad={bend}"})


def draw_backprop_sweep(L, highlight=None, ax=None, title=None, note=None):
    """Draw the forward and backward pass of an L-layer network with the cached arrays marked.

    L: number of layers (int >= 1). highlight: a quantity of ``sweep_reads(L)`` ("dW2", "Z1",
    "cost", ...) to mark, with the arrows of what it reads drawn bold and the rest faded; None
    shows every cache read. ax: draw there (else a new figure). title, note: text above and
    below the drawing. Returns the matplotlib Axes.
    """
    L = _check_L(L)
    reads = sweep_reads(L)
    if highlight is not None and highlight not in reads:
        raise ValueError(f"highlight must be one of {', '.join(reads)} (or None), got {highlight!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.25 * (2 * L + 2) + 1, 3.9))
    where = _positions(L)
    wanted = set(reads[highlight][1]) if highlight else set()

    boxes = {}
    for name, (x, y) in where.items():
        bold = name == highlight
        box = FancyBboxPatch((x - 0.27, y - 0.2), 0.54, 0.4, boxstyle="round,pad=0.02", zorder=2,
                             facecolor=HIGHLIGHT_COLOUR if bold else _colour(name),
                             edgecolor="k", linewidth=2.4 if bold or name in wanted else 0.8)
        ax.add_patch(box)
        boxes[name] = box
        ax.text(x, y, _label(name), ha="center", va="center", fontsize=10, zorder=3)

    for target, (_, sources) in reads.items():
        backward = target.startswith("d")
        for source in sources:
            if source not in where:
                continue
            cache_read = backward and not source.startswith("d")
            if highlight is None:
                width, alpha = 1.0, 1.0
            else:
                width, alpha = (2.2, 1.0) if target == highlight else (0.8, 0.25)
            if cache_read:
                colour = READ_COLOUR if source[0] in "AZ" else "grey"
                _arrow(ax, boxes, where, source, target, colour, "--", width, alpha, bend=0.25)
            else:
                _arrow(ax, boxes, where, source, target, BACKWARD_COLOUR if backward else "k", "-", width, alpha)
    # the backward pass starts at the cost: dZ[L] is the summed loss's gradient with respect to Z[L]
    start_alpha = 1.0 if highlight in (None, f"dZ{L}") else 0.25
    _arrow(ax, boxes, where, "cost", f"dZ{L}", BACKWARD_COLOUR, "-", 1.0, start_alpha, bend=-0.3)

    ax.text(-0.6, 1.15, "forward", ha="right", va="center", fontsize=9)
    ax.text(-0.6, -0.5, "backward", ha="right", va="center", fontsize=9, color=BACKWARD_COLOUR)
    legend = [Patch(facecolor=CACHE_COLOUR, edgecolor="k", label="kept in the cache by the forward pass"),
              Patch(facecolor=PARAMETER_COLOUR, edgecolor="k", label="parameters and labels"),
              Patch(facecolor=GRADIENT_COLOUR, edgecolor="k", label="computed by the backward pass"),
              plt.Line2D([], [], color=READ_COLOUR, linestyle="--", label="the backward pass reads the cache")]
    ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=2, fontsize=8, frameon=False)
    ax.set_xlim(-1.6, 2 * L + 1.6)
    ax.set_ylim(-1.5, 2.7)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10)
    if note:
        ax.text(0.5, 1.0, note, transform=ax.transAxes, ha="center", va="bottom", fontsize=8)
    return ax
