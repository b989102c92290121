"""keras.io's "Tune hyperparameters in your custom training loop", with PyTorch's autograd.

The guide's ``HyperModel.fit`` is kept step for step; where it uses TensorFlow
(``tf.data`` batching, ``tf.GradientTape``, ``tf.function``), the same steps are written with
numpy slices and ``loss.backward()``, which is what such a loop looks like on layerfit. The
tuner's callbacks (best-epoch checkpoint included) are driven by the loop itself.
"""

import numpy as np
import pytest
import torch

import layerfit as keras
import layerfit.keras_tuner as keras_tuner


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


class MyHyperModel(keras_tuner.HyperModel):
    def build(self, hp):
        """Builds a convolutional model."""
        inputs = keras.Input(shape=(28, 28, 1))
        x = keras.layers.Flatten()(inputs)
        x = keras.layers.Dense(units=hp.Choice("units", [32, 64, 128]), activation="relu")(x)
        outputs = keras.layers.Dense(10)(x)
        return keras.Model(inputs=inputs, outputs=outputs)

    def fit(self, hp, model, x, y, validation_data, callbacks=None, **kwargs):
        # Batches of the datasets (the guide uses tf.data.Dataset).
        batch_size = hp.Int("batch_size", 32, 128, step=32, default=64)
        train_ds = [
            (x[i : i + batch_size], y[i : i + batch_size]) for i in range(0, len(x), batch_size)
        ]
        x_val, y_val = validation_data
        validation_data = [
            (x_val[i : i + batch_size], y_val[i : i + batch_size])
            for i in range(0, len(x_val), batch_size)
        ]

        # Define the optimizer.
        optimizer = keras.optimizers.Adam(
            hp.Float("learning_rate", 1e-4, 1e-2, sampling="log", default=1e-3)
        )
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        # The metric to track validation loss.
        epoch_loss_metric = keras.metrics.Mean()

        # Function to run the train step (the guide's tf.GradientTape).
        def run_train_step(images, labels):
            logits = model(images)
            loss = loss_fn(labels, logits)
            # Add any regularization losses.
            if model.losses:
                loss += sum(model.losses)
            model.zero_grad()
            loss.backward()
            # (trainable_weights: layerfit has no trainable_variables alias yet)
            gradients = [v.grad for v in model.trainable_weights]
            optimizer.apply_gradients(zip(gradients, model.trainable_weights))

        # Function to run the validation step.
        def run_val_step(images, labels):
            with torch.no_grad():
                logits = model(images)
                loss = loss_fn(labels, logits)
            # Update the metric.
            epoch_loss_metric.update_state(loss)

        # Assign the model to the callbacks.
        for callback in callbacks:
            callback.set_model(model)

        # Record the best validation loss value
        best_epoch_loss = float("inf")

        # The custom training loop.
        for epoch in range(2):
            print(f"Epoch: {epoch}")

            # Iterate the training data to run the training step.
            for images, labels in train_ds:
                run_train_step(images, labels)

            # Iterate the validation data to run the validation step.
            for images, labels in validation_data:
                run_val_step(images, labels)

            # Calling the callbacks after epoch.
            epoch_loss = float(epoch_loss_metric.result())
            for callback in callbacks:
                # The "my_metric" is the objective passed to the tuner.
                callback.on_epoch_end(epoch, logs={"my_metric": epoch_loss})
            epoch_loss_metric.reset_state()

            print(f"Epoch loss: {epoch_loss}")
            best_epoch_loss = min(best_epoch_loss, epoch_loss)

        # Return the evaluation metric value.
        return best_epoch_loss


def test_custom_training_loop_guide(data_dir):
    tuner = keras_tuner.RandomSearch(
        objective=keras_tuner.Objective("my_metric", "min"),
        max_trials=2,
        hypermodel=MyHyperModel(),
        directory="results",
        project_name="custom_training",
        overwrite=True,
    )

    # Get the MNIST dataset.
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    # Normalize the pixel values to the range of [0, 1].
    x_train = x_train.astype("float32") / 255.0
    # Add the channel dimension to the images.
    x_train = np.expand_dims(x_train, -1)
    # Print the shapes of the data.
    x_val, y_val = x_train[300:400], y_train[300:400]  # the guide: 1000 and 100 images
    x_train, y_train = x_train[:300], y_train[:300]

    tuner.search(x=x_train, y=y_train, validation_data=(x_val, y_val))

    best_hps = tuner.get_best_hyperparameters()[0]
    assert set(best_hps.values) == {"units", "batch_size", "learning_rate"}
    best_model = tuner.get_best_models()[0]
    best_model.summary()

    # The checkpoint is the best epoch's weights: its validation loss is the trial's score,
    # the mean of the per-batch losses as the loop computed it (all batches are full here).
    best = tuner.oracle.get_best_trials()[0]
    batch = best_hps.values["batch_size"]
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    losses = [
        float(loss_fn(y_val[i : i + batch], best_model.predict(x_val[i : i + batch], verbose=0)))
        for i in range(0, len(x_val), batch)
    ]
    assert np.mean(losses) == pytest.approx(best.score, rel=1e-5)
