"""Benchmarks of course_utils.conv against its own matrix products, other strategies and PyTorch on the CPU.

    python bench/bench_conv.py            # full run (a few minutes), writes bench/RESULTS_conv.md
    python bench/bench_conv.py --quick    # a short run, prints only

As in bench/bench.py, the machine is shared and noisy, so every comparison runs its competitors
interleaved in short samples, rotating the order each round, and reports the MEDIAN OF THE PAIRED
RATIOS (sample i of A over sample i of B) with the interquartile range. Before each switch of
library (numpy <-> torch) the run pauses, so the idle library's spinning threads do not steal the
next sample. Both libraries get one thread: the course's arrays are small and the notebooks run
with one BLAS thread (on 2 shared cores, two threads were up to 6x slower for the digits CNN).

What is measured (m = 64 examples, stride 1):
  1. conv forward + backward (public conv_forward, conv_backward) against torch's F.conv2d and
     autograd (input, weight and bias gradients) in its faster memory format (NCHW or
     channels_last, chosen per case by a short race); float64 and float32.
  2. the same step against its own matrix products alone (cols @ W, cols^T @ dZ and the f^2
     products dZ @ W[p, q]^T): what the step costs beyond BLAS.
  3. strategies for the whole step: dA_prev by col2im with np.add.at, and everything by einsum,
     each against the course's step.
  4. max pooling f = stride = 2, forward + backward, against torch's F.max_pool2d (NCHW).
  5. one training step of notebook 10's digits CNN against the same network in torch.
"""

import os

import common  # bench/common.py, beside this file (import it before numpy)

ARGS = common.parse_args(__doc__, "bench/RESULTS_conv.md")
common.use_native_blas(ARGS, "COURSE_BENCH_CONV_UNSET")

import platform  # noqa: E402
import statistics  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from course_utils import conv  # noqa: E402

try:
    import torch  # noqa: E402
    import torch.nn.functional as F  # noqa: E402, N812
except ImportError:
    torch = None

ROOT = Path(__file__).resolve().parent.parent
QUICK = ARGS.quick
SAMPLES = ARGS.samples or (7 if QUICK else 21)
SAMPLE_SECONDS = (ARGS.sample_ms or (25 if QUICK else 50)) / 1000
GAP_SECONDS = ARGS.gap_ms / 1000
M = 64
CONFIGS = [  # name, (n_H, n_W, n_C_prev), f, n_C, pad; float64 goal, float32 goal (course / torch)
    ("8x8x1 -> 3x3x8, pad 1", (8, 8, 1), 3, 8, 1, 1.5, 1.6),
    ("8x8x8 -> 3x3x16, pad 1", (8, 8, 8), 3, 16, 1, 1.5, 1.6),
    ("28x28x1 -> 5x5x8, pad 2", (28, 28, 1), 5, 8, 2, 1.5, 3.5),
    ("14x14x8 -> 3x3x16, pad 1", (14, 14, 8), 3, 16, 1, 1.5, 2.5),
]
STRATEGIES = {"col2im": [], "einsum": []}  # their step / the course's step, every layer and dtype


say, table, goal, ratio, fmt, ms = common.say, common.table, common.goal, common.ratio, common.fmt, common.ms
LINES, VERDICTS = common.LINES, common.VERDICTS


def interleaved(competitors, samples=None):
    """common.interleaved with this benchmark's sample settings."""
    return common.interleaved(competitors, samples or SAMPLES, SAMPLE_SECONDS, GAP_SECONDS)


# --- competitors --------------------------------------------------------------------------------
def make_layer(shape, f, n_C, pad, dtype, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((M, *shape)).astype(dtype)
    W = rng.standard_normal((f, f, shape[2], n_C)).astype(dtype)
    b = rng.standard_normal((1, 1, 1, n_C)).astype(dtype)
    Z, cache = conv.conv_forward(A, W, b, 1, pad)
    dZ = rng.standard_normal(Z.shape).astype(dtype)
    return A, W, b, dZ, cache


def course_step(A, W, b, dZ, pad):
    def run():
        _, cache = conv.conv_forward(A, W, b, 1, pad)
        conv.conv_backward(dZ, cache)
    return run


def products_only(W, dZ, cache):
    """The step's matrix products alone, with the step's shapes: the BLAS floor of the step."""
    cols, f, n_C = cache["cols"], W.shape[0], W.shape[3]
    W_mat, dZ_rows = W.reshape(-1, n_C), dZ.reshape(-1, n_C)

    def run():
        cols @ W_mat
        cols.T @ dZ_rows
        for p in range(f):
            for q in range(f):
                dZ_rows @ W[p, q].T
    return run


def col2im_step(A, W, b, dZ, pad):
    """The same step with dA_prev by col2im: dcols = dZ . W_mat^T scattered back with np.add.at."""
    f, n_C_prev, n_C = W.shape[0], W.shape[2], W.shape[3]
    m, n_H, n_W = dZ.shape[:3]
    h, w, p, q = np.meshgrid(np.arange(n_H), np.arange(n_W), np.arange(f), np.arange(f), indexing="ij")
    rows = np.broadcast_to((h + p)[None, ..., None], (m, n_H, n_W, f, f, n_C_prev)).reshape(-1)
    cols_index = np.broadcast_to((w + q)[None, ..., None], (m, n_H, n_W, f, f, n_C_prev)).reshape(-1)
    examples = np.broadcast_to(np.arange(m)[:, None, None, None, None, None], (m, n_H, n_W, f, f, n_C_prev)).reshape(-1)
    channels = np.broadcast_to(np.arange(n_C_prev), (m, n_H, n_W, f, f, n_C_prev)).reshape(-1)

    def run():
        _, cache = conv._conv_forward(A, W, b, 1, pad)
        dZ_rows = dZ.reshape(-1, n_C)
        (cache["cols"].T @ dZ_rows) / m
        dZ_rows.sum(axis=0) / m
        dcols = dZ_rows @ W.reshape(-1, n_C).T
        dA_pad = np.zeros((m, A.shape[1] + 2 * pad, A.shape[2] + 2 * pad, n_C_prev), dtype=A.dtype)
        np.add.at(dA_pad, (examples, rows, cols_index, channels), dcols.reshape(-1))
    return run


def einsum_step(A, W, b, dZ, pad):
    """The same step with einsum on the window view for the forward pass, dW and each offset of dA_prev."""
    f, m = W.shape[0], A.shape[0]
    n_H, n_W = dZ.shape[1:3]

    def run():
        windows = conv._windows(conv._zero_pad(A, pad), f, 1)
        np.einsum("ihwpqk,pqkc->ihwc", windows, W, optimize=True) + b
        np.einsum("ihwpqk,ihwc->pqkc", windows, dZ, optimize=True) / m
        dA_pad = np.zeros((m, A.shape[1] + 2 * pad, A.shape[2] + 2 * pad, W.shape[2]), dtype=A.dtype)
        for p in range(f):
            for q in range(f):
                dA_pad[:, p:p + n_H, q:q + n_W, :] += np.einsum("ihwc,kc->ihwk", dZ, W[p, q])
    return run


def torch_conv_step(A, W, b, dZ, pad, channels_last):
    fmt_ = torch.channels_last if channels_last else torch.contiguous_format
    x = torch.from_numpy(A.transpose(0, 3, 1, 2).copy()).contiguous(memory_format=fmt_).requires_grad_(True)
    w = torch.from_numpy(W.transpose(3, 2, 0, 1).copy()).contiguous(memory_format=fmt_).requires_grad_(True)
    bias = torch.from_numpy(b.reshape(-1).copy()).requires_grad_(True)
    grad = torch.from_numpy(dZ.transpose(0, 3, 1, 2).copy()).contiguous(memory_format=fmt_)

    def run():
        x.grad = w.grad = bias.grad = None
        F.conv2d(x, w, bias, padding=pad).backward(grad)
    return run


def same_maths(A, W, b, dZ, pad):
    """Largest relative difference between the course's (dA_prev, m dW, m db) and torch's gradients."""
    x = torch.from_numpy(A.transpose(0, 3, 1, 2).copy()).requires_grad_(True)
    w = torch.from_numpy(W.transpose(3, 2, 0, 1).copy()).requires_grad_(True)
    bias = torch.from_numpy(b.reshape(-1).copy()).requires_grad_(True)
    F.conv2d(x, w, bias, padding=pad).backward(torch.from_numpy(dZ.transpose(0, 3, 1, 2).copy()))
    _, cache = conv.conv_forward(A, W, b, 1, pad)
    dA_prev, dW, db = conv.conv_backward(dZ, cache)
    pairs = [(dA_prev, x.grad.numpy().transpose(0, 2, 3, 1)), (M * dW, w.grad.numpy().transpose(2, 3, 1, 0)),
             (M * db.reshape(-1), bias.grad.numpy())]
    return max(float(np.abs(a - t).max() / np.abs(t).max()) for a, t in pairs)


def course_pool(A):
    def run():
        pooled, cache = conv.pool_forward(A, 2, 2, "max")
        conv.pool_backward(pooled, cache)
    return run


def torch_pool(A):
    x = torch.from_numpy(A.transpose(0, 3, 1, 2).copy()).requires_grad_(True)

    def run():
        x.grad = None
        out = F.max_pool2d(x, 2, 2)
        out.backward(out.detach())
    return run


# --- the digits CNN step ------------------------------------------------------------------------
def digits_batch(m, dtype):
    from course_utils import load_digits

    X, Y, labels = load_digits()
    return X.T[:m].reshape(-1, 8, 8, 1).astype(dtype), Y[:, :m].astype(dtype), labels[:m]


def course_cnn_step(X, Y, dtype, learning_rate=0.1):
    state = {"parameters": conv.initialize_cnn((8, 8, 1), conv.DIGITS_CNN, seed=0, dtype=dtype)}

    def run():
        parameters = state["parameters"]
        AL, cache = conv.cnn_forward(X, parameters)
        grads = conv.cnn_backward(AL, Y, parameters, cache)
        state["parameters"] = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
    return run


def torch_cnn_step(X, labels, dtype, channels_last, learning_rate=0.1):
    torch.manual_seed(0)
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1, dtype=tdtype), torch.nn.ReLU(),
        torch.nn.Conv2d(8, 16, 3, padding=1, dtype=tdtype), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(256, 10, dtype=tdtype))
    fmt_ = torch.channels_last if channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt_)
    params = list(model.parameters())
    x = torch.from_numpy(X.transpose(0, 3, 1, 2).copy()).contiguous(memory_format=fmt_)
    y = torch.from_numpy(labels)

    def run():
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= learning_rate * p.grad
                p.grad = None
    return run


def faster_torch_format(make):
    """(channels_last?, its function): a short interleaved race between NCHW and channels_last."""
    times = interleaved({"torch NCHW": make(False), "torch channels_last": make(True)}, samples=5)
    channels_last = statistics.median(times["torch channels_last"]) < statistics.median(times["torch NCHW"])
    return channels_last, make(channels_last)


# --- the run ------------------------------------------------------------------------------------
def header():
    blas = next((i for i in threadpool_info() if i["user_api"] == "blas"), {})
    cpu = platform.processor() or "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    say("# course_utils.conv benchmarks")
    say()
    say(f"Command: `python bench/bench_conv.py{' --quick' if QUICK else ''}`")
    say()
    say(f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; CPU: {cpu}, {os.cpu_count()} cores; "
        f"load average at start: {os.getloadavg()[0]:.2f}")
    say(f"- Python {platform.python_version()}, numpy {np.__version__}")
    say(f"- numpy's BLAS: {blas.get('internal_api', '?')} {blas.get('version', '?')}, kernel "
        f"**{blas.get('architecture', '?')}**, limited to 1 thread")
    unset = os.environ.get("COURSE_BENCH_CONV_UNSET")
    where = f"unset in this process only: {unset}" if unset else f"as set ({ARGS.blas_kernel})"
    say(f"- BLAS environment: {where}")
    if torch is not None:
        say(f"- torch {torch.__version__}: 1 thread, CPU capability {torch.backends.cpu.get_cpu_capability()}")
    else:
        say("- torch: not installed; the comparisons with it are n/a")
    say(f"- samples: {SAMPLES} paired samples of ~{SAMPLE_SECONDS * 1e3:.0f} ms per competitor, interleaved, "
        f"{GAP_SECONDS * 1e3:.0f} ms pause before each switch of library")
    say()


def conv_section():
    say("## Convolution forward + backward, m = 64, stride 1")
    say()
    say("course: public `conv_forward` + `conv_backward` (all three gradients); torch: `F.conv2d` + "
        "`backward` (input, weight and bias gradients) in the memory format that won a short race. "
        "products: the step's matrix products alone. col2im: dA_prev by `np.add.at`; einsum: forward, dW and "
        "dA_prev by `np.einsum`. Each cell: the median of paired ratios [interquartile range].")
    say()
    rows = []
    for name, shape, f, n_C, pad, goal64, goal32 in CONFIGS:
        for dtype, limit in ((np.float64, goal64), (np.float32, goal32)):
            A, W, b, dZ, cache = make_layer(shape, f, n_C, pad, dtype)
            competitors = {"course": course_step(A, W, b, dZ, pad), "products": products_only(W, dZ, cache),
                           "col2im": col2im_step(A, W, b, dZ, pad), "einsum": einsum_step(A, W, b, dZ, pad)}
            torch_format, check = "n/a", "n/a"
            if torch is not None:
                channels_last, competitors["torch"] = faster_torch_format(
                    lambda cl, A=A, W=W, b=b, dZ=dZ, pad=pad: torch_conv_step(A, W, b, dZ, pad, cl))
                torch_format = "channels_last" if channels_last else "NCHW"
                check = f"{same_maths(A, W, b, dZ, pad):.0e}"
            times = interleaved(competitors)
            dtype_name = np.dtype(dtype).name
            vs_products = ratio(times, "course", "products")
            goal(f"{name}, {dtype_name}: step / products <= 3", vs_products[0], 3.0)
            for strategy, ratios in STRATEGIES.items():
                ratios.append(ratio(times, strategy, "course")[0])
            row = [name, dtype_name, ms(times, "course"), fmt(vs_products),
                   fmt(ratio(times, "col2im", "course")), fmt(ratio(times, "einsum", "course"))]
            if torch is not None:
                vs_torch = ratio(times, "course", "torch")
                goal(f"{name}, {dtype_name}: course / torch <= {limit}", vs_torch[0], limit)
                row += [ms(times, "torch"), torch_format, fmt(vs_torch), f"<= {limit}", check]
            else:
                row += ["n/a"] * 5
            rows.append(row)
    table(["layer", "dtype", "course step", "step / products", "col2im / course", "einsum / course", "torch step",
           "torch format", "course / torch", "goal", "same maths"], rows)
    say("'same maths': largest relative difference between the course's (dA_prev, m dW, m db) and torch's "
        "gradients on the same data (the course's dW and db carry the 1/m, torch's do not).")
    say()


def pool_section():
    say("## Max pooling f = stride = 2, forward + backward, m = 64")
    say()
    rows = []
    for shape in ((8, 8, 16), (28, 28, 8)):
        for dtype in (np.float64, np.float32):
            A = np.random.default_rng(1).standard_normal((M, *shape)).astype(dtype)
            competitors = {"course": course_pool(A)}
            if torch is not None:
                competitors["torch"] = torch_pool(A)
            times = interleaved(competitors)
            row = ["x".join(map(str, shape)), np.dtype(dtype).name, ms(times, "course")]
            if torch is not None:
                vs_torch = ratio(times, "course", "torch")
                goal(f"max pool {row[0]}, {row[1]}: course / torch (NCHW) <= 2", vs_torch[0], 2.0)
                row += [ms(times, "torch"), fmt(vs_torch)]
            else:
                row += ["n/a", "n/a"]
            rows.append(row)
    table(["input", "dtype", "course", "torch (NCHW)", "course / torch"], rows)


def cnn_section():
    say("## One training step of notebook 10's digits CNN")
    say()
    say("conv 3x3x8 (pad 1) - ReLU - conv 3x3x16 (pad 1) - ReLU - max pool 2 - flatten - dense 10, softmax "
        "cross-entropy, plain gradient descent. course: public `cnn_forward` + `cnn_backward` + the update; "
        "torch: the same layers, `F.cross_entropy`, `backward`, manual SGD, in its faster memory format.")
    say()
    rows = []
    for m in (32, 64):
        for dtype in (np.float64, np.float32):
            X, Y, labels = digits_batch(m, dtype)
            competitors = {"course": course_cnn_step(X, Y, dtype)}
            torch_format = "n/a"
            if torch is not None:
                channels_last, competitors["torch"] = faster_torch_format(
                    lambda cl, X=X, labels=labels, dtype=dtype: torch_cnn_step(X, labels, dtype, cl))
                torch_format = "channels_last" if channels_last else "NCHW"
            times = interleaved(competitors)
            row = [m, np.dtype(dtype).name, ms(times, "course")]
            row += ([ms(times, "torch"), torch_format, fmt(ratio(times, "course", "torch"))] if torch is not None
                    else ["n/a"] * 3)
            rows.append(row)
    table(["m", "dtype", "course step", "torch step", "torch format", "course / torch"], rows)


def notes():
    missed = [name for name, _, _, verdict in VERDICTS if verdict == "MISSED"]
    say("## Met, missed, and what was tried")
    say()
    say(f"{len(VERDICTS) - len(missed)} of {len(VERDICTS)} goals met in this run"
        + (f"; missed: {'; '.join(missed)}." if missed else "."))
    say()
    span = {k: f"{min(v):.1f}-{max(v):.1f}x" if v else "n/a" for k, v in STRATEGIES.items()}
    say(f"- **Strategies for the step** (columns col2im / course and einsum / course above, same run): dA_prev by "
        f"col2im with `np.add.at` makes the whole step {span['col2im']} slower, and einsum {span['einsum']} "
        "slower, than the course's loop over the f x f kernel offsets (one product dZ . W[p, q]^T and one strided "
        "`+=` per offset). The forward pass is im2col: a strided window view, one copy, one product.")
    say("- **Step / products** is hardest to meet where the products are tiny: for 8x8x1 -> 3x3x8 the products "
        "have only f f n_C_prev = 9 columns, so the window copy and the nine strided adds of one-channel slices "
        "(inner loops of length 1) cost more than the BLAS work. In training that layer is the first one, whose "
        "dA_prev is never computed (`need_dA_prev=False` in `cnn_backward`), which removes the adds.")
    say("- **What moved the numbers:** padding by slice assignment into a zero array instead of `np.pad` (about 10x "
        "faster on the digit batch); adding the bias in place (`Z += b`) instead of `Z = cols @ W + b`, because a "
        "fresh narrow (m n_H n_W) x n_C array costs more than the product (3x faster); `db` summing the long axis "
        "of the (m n_H n_W) x n_C view; one BLAS thread (two threads were up to 6x slower on the shared 2 cores).")
    say()


def main():
    if torch is not None:
        torch.set_num_threads(1)
    with threadpool_limits(limits=1, user_api="blas"):
        np.zeros(2 * 1024 * 1024).sum()  # settle glibc's trim threshold once (see bench/README.md)
        header()
        conv_section()
        pool_section()
        cnn_section()
    say("## Goals")
    say()
    table(["goal", "measured (median ratio)", "verdict"],
          [(name, f"{measured:.2f}", verdict) for name, measured, limit, verdict in VERDICTS])
    notes()
    output = ARGS.output or (None if QUICK else ROOT / "bench" / "RESULTS_conv.md")
    if output:
        Path(output).write_text("\n".join(LINES) + "\n", encoding="utf-8")
        print(f"(written to {output})")


if __name__ == "__main__":
    main()
