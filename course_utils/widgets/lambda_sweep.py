"""Notebook 08's lambda explorer: one network, a small training set, and the L2 penalty's strength.

The task: read handwritten digits (``course_utils.load_digits``) from only 150 training images,
with a 64-128-10 network (about 9,600 parameters: enough to memorise them). Each lambda trains a
fresh network with ``training.train_with`` (Adam (7.10), full batch, 200 epochs), adding the
penalty (lambd / 2m) sum ||W||^2 (8.2) to the cost and (lambd / m) W (8.3) to every dW. A dev set
of 500 other images, scored after every epoch, shows whether the network learned the digits or
the 150 images.

``small_digits`` makes the data (the notebook uses the same call); ``train_for_lambda`` trains one
network (cached, so moving the slider back is instant); ``lambda_sweep`` trains one per lambda and
returns the final training and dev costs; ``show_lambda`` draws the learning curves of one lambda
beside the sweep; ``make_lambda_explorer`` puts a lambda slider on it.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from threadpoolctl import threadpool_limits

from ..datasets import Standardizer, load_digits, train_test_split
from ..regularisation import check_lambd
from ..training import train_with

LAMBDAS = (0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
LAYER_DIMS = (64, 128, 10)
EPOCHS, LEARNING_RATE = 200, 0.01


@lru_cache(maxsize=4)
def _small_digits(n_train, n_dev, seed):
    X, Y, _ = load_digits()
    X_rest, X_test, Y_rest, Y_test = train_test_split(X, Y, test_fraction=0.25, seed=seed)
    X_train, Y_train = X_rest[:, :n_train], Y_rest[:, :n_train]
    X_dev, Y_dev = X_rest[:, n_train:n_train + n_dev], Y_rest[:, n_train:n_train + n_dev]
    scaler = Standardizer().fit(X_train)  # training statistics only
    return {"X_train": scaler.transform(X_train), "Y_train": Y_train, "X_dev": scaler.transform(X_dev),
            "Y_dev": Y_dev, "X_test": scaler.transform(X_test), "Y_test": Y_test}


def small_digits(n_train=150, n_dev=500, seed=0):
    """The digits cut into a small training set, a dev set and a test set (449 images), standardised.

    The test quarter comes first (``train_test_split``, test_fraction 0.25, this seed); the training
    and dev images are the first n_train and the next n_dev of the rest. The standardiser is fitted
    on the training images only. Returns a dict of X_train, Y_train, X_dev, Y_dev, X_test, Y_test
    (64 x m inputs, 10 x m one-hot labels); copies, so changing them changes nothing here.
    """
    if not (isinstance(n_train, int) and isinstance(n_dev, int) and n_train >= 10 and n_dev >= 10
            and n_train + n_dev <= 1348):
        raise ValueError(f"n_train and n_dev must be integers >= 10 with n_train + n_dev <= 1348, "
                         f"got {n_train!r} and {n_dev!r}")
    return {key: value.copy() for key, value in _small_digits(n_train, n_dev, seed).items()}


@lru_cache(maxsize=64)
def _train_for_lambda(lambd, epochs, learning_rate, seed):
    data = _small_digits(150, 500, 0)
    with threadpool_limits(limits=1, user_api="blas"):  # small matrices: one thread is fastest
        return train_with(data["X_train"], data["Y_train"], list(LAYER_DIMS), "adam", output_activation="softmax",
                          learning_rate=learning_rate, epochs=epochs, batch_size=None, lambd=lambd,
                          X_dev=data["X_dev"], Y_dev=data["Y_dev"], seed=seed)


def train_for_lambda(lambd, epochs=EPOCHS, learning_rate=LEARNING_RATE, seed=0):
    """Train the 64-128-10 network on ``small_digits()`` with the L2 penalty lambd (8.2), (8.3).

    Adam (7.10), full batch, ``epochs`` epochs; seed seeds the initialisation. Returns the
    TrainingRun (its data_costs and dev_costs hold the learning curves, without the penalty).
    The result is cached: do not modify it.
    """
    lambd = check_lambd(lambd)
    if not (isinstance(epochs, int) and epochs >= 1):
        raise ValueError(f"epochs must be an integer >= 1, got {epochs!r}")
    return _train_for_lambda(lambd, epochs, float(learning_rate), seed)


@dataclass
class Sweep:
    """The final costs of one network per lambda: lambdas, train_costs and dev_costs (no penalty), runs."""

    lambdas: tuple
    train_costs: np.ndarray
    dev_costs: np.ndarray
    runs: tuple

    @property
    def best_lambda(self):
        """The lambda with the lowest final dev cost."""
        return self.lambdas[int(np.argmin(self.dev_costs))]


def lambda_sweep(lambdas=LAMBDAS, epochs=EPOCHS):
    """Train one network per lambda (``train_for_lambda``). Returns a Sweep of their final costs."""
    runs = tuple(train_for_lambda(lambd, epochs) for lambd in lambdas)
    return Sweep(tuple(float(v) for v in lambdas), np.array([run.data_costs[-1] for run in runs]),
                 np.array([run.dev_costs[-1] for run in runs]), runs)


@dataclass
class LambdaView:
    """What the explorer shows for one lambda: its run, the sweep, and the figure."""

    lambd: float
    run: object
    sweep: Sweep
    train_cost: float
    dev_cost: float
    gap: float  # dev cost - training cost, both without the penalty
    weight_norm: float  # sqrt of the sum of squared weights, sum over layers of ||W[l]||^2
    figure: object = None


def _position(lambd):
    """Where lambd goes on the sweep's x axis: lambda = 0 is drawn one step left of the smallest lambda."""
    positive = [v for v in LAMBDAS if v > 0]
    return lambd if lambd > 0 else positive[0] / 3


def show_lambda(lambd=0.0):
    """The widget's function: the learning curves for this lambda beside the sweep over LAMBDAS.

    Returns a LambdaView, with ``figure`` set.
    """
    import matplotlib.pyplot as plt

    run = train_for_lambda(lambd)
    sweep = lambda_sweep()
    weights = [value for key, value in run.parameters.items() if key.startswith("W")]
    view = LambdaView(float(lambd), run, sweep, run.data_costs[-1], run.dev_costs[-1],
                      run.dev_costs[-1] - run.data_costs[-1], float(np.sqrt(sum(np.sum(W * W) for W in weights))))
    fig, (ax_curves, ax_sweep) = plt.subplots(1, 2, figsize=(11, 3.8))
    epochs = np.arange(1, run.epochs_run + 1)
    ax_curves.semilogy(epochs, run.data_costs, color="tab:blue", label="training cost")
    ax_curves.semilogy(epochs, run.dev_costs, color="tab:red", label="dev cost")
    ax_curves.set_ylim(1e-4, 3)
    ax_curves.set_xlabel("epoch")
    ax_curves.set_ylabel("cross-entropy (no penalty)")
    ax_curves.set_title(f"λ = {lambd:g}: gap at the end {view.gap:.3g}")
    ax_curves.legend(fontsize=8)
    positions = [_position(v) for v in sweep.lambdas]
    ax_sweep.loglog(positions, sweep.train_costs, "o-", color="tab:blue", label="training cost")
    ax_sweep.loglog(positions, sweep.dev_costs, "s-", color="tab:red", label="dev cost")
    ax_sweep.axvline(_position(lambd), color="k", linewidth=0.8)
    ax_sweep.set_xticks(positions, [f"{v:g}" for v in sweep.lambdas])
    ax_sweep.minorticks_off()
    ax_sweep.set_xlabel("λ")
    ax_sweep.set_title(f"after {EPOCHS} epochs; lowest dev cost at λ = {sweep.best_lambda:g}")
    ax_sweep.legend(fontsize=8)
    fig.tight_layout()
    view.figure = fig
    plt.show()
    print(f"λ = {lambd:g}: training cost {view.train_cost:.3g}, dev cost {view.dev_cost:.3g}, "
          f"weights' norm {view.weight_norm:.3g}")
    return view


def make_lambda_explorer():
    """A slider over LAMBDAS on ``show_lambda``. Returns an ipywidgets.interactive."""
    import ipywidgets as widgets

    slider = widgets.SelectionSlider(options=[(f"{v:g}", v) for v in LAMBDAS], value=0.0, description="λ (L2)",
                                     continuous_update=False, style={"description_width": "80px"},
                                     layout=widgets.Layout(width="480px"))
    return widgets.interactive(show_lambda, lambd=slider)
