"""What the benchmarks in bench/ share: their options, the BLAS kernel choice, interleaved timing, the report.

Import it before numpy: ``use_native_blas`` may restart the process without the OpenBLAS variables
(a kernel OpenBLAS reads once, when numpy loads it).
"""

import argparse
import gc
import os
import statistics
import sys
import time

BLAS_ENV_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def parse_args(description, default_output):
    """The options every benchmark takes (--quick, --samples, --sample-ms, --gap-ms, --blas-kernel, --output)."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter samples")
    parser.add_argument("--samples", type=int, default=None, help="paired samples per comparison")
    parser.add_argument("--sample-ms", type=float, default=None, help="length of one sample in milliseconds")
    parser.add_argument("--gap-ms", type=float, default=250, help="pause before switching library")
    parser.add_argument("--blas-kernel", choices=("env", "native"), default="native",
                        help=f"native (default): unset {' and '.join(BLAS_ENV_VARS)} in this process only, so "
                             "OpenBLAS picks the kernel for the CPU it finds; env: keep them as set")
    parser.add_argument("--output", default=None, help=f"Markdown file for the results (default: "
                                                       f"{default_output} for a full run, none for --quick)")
    return parser.parse_args()


def use_native_blas(args, marker):
    """With --blas-kernel native, restart once without the OpenBLAS variables; ``marker`` records what was unset."""
    if args.blas_kernel == "native" and any(name in os.environ for name in BLAS_ENV_VARS) \
            and marker not in os.environ:
        env = {key: value for key, value in os.environ.items() if key not in BLAS_ENV_VARS}
        env[marker] = ";".join(f"{n}={os.environ[n]}" for n in BLAS_ENV_VARS if n in os.environ)
        os.execve(sys.executable, [sys.executable, *sys.argv], env)


# --- the report ---------------------------------------------------------------------------------
LINES = []  # every line said, for the results file
VERDICTS = []  # (goal, measured, limit, "MET" or "MISSED")


def say(text=""):
    print(text, flush=True)
    LINES.append(text)


def table(header, rows):
    say("| " + " | ".join(header) + " |")
    say("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        say("| " + " | ".join(str(cell) for cell in row) + " |")
    say()


def goal(name, measured, limit):
    VERDICTS.append((name, measured, limit, "MET" if measured <= limit else "MISSED"))


# --- timing -------------------------------------------------------------------------------------
def _time_calls(function, repeats):
    start = time.perf_counter()
    for _ in range(repeats):
        function()
    return (time.perf_counter() - start) / repeats


def _repeats_for(function, seconds):
    function()
    function()
    one_call = min(_time_calls(function, 1) for _ in range(3))
    return max(1, round(seconds / max(one_call, 1e-7)))


def interleaved(competitors, samples, sample_seconds, gap_seconds):
    """{name: function}: alternate short samples, rotating the order; pause before a switch of library.

    Names starting with "torch" are torch's: an idle OpenBLAS or OpenMP pool keeps spinning for a
    while and would steal the next sample's time, hence the pause. Returns {name: [seconds per call
    in round 0, 1, ...]}, so times[a][i] / times[b][i] is a ratio taken under (nearly) the same load.
    """
    names = list(competitors)
    repeats = {name: _repeats_for(competitors[name], sample_seconds) for name in names}
    times = {name: [] for name in names}
    previous = None
    gc.collect()
    gc.disable()
    try:
        for round_ in range(samples):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                if previous is not None and name.startswith("torch") != previous.startswith("torch"):
                    time.sleep(gap_seconds)
                times[name].append(_time_calls(competitors[name], repeats[name]))
                previous = name
    finally:
        gc.enable()
    return times


def ratio(times, a, b):
    """The median of the paired ratios times[a][i] / times[b][i], and their interquartile range."""
    ratios = [x / y for x, y in zip(times[a], times[b], strict=True)]
    q1, median, q3 = statistics.quantiles(ratios, n=4, method="inclusive")
    return median, (q1, q3)


def fmt(r):
    median, (q1, q3) = r
    return f"{median:.2f} [{q1:.2f}-{q3:.2f}]"


def ms(times, name):
    return f"{statistics.median(times[name]) * 1e3:.3g} ms"
