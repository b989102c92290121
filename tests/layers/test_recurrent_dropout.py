"""Recurrent dropout and recurrent_dropout against a computation by hand: one mask per sequence."""

import numpy as np
import torch

from layerfit import layers

EYE = np.eye(4, dtype="float32")


def linear_rnn(**kwargs):
    rnn = layers.SimpleRNN(4, activation="linear", use_bias=False, return_sequences=True, **kwargs)
    rnn.build((None, 6, 4))
    return rnn


def test_input_dropout_uses_one_mask_for_every_step():
    rnn = linear_rnn(dropout=0.5)
    rnn.set_weights([EYE, np.zeros((4, 4), "float32")])  # h_t = dropped(x_t)
    out = rnn(torch.ones(64, 6, 4), training=True).detach().numpy()
    assert (out == out[:, :1, :]).all()  # the same inputs dropped at every step
    assert set(np.unique(out)) == {0.0, 2.0}  # kept inputs scaled by 1 / (1 - 0.5)
    assert abs((out[:, 0] == 0).mean() - 0.5) < 4 * np.sqrt(0.25 / 256)  # rate 0.5 of 256 draws


def test_recurrent_dropout_masks_the_state_the_same_way_at_every_step():
    rnn = linear_rnn(recurrent_dropout=0.5)
    rnn.set_weights([EYE, EYE])  # h_t = x_t + dropped(h_{t-1})
    x = torch.zeros(64, 6, 4)
    x[:, 0] = 1.0  # only the first step has input: h_0 = 1
    out = rnn(x, training=True).detach().numpy()
    mask = out[:, 1] / 2  # h_1 = 2 * m * h_0: m in {0, 1}, one per sample and unit
    assert set(np.unique(mask)) == {0.0, 1.0}
    for t in range(1, 6):  # by hand: h_t = 2 * m * h_{t-1} = 2**t * m with the same m
        np.testing.assert_array_equal(out[:, t], 2.0**t * mask)
    inference = rnn(x, training=False).detach().numpy()
    np.testing.assert_array_equal(inference, np.ones_like(inference))  # no dropout: h_t = 1


def test_seeded_recurrent_layers_draw_the_same_masks():
    x = torch.ones(8, 6, 4)
    runs = []
    for _ in range(2):
        rnn = linear_rnn(dropout=0.5, recurrent_dropout=0.5, seed=5)
        rnn.set_weights([EYE, EYE])
        runs.append([rnn(x, training=True).detach().numpy() for _ in range(2)])
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert not np.array_equal(runs[0][0], runs[0][1])  # a stream: each call draws anew
