"""Notebook 10's explorers: where a convolution's gradient goes, and where a max pool routes its gradient.

``backward_scatter`` puts a single 1 in dZ at (row, col) and runs ``conv_backward``: dA_prev is
then the kernel W itself, laid on the input patch that output read (10.3), with the part that
fell on the padding cut away. It also counts, for every input, how many outputs read it: the
number of terms in that input's gradient sum.
``max_pool_routing`` pools a small grid whose windows can hold tied maxima and runs
``pool_backward``: each window's gradient goes whole to one entry (10.5); the rule "every tied
maximum gets it" would pass back more gradient than arrived.
"""

import numpy as np

from .._validation import check_name
from ..conv import conv_backward, conv_forward, output_size, pool_backward, pool_forward

N_INPUT = 6  # the scatter view's input is N_INPUT x N_INPUT
KERNEL_VALUES = np.arange(1, 26, dtype=float).reshape(5, 5)  # distinct entries, so each one can be traced


def backward_scatter(row=1, col=1, f=3, stride=1, pad=0):
    """dA_prev of a convolution when dZ is 1 at (row, col) and 0 elsewhere (10.3).

    One 6 x 6 input channel, one filter W of size f x f with the distinct entries 1, 2, ..., f^2.
    row, col are clipped to the output's size. Returns a dict: "dZ" (n_H x n_W), "W" (f x f),
    "dA_prev" (6 x 6), "patch" ((first row, first column) of the input patch in the *padded*
    input), "reads" (6 x 6: how many outputs read each input), "n_out" (n_H).
    """
    n_out = output_size(N_INPUT, f, pad, stride)
    row, col = min(row, n_out - 1), min(col, n_out - 1)
    W = KERNEL_VALUES[:f, :f].copy()[:, :, None, None]
    A_prev = np.zeros((1, N_INPUT, N_INPUT, 1))
    _, cache = conv_forward(A_prev, W, np.zeros((1, 1, 1, 1)), stride, pad)
    dZ = np.zeros((1, n_out, n_out, 1))
    dZ[0, row, col, 0] = 1.0
    dA_prev = conv_backward(dZ, cache)[0][0, :, :, 0]
    reads = conv_backward(np.ones_like(dZ), {**cache, "W": np.ones_like(W)})[0][0, :, :, 0]
    return {"dZ": dZ[0, :, :, 0], "W": W[:, :, 0, 0], "dA_prev": dA_prev, "patch": (row * stride, col * stride),
            "reads": reads, "n_out": n_out, "row": row, "col": col, "f": f, "stride": stride, "pad": pad}


def show_backward_scatter(row=1, col=1, f=3, stride=1, pad=0):
    """The widget's function: dZ with its one cell | dA_prev (W on the patch) | how often each input is read."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    result = backward_scatter(row, col, f, stride, pad)
    fig, (ax_dz, ax_da, ax_reads) = plt.subplots(1, 3, figsize=(11, 3.8))
    ax_dz.imshow(result["dZ"], cmap="Reds", vmin=0, vmax=1)
    ax_dz.set_title(f"dZ: 1 at ({result['row']}, {result['col']}), {result['n_out']} x {result['n_out']}",
                    fontsize=9)
    ax_da.imshow(result["dA_prev"], cmap="Blues", vmin=0, vmax=f * f)
    for i in range(N_INPUT):
        for j in range(N_INPUT):
            if result["dA_prev"][i, j]:
                ax_da.text(j, i, f"{result['dA_prev'][i, j]:.0f}", ha="center", va="center", fontsize=9)
    top, left = result["patch"]
    ax_da.add_patch(Rectangle((left - pad - 0.5, top - pad - 0.5), f, f, fill=False, edgecolor="tab:red",
                              linewidth=2.5, clip_on=False))
    ax_da.set_xlim(-pad - 0.6, N_INPUT + pad - 0.4)
    ax_da.set_ylim(N_INPUT + pad - 0.4, -pad - 0.6)
    ax_da.add_patch(Rectangle((-0.5, -0.5), N_INPUT, N_INPUT, fill=False, edgecolor="black", linestyle="--"))
    ax_da.set_title("dA_prev: W[p, q] lands on the patch (10.3)\n(red: the window, dashed: the input)", fontsize=9)
    ax_reads.imshow(result["reads"], cmap="Greens", vmin=0)
    for i in range(N_INPUT):
        for j in range(N_INPUT):
            ax_reads.text(j, i, f"{result['reads'][i, j]:.0f}", ha="center", va="center", fontsize=9)
    ax_reads.set_title("terms in each input's gradient sum\n(outputs that read it)", fontsize=9)
    for ax in (ax_dz, ax_da, ax_reads):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    result["figure"] = fig
    plt.show()
    return result


def make_backward_scatter():
    """Sliders for the dZ cell (row, col), the filter size f, the stride and the padding."""
    import ipywidgets as widgets

    style, layout = {"description_width": "120px"}, widgets.Layout(width="420px")
    return widgets.interactive(
        show_backward_scatter,
        row=widgets.IntSlider(value=1, min=0, max=N_INPUT + 3, description="dZ row", style=style, layout=layout),
        col=widgets.IntSlider(value=1, min=0, max=N_INPUT + 3, description="dZ column", style=style, layout=layout),
        f=widgets.IntSlider(value=3, min=1, max=5, description="filter size f", style=style, layout=layout),
        stride=widgets.IntSlider(value=1, min=1, max=3, description="stride", style=style, layout=layout),
        pad=widgets.IntSlider(value=0, min=0, max=2, description="padding", style=style, layout=layout),
    )


PATTERNS = ("distinct values", "some ties", "all equal")


def pooling_grid(pattern="some ties", size=4, seed=0):
    """A size x size grid: distinct values, small integers (ties in some windows) or all ones."""
    check_name(pattern, "pattern", PATTERNS)
    rng = np.random.default_rng(seed)
    if pattern == "distinct values":
        return rng.permutation(size * size).reshape(size, size).astype(float)
    if pattern == "some ties":
        return rng.integers(0, 3, (size, size)).astype(float)
    return np.ones((size, size))


def max_pool_routing(pattern="some ties", f=2, stride=2, seed=0):
    """Max pooling forward and backward on one 4 x 4 channel, with dA = 1, 2, 3, ... (one per window).

    Returns a dict: "A_prev" (4 x 4), "A" (the pooled maxima), "dA", "dA_prev" (the course's
    routing, (10.5)), "all_ties" (what giving every tied maximum the gradient would pass back),
    "passed_back" (dA_prev.sum()), "arrived" (dA.sum()), "passed_back_all_ties".
    """
    A_prev = pooling_grid(pattern, 4, seed)
    A, cache = pool_forward(A_prev[None, :, :, None], f, stride, "max")
    dA = np.arange(1, A.size + 1, dtype=float).reshape(A.shape)
    dA_prev = pool_backward(dA, cache)[0, :, :, 0]
    all_ties = np.zeros((4, 4))
    n = A.shape[1]
    for h in range(n):
        for w in range(n):
            rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
            all_ties[rows, cols] += (A_prev[rows, cols] == A[0, h, w, 0]) * dA[0, h, w, 0]
    return {"A_prev": A_prev, "A": A[0, :, :, 0], "dA": dA[0, :, :, 0], "dA_prev": dA_prev, "all_ties": all_ties,
            "arrived": float(dA.sum()), "passed_back": float(dA_prev.sum()),
            "passed_back_all_ties": float(all_ties.sum()), "f": f, "stride": stride}


def show_max_pool_routing(pattern="some ties", f=2, stride=2, seed=0):
    """The widget's function: A_prev with its windows | dA | dA_prev (one winner) | dA_prev if every tie won."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    result = max_pool_routing(pattern, f, stride, seed)
    fig, axes = plt.subplots(1, 4, figsize=(12, 3.4))
    panels = [("A_prev (windows in colour)", result["A_prev"], "Greys"), ("dA, one per window", result["dA"], "Reds"),
              (f"dA_prev, one winner (10.5)\npassed back {result['passed_back']:.0f} of {result['arrived']:.0f}",
               result["dA_prev"], "Reds"),
              (f"if every tie won: passed back\n{result['passed_back_all_ties']:.0f} of {result['arrived']:.0f}",
               result["all_ties"], "Reds")]
    colours = plt.cm.tab10.colors
    for ax, (title, values, cmap) in zip(axes, panels, strict=True):
        ax.imshow(values, cmap=cmap, vmin=0, vmax=max(values.max(), 1) * 1.3)
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                ax.text(j, i, f"{values[i, j]:.0f}", ha="center", va="center", fontsize=9)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    n = result["A"].shape[0]
    for k, (h, w) in enumerate((h, w) for h in range(n) for w in range(n)):
        inset = 0.08 * (k % 3)
        axes[0].add_patch(Rectangle((w * stride - 0.5 + inset, h * stride - 0.5 + inset), f - 2 * inset,
                                    f - 2 * inset, fill=False, edgecolor=colours[k % 10], linewidth=2))
    fig.tight_layout()
    result["figure"] = fig
    plt.show()
    return result


def make_max_pool_routing():
    """A picker for the grid's values (distinct, some ties, all equal), f, stride and the random seed."""
    import ipywidgets as widgets

    style, layout = {"description_width": "120px"}, widgets.Layout(width="420px")
    return widgets.interactive(
        show_max_pool_routing,
        pattern=widgets.Dropdown(options=PATTERNS, value="some ties", description="values", style=style,
                                 layout=layout),
        f=widgets.IntSlider(value=2, min=1, max=4, description="window f", style=style, layout=layout),
        stride=widgets.IntSlider(value=2, min=1, max=3, description="stride", style=style, layout=layout),
        seed=widgets.IntSlider(value=0, min=0, max=9, description="random seed", style=style, layout=layout),
    )
