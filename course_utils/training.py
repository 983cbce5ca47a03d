"""The training loop: initialise -> forward -> cost -> backward -> update, repeated.

``train`` checks its inputs once, then runs the unchecked inner functions in the loop (the
checks would only repeat themselves). Mini-batches: the examples are shuffled once per epoch and
then cut into consecutive slices.
"""

import numpy as np

from ._validation import (
    HIDDEN_ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    as_matrix,
    check_name,
    check_parameters,
    check_positive_int,
    check_positive_number,
)
from .losses import check_labels
from .network import _backward, _forward, _network_cost, _update, initialize_parameters
from .regularisation import PENALTIES, check_keep_prob, check_lambd


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
    (6.1)/(6.2), plus the penalty.
    """
    check_name(hidden_activation, "hidden_activation", HIDDEN_ACTIVATIONS)
    check_name(output_activation, "output_activation", OUTPUT_ACTIVATIONS)
    alpha = check_positive_number(learning_rate, "learning_rate")
    epochs = check_positive_int(epochs, "epochs")
    X = as_matrix(X, "X")
    Y = as_matrix(Y, "Y", cols=X.shape[1])
    check_labels(Y, output_activation)
    lambd = check_lambd(lambd)
    check_name(penalty, "penalty", PENALTIES)
    keep_prob = check_keep_prob(keep_prob)
    if parameters is None:
        parameters = initialize_parameters(layer_dims, init=init, seed=seed, dtype=X.dtype)
    elif check_parameters(parameters) != len(layer_dims) - 1:
        raise ValueError(f"parameters have {check_parameters(parameters)} layers but layer_dims {layer_dims} "
                         f"describes {len(layer_dims) - 1}")
    if layer_dims[0] != X.shape[0] or layer_dims[-1] != Y.shape[0]:
        raise ValueError(f"layer_dims {layer_dims} must start with X's {X.shape[0]} rows "
                         f"and end with Y's {Y.shape[0]} rows")
    m = X.shape[1]
    batch_size = m if batch_size is None else min(check_positive_int(batch_size, "batch_size"), m)
    L = len(layer_dims) - 1
    rng = np.random.default_rng(seed)
    epoch_range = range(epochs)
    if progress:
        from tqdm.auto import tqdm

        epoch_range = tqdm(epoch_range, desc="training", unit="epoch")
    costs = []
    for _ in epoch_range:
        if batch_size < m:
            order = rng.permutation(m)  # shuffle once per epoch, then take consecutive slices
            X_epoch, Y_epoch = np.take(X, order, axis=1), np.take(Y, order, axis=1)  # columns in that order
        else:
            X_epoch, Y_epoch = X, Y
        for start in range(0, m, batch_size):
            X_batch = X_epoch[:, start:start + batch_size]
            Y_batch = Y_epoch[:, start:start + batch_size]
            _, cache = _forward(X_batch, parameters, L, hidden_activation, output_activation, keep_prob, rng)
            grads = _backward(cache, Y_batch, parameters, L, lambd, penalty)
            parameters = _update(parameters, grads, alpha, L)
        _, cache = _forward(X, parameters, L, hidden_activation, output_activation)
        costs.append(_network_cost(cache, Y, parameters, L, lambd, penalty))
    return parameters, costs
