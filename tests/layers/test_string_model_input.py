"""A string model input (keras-io's end-to-end text models) gets a clear error naming the fix.

text_classification_from_scratch builds ``keras.Input(shape=(1,), dtype="string")`` followed by
TextVectorization; torch has no string tensors, so layerfit runs string layers on the data.
"""

import numpy as np
import pytest

import layerfit as keras
from layerfit import layers
from layerfit.errors import LayerfitTypeError

TEXTS = np.array(["loved it, brilliant film", "hated it, awful film"] * 40)
LABELS = np.array([1, 0] * 40)


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.TextVectorization(vocabulary=["loved", "hated"], output_sequence_length=4),
        lambda: layers.StringLookup(vocabulary=["loved", "hated"]),
        lambda: layers.Hashing(num_bins=8),
    ],
)
def test_string_layers_on_a_string_model_input_name_the_cause_and_the_fix(make):
    layer = make()
    inputs = keras.Input(shape=(1,), dtype="string")
    with pytest.raises(LayerfitTypeError) as caught:
        layer(inputs)
    message = str(caught.value)
    assert f"{type(layer).__name__} '{layer.name}' was called on a string model input" in message
    assert "torch has no string tensors" in message
    assert "Fix: x = layer(texts) before fit" in message
    assert "dtype='int64'" in message


def test_the_suggested_fix_trains_the_keras_io_text_model():
    vectorize = layers.TextVectorization(max_tokens=50, output_sequence_length=6)
    vectorize.adapt(TEXTS)
    x = np.asarray(vectorize(TEXTS))
    assert x.shape == (80, 6)
    inputs = keras.Input(shape=(6,), dtype="int64")
    h = layers.Embedding(50, 8)(inputs)
    h = layers.GlobalAveragePooling1D()(h)
    outputs = layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    history = model.fit(x, LABELS, epochs=5, verbose=0)
    # Two phrases, one word apart: the loss must fall well below chance level log(2) = 0.693.
    assert history.history["loss"][-1] < 0.3
