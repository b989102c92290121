"""Issue 21: layerfit's messages in Korean (layerfit.config.set_language('ko')).

The catalogue (src/layerfit/_messages/ko.py) maps English templates to Korean ones, applied in
errors.explain. These tests hold it to four promises: every Korean form keeps exactly the
placeholders of its English template; every message docs/errors.md lists has a Korean form (a
missing one fails here, it is not a silent English fallback); real models raise the Korean
message under the setting and the English one without it; and no Korean text mixes in English
prose, only code.
"""

import re
from pathlib import Path

import numpy as np
import pytest

import layerfit as keras
from layerfit import _messages
from layerfit._messages import ko
from layerfit.errors import LayerfitError, LayerfitValueError, LayerfitWarning
from layerfit.layers import Dense, Input

DOCS = Path(__file__).resolve().parents[1] / "docs" / "errors.md"
PREFIXES = ("Expected: ", "Fix: ")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture
def korean():
    keras.config.set_language("ko")
    yield
    keras.config.set_language(None)


@pytest.fixture(autouse=True)
def english_environment(monkeypatch):
    """English unless a test asks: the machine's own locale must not decide these tests."""
    for variable in ("LAYERFIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    keras.config.set_language(None)


# -- the catalogue ----------------------------------------------------------------------------


def _all_entries():
    return list(ko.MESSAGES.items()) + list(ko.FRAGMENTS.items())


@pytest.mark.parametrize(("english", "korean_form"), _all_entries())
def test_every_korean_form_has_exactly_the_placeholders_of_its_english_template(
    english, korean_form
):
    assert sorted(_messages.placeholders(korean_form)) == sorted(_messages.placeholders(english)), (
        english
    )


def english_prose_runs(text: str) -> list[str]:
    """Runs of two or more English prose words in ``text``, outside code.

    Code is removed first: `backticked` spans, 'quoted' and "quoted" spans, and {placeholders}.
    A prose word is then a whitespace-separated token that, stripped of the punctuation around
    it, is two or more lowercase ASCII letters: names (Dense, Keras, JPEG), one-letter
    variables (x, y, n) and tokens with code characters (model.fit(), loss=, x_train, 1e-4) are
    not prose. One such word alone is allowed (a term like softmax or fit); two in a row is an
    English phrase left in a Korean sentence.
    """
    text = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"|\{[^}]*\}", " ", text)
    runs, run = [], []
    for token in text.split():
        word = token.strip(",.:;!?()[]")
        if re.fullmatch(r"[a-z]{2,}", word) and word == token.strip(",.:;!?"):
            run.append(word)
            continue
        if len(run) >= 2:
            runs.append(" ".join(run))
        run = []
    if len(run) >= 2:
        runs.append(" ".join(run))
    return runs


def test_the_mixing_check_finds_english_phrases_and_spares_code():
    assert english_prose_runs("레이블이 one-hot labels 입니다") == []  # one-hot is one token
    assert english_prose_runs("학습은 계속되지만 the weights are 쓸 수 없습니다") == [
        "the weights are"
    ]
    assert english_prose_runs("fit에 validation_split=0.2 또는 'val loss' 를 넘기세요") == []
    assert english_prose_runs("예: classes, y = np.unique(y, return_inverse=True)") == []
    assert english_prose_runs("Dense, Dropout, GlobalAveragePooling1D 등") == []


@pytest.mark.parametrize(("english", "korean_form"), _all_entries())
def test_no_korean_form_mixes_in_english_prose(english, korean_form):
    if korean_form == english and re.search(r"[=(]", english):
        return  # code kept as written: LearningRateScheduler(lambda epoch, lr: lr * 0.95)
    assert english_prose_runs(korean_form) == [], korean_form
    if english_prose_runs(english) and english != korean_form:
        assert HANGUL.search(korean_form), f"left in English: {korean_form}"


# -- every message docs/errors.md lists --------------------------------------------------------


def documented_messages() -> list[tuple[str, list[str]]]:
    """(first line, [what, expected, fix]) of each ```text block of docs/errors.md."""
    blocks = re.findall(r"```text\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    messages = []
    for block in blocks:
        lines = block.strip().splitlines()
        first = lines[0].split(": ", 1)[1]  # drop "LayerfitValueError: "
        parts = [first] + [
            line.removeprefix(prefix)
            for line in lines[1:]
            for prefix in PREFIXES
            if line.startswith(prefix)
        ]
        messages.append((lines[0], parts))
    return messages


def test_docs_list_the_messages_this_test_reads():
    assert len(documented_messages()) >= 30


@pytest.mark.parametrize(("first_line", "parts"), documented_messages(), ids=lambda v: str(v)[:50])
def test_every_message_of_docs_errors_md_has_a_korean_form(first_line, parts):
    missing = [part for part in parts if _messages.lookup(part, "ko") is None]
    assert missing == [], f"no Korean form in src/layerfit/_messages/ko.py for: {missing}"
    for part in parts:
        translated = _messages.translate(part, "ko")
        assert HANGUL.search(translated) or translated == part, translated


def test_code_and_values_stay_as_written():
    part = (
        "loss='categorical_crossentropy' got labels of shape (None,), which look like integer "
        "class ids, for outputs of shape (None, 10)."
    )
    translated = _messages.translate(part, "ko")
    for code in ("loss='categorical_crossentropy'", "(None,)", "(None, 10)"):
        assert code in translated
    assert "정수 클래스 번호" in translated


def test_prose_placeholders_are_translated_and_lists_keep_their_values():
    translated = _messages.translate(
        "Did you mean 'sparse_categorical_crossentropy' or 'categorical_crossentropy'?", "ko"
    )
    assert translated == (
        "혹시 'sparse_categorical_crossentropy' 또는 'categorical_crossentropy'을(를) "
        "쓰려고 했나요?"
    )
    assert (
        _messages.translate("Unknown loss 'msee'.", "ko")
        == "알 수 없는 손실 함수 이름 'msee'입니다."
    )


# -- real models: Korean under the setting, English without it -------------------------------


def _pixels(n=32):
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(n, 784)).astype("float32"), rng.integers(0, 10, size=n)


def _mlp(units=10, activation="softmax"):
    return keras.Sequential(
        [Input(shape=(784,)), Dense(8, activation="relu"), Dense(units, activation=activation)]
    )


def _one_hot_into_sparse():
    x, y = _pixels()
    model = _mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(x / 255.0, keras.utils.to_categorical(y, 10), epochs=1, verbose=0)


def _ids_into_categorical():
    x, y = _pixels()
    model = _mlp()
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    model.fit(x / 255.0, y, epochs=1, verbose=0)


def _one_based_labels():
    x, y = _pixels()
    model = _mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(x / 255.0, np.arange(32) % 10 + 1, epochs=1, verbose=0)


def _misspelt_loss():
    _mlp().compile(loss="sparse_categorical_coressentropy")


def _images_into_flat_input():
    model = _mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(np.zeros((8, 28, 28), "float32"), np.zeros(8, "int64"), epochs=1, verbose=0)


def _fit_before_compile():
    x, y = _pixels()
    _mlp().fit(x / 255.0, y, epochs=1, verbose=0)


def _nan_in_x():
    x, y = _pixels()
    x = x / 255.0
    x[5, 3] = np.nan
    model = _mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(x, y, epochs=1, verbose=0)


def _x_and_y_lengths_differ():
    x, y = _pixels()
    model = _mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(x / 255.0, y[:10], epochs=1, verbose=0)


def _binary_labels_0_to_9():
    x, y = _pixels()
    model = _mlp(1, "sigmoid")
    model.compile(loss="binary_crossentropy", optimizer="adam")
    model.fit(x / 255.0, y, epochs=1, verbose=0)


def _one_sample_without_batch_axis():
    x, _ = _pixels()
    _mlp().predict(x[0] / 255.0, verbose=0)


def _ten_columns_into_eight_features():
    model = keras.Sequential([Input(shape=(8,)), Dense(1)])
    model.compile(loss="mse", optimizer="adam")
    model.fit(np.zeros((16, 10), "float32"), np.zeros(16, "float32"), epochs=1, verbose=0)


def _fractional_batch_size():
    x, y = _pixels()
    model = _mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(x / 255.0, y, batch_size=2.5, epochs=1, verbose=0)


def _a_number_as_callbacks():
    x, y = _pixels()
    model = _mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(x / 255.0, y, callbacks=5, epochs=1, verbose=0)


def _labels_past_num_classes():
    keras.utils.to_categorical(np.array([1, 5, 12]), 10)


def _early_stopping_mode_typo():
    keras.callbacks.EarlyStopping(mode="minn")


def _save_without_extension():
    _mlp().save("my_model")


def _dropout_rate_of_one():
    keras.layers.Dropout(1.0)


def _minus_one_in_input_shape():
    Input(shape=(-1,))


def _zero_units():
    Dense(0)


ERRORS = [
    (_dropout_rate_of_one, "Dropout got rate=1.0", "Dropout에 rate=1.0이(가)"),
    (_minus_one_in_input_shape, "write None", "None으로 쓰세요"),
    (_zero_units, "a positive integer", "양의 정수"),
    (_save_without_extension, "Invalid filepath extension", "확장자가 잘못되었습니다"),
    (_labels_past_num_classes, "with num_classes=10", "num_classes=10과 함께"),
    (_early_stopping_mode_typo, "got mode='minn'", "mode='max'를 쓰세요"),
    (_fractional_batch_size, "Round it: batch_size=2", "반올림하세요: batch_size=2"),
    (_a_number_as_callbacks, "callbacks is 5 (int)", "callbacks가 5(int)입니다"),
    (_one_sample_without_batch_axis, "without the batch axis", "배치 축이 없는"),
    (_ten_columns_into_eight_features, "built for 8 features", "목표값 열을"),
    (_one_hot_into_sparse, "which look one-hot", "원-핫으로 보이는"),
    (_ids_into_categorical, "look like integer class ids", "정수 클래스 번호로 보이는"),
    (_one_based_labels, "the labels look 1-based", "1부터 시작하는"),
    (_misspelt_loss, "Unknown loss", "알 수 없는 손실 함수"),
    (_images_into_flat_input, "flatten each sample", "펼치세요"),
    (_fit_before_compile, "was called before model.compile()", "호출했습니다"),
    (_nan_in_x, "NaN and", "NaN 값"),
    (_x_and_y_lengths_differ, "samples but y has", "샘플은"),
    (_binary_labels_0_to_9, "got labels from 0 to 9", "레이블이 들어왔습니다"),
]


@pytest.mark.parametrize(
    ("mistake", "english", "korean_words"), ERRORS, ids=lambda v: getattr(v, "__name__", "")[:40]
)
def test_learner_mistakes_raise_korean_under_the_setting_and_english_without(
    mistake, english, korean_words, korean
):
    with pytest.raises(LayerfitError) as in_korean:
        mistake()
    keras.config.set_language("en")
    with pytest.raises(LayerfitError) as in_english:
        mistake()
    english_text, korean_text = str(in_english.value), str(in_korean.value)
    assert type(in_korean.value) is type(in_english.value)  # the exception type does not change
    assert english in english_text and "Fix: " in english_text
    assert korean_words in korean_text and "해결 방법: " in korean_text
    assert english not in korean_text and "Fix:" not in korean_text
    # Every line is a Korean sentence; the code and values inside it are those of English.
    assert all(HANGUL.search(line) for line in korean_text.splitlines())
    for code in re.findall(r"loss='\w+'|\(None, \d+\)", english_text):
        assert code in korean_text


def test_warnings_are_translated_too(korean):
    x, y = _pixels()
    model = _mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    with pytest.warns(LayerfitWarning, match="스케일링되지 않은") as caught:
        model.fit(x, y, epochs=1, verbose=0)  # pixels 0..255, not divided
    text = str(caught[0].message)
    assert "x = x / 255.0" in text and "해결 방법: 255로 나누세요" in text


def test_early_stopping_on_a_missing_key_in_korean(korean):
    x, y = _pixels()
    model = _mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_acc")
    with pytest.warns(LayerfitWarning) as caught:
        model.fit(x / 255.0, y, epochs=1, verbose=0, validation_split=0.25, callbacks=[stop])
    text = "\n".join(str(w.message) for w in caught)
    assert "EarlyStopping이(가) 모니터링하는 'val_acc'은(는) 로그에 없으므로" in text
    assert "monitor='val_accuracy'를 쓰세요" in text


# -- choosing the language ---------------------------------------------------------------------


def test_english_is_the_default():
    assert keras.config.get_language() == "en"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LAYERFIT_LANG": "ko"}, "ko"),
        ({"LAYERFIT_LANG": "en", "LANG": "ko_KR.UTF-8"}, "en"),  # the explicit setting wins
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),  # LC_ALL decides, as in POSIX
        ({"LC_MESSAGES": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, "ko"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "en"),
    ],
)
def test_the_environment_and_the_locale_choose_the_language(monkeypatch, environment, expected):
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert keras.config.get_language() == expected


def test_set_language_wins_over_the_environment_and_none_gives_it_back(monkeypatch):
    monkeypatch.setenv("LAYERFIT_LANG", "ko")
    keras.config.set_language("en")
    assert keras.config.get_language() == "en"
    keras.config.set_language(None)
    assert keras.config.get_language() == "ko"
    keras.config.set_language("ko_KR")
    assert keras.config.get_language() == "ko"


def test_an_unknown_language_names_the_choices():
    with pytest.raises(LayerfitValueError, match=r"Unknown language 'fr'") as info:
        keras.config.set_language("fr")
    assert "set_language('ko')" in str(info.value)


# -- printed notices: early stopping, data loading, the CLI ----------------------------------


def _stop_early(capsys):
    x, y = _pixels()
    model = _mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    # min_delta larger than any change: no epoch after the first improves, so it stops at 2.
    stop = keras.callbacks.EarlyStopping(
        monitor="loss", patience=1, min_delta=1e9, restore_best_weights=True, verbose=1
    )
    model.fit(x / 255.0, y, epochs=5, verbose=0, callbacks=[stop])
    return capsys.readouterr().out


def test_early_stopping_and_restore_lines_in_korean_and_english(capsys):
    english = _stop_early(capsys)
    assert "Epoch 2: early stopping" in english
    assert "Restoring model weights from the end of the best epoch: 1." in english
    keras.config.set_language("ko")
    try:
        korean_text = _stop_early(capsys)
    finally:
        keras.config.set_language(None)
    assert "에포크 2: 조기 종료" in korean_text
    assert "가장 좋았던 에포크가 끝났을 때의 모델 가중치로 되돌립니다: 1." in korean_text
    assert "early stopping" not in korean_text


def test_found_files_notices_in_korean(tmp_path, capsys, korean):
    from PIL import Image

    for name in ("cat", "dog"):
        (tmp_path / name).mkdir()
        for i in range(3):
            Image.new("RGB", (8, 8), (i * 40, 0, 0)).save(tmp_path / name / f"{i}.png")
    keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(8, 8), validation_split=0.5, subset="training", seed=1
    )
    out = capsys.readouterr().out
    assert "클래스 2개에 속한 파일 6개를 찾았습니다." in out
    assert "학습에 파일 3개를 씁니다." in out


def test_the_cli_help_in_korean(capsys, korean):
    from layerfit import cli

    with pytest.raises(SystemExit):
        cli.main(["demo", "--help"])
    out = capsys.readouterr().out
    assert "최대 에포크 수(조기 종료)" in out and "--patience" in out
    assert "at most this many" not in out


def test_docs_errors_ko_md_shows_every_documented_message_in_korean():
    korean_docs = (DOCS.parent / "errors.ko.md").read_text(encoding="utf-8")
    for _, parts in documented_messages():
        for part in parts:
            assert _messages.translate(part, "ko") in korean_docs, part
    for term in (
        "은닉층",
        "과적합",
        "학습률",
        "검증 데이터",
        "손실 함수",
        "활성화 함수",
        "조기 종료",
    ):
        assert term in korean_docs  # the glossary


def test_readme_ko_first_example_runs_and_speaks_korean(data_dir, capsys):
    readme = DOCS.parents[1] / "README.ko.md"
    code = re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), flags=re.S)[1]
    assert "epochs=50" in code and 'set_language("ko")' in code
    try:
        exec(compile(code.replace("epochs=50", "epochs=2"), "README.ko.md", "exec"), {})
        assert keras.config.get_language() == "ko"
    finally:
        keras.config.set_language(None)
    out = capsys.readouterr().out
    assert "Total params: 269,322" in out and "Epoch 2/2" in out  # Keras's own format
    loss, accuracy = eval(out.strip().splitlines()[-2])
    assert accuracy > 0.95  # two epochs of the seed MLP on real MNIST


def documented_headings() -> list[str]:
    """The ### headings of docs/errors.md that are a whole first line of a message."""
    headings = re.findall(r"^### (.*)$", DOCS.read_text(encoding="utf-8"), flags=re.M)
    # "Your input ran out of data; ..." is the start of a longer message, tested below.
    return [h for h in headings if h.endswith(".") and "..." not in h and "ran out" not in h]


@pytest.mark.parametrize("heading", documented_headings())
def test_every_whole_heading_of_docs_errors_md_has_a_korean_form(heading):
    assert _messages.lookup(heading, "ko") is not None, heading


def test_a_generator_that_runs_dry_says_so_in_korean(korean):
    def batches():
        for _ in range(3):
            yield np.zeros((4, 784), "float32"), np.zeros(4, "int64")

    model = _mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    with pytest.warns(LayerfitWarning) as caught:
        model.fit(batches(), steps_per_epoch=2, epochs=3, verbose=0)
    text = "\n".join(str(w.message) for w in caught)
    assert "입력 데이터가 바닥나서 학습을 중단합니다" in text and "steps_per_epoch" in text


def test_saving_as_h5_warns_in_korean(tmp_path, korean):
    with pytest.warns(LayerfitWarning, match="Keras 2의 예전 형식") as caught:
        _mlp().save(tmp_path / "model.h5")
    assert "'model.keras'로 저장하세요" in str(caught[0].message)
