"""What composing the network from its layer functions costs: today's step against an older one.

    python bench/bench_layers.py [--commit 580f3ca] [--samples 15]

``backpropagation`` is a loop over the layer pairs (``_linear_backward``, ``_activation_backward``,
dropout); before, it wrote (5.2)-(5.4) inline. This checks out the older ``course_utils`` from git
(read-only, into a temporary folder), then times one public training step of both versions
(forward_propagation + backpropagation + update_parameters, 784-256-128-10, ReLU, softmax), and the
step's matrix products alone, cycled call by call so each ratio is taken within milliseconds.
Prints the median of the paired ratios [interquartile range] and the CPU.
"""

import argparse
import gc
import importlib
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info

import course_utils as cu

ROOT = Path(__file__).resolve().parents[1]
LAYER_DIMS = [784, 256, 128, 10]


def older_package(commit):
    """Import course_utils as it was at ``commit``, under the name course_utils_old."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "course_utils"],
                             check=True, capture_output=True).stdout
    folder = Path(tempfile.mkdtemp(prefix="course_utils_old_"))
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder)
    (folder / "course_utils").rename(folder / "course_utils_old")
    sys.path.insert(0, str(folder))
    return importlib.import_module("course_utils_old")


def step_of(package, X, Y):
    state = {"parameters": package.initialize_parameters(LAYER_DIMS, seed=0, dtype=X.dtype)}

    def run():
        AL, cache = package.forward_propagation(X, state["parameters"], "relu", "softmax")
        grads = package.backpropagation(cache, Y, state["parameters"])
        state["parameters"] = package.update_parameters(state["parameters"], grads, 1e-3)

    return run


def products_of(X, Y):
    parameters = cu.initialize_parameters(LAYER_DIMS, seed=0, dtype=X.dtype)
    _, cache = cu.forward_propagation(X, parameters, "relu", "softmax")
    grads = cu.backpropagation(cache, Y, parameters)
    L = len(LAYER_DIMS) - 1

    def run():
        for l in range(1, L + 1):
            parameters[f"W{l}"] @ cache[f"A{l - 1}"]
        for l in range(L, 0, -1):
            grads[f"dZ{l}"] @ cache[f"A{l - 1}"].T
            if l > 1:
                parameters[f"W{l}"].T @ grads[f"dZ{l}"]

    return run


def cycled(competitors, samples, cycles):
    """{name: [mean seconds per call in each sample]}, every competitor once per cycle, rotating."""
    names = list(competitors)
    for name in names * 2:
        competitors[name]()
    times = {name: [] for name in names}
    gc.collect()
    gc.disable()
    try:
        for _ in range(samples):
            total = dict.fromkeys(names, 0.0)
            for c in range(cycles):
                for name in names[c % len(names):] + names[:c % len(names)]:
                    start = time.perf_counter()
                    competitors[name]()
                    total[name] += time.perf_counter() - start
            for name in names:
                times[name].append(total[name] / cycles)
    finally:
        gc.enable()
    return times


def paired(times, a, b):
    ratios = [x / y for x, y in zip(times[a], times[b], strict=True)]
    q1, median, q3 = statistics.quantiles(ratios, n=4, method="inclusive")
    return f"{median:.3f} [{q1:.2f}-{q3:.2f}]"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commit", default="580f3ca", help="the older version (default: before the layer refactor)")
    parser.add_argument("--samples", type=int, default=15)
    args = parser.parse_args()
    old = older_package(args.commit)
    blas = next(info for info in threadpool_info() if info["user_api"] == "blas")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print(f"CPU: {cpu}; numpy {np.__version__}, {blas['internal_api']} {blas.get('version')} "
          f"kernel {blas.get('architecture', '?')}, {blas['num_threads']} threads")
    print(f"older version: {args.commit}\n")
    print("| m | dtype | new step / old step | new step / its products | old step / its products |")
    print("|---|---|---|---|---|")
    for m in (64, 256, 1024):
        for dtype in (np.float64, np.float32):
            rng = np.random.default_rng(0)
            X = rng.standard_normal((LAYER_DIMS[0], m)).astype(dtype)
            Y = np.zeros((LAYER_DIMS[-1], m), dtype=dtype)
            Y[rng.integers(0, LAYER_DIMS[-1], m), np.arange(m)] = 1
            competitors = {"new": step_of(cu, X, Y), "old": step_of(old, X, Y), "products": products_of(X, Y)}
            cycles = max(2, int(0.05 / max(1e-4, min(_once(f) for f in competitors.values()))))
            times = cycled(competitors, args.samples, cycles)
            print(f"| {m} | {np.dtype(dtype).name} | {paired(times, 'new', 'old')} | "
                  f"{paired(times, 'new', 'products')} | {paired(times, 'old', 'products')} |", flush=True)


def _once(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
