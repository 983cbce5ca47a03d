"""Notebook 07's exercises: the momentum (7.4), Adagrad (7.8) and Adam (7.10) updates.

The cases use parameter dictionaries of three kinds, as the optimisers must handle any network:
a dense network {"W1", "b1", ...}, a convolutional layer with a 4-D filter, and an RNN {"Wax",
"Waa", "ba", ...}. Gradients span many orders of magnitude (down to 1e-6), so that where epsilon
sits changes the answer, and some gradient dicts carry backpropagation's extra "dZ1"/"dA1" keys.
"""

import numpy as np

from ..optim import update_parameters_with_adagrad, update_parameters_with_adam, update_parameters_with_momentum
from ._core import Exercise, Mistake, register


def _parameter_dict(rng, kind):
    if kind == "dense":
        n0, n1, n2 = (int(v) for v in rng.choice(np.arange(2, 7), 3, replace=False))
        shapes = {"W1": (n1, n0), "b1": (n1, 1), "W2": (n2, n1), "b2": (n2, 1)}
    elif kind == "conv":
        shapes = {"W1": (3, 3, 2, 4), "b1": (1, 1, 1, 4), "W2": (5, 16), "b2": (5, 1)}
    else:
        shapes = {"Wax": (4, 3), "Waa": (4, 4), "ba": (4, 1), "Wya": (2, 4), "by": (2, 1)}
    return {name: rng.standard_normal(shape) for name, shape in shapes.items()}


def _gradients(rng, parameters, extra_keys):
    """Gradients whose entries range from about 1e-6 to 10 in size (and some are negative)."""
    grads = {"d" + name: rng.standard_normal(theta.shape) * 10.0 ** rng.uniform(-6, 1, theta.shape)
             for name, theta in parameters.items()}
    if extra_keys:  # backpropagation also returns these; an optimiser ignores them
        grads["dZ1"], grads["dA1"] = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    return grads


def _square_averages(rng, grads):
    """Running averages of squared gradients: positive, about the size of g^2."""
    return {key: (g * rng.uniform(0.5, 2.0, g.shape)) ** 2 for key, g in grads.items()
            if not key.startswith(("dZ", "dA"))}


def _kinds(count):
    return [["dense", "conv", "rnn"][i % 3] for i in range(count)]


# (7.4) momentum ------------------------------------------------------------------------------------
def _momentum_cases(rng):
    cases = []
    for i, kind in enumerate(_kinds(9)):
        parameters = _parameter_dict(rng, kind)
        grads = _gradients(rng, parameters, extra_keys=i % 2 == 1)
        v = {"d" + name: rng.standard_normal(theta.shape) for name, theta in parameters.items()}
        if i == 0:
            v = {key: np.zeros_like(value) for key, value in v.items()}  # the first step: v = 0
        cases.append((parameters, grads, v, float(rng.choice([0.8, 0.9, 0.95])),
                      float(rng.choice([0.001, 0.01, 0.1]))))
    return cases


def _momentum_with(velocity):
    def wrong(parameters, grads, v, beta, learning_rate):
        new_parameters, new_v = {}, {}
        for name, theta in parameters.items():
            key = "d" + name
            new_v[key] = velocity(v[key], grads[key], beta)
            new_parameters[name] = theta - learning_rate * new_v[key]
        return new_parameters, new_v
    return wrong


def _momentum_old_velocity(parameters, grads, v, beta, learning_rate):
    new_parameters, new_v = {}, {}
    for name, theta in parameters.items():
        key = "d" + name
        new_v[key] = beta * v[key] + (1 - beta) * grads[key]
        new_parameters[name] = theta - learning_rate * v[key]
    return new_parameters, new_v


register(Exercise(
    name="update_parameters_with_momentum",
    equation="(7.4)",
    reference=update_parameters_with_momentum,
    cases=_momentum_cases,
    outputs=("parameters", "v"),
    argument_names=("parameters", "grads", "v", "beta", "learning_rate"),
    mistakes=(
        Mistake("missing_one_minus_beta", _momentum_with(lambda v, g, beta: beta * v + g),
                "v is 1/(1 - beta) times too large in the long run: (7.4) averages, v = beta v + (1 - beta) g. "
                "Without the (1 - beta) you get (7.5), which needs a learning rate (1 - beta) times smaller."),
        Mistake("beta_swapped", _momentum_with(lambda v, g, beta: (1 - beta) * v + beta * g),
                "beta and 1 - beta are swapped: beta is the weight of the *old* velocity, v = beta v + (1 - beta) g "
                "(7.4), so a beta near 1 means a long memory."),
        Mistake("old_velocity_used", _momentum_old_velocity,
                "the parameters moved with the old velocity: first update v (7.4), then step with the *new* v, "
                "theta = theta - learning_rate v."),
    ),
    hint="Loop over the parameters' names: key = 'd' + name; v[key] = beta v[key] + (1 - beta) grads[key]; "
         "theta = theta - learning_rate v[key]; put both in new dicts.",
))


# (7.8) Adagrad -------------------------------------------------------------------------------------
def _adagrad_cases(rng):
    cases = []
    for i, kind in enumerate(_kinds(9)):
        parameters = _parameter_dict(rng, kind)
        grads = _gradients(rng, parameters, extra_keys=i % 2 == 1)
        G = _square_averages(rng, grads)
        if i == 0:
            G = {key: np.zeros_like(value) for key, value in G.items()}  # the first step: G = 0
        cases.append((parameters, grads, G, float(rng.choice([0.001, 0.01, 0.1])), float(rng.choice([1e-8, 1e-7]))))
    return cases


def _adagrad_with(step):
    def wrong(parameters, grads, G, learning_rate, epsilon):
        new_parameters, new_G = {}, {}
        for name, theta in parameters.items():
            key = "d" + name
            g = grads[key]
            new_G[key] = G[key] + g * g
            new_parameters[name] = theta - learning_rate * step(g, G[key], new_G[key], epsilon)
        return new_parameters, new_G
    return wrong


register(Exercise(
    name="update_parameters_with_adagrad",
    equation="(7.8)",
    reference=update_parameters_with_adagrad,
    cases=_adagrad_cases,
    outputs=("parameters", "G"),
    argument_names=("parameters", "grads", "G", "learning_rate", "epsilon"),
    mistakes=(
        Mistake("current_gradient_excluded", _adagrad_with(lambda g, G_old, G_new, eps: g / (np.sqrt(G_old) + eps)),
                "the step divided by the sum of the *earlier* squared gradients only: (7.8) adds the current "
                "gradient first, G = G + g*g, then divides by sqrt(G) + epsilon (else the first step is g / epsilon)."),
        Mistake("epsilon_inside_sqrt", _adagrad_with(lambda g, G_old, G_new, eps: g / np.sqrt(G_new + eps)),
                "epsilon went inside the square root: (7.8) divides by sqrt(G) + epsilon. sqrt(G + epsilon) is at "
                "least sqrt(epsilon) = 1e-4, which swamps small gradients."),
        Mistake("missing_sqrt", _adagrad_with(lambda g, G_old, G_new, eps: g / (G_new + eps)),
                "the step divided by G itself: (7.8) divides by the root-sum-square sqrt(G) + epsilon, so the step "
                "keeps the gradient's units."),
    ),
    hint="For each parameter: G[key] = G[key] + g * g; then "
         "theta = theta - learning_rate * g / (np.sqrt(G[key]) + epsilon).",
))


# (7.10) Adam ---------------------------------------------------------------------------------------
def _adam_cases(rng):
    cases = []
    for i, kind in enumerate(_kinds(9)):
        parameters = _parameter_dict(rng, kind)
        grads = _gradients(rng, parameters, extra_keys=i % 2 == 1)
        t = 1 if i == 0 else int(rng.choice([2, 3, 10, 100]))
        v = {key: 0.5 * g + 0.1 * rng.standard_normal(g.shape) * np.abs(g) for key, g in grads.items()
             if not key.startswith(("dZ", "dA"))}
        s = _square_averages(rng, grads)
        if t == 1:
            v = {key: np.zeros_like(value) for key, value in v.items()}
            s = {key: np.zeros_like(value) for key, value in s.items()}
        beta1, beta2 = float(rng.choice([0.8, 0.9])), float(rng.choice([0.99, 0.999]))
        cases.append((parameters, grads, v, s, t, float(rng.choice([0.001, 0.01, 0.1])), beta1, beta2, 1e-8))
    return cases


def _adam_with(step=None, corrected=True):
    def wrong(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon):
        new_parameters, new_v, new_s = {}, {}, {}
        for name, theta in parameters.items():
            key = "d" + name
            g = grads[key]
            new_v[key] = beta1 * v[key] + (1 - beta1) * g
            new_s[key] = beta2 * s[key] + (1 - beta2) * g * g
            v_hat = new_v[key] / (1 - beta1 ** t) if corrected else new_v[key]
            s_hat = new_s[key] / (1 - beta2 ** t) if corrected else new_s[key]
            direction = step(v_hat, s_hat, epsilon) if step else v_hat / (np.sqrt(s_hat) + epsilon)
            new_parameters[name] = theta - learning_rate * direction
        return new_parameters, new_v, new_s
    return wrong


def _adam_in_place(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon):
    """The right numbers, written into the arrays and dicts it was given."""
    for name in parameters:
        key = "d" + name
        g = grads[key]
        v[key] *= beta1
        v[key] += (1 - beta1) * g
        s[key] *= beta2
        s[key] += (1 - beta2) * g * g
        parameters[name] -= learning_rate * (v[key] / (1 - beta1 ** t)) / (np.sqrt(s[key] / (1 - beta2 ** t)) + epsilon)
    return parameters, v, s


register(Exercise(
    name="update_parameters_with_adam",
    equation="(7.10)",
    reference=update_parameters_with_adam,
    cases=_adam_cases,
    outputs=("parameters", "v", "s"),
    argument_names=("parameters", "grads", "v", "s", "t", "learning_rate", "beta1", "beta2", "epsilon"),
    mistakes=(
        Mistake("epsilon_inside_sqrt", _adam_with(step=lambda v_hat, s_hat, eps: v_hat / np.sqrt(s_hat + eps)),
                "epsilon went inside the square root: (7.10) divides by sqrt(s_hat) + epsilon. sqrt(s_hat + epsilon) "
                "is at least sqrt(epsilon) = 1e-4, so a parameter whose gradients are small barely moves."),
        Mistake("no_bias_correction", _adam_with(corrected=False),
                "the step used v and s without the bias correction (7.3): divide by 1 - beta1**t and 1 - beta2**t, "
                "with t the number of steps so far counting this one (else the first steps are far too small)."),
        Mistake("mutates_input", _adam_in_place,
                "your function changed the parameters (or v, s) it was given, in place (-=, *=, or assigning into "
                "the dicts). Adam must return new dicts: new[name] = theta - ..., new_v[key] = ..., so the caller's "
                "arrays stay as they were."),
    ),
    hint="For each parameter: v = beta1 v + (1 - beta1) g; s = beta2 s + (1 - beta2) g*g; v_hat = v / (1 - beta1**t); "
         "s_hat = s / (1 - beta2**t); theta = theta - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon); new dicts.",
))
