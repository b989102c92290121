"""plot_confusion_matrix: the drawn matrix equals counts made by hand, in every input form."""

from __future__ import annotations

import numpy as np
import pytest

from layerfit.errors import LayerfitValueError
from layerfit.visualization import plot_confusion_matrix

TRUE = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
PRED = np.array([0, 1, 1, 1, 2, 2, 2, 0, 2])
# Counted by hand: rows are true classes, columns predicted ones.
COUNTS = np.array([[1, 1, 0], [0, 2, 1], [1, 0, 3]], dtype=float)


def drawn_matrix(figure):
    return np.asarray(figure.axes[0].images[0].get_array())


def cell_texts(figure):
    return [t.get_text() for t in figure.axes[0].texts]


def probabilities(labels, classes=3, seed=0):
    """Rows whose largest entry is at ``labels``, summing to 1."""
    rng = np.random.default_rng(seed)
    rows = rng.random((len(labels), classes)) * 0.4
    rows[np.arange(len(labels)), labels] += 1.0
    return rows / rows.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    ("y_true", "y_pred"),
    [
        (TRUE, PRED),
        (TRUE.tolist(), PRED.tolist()),
        (np.eye(3)[TRUE], np.eye(3)[PRED]),  # one-hot
        (TRUE[:, None], probabilities(PRED)),  # a label column and softmax outputs
    ],
)
def test_counts_equal_the_hand_count(y_true, y_pred):
    figure = plot_confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(drawn_matrix(figure), COUNTS)
    assert cell_texts(figure) == ["1", "1", "0", "0", "2", "1", "1", "0", "3"]
    assert figure.axes[0].get_xlabel() == "Predicted label"
    assert figure.axes[0].get_ylabel() == "True label"


def test_sigmoid_outputs_are_thresholded_at_one_half():
    y_true = np.array([0, 0, 1, 1, 1])
    y_pred = np.array([[0.2], [0.7], [0.51], [0.49], [0.9]])
    figure = plot_confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(drawn_matrix(figure), [[1, 1], [1, 2]])


@pytest.mark.parametrize(
    ("normalize", "expected"),
    [
        (True, COUNTS / COUNTS.sum(axis=1, keepdims=True)),
        ("true", COUNTS / COUNTS.sum(axis=1, keepdims=True)),
        ("pred", COUNTS / COUNTS.sum(axis=0, keepdims=True)),
        ("all", COUNTS / COUNTS.sum()),
    ],
)
def test_normalized_fractions(normalize, expected):
    figure = plot_confusion_matrix(TRUE, PRED, normalize=normalize)
    np.testing.assert_allclose(drawn_matrix(figure), expected, atol=1e-12)
    assert cell_texts(figure)[0] == f"{expected[0, 0]:.2f}"
    assert "normalized" in figure.axes[0].get_title()
    assert figure.axes[0].images[0].get_clim() == (0.0, 1.0)  # fractions share one scale


def test_a_class_never_seen_normalizes_to_zero_not_nan():
    figure = plot_confusion_matrix(
        [0, 0, 1], [0, 1, 1], class_names=["a", "b", "c"], normalize=True
    )
    matrix = drawn_matrix(figure)
    assert matrix.shape == (3, 3)
    np.testing.assert_array_equal(matrix[2], [0, 0, 0])


def test_class_names_label_the_axes():
    names = ["cat", "dog", "bird"]
    figure = plot_confusion_matrix(TRUE, PRED, class_names=names)
    axis = figure.axes[0]
    assert [t.get_text() for t in axis.get_xticklabels()] == names
    assert [t.get_text() for t in axis.get_yticklabels()] == names


def test_drawing_on_a_given_axis_and_saving(tmp_path, assert_drawn):
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots()
    assert plot_confusion_matrix(TRUE, PRED, ax=axis, save=tmp_path / "cm.png") is figure
    np.testing.assert_array_equal(np.asarray(axis.images[0].get_array()), COUNTS)
    assert_drawn(tmp_path / "cm.png")


def test_lengths_that_differ_are_refused():
    with pytest.raises(LayerfitValueError) as error:
        plot_confusion_matrix(TRUE, PRED[:4])
    assert "9 y_true labels and 4 y_pred" in str(error.value)
    assert "model.predict(x_test)" in str(error.value)


def test_an_unknown_normalize_option_lists_the_valid_ones():
    with pytest.raises(LayerfitValueError) as error:
        plot_confusion_matrix(TRUE, PRED, normalize="rows")
    assert "normalize='rows'" in str(error.value) and "'pred'" in str(error.value)


def test_values_that_are_neither_labels_nor_probabilities_are_refused():
    with pytest.raises(LayerfitValueError) as error:
        plot_confusion_matrix([0, 1], [0.5, 2.5])
    assert "y_pred" in str(error.value) and "argmax(axis=1)" in str(error.value)


def test_negative_labels_are_refused():
    with pytest.raises(LayerfitValueError, match="negative class id -1"):
        plot_confusion_matrix([0, -1], [0, 1])


def test_too_few_class_names_are_refused():
    with pytest.raises(LayerfitValueError, match="Label 2 has no entry in class_names"):
        plot_confusion_matrix(TRUE, PRED, class_names=["a", "b"])
