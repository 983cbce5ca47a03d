"""The sweep diagram (course_utils.diagrams): what it says each backward step reads is what the code reads."""

import numpy as np
import pytest

import course_utils as cu
from course_utils.diagrams import cached_reads, draw_backprop_sweep, sweep_reads
from course_utils.network import _backward


class ReadRecorder(dict):
    """A cache that writes down every array the backward pass takes out of it, in order."""

    def __init__(self, *args):
        super().__init__(*args)
        self.reads = []

    def __getitem__(self, key):
        if isinstance(self.get(key), np.ndarray):
            self.reads.append(key)
        return super().__getitem__(key)


@pytest.mark.parametrize("L", [1, 2, 3, 5])
def test_the_backward_pass_reads_what_the_diagram_marks_in_reverse_order(L):
    rng = np.random.default_rng(L)
    dims = [3] + [4] * (L - 1) + [1]
    parameters = cu.initialize_parameters(dims, init="xavier", seed=L)
    X, Y = rng.standard_normal((3, 5)), (rng.random((1, 5)) < 0.5).astype(float)
    _, cache = cu.forward_propagation(X, parameters, "tanh", "sigmoid")
    recorder = ReadRecorder(cache)
    _backward(recorder, Y, parameters, L)
    marked = {name for names in cached_reads(L).values() for name in names}
    # output_layer_dZ is handed Z[L] as well (a non-canonical output needs g'(Z[L])); sigmoid's A - Y does not
    assert set(recorder.reads) == marked | {f"Z{L}"}
    written = ["A0"] + [f"{kind}{l}" for l in range(1, L + 1) for kind in "ZA"]  # the order the forward pass made them
    assert recorder.reads == written[::-1]  # last made, first needed: the cache is used like a stack


def test_sweep_reads_lists_every_step_once_with_its_equation():
    reads = sweep_reads(3)
    assert list(reads)[:7] == ["Z1", "A1", "Z2", "A2", "Z3", "A3", "cost"]
    assert len(reads) == 6 * 3
    assert reads["dW2"] == ("(5.2)", ("dZ2", "A1")) and reads["dA1"] == ("(5.4)", ("W2", "dZ2"))
    assert reads["dZ1"] == ("(5.1)", ("dA1", "Z1")) and reads["dZ3"] == ("(5.5)", ("A3", "Y"))
    assert cached_reads(3)["db2"] == () and cached_reads(3)["dA2"] == ()


def test_the_diagram_draws_every_quantity_and_marks_the_highlight():
    ax = draw_backprop_sweep(3, highlight="dW2", title="t", note="n")
    labels = {t.get_text() for t in ax.texts}
    for name in ("$A^{[0]}$", "$Z^{[3]}$", "$dW^{[2]}$", "$db^{[1]}$", "$dA^{[2]}$", "$J$", "$W^{[1]}$"):
        assert name in labels
    assert "$dA^{[0]}$" not in labels  # never computed
    assert ax.get_title() == "t" and "n" in labels
    with pytest.raises(ValueError, match="highlight must be one of"):
        draw_backprop_sweep(3, highlight="dA0")
    with pytest.raises(ValueError, match="L must be"):
        draw_backprop_sweep(0)
