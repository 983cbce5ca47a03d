"""Performance benchmarks of course_utils against its own matrix products and PyTorch on the CPU.

    python bench/bench.py               # full run (a few minutes), writes bench/RESULTS.md
    python bench/bench.py --quick       # a short run, prints only (add --output FILE to keep it)
    python bench/bench.py --notebooks   # also time every notebooks/*.ipynb in a fresh kernel

The machine this runs on is usually shared and noisy: absolute times swing several-fold from one
second to the next, ratios measured side by side do not. So every comparison runs its competitors
interleaved, in short samples, rotating the order each round, and reports the MEDIAN OF THE PAIRED
RATIOS (sample i of A divided by sample i of B, both taken within the same fraction of a second).
Absolute times are printed too, for orientation only.

Network: 784-256-128-10, ReLU hidden layers, softmax output with cross-entropy, plain SGD.
See bench/README.md for what each number means and how the targets are judged.
"""

import argparse
import os
import subprocess
import sys

BLAS_ENV_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

# Run in a child process with and without BLAS_ENV_VARS: which kernel OpenBLAS picks, and the best
# time of a few rounds of the step's largest products (float64 and float32).
KERNEL_PROBE = """
import time
import numpy as np
from threadpoolctl import threadpool_info
blas = next(info for info in threadpool_info() if info["user_api"] == "blas")
rng = np.random.default_rng(0)
pairs = [(rng.standard_normal((256, 784)).astype(t), rng.standard_normal((784, 256)).astype(t))
         for t in (np.float64, np.float32)]
best = float("inf")
for _ in range(7):
    start = time.perf_counter()
    for _ in range(10):
        for A, B in pairs:
            A @ B
    best = min(best, time.perf_counter() - start)
print(blas.get("architecture", "?"), best)
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter samples (about a minute)")
    parser.add_argument("--notebooks", action="store_true", help="also time each notebook in a fresh kernel")
    parser.add_argument("--only-notebooks", action="store_true", help="time the notebooks and nothing else")
    parser.add_argument("--samples", type=int, default=None, help="paired samples per comparison")
    parser.add_argument("--sample-ms", type=float, default=None, help="length of one sample in milliseconds")
    parser.add_argument("--gap-ms", type=float, default=None,
                        help="pause whenever the next sample belongs to the other library (numpy/torch), so "
                             "the idle library's BLAS threads stop spinning first (default 250)")
    parser.add_argument("--cold-allocator", action="store_true",
                        help="skip the one 16 MB allocation made at the start (see README: glibc's trim "
                             "threshold)")
    parser.add_argument("--epochs", type=int, default=None, help="paired one-epoch samples per dtype")
    parser.add_argument("--sections", default="steps,epoch,numgrad,memory",
                        help="comma-separated subset of steps,epoch,numgrad,memory to run (targets of the "
                             "others show as n/a)")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out even if it is installed")
    parser.add_argument("--blas-kernel", choices=("auto", "env", "native"), default="auto",
                        help=f"env: keep {' and '.join(BLAS_ENV_VARS)} as set; native: unset them in this "
                             "process only, so OpenBLAS picks the kernel for the CPU it finds; auto (default): "
                             "time both in child processes first and run with the faster (reported)")
    parser.add_argument("--output", default=None,
                        help="Markdown file for the results (default: bench/RESULTS.md for a full run, "
                             "none for --quick)")
    return parser.parse_args()


def probe_kernel(env):
    output = subprocess.run([sys.executable, "-c", KERNEL_PROBE], env=env, capture_output=True, text=True,
                            check=True).stdout.split()
    return output[0], float(output[1])


def choose_kernel():
    """Restart this script without BLAS_ENV_VARS when asked to, or when that is faster.

    OpenBLAS reads these variables once, when it is loaded, so the choice is made before numpy is
    imported, by timing the same products in child processes (alternately, three times each).
    """
    if "COURSE_BENCH_KERNEL" in os.environ or not any(name in os.environ for name in BLAS_ENV_VARS):
        return
    native_env = {key: value for key, value in os.environ.items() if key not in BLAS_ENV_VARS}
    if ARGS.blas_kernel == "auto":
        as_set, native = [], []
        for _ in range(3):
            as_set.append(probe_kernel(dict(os.environ)))
            native.append(probe_kernel(native_env))
        set_kernel, set_time = as_set[0][0], min(t for _, t in as_set)
        native_kernel, native_time = native[0][0], min(t for _, t in native)
        use_native = native_time < 0.95 * set_time
        note = (f"probe: {set_kernel} (as set) {set_time * 1e3:.1f} ms, {native_kernel} (native) "
                f"{native_time * 1e3:.1f} ms; running {native_kernel if use_native else set_kernel}")
    else:
        use_native = ARGS.blas_kernel == "native"
        note = f"--blas-kernel {ARGS.blas_kernel}"
    env = native_env if use_native else dict(os.environ)
    env["COURSE_BENCH_KERNEL"] = note
    if use_native:
        env["COURSE_BENCH_UNSET"] = ";".join(f"{name}={os.environ[name]}" for name in BLAS_ENV_VARS
                                             if name in os.environ)
    os.execve(sys.executable, [sys.executable, *sys.argv], env)


ARGS = parse_args()
choose_kernel()

import gc  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_info  # noqa: E402

import course_utils as cu  # noqa: E402
from course_utils import network  # noqa: E402
from course_utils.gradcheck import gradient_check_network  # noqa: E402
from course_utils.losses import _cost  # noqa: E402

try:
    if ARGS.no_torch:
        raise ImportError("--no-torch")
    import torch  # noqa: E402
    import torch.nn.functional as F  # noqa: E402, N812
except ImportError as error:
    torch = None
    TORCH_MISSING = str(error)

ROOT = Path(__file__).resolve().parent.parent
LAYER_DIMS = [784, 256, 128, 10]
L = len(LAYER_DIMS) - 1
BATCH_SIZES = (64, 256, 1024)
DTYPES = (np.float64, np.float32)
LEARNING_RATE = 0.01
EPOCH_EXAMPLES = 60_000
EPOCH_BATCH = 128

QUICK = ARGS.quick
SAMPLES = ARGS.samples or (7 if QUICK else 21)
SAMPLE_SECONDS = (ARGS.sample_ms or (30 if QUICK else 60)) / 1000
GAP_SECONDS = (ARGS.gap_ms if ARGS.gap_ms is not None else 250) / 1000
EPOCH_SAMPLES = ARGS.epochs or (2 if QUICK else 5)
TORCH_SAMPLES = max(5, SAMPLES * 2 // 3)

LINES = []  # the Markdown report, built up as the run goes


def say(text=""):
    """Print a line and keep it for the Markdown report."""
    print(text, flush=True)
    LINES.append(text)


def table(header, rows):
    say("| " + " | ".join(header) + " |")
    say("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        say("| " + " | ".join(str(cell) for cell in row) + " |")
    say()


def fmt_ms(seconds):
    return f"{seconds * 1e3:.3g} ms"


# --- timing -------------------------------------------------------------------------------------

def _time_calls(function, repeats):
    start = time.perf_counter()
    for _ in range(repeats):
        function()
    return (time.perf_counter() - start) / repeats


def _repeats_for(function, seconds):
    """How many calls make one sample of about ``seconds`` (after two warm-up calls)."""
    function()
    function()
    one_call = min(_time_calls(function, 1) for _ in range(3))
    return max(1, round(seconds / max(one_call, 1e-7)))


def library(name):
    return "torch" if name.startswith("torch") else "numpy"


def page_faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


FAULTS = {}  # competitor name -> minor page faults per call, over all its samples


def interleaved(competitors, samples=None, seconds=None):
    """Time each competitor (name -> function of no arguments) in alternating short samples.

    Round i times every competitor once, starting from a different one each round. Whenever the
    next competitor uses the other library, the run first pauses GAP_SECONDS: an idle OpenBLAS
    or OpenMP pool keeps its threads spinning for a while, and on 2 cores they would steal the
    next sample's time. Returns {name: [seconds per call in round 0, round 1, ...]}, so
    times[a][i] / times[b][i] is a ratio measured under (nearly) the same machine load.
    """
    samples = samples or SAMPLES
    seconds = seconds or SAMPLE_SECONDS
    names = list(competitors)
    repeats = {name: _repeats_for(competitors[name], seconds) for name in names}
    times = {name: [] for name in names}
    faults = dict.fromkeys(names, 0)
    previous = None
    gc.collect()
    gc.disable()
    try:
        for round_ in range(samples):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                if previous is not None and library(name) != library(previous):
                    time.sleep(GAP_SECONDS)
                before = page_faults()
                times[name].append(_time_calls(competitors[name], repeats[name]))
                faults[name] += page_faults() - before
                previous = name
    finally:
        gc.enable()
    for name in names:
        FAULTS[name] = faults[name] / (samples * repeats[name])
    return times


def cycled(competitors, samples=None, seconds=None):
    """Time competitors of one library call by call: cycle through all of them, again and again.

    One sample is a few cycles (about ``seconds`` in all); within a cycle every function runs once,
    each timed on its own, starting from a different one each cycle. A ratio of two of them is then
    taken within milliseconds, which cancels most of the machine's noise.
    Returns {name: [mean seconds per call in sample 0, sample 1, ...]}.
    """
    samples = samples or SAMPLES
    seconds = seconds or SAMPLE_SECONDS
    names = list(competitors)
    for _ in range(2):
        for name in names:
            competitors[name]()
    cycle = sum(min(_time_calls(competitors[name], 1) for _ in range(3)) for name in names)
    cycles = max(1, round(seconds / cycle))
    times = {name: [] for name in names}
    faults = dict.fromkeys(names, 0)
    gc.collect()
    gc.disable()
    try:
        for _ in range(samples):
            total = dict.fromkeys(names, 0.0)
            for c in range(cycles):
                shift = c % len(names)
                for name in names[shift:] + names[:shift]:
                    before = page_faults()
                    start = time.perf_counter()
                    competitors[name]()
                    total[name] += time.perf_counter() - start
                    faults[name] += page_faults() - before
            for name in names:
                times[name].append(total[name] / cycles)
    finally:
        gc.enable()
    for name in names:
        FAULTS[name] = faults[name] / (samples * cycles)
    return times


def ratio(times, a, b):
    """Median over rounds of times[a][i] / times[b][i], and the interquartile range of those ratios."""
    ratios = [x / y for x, y in zip(times[a], times[b], strict=True)]
    q1, median, q3 = statistics.quantiles(ratios, n=4, method="inclusive") if len(ratios) > 1 else (ratios[0],) * 3
    return median, (q1, q3)


def median_time(times, name):
    return statistics.median(times[name])


# --- the competitors ----------------------------------------------------------------------------

def make_batch(m, dtype, seed=0):
    """Synthetic MNIST-sized data: X is 784 x m, Y is 10 x m one-hot, labels has shape (m,)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((LAYER_DIMS[0], m)).astype(dtype)
    labels = rng.integers(0, LAYER_DIMS[-1], m)
    Y = np.zeros((LAYER_DIMS[-1], m), dtype=dtype)
    Y[labels, np.arange(m)] = 1
    return X, Y, labels


def course_step(X, Y, parameters):
    """One training step through the public functions, exactly as a learner writes it."""
    AL, cache = cu.forward_propagation(X, parameters, "relu", "softmax")
    grads = cu.backpropagation(cache, Y, parameters)
    return cu.update_parameters(parameters, grads, LEARNING_RATE)


def internal_step(X, Y, parameters):
    """The same step through the unchecked functions ``train`` runs in its loop."""
    AL, cache = network._forward(X, parameters, L, "relu", "softmax")
    grads = network._backward(cache, Y, parameters, L)
    return network._update(parameters, grads, LEARNING_RATE, L)


def stateful(step, X, Y, parameters):
    """A function of no arguments that runs ``step`` and keeps the updated parameters."""
    state = {"parameters": parameters}

    def run():
        state["parameters"] = step(X, Y, state["parameters"])

    return run


def matrix_products(X, Y, parameters):
    """The step's matrix products alone, with the step's own shapes and memory layouts.

    Forward W[l] @ A[l-1] for l = 1..L; backward dZ[l] @ A[l-1].T for every l and W[l].T @ dZ[l]
    for l = L..2 (dA[0] is never computed). Nothing else: this is the BLAS roofline of a step.
    """
    _, cache = network._forward(X, parameters, L, "relu", "softmax")
    grads = network._backward(cache, Y, parameters, L)
    A = [cache[f"A{l}"] for l in range(L + 1)]
    W = [None] + [parameters[f"W{l}"] for l in range(1, L + 1)]
    dZ = [None] + [grads[f"dZ{l}"] for l in range(1, L + 1)]

    def run():
        for l in range(1, L + 1):
            W[l] @ A[l - 1]
        for l in range(L, 0, -1):
            dZ[l] @ A[l - 1].T
            if l > 1:
                W[l].T @ dZ[l]

    return run


class TorchMLP:
    """The same network in PyTorch: nn.Linear layers, F.cross_entropy, loss.backward, manual SGD."""

    def __init__(self, parameters, dtype):
        layers = []
        for l in range(1, L + 1):
            W = parameters[f"W{l}"]
            linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=dtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(W)))
                linear.bias.copy_(torch.from_numpy(parameters[f"b{l}"][:, 0].copy()))
            layers += [linear, torch.nn.ReLU()] if l < L else [linear]
        self.model = torch.nn.Sequential(*layers)
        self.params = list(self.model.parameters())

    def step(self, X, labels):
        loss = F.cross_entropy(self.model(X), labels)
        loss.backward()
        with torch.no_grad():
            for p in self.params:
                p -= LEARNING_RATE * p.grad
                p.grad = None

    def parameters_as_course(self):
        linears = [module for module in self.model if isinstance(module, torch.nn.Linear)]
        out = {}
        for l, linear in enumerate(linears, start=1):
            out[f"W{l}"] = linear.weight.detach().numpy().copy()
            out[f"b{l}"] = linear.bias.detach().numpy()[:, None].copy()
        return out


TORCH_DTYPE = {np.float64: "float64", np.float32: "float32"}


def torch_batch(X, labels, dtype):
    """The batch in PyTorch's layout: examples are rows (m x 784), labels are class indices."""
    return torch.from_numpy(np.ascontiguousarray(X.T)), torch.from_numpy(labels)


def same_maths_check(dtype):
    """One step from the same start in both libraries must give the same parameters."""
    X, Y, labels = make_batch(32, dtype, seed=1)
    parameters = cu.initialize_parameters(LAYER_DIMS, seed=1, dtype=dtype)
    mlp = TorchMLP(parameters, getattr(torch, TORCH_DTYPE[dtype]))
    mlp.step(*torch_batch(X, labels, dtype))
    ours = course_step(X, Y, parameters)
    theirs = mlp.parameters_as_course()
    return max(float(np.abs(ours[key] - theirs[key]).max() / np.abs(ours[key]).max()) for key in ours)


# --- 1, 2, 3, 5, 8: one training step ------------------------------------------------------------

def bench_steps(results):
    say("## One training step (784-256-128-10, ReLU, softmax cross-entropy)")
    say()
    say("Each cell: the median of paired ratios [interquartile range]. Course-only ratios come from "
        "calls cycled one after another (each sample holds several cycles of every function); "
        "step / torch from alternating samples with a pause at each switch of library. Times are "
        "medians, for orientation only.")
    say()
    rows = []
    for m in BATCH_SIZES:
        course, versus_torch = {}, {}
        for dtype in DTYPES:
            name = np.dtype(dtype).name
            X, Y, labels = make_batch(m, dtype)
            parameters = cu.initialize_parameters(LAYER_DIMS, seed=0, dtype=dtype)
            _, cache = cu.forward_propagation(X, parameters, "relu", "softmax")
            course[f"step {name}"] = stateful(course_step, X, Y, parameters)
            course[f"internal {name}"] = stateful(internal_step, X, Y, parameters)
            course[f"products {name}"] = matrix_products(X, Y, parameters)
            course[f"forward {name}"] = lambda X=X, p=parameters: cu.forward_propagation(X, p, "relu", "softmax")
            course[f"backward {name}"] = lambda c=cache, Y=Y, p=parameters: cu.backpropagation(c, Y, p)
            if torch is not None:
                versus_torch[f"step {name}"] = course[f"step {name}"]
                mlp = TorchMLP(parameters, getattr(torch, TORCH_DTYPE[dtype]))
                Xt, yt = torch_batch(X, labels, dtype)
                versus_torch[f"torch {name}"] = lambda mlp=mlp, Xt=Xt, yt=yt: mlp.step(Xt, yt)
        times = cycled(course)
        course_faults = dict(FAULTS)
        torch_times = interleaved(versus_torch, samples=TORCH_SAMPLES) if torch is not None else None
        if m == 256:
            results["forward seconds at m=256"] = median_time(times, "forward float64")
        for dtype in DTYPES:
            name = np.dtype(dtype).name
            r = {
                "products": ratio(times, f"step {name}", f"products {name}"),
                "backward/forward": ratio(times, f"backward {name}", f"forward {name}"),
                "validation": ratio(times, f"step {name}", f"internal {name}"),
            }
            if torch is not None:
                r["torch"] = ratio(torch_times, f"step {name}", f"torch {name}")
            if dtype == np.float32:
                r["float32/float64"] = ratio(times, "step float32", "step float64")
            results[(m, name)] = {key: value[0] for key, value in r.items()}

            def cell(key, r=r):
                if key not in r:
                    return "n/a"
                median, (q1, q3) = r[key]
                return f"{median:.3f} [{q1:.2f}-{q3:.2f}]"

            faults = f"{course_faults[f'step {name}']:.0f}"
            if torch is not None:
                faults += f" / {FAULTS[f'torch {name}']:.0f}"
            rows.append([
                m, name,
                fmt_ms(median_time(times, f"step {name}")),
                fmt_ms(median_time(torch_times, f"torch {name}")) if torch is not None else "n/a",
                cell("torch"), cell("products"), cell("backward/forward"),
                cell("float32/float64"), cell("validation"), faults,
            ])
        print(f"  (m = {m} done)", flush=True)
    table(["m", "dtype", "step", "torch step", "step / torch", "step / products", "backward / forward",
           "float32 / float64 step", "public / internal step", "page faults per step (course / torch)"], rows)


# --- 4: one epoch -------------------------------------------------------------------------------

def bench_epoch(results):
    say(f"## One epoch: {EPOCH_EXAMPLES:,} synthetic examples, batch {EPOCH_BATCH}")
    say()
    say("course: `course_utils.train(..., epochs=1, batch_size=128, parameters=current)` (checks its "
        "input, shuffles once, slices, steps, then the cost on the whole set); torch: randperm, the "
        "same slices and steps, then the cost on the whole set under no_grad.")
    say()
    rows = []
    for dtype in DTYPES:
        name = np.dtype(dtype).name
        X, Y, labels = make_batch(EPOCH_EXAMPLES, dtype, seed=2)
        state = {"parameters": cu.initialize_parameters(LAYER_DIMS, seed=0, dtype=dtype), "seed": 0}

        def course_epoch(X=X, Y=Y, state=state):
            state["seed"] += 1
            state["parameters"], _ = cu.train(X, Y, LAYER_DIMS, "relu", "softmax", learning_rate=LEARNING_RATE,
                                              epochs=1, batch_size=EPOCH_BATCH, seed=state["seed"],
                                              parameters=state["parameters"])

        competitors = {f"course {name}": course_epoch}
        if torch is not None:
            mlp = TorchMLP(state["parameters"], getattr(torch, TORCH_DTYPE[dtype]))
            Xt, yt = torch_batch(X, labels, dtype)
            generator = torch.Generator().manual_seed(0)

            def torch_epoch(mlp=mlp, Xt=Xt, yt=yt, generator=generator):
                order = torch.randperm(EPOCH_EXAMPLES, generator=generator)
                X_epoch, y_epoch = Xt[order], yt[order]
                for start in range(0, EPOCH_EXAMPLES, EPOCH_BATCH):
                    mlp.step(X_epoch[start:start + EPOCH_BATCH], y_epoch[start:start + EPOCH_BATCH])
                with torch.no_grad():
                    F.cross_entropy(mlp.model(Xt), yt).item()

            competitors[f"torch {name}"] = torch_epoch
        times = {key: [] for key in competitors}
        gc.collect()
        for round_ in range(EPOCH_SAMPLES):
            order = list(competitors) if round_ % 2 == 0 else list(competitors)[::-1]
            for key in order:
                times[key].append(_time_calls(competitors[key], 1))
                time.sleep(GAP_SECONDS)
        if torch is not None:
            median, (q1, q3) = ratio(times, f"course {name}", f"torch {name}")
            results[("epoch", name)] = median
            cell = f"{median:.3f} [{q1:.2f}-{q3:.2f}]"
        else:
            cell = "n/a"
        rows.append([name, f"{median_time(times, f'course {name}'):.3g} s",
                     f"{median_time(times, f'torch {name}'):.3g} s" if torch is not None else "n/a", cell])
        del X, Y, competitors
        gc.collect()
    table(["dtype", "course epoch", "torch epoch", "course / torch"], rows)


# --- 6: the numerical gradient ------------------------------------------------------------------

def bench_numerical_gradient(results):
    dims, m = [5, 4, 3], 16
    X, Y, _ = make_batch(m, np.float64, seed=3)
    X, Y = X[: dims[0]], Y[: dims[-1]]
    Y = np.zeros_like(Y)
    Y[np.random.default_rng(3).integers(0, dims[-1], m), np.arange(m)] = 1
    parameters = cu.initialize_parameters(dims, seed=3)
    P = sum(value.size for value in parameters.values())
    depth = len(dims) - 1
    calls = {"forward": 0}

    def counting_forward(X_, p, h, o):
        calls["forward"] += 1
        return network._forward(X_, p, depth, h, o)

    gradient_check_network(parameters, X, Y, "relu", "softmax", forward=counting_forward)
    cost_evaluations = calls["forward"] - 1  # one forward pass feeds the analytic gradient

    def one_cost():
        AL, _ = network._forward(X, parameters, depth, "relu", "softmax")
        return _cost(AL, Y, "softmax")

    times = cycled({
        "gradient check": lambda: gradient_check_network(parameters, X, Y, "relu", "softmax"),
        "one cost": one_cost,
    }, samples=max(5, SAMPLES // 2))
    multiple, (q1, q3) = ratio(times, "gradient check", "one cost")
    results["numgrad calls"] = (cost_evaluations, 2 * P)
    results["numgrad multiple"] = multiple / (2 * P)

    say(f"## The numerical gradient (network {dims}, m = {m}, P = {P} parameters)")
    say()
    table(["cost evaluations counted", "2P", "time / one cost evaluation", "that time / 2P"],
          [[cost_evaluations, 2 * P, f"{multiple:.1f} [{q1:.1f}-{q3:.1f}]", f"{multiple / (2 * P):.2f}"]])
    P_big = sum(a * b + a for a, b in zip(LAYER_DIMS[1:], LAYER_DIMS[:-1], strict=True))
    forward_time = results.get("forward seconds at m=256")
    if forward_time:
        say(f"For 784-256-128-10 (P = {P_big:,}) at m = 256 the same method needs {2 * P_big:,} forward passes: "
            f"about {2 * P_big * forward_time / 3600:.1f} hours, against one backward pass for backpropagation.")
        say()


# --- 7: memory ----------------------------------------------------------------------------------

class RecordingDict(dict):
    """A dict that remembers which keys were read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


def traced_peak(function, *args):
    """Peak bytes numpy allocated while ``function(*args)`` ran, above what was live before it."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    result = function(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return peak - before


def bench_memory(results):
    say("## Memory: the activation cache against the parameters (float64)")
    say()
    rows = []
    for m in (256, 1024):
        X, Y, _ = make_batch(m, np.float64)
        parameters = cu.initialize_parameters(LAYER_DIMS, seed=0)
        params_bytes = sum(value.nbytes for value in parameters.values())
        _, cache = cu.forward_propagation(X, parameters, "relu", "softmax")
        arrays = {key: value for key, value in cache.items() if isinstance(value, np.ndarray)}
        input_keys = {key for key, value in arrays.items() if value is X}
        cache_bytes = sum(value.nbytes for key, value in arrays.items() if key not in input_keys)
        recording = RecordingDict(cache)
        network._backward(recording, Y, parameters, L)
        worst_extra = 0
        per_layer = []
        for l in range(1, L + 1):
            layer_keys = [key for key, value in arrays.items() if value.shape == (LAYER_DIMS[l], m)
                          and key not in input_keys and key.endswith(str(l))]
            unread = [key for key in layer_keys if key not in recording.read]
            worst_extra = max(worst_extra, len(unread))
            per_layer.append(f"{l}: {len(layer_keys)} ({len(unread)} unread)")
        forward_peak = traced_peak(cu.forward_propagation, X, parameters, "relu", "softmax")
        step_peak = traced_peak(course_step, X, Y, parameters)
        results[("cache extra", m)] = worst_extra
        rows.append([m, f"{params_bytes / 2**20:.2f} MiB", f"{cache_bytes / 2**20:.2f} MiB",
                     f"{cache_bytes / params_bytes:.2f}", ", ".join(per_layer),
                     f"{forward_peak / cache_bytes:.2f}", f"{step_peak / params_bytes:.2f}"])
    table(["m", "parameters", "cache (without X)", "cache / parameters",
           "n_l x m arrays per layer (unread by backward)", "forward peak / cache", "step peak / parameters"],
          rows)
    say("The cache stores Z[l] (ReLU's mask (Z > 0) in backward) and A[l] (dW[l+1] = dZ[l+1] A[l]^T) for "
        "every layer, and A[0] is X itself, not a copy. 'forward peak / cache' above 1 is the temporaries "
        "the forward pass makes on top of what it keeps (tracemalloc).")
    say()


# --- notebooks ----------------------------------------------------------------------------------

NOTEBOOK_RUNNER = """
import json, sys, time
from datetime import datetime
import nbformat
from nbclient import NotebookClient
path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
client = NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}})
start = time.perf_counter()
try:
    client.execute()
    status = "ok"
except Exception as error:
    last_line = (str(error).strip().splitlines() or [""])[-1][:100]
    status = f"FAILED ({type(error).__name__}: {last_line})"
seconds = time.perf_counter() - start
slowest, cells = (0.0, None), 0.0
for index, cell in enumerate(notebook.cells):
    timing = cell.get("metadata", {}).get("execution", {})
    if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
        spent = (datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
                 - datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))).total_seconds()
        slowest = max(slowest, (spent, index), key=lambda pair: pair[0])
        cells += spent
print(json.dumps({"seconds": seconds, "status": status, "slowest": slowest, "cells": cells}))
"""


def bench_notebooks():
    say("## Notebooks, each executed top to bottom in a fresh kernel (nbclient)")
    say()
    env = dict(os.environ)
    unset = env.pop("COURSE_BENCH_UNSET", None)
    env.pop("COURSE_BENCH_KERNEL", None)
    if unset:  # the kernels get the machine's own BLAS settings, as a learner's would
        env.update(pair.split("=", 1) for pair in unset.split(";"))
        say(f"The kernels run with the machine's own BLAS settings ({unset.replace(';', ', ')}).")
        say()
    say("Each notebook runs from its own child process (kernel start included), 120 s at most per cell.")
    say()
    rows, total, cells_total = [], 0.0, 0.0
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        start = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-c", NOTEBOOK_RUNNER, str(path), str(path.parent)], env=env,
                                  capture_output=True, text=True, timeout=900)
            report = json.loads(done.stdout.strip().splitlines()[-1])
            seconds, status, cells = report["seconds"], report["status"], f"{report['cells']:.1f} s"
            spent, index = report["slowest"]
            slowest = f"cell {index}: {spent:.1f} s" if index is not None else ""
        except (subprocess.TimeoutExpired, json.JSONDecodeError, IndexError) as error:
            seconds, status, cells, slowest = time.perf_counter() - start, f"FAILED ({type(error).__name__})", "", ""
        total += seconds
        cells_total += float(cells[:-2]) if cells else 0.0
        rows.append([path.name, f"{seconds:.1f} s", cells, slowest, status])
        print(f"  {path.name}: {seconds:.1f} s {status}", flush=True)
    rows.append(["**total**", f"**{total:.1f} s**", f"**{cells_total:.1f} s**", "", ""])
    table(["notebook", "wall time (kernel start and stop included)", "cells", "slowest cell", "status"], rows)
    say("'cells' adds up each cell's own execution time (nbclient's timing metadata); a wall time far above "
        "it is time spent starting or stopping the kernel, not the notebook's code.")
    say()


# --- the report ---------------------------------------------------------------------------------

def environment():
    blas = [info for info in threadpool_info() if info.get("user_api") == "blas"]
    numpy_blas = next((info for info in blas if "numpy" in info.get("filepath", "")), blas[0] if blas else {})
    threads = numpy_blas.get("num_threads", os.cpu_count())
    if torch is not None:
        torch.set_num_threads(threads)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    say(f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; CPU: {cpu}, {os.cpu_count()} cores; "
        f"load average at start: {os.getloadavg()[0]:.2f}")
    say(f"- Python {platform.python_version()}, numpy {np.__version__}, course_utils {cu.__version__}")
    say(f"- numpy's BLAS: {numpy_blas.get('internal_api', '?')} {numpy_blas.get('version', '?')}, kernel "
        f"**{numpy_blas.get('architecture', '?')}**, {threads} threads "
        f"({numpy_blas.get('threading_layer', '?')}); {os.path.basename(numpy_blas.get('filepath', '?'))}")
    unset = os.environ.get("COURSE_BENCH_UNSET")
    settings = ", ".join(f"{name}={os.environ[name]}" for name in BLAS_ENV_VARS if name in os.environ)
    say(f"- BLAS environment: {settings or 'none set'}"
        + (f" ({unset} unset in this benchmark's process only)" if unset else "")
        + (f"; kernel choice: {os.environ['COURSE_BENCH_KERNEL']}" if "COURSE_BENCH_KERNEL" in os.environ else ""))
    if torch is not None:
        parallel = torch.__config__.parallel_info().splitlines()
        backend = next((line.strip() for line in parallel if "Math Kernel" in line or "OpenMP" in line), "?")
        say(f"- torch {torch.__version__}: {torch.get_num_threads()} threads, BLAS "
            f"{'MKL' if torch.backends.mkl.is_available() else 'other'}, CPU capability "
            f"{torch.backends.cpu.get_cpu_capability()}; {backend}")
        say(f"- same maths: one step from the same start, largest relative difference course vs torch: "
            f"float64 {same_maths_check(np.float64):.1e}, float32 {same_maths_check(np.float32):.1e}")
    else:
        say(f"- torch: not installed ({TORCH_MISSING}); the torch comparisons are skipped")
    say(f"- samples: {SAMPLES} of ~{SAMPLE_SECONDS * 1e3:.0f} ms per function (course against course, cycled), "
        f"{TORCH_SAMPLES} per side against torch with a {GAP_SECONDS * 1e3:.0f} ms pause before switching "
        f"library; {EPOCH_SAMPLES} paired epochs per dtype; "
        f"allocator: {'cold (--cold-allocator)' if ARGS.cold_allocator else 'settled by one freed 16 MB block'}")
    say()


def verdicts(results):
    """(target, measured, PASS/MISS) for every target; n/a where a section did not run."""
    out = []

    def check(target, value, limit, shown=None):
        if value is None:
            out.append([target, "n/a", "n/a"])
        else:
            out.append([target, shown or f"{value:.3f}", "PASS" if value <= limit else "MISS"])

    def step(m, dtype, key):
        return results.get((m, dtype), {}).get(key)

    for dtype in ("float64", "float32"):
        for m in BATCH_SIZES:
            limit = 1.0 if m <= 256 else 1.10
            check(f"step / torch, m={m}, {dtype} <= {limit:.2f}", step(m, dtype, "torch"), limit)
    for dtype in ("float64", "float32"):
        for m, limit in ((256, 1.35), (1024, 1.25)):
            check(f"step / products, m={m}, {dtype} <= {limit:.2f}", step(m, dtype, "products"), limit)
    for dtype in ("float64", "float32"):
        for m in (256, 1024):
            check(f"backward / forward, m={m}, {dtype} <= 1.30", step(m, dtype, "backward/forward"), 1.3)
    for dtype in ("float64", "float32"):
        check(f"epoch course / torch, {dtype} <= 0.85", results.get(("epoch", dtype)), 0.85)
    for m in BATCH_SIZES:
        check(f"float32 / float64 step, m={m} <= 0.60", step(m, "float32", "float32/float64"), 0.6)
    for dtype in ("float64", "float32"):
        ratio_ = step(256, dtype, "validation")
        overhead = None if ratio_ is None else ratio_ - 1
        check(f"validation overhead, m=256, {dtype} <= 5%", overhead, 0.05,
              None if overhead is None else f"{overhead * 100:.1f}%")
    counted, expected = results.get("numgrad calls", (None, None))
    check("numerical gradient: cost evaluations == 2P", None if counted is None else abs(counted - expected), 0,
          None if counted is None else f"{counted} (2P = {expected})")
    for m in (256, 1024):
        extra = results.get(("cache extra", m))
        check(f"cache: n_l x m arrays per layer beyond what backward reads, m={m} <= 1", extra, 1,
              None if extra is None else str(extra))
    return out


def settle_allocator():
    """Allocate and free one 16 MB array, as any session that has loaded a data set has done.

    glibc serves big arrays with mmap until a freed block raises its threshold; until then it
    also hands memory back to the system whenever 2x that threshold lies free at the top of the
    heap, and a training step that frees and reallocates arrays of a few MB then pays for fresh
    pages on every step (both numpy and torch; see README). After one freed 16 MB block the
    threshold is 16 MB and a step reuses its memory.
    """
    block = np.ones(2_000_000)
    del block


def main():
    started = time.perf_counter()
    if not ARGS.cold_allocator:
        settle_allocator()
    say("# course_utils performance benchmarks")
    say()
    say(f"Command: `{' '.join(['python bench/bench.py', *sys.argv[1:]])}`")
    say()
    environment()
    results = {}
    if not ARGS.only_notebooks:
        sections = ARGS.sections.split(",")
        for section, run in (("steps", bench_steps), ("epoch", bench_epoch), ("numgrad", bench_numerical_gradient),
                             ("memory", bench_memory)):
            if section in sections:
                run(results)
        say("## Targets")
        say()
        table(["target", "measured", "verdict"], verdicts(results))
    if ARGS.notebooks or ARGS.only_notebooks:
        bench_notebooks()
    say(f"Load average at the end: {os.getloadavg()[0]:.2f}. Whole run: {time.perf_counter() - started:.0f} s.")
    output = ARGS.output or (None if QUICK or ARGS.only_notebooks else str(ROOT / "bench" / "RESULTS.md"))
    if output:
        Path(output).write_text("\n".join(LINES) + "\n")
        print(f"wrote {output}")


if __name__ == "__main__":
    main()
