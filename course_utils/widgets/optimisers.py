"""Notebook 07's optimiser race: six optimisers on four 2-D functions, path by path.

The point theta = (x, y) is a parameter dictionary {"theta": array of shape (2,)} with gradient
{"dtheta": ...}, so the race runs the very functions of ``course_utils.optim`` that train the
networks (through ``optim._step``, the loop shared with ``training.train_with``).

The functions (each f(theta), its gradient, a start and the lowest value f_min):
    "bowl"          f = (x^2 + 100 y^2) / 2                       an ill-conditioned quadratic, kappa = 100
    "rotated bowl"  the same bowl turned by 30 degrees            the long axis no longer along x or y
    "rosenbrock"    f = (1 - x)^2 + 100 (y - x^2)^2               a curved, flat-bottomed valley; min at (1, 1)
    "saddle"        f = 25 x^2 + y^4 / 4 - y^2 / 2                a saddle at (0, 0), minima at (0, +-1)
Values and gradients are written out with + - * / only (no matrix products, no library cos or
power), and the optimisers add only sqrt, which IEEE arithmetic rounds exactly; so a path is the
same to the last bit on every CPU and numpy version, even where it is chaotic.

An optimiser *arrives* at the step from which f - f_min stays below ``tolerance`` until the end of
the run; a path that leaves the box |x|, |y| <= BOX has *diverged* and is stopped there (so no
learning rate can overflow). ``race`` runs several optimisers; ``tune_learning_rates`` gives each
optimiser the learning rate of a grid with which it arrives first; ``show_race`` draws a race and
``make_optimiser_race`` puts sliders on it.
"""

from dataclasses import dataclass, field

import numpy as np

from .._validation import check_name, check_positive_int, check_positive_number
from ..optim import OPTIMIZERS, _initial_state, _step, check_optimizer_settings

BOX = 1e3  # a path is stopped (diverged) once |x| or |y| exceeds this
TOLERANCE = 1e-4  # "arrived": f - f_min below this from some step to the end of the run
GRID = (1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)  # learning rates tried by tune_learning_rates
COLOURS = {"gd": "tab:gray", "momentum": "tab:blue", "nesterov": "tab:cyan", "adagrad": "tab:olive",
           "rmsprop": "tab:orange", "adam": "tab:red"}


@dataclass(frozen=True)
class RaceFunction:
    """A 2-D function to race on: value(theta) -> float, gradient(theta) -> (2,), where to start."""

    name: str
    formula: str
    value: object
    gradient: object
    start: tuple
    minimum_value: float
    minima: tuple  # the points where f = minimum_value
    xlim: tuple
    ylim: tuple
    steps: int  # the default length of a race


def _bowl(c, s, kappa=100.0):
    """f = theta^T H theta / 2 with H = R diag(1, kappa) R^T, R the rotation with cosine c and sine s."""
    h11, h12, h22 = c * c + kappa * s * s, (1 - kappa) * c * s, s * s + kappa * c * c

    def gradient(theta):
        x, y = theta
        return np.array([h11 * x + h12 * y, h12 * x + h22 * y])

    def value(theta):
        x, y = theta
        return 0.5 * (h11 * x * x + 2 * h12 * x * y + h22 * y * y)

    return value, gradient


def _rosenbrock_value(theta):
    x, y = theta
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)


def _rosenbrock_gradient(theta):
    x, y = theta
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def _saddle_value(theta):
    x, y = theta
    return 25 * x * x + (y * y) * (y * y) / 4 - y * y / 2


def _saddle_gradient(theta):
    x, y = theta
    return np.array([50 * x, y * y * y - y])


FUNCTIONS = {
    "bowl": RaceFunction("bowl", "f = (x² + 100 y²) / 2", *_bowl(1.0, 0.0), start=(-4.0, 3.0), minimum_value=0.0,
                         minima=((0.0, 0.0),), xlim=(-5, 5), ylim=(-4, 4), steps=500),
    "rotated bowl": RaceFunction("rotated bowl", "the bowl turned by 30°", *_bowl(np.sqrt(3.0) / 2, 0.5),
                                 start=(-4.0, 3.0),
                                 minimum_value=0.0, minima=((0.0, 0.0),), xlim=(-5, 5), ylim=(-4, 4), steps=500),
    "rosenbrock": RaceFunction("rosenbrock", "f = (1 − x)² + 100 (y − x²)²", _rosenbrock_value,
                               _rosenbrock_gradient, start=(-1.2, 1.0), minimum_value=0.0, minima=((1.0, 1.0),),
                               xlim=(-1.6, 1.6), ylim=(-0.6, 1.6), steps=2000),
    "saddle": RaceFunction("saddle", "f = 25 x² + y⁴/4 − y²/2", _saddle_value, _saddle_gradient,
                           start=(0.6, 1e-3), minimum_value=-0.25, minima=((0.0, 1.0), (0.0, -1.0)),
                           xlim=(-1, 1), ylim=(-1.4, 1.4), steps=500),
}


@dataclass
class Path:
    """One optimiser's run on one function.

    optimizer, learning_rate: what ran. points: (k + 1) x 2, row j = theta after j steps (row 0 the
    start). values: (k + 1,), f at each row. gaps: values - f_min. diverged: the path left the box
    (it was stopped there, so k may be smaller than the steps asked for). arrival: the step from
    which the gap stays below the tolerance to the end, or None.
    """

    optimizer: str
    learning_rate: float
    points: np.ndarray
    values: np.ndarray
    gaps: np.ndarray
    diverged: bool
    arrival: object


def arrival_step(gaps, tolerance=TOLERANCE):
    """The first step from which every gap stays below ``tolerance``, or None if the last one does not."""
    above = np.flatnonzero(~(np.asarray(gaps) < tolerance))
    if above.size == 0:
        return 0
    return None if above[-1] == len(gaps) - 1 else int(above[-1]) + 1


def optimiser_path(function="rosenbrock", optimizer="adam", learning_rate=0.01, steps=None, beta=0.9, beta1=0.9,
                   beta2=0.999, epsilon=1e-8, start=None, tolerance=TOLERANCE):
    """Run one optimiser of ``course_utils.optim`` on a test function. Returns a Path.

    function: a key of FUNCTIONS. optimizer: one of optim.OPTIMIZERS. learning_rate, beta, beta1,
    beta2, epsilon: its settings (as ``update_parameters_with_*``). steps: an int >= 1 (default:
    the function's own). start: (x, y) (default: the function's own).
    """
    check_name(function, "function", tuple(FUNCTIONS))
    fn = FUNCTIONS[function]
    settings = check_optimizer_settings(optimizer, learning_rate, beta, beta1, beta2, epsilon)
    steps = fn.steps if steps is None else check_positive_int(steps, "steps")
    theta = np.array(fn.start if start is None else start, dtype=np.float64)
    if theta.shape != (2,) or not np.isfinite(theta).all():
        raise ValueError(f"start must be two finite numbers (x, y), got {start!r}")
    parameters = {"theta": theta}
    state = _initial_state(optimizer, parameters)

    def gradient_at(p):
        return {"dtheta": fn.gradient(p["theta"])}

    points, diverged = [theta], False
    for t in range(1, steps + 1):
        parameters, state = _step(optimizer, parameters, gradient_at, state, t, settings)
        points.append(parameters["theta"])
        if np.abs(parameters["theta"]).max() > BOX:
            diverged = True
            break
    points = np.array(points)
    values = np.array([fn.value(p) for p in points])
    gaps = values - fn.minimum_value
    return Path(optimizer, settings["alpha"], points, values, gaps, diverged,
                None if diverged else arrival_step(gaps, tolerance))


@dataclass
class RaceResult:
    """A race: function (its name), steps, paths {optimizer: Path}, figure (when drawn)."""

    function: str
    steps: int
    paths: dict = field(default_factory=dict)
    figure: object = None

    def summary(self):
        """One line per optimiser: where it arrived, or that it did not."""
        lines = []
        for name, path in self.paths.items():
            if path.diverged:
                outcome = f"diverged (left the box at step {len(path.points) - 1})"
            elif path.arrival is None:  # no digits: a run that does not settle may be chaotic
                outcome = f"not there after {self.steps} steps"
            else:
                outcome = f"arrives at step {path.arrival}"
            lines.append(f"{name:>9} (α = {path.learning_rate:g}): {outcome}")
        return "\n".join(lines)


def race(function="rosenbrock", learning_rates=0.01, steps=None, beta=0.9, beta2=0.999, epsilon=1e-8,
         optimizers=OPTIMIZERS, tolerance=TOLERANCE):
    """Run several optimisers from the same start. Returns a RaceResult.

    learning_rates: one number for all, or {optimizer: learning rate}. beta: momentum's,
    Nesterov's and RMSProp's beta, and Adam's beta1. beta2: Adam's. optimizers: which to run.
    """
    check_name(function, "function", tuple(FUNCTIONS))
    steps = FUNCTIONS[function].steps if steps is None else check_positive_int(steps, "steps")
    for name in optimizers:
        check_name(name, "optimizer", OPTIMIZERS)
    if not isinstance(learning_rates, dict):
        learning_rates = {name: learning_rates for name in optimizers}
    result = RaceResult(function, steps)
    for name in optimizers:
        if name not in learning_rates:
            raise ValueError(f"learning_rates has no entry for {name!r}")
        result.paths[name] = optimiser_path(function, name, learning_rates[name], steps, beta=beta, beta1=beta,
                                            beta2=beta2, epsilon=epsilon, tolerance=tolerance)
    return result


def tune_learning_rates(function="rosenbrock", grid=GRID, steps=None, optimizers=OPTIMIZERS, tolerance=TOLERANCE):
    """For each optimiser, the learning rate of ``grid`` with which it arrives first.

    Ties go to the smaller learning rate. An optimiser that arrives with none gets the rate whose
    run ends lowest without diverging (the smallest rate if all diverge).
    Returns {optimizer: learning rate}.
    """
    grid = [check_positive_number(rate, "grid entry") for rate in grid]
    best = {}
    for name in optimizers:
        runs = [optimiser_path(function, name, rate, steps, tolerance=tolerance) for rate in sorted(grid)]
        arrived = [run for run in runs if run.arrival is not None]
        if arrived:
            best[name] = min(arrived, key=lambda run: run.arrival).learning_rate
            continue
        finite = [run for run in runs if not run.diverged]
        best[name] = min(finite, key=lambda run: run.gaps[-1]).learning_rate if finite else min(grid)
    return best


def plot_race(result, ax_paths, ax_gaps):
    """Contours of f with every path (left) and f - f_min against the step on a log scale (right)."""
    fn = FUNCTIONS[result.function]
    x = np.linspace(*fn.xlim, 200)
    y = np.linspace(*fn.ylim, 200)
    Xg, Yg = np.meshgrid(x, y)
    F = fn.value(np.array([Xg, Yg])) - fn.minimum_value
    ax_paths.contour(Xg, Yg, F, levels=np.geomspace(1e-3, max(F.max(), 1e-2), 18), cmap="viridis",
                     linewidths=0.6)
    for name, path in result.paths.items():
        ax_paths.plot(path.points[:, 0], path.points[:, 1], "-", color=COLOURS[name], linewidth=1.2, label=name)
        ax_gaps.semilogy(np.maximum(path.gaps, 1e-12), color=COLOURS[name], linewidth=1.2, label=name)
    ax_paths.plot(*fn.start, "ks", markersize=5)
    for point in fn.minima:
        ax_paths.plot(*point, "*", color="gold", markeredgecolor="k", markersize=12)
    ax_paths.set_xlim(*fn.xlim)
    ax_paths.set_ylim(*fn.ylim)
    ax_paths.set_xlabel("$x$")
    ax_paths.set_ylabel("$y$")
    ax_paths.set_title(f"{fn.name}: {fn.formula}")
    ax_gaps.axhline(TOLERANCE, color="k", linestyle=":", linewidth=0.8)
    ax_gaps.set_ylim(1e-12, None)
    ax_gaps.set_xlabel("step")
    ax_gaps.set_ylabel("$f - f_{min}$")
    ax_gaps.set_title("distance to the lowest value (dotted: arrived)")
    ax_gaps.legend(fontsize=7, loc="lower left")


def show_race(function="rotated bowl", learning_rate=0.01, beta=0.9, beta2=0.999, steps=500):
    """The widget's function: race every optimiser with one learning rate, draw it, print who arrived.

    Returns the RaceResult, with ``figure`` set.
    """
    import matplotlib.pyplot as plt

    result = race(function, learning_rate, steps, beta=beta, beta2=beta2)
    fig, (ax_paths, ax_gaps) = plt.subplots(1, 2, figsize=(11, 4))
    plot_race(result, ax_paths, ax_gaps)
    fig.tight_layout()
    result.figure = fig
    plt.show()
    print(result.summary())
    return result


def make_optimiser_race():
    """A function picker and sliders for α (all optimisers), β, β₂ and the steps, on ``show_race``.

    Returns an ipywidgets.interactive (its ``.result`` is the latest RaceResult).
    """
    import ipywidgets as widgets

    style, layout = {"description_width": "150px"}, widgets.Layout(width="480px")
    controls = {
        "function": widgets.Dropdown(options=tuple(FUNCTIONS), value="rotated bowl", description="function",
                                     style=style, layout=layout),
        "learning_rate": widgets.FloatLogSlider(value=0.01, base=10, min=-3, max=0, step=0.05,
                                                description="learning rate α", readout_format=".3g",
                                                continuous_update=False, style=style, layout=layout),
        "beta": widgets.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01, description="β (β₁ for Adam)",
                                    continuous_update=False, style=style, layout=layout),
        "beta2": widgets.FloatSlider(value=0.999, min=0.9, max=0.9999, step=0.0001, readout_format=".4f",
                                     description="β₂ (Adam)", continuous_update=False, style=style, layout=layout),
        "steps": widgets.IntSlider(value=500, min=10, max=3000, step=10, description="steps",
                                   continuous_update=False, style=style, layout=layout),
    }
    return widgets.interactive(show_race, **controls)
