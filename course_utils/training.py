"""The training loop: initialise -> forward -> cost -> backward -> update, repeated.

``train`` (notebook 06) runs plain (mini-batch) gradient descent and returns (parameters, costs).
``train_with`` (notebooks 07, 08) runs the same loop with any optimiser of ``course_utils.optim``
and can watch a dev set: it records the dev cost after every epoch and, with ``patience``, stops
early and returns the parameters of the epoch with the lowest dev cost.

Both check their inputs once, then run the unchecked inner functions in the loop (the checks
would only repeat themselves). Mini-batches: each epoch shuffles the examples once and cuts them
into consecutive slices (``optim.random_mini_batches``). The optimiser's step counter t counts
every step since the start of training: it never restarts at an epoch boundary (Adam's bias
correction (7.3) depends on it).
"""

from dataclasses import dataclass, field

import numpy as np

from ._validation import (
    HIDDEN_ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    as_matrix,
    check_name,
    check_parameters,
    check_positive_int,
)
from .losses import check_labels
from .network import _backward, _forward, _network_cost, initialize_parameters
from .optim import _initial_state, _step, check_optimizer_settings, inverse_time_decay, random_mini_batches
from .regularisation import PENALTIES, _penalty_cost, check_keep_prob, check_lambd


@dataclass
class TrainingRun:
    """What ``train_with`` returns.

    parameters: the trained {"W1", "b1", ...}; with early stopping, those of ``best_epoch``.
    costs: the cost J on the whole training set after each epoch run (floats, with the penalty).
    data_costs: the same without the penalty: how well the network fits the training data.
    dev_costs: the cost on the dev set after each epoch run (no penalty); empty without dev data.
    best_epoch: the epoch (counted from 1) with the lowest dev cost, or the last epoch without dev data.
    epochs_run: how many epochs ran (fewer than asked when early stopping stopped the run).
    steps: how many optimiser steps were taken in all (the final t).
    """

    parameters: dict
    costs: list = field(default_factory=list)
    data_costs: list = field(default_factory=list)
    dev_costs: list = field(default_factory=list)
    best_epoch: int = 0
    epochs_run: int = 0
    steps: int = 0


def _check_data(X, Y, layer_dims, output_activation, name=""):
    X = as_matrix(X, f"X{name}")
    Y = as_matrix(Y, f"Y{name}", cols=X.shape[1])
    check_labels(Y, output_activation, name=f"Y{name}")
    if layer_dims[0] != X.shape[0] or layer_dims[-1] != Y.shape[0]:
        raise ValueError(f"layer_dims {layer_dims} must start with X{name}'s {X.shape[0]} rows "
                         f"and end with Y{name}'s {Y.shape[0]} rows")
    return X, Y


def _starting_parameters(layer_dims, parameters, init, seed, dtype):
    if parameters is None:
        return initialize_parameters(layer_dims, init=init, seed=seed, dtype=dtype)
    if check_parameters(parameters) != len(layer_dims) - 1:
        raise ValueError(f"parameters have {check_parameters(parameters)} layers but layer_dims {layer_dims} "
                         f"describes {len(layer_dims) - 1}")
    return parameters


def _run(X, Y, parameters, optimizer, settings, hidden_activation, output_activation, epochs, batch_size,
         lambd, penalty, keep_prob, seed, X_dev=None, Y_dev=None, patience=None, progress=False, decay_rate=0.0):
    """The loop itself, without input checks. Returns a TrainingRun."""
    L = check_parameters(parameters, finite=False)
    m = X.shape[1]
    rng = np.random.default_rng(seed)  # shuffles the examples and draws the dropout masks
    state = _initial_state(optimizer, parameters)
    epoch_range = range(1, epochs + 1)
    if progress:
        from tqdm.auto import tqdm

        epoch_range = tqdm(epoch_range, desc=f"training ({optimizer})", unit="epoch")
    run = TrainingRun(parameters=parameters)
    best_dev_cost, best_parameters = np.inf, parameters
    t = 0  # optimiser steps taken so far, over the whole run (never reset per epoch)
    alpha0 = settings["alpha"]
    for epoch in epoch_range:
        if decay_rate > 0:  # (7.7): alpha_0 / (1 + k (epochs finished so far))
            settings = dict(settings, alpha=inverse_time_decay(alpha0, epoch - 1, decay_rate))
        batches = random_mini_batches(X, Y, batch_size, seed=rng) if batch_size < m else [(X, Y)]
        for X_batch, Y_batch in batches:
            # The penalty belongs to the cost of the whole training set, (lambd / 2m) sum W^2 (8.2), so
            # its gradient is (lambd / m) W at every step, whatever the batch's size B. _backward
            # divides lambd by the batch's B, so it is handed lambd * B / m: then a mini-batch
            # gradient is an unbiased estimate of the gradient of the cost that ``costs`` records (7.1).
            batch_lambd = lambd * X_batch.shape[1] / m

            def gradient_at(p, X_batch=X_batch, Y_batch=Y_batch, batch_lambd=batch_lambd):
                _, cache = _forward(X_batch, p, L, hidden_activation, output_activation, keep_prob, rng)
                return _backward(cache, Y_batch, p, L, batch_lambd, penalty)

            t += 1
            parameters, state = _step(optimizer, parameters, gradient_at, state, t, settings)
        _, cache = _forward(X, parameters, L, hidden_activation, output_activation)
        run.data_costs.append(_network_cost(cache, Y, parameters, L))  # (6.1)/(6.2): how well it fits
        run.costs.append(run.data_costs[-1] + _penalty_cost(parameters, lambd, m, penalty))  # + (8.2)/(8.4)
        run.epochs_run, run.steps = epoch, t
        if X_dev is None:
            continue
        _, dev_cache = _forward(X_dev, parameters, L, hidden_activation, output_activation)
        run.dev_costs.append(_network_cost(dev_cache, Y_dev, parameters, L))
        if run.dev_costs[-1] < best_dev_cost:
            best_dev_cost, best_parameters, run.best_epoch = run.dev_costs[-1], parameters, epoch
        elif patience is not None and epoch - run.best_epoch >= patience:
            break  # the dev cost has not improved for `patience` epochs: it has started to rise
    if progress:
        epoch_range.close()
    if X_dev is None:
        run.best_epoch = run.epochs_run
    run.parameters = best_parameters if patience is not None else parameters
    return run


def train_with(X, Y, layer_dims, optimizer="adam", *, hidden_activation="relu", output_activation="sigmoid",
               learning_rate=0.001, epochs=100, batch_size=64, beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8,
               decay_rate=0.0, lambd=0.0, penalty="l2", keep_prob=1.0, X_dev=None, Y_dev=None, patience=None,
               init="he", seed=0, parameters=None, progress=False):
    """Train a fully connected network with any optimiser, optionally stopping early on a dev set.

    X: n_0 x m. Y: n_L x m. layer_dims: [n_0, ..., n_L] (n_0 and n_L must match X and Y).
    optimizer: "gd" (2.6), "momentum" (7.4), "nesterov" (7.6), "adagrad" (7.8), "rmsprop" (7.9) or
    "adam" (7.10), with its settings learning_rate, beta (momentum, Nesterov, RMSProp), beta1, beta2
    (Adam) and epsilon (Adagrad, RMSProp, Adam). batch_size: examples per step (None: all m).
    decay_rate: k >= 0; above 0, epoch e (counted from 0) uses learning_rate / (1 + k e) (7.7).
    lambd, penalty: a weight penalty (8.2)-(8.5). keep_prob: inverted dropout on the hidden layers
    during training steps (8.6). X_dev, Y_dev: a dev set, scored (without penalty) after every
    epoch. patience: with a dev set, stop once the dev cost has not improved for this many epochs
    and return the parameters of the best epoch (early stopping); None runs every epoch and returns
    the last parameters. init, seed, parameters: as for ``train``. progress: a tqdm bar over the epochs.
    Returns a TrainingRun (parameters, costs, data_costs, dev_costs, best_epoch, epochs_run, steps).
    """
    settings = check_optimizer_settings(optimizer, learning_rate, beta, beta1, beta2, epsilon)
    check_name(hidden_activation, "hidden_activation", HIDDEN_ACTIVATIONS)
    check_name(output_activation, "output_activation", OUTPUT_ACTIVATIONS)
    epochs = check_positive_int(epochs, "epochs")
    inverse_time_decay(learning_rate, 0, decay_rate)  # checks decay_rate
    lambd = check_lambd(lambd)
    check_name(penalty, "penalty", PENALTIES)
    keep_prob = check_keep_prob(keep_prob)
    X, Y = _check_data(X, Y, layer_dims, output_activation)
    if (X_dev is None) != (Y_dev is None):
        raise ValueError("pass both X_dev and Y_dev (a dev set), or neither")
    if X_dev is not None:
        X_dev, Y_dev = _check_data(X_dev, Y_dev, layer_dims, output_activation, "_dev")
    if patience is not None:
        patience = check_positive_int(patience, "patience")
        if X_dev is None:
            raise ValueError("patience needs a dev set to watch: pass X_dev and Y_dev")
    parameters = _starting_parameters(layer_dims, parameters, init, seed, X.dtype)
    m = X.shape[1]
    batch_size = m if batch_size is None else min(check_positive_int(batch_size, "batch_size"), m)
    return _run(X, Y, parameters, optimizer, settings, hidden_activation, output_activation, epochs, batch_size,
                lambd, penalty, keep_prob, seed, X_dev, Y_dev, patience, progress, float(decay_rate))


def train(X, Y, layer_dims, hidden_activation="relu", output_activation="sigmoid", learning_rate=0.1,
          epochs=100, batch_size=None, init="he", seed=0, progress=False, parameters=None,
          lambd=0.0, penalty="l2", keep_prob=1.0):
    """Train a fully connected network with (mini-batch) gradient descent.

    X: n_0 x m. Y: n_L x m. layer_dims: [n_0, ..., n_L] (n_0 and n_L must match X and Y).
    batch_size: None for full-batch gradient descent, else the examples per step (the m of the
    1/m rule is then the batch's size).
    parameters: start from these instead of a fresh ``initialize_parameters(layer_dims, init, seed)``.
    lambd, penalty: a weight penalty, as in ``compute_cost`` (8.2)-(8.5). keep_prob: inverted
    dropout on the hidden layers during training steps (8.6); the recorded cost runs without it.
    progress: True shows a tqdm progress bar over the epochs.
    Returns (parameters, costs): the trained parameters and the cost on the whole training set
    after each epoch (a list of floats, length epochs), computed exactly from the logits
    (6.1)/(6.2), plus the penalty. ``train_with(..., optimizer="gd")`` runs the same loop.
    """
    run = train_with(X, Y, layer_dims, "gd", hidden_activation=hidden_activation,
                     output_activation=output_activation, learning_rate=learning_rate, epochs=epochs,
                     batch_size=batch_size, lambd=lambd, penalty=penalty, keep_prob=keep_prob, init=init,
                     seed=seed, parameters=parameters, progress=progress)
    return run.parameters, run.costs
