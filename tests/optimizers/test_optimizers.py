"""Optimizers: first steps against numpy versions of Keras's formulas, arguments, state."""

import math

import numpy as np
import pytest
import torch

from layerfit import optimizers
from layerfit.errors import (
    LayerfitDeprecationWarning,
    LayerfitRuntimeError,
    LayerfitTypeError,
    LayerfitValueError,
    LayerfitWarning,
)
from layerfit.optimizers import schedules

RNG = np.random.default_rng(2)
W0 = RNG.normal(size=(3, 2))
GRADS = [RNG.normal(size=(3, 2)) for _ in range(3)]
B0 = RNG.normal(size=(2,))
BIAS_GRADS = [RNG.normal(size=(2,)) for _ in range(3)]


def run(optimizer, grads=GRADS, bias_grads=BIAS_GRADS, w0=W0, b0=B0):
    """Applies len(grads) steps to two parameters; returns their values as float64 arrays."""
    w = torch.nn.Parameter(torch.tensor(w0, dtype=torch.float32))
    b = torch.nn.Parameter(torch.tensor(b0, dtype=torch.float32))
    optimizer.build([w, b])
    for g, gb in zip(grads, bias_grads):
        w.grad = torch.tensor(g, dtype=torch.float32)
        b.grad = torch.tensor(gb, dtype=torch.float32)
        optimizer.step()
        optimizer.zero_grad()
    return w.detach().double().numpy(), b.detach().double().numpy()


# -- numpy references of Keras's update_step (one parameter; state in a dict) -------------


def np_sgd(w, grads, lr=0.01, momentum=0.0, nesterov=False):
    m = np.zeros_like(w)
    for g in grads:
        if momentum:
            m = m * momentum - g * lr
            w = w + (m * momentum - g * lr if nesterov else m)
        else:
            w = w - g * lr
    return w


def np_adam(w, grads, lr=0.001, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False, wd=None):
    m, v, vh = np.zeros_like(w), np.zeros_like(w), np.zeros_like(w)
    for t, g in enumerate(grads, 1):
        if wd:
            w = w - w * wd * lr
        alpha = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        m = m + (g - m) * (1 - b1)
        v = v + (g**2 - v) * (1 - b2)
        if amsgrad:
            vh = np.maximum(vh, v)
        w = w - m * alpha / (np.sqrt(vh if amsgrad else v) + eps)
    return w


def np_rmsprop(w, grads, lr=0.001, rho=0.9, momentum=0.0, eps=1e-7, centered=False):
    v, mom, avg = np.zeros_like(w), np.zeros_like(w), np.zeros_like(w)
    for g in grads:
        v = rho * v + (1 - rho) * g**2
        if centered:
            avg = rho * avg + (1 - rho) * g
            denominator = v - avg**2 + eps
        else:
            denominator = v + eps
        increment = lr * g / np.sqrt(denominator)
        if momentum > 0:
            mom = momentum * mom + increment
            w = w - mom
        else:
            w = w - increment
    return w


def np_adagrad(w, grads, lr=0.001, initial=0.1, eps=1e-7):
    acc = np.full_like(w, initial)
    for g in grads:
        acc = acc + g**2
        w = w - lr * g / np.sqrt(acc + eps)
    return w


def np_adadelta(w, grads, lr=0.001, rho=0.95, eps=1e-7):
    acc_g, acc_d = np.zeros_like(w), np.zeros_like(w)
    for g in grads:
        acc_g = rho * acc_g + (1 - rho) * g**2
        delta = -np.sqrt(acc_d + eps) * g / np.sqrt(acc_g + eps)
        acc_d = rho * acc_d + (1 - rho) * delta**2
        w = w + lr * delta
    return w


def np_adamax(w, grads, lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    m, u = np.zeros_like(w), np.zeros_like(w)
    for t, g in enumerate(grads, 1):
        m = m + (g - m) * (1 - b1)
        u = np.maximum(b2 * u, np.abs(g))
        w = w - lr * m / ((1 - b1**t) * (u + eps))
    return w


def np_nadam(w, grads, lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    m, v, u_product = np.zeros_like(w), np.zeros_like(w), 1.0
    for t, g in enumerate(grads, 1):
        u_product = u_product * b1 * (1 - 0.5 * 0.96**t)
        u_t = b1 * (1 - 0.5 * 0.96**t)
        u_t_1 = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        u_product_t_1 = u_product * u_t_1
        m = m + (g - m) * (1 - b1)
        v = v + (g**2 - v) * (1 - b2)
        m_hat = u_t_1 * m / (1 - u_product_t_1) + (1 - u_t) * g / (1 - u_product)
        v_hat = v / (1 - b2**t)
        w = w - m_hat * lr / (np.sqrt(v_hat) + eps)
    return w


CASES = {
    "sgd": (lambda: optimizers.SGD(0.1), lambda w, g: np_sgd(w, g, lr=0.1)),
    "sgd_momentum": (
        lambda: optimizers.SGD(0.1, momentum=0.9),
        lambda w, g: np_sgd(w, g, lr=0.1, momentum=0.9),
    ),
    "sgd_nesterov": (
        lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
        lambda w, g: np_sgd(w, g, lr=0.1, momentum=0.9, nesterov=True),
    ),
    "adam": (lambda: optimizers.Adam(0.1), lambda w, g: np_adam(w, g, lr=0.1)),
    "adam_amsgrad": (
        lambda: optimizers.Adam(0.1, amsgrad=True),
        lambda w, g: np_adam(w, g, lr=0.1, amsgrad=True),
    ),
    "adamw": (lambda: optimizers.AdamW(0.1), lambda w, g: np_adam(w, g, lr=0.1, wd=0.004)),
    "rmsprop": (lambda: optimizers.RMSprop(0.1), lambda w, g: np_rmsprop(w, g, lr=0.1)),
    "rmsprop_momentum_centered": (
        lambda: optimizers.RMSprop(0.1, momentum=0.5, centered=True),
        lambda w, g: np_rmsprop(w, g, lr=0.1, momentum=0.5, centered=True),
    ),
    "adagrad": (lambda: optimizers.Adagrad(0.1), lambda w, g: np_adagrad(w, g, lr=0.1)),
    "adadelta": (lambda: optimizers.Adadelta(1.0), lambda w, g: np_adadelta(w, g, lr=1.0)),
    "adamax": (lambda: optimizers.Adamax(0.1), lambda w, g: np_adamax(w, g, lr=0.1)),
    "nadam": (lambda: optimizers.Nadam(0.1), lambda w, g: np_nadam(w, g, lr=0.1)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_first_steps_match_numpy_keras_formula(case):
    make, reference = CASES[case]
    w, b = run(make())
    np.testing.assert_allclose(w, reference(W0, GRADS), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b, reference(B0, BIAS_GRADS), rtol=1e-5, atol=1e-6)


def test_rmsprop_keras_docstring_example():
    var = torch.nn.Parameter(torch.tensor(10.0))
    opt = optimizers.RMSprop(learning_rate=0.1)
    opt.build([var])
    var.grad = var.detach().clone()  # d(var**2 / 2) / d(var)
    opt.step()
    assert var.item() == pytest.approx(9.683772, abs=1e-6)


def test_keras_adam_differs_from_torch_adam_epsilon_placement():
    w, _ = run(optimizers.Adam(0.1, epsilon=0.1))
    torch_w = torch.nn.Parameter(torch.tensor(W0, dtype=torch.float32))
    torch_opt = torch.optim.Adam([torch_w], lr=0.1, eps=0.1)
    for g in GRADS:
        torch_w.grad = torch.tensor(g, dtype=torch.float32)
        torch_opt.step()
    np.testing.assert_allclose(w, np_adam(W0, GRADS, lr=0.1, eps=0.1), rtol=1e-5, atol=1e-6)
    assert not np.allclose(w, torch_w.detach().numpy(), atol=1e-4)


def test_defaults_and_positional_learning_rate_match_keras():
    assert optimizers.SGD(0.5).learning_rate == 0.5
    assert optimizers.SGD().get_config()["momentum"] == 0.0
    adam = optimizers.Adam()
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon, adam.amsgrad) == (
        0.001, 0.9, 0.999, 1e-7, False,
    )  # fmt: skip
    assert optimizers.AdamW().weight_decay == 0.004
    rms = optimizers.RMSprop()
    assert (rms.learning_rate, rms.rho, rms.momentum, rms.epsilon, rms.centered) == (
        0.001, 0.9, 0.0, 1e-7, False,
    )  # fmt: skip
    ada = optimizers.Adagrad()
    assert (ada.learning_rate, ada.initial_accumulator_value, ada.epsilon) == (0.001, 0.1, 1e-7)
    assert optimizers.Adadelta().rho == 0.95
    names = [opt().name for opt in (optimizers.SGD, optimizers.Adam, optimizers.RMSprop,
                                    optimizers.Adagrad, optimizers.AdamW)]  # fmt: skip
    assert names == ["sgd", "adam", "rm_sprop", "adagrad", "adam_w"]  # Keras 3.15 auto-names


def test_weight_decay_is_applied_before_the_update():
    w, _ = run(optimizers.SGD(0.1, weight_decay=0.5))
    expected = W0.copy()
    for g in GRADS:
        expected = expected - expected * 0.5 * 0.1 - 0.1 * g
    np.testing.assert_allclose(w, expected, rtol=1e-5, atol=1e-6)


def test_weight_decay_exclusion_by_parameter():
    opt = optimizers.SGD(0.1, weight_decay=0.5)
    w = torch.nn.Parameter(torch.ones(2))
    b = torch.nn.Parameter(torch.ones(2))
    opt.exclude_from_weight_decay(var_list=[b])
    opt.build([w, b])
    w.grad, b.grad = torch.zeros(2), torch.zeros(2)
    opt.step()
    assert w.tolist() == pytest.approx([0.95, 0.95]) and b.tolist() == [1.0, 1.0]


def test_clipnorm_clipvalue_and_global_clipnorm():
    g = np.array([[3.0, 4.0]])  # norm 5
    gb = np.array([0.0, 12.0])  # norm 12; global norm 13
    w0, b0 = np.zeros((1, 2)), np.zeros(2)
    w, b = run(optimizers.SGD(1.0, clipnorm=1.0), [g], [gb], w0, b0)
    np.testing.assert_allclose(w, -g / 5, atol=1e-6)
    np.testing.assert_allclose(b, -gb / 12, atol=1e-6)
    w, b = run(optimizers.SGD(1.0, clipvalue=3.5), [g], [gb], w0, b0)
    np.testing.assert_allclose(w, -np.clip(g, -3.5, 3.5), atol=1e-6)
    np.testing.assert_allclose(b, -np.clip(gb, -3.5, 3.5), atol=1e-6)
    w, b = run(optimizers.SGD(1.0, global_clipnorm=2.6), [g], [gb], w0, b0)
    np.testing.assert_allclose(w, -g * 2.6 / 13, atol=1e-6)
    np.testing.assert_allclose(b, -gb * 2.6 / 13, atol=1e-6)
    w, _ = run(optimizers.SGD(1.0, clipnorm=100.0), [g], [gb], w0, b0)
    np.testing.assert_allclose(w, -g, atol=1e-6)  # below the norm: unchanged


def test_clipping_leaves_grad_untouched():
    w = torch.nn.Parameter(torch.zeros(2))
    opt = optimizers.SGD(1.0, clipnorm=1.0)
    opt.build([w])
    w.grad = torch.tensor([3.0, 4.0])
    opt.step()
    assert w.grad.tolist() == [3.0, 4.0]


def test_only_one_clipping_argument():
    with pytest.raises(LayerfitValueError, match="Only one of"):
        optimizers.Adam(clipnorm=1.0, clipvalue=1.0)


def test_gradient_accumulation_updates_with_the_mean_gradient():
    grads = GRADS + [RNG.normal(size=(3, 2))]
    bias = BIAS_GRADS + [RNG.normal(size=(2,))]
    opt = optimizers.Adam(0.1, gradient_accumulation_steps=2)
    w, _ = run(opt, grads, bias)
    means = [(grads[0] + grads[1]) / 2, (grads[2] + grads[3]) / 2]
    np.testing.assert_allclose(w, np_adam(W0, means, lr=0.1), rtol=1e-5, atol=1e-6)
    assert opt.iterations == 2 and opt._iterations == 4


def test_ema_averages_weights_and_finalize_overwrites():
    opt = optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5)
    w = torch.nn.Parameter(torch.tensor(W0, dtype=torch.float32))
    opt.build([w])
    values, average = [], None
    for g in GRADS:
        w.grad = torch.tensor(g, dtype=torch.float32)
        opt.step()
        values.append(w.detach().double().numpy().copy())
        average = values[-1] if average is None else 0.5 * average + 0.5 * values[-1]
    opt.finalize_variable_values([w])
    np.testing.assert_allclose(w.detach().numpy(), average, rtol=1e-5, atol=1e-6)


def test_loss_scale_factor_unscales_gradients():
    w, _ = run(optimizers.SGD(0.1, loss_scale_factor=4.0))
    np.testing.assert_allclose(w, np_sgd(W0, [g / 4 for g in GRADS], lr=0.1), atol=1e-6)
    assert optimizers.SGD(loss_scale_factor=4.0).scale_loss(2.0) == 8.0


# -- learning rate -------------------------------------------------------------------------


def test_setting_learning_rate_takes_effect_on_the_next_step():
    opt = optimizers.SGD(0.1)
    w = torch.nn.Parameter(torch.zeros(1))
    opt.build([w])
    w.grad = torch.ones(1)
    opt.step()
    opt.learning_rate = 0.01
    opt.step()
    assert w.item() == pytest.approx(-0.11, abs=1e-7)
    opt.learning_rate.assign(1.0)
    opt.step()
    assert w.item() == pytest.approx(-1.11, abs=1e-6)
    assert opt.learning_rate.numpy() == np.float32(1.0)


def test_learning_rate_schedule_is_read_each_step():
    schedule = schedules.PiecewiseConstantDecay([1], [1.0, 0.1])
    opt = optimizers.SGD(schedule)
    w = torch.nn.Parameter(torch.zeros(1))
    opt.build([w])
    for _ in range(3):
        w.grad = torch.ones(1)
        opt.step()
    assert w.item() == pytest.approx(-1.0 - 1.0 - 0.1, abs=1e-6)  # steps 0 and 1 use 1.0
    assert opt.learning_rate == pytest.approx(0.1)
    with pytest.raises(LayerfitTypeError, match="LearningRateSchedule"):
        opt.learning_rate = 0.5
    callable_opt = optimizers.SGD(lambda: 0.25)
    assert callable_opt.learning_rate == 0.25


def test_schedules_match_keras_formulas():
    assert schedules.ExponentialDecay(0.1, 10, 0.5)(5) == pytest.approx(0.1 * 0.5**0.5)
    assert schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True)(15) == pytest.approx(0.05)
    pcd = schedules.PiecewiseConstantDecay([100, 110], [1.0, 0.5, 0.1])
    assert [pcd(s) for s in (0, 100, 101, 110, 111)] == [1.0, 1.0, 0.5, 0.5, 0.1]
    cosine = schedules.CosineDecay(0.1, 100, alpha=0.1)
    assert cosine(25) == pytest.approx(0.1 * (0.9 * 0.5 * (1 + math.cos(math.pi / 4)) + 0.1))
    assert cosine(500) == pytest.approx(0.01)
    warm = schedules.CosineDecay(0.0, 100, warmup_target=0.1, warmup_steps=10)
    assert warm(5) == pytest.approx(0.05) and warm(10) == pytest.approx(0.1)
    assert schedules.PolynomialDecay(0.1, 10, end_learning_rate=0.0, power=2)(5) == pytest.approx(
        0.025
    )
    assert schedules.InverseTimeDecay(0.1, 1, 0.5)(2) == pytest.approx(0.05)
    restored = schedules.deserialize(schedules.serialize(cosine))
    assert restored.get_config() == cosine.get_config()
    with pytest.raises(LayerfitValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(LayerfitValueError, match="len\\(values\\)"):
        schedules.PiecewiseConstantDecay([1, 2], [1.0])


# -- keyword errors ------------------------------------------------------------------------


def test_lr_keyword_is_deprecated_but_works():
    with pytest.warns(LayerfitDeprecationWarning, match="learning_rate=0.05"):
        opt = optimizers.Adam(lr=0.05)
    assert opt.learning_rate == 0.05
    with pytest.warns(LayerfitDeprecationWarning, match="learning_rate"):
        assert opt.lr == 0.05


def test_decay_keyword_warns_and_is_ignored():
    with pytest.warns(LayerfitWarning, match="no longer supported"):
        opt = optimizers.SGD(0.1, decay=1e-6)
    assert opt.learning_rate == 0.1


def test_unknown_keyword_names_it_and_the_closest_valid_ones():
    with pytest.raises(LayerfitTypeError) as info:
        optimizers.Adam(beta1=0.8)
    message = str(info.value)
    assert "'beta1'" in message and "'beta_1'" in message
    assert isinstance(info.value, TypeError)
    with pytest.raises(LayerfitTypeError, match="'learning_rate'"):
        optimizers.SGD(learning_rat=0.1)


def test_invalid_arguments_explain():
    with pytest.raises(LayerfitTypeError, match="0.001"):
        optimizers.Adam(learning_rate="fast")
    with pytest.raises(LayerfitValueError, match=r"\[0, 1\]"):
        optimizers.SGD(momentum=1.5)
    with pytest.raises(LayerfitValueError, match="Adam instead"):
        optimizers.AdamW(weight_decay=None)
    with pytest.raises(LayerfitValueError, match=">= 2"):
        optimizers.SGD(gradient_accumulation_steps=1)


# -- the step interface --------------------------------------------------------------------


def test_build_skips_frozen_and_repeated_parameters_and_step_skips_none_grads():
    trainable = torch.nn.Parameter(torch.zeros(2))
    frozen = torch.nn.Parameter(torch.zeros(2), requires_grad=False)
    idle = torch.nn.Parameter(torch.zeros(2))
    opt = optimizers.Adam(0.1)
    opt.build([trainable, frozen, trainable, idle])
    assert len(opt._params) == 2 and len(opt.variables) == 4
    trainable.grad = torch.ones(2)
    opt.step()
    assert trainable.tolist() != [0.0, 0.0] and idle.tolist() == [0.0, 0.0]
    assert opt.iterations == 1
    opt.zero_grad()
    assert trainable.grad is None


def test_step_before_build_and_without_gradients_explain():
    opt = optimizers.SGD()
    with pytest.raises(LayerfitRuntimeError, match="build"):
        opt.step()
    opt.build([torch.nn.Parameter(torch.zeros(2))])
    with pytest.raises(LayerfitValueError, match="backward"):
        opt.step()


def test_step_never_syncs_with_the_host(monkeypatch):
    opts = [make() for make, _ in CASES.values()]
    opts.append(optimizers.Adam(0.1, global_clipnorm=1.0, weight_decay=0.1, use_ema=True))
    params = []
    for opt in opts:
        p = torch.nn.Parameter(torch.ones(3))
        opt.build([p])
        params.append(p)

    def forbidden(*args, **kwargs):
        raise AssertionError("host sync in step")

    for name in ("item", "tolist", "__bool__", "__float__", "__int__", "numpy"):
        monkeypatch.setattr(torch.Tensor, name, forbidden)
    for opt, p in zip(opts, params):
        for _ in range(2):
            p.grad = torch.full((3,), 0.5)
            opt.step()


def test_apply_and_apply_gradients():
    w = torch.nn.Parameter(torch.zeros(2))
    opt = optimizers.SGD(0.5)
    opt.apply([torch.ones(2)], [w])
    assert w.tolist() == [-0.5, -0.5]
    assert opt.apply_gradients([(torch.ones(2), w)]) == 2
    assert w.tolist() == [-1.0, -1.0]


def test_state_dict_round_trip_continues_identically():
    def fresh():
        return optimizers.Nadam(0.1)

    first = fresh()
    w_first, b_first = run(first, GRADS[:2], BIAS_GRADS[:2])
    state = {k: v.clone() for k, v in first.state_dict().items()}
    assert state["iterations"].item() == 2 and "momentum/0" in state and "u_product" in state
    assert all(isinstance(v, torch.Tensor) for v in state.values())

    resumed = fresh()
    resumed.load_state_dict(state)  # before build: applied when built
    w, b = run(resumed, GRADS[2:], BIAS_GRADS[2:], w_first, b_first)
    np.testing.assert_allclose(w, np_nadam(W0, GRADS, lr=0.1), rtol=1e-5, atol=1e-6)
    assert resumed.iterations == 3


def test_load_state_dict_mismatch_explains():
    opt = optimizers.Adam()
    opt.build([torch.nn.Parameter(torch.zeros(2))])
    with pytest.raises(LayerfitValueError, match="same optimizer class"):
        opt.load_state_dict({"iterations": torch.tensor(1), "momentum/0": torch.zeros(2)})


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_state_follows_parameters_moved_after_build():
    module = torch.nn.Linear(3, 2)
    before = module.weight.detach().clone()
    opt = optimizers.Adam(0.1)
    opt.build(module.parameters())
    module.to("cuda")
    for p in module.parameters():
        p.grad = torch.ones_like(p)
    opt.step()
    assert all(t.device.type == "cuda" for t in opt.variables)
    # The parameters the optimizer holds are still the module's own: the first Adam step
    # with a constant gradient moves each weight by -learning_rate.
    np.testing.assert_allclose(module.weight.detach().cpu().numpy(), before.numpy() - 0.1,
                               atol=1e-5)  # fmt: skip


# -- lookup and config ---------------------------------------------------------------------

NAMES = {
    "sgd": optimizers.SGD,
    "SGD": optimizers.SGD,
    "adam": optimizers.Adam,
    "Adam": optimizers.Adam,
    "adamw": optimizers.AdamW,
    "rmsprop": optimizers.RMSprop,
    "RMSProp": optimizers.RMSprop,
    "adagrad": optimizers.Adagrad,
    "adadelta": optimizers.Adadelta,
    "adamax": optimizers.Adamax,
    "nadam": optimizers.Nadam,
}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_get_by_name(name):
    assert type(optimizers.get(name)) is NAMES[name]


def test_get_passes_instances_through_and_suggests_on_misspelling():
    opt = optimizers.Adam()
    assert optimizers.get(opt) is opt
    with pytest.raises(LayerfitValueError) as info:
        optimizers.get("adma")
    assert "'adam'" in str(info.value)
    with pytest.raises(LayerfitValueError, match="optimizer='adam'"):
        optimizers.get(3)


@pytest.mark.parametrize("cls", sorted(set(NAMES.values()), key=lambda c: c.__name__))
def test_config_round_trip(cls):
    opt = cls(learning_rate=0.123, clipnorm=2.0)
    restored = optimizers.deserialize(optimizers.serialize(opt))
    assert type(restored) is cls and restored.get_config() == opt.get_config()


def test_config_round_trip_with_schedule():
    opt = optimizers.SGD(schedules.ExponentialDecay(0.1, 10, 0.9), momentum=0.9)
    restored = optimizers.get(optimizers.serialize(opt))
    assert isinstance(restored._learning_rate, schedules.ExponentialDecay)
    assert restored.get_config() == opt.get_config()


def test_rebuild_with_new_parameters_keeps_known_state():
    head = torch.nn.Parameter(torch.zeros(2))
    base = torch.nn.Parameter(torch.zeros(2))
    opt = optimizers.Adam(0.1)
    opt.build([head])
    head.grad = torch.ones(2)
    opt.step()
    momentum = opt._slots["momentum"][0]
    opt.build([head])  # same parameters: nothing changes
    assert opt._slots["momentum"][0] is momentum
    opt.build([base, head])  # unfreezing the base: head keeps its state, base starts at zero
    assert opt._slots["momentum"][1] is momentum
    assert opt._slots["momentum"][0].tolist() == [0.0, 0.0]


def test_apply_to_another_models_variables_is_refused_not_skipped():
    # keras-io "writing a training loop in torch": reusing one optimizer for a fresh model.
    first = [torch.nn.Parameter(torch.ones(2))]
    second = [torch.nn.Parameter(torch.ones(2))]
    opt = optimizers.SGD(learning_rate=0.5)
    opt.apply([torch.ones(2)], first)
    with pytest.raises(LayerfitValueError, match="not built with"):
        opt.apply([torch.ones(2)], second)
    np.testing.assert_allclose(second[0].detach().numpy(), [1.0, 1.0])


def test_apply_with_some_new_variables_joins_them():
    # A model that unfroze a layer: the known variable keeps its state, the new one is updated.
    old, new = torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(2))
    opt = optimizers.SGD(learning_rate=0.5)
    opt.apply([torch.ones(2)], [old])
    opt.apply([torch.ones(2), torch.ones(2)], [old, new])
    np.testing.assert_allclose(old.detach().numpy(), [0.0, 0.0])
    np.testing.assert_allclose(new.detach().numpy(), [0.5, 0.5])
