"""Benchmarks of course_utils.rnn (and the autodiff) against PyTorch on the CPU.

    python bench/bench_rnn.py            # full run (a few minutes), writes bench/RESULTS_rnn.md
    python bench/bench_rnn.py --quick    # a short run, prints only

As in bench/bench.py, the machine is shared and noisy, so every comparison runs its competitors
interleaved in short samples, rotating the order each round, and reports the MEDIAN OF THE PAIRED
RATIOS (sample i of A over sample i of B) with the interquartile range. Before each switch of
library (numpy <-> torch) the run pauses, so the idle library's spinning threads do not steal the
next sample. Both libraries get one thread (the matrices of a recurrent step are small).

What is measured:
  1. an LSTM over a whole sequence, forward + backward, at (n_x, n_a, m, T) = (10, 32, 64, 20) and
     (50, 128, 64, 50), float64 and float32: the course's public lstm_forward + lstm_backward
     (da into every a<t>; gradients of every weight, x, a0, c0), against torch.nn.LSTM with autograd
     (the same gradients: weights, input, h0, c0) and against a manual torch loop of the same cell
     (one stacked matrix product per step, autograd for the backward pass). The course's loop
     without its input checks and without the output layer (the internal _lstm_forward /
     _lstm_backward) is timed too.
  2. the tiny autodiff (course_utils.autodiff.Tensor) against the hand-written backpropagation of
     notebook 05 (forward_propagation + backpropagation), on a small network like notebook 05's and
     on an MNIST-sized one: the autodiff's overhead (no goal).
"""

import os

import common  # bench/common.py, beside this file (import it before numpy)

ARGS = common.parse_args(__doc__, "bench/RESULTS_rnn.md")
common.use_native_blas(ARGS, "COURSE_BENCH_RNN_UNSET")

import platform  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

import course_utils as cu  # noqa: E402
from course_utils import rnn  # noqa: E402
from course_utils.autodiff import Tensor  # noqa: E402

try:
    import torch  # noqa: E402
except ImportError:
    torch = None

ROOT = Path(__file__).resolve().parent.parent
QUICK = ARGS.quick
SAMPLES = ARGS.samples or (7 if QUICK else 21)
SAMPLE_SECONDS = (ARGS.sample_ms or (30 if QUICK else 60)) / 1000
GAP_SECONDS = ARGS.gap_ms / 1000
SIZES = [(10, 32, 64, 20), (50, 128, 64, 50)]  # (n_x, n_a, m, T)
N_Y = 2  # the public lstm_forward also computes y<t> = softmax(Wy a<t> + by) at every step
GOALS = {"float64": 1.2, "float32": 2.2}  # course / nn.LSTM


say, table, goal, ratio, fmt, ms = common.say, common.table, common.goal, common.ratio, common.fmt, common.ms
LINES, VERDICTS = common.LINES, common.VERDICTS


def interleaved(competitors, samples=None):
    """common.interleaved with this benchmark's sample settings."""
    return common.interleaved(competitors, samples or SAMPLES, SAMPLE_SECONDS, GAP_SECONDS)


# --- the LSTM competitors -----------------------------------------------------------------------------
def make_problem(n_x, n_a, m, T, dtype, seed=0):
    rng = np.random.default_rng(seed)
    p = rnn.initialize_lstm_parameters(n_x, n_a, N_Y, seed=seed, dtype=dtype)
    p = {k: (v + 0.1 * rng.standard_normal(v.shape)).astype(dtype) for k, v in p.items()}
    x = rng.standard_normal((n_x, m, T)).astype(dtype)
    a0, c0 = (0.5 * rng.standard_normal((n_a, m))).astype(dtype), (0.5 * rng.standard_normal((n_a, m))).astype(dtype)
    da = rng.standard_normal((n_a, m, T)).astype(dtype)
    return p, x, a0, c0, da


def course_public(p, x, a0, c0, da):
    def run():
        a, y, c, caches = rnn.lstm_forward(x, a0, p, c0=c0)
        return rnn.lstm_backward(da, caches)
    return run


def course_internal(p, x, a0, c0, da):
    def run():
        a, c, caches = rnn._lstm_forward(x, a0, c0, p)
        return rnn._lstm_backward(da, caches)
    return run


def torch_lstm(p, x, a0, c0, da):
    """nn.LSTM with the course's weights. torch's gate order is (i, f, g, o) and it has two biases."""
    dtype = torch.float64 if x.dtype == np.float64 else torch.float32
    n_x, n_a = x.shape[0], a0.shape[0]
    lstm = torch.nn.LSTM(n_x, n_a, dtype=dtype)
    with torch.no_grad():
        W = np.concatenate([p["Wi"], p["Wf"], p["Wc"], p["Wo"]])  # rows (i, f, g, o); columns [a; x]
        lstm.weight_hh_l0.copy_(torch.from_numpy(np.ascontiguousarray(W[:, :n_a])))
        lstm.weight_ih_l0.copy_(torch.from_numpy(np.ascontiguousarray(W[:, n_a:])))
        lstm.bias_ih_l0.copy_(torch.from_numpy(np.concatenate([p["bi"], p["bf"], p["bc"], p["bo"]])[:, 0]))
        lstm.bias_hh_l0.zero_()
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 1, 0))).requires_grad_()  # (T, m, n_x)
    h0 = torch.from_numpy(np.ascontiguousarray(a0.T))[None].requires_grad_()  # (1, m, n_a)
    s0 = torch.from_numpy(np.ascontiguousarray(c0.T))[None].requires_grad_()
    dout = torch.from_numpy(np.ascontiguousarray(da.transpose(2, 1, 0)))

    def run():
        for tensor in (xt, h0, s0, *lstm.parameters()):
            tensor.grad = None
        out, _ = lstm(xt, (h0, s0))
        out.backward(dout)
        return lstm, xt, h0, s0
    return run


def torch_manual(p, x, a0, c0, da):
    """The course's cell written with torch tensors: one stacked product per step, autograd backward."""
    n_a = a0.shape[0]
    W = torch.from_numpy(np.concatenate([p["Wf"], p["Wi"], p["Wo"], p["Wc"]])).requires_grad_()
    b = torch.from_numpy(np.concatenate([p["bf"], p["bi"], p["bo"], p["bc"]])).requires_grad_()
    xs = torch.from_numpy(x.copy()).requires_grad_()
    h0 = torch.from_numpy(a0.copy()).requires_grad_()
    s0 = torch.from_numpy(c0.copy()).requires_grad_()
    dout = torch.from_numpy(da.copy())

    def run():
        for tensor in (W, b, xs, h0, s0):
            tensor.grad = None
        a, c, states = h0, s0, []
        for t in range(x.shape[2]):
            gates = W @ torch.cat([a, xs[:, :, t]]) + b
            sig = torch.sigmoid(gates[:3 * n_a])
            f, i, o = sig[:n_a], sig[n_a:2 * n_a], sig[2 * n_a:]
            c = f * c + i * torch.tanh(gates[3 * n_a:])
            a = o * torch.tanh(c)
            states.append(a)
        torch.stack(states, dim=2).backward(dout)
        return W, xs, h0, s0
    return run


def same_maths(p, x, a0, c0, da):
    """Largest relative difference between the course's gradients and nn.LSTM's (W, x, a0, c0)."""
    m = x.shape[1]
    grads = course_public(p, x, a0, c0, da)()
    lstm, xt, h0, s0 = torch_lstm(p, x, a0, c0, da)()
    n_a = a0.shape[0]
    dW_torch = np.concatenate([lstm.weight_hh_l0.grad.numpy(), lstm.weight_ih_l0.grad.numpy()], axis=1)
    dW_course = m * np.concatenate([grads["dWi"], grads["dWf"], grads["dWc"], grads["dWo"]])  # undo the 1/m
    pairs = [(dW_course, dW_torch), (grads["dx"], xt.grad.numpy().transpose(2, 1, 0)),
             (grads["da0"], h0.grad.numpy()[0].T), (grads["dc0"], s0.grad.numpy()[0].T)]
    del n_a
    return max(float(np.abs(a - b).max() / np.abs(b).max()) for a, b in pairs)


# --- the autodiff competitors ----------------------------------------------------------------------------
def network_problem(dims, m, seed=0):
    rng = np.random.default_rng(seed)
    parameters = cu.initialize_parameters(dims, seed=seed)
    X = rng.standard_normal((dims[0], m))
    Y = cu.one_hot(rng.integers(0, dims[-1], m), dims[-1])
    return parameters, X, Y


def by_backpropagation(parameters, X, Y):
    def run():
        _, cache = cu.forward_propagation(X, parameters, "relu", "softmax")
        return cu.backpropagation(cache, Y, parameters)
    return run


def by_autodiff(parameters, X, Y):
    L = len(parameters) // 2

    def run():
        leaves = {k: Tensor(v) for k, v in parameters.items()}
        A = Tensor(X)
        for l in range(1, L + 1):
            Z = leaves[f"W{l}"] @ A + leaves[f"b{l}"]
            A = Z.relu() if l < L else Z
        shift = Z.data.max(axis=0, keepdims=True)
        cost = ((Z - shift).exp().sum(axis=0, keepdims=True).log() + shift - (Z * Y).sum(axis=0, keepdims=True)).mean()
        cost.backward()
        return leaves
    return run


# --- the run ------------------------------------------------------------------------------------
def header():
    blas = next((i for i in threadpool_info() if i["user_api"] == "blas"), {})
    cpu = platform.processor() or "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    say("# course_utils.rnn benchmarks")
    say()
    say(f"Command: `python bench/bench_rnn.py{' --quick' if QUICK else ''}`")
    say()
    say(f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; CPU: {cpu}, {os.cpu_count()} cores; "
        f"load average at start: {os.getloadavg()[0]:.2f}")
    say(f"- Python {platform.python_version()}, numpy {np.__version__}")
    say(f"- numpy's BLAS: {blas.get('internal_api', '?')} {blas.get('version', '?')}, kernel "
        f"**{blas.get('architecture', '?')}**, limited to 1 thread")
    unset = os.environ.get("COURSE_BENCH_RNN_UNSET")
    where = f"unset in this process only: {unset}" if unset else f"as set ({ARGS.blas_kernel})"
    say(f"- BLAS environment: {where}")
    if torch is not None:
        say(f"- torch {torch.__version__}: 1 thread, CPU capability {torch.backends.cpu.get_cpu_capability()}, "
            f"mkldnn {'on' if torch.backends.mkldnn.is_available() else 'off'}")
    else:
        say("- torch: not installed; the comparisons with it are n/a")
    say(f"- samples: {SAMPLES} paired samples of ~{SAMPLE_SECONDS * 1e3:.0f} ms per competitor, interleaved, "
        f"{GAP_SECONDS * 1e3:.0f} ms pause before each switch of library")
    say()


def lstm_section():
    say("## LSTM over a sequence, forward + backward")
    say()
    say("course: the public `lstm_forward` (with its checks and the outputs y<t>, n_y = 2) + `lstm_backward` "
        "(gradients of every weight, x, a0, c0); course internal: the same loop without the checks and the "
        "outputs; nn.LSTM: `torch.nn.LSTM` with autograd (weights, input, h0, c0); manual: the same cell as torch "
        "ops, one stacked product per step, autograd. Each ratio: the median of paired ratios [interquartile "
        "range]; times are medians, for orientation.")
    say()
    rows = []
    for n_x, n_a, m, T in SIZES:
        for dtype in (np.float64, np.float32):
            name = np.dtype(dtype).name
            problem = make_problem(n_x, n_a, m, T, dtype)
            competitors = {"course": course_public(*problem), "course internal": course_internal(*problem)}
            if torch is not None:
                competitors["torch nn.LSTM"] = torch_lstm(*problem)
                competitors["torch manual"] = torch_manual(*problem)
            times = interleaved(competitors)
            size = f"{n_x}, {n_a}, {m}, {T}"
            if torch is None:
                rows.append((size, name, ms(times, "course"), "n/a", "n/a", "n/a", "n/a", "n/a",
                             fmt(ratio(times, "course", "course internal"))))
                continue
            versus_lstm = ratio(times, "course", "torch nn.LSTM")
            versus_manual = ratio(times, "course", "torch manual")
            goal(f"{name} course / nn.LSTM <= {GOALS[name]} at ({size})", versus_lstm[0], GOALS[name])
            goal(f"{name} course / manual torch loop <= 1 at ({size})", versus_manual[0], 1.0)
            rows.append((size, name, ms(times, "course"), ms(times, "torch nn.LSTM"), ms(times, "torch manual"),
                         fmt(versus_lstm), fmt(versus_manual), fmt(ratio(times, "course internal", "torch nn.LSTM")),
                         fmt(ratio(times, "course", "course internal"))))
    table(["n_x, n_a, m, T", "dtype", "course", "nn.LSTM", "manual torch", "course / nn.LSTM",
           "course / manual", "internal / nn.LSTM", "public / internal"], rows)
    if torch is not None:
        differences = [same_maths(*make_problem(n_x, n_a, m, T, np.float64)) for n_x, n_a, m, T in SIZES[:1]]
        say(f"Same maths: the largest relative difference between the course's gradients and nn.LSTM's "
            f"(weights, x, a0, c0), float64: {max(differences):.1e}.")
        say()


def autodiff_section():
    say("## The autodiff against hand-written backpropagation (no goal)")
    say()
    say("Forward + backward of a ReLU network with a softmax cost: `Tensor` (build the graph, `backward()`) "
        "against `forward_propagation` + `backpropagation` of notebook 05.")
    say()
    rows = []
    for dims, m in (([4, 5, 3, 2], 8), ([784, 256, 128, 10], 64)):
        problem = network_problem(dims, m)
        times = interleaved({"backpropagation": by_backpropagation(*problem), "autodiff": by_autodiff(*problem)})
        rows.append(("-".join(map(str, dims)), m, ms(times, "backpropagation"), ms(times, "autodiff"),
                     fmt(ratio(times, "autodiff", "backpropagation"))))
    table(["network", "m", "backpropagation", "autodiff", "autodiff / backpropagation"], rows)


def notes():
    missed = [name for name, _, _, verdict in VERDICTS if verdict == "MISSED"]
    say("## Goals")
    say()
    table(["goal", "measured (median ratio)", "verdict"],
          [(name, f"{measured:.2f}", verdict) for name, measured, limit, verdict in VERDICTS])
    say(f"{len(VERDICTS) - len(missed)} of {len(VERDICTS)} goals met in this run"
        + (f"; missed: {'; '.join(missed)}." if missed else "."))
    say()


def main():
    if torch is not None:
        torch.set_num_threads(1)
    with threadpool_limits(limits=1, user_api="blas"):
        np.zeros(2 * 1024 * 1024).sum()  # settle glibc's trim threshold once (see bench/README.md)
        header()
        lstm_section()
        autodiff_section()
    notes()
    output = ARGS.output or (None if QUICK else ROOT / "bench" / "RESULTS_rnn.md")
    if output:
        Path(output).write_text("\n".join(LINES) + "\n", encoding="utf-8")
        print(f"(written to {output})")


if __name__ == "__main__":
    main()
