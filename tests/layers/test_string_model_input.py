"""String model inputs: keras-io's and Deep Learning with Python's end-to-end text models.

``keras.Input(shape=(1,), dtype="string")`` followed by TextVectorization, StringLookup or
Hashing; torch has no string tensors, so the model carries a numpy array of strings through
fit/evaluate/predict and direct calls until a text layer turns it into numbers.
"""

import numpy as np
import pytest

import layerfit as keras
from layerfit import layers
from layerfit.data import Dataset
from layerfit.errors import LayerfitTypeError

GOOD = ["loved it brilliant film", "a brilliant story", "great film loved the cast"]
BAD = ["hated it awful film", "an awful story", "boring film hated the cast"]
TEXTS = np.array((GOOD + BAD) * 10)
LABELS = np.array(([1] * 3 + [0] * 3) * 10)


def _vectorizer(**options):
    options.setdefault("output_sequence_length", 6)
    vectorize = layers.TextVectorization(max_tokens=30, **options)
    vectorize.adapt(TEXTS)
    return vectorize


def _integer_model():
    inputs = keras.Input(shape=(6,), dtype="int64")
    h = layers.Embedding(30, 8)(inputs)
    h = layers.GlobalAveragePooling1D()(h)
    return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(h))


def test_dlwp_inference_model_predicts_as_the_integer_model(tmp_path):
    # Deep Learning with Python, chapter 11: train on integer sequences, then wrap the trained
    # model behind a string Input for inference on raw text.
    vectorize = _vectorizer()
    model = _integer_model()
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    history = model.fit(np.asarray(vectorize(TEXTS)), LABELS, epochs=8, verbose=0)
    assert history.history["loss"][-1] < 0.3  # below chance log(2) = 0.693: it learned

    inputs = keras.Input(shape=(1,), dtype="string")
    outputs = model(vectorize(inputs))
    inference = keras.Model(inputs, outputs)
    raw = np.array(["That was a brilliant film, loved it", "An awful, boring story"])
    expected = model.predict(np.asarray(vectorize(raw)), verbose=0)
    # The same layers on the same ids: equal to float32 rounding.
    np.testing.assert_allclose(inference.predict(raw, verbose=0), expected, rtol=1e-6)
    np.testing.assert_allclose(inference(raw[:, None]).detach().numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(inference([list(raw)[0]]).detach().numpy(), expected[:1], rtol=1e-6)
    assert expected[0, 0] > 0.5 > expected[1, 0]

    path = tmp_path / "inference.keras"
    inference.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.inputs[0].dtype == "string"
    np.testing.assert_allclose(loaded.predict(raw, verbose=0), expected, rtol=1e-6)


def test_end_to_end_string_model_fits_evaluates_and_predicts():
    # keras-io's text_classification_from_scratch, shape=() as in DLwP's third edition.
    vectorize = _vectorizer()
    inputs = keras.Input(shape=(), dtype="string")
    h = layers.Embedding(30, 8)(vectorize(inputs))
    h = layers.GlobalAveragePooling1D()(h)
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(h))
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])  # fmt: skip
    history = model.fit(TEXTS, LABELS, epochs=8, batch_size=8, validation_split=0.2, verbose=0)
    assert history.history["loss"][-1] < 0.3
    assert history.history["val_accuracy"][-1] == 1.0  # the held-out tail repeats the phrases
    loss, accuracy = model.evaluate(list(TEXTS), LABELS, verbose=0)  # a Python list of texts
    assert accuracy == 1.0 and loss < 0.3
    # Batched predict equals one direct call on all texts.
    predicted = model.predict(TEXTS, batch_size=7, verbose=0)
    np.testing.assert_allclose(predicted, model(TEXTS).detach().numpy(), rtol=1e-6)


def test_string_model_trains_on_a_text_dataset_and_on_a_mapped_dataset():
    vectorize = _vectorizer()
    inputs = keras.Input(shape=(1,), dtype="string")
    h = layers.GlobalAveragePooling1D()(layers.Embedding(30, 8)(vectorize(inputs)))
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(h))
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    raw = Dataset.from_tensor_slices((TEXTS, LABELS)).shuffle(60, seed=1).batch(8)
    history = model.fit(raw, epochs=8, verbose=0)
    assert history.history["loss"][-1] < 0.3
    # The numeric part of the model on the dataset vectorized in map (Keras's recommended
    # placement) predicts as the whole model on the raw texts.
    numeric = Dataset.from_tensor_slices((TEXTS, LABELS)).batch(8)
    numeric = numeric.map(lambda x, y: (vectorize(x), y))
    inner = keras.Model(model.layers[2].input, model.output)  # from the Embedding on
    np.testing.assert_allclose(
        inner.predict(numeric, verbose=0), model.predict(TEXTS, verbose=0), rtol=1e-6
    )


def test_string_lookup_and_hashing_on_string_inputs_in_a_functional_model():
    # keras-io's structured-data example: a categorical string column looked up in the model.
    cities = np.array(["paris", "lima", "oslo", "lima", "rome"])
    lookup = layers.StringLookup(vocabulary=["lima", "oslo", "paris"], output_mode="one_hot")
    hashing = layers.Hashing(num_bins=4)
    city = keras.Input(shape=(1,), dtype="string", name="city")
    encoded = lookup(city)
    assert encoded.shape == (None, 4) and encoded.dtype == "float32"
    hashed = hashing(city)
    assert hashed.dtype == "int64"
    model = keras.Model(city, [encoded, hashed])
    one_hot, buckets = model.predict(cities, verbose=0)
    np.testing.assert_array_equal(one_hot, np.asarray(lookup(cities[:, None])))
    np.testing.assert_array_equal(buckets, np.asarray(hashing(cities[:, None])))
    assert one_hot[4].tolist() == [1, 0, 0, 0]  # 'rome': the OOV index


def test_sequential_model_with_a_string_input():
    vectorize = _vectorizer(output_mode="multi_hot", output_sequence_length=None)
    model = keras.Sequential(
        [keras.Input(shape=(1,), dtype="string"), vectorize, layers.Dense(1, "sigmoid")]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy")
    history = model.fit(TEXTS, LABELS, epochs=10, verbose=0)
    assert history.history["loss"][-1] < 0.3
    dense = model.layers[-1]
    expected = dense(vectorize(TEXTS[:4]))  # Dense applies its sigmoid
    np.testing.assert_allclose(model.predict(TEXTS[:4], verbose=0), expected.detach(), rtol=1e-6)


def test_a_numeric_layer_on_a_string_input_names_the_layer_and_the_fix():
    inputs = keras.Input(shape=(1,), dtype="string")
    dense = layers.Dense(4, name="hidden")
    with pytest.raises(LayerfitTypeError) as caught:
        dense(inputs)
    message = str(caught.value)
    assert "Layer 'hidden' (Dense) got text (dtype string)" in message
    assert "TextVectorization" in message and "dtype='string'" in message


def test_text_given_to_a_numeric_model_says_to_vectorize():
    model = keras.Sequential([keras.Input((1,)), layers.Dense(1)])
    model.compile("adam", "mse")
    with pytest.raises(LayerfitTypeError) as caught:
        model.fit(TEXTS, LABELS, epochs=1, verbose=0)
    message = str(caught.value)
    assert (
        f"x holds text (dtype {TEXTS.dtype})" in message
        and "takes numbers (dtype float32)" in message
    )
    assert "vectorize = layers.TextVectorization()" in message
    # A layer called directly on text, outside any model, names itself.
    with pytest.raises(LayerfitTypeError, match=r"Layer 'dense_1' \(Dense\) got text"):
        layers.Dense(2, name="dense_1")(TEXTS[:, None])


def test_numbers_given_to_a_string_input_name_the_input():
    inputs = keras.Input(shape=(1,), dtype="string", name="review")
    model = keras.Model(inputs, _vectorizer()(inputs))
    with pytest.raises(LayerfitTypeError) as caught:
        model.predict(np.zeros((2, 1)), verbose=0)
    message = str(caught.value)
    assert "Input 'review' of model" in message and "declared dtype='string'" in message
    assert "a list or numpy array of strings" in message
