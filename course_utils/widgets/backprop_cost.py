"""Explorer for notebook 04: multiply a chain of Jacobians from the output end or from the input end.

A network's chain rule is a product of Jacobians J_L ... J_1, with J_l of shape n_l x n_{l-1}
(notebook 04, section 4). Matrix products can be bracketed either way and give the same Jacobian,
but not at the same price (4.3):

    reverse accumulation (from the output)   n_L sum_l n_l n_{l-1} multiply-adds
    forward accumulation (from the input)    n_0 sum_l n_l n_{l-1} multiply-adds

``explore_chain`` builds a random chain of the chosen sizes, multiplies it both ways (counting
every multiply-add the products really perform) and checks that the two products agree within
round-off; ``show_chain`` draws the counts; ``make_chain_explorer`` puts sliders on it. Counts
are counted, never timed, so they are the same on every machine.

The cost counts of a whole gradient (4.1) live in ``course_utils.jacobians`` and are re-exported
here for the notebook.
"""

import numbers
from dataclasses import dataclass

import numpy as np

from .._validation import check_positive_int
from ..jacobians import (  # noqa: F401  (re-exported: the notebook imports them from here too)
    backward_multiply_adds,
    chain_costs,
    forward_accumulation,
    forward_multiply_adds,
    gradient_costs,
    parameter_count,
    product_roundoff_bound,
    reverse_accumulation,
)

MAX_INPUTS, MAX_WIDTH, MAX_DEPTH, MAX_OUTPUTS = 1000, 256, 6, 100  # the sliders' ranges


def chain_dims(n_inputs, width, depth, n_outputs):
    """[n_inputs, width, ..., width, n_outputs] with ``depth`` inner sizes (depth >= 0)."""
    n_inputs = check_positive_int(n_inputs, "n_inputs")
    width = check_positive_int(width, "width")
    n_outputs = check_positive_int(n_outputs, "n_outputs")
    if isinstance(depth, bool) or not isinstance(depth, numbers.Integral) or depth < 0:
        raise ValueError(f"depth must be an integer >= 0 (the number of inner layers), got {depth!r}")
    return [n_inputs] + [width] * int(depth) + [n_outputs]


def random_chain(dims, seed=0):
    """Random Jacobians [J_1, ..., J_L] for sizes dims = [n_0, ..., n_L]: J_l ~ N(0, 1/n_{l-1}), n_l x n_{l-1}."""
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((n, n_prev)) / np.sqrt(n_prev) for n_prev, n in zip(dims[:-1], dims[1:], strict=True)]


@dataclass
class ChainResult:
    """What the chain explorer shows for one setting of its sliders."""

    dims: list  # [n_0, ..., n_L]
    reverse_count: int  # multiply-adds the reverse products performed
    forward_count: int  # multiply-adds the forward products performed
    reverse_steps: list  # multiply-adds of each step, l = 1 .. L
    forward_steps: list
    agreement: float  # worst |reverse - forward| over its round-off bound: at most 1 means "the same"
    winner: str  # "reverse", "forward" or "tie"
    readout: str  # the sentence printed under the plot
    figure: object = None


def explore_chain(n_inputs=100, width=64, depth=3, n_outputs=1, seed=0):
    """Multiply a random Jacobian chain both ways; count the multiply-adds and compare the products.

    The chain has sizes chain_dims(n_inputs, width, depth, n_outputs) (depth inner sizes of
    ``width``). Each product step is counted as it is performed (p q r multiply-adds for a p x q
    times q x r product). Returns a ChainResult (figure None).
    """
    dims = chain_dims(n_inputs, width, depth, n_outputs)
    chain = random_chain(dims, seed)
    reverse, reverse_count = reverse_accumulation(chain)
    forward, forward_count = forward_accumulation(chain)
    difference = np.abs(reverse - forward)
    agreement = float((difference / product_roundoff_bound(chain)).max())
    n_0, n_L = dims[0], dims[-1]
    weights = [n * n_prev for n_prev, n in zip(dims[:-1], dims[1:], strict=True)]
    winner = "tie" if n_0 == n_L else ("reverse" if n_L < n_0 else "forward")
    factor = max(forward_count, reverse_count) / min(forward_count, reverse_count)
    verdict = ("a tie: n_0 = n_L" if winner == "tie" else
               f"{winner} accumulation is {factor:.3g}x cheaper (n_0 / n_L = {n_0 / n_L:.3g})")
    same = "the same" if agreement <= 1 else "DIFFERENT"
    readout = (f"chain {dims}: reverse {reverse_count:,} multiply-adds, forward {forward_count:,}; {verdict}. "
               f"Both give {same} {n_L}×{n_0} Jacobian (within round-off).")
    return ChainResult(dims, reverse_count, forward_count, [n_L * w for w in weights], [n_0 * w for w in weights],
                       agreement, winner, readout)


def show_chain(n_inputs=100, width=64, depth=3, n_outputs=1, seed=0):
    """The explorer's function: ``explore_chain``, then two plots.

    Left: the multiply-adds of each step, reverse beside forward. Right: the two totals (4.3) as
    the number of inputs n_0 varies (the other sizes fixed), with the chosen n_0 marked: the lines
    cross at n_0 = n_L. Prints the readout; returns the ChainResult with its figure.
    """
    import matplotlib.pyplot as plt

    result = explore_chain(n_inputs, width, depth, n_outputs, seed)
    dims = result.dims
    fig, (ax_steps, ax_total) = plt.subplots(1, 2, figsize=(10, 3.5))
    steps = np.arange(1, len(dims))
    ax_steps.bar(steps - 0.2, result.reverse_steps, width=0.4, color="tab:blue", label="reverse (from the output)")
    ax_steps.bar(steps + 0.2, result.forward_steps, width=0.4, color="tab:orange", label="forward (from the input)")
    ax_steps.set_yscale("log")
    ax_steps.set_xticks(steps, [f"$J_{{{l}}}$" for l in steps])
    ax_steps.set_xlabel("the step that multiplies in $J_l$")
    ax_steps.set_ylabel("multiply-adds")
    ax_steps.set_title(f"chain {dims}", fontsize=9)
    ax_steps.legend(fontsize=8, loc="lower left")

    inputs = np.unique(np.geomspace(1, MAX_INPUTS, 60).astype(int))
    totals = np.array([chain_costs([int(n)] + dims[1:]) for n in inputs])
    ax_total.loglog(inputs, totals[:, 0], color="tab:blue", label=r"reverse: $n_L\,\Sigma_l\, n_l n_{l-1}$")
    ax_total.loglog(inputs, totals[:, 1], color="tab:orange", label=r"forward: $n_0\,\Sigma_l\, n_l n_{l-1}$")
    ax_total.plot([dims[0]], [result.reverse_count], "o", color="tab:blue")
    ax_total.plot([dims[0]], [result.forward_count], "o", color="tab:orange")
    ax_total.axvline(dims[-1], color="grey", linestyle=":", label=f"$n_0 = n_L = {dims[-1]}$")
    ax_total.set_xlabel("number of inputs $n_0$ (other sizes as chosen)")
    ax_total.set_ylabel("multiply-adds in all")
    ax_total.set_title(f"{result.winner} wins" if result.winner != "tie" else "a tie", fontsize=9)
    ax_total.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    result.figure = fig
    plt.show()
    print(result.readout)
    return result


def make_chain_explorer(n_inputs=100, width=64, depth=3, n_outputs=1):
    """Sliders for n_0, the inner width, the depth and n_L on ``show_chain``.

    Returns an ``ipywidgets.interactive``; its ``.result`` is the latest ChainResult.
    """
    import ipywidgets as widgets

    style, layout = {"description_width": "11em"}, widgets.Layout(width="600px")

    def slider(value, top, description):
        return widgets.IntSlider(value=value, min=1, max=top, description=description, continuous_update=False,
                                 style=style, layout=layout)

    return widgets.interactive(
        show_chain,
        n_inputs=slider(n_inputs, MAX_INPUTS, "inputs n_0"),
        width=slider(width, MAX_WIDTH, "inner width n_l"),
        depth=slider(depth, MAX_DEPTH, "inner layers"),
        n_outputs=slider(n_outputs, MAX_OUTPUTS, "outputs n_L"),
        seed=widgets.fixed(0),
    )
