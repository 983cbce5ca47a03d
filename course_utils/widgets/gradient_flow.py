"""Notebook 11's explorer: how much gradient reaches step t from a loss at the last step T.

    gradient_flow(spectral_radius, forget, kind, T_x, seed) -> dict

Left, a vanilla RNN: the norm of d a<T> / d a<t>, the product of the step Jacobians
diag(1 - a<s>^2) Waa (11.4), against the number of steps back, T - t. Its recurrent matrix Waa has
the spectral radius rho set by the slider and is either orthogonal (every singular value equals rho)
or non-normal (the same eigenvalues, but its largest singular value sigma_max is several times
rho). Since tanh' <= 1, the norm is at most sigma_max^(T - t) (11.6): with sigma_max < 1 the
gradient must vanish. The spectral radius only sets the *long-run* rate; a non-normal Waa with
rho < 1 can still amplify for a while.

Right, an LSTM whose forget gate is held at the value of the slider (Wf = 0, bf = logit(f)) and
whose other gates depend mostly on the input (small recurrent weights): the norm of
d a<T> / d(a<t>, c<t>), computed with the course's own ``lstm_cell_backward``. The cell state's
direct path multiplies by f at every step (d c<t> / d c<t-1> = diag(f), (11.12)), so with f = 1
the gradient does not fade.
"""

import numpy as np

from .._validation import check_name, check_positive_int
from ..rnn import _lstm_cell_backward, _lstm_forward, _rnn_forward, _stack_gates

KINDS = ("orthogonal", "non-normal")
N_A, N_X = 16, 4


def _orthogonal(rng, n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def recurrent_matrix(spectral_radius, kind="orthogonal", n_a=N_A, seed=0):
    """An n_a x n_a matrix with the given spectral radius (largest |eigenvalue|).

    "orthogonal": rho times an orthogonal matrix, so every singular value is rho too.
    "non-normal": S diag(lambda) S^-1 with real eigenvalues spread over [-rho, rho] and an
    ill-conditioned S (condition number 10): the same spectral radius, a larger sigma_max.
    """
    check_name(kind, "kind", KINDS)
    rng = np.random.default_rng(seed)
    if kind == "orthogonal":
        return spectral_radius * _orthogonal(rng, n_a)
    S = _orthogonal(rng, n_a) @ np.diag(np.logspace(0, 1, n_a)) @ _orthogonal(rng, n_a)
    eigenvalues = spectral_radius * np.linspace(-1, 1, n_a)
    return S @ np.diag(eigenvalues) @ np.linalg.inv(S)


def rnn_gradient_norms(Waa, Wax, ba, x):
    """||d a<T> / d a<t>||_2 for t = T, T-1, ..., 0 for one sequence x (n_x, 1, T_x). Equation (11.4).

    Returns (norms, a): norms[k] is the norm k steps back (norms[0] = 1, the identity), a the states.
    """
    a, _ = _rnn_forward(x, np.zeros((Waa.shape[0], 1)), {"Wax": Wax, "Waa": Waa, "ba": ba})
    T_x = x.shape[2]
    jacobian = np.eye(Waa.shape[0])
    norms = [1.0]
    for t in reversed(range(T_x)):  # a<t+1> = tanh(...a<t>...): multiply by diag(1 - a<t+1>^2) Waa on the right
        jacobian = jacobian @ (np.diag(1 - a[:, 0, t] ** 2) @ Waa)
        norms.append(float(np.linalg.norm(jacobian, 2)))
    return np.array(norms), a


def _logit(p):
    return 40.0 if p >= 1 else float(np.log(p / (1 - p)))  # sigma(40) rounds to exactly 1


def lstm_gradient_norms(parameters, x):
    """||d a<T> / d(a<t>, c<t>)||_2 for t = T, ..., 0, through the course's LSTM backward (12.9).

    Runs n_a copies of the one sequence x (n_x, 1, T_x) and sends the unit vector e_k back from
    a<T> in copy k: column k of the gradient reaching (a<t>, c<t>) is then row k of the Jacobian.
    Returns norms (T_x + 1,): norms[k] k steps back (norms[0] = 1: a<T> itself).
    """
    n_a = parameters["bf"].shape[0]
    copies = np.repeat(x, n_a, axis=1)
    zeros = np.zeros((n_a, n_a))
    _, _, (cell_caches, _) = _lstm_forward(copies, zeros, zeros, parameters)
    W, _ = _stack_gates(parameters)
    da, dc = np.eye(n_a), zeros  # copy k starts from the unit vector e_k at a<T>
    norms = [1.0]
    for cache in reversed(cell_caches):
        _, da, dc, _, _ = _lstm_cell_backward(da, dc, cache, W)  # the gradient reaching (a<t-1>, c<t-1>)
        norms.append(float(np.linalg.norm(np.vstack([da, dc]), 2)))
    return np.array(norms)


def flow_parameters(spectral_radius=0.9, forget=0.9, kind="orthogonal", seed=0, recurrent_scale=0.1):
    """The RNN pieces (Waa, Wax, ba), the LSTM parameters (forget gate held at ``forget``), a random generator.

    The LSTM's other gates read x<t> with N(0, 1/n_x) weights and a<t-1> with weights scaled by
    ``recurrent_scale`` (small, so the direct path through c, which multiplies by f, dominates;
    with 0 it is the only path back, and the norm is exactly proportional to f^k).
    """
    rng = np.random.default_rng(seed + 1)
    Waa = recurrent_matrix(spectral_radius, kind, N_A, seed)
    Wax, ba = rng.standard_normal((N_A, N_X)) / np.sqrt(N_X), np.zeros((N_A, 1))
    lstm = {}
    for gate in ("f", "i", "c", "o"):
        W = rng.standard_normal((N_A, N_A + N_X))
        W[:, :N_A] *= recurrent_scale / np.sqrt(N_A)  # the columns acting on a<t-1>
        W[:, N_A:] /= np.sqrt(N_X)  # the columns acting on x<t>
        lstm["W" + gate], lstm["b" + gate] = W, np.zeros((N_A, 1))
    lstm["Wf"], lstm["bf"] = np.zeros((N_A, N_A + N_X)), np.full((N_A, 1), _logit(forget))
    return Waa, Wax, ba, lstm, rng


def gradient_flow(spectral_radius=0.9, forget=0.9, kind="orthogonal", T_x=40, seed=0, draw=True):
    """Everything the explorer shows for one setting of its controls.

    spectral_radius: rho(Waa) of the RNN, > 0. forget: the LSTM's forget gate f in (0, 1].
    kind: "orthogonal" or "non-normal" Waa. T_x: the sequence length. seed: the random matrices and
    the input sequence (x ~ N(0, 1), one example).
    Returns a dict: "steps_back" (0..T_x), "rnn_norms", "rnn_bound" (sigma_max^k, (11.6)),
    "rho_rate" (rho^k), "lstm_norms", "forget_rate" (f^k), the numbers "spectral_radius",
    "sigma_max", "forget", and "figure" (None when draw is False).
    """
    check_positive_int(T_x, "T_x")
    check_name(kind, "kind", KINDS)
    if not 0 < spectral_radius <= 10:
        raise ValueError(f"spectral_radius must be in (0, 10], got {spectral_radius}")
    if not 0 < forget <= 1:
        raise ValueError(f"forget must be in (0, 1], got {forget}")
    Waa, Wax, ba, lstm, rng = flow_parameters(spectral_radius, forget, kind, seed)
    x = rng.standard_normal((N_X, 1, T_x))
    steps = np.arange(T_x + 1)
    rnn_norms, _ = rnn_gradient_norms(Waa, Wax, ba, x)
    sigma_max = float(np.linalg.norm(Waa, 2))
    rho = float(np.abs(np.linalg.eigvals(Waa)).max())
    result = {"steps_back": steps, "rnn_norms": rnn_norms, "rnn_bound": sigma_max ** steps.astype(float),
              "rho_rate": rho ** steps.astype(float), "lstm_norms": lstm_gradient_norms(lstm, x),
              "forget_rate": forget ** steps.astype(float), "spectral_radius": rho, "sigma_max": sigma_max,
              "forget": float(forget), "kind": kind, "figure": None}
    if draw:
        result["figure"] = _draw(result)
    return result


def _draw(result):
    import matplotlib.pyplot as plt

    k = result["steps_back"]
    tiny = 1e-30  # the log axis cannot show an exact 0
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    left.semilogy(k, np.maximum(result["rnn_norms"], tiny), "o-", ms=3, color="C0", label="‖∂a⟨T⟩/∂a⟨t⟩‖ (measured)")
    left.semilogy(k, result["rnn_bound"], "--", color="C3", label=f"σ_max^k bound, σ_max = {result['sigma_max']:.2f}")
    left.semilogy(k, result["rho_rate"], ":", color="k", label=f"ρ^k, ρ = {result['spectral_radius']:.2f}")
    left.set_title(f"vanilla RNN ({result['kind']} W_aa)")
    right.semilogy(k, np.maximum(result["lstm_norms"], tiny), "o-", ms=3, color="C2",
                   label="‖∂a⟨T⟩/∂(a⟨t⟩, c⟨t⟩)‖ (measured)")
    right.semilogy(k, np.maximum(result["forget_rate"], tiny), ":", color="k", label=f"f^k, f = {result['forget']:.2f}")
    right.set_title("LSTM with its forget gate held at f")
    for ax in (left, right):
        ax.set_xlabel("steps back from the loss, k = T − t")
        ax.set_ylim(1e-12, 1e6)
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8, loc="lower left")
    left.set_ylabel("gradient norm")
    fig.tight_layout()
    return fig


def make_gradient_flow():
    """Widget: a spectral-radius slider and a W_aa kind for the RNN, a forget-gate slider for the LSTM.

    Returns the ``ipywidgets.interactive``; its ``.result`` is the ``gradient_flow`` dict, with its figure.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    style, layout = {"description_width": "12em"}, widgets.Layout(width="560px")
    rho = widgets.FloatSlider(value=0.9, min=0.5, max=1.5, step=0.05, description="RNN: spectral radius ρ",
                              continuous_update=False, style=style, layout=layout)
    kind = widgets.Dropdown(options=KINDS, value="orthogonal", description="RNN: W_aa", style=style)
    forget = widgets.FloatSlider(value=0.9, min=0.5, max=1.0, step=0.01, description="LSTM: forget gate f",
                                 continuous_update=False, style=style, layout=layout)

    def show(spectral_radius, kind, forget):
        result = gradient_flow(spectral_radius, forget, kind)
        plt.show()
        return result

    return widgets.interactive(show, spectral_radius=rho, kind=kind, forget=forget)


def draw_unrolled(T_x=4, cell="RNN", backward=False, many_to_one=False):
    """A diagram of a recurrent network unrolled over T_x steps: x<t> in, a<t> along, y<t> out.

    backward=True adds the gradients of backpropagation through time (red): each step's da<t> is
    the gradient from its output plus the one from step t + 1 (11.5). many_to_one=True draws only
    the last output. Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    fig, ax = plt.subplots(figsize=(1.9 * T_x + 1.6, 3.0))
    arrow = {"arrowstyle": "->", "color": "0.35", "lw": 1.2}
    red = {"arrowstyle": "->", "color": "C3", "lw": 1.6, "linestyle": "--"}
    for t in range(1, T_x + 1):
        x = 1.9 * t
        ax.add_patch(FancyBboxPatch((x - 0.5, 0.7), 1.0, 0.8, boxstyle="round,pad=0.05", facecolor="#dbe9f6",
                                    edgecolor="0.3"))
        ax.text(x, 1.1, cell, ha="center", va="center", fontsize=9)
        ax.annotate("", xy=(x, 0.68), xytext=(x, 0.15), arrowprops=arrow)
        ax.text(x, 0.0, f"x⟨{t}⟩", ha="center", va="center", fontsize=10)
        if not many_to_one or t == T_x:
            ax.annotate("", xy=(x, 2.15), xytext=(x, 1.52), arrowprops=arrow)
            ax.text(x, 2.35, f"ŷ⟨{t}⟩", ha="center", va="center", fontsize=10)
            if backward:
                ax.annotate("", xy=(x + 0.12, 1.52), xytext=(x + 0.12, 2.15), arrowprops=red)
        ax.annotate("", xy=(x - 0.52, 1.1), xytext=(x - 1.38, 1.1), arrowprops=arrow)
        ax.text(x - 0.95, 1.22, f"a⟨{t - 1}⟩", ha="center", va="bottom", fontsize=9)
        if backward:
            ax.annotate("", xy=(x - 1.38, 0.95), xytext=(x - 0.52, 0.95), arrowprops=red)
            ax.text(x - 0.95, 0.83, f"da⟨{t - 1}⟩" if t > 1 else "da⟨0⟩", ha="center", va="top", fontsize=8,
                    color="C3")
    ax.annotate("", xy=(1.9 * T_x + 1.38, 1.1), xytext=(1.9 * T_x + 0.52, 1.1), arrowprops=arrow)
    ax.text(1.9 * T_x + 0.95, 1.22, f"a⟨{T_x}⟩", ha="center", va="bottom", fontsize=9)
    title = "the same cell (the same weights) at every step"
    if backward:
        title += "; red: the gradients flowing back through time"
    ax.set_title(title, fontsize=9)
    ax.set_xlim(0.4, 1.9 * T_x + 1.6)
    ax.set_ylim(-0.3, 2.6)
    ax.axis("off")
    fig.tight_layout()
    return fig
