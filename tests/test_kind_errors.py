"""Issue 4, "kinder than Keras": one test per learner mistake, each message naming cause and fix.

Warnings are errors in this suite, so the last tests also prove that correct seed code (the
MNIST MLP, the Fashion-MNIST DNN, the min-max scaled regression, the MNIST CNN) triggers nothing.
"""

import numpy as np
import pytest

import layerfit as keras
from layerfit.errors import (
    LayerfitDeprecationWarning,
    LayerfitError,
    LayerfitRuntimeError,
    LayerfitTypeError,
    LayerfitValueError,
    LayerfitWarning,
)
from layerfit.layers import Dense, Flatten, Input


def pixels(n=48, seed=0):
    """MNIST-shaped data: uint8 images 0-255 and integer labels 0-9."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, 28, 28)).astype("uint8"), rng.integers(0, 10, size=n)


def mnist_mlp(last_units=10, activation="softmax"):
    """The seed-001 model: 784-256-256-10 (narrower here to stay fast)."""
    model = keras.models.Sequential()
    model.add(Input(shape=(784,)))
    model.add(Dense(16, activation="relu"))
    model.add(Dense(last_units, activation=activation))
    return model


def flat(x):
    return (x.reshape(-1, 784) / 255.0).astype("float32")


def message_of(info) -> str:
    return str(info.value)


# 1. Unknown names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "cause", "fix"),
    [
        (
            lambda m: m.compile(loss="sparse_categorical_coressentropy"),
            "'sparse_categorical_coressentropy'",
            "Did you mean 'sparse_categorical_crossentropy'",
        ),
        (
            lambda m: m.compile(loss="mse", metrics=["acuracy"]),
            "'acuracy'",
            "Did you mean 'accuracy'",
        ),
        (lambda m: m.compile(optimizer="adma", loss="mse"), "'adma'", "Did you mean 'adam'"),
        (lambda m: Dense(3, activation="rellu"), "'rellu'", "Did you mean 'relu'"),
        (
            lambda m: Dense(3, kernel_initializer="glorot_unifrom"),
            "'glorot_unifrom'",
            "Did you mean 'glorot_uniform'",
        ),
        (
            lambda m: keras.Sequential([Dense(1)], names="패션 MNIST 모델"),
            "names=",
            "Did you mean name=?",
        ),
        (lambda m: Dense(3, activaton="relu"), "activaton=", "Did you mean activation=?"),
        (lambda m: m.compile(los="mse"), "los=", "Did you mean loss=?"),
    ],
)
def test_1_unknown_names_are_rejected_with_the_closest_valid_name(make, cause, fix):
    model = keras.Sequential([Input(shape=(3,)), Dense(1)])
    with pytest.raises(LayerfitError) as info:
        make(model)
    assert isinstance(info.value, (ValueError, TypeError))  # existing except clauses still work
    assert cause in message_of(info) and fix in message_of(info)


def test_1_suggestions_rank_by_typing_distance():
    from layerfit._registry import closest, edit_distance

    # Hand-counted: one swap; kitten -> sitting is 3 edits; one insertion.
    assert edit_distance("adma", "adam") == 1 and edit_distance("kitten", "sitting") == 3
    assert edit_distance("acuracy", "accuracy") == 1 and edit_distance("", "ab") == 2
    assert closest("adma", ["adamax", "nadam", "adam"])[0] == "adam"


def test_1_names_ignore_case_and_separators():
    with pytest.warns(LayerfitWarning, match="'ReLU' is spelled 'relu' in Keras"):
        assert Dense(3, activation="ReLU").activation is keras.activations.relu
    model = keras.Sequential([Input(shape=(3,)), Dense(2, activation="softmax")])
    model.compile(optimizer="Adam", loss="Sparse-Categorical-Crossentropy", metrics=["Accuracy"])
    assert model.compiled.losses[0].fn_name == "sparse_categorical_crossentropy"


# 2. binary_crossentropy on a multi-class softmax ------------------------------------------------


def test_2_binary_crossentropy_after_softmax_names_the_categorical_losses():
    x, y = pixels()
    model = mnist_mlp()
    model.compile(loss=keras.losses.binary_crossentropy, metrics=["accuracy"], optimizer="adam")
    with pytest.warns(LayerfitWarning) as record:
        model.fit(flat(x), keras.utils.to_categorical(y, 10), epochs=1, verbose=0)
    assert len(record) == 1  # once per fit, not per batch
    text = str(record[0].message)
    assert "binary_crossentropy" in text and "softmax over 10 units" in text
    assert "loss='categorical_crossentropy'" in text


def test_2_multi_label_sigmoid_outputs_are_not_flagged():
    rng = np.random.default_rng(1)
    x, _ = pixels()
    tags = (rng.random((len(x), 5)) > 0.5).astype("float32")  # several labels per sample
    model = mnist_mlp(5, "sigmoid")
    model.compile(loss="binary_crossentropy", metrics=["accuracy"], optimizer="adam")
    model.fit(flat(x), tags, epochs=1, verbose=0)  # any warning fails: filterwarnings = error


# 3. Labels that do not fit the loss -------------------------------------------------------------


@pytest.mark.parametrize(
    ("loss", "labels", "cause", "fix"),
    [
        (
            "sparse_categorical_crossentropy",
            lambda y: keras.utils.to_categorical(y, 10),
            "look one-hot",
            "loss='categorical_crossentropy'",
        ),
        (
            "categorical_crossentropy",
            lambda y: y,
            "integer class ids",
            "keras.utils.to_categorical(y, num_classes=10)",
        ),
        (
            "sparse_categorical_crossentropy",
            lambda y: y + 1,
            "go from 1 to 10",
            "subtract 1 (y = y - 1)",
        ),
        (
            "sparse_categorical_crossentropy",
            lambda y: np.where(y == 0, 12, y),
            "to 12",
            "Dense(13, activation='softmax')",
        ),
    ],
)
def test_3_labels_that_do_not_fit_the_loss(loss, labels, cause, fix):
    x, y = pixels()
    model = mnist_mlp()
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    with pytest.raises(LayerfitValueError) as info:
        model.fit(flat(x), labels(y), epochs=1, verbose=0)
    assert cause in message_of(info) and fix in message_of(info)


def test_3_out_of_range_label_outside_the_first_batch_is_still_found():
    x, y = pixels(96)
    y = y % 9
    y[-1] = 10  # only the last sample, far from the first batch of 32
    model = mnist_mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(LayerfitValueError, match="go from 0 to 10"):
        model.fit(flat(x), y, epochs=1, verbose=0, shuffle=False)


# 4. Output width against the labels -------------------------------------------------------------


def test_4_output_width_that_does_not_match_one_hot_labels():
    x, y = pixels()
    model = mnist_mlp(10)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    with pytest.raises(LayerfitValueError) as info:
        model.fit(flat(x), keras.utils.to_categorical(y % 5, 5), epochs=1, verbose=0)
    text = message_of(info)
    assert "outputs shape (None, 10)" in text and "labels have shape (None, 5)" in text
    assert "Dense(5, activation='softmax')" in text and "num_classes=10" in text


# 5. Outputs that cannot reach the targets, and accuracy on regression ----------------------------


def test_5_softmax_on_one_unit_is_always_one():
    x, y = pixels()
    model = mnist_mlp(1, "softmax")
    model.compile(optimizer="adam", loss="binary_crossentropy")
    with pytest.warns(LayerfitWarning, match="always outputs 1.0") as record:
        model.fit(flat(x), y % 2, epochs=1, verbose=0)
    assert "Dense(1, activation='sigmoid')" in str(record[0].message)


def test_5_sigmoid_output_with_targets_outside_its_range():
    x, y = pixels()
    prices = y * 3.5 + 10.0  # 10.0 .. 41.5
    model = mnist_mlp(1, "sigmoid")
    model.compile(optimizer="adam", loss="mse")
    with pytest.warns(LayerfitWarning) as record:
        model.fit(flat(x), prices, epochs=1, verbose=0)
    text = str(record[0].message)
    assert "sigmoid outputs lie in [0, 1]" in text and "from 10 to 41.5" in text
    assert "Dense(1) with no activation" in text


def test_5_accuracy_on_a_continuous_target():
    x, y = pixels()
    model = mnist_mlp(1, None)
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
    with pytest.warns(LayerfitWarning) as record:
        model.fit(flat(x), y * 0.37, epochs=1, verbose=0)
    text = str(record[0].message)
    assert "metrics=['accuracy'] on continuous targets" in text and "metrics=['mae']" in text


# 6. Input shapes -----------------------------------------------------------------------------------


def test_6_images_into_a_flat_input_suggest_reshape_or_flatten():
    x, y = pixels()
    model = mnist_mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(LayerfitValueError) as info:
        model.fit(x / 255.0, y, epochs=1, verbose=0)
    text = message_of(info)
    assert "'input_layer'" in text and "(None, 784)" in text and "(48, 28, 28)" in text
    assert "x.reshape(-1, 784)" in text and "Flatten()" in text


def test_6_predict_on_one_sample_names_the_missing_batch_axis():
    x, _ = pixels()
    with pytest.raises(LayerfitValueError) as info:
        mnist_mlp().predict(flat(x)[0], verbose=0)
    text = message_of(info)
    assert "x has shape (784,)" in text and "x[None]" in text and "x_test[:1]" in text


def test_6_grayscale_images_into_conv2d_need_the_channel_axis():
    x, y = pixels()
    # No declared Input: Conv2D builds from the data and explains the missing channel axis.
    model = keras.Sequential(
        [keras.layers.Conv2D(2, 3), Flatten(), Dense(10, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(LayerfitValueError) as info:
        model.fit(x / 255.0, y, epochs=1, verbose=0)
    text = message_of(info)
    assert "(None, 28, 28)" in text and "(28, 28, 1)" in text
    assert "x[..., None]" in text


def test_6_declared_channel_axis_is_added_as_keras_does():
    x, y = pixels()
    model = keras.Sequential(
        [
            Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(2, 3),
            Flatten(),
            Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x / 255.0, y, epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1


def test_6_a_failure_inside_the_stack_names_the_layer():
    torch = pytest.importorskip("torch")

    class Project(keras.layers.Layer):
        def call(self, inputs):
            return inputs @ torch.ones(3, 2)

    class Net(keras.Model):  # subclassed: no symbolic build, the first real call fails
        def __init__(self):
            super().__init__()
            self.hidden = Dense(4)
            self.project = Project(name="project")

        def call(self, inputs):
            return self.project(self.hidden(inputs))

    model = Net()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(LayerfitValueError) as info:
        model.fit(np.zeros((8, 5), "float32"), np.zeros((8, 2), "float32"), verbose=0)
    text = message_of(info)
    assert "Layer 'project' (Project) failed on samples of shape (4,)" in text
    assert "cannot be multiplied" in text and "model.summary()" in text


# 7. Unscaled inputs --------------------------------------------------------------------------------


def test_7_unscaled_pixels_suggest_dividing_by_255():
    x, y = pixels()
    model = mnist_mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.warns(LayerfitWarning) as record:
        model.fit(x.reshape(-1, 784), y, epochs=1, verbose=0)
    assert len(record) == 1
    text = str(record[0].message)
    assert "x looks unscaled" in text and "to 255" in text and "x / 255.0" in text


# 8. Data problems --------------------------------------------------------------------------------


def test_8_data_problems_name_counts_and_places():
    x, y = pixels()
    model = mnist_mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(LayerfitValueError, match=r"x has 48 samples but y has 40\."):
        model.fit(flat(x), y[:40], verbose=0)
    with pytest.raises(LayerfitValueError, match=r"x is empty \(0 samples\)"):
        model.fit(flat(x)[:0], y[:0], verbose=0)
    broken = flat(x)
    broken[7, 3], broken[9, 0], broken[20, 1] = np.nan, np.nan, np.inf
    with pytest.raises(LayerfitValueError) as info:
        model.fit(broken, y, verbose=0)
    assert "2 NaN and 1 inf values (first in sample 7)" in message_of(info)
    assert "dropna()" in message_of(info)
    with pytest.raises(LayerfitValueError, match="leaves 0 for training"):
        model.fit(flat(x)[:1], y[:1], validation_split=0.5, verbose=0)


def test_8_dataframe_columns_are_named():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"rooms": [3.0, 4.0, np.nan, 2.0], "city": ["a", "b", "c", "d"]})
    model = keras.Sequential([Input(shape=(2,)), Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(LayerfitValueError, match=r"first in sample 2, columns \['rooms'\]"):
        model.fit(frame, np.zeros(4), verbose=0)
    with pytest.raises(LayerfitTypeError, match=r"non-numeric columns \['city'\]"):
        model.fit(frame.fillna(0.0), np.zeros(4), verbose=0)


# 9. Training problems ------------------------------------------------------------------------------


def test_9_nan_loss_is_named_once_and_training_goes_on_as_in_keras():
    x, y = pixels()
    model = mnist_mlp(1, None)
    model.compile(optimizer="sgd", loss=lambda y_true, y_pred: (y_pred - y_true) ** 2 / 0.0)
    with pytest.warns(LayerfitWarning) as record:
        history = model.fit(flat(x), np.zeros(len(x)), epochs=5, batch_size=16, verbose=0)
    assert len(record) == 1  # once per fit, not per epoch
    text = str(record[0].message)
    assert "at epoch 1, batch 1" in text and "lower the learning rate" in text
    assert "TerminateOnNaN()" in text
    assert len(history.history["loss"]) == 5  # Keras trains on: TerminateOnNaN stops it


def test_9_fit_before_compile():
    with pytest.raises(LayerfitRuntimeError) as info:
        mnist_mlp().fit(np.zeros((4, 784)), np.zeros(4), verbose=0)
    assert "before model.compile()" in message_of(info) and "model.compile(" in message_of(info)


# 10. Monitoring a key that is never logged --------------------------------------------------------


def test_10_early_stopping_on_a_missing_key_names_the_logged_keys():
    x, y = pixels()
    model = mnist_mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    old_name = keras.callbacks.EarlyStopping(monitor="val_acc", patience=1)
    with pytest.warns(LayerfitWarning) as record:
        model.fit(flat(x), y, epochs=2, validation_split=0.25, callbacks=[old_name], verbose=0)
    assert len(record) == 1
    assert "monitor='val_accuracy'" in str(record[0].message)
    no_validation = keras.callbacks.EarlyStopping(monitor="val_loss")
    with pytest.warns(LayerfitWarning) as record:
        model.fit(flat(x), y, epochs=2, callbacks=[no_validation], verbose=0)
    text = str(record[0].message)
    assert "['accuracy', 'loss']" in text and "validation_split=0.2" in text


# 11. Keras 2 spellings: they work, with one deprecation notice ----------------------------------


def test_11_keras2_spellings_work_with_a_notice():
    x, y = pixels()
    with pytest.warns(LayerfitDeprecationWarning, match=r"keras\.utils\.to_categorical"):
        from layerfit.utils import np_utils

        one_hot = np_utils.to_categorical(y, 10)
    np.testing.assert_array_equal(one_hot, keras.utils.to_categorical(y, 10))
    with pytest.warns(LayerfitDeprecationWarning, match="learning_rate"):
        optimizer = keras.optimizers.Adam(lr=0.01)
    assert optimizer.learning_rate == pytest.approx(0.01)
    with pytest.warns(LayerfitDeprecationWarning, match=r"Sequential\(\[layer\]\)"):
        model = keras.Sequential(Dense(10, activation="softmax", input_shape=(784,)))
    with pytest.warns(LayerfitDeprecationWarning, match=r"metrics=\['accuracy'\]"):
        model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics="accuracy")
    with pytest.warns(LayerfitDeprecationWarning, match="epochs="):
        history = model.fit(flat(x), one_hot, nb_epoch=2, verbose=0)
    assert history.epoch == [0, 1]
    with pytest.raises(LayerfitTypeError, match="Did you mean kernel_initializer="):
        Dense(10, init="uniform")  # Keras 1: removed by Keras 2.3, not revived


def test_11_generator_methods_map_to_fit_evaluate_predict():
    x, y = pixels(32)
    data, labels = flat(x), keras.utils.to_categorical(y, 10)
    model = mnist_mlp()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

    def batches():
        while True:
            for start in range(0, 32, 16):
                yield data[start : start + 16], labels[start : start + 16]

    with pytest.warns(LayerfitDeprecationWarning, match=r"model\.fit\(generator"):
        history = model.fit_generator(batches(), steps_per_epoch=2, epochs=2, verbose=0)
    assert history.epoch == [0, 1]
    with pytest.warns(LayerfitDeprecationWarning, match=r"model\.evaluate\(generator"):
        loss, accuracy = model.evaluate_generator(batches(), steps=2)
    assert loss == pytest.approx(model.evaluate(data, labels, verbose=0)[0], rel=1e-5)
    with pytest.warns(LayerfitDeprecationWarning, match=r"model\.predict\(generator"):
        predictions = model.predict_generator(((data[i : i + 16],) for i in (0, 16)), steps=2)
    np.testing.assert_allclose(predictions, model.predict(data, verbose=0), atol=1e-6)


# Correct seed code triggers nothing (warnings are errors here) ----------------------------------


def test_correct_seed_code_triggers_nothing():
    x, y = pixels(64)
    test_x, test_y = pixels(16, seed=1)
    # Seed 001: min-max scaling, one-hot labels, 784-256-256-10, EarlyStopping on val_loss.
    train_x = x.reshape(-1, 784).astype("float32")
    min_n, max_n = train_x.min(), train_x.max()
    train_x = (train_x - min_n) / (max_n - min_n)
    keras.backend.clear_session()
    model = mnist_mlp()
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"], optimizer="adam")
    es = keras.callbacks.EarlyStopping(
        monitor="val_loss", min_delta=0, patience=5, verbose=1, restore_best_weights=True
    )
    model.fit(
        train_x,
        keras.utils.to_categorical(y, 10),
        validation_split=0.2,
        callbacks=[es],
        verbose=0,
        epochs=2,
    )
    # Seed 003: Fashion-MNIST DNN, sparse labels, named layers and model.
    train_scaled = (x / 255.0).reshape(-1, 28 * 28)
    model = keras.Sequential(
        [
            keras.layers.Dense(100, activation="sigmoid", input_shape=(784,), name="hidden"),
            keras.layers.Dense(10, activation="softmax", name="output"),
        ],
        name="패션 MNIST 모델",
    )
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(train_scaled, y, epochs=1, verbose=0)
    loss, accuracy = model.evaluate((test_x / 255.0).reshape(-1, 784), test_y, verbose=0)
    assert 0 <= accuracy <= 1
    assert model.predict((test_x / 255.0).reshape(-1, 784)[:1], verbose=0).shape == (1, 10)


def test_correct_seed_regression_and_cnn_trigger_nothing():
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    rng = np.random.default_rng(2)
    # Seed 002: raw features of very different scales, MinMaxScaler, Dense(1), mse.
    features = rng.normal(size=(80, 8)) * [1, 10, 100, 1000, 5, 50, 500, 2] + 300
    target = features @ rng.normal(size=8) / 1000 + 3.0
    scaler = preprocessing.MinMaxScaler()
    x_train, x_val = scaler.fit_transform(features[:60]), scaler.transform(features[60:])
    model = keras.Sequential([Input(shape=(8,)), Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1), loss="mse")
    history = model.fit(x_train, target[:60], epochs=3, validation_split=0.2, verbose=0).history
    assert set(history) == {"loss", "val_loss"}
    model.evaluate(x_val, target[60:], verbose=0)
    # Seed 004: MNIST CNN with an explicit channel axis, one-hot labels, channels_last.
    x, y = pixels(32)
    images = (x / 255.0).reshape(-1, 28, 28, 1)
    cnn = keras.Sequential(
        [
            keras.layers.Conv2D(4, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)),
            keras.layers.MaxPooling2D(pool_size=(2, 2)),
            keras.layers.Dropout(0.25),
            Flatten(),
            Dense(8, activation="relu"),
            Dense(10, activation="softmax"),
        ]
    )
    cnn.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    cnn.fit(
        images,
        keras.utils.to_categorical(y, 10),
        batch_size=16,
        epochs=1,
        verbose=0,
        validation_split=0.25,
    )
    assert cnn.predict(images[:1], verbose=0).shape == (1, 10)
