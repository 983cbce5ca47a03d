"""Data sets in the course's layout: X is n_features x m, Y is n_outputs x m (examples are columns).

Synthetic sets are generated from a seed, so the same call always gives the same data. The real
sets ship inside scikit-learn's wheel: nothing is downloaded.
"""

import numpy as np

from ._validation import as_matrix, check_positive_int


def _check_size(m, noise):
    check_positive_int(m, "m")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")


def _labelled(points, labels):
    """points: m x 2, labels: m -> X: 2 x m, Y: 1 x m (floats)."""
    return points.T.copy(), labels.reshape(1, -1).astype(np.float64)


def make_moons(m=200, noise=0.2, seed=0):
    """Two interleaving half circles. Returns X: 2 x m, Y: 1 x m with labels 0/1."""
    _check_size(m, noise)
    rng = np.random.default_rng(seed)
    labels = np.arange(m) % 2
    angle = rng.uniform(0, np.pi, m)
    x = np.where(labels == 0, np.cos(angle), 1 - np.cos(angle))
    y = np.where(labels == 0, np.sin(angle), 0.5 - np.sin(angle))
    points = np.column_stack([x, y]) + noise * rng.standard_normal((m, 2))
    return _labelled(points, labels)


def make_circles(m=200, noise=0.1, factor=0.5, seed=0):
    """A small circle (label 1) inside a large one (label 0). Returns X: 2 x m, Y: 1 x m."""
    _check_size(m, noise)
    rng = np.random.default_rng(seed)
    labels = np.arange(m) % 2
    angle = rng.uniform(0, 2 * np.pi, m)
    radius = np.where(labels == 1, factor, 1.0)
    points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    points += noise * rng.standard_normal((m, 2))
    return _labelled(points, labels)


def make_spirals(m=300, classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms, one per class (CS231n's toy set).

    Returns X: 2 x m and Y: classes x m, one-hot columns (use a softmax output).
    """
    _check_size(m, noise)
    check_positive_int(classes, "classes")
    rng = np.random.default_rng(seed)
    labels = np.arange(m) % classes
    radius = rng.uniform(0.05, 1, m)
    angle = labels * 2 * np.pi / classes + 4 * radius + noise * rng.standard_normal(m)
    X = np.vstack([radius * np.sin(angle), radius * np.cos(angle)])
    return X, one_hot(labels, classes)


def make_xor(m=200, noise=0.1, seed=0):
    """Four clusters at (+-1, +-1); label 1 where the signs differ (XOR). X: 2 x m, Y: 1 x m."""
    _check_size(m, noise)
    rng = np.random.default_rng(seed)
    corners = rng.choice([-1.0, 1.0], size=(m, 2))
    labels = (corners[:, 0] != corners[:, 1]).astype(int)
    points = corners + noise * rng.standard_normal((m, 2))
    return _labelled(points, labels)


def make_regression_1d(m=100, noise=0.1, degree=3, seed=0):
    """Noisy samples of a fixed polynomial on [-1, 1]: y = f(x) + noise.

    The polynomial's coefficients come from the seed too. Returns X: 1 x m, Y: 1 x m.
    """
    _check_size(m, noise)
    check_positive_int(degree, "degree")
    rng = np.random.default_rng(seed)
    coefficients = rng.standard_normal(degree + 1)
    x = np.sort(rng.uniform(-1, 1, m))
    y = np.polyval(coefficients, x) + noise * rng.standard_normal(m)
    return x.reshape(1, -1), y.reshape(1, -1)


def one_hot(labels, classes=None):
    """Integer labels of shape (m,) -> one-hot matrix classes x m (column i has a 1 in row labels[i])."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be a 1-D array of integers, got shape {labels.shape} and dtype {labels.dtype}")
    if labels.size and labels.min() < 0:
        raise ValueError(f"labels must be >= 0, got {labels.min()}")
    classes = int(labels.max()) + 1 if classes is None else classes
    if labels.size and labels.max() >= classes:
        raise ValueError(f"labels must be < classes={classes}, got {labels.max()}")
    Y = np.zeros((classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1
    return Y


def load_breast_cancer():
    """Wisconsin breast cancer (scikit-learn's bundled copy): 569 tumours, 30 features.

    scikit-learn codes malignant as 0; here malignant = 1, the positive class a screening test
    looks for. Returns X: 30 x 569, Y: 1 x 569 (1 = malignant, 212 of them), feature names.
    """
    from sklearn.datasets import load_breast_cancer as _load

    data = _load()
    Y = (data.target == 0).astype(np.float64).reshape(1, -1)
    return data.data.T.copy(), Y, list(data.feature_names)


def load_digits():
    """Handwritten digits (scikit-learn's bundled copy): 1,797 images of 8 x 8 pixels, values 0..16.

    Returns X: 64 x 1797 (pixels scaled to [0, 1]), Y: 10 x 1797 one-hot, labels: (1797,) ints.
    """
    from sklearn.datasets import load_digits as _load

    data = _load()
    labels = data.target.astype(int)
    return data.data.T / 16.0, one_hot(labels, 10), labels


def load_diabetes():
    """Diabetes progression (regression; scikit-learn's bundled copy): 442 patients, 10 features.

    Returns X: 10 x 442, Y: 1 x 442 (disease progression one year later), feature names.
    """
    from sklearn.datasets import load_diabetes as _load

    data = _load()
    return data.data.T.copy(), data.target.reshape(1, -1).astype(np.float64), list(data.feature_names)


def train_test_split(X, Y, test_fraction=0.2, seed=0):
    """Split the columns (examples) of X and Y into a training part and a test part.

    One random permutation of the column indices is cut in two, so no example can land on both
    sides. X: n_0 x m, Y: n_L x m. Returns X_train, X_test, Y_train, Y_test (columns of the inputs).
    """
    X = as_matrix(X, "X")
    Y = as_matrix(Y, "Y")
    if Y.shape[1] != X.shape[1]:
        raise ValueError(f"X has {X.shape[1]} examples (columns) but Y has {Y.shape[1]}; they must match")
    if not (isinstance(test_fraction, float) and 0 < test_fraction < 1):
        raise ValueError(f"test_fraction must be a float strictly between 0 and 1, got {test_fraction!r}")
    m = X.shape[1]
    n_test = int(round(m * test_fraction))
    if n_test < 1 or n_test > m - 1:
        raise ValueError(f"test_fraction={test_fraction} leaves {n_test} of {m} examples for testing; "
                         "both parts need at least one")
    order = np.random.default_rng(seed).permutation(m)
    test, train = order[:n_test], order[n_test:]
    return X[:, train], X[:, test], Y[:, train], Y[:, test]


class Standardizer:
    """Rescale each feature (row) to mean 0 and standard deviation 1, using training data only.

    fit(X_train) learns the per-row mean and std (n_0 x 1 each); transform(X) applies them to any
    set, so no statistic of the test set ever leaks into training. Constant rows are left at 0.
    """

    def fit(self, X):
        """Learn mean and std from X: n_0 x m. Returns self."""
        X = as_matrix(X, "X")
        self.mean = X.mean(axis=1, keepdims=True)
        std = X.std(axis=1, keepdims=True)
        self.std = np.where(std > 0, std, 1.0)
        return self

    def transform(self, X):
        """(X - mean) / std with the fitted statistics. X: n_0 x m'. Returns a new n_0 x m' array."""
        if not hasattr(self, "mean"):
            raise ValueError("Standardizer.transform was called before fit; call fit(X_train) first")
        X = as_matrix(X, "X", rows=self.mean.shape[0])
        return (X - self.mean) / self.std

    def fit_transform(self, X):
        """fit(X) then transform(X)."""
        return self.fit(X).transform(X)


# ----------------------------------------------------------------------------------------------
# Toy sequence tasks (notebook 11), in the recurrent layout x: (n_x, m, T_x), Y: n_y x m
# ----------------------------------------------------------------------------------------------
def _one_hot_sequences(tokens, n_x):
    """tokens: m x T_x ints (-1 for "no token") -> x: (n_x, m, T_x) one-hot (all zeros where -1)."""
    m, T_x = tokens.shape
    x = np.zeros((n_x, m, T_x))
    examples, steps = np.nonzero(tokens >= 0)
    x[tokens[examples, steps], examples, steps] = 1
    return x


def make_first_token(m=512, T_x=20, tokens=2, seed=0):
    """"Remember the first token": the label of a sequence is its first token; the rest is noise.

    Every step holds one of ``tokens`` symbols, drawn at random; the label is the symbol of step 1.
    An extra input, the last row of x, is 1 at step 1 and 0 after it: a start-of-sequence marker,
    so a model can tell the step to remember from the others. To answer at the end it must carry
    what it saw at step 1 across T_x - 1 steps of the same kind of input: a long-range dependency.
    Chance is 1 / tokens.
    Returns x: (tokens + 1, m, T_x), Y: tokens x m one-hot, labels: (m,) ints.
    """
    check_positive_int(m, "m")
    check_positive_int(T_x, "T_x")
    check_positive_int(tokens, "tokens")
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, tokens, (m, T_x))
    x = np.zeros((tokens + 1, m, T_x))
    x[:tokens] = _one_hot_sequences(symbols, tokens)
    x[tokens, :, 0] = 1  # the start marker
    labels = symbols[:, 0]
    return x, one_hot(labels, tokens), labels


def make_adding_problem(m=512, T_x=20, seed=0):
    """The adding problem (Hochreiter & Schmidhuber 1997): add the two marked numbers of a sequence.

    Row 0 of x holds random values in [0, 1); row 1 marks two steps with a 1, one in the first
    half of the sequence and one in the second. The target is the sum of the two marked values
    (a regression, in [0, 2)); predicting the mean, 1, gives a mean squared error of 1/6.
    Returns x: (2, m, T_x), Y: 1 x m. T_x must be at least 2.
    """
    check_positive_int(m, "m")
    check_positive_int(T_x, "T_x")
    if T_x < 2:
        raise ValueError(f"T_x must be at least 2 (one marked step in each half), got {T_x}")
    rng = np.random.default_rng(seed)
    values = rng.random((m, T_x))
    half = T_x // 2
    first, second = rng.integers(0, half, m), rng.integers(half, T_x, m)
    markers = np.zeros((m, T_x))
    markers[np.arange(m), first] = 1
    markers[np.arange(m), second] = 1
    Y = (values[np.arange(m), first] + values[np.arange(m), second]).reshape(1, m)
    return np.stack([values, markers]), Y  # (2, m, T_x)


SENTIMENT_VOCABULARY = ("not", "very", "good", "great", "bad", "awful", ",")
_POSITIVE, _NEGATIVE = ("good", "great"), ("bad", "awful")


def make_negation_sentiment(m=400, seed=0):
    """Short sentences of a tiny grammar with negation, labelled positive (1) or negative (0).

    A clause is ["not"] ["very"] adjective, with adjectives good, great (positive) and bad, awful
    (negative); "not" flips the clause. A sentence is one clause, or two clauses of the same
    sentiment joined by ",": "good", "not bad", "very bad, not good", "good, not bad". The last two
    are made of the same words, so only the word *order* tells them apart.
    Sequences are left-padded with empty steps (all-zero inputs) to the longest length, 7, so the
    last step of every sequence is its last word.
    Returns x: (7, m, 7) one-hot over SENTIMENT_VOCABULARY, Y: 2 x m one-hot (row 1 = positive),
    labels: (m,) ints, sentences: a list of m strings.
    """
    check_positive_int(m, "m")
    rng = np.random.default_rng(seed)

    def clause(positive):
        negated = bool(rng.integers(2))
        words = ["not"] if negated else []
        if rng.integers(2):
            words.append("very")
        adjectives = _POSITIVE if positive != negated else _NEGATIVE
        return words + [adjectives[int(rng.integers(2))]]

    T_x = 7
    labels = rng.integers(0, 2, m)
    sentences, tokens = [], np.full((m, T_x), -1)
    for i, label in enumerate(labels):
        words = clause(bool(label))
        if rng.integers(2):
            words = words + [","] + clause(bool(label))
        sentences.append(" ".join(words).replace(" ,", ","))
        tokens[i, T_x - len(words):] = [SENTIMENT_VOCABULARY.index(word) for word in words]
    return _one_hot_sequences(tokens, len(SENTIMENT_VOCABULARY)), one_hot(labels, 2), labels, sentences
