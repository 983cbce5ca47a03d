"""The original series' real bugs, each planted on purpose as a function with the correct one's signature.

Notebook 13 hunts them. Every bug here ran without an error message and trained to a plausible
learning curve; each docstring says what the slip is, where it came from, how it hides, and which
of the course's tools catches it. ``CORRECT`` maps each bug to the function it imitates, so the
notebook, the widget and the tests can run the two side by side.

    bug                                       correct function                 the tool that catches it
    forward_propagation_without_hidden_bias   network.forward_propagation      gradient check of b1; a tiny batch
    update_parameters_w_twice_b_never         network.update_parameters        check_update_step
    train_test_split_leaky                    datasets.train_test_split        a leak check: no example on both sides
    accuracy_error_rate                       metrics.accuracy                 accuracy(y, y) = 1; chance at the start
    pool_forward_mixing_channels              conv.pool_forward                one channel at a time
    pool_backward_all_ties                    conv.pool_backward               a gradient check along the tie
    softmax_mean_shift                        activations.softmax              logits of +-1000
    lstm_backward_state_m_times               rnn.lstm_backward                a gradient check of a<0>, c<0> with m > 1
    train_with_t_restarting                   training.train_with              the learning curve beside the correct one
    relative_error_of_norms                   gradcheck.relative_error         known-wrong pairs must fail
    binary_cross_entropy_naive                losses.binary_cross_entropy      saturated outputs
    conv_forward_centred_windows              conv.conv_forward                a grid of kernel sizes, F = 1 ... 5

Never use these for anything but hunting: each one is wrong on purpose.
"""

import numpy as np

from . import activations, conv, datasets, gradcheck, losses, metrics, network, rnn, training
from ._validation import (
    HIDDEN_ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    as_matrix,
    check_name,
    check_parameters,
    check_positive_int,
    check_positive_number,
)
from .activations import _activation_forward
from .network import _backward, _forward, _network_cost, check_gradients_dict
from .optim import _initial_state, _step, check_optimizer_settings, random_mini_batches
from .regularisation import PENALTIES, _dropout_forward, _penalty_cost, check_keep_prob, check_lambd


# ----------------------------------------------------------------------------------------------
# Dense networks: the forward pass, the update, the split, the score
# ----------------------------------------------------------------------------------------------
def forward_propagation_without_hidden_bias(X, parameters, hidden_activation="relu", output_activation="sigmoid",
                                            keep_prob=1.0, seed=0):
    """BUG: a line break drops b[l] from every hidden layer's Z = W.A + b. Imitates ``network.forward_propagation``.

    Where it came from: the original series wrote the hidden layer's linear step over two lines,
    ``Z = np.dot(W, A)`` and then ``+ b`` on the next. Python reads the second line as a statement
    of its own: it computes +b, throws the value away, and Z never gets its bias. The output
    layer's line fitted on one line and kept its bias.
    How it hides: no error, the shapes are right, and the network still learns (its hidden units
    can only draw boundaries through the origin, so it plateaus higher).
    What catches it: a gradient check. Backpropagation (run on this cache) computes db[l] from
    dZ[l] as always, but nudging b[l] changes nothing, so the numerical gradient of every hidden
    b is exactly 0. Overfitting a tiny batch also fails: without biases a ReLU layer bends only at 0.
    Arguments and return value: as ``network.forward_propagation``.
    """
    check_name(hidden_activation, "hidden_activation", HIDDEN_ACTIVATIONS)
    check_name(output_activation, "output_activation", OUTPUT_ACTIVATIONS)
    keep_prob = check_keep_prob(keep_prob)
    L = check_parameters(parameters)
    X = as_matrix(X, "X", rows=parameters["W1"].shape[1])
    rng = np.random.default_rng(seed) if keep_prob < 1 else None
    cache = {"A0": X, "hidden_activation": hidden_activation, "output_activation": output_activation,
             "keep_prob": keep_prob}
    A = X
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        if l < L:
            Z = W @ A
            + b  # noqa: B018  (the bug: a statement of its own; its value is thrown away)
            A = _activation_forward(Z, hidden_activation)
            if keep_prob < 1:
                A, cache[f"D{l}"] = _dropout_forward(A, keep_prob, rng)
        else:
            Z = W @ A + b
            A = _activation_forward(Z, output_activation)
        cache[f"Z{l}"], cache[f"A{l}"] = Z, A
    return A, cache


def update_parameters_w_twice_b_never(parameters, grads, learning_rate):
    """BUG: every W takes two gradient steps, no b ever moves. Imitates ``network.update_parameters``.

    Where it came from: the original series' loop copied the line W = W - alpha dW to make the
    line for b, and kept W in the copy. So W[l] moves by -2 alpha dW[l] and b[l] stays at its
    initial zeros for ever.
    How it hides: the cost falls (at first even faster, with the doubled step on W), so the
    learning curve looks healthy.
    What catches it: ``check_update_step``, which demands that every parameter moves by exactly
    -alpha times its own gradient: b1 has not moved (relative error 1) and W1 moved twice as far.
    Arguments and return value: as ``network.update_parameters`` (a new dict).
    """
    alpha = check_positive_number(learning_rate, "learning_rate")
    L = check_gradients_dict(grads, parameters)
    new = dict(parameters)
    for l in range(1, L + 1):
        new[f"W{l}"] = parameters[f"W{l}"] - alpha * grads[f"dW{l}"]
        new[f"W{l}"] = new[f"W{l}"] - alpha * grads[f"dW{l}"]  # the bug: the copied line still says W
    return new


def _labels_of(Y):
    """Each column's class: the row of its 1 for one-hot Y, the value itself for a 1 x m Y."""
    return Y.argmax(axis=0) if Y.shape[0] > 1 else Y[0]


def train_test_split_leaky(X, Y, test_fraction=0.2, seed=0):
    """BUG: test examples picked per label from the shuffled data, training ones from the unshuffled data.

    Imitates ``datasets.train_test_split``. Where it came from: the original series shuffled the
    examples, built the test set class by class (the first test_fraction of each label's
    examples, so every class is represented), and took "all the other positions" for training,
    but read those positions from the arrays *before* the shuffle. A position means a different
    example in each ordering, so about (1 - test_fraction) of the test examples are also training
    examples, and as many others are in neither part.
    How it hides: the shapes and the class balance are right, and the test score looks *better*
    than ever: the network is examined on examples it learned by heart.
    What catches it: a leak check, e.g. count the test columns that also appear among the training
    columns (0 for a clean split), or split a row of example indices along with the data.
    Arguments and return value: as ``datasets.train_test_split`` (X_train, X_test, Y_train, Y_test).
    """
    datasets.train_test_split(X, Y, test_fraction, seed)  # the same checks on the arguments
    X, Y = as_matrix(X, "X"), as_matrix(Y, "Y")
    m = X.shape[1]
    order = np.random.default_rng(seed).permutation(m)
    X_shuffled, Y_shuffled = X[:, order], Y[:, order]
    labels = _labels_of(Y_shuffled)
    test = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)  # positions in the *shuffled* arrays
        test.extend(members[:int(round(members.size * test_fraction))])
    test = np.sort(test)
    train = np.setdiff1d(np.arange(m), test)
    # the bug: the training positions are read from X and Y, the arrays before the shuffle
    return X[:, train], X_shuffled[:, test], Y[:, train], Y_shuffled[:, test]


def accuracy_error_rate(Y_true, Y_pred):
    """BUG: returns the fraction of *wrong* predictions, 1 - accuracy. Imitates ``metrics.accuracy``.

    Where it came from: the original series' function called accuracy compared with != where it
    meant ==, so it reported the error rate.
    How it hides: during training it falls smoothly, like a cost, and a falling curve is what we
    expect to see; a well-trained model "scores" a few per cent, which reads like a bad model.
    What catches it: sanity checks. Perfect predictions must score exactly 1 (this gives 0), and
    an untrained model must score about chance, 1/K for K balanced classes (this gives about
    1 - 1/K). The exercise checker of notebook 13 names it as ``error_rate``.
    Arguments and return value: as ``metrics.accuracy`` (a float in [0, 1]).
    """
    y_true, y_pred = metrics._pair(Y_true, Y_pred)
    return float(np.mean(y_true != y_pred))  # the bug: != where accuracy needs ==


# ----------------------------------------------------------------------------------------------
# Convolutional layers
# ----------------------------------------------------------------------------------------------
def pool_forward_mixing_channels(A_prev, f=2, stride=2, mode="max"):
    """BUG: average pooling averages each window over every channel too. Imitates ``conv.pool_forward``.

    Where it came from: the original series' average pooling took the window as
    ``A_prev[i, rows, cols, :]`` (all channels) where the loop over channels c needed
    ``A_prev[i, rows, cols, c]``, then averaged it: the mean runs over height, width *and*
    channels, so every channel of an output position holds the same number. Max pooling is right.
    How it hides: the output has exactly the right shape, and a CNN with this layer still learns,
    only from a blurred mixture of its feature maps.
    What catches it: a check that channels are pooled on their own: channel c of a test input
    holds the constant c, so the right average returns each c unchanged (equation 9.8), and this one
    returns their mean everywhere. A gradient check against ``pool_backward`` fails too.
    Arguments and return value: as ``conv.pool_forward`` ((A, cache)).
    """
    A, cache = conv.pool_forward(A_prev, f, stride, mode)
    if mode == "average":  # the bug: the mean over the window's channels as well
        A = np.broadcast_to(A.mean(axis=3, keepdims=True), A.shape).copy()
        cache = {**cache, "A": A}
    return A, cache


def pool_backward_all_ties(dA, cache):
    """BUG: max pooling's gradient goes to *every* entry that ties for the maximum. Imitates ``conv.pool_backward``.

    Where it came from: the original series built the backward mask as ``window == window.max()``,
    which is true at every tied maximum, so a window whose k entries tie passes back k times the
    gradient that arrived (equation 10.5 sends it to one winner).
    How it hides: ties are rare in real-valued feature maps, so most windows are right and the
    learning curve is almost the correct one. They are not rare where a map is constant: a
    convolution over blank background gives the same value, its bias, at every position.
    What catches it: a gradient check *along* the tie. Raising every tied entry by the same t
    keeps the tie, so the pooled output rises by exactly t: the directional derivative is 1 times
    the window's dA, and a central difference measures it exactly. The gradient that this
    function passes back claims k. (A check of "what goes back equals what arrived" sees it too.)
    Arguments and return value: as ``conv.pool_backward``.
    """
    dA_prev_checked = conv.pool_backward(dA, cache)  # the same checks on the arguments
    if cache["mode"] != "max":
        return dA_prev_checked
    A_prev, A, f, stride = cache["A_prev"], cache["A"], cache["f"], cache["stride"]
    n_H, n_W = dA.shape[1:3]
    dA_prev = np.zeros_like(dA_prev_checked)
    for _, _, window in conv._offsets(f, stride, n_H, n_W):
        dA_prev[window] += (A_prev[window] == A) * dA  # the bug: every maximum, no "first one wins"
    return dA_prev


def conv_forward_centred_windows(A_prev, W, b, stride=1, pad=0):
    """BUG: windows centred on a pixel, f // 2 on each side: a crash for even f. Imitates ``conv.conv_forward``.

    Where it came from: the original series wrote its convolution for 3 x 3 and 5 x 5 kernels,
    as a loop over window *centres* that reads r = f // 2 pixels on either side, 2r + 1 in all.
    That is f for odd f only: for f = 2 or 4 the window is one pixel wider than the kernel and the
    product raises a broadcasting error. (Its 1 x 1 convolutions crashed for a separate slip;
    this version reads them right.)
    How it hides: every example in the series used odd kernels, so every run worked.
    What catches it: a shape check over a grid of sizes: every f from 1 to 5, both paddings and
    strides, each output compared with the size formula (equation 9.3) and with the correct layer.
    Arguments and return value: as ``conv.conv_forward`` ((Z, cache)); it loops over every output,
    so keep the inputs small.
    """
    Z_checked, cache = conv.conv_forward(A_prev, W, b, stride, pad)  # the same checks on the arguments
    f = W.shape[0]
    r = f // 2  # the bug: assumes f = 2r + 1
    A_pad = conv.zero_pad(np.asarray(A_prev, dtype=np.float64), pad)
    m, n_H, n_W, n_C = Z_checked.shape
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                row, col = h * stride + r, w * stride + r  # the window's centre
                window = A_pad[i, row - r:row + r + 1, col - r:col + r + 1, :]
                for c in range(n_C):
                    Z[i, h, w, c] = np.sum(window * W[:, :, :, c]) + b[0, 0, 0, c]
    return Z, cache


# ----------------------------------------------------------------------------------------------
# Softmax, LSTM, Adam
# ----------------------------------------------------------------------------------------------
def softmax_mean_shift(Z):
    """BUG: each column is shifted by its mean instead of its maximum. Imitates ``activations.softmax``.

    Where it came from: the original series knew that a shift leaves the softmax unchanged and
    chose the mean. Mathematically both are exact; numerically only the maximum keeps every
    exponent at or below 0. With the mean, the largest exponent is max - mean, which exceeds
    log(largest float) = 709.8 for logits such as (1000, 0, -1000): exp overflows to inf and the
    column's largest probability becomes inf / inf = NaN.
    How it hides: for the logits of ordinary training the two agree to the last digits, so the
    learning curve is the correct one's, until one input produces extreme logits.
    What catches it: a numerics check at extreme but legal inputs, logits of +-1000.
    Arguments and return value: as ``activations.softmax``.
    """
    E = np.exp(Z - Z.mean(axis=0, keepdims=True))  # the bug: the mean where the max belongs
    return E / E.sum(axis=0, keepdims=True)


def lstm_backward_state_m_times(da, caches):
    """BUG: the initial-state gradients da0 and dc0 are m times too large. Imitates ``rnn.lstm_backward``.

    Where it came from: the original series mixed the two conventions of the 1/m: it treated the
    initial states like the weights and scaled their gradients by m, "to undo a 1/m" that the
    gradients of states never carry (the 1/m rule: states and inputs get gradients of the summed
    loss, parameters get the 1/m).
    How it hides: completely, in a model that starts from a<0> = 0 and never learns it: every
    parameter gradient is the correct one, bit for bit, so the learning curve is identical. It
    matters when a<0> is learned, or is another network's output (an encoder's last state).
    What catches it: a gradient check of a<0> and c<0>, *with m > 1*: at m = 1 the bug is invisible.
    Arguments and return value: as ``rnn.lstm_backward``.
    """
    gradients = rnn.lstm_backward(da, caches)
    m = da.shape[1]
    return {**gradients, "da0": m * gradients["da0"], "dc0": m * gradients["dc0"]}  # the bug: the extra m


def train_with_t_restarting(X, Y, layer_dims, optimizer="adam", *, hidden_activation="relu",
                            output_activation="sigmoid", learning_rate=0.001, epochs=100, batch_size=64, beta=0.9,
                            beta1=0.9, beta2=0.999, epsilon=1e-8, decay_rate=0.0, lambd=0.0, penalty="l2",
                            keep_prob=1.0, X_dev=None, Y_dev=None, patience=None, init="he", seed=0,
                            parameters=None, progress=False):
    """BUG: Adam's step counter t starts again at 1 in every epoch. Imitates ``training.train_with``.

    Where it came from: the original series set t = 0 inside the loop over epochs instead of
    before it. Adam's bias correction divides the running averages by 1 - beta^t (equation 7.3),
    a large correction meant for *young* averages. Restarted, it is applied again, at every epoch,
    to averages that are no longer young: v_hat is inflated up to 1/(1 - beta1) = 10 times and
    s_hat up to 1/(1 - beta2) = 1000 times. For a constant gradient the step comes out about 1.6
    times too large at the start of epoch 2 (two batches per epoch) and about half Adam's step by
    epoch 100: not Adam's steps, though they look like them.
    How it hides: the learning curve is smooth and falls, at first even faster than the correct one,
    and ends close to it.
    What catches it: the learning curve beside a loop written the obvious way, same data, seed and
    settings: a correct loop reproduces it to round-off, and this one parts from it at epoch 2.
    Arguments: as ``training.train_with``, without its extras: a dev set, patience, decay_rate
    and progress raise ValueError (they are not where the bug is). Returns a ``TrainingRun``.
    """
    settings = check_optimizer_settings(optimizer, learning_rate, beta, beta1, beta2, epsilon)
    if X_dev is not None or Y_dev is not None or patience is not None or decay_rate or progress:
        raise ValueError("train_with_t_restarting trains only: X_dev, Y_dev, patience, decay_rate and progress "
                         "are not supported")
    check_name(hidden_activation, "hidden_activation", HIDDEN_ACTIVATIONS)
    check_name(output_activation, "output_activation", OUTPUT_ACTIVATIONS)
    epochs = check_positive_int(epochs, "epochs")
    lambd, keep_prob = check_lambd(lambd), check_keep_prob(keep_prob)
    check_name(penalty, "penalty", PENALTIES)
    X, Y = training._check_data(X, Y, layer_dims, output_activation)
    parameters = training._starting_parameters(layer_dims, parameters, init, seed, X.dtype)
    L, m = len(layer_dims) - 1, X.shape[1]
    batch_size = m if batch_size is None else min(check_positive_int(batch_size, "batch_size"), m)
    rng = np.random.default_rng(seed)  # shuffles and draws the dropout masks, as train_with's does
    state = _initial_state(optimizer, parameters)
    run = training.TrainingRun(parameters=parameters)
    for epoch in range(1, epochs + 1):
        t = 0  # the bug: this line belongs before the loop over epochs
        batches = random_mini_batches(X, Y, batch_size, seed=rng) if batch_size < m else [(X, Y)]
        for X_batch, Y_batch in batches:
            batch_lambd = lambd * X_batch.shape[1] / m

            def gradient_at(p, X_batch=X_batch, Y_batch=Y_batch, batch_lambd=batch_lambd):
                _, cache = _forward(X_batch, p, L, hidden_activation, output_activation, keep_prob, rng)
                return _backward(cache, Y_batch, p, L, batch_lambd, penalty)

            t += 1
            parameters, state = _step(optimizer, parameters, gradient_at, state, t, settings)
        _, cache = _forward(X, parameters, L, hidden_activation, output_activation)
        run.data_costs.append(_network_cost(cache, Y, parameters, L))
        run.costs.append(run.data_costs[-1] + _penalty_cost(parameters, lambd, m, penalty))
        run.epochs_run, run.steps = epoch, t
    run.parameters, run.best_epoch = parameters, run.epochs_run
    return run


# ----------------------------------------------------------------------------------------------
# The tools themselves: a gradient checker's judge, a cost
# ----------------------------------------------------------------------------------------------
def relative_error_of_norms(a, b, floor=gradcheck.TINY):
    """BUG: compares the *lengths* of two gradients, |‖a‖ - ‖b‖| / (‖a‖ + ‖b‖). Imitates ``gradcheck.relative_error``.

    Where it came from: gradient checkers of the original series' kind computed one number per
    gradient from the norms, and compared the norms where they needed the entries. Then a
    gradient with the wrong sign, -a, has the same norm and scores 0: negative pairs pass. So does
    any shuffle of the entries, and a 1000 % error in one small entry hardly moves the norm.
    How it hides: it is the check itself; every gradient it is shown "passes".
    What catches it: testing the tester. Feed it pairs that are known to be wrong (a and -a; a and
    a with one entry made 11 times larger) and demand that it fails them; the correct relative error
    gives 1 for a and -a, and 10/12 at the entry that is 11 times too large.
    Arguments and return value: as ``gradcheck.relative_error`` (a float).
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; they must match")
    norm_a, norm_b = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return abs(norm_a - norm_b) / max(norm_a + norm_b, floor)  # the bug: norms, not entries


def binary_cross_entropy_naive(AL, Y):
    """BUG: the cross-entropy of equation 2.2 as written, log(0) included. Imitates ``losses.binary_cross_entropy``.

    Where it came from: the original series computed the cost straight from the formula. After long
    training a confident output rounds to exactly 1 (sigmoid(z) = 1 in float64 for z above about
    37), and then (1 - y) log(1 - a) is 0 times log 0 = 0 times -inf = NaN, even for a correctly
    labelled y = 1. One such example makes the whole cost NaN.
    How it hides: the learning curve is perfect for hundreds of epochs, then stops: NaN, with
    nothing wrong in the gradients (AL - Y needs no log).
    What catches it: a numerics check at saturated outputs (logits of +-40), and comparing with the
    cost computed from the logits (equation 6.1), which is finite and exact there.
    Arguments and return value: as ``losses.binary_cross_entropy``.
    """
    AL, Y = losses._validated(AL, Y, "sigmoid")
    m = AL.shape[1]
    return float(-(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)).sum() / m)  # the bug: no guard against log(0)


CORRECT = {
    forward_propagation_without_hidden_bias: network.forward_propagation,
    update_parameters_w_twice_b_never: network.update_parameters,
    train_test_split_leaky: datasets.train_test_split,
    accuracy_error_rate: metrics.accuracy,
    pool_forward_mixing_channels: conv.pool_forward,
    pool_backward_all_ties: conv.pool_backward,
    conv_forward_centred_windows: conv.conv_forward,
    softmax_mean_shift: activations.softmax,
    lstm_backward_state_m_times: rnn.lstm_backward,
    train_with_t_restarting: training.train_with,
    relative_error_of_norms: gradcheck.relative_error,
    binary_cross_entropy_naive: losses.binary_cross_entropy,
}
