"""Notebook 11's gradient-flow explorer: what a learner should see when moving its controls.

The RNN panel is the product of the Jacobians (11.4), bounded by sigma_max^k (11.6); the LSTM panel
comes from the course's lstm_cell_backward and follows f^k along the cell state (11.12).
"""

import numpy as np
import pytest

from course_utils import rnn
from course_utils.widgets.gradient_flow import (
    flow_parameters,
    gradient_flow,
    lstm_gradient_norms,
    make_gradient_flow,
    recurrent_matrix,
    rnn_gradient_norms,
)

from .conftest import control


@pytest.mark.parametrize("kind", ["orthogonal", "non-normal"])
@pytest.mark.parametrize("rho", [0.5, 0.9, 1.0, 1.5])
def test_the_rnn_norm_never_exceeds_the_singular_value_bound(kind, rho):
    """(11.6): ||prod diag(1 - a^2) Waa|| <= sigma_max^k, because tanh' <= 1."""
    result = gradient_flow(rho, 0.9, kind, draw=False)
    assert np.all(result["rnn_norms"] <= result["rnn_bound"] * (1 + 1e-9))
    assert result["spectral_radius"] == pytest.approx(rho, rel=1e-9)


def test_recurrent_matrices_have_the_requested_spectral_radius_and_singular_values():
    orthogonal, skewed = recurrent_matrix(0.9, "orthogonal"), recurrent_matrix(0.9, "non-normal")
    assert np.allclose(np.linalg.svd(orthogonal, compute_uv=False), 0.9, rtol=1e-12)
    assert np.abs(np.linalg.eigvals(skewed)).max() == pytest.approx(0.9, rel=1e-9)
    assert np.linalg.norm(skewed, 2) > 2 * 0.9  # non-normal: the largest singular value is well above rho


def test_things_to_try_rnn():
    # rho = 1 with an orthogonal Waa: every singular value is 1, yet the gradient fades: tanh' < 1.
    flat = gradient_flow(1.0, 0.9, "orthogonal", draw=False)
    assert flat["sigma_max"] == pytest.approx(1.0, rel=1e-9) and flat["rnn_norms"][-1] < 1e-3
    # rho = 0.9 but non-normal: the gradient first *grows*, though every eigenvalue is below 1.
    skewed = gradient_flow(0.9, 0.9, "non-normal", draw=False)
    assert skewed["rnn_norms"][1] > 1.2
    # rho = 0.5: vanished after 40 steps, faster than rho^k.
    small = gradient_flow(0.5, 0.9, "orthogonal", draw=False)
    assert small["rnn_norms"][-1] < 1e-15 and np.all(small["rnn_norms"] <= small["rho_rate"] * (1 + 1e-9))


def test_things_to_try_lstm():
    # f = 1: the gradient along the cell state does not fade (within a factor of 2 over 40 steps)
    kept = gradient_flow(0.9, 1.0, draw=False)["lstm_norms"]
    assert kept[1:].min() > 0.5 * kept[1]
    # f = 0.9 and f = 0.5: it fades like f^k, within a factor of 3 of it
    for forget in (0.9, 0.5):
        result = gradient_flow(0.9, forget, draw=False)
        ratio = result["lstm_norms"][1:] / result["forget_rate"][1:]
        assert ratio.max() < 3 * ratio.min(), forget
    assert gradient_flow(0.9, 0.5, draw=False)["lstm_norms"][-1] < 1e-9


def test_with_no_recurrent_weights_the_lstm_norm_is_exactly_proportional_to_f_power_k():
    """(11.12): the only way back is c<t> = f c<t-1> + ..., so d a<T>/d c<t> = diag(o (1 - tanh^2 c<T>)) f^(T-t)."""
    _, _, _, lstm, rng = flow_parameters(0.9, 0.8, recurrent_scale=0.0)
    x = rng.standard_normal((4, 1, 30))
    norms = lstm_gradient_norms(lstm, x)
    ratio = norms[1:] / 0.8 ** np.arange(1, 31)
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-9)


def test_rnn_norms_agree_with_the_course_backward_pass():
    """The explicit product of (11.4) equals what rnn_cell_backward sends back, column by column."""
    Waa, Wax, ba, _, rng = flow_parameters(1.1, 0.9, "non-normal")
    x = rng.standard_normal((4, 1, 12))
    norms, _ = rnn_gradient_norms(Waa, Wax, ba, x)
    n_a = Waa.shape[0]
    parameters = {"Wax": Wax, "Waa": Waa, "ba": ba, "Wya": np.zeros((1, n_a)), "by": np.zeros((1, 1))}
    a, _, caches = rnn.rnn_forward(np.repeat(x, n_a, axis=1), np.zeros((n_a, n_a)), parameters)
    da = np.zeros((n_a, n_a, 12))
    da[:, :, -1] = np.eye(n_a)
    assert np.linalg.norm(rnn.rnn_backward(da, caches)["da0"], 2) == pytest.approx(norms[-1], rel=1e-9)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="forget must be in"):
        gradient_flow(0.9, 1.5)
    with pytest.raises(ValueError, match="unknown kind"):
        gradient_flow(0.9, 0.9, "diagonal")


def test_the_widget_redraws_when_its_controls_move():
    w = make_gradient_flow()
    assert w.result["figure"] is not None and w.result["forget"] == pytest.approx(0.9)
    control(w, "LSTM: forget gate f").value = 1.0
    assert w.result["forget"] == 1.0
    control(w, "RNN: spectral radius").value = 1.2
    assert w.result["spectral_radius"] == pytest.approx(1.2, rel=1e-9)
    control(w, "RNN: W_aa").value = "non-normal"
    assert w.result["kind"] == "non-normal" and w.result["sigma_max"] > 2
