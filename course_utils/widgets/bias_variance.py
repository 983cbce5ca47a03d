"""Notebook 08's bias-variance simulator: fit many training sets, measure bias^2, variance and noise.

The world: x uniform on [-1, 1], y = f(x) + noise, with f(x) = sin(pi x) and Gaussian noise of
standard deviation sigma. A *model* of capacity d is a polynomial of degree d fitted by least
squares to one training set of m points. Each training set gives a different fit f_hat_D.

At a test point x0 with a fresh label y0 = f(x0) + noise, averaged over training sets D and noise,

    E[(y0 - f_hat_D(x0))^2] = (f(x0) - E_D f_hat_D(x0))^2 + Var_D f_hat_D(x0) + sigma^2      (8.1)
                            =        bias^2              +     variance       +  noise

The variance is the spread of the *fit across training sets* (not how the fit reacts to its
input). ``simulate`` draws ``training_sets`` training sets, fits each, and measures the three
terms on a grid of test points and, independently, the expected test error with fresh labels, so
the notebook can check that the two sides of (8.1) agree. ``sweep_degrees`` repeats it for every
degree; ``show_bias_variance`` draws both; ``make_bias_variance_explorer`` adds the sliders.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._validation import check_positive_int

MAX_DEGREE = 10
X_TEST = np.linspace(-1, 1, 101)  # the test points: a fine grid standing in for x ~ uniform on [-1, 1]


def true_function(x):
    """f(x) = sin(pi x), the function the data come from. x: array. Returns f(x), same shape."""
    return np.sin(np.pi * np.asarray(x, dtype=np.float64))


def draw_training_set(m, noise, rng):
    """m points: x uniform on [-1, 1], y = f(x) + noise * N(0, 1). rng: a numpy Generator. Returns (x, y), (m,) each."""
    x = rng.uniform(-1, 1, m)
    return x, true_function(x) + noise * rng.standard_normal(m)


def fit_polynomial(x, y, degree):
    """Least-squares polynomial of the given degree, in the Legendre basis (well conditioned on [-1, 1]).

    x, y: (m,). Returns the degree + 1 Legendre coefficients (``np.polynomial.legendre.legval`` evaluates them).
    """
    V = np.polynomial.legendre.legvander(x, degree)  # m x (degree + 1)
    return np.linalg.lstsq(V, y, rcond=None)[0]


def _check_degree(degree):
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)) or not 0 <= degree <= MAX_DEGREE:
        raise ValueError(f"degree must be an integer from 0 to {MAX_DEGREE}, got {degree!r}")
    return int(degree)


def _check_noise(noise):
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not (0 <= noise < np.inf):
        raise ValueError(f"noise must be a standard deviation >= 0, got {noise!r}")
    return float(noise)


@dataclass
class BiasVariance:
    """One capacity, many training sets: the terms of (8.1), measured.

    degree, m, noise, training_sets: the setting. bias2, variance: averaged over the test points.
    noise2: sigma^2. decomposition: bias2 + variance + noise2. test_mse: the expected test error
    measured directly, with a fresh noisy label per test point and training set.
    standard_error: test_mse's standard error (the training sets are independent).
    predictions: training_sets x 101, each fit on X_TEST. figure: set when drawn.
    """

    degree: int
    m: int
    noise: float
    training_sets: int
    bias2: float
    variance: float
    noise2: float
    decomposition: float
    test_mse: float
    standard_error: float
    predictions: np.ndarray
    figure: object = None


def simulate(degree=3, m=40, noise=0.3, training_sets=400, seed=0):
    """Fit ``training_sets`` independent training sets with a polynomial of ``degree``; measure (8.1).

    degree: 0 .. MAX_DEGREE (it must be below m). m: points per training set (int >= 2).
    noise: sigma >= 0. training_sets: K >= 2. seed: seeds every draw.
    Returns a BiasVariance.
    """
    degree = _check_degree(degree)
    m = check_positive_int(m, "m")
    if degree >= m:
        raise ValueError(f"degree {degree} needs at least {degree + 1} points per training set, got m = {m}")
    noise = _check_noise(noise)
    K = check_positive_int(training_sets, "training_sets")
    if K < 2:
        raise ValueError("training_sets must be at least 2 (a variance needs two fits)")
    rng = np.random.default_rng(seed)
    predictions = np.empty((K, X_TEST.size))
    for k in range(K):
        x, y = draw_training_set(m, noise, rng)
        predictions[k] = np.polynomial.legendre.legval(X_TEST, fit_polynomial(x, y, degree))
    f = true_function(X_TEST)
    bias2 = float(np.mean((predictions.mean(axis=0) - f) ** 2))  # (f(x0) - E_D f_hat(x0))^2, averaged over x0
    variance = float(np.mean(predictions.var(axis=0)))  # Var over training sets D, averaged over x0
    y_fresh = f + noise * rng.standard_normal(predictions.shape)  # a new label for each (D, x0)
    errors = (y_fresh - predictions) ** 2
    per_set = errors.mean(axis=1)  # one independent number per training set
    return BiasVariance(degree, m, noise, K, bias2, variance, noise ** 2, bias2 + variance + noise ** 2,
                        float(per_set.mean()), float(per_set.std(ddof=1) / np.sqrt(K)), predictions)


@lru_cache(maxsize=32)
def _sweep(m, noise, training_sets, seed):
    degrees = tuple(range(min(MAX_DEGREE, m - 1) + 1))
    return degrees, tuple(simulate(d, m, noise, training_sets, seed) for d in degrees)


def sweep_degrees(m=40, noise=0.3, training_sets=400, seed=0):
    """``simulate`` for every degree from 0 to min(MAX_DEGREE, m - 1). Returns (degrees, [BiasVariance])."""
    m = check_positive_int(m, "m")
    if m < 2:
        raise ValueError("m must be at least 2")
    degrees, results = _sweep(m, _check_noise(noise), check_positive_int(training_sets, "training_sets"), seed)
    return list(degrees), list(results)


def show_bias_variance(degree=3, m=40, noise=0.3, training_sets=400, seed=0, curves=20):
    """The widget's function: the fits of ``curves`` training sets, and (8.1)'s terms for every degree.

    Returns the BiasVariance of ``degree``, with ``figure`` set.
    """
    import matplotlib.pyplot as plt

    degrees, results = sweep_degrees(m, noise, training_sets, seed)
    degree = _check_degree(degree)
    if degree not in degrees:
        raise ValueError(f"degree {degree} needs at least {degree + 1} points per training set, got m = {m}")
    result = results[degrees.index(degree)]
    fig, (ax_fits, ax_terms) = plt.subplots(1, 2, figsize=(11, 3.8))
    for row in result.predictions[:curves]:
        ax_fits.plot(X_TEST, row, color="tab:blue", alpha=0.25, linewidth=0.8)
    ax_fits.plot(X_TEST, result.predictions.mean(axis=0), color="tab:blue", linewidth=2.2,
                 label=f"average fit over {training_sets} training sets")
    ax_fits.plot(X_TEST, true_function(X_TEST), "k--", linewidth=1.5, label="true f(x) = sin(πx)")
    x, y = draw_training_set(m, noise, np.random.default_rng(seed))  # the first training set
    ax_fits.plot(x, y, "o", color="tab:orange", markersize=3.5, label="one training set")
    ax_fits.set_ylim(-2.5, 2.5)
    ax_fits.set_xlabel("$x$")
    ax_fits.set_title(f"degree {degree}: {curves} fits, one per training set")
    ax_fits.legend(fontsize=7, loc="upper left")
    ax_terms.semilogy(degrees, [r.bias2 for r in results], "o-", label="bias²")
    ax_terms.semilogy(degrees, [r.variance for r in results], "s-", label="variance (over training sets)")
    ax_terms.semilogy(degrees, [r.test_mse for r in results], "k^-", label="expected test error (measured)")
    ax_terms.axhline(max(noise ** 2, 1e-12), color="gray", linestyle=":", label="noise σ²")
    ax_terms.axvline(degree, color="tab:red", linewidth=0.8)
    ax_terms.set_xlabel("polynomial degree (capacity)")
    ax_terms.set_title(f"m = {m} points per training set, σ = {noise:g}")
    ax_terms.legend(fontsize=7)
    fig.tight_layout()
    result.figure = fig
    plt.show()
    print(f"degree {degree}: bias² {result.bias2:.3g} + variance {result.variance:.3g} + noise {result.noise2:.3g} "
          f"= {result.decomposition:.3g}; measured test error {result.test_mse:.3g} ± {result.standard_error:.1g}")
    return result


def make_bias_variance_explorer():
    """Sliders for the degree (capacity), the training-set size m and the noise, on ``show_bias_variance``.

    Returns an ipywidgets.interactive (its ``.result`` is the BiasVariance of the chosen degree).
    """
    import ipywidgets as widgets

    style, layout = {"description_width": "190px"}, widgets.Layout(width="500px")
    controls = {
        "degree": widgets.IntSlider(value=3, min=0, max=MAX_DEGREE, description="capacity: polynomial degree",
                                    continuous_update=False, style=style, layout=layout),
        "m": widgets.IntSlider(value=40, min=15, max=200, step=5, description="points per training set m",
                               continuous_update=False, style=style, layout=layout),
        "noise": widgets.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.05, description="noise σ",
                                     continuous_update=False, style=style, layout=layout),
    }
    return widgets.interactive(show_bias_variance, **controls, training_sets=widgets.fixed(400),
                               seed=widgets.fixed(0), curves=widgets.fixed(20))
