"""Overriding train_step / test_step as in Keras's "Customizing fit() with PyTorch" guide.

A step that reproduces the built-in one must give the built-in results exactly (same seed, same
data); the steps' own metric names and sample weights must reach the logs.
"""

import numpy as np
import pytest
import torch

import layerfit as keras
from layerfit.utils import unpack_x_y_sample_weight

RNG = np.random.default_rng(0)
X = RNG.random((64, 5)).astype("float32")
Y = (X @ np.arange(5, dtype="float32"))[:, None]


class GuideModel(keras.Model):
    """The guide's first example, word for word."""

    def train_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        loss.backward()
        trainable_weights = [v for v in self.trainable_weights]
        gradients = [v.value.grad for v in trainable_weights]
        with torch.no_grad():
            self.optimizer.apply(gradients, trainable_weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y, _ = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def build(cls):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((5,))
    model = cls(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    return model


def test_a_subclass_called_with_inputs_and_outputs_is_a_functional_model():
    model = build(GuideModel)
    assert isinstance(model, GuideModel) and type(model).__name__ == "GuideModel"
    assert model.output_shape == (None, 1) and len(model.layers) == 2
    assert model(torch.zeros(3, 5)).shape == (3, 1)


def test_the_guides_step_matches_the_built_in_training_exactly():
    custom = build(GuideModel).fit(X, Y, epochs=3, shuffle=False, verbose=0)
    plain = build(keras.Model).fit(X, Y, epochs=3, shuffle=False, verbose=0)
    for key in ("loss", "mae"):
        np.testing.assert_allclose(custom.history[key], plain.history[key], rtol=1e-5)


def test_sample_weights_reach_the_step_and_weight_the_loss_as_built_in():
    # The guide weights its metrics too; Keras's compiled `metrics` are unweighted, so only
    # the loss is comparable with the built-in step.
    weights = RNG.random((64,)).astype("float32")
    custom = build(GuideModel).fit(X, Y, sample_weight=weights, epochs=3, shuffle=False, verbose=0)
    plain = build(keras.Model).fit(X, Y, sample_weight=weights, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(custom.history["loss"], plain.history["loss"], rtol=1e-5)
    assert not np.allclose(custom.history["mae"], plain.history["mae"])  # weighted vs not


def test_a_custom_test_step_runs_validation_and_evaluate():
    model = build(GuideModel)
    history = model.fit(X, Y, epochs=2, validation_split=0.25, shuffle=False, verbose=0)
    reference = build(keras.Model)
    expected = reference.fit(X, Y, epochs=2, validation_split=0.25, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["val_mae"], expected.history["val_mae"], rtol=1e-5)
    loss, mae = model.evaluate(X, Y, verbose=0)
    assert [loss, mae] == pytest.approx(reference.evaluate(X, Y, verbose=0), rel=1e-5)


def test_own_metrics_property_and_no_compiled_loss():
    class OwnTrackers(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = keras.metrics.Mean(name="loss")
            self.error = keras.metrics.MeanAbsoluteError(name="error")

        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = ((y - y_pred) ** 2).mean()
            loss.backward()
            self.optimizer.apply([w.grad for w in self.trainable_weights], self.trainable_weights)
            self.loss_tracker.update_state(loss)
            self.error.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "error": self.error.result()}

        @property
        def metrics(self):
            return [self.loss_tracker, self.error]

    inputs = keras.Input((5,))
    model = OwnTrackers(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer=keras.optimizers.SGD(0.05))
    history = model.fit(X, Y, epochs=3, verbose=0)
    assert sorted(history.history) == ["error", "loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]  # trackers reset per epoch


def test_metrics_list_starts_with_the_loss_as_in_keras():
    model = build(keras.Model)
    model.fit(X, Y, epochs=1, verbose=0)
    assert model.metrics_names == ["loss", "mae"]
    model.reset_metrics()
    assert float(model.metrics[0].result()) == 0.0


def test_unpack_x_y_sample_weight_forms():
    assert unpack_x_y_sample_weight(X) == (X, None, None)
    assert unpack_x_y_sample_weight((X,))[1:] == (None, None)
    assert unpack_x_y_sample_weight([X, Y])[2] is None
    with pytest.raises(keras.errors.LayerfitValueError, match="4 parts"):
        unpack_x_y_sample_weight((X, Y, Y, Y))


@keras.saving.register_keras_serializable(package="CustomSteps")
class SavedGuideModel(GuideModel):
    pass


def test_a_saved_functional_subclass_loads_back_as_that_subclass(tmp_path):
    model = build(SavedGuideModel)
    model.fit(X, Y, epochs=1, verbose=0)
    model.save(tmp_path / "custom.keras")
    loaded = keras.models.load_model(tmp_path / "custom.keras")
    assert isinstance(loaded, SavedGuideModel) and loaded._custom_train_step
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    loaded.fit(X, Y, epochs=1, verbose=0)  # its own train_step, with the restored optimizer


class ScaledPredictions(keras.Model):
    """Overrides predict_step only: fit and evaluate stay built in."""

    def predict_step(self, data):
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)  # Keras hands the bare batch
        return 10.0 * self(x, training=False)


def test_an_own_predict_step_shapes_predict_and_predict_on_batch():
    model = build(ScaledPredictions)
    plain = build(keras.Model)
    expected = X @ plain.get_weights()[0] + plain.get_weights()[1]
    np.testing.assert_allclose(model.predict(X, batch_size=10, verbose=0), 10 * expected, rtol=1e-5)
    np.testing.assert_allclose(model.predict_on_batch(X[:4]), 10 * expected[:4], rtol=1e-5)


class HalfLossLogs(GuideModel):
    """The guide's step, logging half the loss under its own name."""

    def train_step(self, data):
        return {"half_loss": 0.5 * super().train_step(data)["loss"]}


def test_train_on_batch_goes_through_an_own_train_step():
    # Keras's train_on_batch runs the model's train_step, and returns what it logs.
    custom, plain = build(HalfLossLogs), build(keras.Model)
    logs = custom.train_on_batch(X[:16], Y[:16], return_dict=True)
    loss = plain.train_on_batch(X[:16], Y[:16], return_dict=True)["loss"]
    assert list(logs) == ["half_loss"]
    assert logs["half_loss"] == pytest.approx(0.5 * loss, rel=1e-6)
    for a, b in zip(custom.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


class SeesItsBatch(keras.Model):
    """keras-io's VAE / DCGAN: fit(x) without targets, the step reads ops.shape(data)[0]."""

    seen = []

    def train_step(self, data):
        SeesItsBatch.seen.append(type(data))
        self.zero_grad()
        loss = keras.ops.mean(keras.ops.square(self(data)))
        loss.backward()
        self.optimizer.apply([v.value.grad for v in self.trainable_weights], self.trainable_weights)
        return {"loss": loss, "batch": keras.ops.shape(data)[0]}


def test_fit_without_targets_hands_train_step_the_batch_itself_like_keras():
    model = build(SeesItsBatch)
    model.compile(optimizer="sgd")  # no loss: the step computes its own
    history = model.fit(X, epochs=1, batch_size=8, verbose=0)
    assert SeesItsBatch.seen and all(t is torch.Tensor for t in SeesItsBatch.seen)
    assert history.history["loss"]
    # Keras's docstring: pack_x_y_sample_weight(x) is x; a tuple of inputs is wrapped once.
    assert keras.utils.pack_x_y_sample_weight(X) is X
    assert keras.utils.pack_x_y_sample_weight((X, X)) == ((X, X),)
    assert keras.utils.unpack_x_y_sample_weight(keras.utils.pack_x_y_sample_weight(X))[0] is X


class Distiller(keras.Model):
    """keras-io's knowledge distillation (Keras 3): only compute_loss is overridden."""

    def __init__(self, student, teacher):
        super().__init__()
        self.teacher, self.student = teacher, student

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, allow_empty=False):
        teacher_pred = self.teacher(x, training=False)
        return keras.ops.mean(keras.ops.square(y_pred - teacher_pred))

    def call(self, x):
        return self.student(x)


def test_an_own_compute_loss_is_what_fit_and_evaluate_minimise_like_keras():
    teacher = build(keras.Model)
    inputs = keras.Input((5,))
    student = keras.Model(inputs, keras.layers.Dense(1)(inputs))  # other weights than teacher's
    model = Distiller(student, teacher)
    model.compile(optimizer=keras.optimizers.SGD(0.1), metrics=["mae"])
    expected = float(np.mean((student.predict(X, verbose=0) - teacher.predict(X, verbose=0)) ** 2))
    loss, mae = model.evaluate(X, Y, batch_size=len(X), verbose=0)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)
    np.testing.assert_allclose(mae, np.mean(np.abs(student.predict(X, verbose=0) - Y)), rtol=1e-5)
    history = model.fit(X, Y, epochs=5, batch_size=len(X), verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.evaluate(X, Y, batch_size=len(X), verbose=0)[0] < expected
