"""Korean (한국어) forms of layerfit's messages: English template -> Korean template.

The terms are those of the Korean course notes (docs/errors.ko.md keeps the glossary): 은닉층,
과적합, 학습률, 검증 데이터, 손실 함수, 활성화 함수, 조기 종료, 원-핫 인코딩. Code, names and
values stay as written; each Korean form has exactly the placeholders of its English template
(tests/test_messages_ko.py checks it).
"""

from layerfit._messages import (
    ko_apps,
    ko_core,
    ko_data,
    ko_data2,
    ko_files,
    ko_kio,
    ko_layers,
    ko_layers2,
    ko_layers3,
    ko_lead,
    ko_metrics,
    ko_new,
    ko_ops,
    ko_saving,
    ko_search,
    ko_symops,
    ko_training,
    ko_tuning,
    ko_viz,
)

LABELS = {"Expected": "올바른 값", "Fix": "해결 방법"}

# Prose that fills a {t_...} placeholder: a word of the message, or a list joined with "or".
FRAGMENTS = {
    "{a} or {t_rest}": "{a} 또는 {t_rest}",
    "loss": "손실 함수",
    "metric": "평가 지표",
    "optimizer": "옵티마이저",
    "activation": "활성화 함수",
    "initializer": "초기화 함수",
    "regularizer": "규제 함수",
    "constraint": "제약 함수",
    "padding": "패딩 방식",
    "interpolation": "보간 방식",
    "archive format": "압축 형식",
    "export format": "내보내기 형식",
    "hash algorithm": "해시 알고리즘",
    "normalize option": "정규화 옵션",
    "the search space's {q_name}": "탐색 공간의 {q_name}",
    # the detail after an old spelling's notice
    "The np_utils module was removed.": "np_utils 모듈은 없어졌습니다.",
    "Keras 3 expects a list (or dict) of metrics.": "Keras 3은 평가 지표의 리스트(또는 "
    "딕셔너리)를 기대합니다.",
    "fit accepts generators and PyDatasets directly.": "fit은 제너레이터와 PyDataset을 바로 "
    "받습니다.",
    "input_length is not needed: the sequence length comes from the data.": "input_length는 "
    "필요 없습니다: 시퀀스 길이는 데이터에서 정해집니다.",
    "Keras 3 removed ImageDataGenerator.": "Keras 3에서 ImageDataGenerator는 없어졌습니다.",
}

BASE = {
    # -- 1. unknown names ------------------------------------------------------------------------
    "{t_kind} {q_given} is spelled {q_name} in Keras: layerfit accepts other cases and "
    "separators, Keras raises ValueError for them.": "{t_kind} {q_given}은(는) Keras에서 "
    "{q_name}(으)로 씁니다: layerfit은 대소문자와 구분 기호가 달라도 받아들이지만, Keras는 "
    "ValueError를 냅니다.",
    "{q_name}.": "{q_name}.",
    "write {q_name} so the code also runs in Keras.": "Keras에서도 실행되도록 {q_name}(으)로 "
    "쓰세요.",
    "Unknown {t_kind} {q_name}.": "알 수 없는 {t_kind} 이름 {q_name}입니다.",
    "one of layerfit's {t_kind} names, or a callable.": "layerfit의 {t_kind} 이름 중 하나, "
    "또는 호출할 수 있는 객체(callable).",
    "Did you mean {t_choices}?": "혹시 {t_choices}을(를) 쓰려고 했나요?",
    "Use one of: {names}.": "다음 중 하나를 쓰세요: {names}.",
    "{owner}() got an unexpected keyword argument {argument}.": "{owner}()에 알 수 없는 키워드 "
    "인수 {argument}이(가) 주어졌습니다.",
    "one of: {names}.": "다음 중 하나: {names}.",
    "Valid keyword arguments: {names}.": "사용할 수 있는 키워드 인수: {names}.",
    # -- 2. binary_crossentropy after a softmax --------------------------------------------------
    "loss='binary_crossentropy' with a softmax over {units} units: each unit is scored as a "
    "separate yes/no, so loss and accuracy look far better than the model is.": "softmax 유닛 "
    "{units}개에 loss='binary_crossentropy'를 쓰고 있습니다: 유닛마다 따로 예/아니오로 채점되므로 "
    "손실과 정확도가 실제 모델보다 훨씬 좋아 보입니다.",
    "binary_crossentropy for one sigmoid unit (or independent sigmoid labels).": "binary_"
    "crossentropy는 sigmoid 유닛 하나(또는 서로 독립인 sigmoid 레이블)에 씁니다.",
    "your labels are one-hot, so use loss='categorical_crossentropy'.": "레이블이 원-핫 인코딩"
    "되어 있으니 loss='categorical_crossentropy'를 쓰세요.",
    "your labels are class ids, so use loss='sparse_categorical_crossentropy'.": "레이블이 클래스 "
    "번호이니 loss='sparse_categorical_crossentropy'를 쓰세요.",
    "use loss='categorical_crossentropy' for one-hot labels or "
    "loss='sparse_categorical_crossentropy' for integer labels.": "원-핫 레이블에는 "
    "loss='categorical_crossentropy'를, 정수 레이블에는 loss='sparse_categorical_crossentropy'를 "
    "쓰세요.",
    # -- 3. labels that do not fit the loss ------------------------------------------------------
    "loss='sparse_categorical_crossentropy' got labels of shape {y_shape}, which look one-hot, "
    "for outputs of shape {out_shape}.": "loss='sparse_categorical_crossentropy'에 원-핫으로 "
    "보이는 모양 {y_shape}의 레이블이 들어왔습니다(출력 모양은 {out_shape}).",
    "integer class ids 0..n-1, one per sample: labels of shape (None,).": "샘플마다 하나씩인 "
    "0..n-1 정수 클래스 번호: 모양 (None,)의 레이블.",
    "use loss='categorical_crossentropy' for one-hot labels, or turn them back into class ids: "
    "y = y.argmax(axis=-1).": "원-핫 레이블에는 loss='categorical_crossentropy'를 쓰거나, "
    "레이블을 클래스 번호로 되돌리세요: y = y.argmax(axis=-1).",
    "loss='categorical_crossentropy' got labels of shape {y_shape}, which look like integer "
    "class ids, for outputs of shape {out_shape}.": "loss='categorical_crossentropy'에 정수 "
    "클래스 번호로 보이는 모양 {y_shape}의 레이블이 들어왔습니다(출력 모양은 {out_shape}).",
    "one-hot labels of shape {shape}.": "모양 {shape}의 원-핫 레이블.",
    "use loss='sparse_categorical_crossentropy' for integer labels, or one-hot them: "
    "y = keras.utils.to_categorical(y, num_classes={n}).": "정수 레이블에는 "
    "loss='sparse_categorical_crossentropy'를 쓰거나, 원-핫 인코딩하세요: "
    "y = keras.utils.to_categorical(y, num_classes={n}).",
    "The labels go from {low} to {high}, but the last layer has {units} units (classes 0 to "
    "{last}).": "레이블이 {low}부터 {high}까지인데, 마지막 층의 유닛은 {units}개입니다(클래스 "
    "0부터 {last}까지).",
    "The labels go from {low} to {high}, but the last layer has {units} unit (classes 0 to "
    "{last}).": "레이블이 {low}부터 {high}까지인데, 마지막 층의 유닛은 {units}개입니다(클래스 "
    "0부터 {last}까지).",
    "class ids in [0, {n}).": "[0, {n}) 범위의 클래스 번호.",
    "the labels look 1-based: subtract 1 (y = y - 1) so classes are 0..n-1.": "레이블이 1부터 "
    "시작하는 것 같습니다: 1을 빼서(y = y - 1) 클래스를 0..n-1로 만드세요.",
    "map the labels to class ids 0..n-1: classes, y = np.unique(y, return_inverse=True).": "레이블을 "
    "0..n-1 클래스 번호로 바꾸세요: classes, y = np.unique(y, return_inverse=True).",
    "give the last layer one unit per class: {layer}.": "마지막 층에 클래스마다 유닛을 하나씩 "
    "두세요: {layer}.",
    "for two classes use Dense(1, activation='sigmoid') with loss='binary_crossentropy', or "
    "{layer}.": "클래스가 두 개라면 Dense(1, activation='sigmoid')와 "
    "loss='binary_crossentropy'를 쓰고, 아니면 {layer}를 쓰세요.",
    "loss='binary_crossentropy' got labels from {low} to {high}.": "loss='binary_crossentropy'에 "
    "{low}부터 {high}까지의 레이블이 들어왔습니다.",
    "labels in [0, 1]: 0 or 1 for each yes/no output.": "[0, 1] 범위의 레이블: 예/아니오 "
    "출력마다 0 또는 1.",
    "for {n} classes use {layer} with loss='sparse_categorical_crossentropy'; for two classes "
    "map them to 0 and 1 (e.g. y = (y == positive_class)).": "클래스가 {n}개라면 {layer}와 "
    "loss='sparse_categorical_crossentropy'를 쓰고, 클래스가 두 개라면 0과 1로 바꾸세요"
    "(예: y = (y == positive_class)).",
    "for two classes map them to 0 and 1 (e.g. y = (y == positive_class)).": "클래스가 두 "
    "개라면 0과 1로 바꾸세요(예: y = (y == positive_class)).",
    # -- 4. output width -------------------------------------------------------------------------
    "The model outputs shape {out_shape} but the labels have shape {y_shape} (loss={loss}).": "모델 "
    "출력의 모양은 {out_shape}인데 레이블의 모양은 {y_shape}입니다(loss={loss}).",
    "labels of shape {shape} for this output.": "이 출력에 맞는 모양 {shape}의 레이블.",
    "for {width} one-hot classes make the last layer Dense({width2}, activation='softmax') with "
    "loss='categorical_crossentropy'; if there are {units} classes, one-hot with "
    "keras.utils.to_categorical(y, num_classes={units2}).": "원-핫 클래스가 {width}개라면 마지막 "
    "층을 Dense({width2}, activation='softmax')로 하고 loss='categorical_crossentropy'를 쓰세요. "
    "클래스가 {units}개라면 keras.utils.to_categorical(y, num_classes={units2})로 원-핫 "
    "인코딩하세요.",
    "make the last layer Dense({width}) to give {width2} values per sample, or check y: the "
    "model gives {units}.": "샘플마다 값 {width2}개를 내도록 마지막 층을 Dense({width})로 하거나, "
    "y를 확인하세요: 모델은 {units}개를 냅니다.",
    "reshape y to {shape}, or change the last layer to match y.": "y의 모양을 {shape}(으)로 "
    "바꾸거나, 마지막 층을 y에 맞게 바꾸세요.",
    "one output row per sample, e.g. (None, n_classes).": "샘플마다 출력 한 행, 예: "
    "(None, n_classes).",
    "the inputs reached Dense without being flattened: add Flatten() before the first Dense "
    "layer (or reshape x to (n_samples, features)).": "입력이 펼쳐지지 않은 채 Dense에 "
    "들어갔습니다: 첫 Dense 층 앞에 Flatten()을 넣으세요(또는 x의 모양을 "
    "(n_samples, features)로 바꾸세요).",
    # -- 5. outputs that cannot reach the targets ------------------------------------------------
    "The last layer applies softmax to 1 unit, so it always outputs 1.0 and the model cannot "
    "learn.": "마지막 층이 유닛 1개에 softmax를 적용하므로 항상 1.0을 출력하고, 모델은 학습할 "
    "수 없습니다.",
    "softmax over one unit per class, or sigmoid for a single yes/no output.": "클래스마다 "
    "유닛 하나를 둔 softmax, 또는 예/아니오 출력 하나에는 sigmoid.",
    "for two classes use Dense(1, activation='sigmoid') with loss='binary_crossentropy'; for n "
    "classes Dense(n, activation='softmax').": "클래스가 두 개라면 Dense(1, "
    "activation='sigmoid')와 loss='binary_crossentropy'를, 클래스가 n개라면 Dense(n, "
    "activation='softmax')를 쓰세요.",
    "The last layer's {activation} outputs lie in {bounds}, but the targets go from {low} to "
    "{high}: the model can never reach them.": "마지막 층의 {activation} 출력은 {bounds} 범위"
    "인데, 목표값은 {low}부터 {high}까지입니다: 모델은 목표값에 결코 닿을 수 없습니다.",
    "a last layer whose outputs can cover the targets.": "출력이 목표값의 범위를 덮을 수 있는 "
    "마지막 층.",
    "for regression leave the last layer linear: Dense(1) with no activation; or scale y into "
    "the activation's range (and scale predictions back).": "회귀에서는 마지막 층을 선형으로 "
    "두세요: 활성화 함수 없는 Dense(1). 또는 y를 활성화 함수의 범위로 스케일링하세요(예측값은 "
    "다시 되돌리세요).",
    "metrics=['accuracy'] on continuous targets (from {low} to {high}, loss={loss}): accuracy "
    "counts exact class matches, so it stays near 0 however good the model is.": "연속적인 "
    "목표값({low}부터 {high}까지, loss={loss})에 metrics=['accuracy']를 쓰고 있습니다: 정확도는 "
    "클래스가 정확히 맞은 수를 세므로, 모델이 아무리 좋아도 0 근처에 머뭅니다.",
    "accuracy for classification; an error metric for regression.": "분류에는 정확도, 회귀에는 "
    "오차 지표.",
    "use metrics=['mae'] (mean absolute error) for regression.": "회귀에는 metrics=['mae']"
    "(평균 절대 오차)를 쓰세요.",
    "loss={loss} has from_logits=True, but the last layer already applies {activation}: the "
    "loss applies it a second time and learns slowly.": "loss={loss}에 from_logits=True가 "
    "있지만 마지막 층이 이미 {activation}을(를) 적용합니다: 손실 함수가 이를 한 번 더 적용하므로 "
    "학습이 느려집니다.",
    "from_logits=True only for a last layer without activation (raw scores).": "from_logits="
    "True는 활성화 함수가 없는 마지막 층(날 점수)에만 씁니다.",
    "drop from_logits=True, or remove {argument} from the last layer.": "from_logits=True를 "
    "빼거나, 마지막 층에서 {argument}을(를) 지우세요.",
    # -- 6. input shapes -------------------------------------------------------------------------
    "Input {q_input} of model {q_model} expects input of shape {expected}, but x has shape "
    "{shape}.": "모델 {q_model}의 입력 {q_input}은(는) 모양 {expected}의 입력을 기대하지만, x의 "
    "모양은 {shape}입니다.",
    "x of shape {shape}.": "모양 {shape}의 x.",
    "Model {q_model} expects input of shape {expected}, but x has shape {shape}.": "모델 "
    "{q_model}은(는) 모양 {expected}의 입력을 기대하지만, x의 모양은 {shape}입니다.",
    "x holds one value per sample: give it a feature axis, x = x.reshape(-1, 1).": "x에는 "
    "샘플마다 값이 하나뿐입니다: 특성 축을 더하세요, x = x.reshape(-1, 1).",
    "the channel axis is missing: x = x[..., None] (or x.reshape(-1, {shape})) gives grayscale "
    "images their one channel.": "채널 축이 없습니다: x = x[..., None](또는 "
    "x.reshape(-1, {shape}))로 흑백 이미지에 채널 하나를 주세요.",
    "add the last axis: x = x[..., None] (or x.reshape(-1, {shape})).": "마지막 축을 더하세요: "
    "x = x[..., None](또는 x.reshape(-1, {shape})).",
    "x looks like one sample of shape {shape} without the batch axis: use x[None] (or "
    "np.expand_dims(x, 0)); to predict on one sample of a set, write x_test[:1] instead of "
    "x_test[0].": "x는 배치 축이 없는 모양 {shape}의 샘플 하나로 보입니다: x[None](또는 "
    "np.expand_dims(x, 0))를 쓰세요. 데이터 중 샘플 하나로 예측하려면 x_test[0] 대신 "
    "x_test[:1]로 쓰세요.",
    "reshape x to (-1, {shape}), or change the model's Input shape.": "x의 모양을 "
    "(-1, {shape})(으)로 바꾸거나, 모델의 Input 모양을 바꾸세요.",
    "reshape x: x = x.reshape(-1, {shape}).": "x의 모양을 바꾸세요: x = x.reshape(-1, {shape}).",
    "the model was built for {n} features but x has {m}: check which columns x holds (was the "
    "target column dropped?), or change the first layer to {layer}.": "모델은 특성 {n}개에 "
    "맞춰 만들어졌는데 x에는 {m}개가 있습니다: x에 어떤 열이 있는지 확인하거나(목표값 열을 "
    "뺐나요?), 첫 층을 {layer}(으)로 바꾸세요.",
    "reshape x to (-1, {shape}), or change the first layer to {layer}.": "x의 모양을 "
    "(-1, {shape})(으)로 바꾸거나, 첫 층을 {layer}(으)로 바꾸세요.",
    "scale each column: sklearn's MinMaxScaler or StandardScaler (fit it on the training data, "
    "then transform train, validation and test), or add a layers.Normalization() layer adapted "
    "to x_train as the first layer.": "열마다 스케일링하세요: sklearn의 MinMaxScaler나 "
    "StandardScaler를 학습 데이터로 fit한 뒤 학습, 검증, 테스트 데이터를 모두 transform하세요. "
    "또는 x_train으로 adapt한 layers.Normalization() 층을 첫 층으로 넣으세요.",
    "flatten each sample: {reshape}, or start the model with {input} and a Flatten() layer.": "샘플"
    "마다 펼치세요: {reshape}. 또는 모델을 {input}와 Flatten() 층으로 시작하세요.",
    "Layer {q_layer} ({cls}) failed on samples of shape {shape}: {reason}": "층 {q_layer}"
    "({cls})이(가) 모양 {shape}의 샘플에서 실패했습니다: {reason}",
    "an input shape this layer accepts.": "이 층이 받아들이는 입력 모양.",
    "check the layers before it (model.summary() lists each output shape); images going into "
    "Dense need a Flatten() first, and Conv2D needs a channel axis.": "앞쪽 층들을 확인하세요"
    "(model.summary()가 각 출력 모양을 보여 줍니다). Dense에 들어가는 이미지에는 먼저 Flatten()이 "
    "필요하고, Conv2D에는 채널 축이 필요합니다.",
    "Calling layer {q_layer} ({cls}) on symbolic tensors failed in its call(): {reason}": "층 "
    "{q_layer}({cls})을(를) 심볼릭 텐서로 호출하다가 call()에서 실패했습니다: {reason}",
    "arguments that match the layer's call() signature.": "층의 call() 시그니처에 맞는 인수.",
    "check how the layer is called against its call() arguments; every tensor passed "
    "(positionally or by keyword) becomes a graph input.": "층을 호출하는 방식이 call()의 "
    "인수와 맞는지 확인하세요. (위치 인수든 키워드 인수든) 넘긴 텐서는 모두 그래프 입력이 "
    "됩니다.",
    "Layer {q_layer} ({cls}) was passed an input with a mask attached to it, but it does not "
    "support masking: layers after it will not see the mask.": "층 {q_layer}({cls})에 마스크가 "
    "붙은 입력이 들어왔지만, 이 층은 마스킹을 지원하지 않습니다: 뒤따르는 층들은 마스크를 보지 "
    "못합니다.",
    "a layer that supports masking (RNNs, Dense, Dropout, GlobalAveragePooling1D, merges, ...) "
    "after Embedding(mask_zero=True) or Masking.": "Embedding(mask_zero=True)나 Masking 뒤에는 "
    "마스킹을 지원하는 층(RNN, Dense, Dropout, GlobalAveragePooling1D, 병합 층 등).",
    "pool or run an RNN over the masked sequence first (GlobalAveragePooling1D, LSTM), or set "
    "supports_masking = True on your own layer if it keeps the timesteps.": "마스크된 시퀀스를 "
    "먼저 풀링하거나 RNN에 통과시키세요(GlobalAveragePooling1D, LSTM). 직접 만든 층이 타임스텝을 "
    "유지한다면 그 층에 supports_masking = True를 설정하세요.",
    # -- 7. unscaled inputs ----------------------------------------------------------------------
    "x looks unscaled: its values go from {low} to {high} (one feature averages {mean}).": "x가 "
    "스케일링되지 않은 것 같습니다: 값이 {low}부터 {high}까지이고, 한 특성의 평균이 {mean}입니다.",
    "inputs of about unit scale, e.g. in [0, 1] or standardised; large inputs make training "
    "slow or unstable.": "크기가 1 안팎인 입력(예: [0, 1] 범위, 또는 표준화된 값). 입력이 크면 "
    "학습이 느리거나 불안정해집니다.",
    "divide by 255: x = x / 255.0 (for training and for predict), or add "
    "layers.Rescaling(1 / 255) as the first layer.": "255로 나누세요: x = x / 255.0(학습할 때와 "
    "predict할 때 모두). 또는 첫 층으로 layers.Rescaling(1 / 255)를 넣으세요.",
    # -- 8. data problems ------------------------------------------------------------------------
    "x contains {nan} NaN and {inf} inf values (first in sample {sample}).": "x에 NaN 값 "
    "{nan}개와 inf 값 {inf}개가 있습니다(처음 나온 곳: 샘플 {sample}).",
    "x contains {nan} NaN and {inf} inf values (first in sample {sample}, columns {columns}).": "x에 "
    "NaN 값 {nan}개와 inf 값 {inf}개가 있습니다(처음 나온 곳: 샘플 {sample}, 열 {columns}).",
    "finite numbers only: one NaN makes the loss NaN and training stops learning.": "유한한 "
    "숫자만: NaN이 하나라도 있으면 손실이 NaN이 되고 학습이 멈춥니다.",
    "drop or fill them before fit: df.dropna() or df.fillna(df.mean()) for a DataFrame, "
    "x[~np.isnan(x).any(axis=1)] or np.nan_to_num(x) for an array (np.isnan(x).any(axis=1) "
    "finds the rows).": "fit 전에 지우거나 채우세요: DataFrame이라면 df.dropna() 또는 "
    "df.fillna(df.mean()), 배열이라면 x[~np.isnan(x).any(axis=1)] 또는 np.nan_to_num(x)"
    "(np.isnan(x).any(axis=1)로 해당 행을 찾을 수 있습니다).",
    "x is a DataFrame with non-numeric columns {columns}.": "x는 숫자가 아닌 열 {columns}이(가) "
    "있는 DataFrame입니다.",
    "numbers only in every column.": "모든 열에 숫자만.",
    "encode them first (pd.get_dummies(df, columns=[...]) or a mapping), or drop them: "
    "df.drop(columns=[...]).": "먼저 인코딩하거나(pd.get_dummies(df, columns=[...]) 또는 "
    "매핑), 지우세요: df.drop(columns=[...]).",
    "x has {n_x} samples but y has {n_y}.": "x의 샘플은 {n_x}개인데 y는 {n_y}개입니다.",
    "one label per sample: the same first-axis length.": "샘플마다 레이블 하나: 첫 번째 축의 "
    "길이가 같아야 합니다.",
    "check that x and y come from the same split (x_train with y_train).": "x와 y가 같은 분할"
    "에서 왔는지 확인하세요(x_train에는 y_train).",
    "x is empty (0 samples).": "x가 비어 있습니다(샘플 0개).",
    "at least one sample.": "샘플이 하나 이상.",
    "check how x was loaded or filtered.": "x를 불러오거나 걸러 낸 방법을 확인하세요.",
    "validation_split={split} of {n} samples leaves {train} for training and {val} for "
    "validation.": "샘플 {n}개에 validation_split={split}을(를) 쓰면 학습용은 {train}개, 검증 "
    "데이터는 {val}개가 남습니다.",
    "at least one sample on each side.": "양쪽에 샘플이 하나 이상.",
    "use more data or a validation_split between 1/n and 1 - 1/n.": "데이터를 늘리거나 "
    "validation_split을 1/n과 1 - 1/n 사이로 하세요.",
    "model.{stage}() got no labels (y), but the model was compiled with a loss.": "model."
    "{stage}()에 레이블(y)이 없지만, 모델은 손실 함수와 함께 컴파일되었습니다.",
    "the targets to learn: model.{stage}(x, y, ...).": "학습할 목표값: model.{stage}(x, y, ...).",
    "pass the labels: model.{stage}(x_train, y_train), or a dataset that yields (x, y) pairs.": "레이블"
    "을 넘기세요: model.{stage}(x_train, y_train). 또는 (x, y) 쌍을 내는 데이터셋을 넘기세요.",
    # -- 9. training problems --------------------------------------------------------------------
    "The loss became {value} at epoch {epoch}, batch {batch}. Training goes on, as in Keras, but "
    "the weights are probably no longer usable.": "에포크 {epoch}, 배치 {batch}에서 손실이 "
    "{value}이(가) 되었습니다. Keras처럼 학습은 계속되지만, 가중치는 아마 더 이상 쓸 수 "
    "없습니다.",
    "a finite loss.": "유한한 손실 값.",
    "add keras.callbacks.TerminateOnNaN() to stop at the first bad batch; lower the learning "
    "rate (e.g. Adam(learning_rate=1e-4)), scale the inputs to [0, 1] or standardise them, and "
    "check the data for NaN values.": "keras.callbacks.TerminateOnNaN()을 추가하면 처음 잘못된 "
    "배치에서 멈춥니다. 학습률을 낮추고(예: Adam(learning_rate=1e-4)), 입력을 [0, 1]로 "
    "스케일링하거나 표준화하고, 데이터에 NaN 값이 있는지 확인하세요.",
    "model.fit() on model {q_model}, which has no trainable weights: the loss and metrics are "
    "computed, but nothing is learned.": "학습 가능한 가중치가 없는 모델 {q_model}에 "
    "model.fit()을 호출했습니다: 손실과 평가 지표는 계산되지만, 아무것도 학습되지 않습니다.",
    "at least one trainable weight.": "학습 가능한 가중치가 하나 이상.",
    "set trainable = True on the layers to train (e.g. model.trainable = True, or "
    "base_model.trainable = True when fine-tuning); to only measure, use model.evaluate().": "학습"
    "할 층에 trainable = True를 설정하세요(예: model.trainable = True, 미세 조정이라면 "
    "base_model.trainable = True). 평가만 하려면 model.evaluate()를 쓰세요.",
    "model.{method}() was called before model.compile().": "model.compile() 전에 "
    "model.{method}()을(를) 호출했습니다.",
    "compile() first, to choose the loss, optimizer and metrics.": "먼저 compile()로 손실 함수, "
    "옵티마이저, 평가 지표를 정하세요.",
    "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', "
    "metrics=['accuracy'])": "model.compile(optimizer='adam', "
    "loss='sparse_categorical_crossentropy', metrics=['accuracy'])",
    # -- 10. monitoring a key that is never logged -----------------------------------------------
    "{callback} monitors {q_key}, which is not in the logs; it does nothing this run. Logged "
    "keys: {keys}.": "{callback}이(가) 모니터링하는 {q_key}은(는) 로그에 없으므로, 이번 실행에서는 "
    "아무 일도 하지 않습니다. 로그에 있는 키: {keys}.",
    "a key that fit logs every epoch.": "fit이 에포크마다 기록하는 키.",
    "use monitor={q_key} (the Keras 3 name).": "monitor={q_key}를 쓰세요(Keras 3의 이름).",
    "val_ values need validation data: pass validation_split=0.2 or "
    "validation_data=(x_val, y_val) to fit, or monitor {q_key}.": "val_ 값에는 검증 데이터가 "
    "필요합니다: fit에 validation_split=0.2 또는 validation_data=(x_val, y_val)를 넘기거나, "
    "{q_key}을(를) 모니터링하세요.",
    # -- 11. old Keras spellings -----------------------------------------------------------------
    "{old} is an old Keras spelling: it still works in layerfit, but Keras 3 rejects it. "
    "{t_reason}": "{old}은(는) 예전 Keras의 표기입니다: layerfit에서는 아직 동작하지만, Keras "
    "3에서는 거부됩니다. {t_reason}",
    "{old} is an old Keras spelling: it still works in layerfit, but Keras 3 rejects it.": "{old}"
    "은(는) 예전 Keras의 표기입니다: layerfit에서는 아직 동작하지만, Keras 3에서는 거부됩니다.",
    "write {c_new}": "{c_new}(으)로 쓰세요",
    "write Sequential([layer]) (a list of layers)": "Sequential([layer])(층의 리스트)로 쓰세요",
    "write keras.utils.image_dataset_from_directory(...) and augmentation layers "
    "(layers.RandomFlip, RandomRotation, RandomZoom, ...) in the model": "keras.utils."
    "image_dataset_from_directory(...)와 모델 안의 데이터 증강 층(layers.RandomFlip, "
    "RandomRotation, RandomZoom 등)으로 쓰세요",
    # -- 12. Lambda layers -----------------------------------------------------------------------
    "The saved Lambda layer {q_layer} holds an anonymous function (a lambda); loading one is "
    "refused in safe mode, as Keras does.": "저장된 Lambda 층 {q_layer}에는 익명 함수(lambda)가 "
    "들어 있습니다: Keras처럼 안전 모드에서는 불러오기를 거부합니다.",
    "safe_mode=False and the function given in custom_objects: layerfit never runs code stored "
    "in a file.": "safe_mode=False와 custom_objects로 넘긴 함수: layerfit은 파일에 저장된 코드를 "
    "절대 실행하지 않습니다.",
    "load_model(path, safe_mode=False, custom_objects={objects}), or save a named function "
    "registered with {decorator}.": "load_model(path, safe_mode=False, custom_objects="
    "{objects})로 불러오거나, {decorator}로 등록한 이름 있는 함수를 저장하세요.",
    # -- 13. files that cannot be read -----------------------------------------------------------
    "Could not read the image file {q_path} (not an image format Pillow recognises).": "이미지 "
    "파일 {q_path}을(를) 읽을 수 없습니다(Pillow가 알아보는 이미지 형식이 아닙니다).",
    "a JPEG, PNG, BMP or GIF file that Pillow can open.": "Pillow가 열 수 있는 JPEG, PNG, BMP, "
    "GIF 파일.",
    "check that the file exists and is a complete image; delete or re-save it.": "파일이 있고 "
    "온전한 이미지인지 확인하세요. 아니면 지우거나 다시 저장하세요.",
    # -- 14. KerasTuner searches -----------------------------------------------------------------
    "The objective {q_objective} is not in the logs of fit; logged: {keys}.": "목표 "
    "{q_objective}이(가) fit의 로그에 없습니다. 기록된 값: {keys}.",
    "an objective that fit logs every epoch.": "fit이 에포크마다 기록하는 목표.",
    "objective= one of {keys}; a 'val_' objective needs validation_split= or validation_data= "
    "in search().": "objective=에는 {keys} 중 하나를 쓰세요. 'val_' 목표에는 search()에 "
    "validation_split= 또는 validation_data=가 필요합니다.",
    # -- 15. arguments, model files and resumed runs ---------------------------------------------
    "{c_method} got {argument} ({kind}).": "{c_method}에 {argument}({kind})이(가) 주어졌습니다.",
    "{name} as a positive whole number (1 or more), or None for the default.": "{name}은(는) "
    "양의 정수(1 이상), 또는 기본값을 쓰려면 None.",
    "{c_call}.": "{c_call}.",
    "Embedding layer {q_layer} got the id {id} (ids from {low} to {high}), outside its table of "
    "input_dim={dim} rows.": "Embedding 층 {q_layer}에 id {id}이(가) 들어왔습니다(id 범위 {low}"
    "~{high}). 이는 input_dim={dim}행짜리 테이블의 범위를 벗어납니다.",
    "ids from 0 to {last} (input_dim is the vocabulary size: the largest id + 1).": "0부터 "
    "{last}까지의 id(input_dim은 어휘 크기, 즉 가장 큰 id + 1입니다).",
    "make input_dim at least {n} ({layer}), or map the ids into [0, input_dim) first.": "input_dim"
    "을 {n} 이상으로 하거나({layer}), 먼저 id를 [0, input_dim) 범위로 바꾸세요.",
    "{file}: the weights its config declares is {size} bytes ({human}), over the max_bytes limit "
    "of {limit} bytes ({limit_human}); nothing was allocated.": "{file}: 설정에 선언된 가중치가 "
    "{size}바이트({human})로, max_bytes 한도 {limit}바이트({limit_human})를 넘습니다. 아무것도 "
    "할당하지 않았습니다.",
    "max_bytes <= {limit}: files from untrusted sources stay within it.": "max_bytes <= {limit}: "
    "믿을 수 없는 곳에서 온 파일은 이 한도 안에 둡니다.",
    "if you trust this file, raise the limit: {call} (or {call2}), or {call3}; otherwise the "
    "file is damaged or hostile.": "이 파일을 믿는다면 한도를 올리세요: {call}(또는 {call2}), "
    "또는 {call3}. 그렇지 않다면 파일이 손상되었거나 악의적인 파일입니다.",
    "{c_call}. Round it: {argument}.": "{c_call}. 반올림하세요: {argument}.",
    "{argument} as a whole number, 0 or more.": "{argument}은(는) 0 이상의 정수.",
    "fit got validation_split={value}.": "fit에 validation_split={value}이(가) 주어졌습니다.",
    "a fraction in [0, 1): the share of samples kept aside for validation.": "[0, 1) 범위의 "
    "비율: 검증 데이터로 떼어 둘 샘플의 몫.",
    "model.{method}() got x=None.": "model.{method}()에 x=None이 주어졌습니다.",
    "one batch of inputs (an array, a tensor, or a list/dict of them).": "입력 배치 하나(배열, "
    "텐서, 또는 그 리스트/딕셔너리).",
    "{argument}=True or False.": "{argument}=True 또는 False.",
    "True, False or 'auto'.": "True, False 또는 'auto'.",
    "leave jit_compile out ('auto').": "jit_compile을 빼세요('auto').",
    "model.compile() got the loss weight {weight} ({kind}).": "model.compile()에 손실 가중치 "
    "{weight}({kind})이(가) 주어졌습니다.",
    "a finite number per output (or None for 1.0).": "출력마다 유한한 숫자 하나(1.0이라면 None).",
    "model.compile(..., loss_weights=[1.0, 0.5]) or a dict keyed by output name.": "model."
    "compile(..., loss_weights=[1.0, 0.5]) 또는 출력 이름을 키로 하는 딕셔너리.",
    "model.{method}() got callbacks is {value} ({kind}).": "model.{method}()의 callbacks가 "
    "{value}({kind})입니다.",
    "model.{method}() got callbacks contains {value} ({kind}).": "model.{method}()의 "
    "callbacks에 {value}({kind})이(가) 들어 있습니다.",
    "a list of layerfit.callbacks.Callback objects (or one callback, or None).": "layerfit."
    "callbacks.Callback 객체의 리스트(또는 콜백 하나, 또는 None).",
    "pass callback objects, e.g. callbacks=[EarlyStopping(patience=3)].": "콜백 객체를 넘기세요. "
    "예: callbacks=[EarlyStopping(patience=3)].",
    "create the callback: {c_call}, not the class {cls}.": "클래스 {cls}이(가) 아니라 콜백 "
    "객체를 만드세요: {c_call}.",
    "class_weight is a {kind}: {value}.": "class_weight가 {kind}입니다: {value}.",
    "a dict {{class_index: weight}}.": "딕셔너리 {{class_index: weight}}.",
    "class_weight={{0: 1.0, 1: 5.0}}; for a list of weights use dict(enumerate(weights)).": "class_"
    "weight={{0: 1.0, 1: 5.0}}. 가중치가 리스트라면 dict(enumerate(weights))를 쓰세요.",
    "class_weight has the key {key} ({kind}).": "class_weight에 키 {key}({kind})이(가) 있습니다.",
    "class indices as keys: the whole numbers 0, 1, ... that y holds.": "클래스 번호를 키로: y에 "
    "있는 정수 0, 1, ...",
    "map class names to their indices first, e.g. {{class_names.index(name): w for name, w in "
    "class_weight.items()}}.": "먼저 클래스 이름을 번호로 바꾸세요. 예: "
    "{{class_names.index(name): w for name, w in class_weight.items()}}.",
    "class_weight[{key}] is {weight}.": "class_weight[{key}]이(가) {weight}입니다.",
    "a finite number, 0 or more, per class.": "클래스마다 0 이상의 유한한 숫자.",
    "class_weight={{0: 1.0, 1: 5.0}}": "class_weight={{0: 1.0, 1: 5.0}}",
    "model.{method}() got x as a dict with keys {keys}, but a Sequential model has a single "
    "input.": "model.{method}()에 키가 {keys}인 딕셔너리 x가 주어졌지만, Sequential 모델의 "
    "입력은 하나입니다.",
    "one array (or tensor) for x.": "x에는 배열(또는 텐서) 하나.",
    "model.{method}() got complex numbers in x (dtype {dtype}).": "model.{method}()의 x에 "
    "복소수가 있습니다(dtype {dtype}).",
    "real numbers: layers compute on real-valued floats.": "실수: 층은 실수 값 부동소수점으로 "
    "계산합니다.",
    "split them into real features first, e.g. np.concatenate([x.real, x.imag], axis=-1), or "
    "use np.abs(x).": "먼저 실수 특성으로 나누세요. 예: np.concatenate([x.real, x.imag], "
    "axis=-1), 또는 np.abs(x)를 쓰세요.",
    "use one of {keys}.": "{keys} 중 하나를 쓰세요.",
    "{cls} got mode={mode}.": "{cls}에 mode={mode}이(가) 주어졌습니다.",
    "'auto', 'min' or 'max'.": "'auto', 'min' 또는 'max'.",
    "use mode='min' for losses and errors, mode='max' for accuracies.": "손실과 오차에는 "
    "mode='min'을, 정확도에는 mode='max'를 쓰세요.",
    "to_categorical got non-integer labels (first: {value}).": "to_categorical에 정수가 아닌 "
    "레이블이 들어왔습니다(첫 값: {value}).",
    "integer class ids 0, 1, ..., num_classes - 1.": "정수 클래스 번호 0, 1, ..., num_classes - 1.",
    "pass class ids; for probabilities use y.argmax(axis=-1) first.": "클래스 번호를 넘기세요. "
    "확률이라면 먼저 y.argmax(axis=-1)를 쓰세요.",
    "to_categorical got labels from {low} to {high} with num_classes={n}.": "to_categorical에 "
    "num_classes={n}과 함께 {low}부터 {high}까지의 레이블이 들어왔습니다.",
    "labels in [0, {n}).": "[0, {n}) 범위의 레이블.",
    "pass num_classes=max(label) + 1, or map the labels to 0..n-1 first.": "num_classes="
    "max(label) + 1을 넘기거나, 먼저 레이블을 0..n-1로 바꾸세요.",
    "ModelCheckpoint got save_freq={value}.": "ModelCheckpoint에 save_freq={value}이(가) "
    "주어졌습니다.",
    "'epoch', or a positive number of batches.": "'epoch', 또는 양수인 배치 수.",
    "ModelCheckpoint could not fill in its filepath {q_path}: {error}. Available keys: {keys}.": ""
    "ModelCheckpoint가 파일 경로 {q_path}을(를) 채우지 못했습니다: {error}. 쓸 수 있는 키: "
    "{keys}.",
    "placeholders named after logged values, e.g. {{epoch:02d}} or {{val_loss:.4f}}.": "기록된 "
    "값의 이름을 쓴 자리 표시자, 예: {{epoch:02d}} 또는 {{val_loss:.4f}}.",
    "use only the keys listed; val_ values need validation data in fit().": "나열된 키만 쓰세요. "
    "val_ 값에는 fit()에 검증 데이터가 필요합니다.",
    "ModelCheckpoint(save_weights_only=True) got filepath={q_path}.": "ModelCheckpoint("
    "save_weights_only=True)에 filepath={q_path}이(가) 주어졌습니다.",
    "a path ending in .weights.h5 or .weights.safetensors.": ".weights.h5 또는 "
    ".weights.safetensors로 끝나는 경로.",
    "ModelCheckpoint got filepath={q_path}, which does not end in .keras.": "ModelCheckpoint에 "
    ".keras로 끝나지 않는 filepath={q_path}이(가) 주어졌습니다.",
    "a path ending in .keras to save the whole model (or save_weights_only=True with "
    ".weights.h5).": "모델 전체를 저장하려면 .keras로 끝나는 경로(또는 .weights.h5와 "
    "save_weights_only=True).",
    "ModelCheckpoint('best.keras') or ModelCheckpoint('best.weights.h5', "
    "save_weights_only=True)": "ModelCheckpoint('best.keras') 또는 "
    "ModelCheckpoint('best.weights.h5', save_weights_only=True)",
    "model.save({q_path}): the .h5 format is Keras 2's legacy format; layerfit writes its own "
    "zip format (the same as .keras) whatever the extension, which h5py cannot read.": "model."
    "save({q_path}): .h5는 Keras 2의 예전 형식입니다. layerfit은 확장자와 상관없이 자체 zip "
    "형식(.keras와 같음)으로 쓰므로, h5py로는 읽을 수 없습니다.",
    "a file name ending in .keras.": ".keras로 끝나는 파일 이름.",
    "save as 'model.keras'.": "'model.keras'로 저장하세요.",
    "Invalid filepath extension for saving: {q_path}.": "저장할 파일 경로의 확장자가 잘못되었습니다: "
    "{q_path}.",
    "a file name ending in .keras (recommended) or .layerfit.": ".keras(권장) 또는 .layerfit로 "
    "끝나는 파일 이름.",
    "model.save('my_model.keras'); for deployment use model.export(path).": "model.save("
    "'my_model.keras'). 배포용이라면 model.export(path)를 쓰세요.",
    "Input() needs the shape of one sample.": "Input()에는 샘플 하나의 모양이 필요합니다.",
    "shape=(features,) for tables or shape=(28, 28, 1) for images.": "표 데이터에는 "
    "shape=(features,), 이미지에는 shape=(28, 28, 1).",
    "Input got shape={shape}.": "Input에 shape={shape}이(가) 주어졌습니다.",
    "Input got shape={shape} and batch_size={batch_size}.": "Input에 shape={shape}와 "
    "batch_size={batch_size}이(가) 주어졌습니다.",
    "the size of each axis of one sample as whole numbers (None for an axis of any size), "
    "without the batch axis; batch_size a whole number or None.": "배치 축을 뺀 샘플 하나의 각 "
    "축 크기를 정수로(크기가 정해지지 않은 축은 None). batch_size는 정수 또는 None.",
    "Input(shape=(784,)) for 784 features, Input(shape=(None, 8)) for sequences of any length; "
    "-1 is not 'any size' here: write None.": "특성이 784개라면 Input(shape=(784,)), 길이가 "
    "정해지지 않은 시퀀스라면 Input(shape=(None, 8)). 여기서 -1은 '아무 크기'가 아닙니다: "
    "None으로 쓰세요.",
    "{layer} got {argument}.": "{layer}에 {argument}이(가) 주어졌습니다.",
    "a positive integer.": "양의 정수.",
    "Dense layer {q_layer} got input of shape {shape}.": "Dense 층 {q_layer}에 모양 {shape}의 "
    "입력이 들어왔습니다.",
    "at least 2 axes (batch, features) with a known last axis.": "마지막 축의 크기가 정해진, "
    "축 2개 이상(배치, 특성)의 입력.",
    "give the first layer input_shape=(features,), or Input(shape=(features,)).": "첫 층에 "
    "input_shape=(features,)를 주거나, Input(shape=(features,))을 쓰세요.",
    "Dense layer {q_layer} was built for {n} input features but got input of shape {shape}.": ""
    "Dense 층 {q_layer}은(는) 입력 특성 {n}개에 맞춰 만들어졌는데, 모양 {shape}의 입력이 "
    "들어왔습니다.",
    "inputs whose last axis is {n}.": "마지막 축의 크기가 {n}인 입력.",
    "check the previous layer, or use a new Dense layer for this input.": "앞 층을 확인하거나, "
    "이 입력에는 새 Dense 층을 쓰세요.",
    "Dropout got rate={rate}.": "Dropout에 rate={rate}이(가) 주어졌습니다.",
    "a fraction in [0, 1): the share of units to drop, e.g. 0.25.": "[0, 1) 범위의 비율: 끌 "
    "유닛의 몫, 예: 0.25.",
    "Dropout(0.25) drops a quarter of the units during training.": "Dropout(0.25)는 학습하는 "
    "동안 유닛의 4분의 1을 끕니다.",
    "Reshape layer {q_layer} cannot reshape samples of shape {shape} to {target}.": "Reshape 층 "
    "{q_layer}은(는) 모양 {shape}의 샘플을 {target}(으)로 바꿀 수 없습니다.",
    "a target shape with the same number of values per sample.": "샘플마다 값의 개수가 같은 "
    "목표 모양.",
    "use -1 for one axis to let it be computed.": "한 축에 -1을 쓰면 그 크기를 계산해 줍니다.",
    "Input(ragged=True): ragged tensors exist only in Keras's TensorFlow backend, and layerfit "
    "(on PyTorch) has none.": "Input(ragged=True): ragged 텐서는 Keras의 TensorFlow 백엔드에만 "
    "있고, (PyTorch 위의) layerfit에는 없습니다.",
    "dense inputs of one shape per batch.": "배치마다 모양이 하나인 밀집 입력.",
    "pad the sequences to one length: keras.utils.pad_sequences(sequences), and mask the padding "
    "with Embedding(mask_zero=True).": "시퀀스를 한 길이로 패딩하세요: "
    "keras.utils.pad_sequences(sequences). 패딩은 Embedding(mask_zero=True)로 마스킹하세요.",
    # -- the headings of docs/errors.md without an example block ---------------------------------
    "The model outputs shape {out_shape} but the labels have shape {y_shape} (loss={loss}): as "
    "in Keras, the loss broadcasts them, comparing each label with every output value, which is "
    "rarely what was meant.": "모델 출력의 모양은 {out_shape}인데 레이블의 모양은 {y_shape}"
    "입니다(loss={loss}): Keras처럼 손실 함수가 브로드캐스팅하여 각 레이블을 모든 출력 값과 "
    "비교하는데, 이는 의도한 것이 아닐 때가 많습니다.",
    "model.compile({arguments}) is accepted and has no effect: layerfit runs each step eagerly in "
    "PyTorch (no graph to compile, no per-call overhead to spread over several steps); results "
    "are the same.": "model.compile({arguments})은(는) 받아들이지만 효과가 없습니다: layerfit은 "
    "PyTorch에서 각 스텝을 즉시 실행합니다(컴파일할 그래프도, 여러 스텝에 나눌 호출 비용도 "
    "없습니다). 결과는 같습니다.",
    "the default settings.": "기본 설정.",
    "leave these arguments out; for compiled speed-ups use torch.compile on the model.": "이 "
    "인수들을 빼세요. 컴파일로 빠르게 하려면 모델에 torch.compile을 쓰세요.",
    "Your input ran out of data; interrupting training. Make sure that your dataset or generator "
    "can generate at least `steps_per_epoch * epochs` batches (it gave {n} in total).": "입력 "
    "데이터가 바닥나서 학습을 중단합니다. 데이터셋이나 제너레이터가 적어도 "
    "`steps_per_epoch * epochs`개의 배치를 낼 수 있는지 확인하세요(모두 {n}개를 냈습니다).",
    "a generator that yields steps_per_epoch * epochs batches, e.g. one that loops forever "
    "(while True: ...).": "steps_per_epoch * epochs개의 배치를 내는 제너레이터, 예: 끝없이 "
    "도는 제너레이터(while True: ...).",
    "wrap the data in an endless loop, or lower steps_per_epoch or epochs.": "데이터를 끝없는 "
    "반복문으로 감싸거나, steps_per_epoch나 epochs를 줄이세요.",
    "Stateful {cls} {q_layer} carries states for batches of {carried} but got a batch of "
    "{batch}.": "상태 유지(stateful) {cls} {q_layer}은(는) 배치 크기 {carried}의 상태를 "
    "가지고 있는데, 크기 {batch}의 배치가 들어왔습니다.",
    "the same batch size on every call of a stateful layer.": "상태 유지 층을 호출할 때마다 같은 "
    "배치 크기.",
    "give fit/predict a batch_size that divides the number of samples, or call reset_states() "
    "before a batch of another size.": "fit/predict에 샘플 수를 나누어떨어지게 하는 batch_size를 "
    "주거나, 크기가 다른 배치 앞에서 reset_states()를 호출하세요.",
    "The model-building function returned {type}.": "모델을 만드는 함수가 {type}을(를) "
    "반환했습니다.",
    "a layerfit model (keras.Sequential, keras.Model) compiled and returned.": "컴파일해서 "
    "반환한 layerfit 모델(keras.Sequential, keras.Model).",
    "end build_model(hp) with model.compile(...) and `return model`.": "build_model(hp)의 끝에서 "
    "model.compile(...)을 호출하고 `return model`로 반환하세요.",
    "{n} trials in a row failed; the last one with:\n{traceback}": "{n}개의 시도가 연달아 "
    "실패했습니다. 마지막 시도의 오류:\n{traceback}",
    "trials that build, train and report the objective.": "모델을 만들고, 학습하고, 목표를 "
    "보고하는 시도.",
    "run build_model(kt.HyperParameters()) and fit it once by hand to see the error; raise "
    "max_consecutive_failed_trials to go on regardless.": "오류를 보려면 "
    "build_model(kt.HyperParameters())을 직접 실행해 한 번 fit해 보세요. 그래도 계속하려면 "
    "max_consecutive_failed_trials를 늘리세요.",
    "Reading and writing images needs Pillow, which is not installed.": "이미지를 읽고 쓰려면 "
    "Pillow가 필요한데, 설치되어 있지 않습니다.",
    "the Pillow package (layerfit's 'image' extra).": "Pillow 패키지(layerfit의 'image' 추가 "
    "패키지).",
    'pip install "layerfit[image]"  (or pip install pillow).': '`pip install "layerfit[image]"` '
    "(또는 `pip install pillow`).",
    # -- printed notices: callbacks, data loading, the demo and the CLI's help ------------------
    "Epoch {epoch}: early stopping": "에포크 {epoch}: 조기 종료",
    "Restoring model weights from the end of the best epoch: {epoch}.": "가장 좋았던 에포크가 "
    "끝났을 때의 모델 가중치로 되돌립니다: {epoch}.",
    "Epoch {epoch}: {monitor} did not improve from {best}": "에포크 {epoch}: {monitor}이(가) "
    "{best}에서 나아지지 않았습니다",
    "Epoch {epoch}: {monitor} improved from {best} to {current}, saving model to {path}": "에포크 "
    "{epoch}: {monitor}이(가) {best}에서 {current}(으)로 나아졌습니다. 모델을 {path}에 저장합니다",
    "Epoch {epoch}: saving model to {path}": "에포크 {epoch}: 모델을 {path}에 저장합니다",
    "Epoch {epoch}: LearningRateScheduler setting learning rate to {value}.": "에포크 {epoch}: "
    "LearningRateScheduler가 학습률을 {value}(으)로 정합니다.",
    "Epoch {epoch}: ReduceLROnPlateau reducing learning rate to {value}.": "에포크 {epoch}: "
    "ReduceLROnPlateau가 학습률을 {value}(으)로 낮춥니다.",
    "Batch {batch}: Invalid loss, terminating training": "배치 {batch}: 손실 값이 잘못되어 학습을 "
    "멈춥니다",
    "Found {n} files.": "파일 {n}개를 찾았습니다.",
    "Found {n} files belonging to {k} classes.": "클래스 {k}개에 속한 파일 {n}개를 찾았습니다.",
    "Using {n} files for training.": "학습에 파일 {n}개를 씁니다.",
    "Using {n} files for validation.": "검증 데이터로 파일 {n}개를 씁니다.",
    "Found {n} images belonging to {k} classes.": "클래스 {k}개에 속한 이미지 {n}개를 찾았습니다.",
    "Found {n} validated image filenames belonging to {k} classes.": "클래스 {k}개에 속한, 확인된 "
    "이미지 파일 이름 {n}개를 찾았습니다.",
    "Found {n} validated image filenames.": "확인된 이미지 파일 이름 {n}개를 찾았습니다.",
    "Keras 3's API on PyTorch.": "PyTorch 위에서 돌아가는 Keras 3의 API.",
    "train the seed MNIST model end to end": "seed MNIST 모델을 처음부터 끝까지 학습합니다",
    "Loads the data, trains with early stopping, evaluates on the test set, and writes the model "
    "and its learning curves to --out.": "데이터를 불러와 조기 종료와 함께 학습하고, 테스트 "
    "세트로 평가한 뒤, 모델과 학습 곡선을 --out 폴더에 씁니다.",
    "mlp: 784-256-256-10; cnn: the keras-io MNIST convnet": "mlp: 784-256-256-10, cnn: keras-io의 "
    "MNIST 합성곱 신경망",
    "at most this many (early stopping)": "최대 에포크 수(조기 종료)",
    "folder for the model and plots (default: ./layerfit-output)": "모델과 그래프를 저장할 폴더"
    "(기본값: ./layerfit-output)",
    "epochs without a better val_loss before stopping": "val_loss가 나아지지 않은 채 기다릴 에포크 "
    "수(그 뒤에 멈춤)",
    "train on the first SAMPLES training images only, for a quick try (default: all)": "빠르게 "
    "해 보려면 학습 이미지 중 앞의 SAMPLES개만으로 학습합니다(기본값: 전부)",
    "Test loss: {loss} - test accuracy: {accuracy}": "테스트 손실: {loss} - 테스트 정확도: "
    "{accuracy}",
    "Wrote {path}": "{path}에 썼습니다",
    "Done in {seconds}s; outputs in {folder}": "{seconds}초 만에 끝났습니다. 결과: {folder}",
    "Restored epoch {epoch}: val_loss {loss} - val_accuracy {accuracy} (logged at that epoch: "
    "{logged_loss} - {logged_accuracy})": "되돌린 에포크 {epoch}: val_loss {loss} - "
    "val_accuracy {accuracy}(그 에포크에 기록된 값: {logged_loss} - {logged_accuracy})",
    "Install matplotlib (pip install 'layerfit[plot]') for the learning-curve plot.": "학습 곡선 "
    "그래프를 그리려면 matplotlib을 설치하세요(pip install 'layerfit[plot]').",
    # -- the language setting itself -------------------------------------------------------------
    "Unknown language {q_language}.": "알 수 없는 언어 {q_language}입니다.",
    "one of {languages}, or None to follow LAYERFIT_LANG and the locale.": "{languages} 중 하나, "
    "또는 LAYERFIT_LANG과 로캘을 따르려면 None.",
    "layerfit.config.set_language('ko') for Korean messages.": "한국어 메시지를 보려면 "
    "layerfit.config.set_language('ko').",
}

BASE.update(
    {
        # -- string inputs inside a model ----------------------------------------------------
        "{layer} {q_name} was called on a string model input ({source}): layerfit models run "
        "on torch tensors, and torch has no string tensors.": "{layer} {q_name}이(가) 문자열 모델 "
        "입력({source})에 호출되었습니다: layerfit 모델은 torch 텐서로 실행되는데, torch에는 "
        "문자열 텐서가 없습니다.",
        "{layer} applied to the data before the model (it takes lists or numpy arrays of "
        "strings); the model starts from its numeric output.": "모델에 넣기 전에 데이터에 적용한 "
        "{layer}(문자열의 리스트나 numpy 배열을 받습니다); 모델은 그 숫자 출력에서 시작합니다.",
        "x = layer(texts) before fit, or dataset.map(lambda x, y: (layer(x), y)); then start "
        "the model with {code} (the {layer} output's shape).": "fit 전에 x = layer(texts), "
        "또는 dataset.map(lambda x, y: (layer(x), y)); 그다음 모델을 {code}(으)로 시작하세요 "
        "({layer} 출력의 모양).",
        # -- mixed precision -----------------------------------------------------------------
        "set_dtype_policy({q_name}) names no dtype policy.": "set_dtype_policy({q_name})는 "
        "dtype 정책 이름이 아닙니다.",
        "one of {names}.": "다음 중 하나: {names}.",
        "keras.mixed_precision.set_global_policy({q_name})": "keras.mixed_precision."
        "set_global_policy({q_name})",
        # -- several processes ---------------------------------------------------------------
        "model.fit() over {count} processes on model {q_name}, which overrides train_step or "
        "test_step.": "프로세스 {count}개에서 모델 {q_name}의 model.fit()을 실행하려 하는데, "
        "이 모델은 train_step이나 test_step을 재정의합니다.",
        "ModelParallel asks for model parallelism (weights split across devices), which "
        "layerfit does not support.": "ModelParallel은 모델 병렬화(가중치를 여러 장치에 나누기)를 "
        "요청하는데, layerfit은 이를 지원하지 않습니다.",
        "Distributed training was asked for, but {names} are not set.": "분산 학습이 요청되었지만 "
        "{names}이(가) 설정되어 있지 않습니다.",
    }
)

# The messages of each part of the package, in their own files to keep each one short; the
# tests check that no template is defined in two of them.
AREAS = (
    ko_layers,
    ko_training,
    ko_data,
    ko_search,
    ko_new,
    ko_symops,
    ko_apps,
    ko_files,
    ko_layers2,
    ko_ops,
    ko_metrics,
    ko_data2,
    ko_lead,
    ko_saving,
    ko_tuning,
    ko_viz,
    ko_core,
    ko_layers3,
    ko_kio,
)
MESSAGES = {**BASE}
for _area in AREAS:
    MESSAGES.update(_area.MESSAGES)
    FRAGMENTS.update(getattr(_area, "FRAGMENTS", {}))  # pieces put inside messages
