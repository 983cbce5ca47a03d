"""Data sets, the split, the standardiser, metrics, the training loop and the shared plots."""

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen; notebooks keep the inline backend

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import course_utils as cu  # noqa: E402
from course_utils import plotting  # noqa: E402


@pytest.mark.parametrize("make", [cu.make_moons, cu.make_circles, cu.make_xor])
def test_binary_sets_have_course_layout_and_are_seeded(make):
    X, Y = make(m=50, seed=3)
    assert X.shape == (2, 50) and Y.shape == (1, 50)
    assert set(np.unique(Y)) == {0.0, 1.0}
    np.testing.assert_array_equal(make(m=50, seed=3)[0], X)
    assert not np.array_equal(make(m=50, seed=4)[0], X)


def test_spirals_and_regression():
    X, Y = cu.make_spirals(m=90, classes=3)
    assert X.shape == (2, 90) and Y.shape == (3, 90)
    np.testing.assert_array_equal(Y.sum(axis=0), 1)
    X, Y = cu.make_regression_1d(m=30)
    assert X.shape == Y.shape == (1, 30)


def test_breast_cancer_is_malignant_positive():
    X, Y, names = cu.load_breast_cancer()
    assert X.shape == (30, 569) and Y.shape == (1, 569) and len(names) == 30
    assert int(Y.sum()) == 212  # 212 malignant, 357 benign in the Wisconsin data
    from sklearn.datasets import load_breast_cancer
    raw = load_breast_cancer()
    assert list(raw.target_names) == ["malignant", "benign"]
    np.testing.assert_array_equal(Y[0], raw.target == 0)


def test_digits_and_diabetes():
    X, Y, labels = cu.load_digits()
    assert X.shape == (64, 1797) and Y.shape == (10, 1797) and X.max() == 1.0
    np.testing.assert_array_equal(Y.argmax(axis=0), labels)
    X, Y, names = cu.load_diabetes()
    assert X.shape == (10, 442) and Y.shape == (1, 442)


def test_split_cannot_leak_and_keeps_pairs_together():
    m = 101
    X = np.vstack([np.arange(m), np.arange(m) * 2.0])  # column i is identifiable by its value
    Y = np.arange(m, dtype=float).reshape(1, -1)
    X_train, X_test, Y_train, Y_test = cu.train_test_split(X, Y, test_fraction=0.3, seed=1)
    train_ids, test_ids = set(X_train[0]), set(X_test[0])
    assert not train_ids & test_ids
    assert train_ids | test_ids == set(range(m))
    assert X_test.shape[1] == 30
    np.testing.assert_array_equal(X_train[0], Y_train[0])  # each label stayed with its example


def test_standardizer_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    X_train = rng.normal(5, 2, (3, 200))
    X_test = rng.normal(8, 2, (3, 50))
    scaler = cu.Standardizer().fit(X_train)
    np.testing.assert_allclose(scaler.transform(X_train).mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(scaler.transform(X_train).std(axis=1), 1)
    assert np.all(scaler.transform(X_test).mean(axis=1) > 1)  # the test shift is kept, not hidden
    constant = np.ones((1, 4))
    np.testing.assert_array_equal(cu.Standardizer().fit_transform(constant), 0)


def test_metrics_against_a_hand_count():
    y_true = np.array([1, 1, 1, 0, 0, 0, 0, 1])
    y_pred = np.array([1, 0, 1, 0, 1, 0, 0, 1])
    tp, fp, fn = 3, 1, 1
    assert cu.accuracy(y_true, y_pred) == 6 / 8  # not the error rate
    np.testing.assert_array_equal(cu.confusion_matrix(y_true, y_pred), [[3, 1], [1, 3]])
    precision, recall, f1 = cu.precision_recall_f1(y_true, y_pred)
    assert (precision, recall) == (tp / (tp + fp), tp / (tp + fn))
    assert f1 == pytest.approx(2 * precision * recall / (precision + recall))
    assert cu.f1_score(y_true.reshape(1, -1), y_pred.reshape(1, -1)) == f1
    with pytest.raises(ValueError, match="Y_true has 8 labels but Y_pred has 7"):
        cu.accuracy(y_true, y_pred[:7])


def test_training_changes_weights_and_biases_and_lowers_the_cost():
    X, Y = cu.make_moons(200, seed=0)
    start = cu.initialize_parameters([2, 16, 16, 1], seed=0)
    trained, costs = cu.train(X, Y, [2, 16, 16, 1], learning_rate=0.5, epochs=200, parameters=start)
    for key in start:
        assert not np.allclose(trained[key], start[key]), f"{key} did not change"
    assert costs[-1] < 0.5 * costs[0]
    assert cu.accuracy(Y, cu.predict(X, trained)) > 0.9


def test_train_equals_the_explicit_loop():
    X, Y = cu.make_xor(64, seed=2)
    parameters = cu.initialize_parameters([2, 5, 1], init="xavier", seed=5)
    loop = parameters
    for _ in range(20):
        AL, cache = cu.forward_propagation(X, loop, "tanh", "sigmoid")
        loop = cu.update_parameters(loop, cu.backpropagation(cache, Y, loop), 0.3)
    trained, _ = cu.train(X, Y, [2, 5, 1], "tanh", "sigmoid", 0.3, epochs=20, parameters=parameters)
    for key in loop:
        np.testing.assert_allclose(trained[key], loop[key], rtol=1e-12, atol=1e-15)


def test_minibatches_cover_every_example_once_per_epoch():
    """With learning rate tiny the mini-batch epoch approximates one full step; all examples used."""
    X, Y = cu.make_moons(100, seed=1)
    p0 = cu.initialize_parameters([2, 4, 1], seed=0)
    _, costs = cu.train(X, Y, [2, 4, 1], epochs=5, batch_size=32, learning_rate=0.5, parameters=p0)
    assert len(costs) == 5 and costs[-1] < costs[0]


def test_softmax_network_learns_spirals():
    X, Y = cu.make_spirals(300, classes=3, seed=0)
    trained, costs = cu.train(X, Y, [2, 64, 3], output_activation="softmax", learning_rate=1.0, epochs=400)
    assert cu.accuracy(Y.argmax(axis=0), cu.predict(X, trained, output_activation="softmax")) > 0.9


def test_plots_draw_what_they_are_given():
    X, Y = cu.make_moons(60)
    ax = plotting.plot_decision_boundary(lambda P: (P[0] > 0.5).astype(int), X, Y, resolution=50)
    assert len(ax.collections) >= 2
    ax = plotting.plot_learning_curves({"train": [3, 2, 1], "test": [3, 2.5, 2]})
    assert [line.get_label() for line in ax.get_lines()] == ["train", "test"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), [3, 2, 1])
    report = {"W1": cu.WorstEntry(1e-9, (0, 0), 1.0, 1.0, 0.01), "b1": cu.WorstEntry(1e-3, (0, 0), 1.0, 1.001, 50.0)}
    ax = plotting.plot_gradient_check(report)
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == [0.01, 50.0]
    xx, yy, labels = plotting.decision_grid(lambda P: (P[0] > 0).astype(int), X, resolution=20)
    assert labels.shape == (20, 20) and set(np.unique(labels)) == {0, 1}
    plt.close("all")


def test_importing_the_core_does_not_import_matplotlib_or_widgets():
    import subprocess
    import sys
    code = "import sys, course_utils; print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
