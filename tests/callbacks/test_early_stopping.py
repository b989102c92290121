"""EarlyStopping on scripted metric sequences: stop epochs and restored weights are exact."""

import pytest

from layerfit.callbacks import CallbackList, EarlyStopping, History
from layerfit.errors import LayerfitValueError, LayerfitWarning


class ScriptedModel:
    """Stands in for a model: its 'weights' are the epoch number they were saved at."""

    def __init__(self):
        self.stop_training = False
        self.weights_epoch = None
        self.history = History()

    def get_weights(self):
        return [self.weights_epoch]

    def set_weights(self, weights):
        self.weights_epoch = weights[0]


def run(callback, values, key="val_loss"):
    model = ScriptedModel()
    callbacks = CallbackList([callback, model.history], model=model, epochs=len(values))
    callbacks.call("on_train_begin", None)
    last = None
    for epoch, value in enumerate(values):
        model.weights_epoch = epoch
        callbacks.call("on_epoch_begin", epoch, None)
        last = {key: value}
        callbacks.call("on_epoch_end", epoch, last)
        if model.stop_training:
            break
    callbacks.call("on_train_end", last)
    return model, epoch


def test_patience_counts_epochs_without_strict_improvement():
    es = EarlyStopping(monitor="val_loss", patience=2)
    model, last_epoch = run(es, [1.0, 0.8, 0.8, 0.9, 0.5])
    # 0.8 at epoch 2 equals the best: not an improvement, so epochs 2 and 3 exhaust patience.
    assert last_epoch == 3 and es.stopped_epoch == 3 and es.best_epoch == 1 and es.best == 0.8


def test_min_delta_requires_a_larger_improvement():
    es = EarlyStopping(monitor="val_loss", patience=1, min_delta=0.1)
    _, last_epoch = run(es, [1.0, 0.95, 0.5])
    assert last_epoch == 1 and es.stopped_epoch == 1


def test_restore_best_weights_restores_best_epoch_even_without_stopping():
    es = EarlyStopping(monitor="val_loss", patience=10, restore_best_weights=True)
    model, _ = run(es, [0.5, 0.3, 0.4, 0.35])
    assert es.stopped_epoch == 0  # never stopped early
    assert model.weights_epoch == 1 and es.restored_epoch == 1


def test_mode_auto_maximises_accuracy():
    es = EarlyStopping(monitor="val_accuracy", patience=1)
    _, last_epoch = run(es, [0.5, 0.7, 0.6, 0.9], key="val_accuracy")
    assert es.resolved_mode == "max" and last_epoch == 2 and es.best == 0.7


def test_baseline_must_be_beaten_within_patience():
    # Keras 3: an improvement that misses the baseline does not reset the patience count.
    with_baseline = EarlyStopping(monitor="val_loss", patience=2, baseline=0.5)
    without = EarlyStopping(monitor="val_loss", patience=2)
    assert run(with_baseline, [0.9, 0.95, 1.0, 1.1])[1] == 1
    assert run(without, [0.9, 0.95, 1.0, 1.1])[1] == 2


def test_start_from_epoch_ignores_early_epochs():
    es = EarlyStopping(monitor="loss", patience=1, start_from_epoch=2)
    _, last_epoch = run(es, [1.0, 2.0, 3.0, 4.0, 5.0], key="loss")
    assert last_epoch == 3


def test_verbose_prints_stop_and_restore(capsys):
    es = EarlyStopping(patience=1, verbose=1, restore_best_weights=True)
    run(es, [0.5, 0.6, 0.7])
    out = capsys.readouterr().out
    assert "Epoch 2: early stopping" in out
    assert "Restoring model weights from the end of the best epoch: 1." in out


def test_missing_val_key_warns_once_with_the_fix():
    es = EarlyStopping(monitor="val_loss", patience=1)
    with pytest.warns(LayerfitWarning) as record:
        run(es, [0.5, 0.4, 0.3], key="loss")
    assert len(record) == 1
    message = str(record[0].message)
    assert "'val_loss'" in message and "validation_split" in message and "['loss']" in message


def test_old_metric_name_is_mapped():
    es = EarlyStopping(monitor="val_acc")
    with pytest.warns(LayerfitWarning, match="val_accuracy"):
        run(es, [0.5], key="val_accuracy")


def test_history_links_early_stopping():
    es = EarlyStopping(patience=0)
    model, _ = run(es, [0.5, 0.6])
    assert model.history.early_stopping is es
    assert model.history.history == {"val_loss": [0.5, 0.6]}


def test_bad_mode_is_explained():
    with pytest.raises(LayerfitValueError, match="'auto', 'min' or 'max'"):
        EarlyStopping(mode="minimum")
