"""plot_history / History.plot: the line data are the history, the marked epochs the right ones."""

from __future__ import annotations

import numpy as np
import pytest

from layerfit.callbacks import EarlyStopping, History
from layerfit.errors import LayerfitTypeError, LayerfitValueError
from layerfit.visualization import plot_history
from layerfit.visualization._history import _RISING, best_epoch, read_curves

VAL_LOSS = [1.0, 0.8, 0.6, 0.65, 0.7, 0.9, 0.95]  # best at index 2; patience 2 stops at 4


def classification_logs(val_loss=VAL_LOSS):
    return [
        {
            "loss": 1.0 / (i + 1),
            "accuracy": 0.5 + 0.05 * i,
            "val_loss": v,
            "val_accuracy": 0.6 + 0.01 * i,
        }
        for i, v in enumerate(val_loss)
    ]


def lines(axis, gid):
    return [line for line in axis.get_lines() if line.get_gid() == gid]


def test_line_data_equal_the_history_values(scripted_fit):
    history = scripted_fit(classification_logs())
    figure = history.plot()
    axes = figure.axes
    assert [a.get_title() for a in axes] == ["loss", "accuracy"]
    for axis, name in zip(axes, ["loss", "accuracy"]):
        for key in (name, "val_" + name):
            (line,) = lines(axis, key)
            np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 8))  # epochs from 1
            np.testing.assert_allclose(line.get_ydata(), history.history[key], atol=0)
            assert line.get_label() == key


def test_early_stopping_epochs_are_marked_on_every_panel(scripted_fit):
    stopper = EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    history = scripted_fit(classification_logs(), stopper)
    # By hand: val_loss is lowest at epoch index 2; two worse epochs stop it at index 4.
    assert (stopper.best_epoch, stopper.stopped_epoch, stopper.restored_epoch) == (2, 4, 2)
    assert len(history.history["loss"]) == 5
    figure = plot_history(history)
    loss_axis, accuracy_axis = figure.axes
    (star,) = lines(loss_axis, "best")
    assert list(star.get_xdata()) == [3] and list(star.get_ydata()) == [0.6]
    assert "best val_loss" in star.get_label() and "epoch 3" in star.get_label()
    assert not lines(accuracy_axis, "best")
    for axis in (loss_axis, accuracy_axis):
        (stopped,) = lines(axis, "stopped")
        (restored,) = lines(axis, "restored")
        assert list(stopped.get_xdata()) == [5, 5] and "epoch 5" in stopped.get_label()
        assert list(restored.get_xdata()) == [3, 3] and "epoch 3" in restored.get_label()


def test_no_stop_and_no_restore_means_no_vertical_lines(scripted_fit):
    stopper = EarlyStopping(monitor="val_loss", patience=10)
    history = scripted_fit(classification_logs(), stopper)
    figure = plot_history(history)
    assert stopper.stopped_epoch == 0
    for axis in figure.axes:
        assert not lines(axis, "stopped") and not lines(axis, "restored")
    (star,) = lines(figure.axes[0], "best")
    assert list(star.get_xdata()) == [3]


def test_min_delta_makes_the_stoppers_best_epoch_win_over_the_minimum(scripted_fit):
    # With min_delta=0.1, 0.65 (index 2) is no improvement over 0.7 (index 1).
    stopper = EarlyStopping(monitor="val_loss", min_delta=0.1, patience=3)
    history = scripted_fit(classification_logs([1.0, 0.7, 0.65, 0.9, 0.95, 1.0]), stopper)
    assert (stopper.best_epoch, stopper.stopped_epoch) == (1, 4)
    (star,) = lines(plot_history(history).axes[0], "best")
    assert list(star.get_xdata()) == [2] and list(star.get_ydata()) == [0.7]


def test_a_rising_monitor_marks_the_maximum(scripted_fit):
    stopper = EarlyStopping(monitor="val_accuracy", patience=2)
    values = [0.5, 0.7, 0.9, 0.85, 0.8, 0.95]
    logs = [{"loss": 1.0, "val_accuracy": v} for v in values]
    history = scripted_fit(logs, stopper)
    assert stopper.stopped_epoch == 4  # 0.85 and 0.8 do not beat 0.9
    figure = plot_history(history)
    (star,) = lines(figure.axes[1], "best")
    assert list(star.get_xdata()) == [3] and list(star.get_ydata()) == [0.9]


def test_a_plain_dict_marks_the_best_val_loss_and_nothing_else():
    record = {"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.8]}
    figure = plot_history(record)
    (axis,) = figure.axes
    (star,) = lines(axis, "best")
    assert list(star.get_xdata()) == [2] and list(star.get_ydata()) == [0.7]
    assert not lines(axis, "stopped") and not lines(axis, "restored")


def test_a_dict_with_its_early_stopping_gets_the_marks(scripted_fit):
    stopper = EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    history = scripted_fit(classification_logs(), stopper)
    figure = plot_history(history.history, early_stopping=stopper)
    assert [list(line.get_xdata()) for line in lines(figure.axes[0], "stopped")] == [[5, 5]]


def test_the_loss_comes_first_whatever_the_logged_order():
    record = {
        "accuracy": [0.5, 0.6],
        "loss": [1.0, 0.8],
        "val_accuracy": [0.4, 0.5],
        "val_loss": [1.2, 1.1],
        "mae": [3.0, 2.0],
    }
    assert [a.get_title() for a in plot_history(record).axes] == ["loss", "accuracy", "mae"]


def test_a_large_best_value_is_written_without_exponent():
    (star,) = lines(plot_history({"loss": [31_234.5, 30_120.2]}).axes[0], "best")
    assert star.get_label() == "best loss 30,120 (epoch 2)"


def test_without_validation_the_training_loss_is_monitored():
    figure = plot_history({"loss": [3.0, 1.0, 2.0], "mae": [2.0, 1.5, 1.0]})
    (star,) = lines(figure.axes[0], "best")
    assert list(star.get_xdata()) == [2] and list(star.get_ydata()) == [1.0]
    assert [a.get_title() for a in figure.axes] == ["loss", "mae"]


def test_nan_epochs_are_plotted_but_never_best():
    figure = plot_history({"loss": [float("nan"), 2.0, 1.5, float("nan")]})
    (star,) = lines(figure.axes[0], "best")
    assert list(star.get_xdata()) == [3]
    assert np.isnan(lines(figure.axes[0], "loss")[0].get_ydata()[0])


def test_initial_epoch_offsets_the_x_axis():
    history = History()
    history.on_train_begin()
    for epoch in (5, 6, 7):
        history.on_epoch_end(epoch, {"loss": 1.0 / epoch})
    (line,) = lines(plot_history(history).axes[0], "loss")
    assert list(line.get_xdata()) == [6, 7, 8]


def test_a_val_series_logged_every_other_epoch_sits_on_its_epochs():
    record = {"loss": [6, 5, 4, 3, 2, 1], "val_loss": [5.5, 3.5, 1.5]}  # validation_freq=2
    (line,) = lines(plot_history(record).axes[0], "val_loss")
    assert list(line.get_xdata()) == [2, 4, 6]


@pytest.mark.parametrize(
    ("metrics", "titles"),
    [
        ("accuracy", ["accuracy"]),
        (["val_loss"], ["loss"]),
        (["Accuracy", "LOSS"], ["accuracy", "loss"]),
        (["acc"], ["accuracy"]),  # the Keras-2 name
        (("loss", "val_loss"), ["loss"]),  # a name and its twin share one panel
    ],
)
def test_metrics_choose_the_panels(metrics, titles, scripted_fit):
    figure = plot_history(scripted_fit(classification_logs()), metrics=metrics)
    assert [a.get_title() for a in figure.axes] == titles


def test_an_unknown_metric_names_the_logged_ones_and_a_close_match(scripted_fit):
    with pytest.raises(LayerfitValueError) as error:
        plot_history(scripted_fit(classification_logs()), metrics="acuracy")
    message = str(error.value)
    assert "'acuracy'" in message and "did you mean 'accuracy'?" in message
    assert "'val_loss'" in message and "compile(metrics=" in message


def test_metrics_of_the_wrong_type_are_refused():
    with pytest.raises(LayerfitTypeError, match="a metric name or a list of names"):
        plot_history({"loss": [1.0]}, metrics=3)


def test_something_that_is_not_a_history_is_refused_with_the_fix():
    with pytest.raises(LayerfitTypeError) as error:
        plot_history([0.5, 0.4])
    assert "list" in str(error.value) and "history = model.fit(...)" in str(error.value)


def test_an_empty_history_says_to_train_first():
    with pytest.raises(LayerfitValueError) as error:
        plot_history(History())
    assert "no epochs" in str(error.value) and "model.fit(" in str(error.value)


def test_a_non_number_in_the_history_is_named():
    with pytest.raises(LayerfitValueError, match=r"history\['loss'\]"):
        plot_history({"loss": [1.0, "abc"]})


def test_an_early_stopping_of_the_wrong_kind_is_refused():
    with pytest.raises(LayerfitTypeError, match="not an EarlyStopping"):
        plot_history({"loss": [1.0]}, early_stopping="es")


def test_drawing_on_given_axes(scripted_fit):
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots()
    assert plot_history({"loss": [2.0, 1.0], "val_loss": [2.5, 1.5]}, ax=axis) is figure
    assert [line.get_gid() for line in axis.get_lines()] == ["loss", "val_loss", "best"]
    figure, axes = plt.subplots(1, 2)
    assert plot_history(scripted_fit(classification_logs()), ax=axes) is figure
    assert [a.get_title() for a in axes] == ["loss", "accuracy"]


def test_too_few_axes_says_how_many_are_needed(scripted_fit):
    import matplotlib.pyplot as plt

    _, axis = plt.subplots()
    with pytest.raises(LayerfitValueError) as error:
        plot_history(scripted_fit(classification_logs()), ax=axis)
    assert "1 matplotlib Axes for 2 panels" in str(error.value)
    assert "plt.subplots(1, 2)" in str(error.value)


def test_save_writes_a_png_that_is_not_blank(tmp_path, assert_drawn, scripted_fit):
    stopper = EarlyStopping(patience=2, restore_best_weights=True)
    history = scripted_fit(classification_logs(), stopper)
    history.plot(save=tmp_path / "curves.png")
    assert_drawn(tmp_path / "curves.png")
    plot_history(history, save=tmp_path / "curves")  # no extension: still a PNG
    assert_drawn(tmp_path / "curves")


def test_the_rising_names_agree_with_early_stopping_auto_mode():
    for name in [
        "loss",
        "val_loss",
        "accuracy",
        "val_accuracy",
        "auc",
        "mae",
        "val_precision",
        "recall",
        "mean_squared_error",
        "f1_score",
        "binary_accuracy",
    ]:
        expected = EarlyStopping(monitor=name).resolved_mode
        rising = any(part in name.removeprefix("val_") for part in _RISING)
        assert ("max" if rising else "min") == expected, name


def test_best_epoch_helper_reads_a_dict():
    curves = read_curves({"loss": [2.0, 1.0, 1.5], "val_loss": [3.0, 2.5, 2.0]})
    assert best_epoch(curves) == ("val_loss", 3.0, 2.0)
