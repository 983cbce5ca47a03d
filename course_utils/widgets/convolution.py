"""Notebook 09's explorers: a 3 x 3 kernel sliding over a digit, and the output-size calculator.

``explore_convolution`` computes one feature map with ``course_utils.conv.conv_forward`` ("same"
padding, stride 1) and takes apart the entry at the chosen output position: the 3 x 3 window of
the padded image it reads, the nine products with the kernel and their sum (9.1).
``output_size_view`` lays an f-wide window along a row of n inputs with ``pad`` zeros on each
side, moved ``stride`` at a time, and compares the number of positions it counts with the
formula (9.3) and with the shape conv_forward returns. ``make_*`` put sliders on both.
"""

import numpy as np

from .._validation import check_name
from ..conv import conv_forward, output_size
from ..datasets import load_digits

KERNELS = {
    "vertical edge (Sobel)": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "horizontal edge (Sobel)": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "blur (box)": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "custom": None,
}
DIGIT_COUNT = 20  # the slider picks one of the first 20 images of the digits data


def parse_kernel(text):
    """'1 0 -1; 2 0 -2; 1 0 -1' (rows separated by ';' or new lines) -> a 3 x 3 float array, or ValueError."""
    rows = [row.replace(",", " ").split() for row in str(text).replace("\n", ";").split(";") if row.strip()]
    try:
        kernel = np.array([[float(v) for v in row] for row in rows])
    except ValueError:
        raise ValueError(f"kernel must hold numbers, got {text!r}") from None
    if kernel.shape != (3, 3) or not np.isfinite(kernel).all():
        raise ValueError(f"kernel must be 3 rows of 3 finite numbers, like '1 0 -1; 2 0 -2; 1 0 -1'; got {text!r}")
    return kernel


def explore_convolution(kernel="vertical edge (Sobel)", digit=0, row=3, col=3, custom="0 0 0; 0 1 0; 0 0 0"):
    """One feature map of a digit and the anatomy of its entry at (row, col).

    kernel: a name from KERNELS ("custom" reads ``custom``, 3 rows of 3 numbers). digit: index of
    one of the first DIGIT_COUNT images. row, col: an output position, 0..7.
    Returns a dict: "image" (8 x 8, pixels in [0, 1]), "label", "kernel" (3 x 3), "feature_map"
    (8 x 8, conv_forward with pad 1, stride 1), "window" (3 x 3, the padded image under the
    kernel), "products" (window * kernel), "value" (the feature map at (row, col)).
    """
    check_name(kernel, "kernel", tuple(KERNELS))
    K = parse_kernel(custom) if kernel == "custom" else np.array(KERNELS[kernel], dtype=float)
    X, _, labels = load_digits()
    image = X[:, digit].reshape(8, 8)
    Z, _ = conv_forward(image[None, :, :, None], K[:, :, None, None], np.zeros((1, 1, 1, 1)), stride=1, pad=1)
    padded = np.pad(image, 1)
    window = padded[row:row + 3, col:col + 3]  # output (row, col) reads padded rows row..row+2 (9.1)
    return {"image": image, "label": int(labels[digit]), "kernel": K, "feature_map": Z[0, :, :, 0],
            "window": window, "products": window * K, "value": float(Z[0, row, col, 0]), "row": row, "col": col}


def show_convolution(kernel="vertical edge (Sobel)", digit=0, row=3, col=3, custom="0 0 0; 0 1 0; 0 0 0"):
    """The widget's function: ``explore_convolution`` drawn as image | kernel | feature map. Returns its dict."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    result = explore_convolution(kernel, digit, row, col, custom)
    fig, (ax_image, ax_kernel, ax_map) = plt.subplots(1, 3, figsize=(11, 3.8))
    padded = np.pad(result["image"], 1)
    ax_image.imshow(padded, cmap="gray_r", vmin=0, vmax=1, extent=(-1.5, 8.5, 8.5, -1.5))
    ax_image.add_patch(Rectangle((col - 1.5, row - 1.5), 3, 3, fill=False, edgecolor="tab:red", linewidth=2.5))
    ax_image.add_patch(Rectangle((-0.5, -0.5), 8, 8, fill=False, edgecolor="tab:blue", linestyle="--"))
    ax_image.set_title(f"digit {result['label']}, padded by 1 (dashed: the image)", fontsize=9)
    K = result["kernel"]
    limit = max(np.abs(K).max(), 1e-12)
    ax_kernel.imshow(K, cmap="RdBu_r", vmin=-limit, vmax=limit)
    for p in range(3):
        for q in range(3):
            ax_kernel.text(q, p, f"{K[p, q]:.3g}\n× {result['window'][p, q]:.2f}", ha="center", va="center",
                           fontsize=8)
    ax_kernel.set_title(f"kernel × window: sum = {result['value']:.3g}", fontsize=9)
    feature_map = result["feature_map"]
    limit = max(np.abs(feature_map).max(), 1e-12)
    ax_map.imshow(feature_map, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax_map.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="tab:red", linewidth=2.5))
    ax_map.set_title(f"feature map (9.1), entry ({row}, {col}) = {result['value']:.3g}", fontsize=9)
    for ax in (ax_image, ax_kernel, ax_map):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    result["figure"] = fig
    plt.show()
    return result


def make_convolution_explorer():
    """A kernel picker, a custom-kernel box, a digit slider and the output position (row, col)."""
    import ipywidgets as widgets

    style, layout = {"description_width": "120px"}, widgets.Layout(width="420px")
    return widgets.interactive(
        show_convolution,
        kernel=widgets.Dropdown(options=list(KERNELS), value="vertical edge (Sobel)", description="kernel",
                                style=style, layout=layout),
        digit=widgets.IntSlider(value=0, min=0, max=DIGIT_COUNT - 1, description="digit (image #)",
                                continuous_update=False, style=style, layout=layout),
        row=widgets.IntSlider(value=3, min=0, max=7, description="output row", style=style, layout=layout),
        col=widgets.IntSlider(value=3, min=0, max=7, description="output column", style=style, layout=layout),
        custom=widgets.Text(value="0 0 0; 0 1 0; 0 0 0", description="custom kernel", continuous_update=False,
                            style=style, layout=layout),
    )


def output_size_view(n=8, f=3, pad=1, stride=1):
    """Where an f-wide window lands on n inputs with ``pad`` zeros on each side, moving ``stride`` at a time.

    Returns a dict: "starts" (the window's first index in the padded row, one per position),
    "counted" (how many positions fit), "formula" (1 + floor((n + 2 pad - f) / stride), (9.3)),
    "implementation" (the width of conv_forward's output on an n x n input), "same" (whether the
    output keeps the input's size), "unused" (padded inputs on the right that no window reads).
    f larger than n + 2 pad raises ValueError (no window fits).
    """
    formula = output_size(n, f, pad, stride)
    starts = list(range(0, n + 2 * pad - f + 1, stride))
    Z, _ = conv_forward(np.zeros((1, n, n, 1)), np.zeros((f, f, 1, 1)), np.zeros((1, 1, 1, 1)), stride, pad)
    return {"n": n, "f": f, "pad": pad, "stride": stride, "starts": starts, "counted": len(starts),
            "formula": formula, "implementation": int(Z.shape[2]), "same": formula == n,
            "unused": n + 2 * pad - (starts[-1] + f)}


def show_output_size(n=8, f=3, pad=1, stride=1):
    """The widget's function: the padded row, every window position, and the three counts. Returns its dict."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    fig, ax = plt.subplots(figsize=(10, 3.2))
    if f > n + 2 * pad:
        ax.text(0.5, 0.5, f"f = {f} is wider than the padded input n + 2P = {n + 2 * pad}: no window fits",
                ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        result = {"n": n, "f": f, "pad": pad, "stride": stride, "starts": [], "counted": 0, "formula": None,
                  "implementation": None, "same": False, "unused": None, "figure": fig}
        plt.show()
        return result
    result = output_size_view(n, f, pad, stride)
    width = n + 2 * pad
    for x in range(width):
        is_pad = x < pad or x >= pad + n
        ax.add_patch(Rectangle((x, 0), 1, 1, facecolor="0.9" if is_pad else "tab:blue", edgecolor="black",
                               alpha=0.5 if is_pad else 0.35))
        ax.text(x + 0.5, 0.5, "0" if is_pad else str(x - pad), ha="center", va="center", fontsize=8)
    for k, start in enumerate(result["starts"]):
        y = 1.3 + 0.35 * (k % 4)
        ax.plot([start + 0.1, start + f - 0.1], [y, y], color="tab:red", linewidth=3)
        ax.text(start + 0.1, y + 0.08, str(k), fontsize=7, color="tab:red")
    ax.set_xlim(-0.5, width + 0.5)
    ax.set_ylim(-0.3, 3.0)
    ax.set_axis_off()
    verdict = "same size" if result["same"] else f"size {n} → {result['formula']}"
    if result["unused"]:
        verdict += f"; {result['unused']} input(s) never read"
    ax.set_title(f"n = {n}, F = {f}, P = {pad}, S = {stride}: 1 + ⌊({n} + 2·{pad} − {f}) / {stride}⌋ = "
                 f"{result['formula']} (formula), {result['counted']} (counted), {result['implementation']} "
                 f"(conv_forward); {verdict}", fontsize=9)
    fig.tight_layout()
    result["figure"] = fig
    plt.show()
    return result


def make_output_size_calculator():
    """Sliders for n, F, P and S on ``show_output_size``."""
    import ipywidgets as widgets

    style, layout = {"description_width": "120px"}, widgets.Layout(width="420px")
    return widgets.interactive(
        show_output_size,
        n=widgets.IntSlider(value=8, min=1, max=16, description="input size n", style=style, layout=layout),
        f=widgets.IntSlider(value=3, min=1, max=7, description="filter size F", style=style, layout=layout),
        pad=widgets.IntSlider(value=1, min=0, max=4, description="padding P", style=style, layout=layout),
        stride=widgets.IntSlider(value=1, min=1, max=4, description="stride S", style=style, layout=layout),
    )
