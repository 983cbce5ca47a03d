"""Notebooks 09 and 10 register the exercises and mistake codes their text promises.

(tests/test_exercises.py checks every registered exercise's machinery: the reference passes, each
mistake gets its own diagnosis, a perturbation gets wrong_values, an in-place variant mutates_input.)
"""

from course_utils.exercises import REGISTRY, diagnose

REQUIRED = {
    "zero_pad": {"wrong_axis"},
    "conv_forward": {"kernel_flipped", "bias_dropped", "wrong_output_size"},
    "pool_forward": {"wrong_axis"},
    "conv_backward": {"missing_1_over_m", "kernel_not_flipped", "padding_not_removed"},
    "pool_backward": {"all_ties_get_gradient", "wrong_axis"},
    "flatten_backward": {"missing_transpose"},
}


def test_the_exercises_of_notebooks_09_and_10_and_their_mistakes_are_registered():
    for name, codes in REQUIRED.items():
        assert name in REGISTRY, name
        assert codes <= {m.code for m in REGISTRY[name].mistakes}, name
        assert REGISTRY[name].equation.startswith(("(9.", "(10."))


def test_a_four_loop_conv_forward_as_a_learner_writes_it_passes():
    import numpy as np

    def conv_forward(A_prev, W, b, stride, pad):
        A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
        f, n_C = W.shape[0], W.shape[3]
        m, n_H = A_prev.shape[0], 1 + (A_pad.shape[1] - f) // stride
        n_W = 1 + (A_pad.shape[2] - f) // stride
        Z = np.zeros((m, n_H, n_W, n_C))
        for i in range(m):
            for h in range(n_H):
                for w in range(n_W):
                    for c in range(n_C):
                        window = A_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                        Z[i, h, w, c] = np.sum(window * W[..., c]) + b[0, 0, 0, c]
        return Z

    assert diagnose("conv_forward", conv_forward).passed


def test_a_max_pool_backward_that_splits_ties_is_not_called_correct():
    import numpy as np

    from course_utils import conv

    def pool_backward(dA, A_prev, f, stride, mode):
        if mode == "average":
            return conv.pool_backward(dA, conv.pool_forward(A_prev, f, stride, mode)[1])
        A = conv.pool_forward(A_prev, f, stride, mode)[0]
        dA_prev = np.zeros_like(A_prev)
        n_H, n_W = dA.shape[1:3]
        for i in range(A.shape[0]):
            for h in range(n_H):
                for w in range(n_W):
                    for c in range(A.shape[3]):
                        rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
                        mask = A_prev[i, rows, cols, c] == A[i, h, w, c]
                        dA_prev[i, rows, cols, c] += mask * dA[i, h, w, c] / mask.sum()
        return dA_prev

    verdict = diagnose("pool_backward", pool_backward)
    assert not verdict.passed and verdict.mistake == "wrong_values"
