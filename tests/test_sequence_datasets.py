"""The toy sequence tasks of notebook 11 (course_utils.datasets): layouts, labels, seeds."""

import numpy as np
import pytest

from course_utils.datasets import (
    SENTIMENT_VOCABULARY,
    make_adding_problem,
    make_first_token,
    make_negation_sentiment,
)


def test_first_token_labels_are_the_first_symbol_and_the_marker_is_at_step_one():
    x, Y, labels = make_first_token(m=50, T_x=9, tokens=3, seed=4)
    assert x.shape == (4, 50, 9) and Y.shape == (3, 50) and labels.shape == (50,)
    np.testing.assert_array_equal(x[:3].sum(axis=0), 1)  # one symbol per step
    np.testing.assert_array_equal(x[:3, :, 0].argmax(axis=0), labels)
    np.testing.assert_array_equal(Y.argmax(axis=0), labels)
    np.testing.assert_array_equal(x[3, :, 0], 1)
    assert x[3, :, 1:].sum() == 0
    assert len(set(x[:3, :, 1:].argmax(axis=0).ravel())) == 3  # later steps use the same symbols
    np.testing.assert_array_equal(make_first_token(m=50, T_x=9, tokens=3, seed=4)[0], x)
    assert not np.array_equal(make_first_token(m=50, T_x=9, tokens=3, seed=5)[0], x)


def test_adding_problem_targets_are_the_sum_of_the_two_marked_values():
    x, Y = make_adding_problem(m=40, T_x=10, seed=1)
    assert x.shape == (2, 40, 10) and Y.shape == (1, 40)
    np.testing.assert_array_equal(x[1].sum(axis=1), 2)
    assert (x[1, :, :5].sum(axis=1) == 1).all() and (x[1, :, 5:].sum(axis=1) == 1).all()  # one per half
    np.testing.assert_allclose(Y[0], (x[0] * x[1]).sum(axis=1), rtol=1e-15)
    with pytest.raises(ValueError, match="T_x must be at least 2"):
        make_adding_problem(T_x=1)


def test_negation_sentences_are_labelled_by_their_grammar():
    x, Y, labels, sentences = make_negation_sentiment(m=300, seed=2)
    assert x.shape == (len(SENTIMENT_VOCABULARY), 300, 7) and Y.shape == (2, 300)
    for i, (sentence, label) in enumerate(zip(sentences, labels, strict=True)):
        clauses = sentence.split(", ")
        for clause in clauses:
            words = clause.split()
            adjective_is_positive, negated = words[-1] in ("good", "great"), words[0] == "not"
            assert label == int(adjective_is_positive != negated), sentence  # "not" flips the clause
        steps = x[:, i].argmax(axis=0)[x[:, i].sum(axis=0) == 1]  # the words, in order, without the padding
        assert [SENTIMENT_VOCABULARY[k] for k in steps] == sentence.replace(",", " ,").split()
        assert x[:, i, -1].sum() == 1  # left-padded: the last step is the last word
    assert {"good, not bad", "bad, not good"} <= set(make_negation_sentiment(m=3000, seed=0)[3])


@pytest.mark.parametrize("maker", [make_first_token, make_adding_problem, make_negation_sentiment])
def test_bad_sizes_are_refused(maker):
    with pytest.raises((TypeError, ValueError), match="m"):
        maker(m=0)
