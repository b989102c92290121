"""Korean forms of the messages added on 2026-12-05 (metrics), in the style of ko.py."""

MESSAGES: dict[str, str] = {
    # -- losses: focal, Dice/Tversky, Circle, generalized crossentropy, CTC --
    "q in the open interval (0, 1).": "열린 구간 (0, 1) 안의 q.",
    "give one probability per label: for integer class labels with more than two classes use "
    "loss='categorical_focal_crossentropy' on one-hot labels.": "레이블마다 확률 하나를 주세요: "
    "클래스가 셋 이상인 정수 클래스 레이블이면 원-핫 인코딩한 레이블에 "
    "loss='categorical_focal_crossentropy'를 쓰세요.",
    "In loss categorical_focal_crossentropy, y_pred has shape {tuple_y_pred_shape}: a single "
    "class.": "손실 함수 categorical_focal_crossentropy에서 y_pred의 모양이 {tuple_y_pred_shape}"
    "입니다: 클래스가 하나뿐입니다.",
    "for two classes use loss='binary_focal_crossentropy' with a sigmoid output.": "클래스가 둘이면 "
    "sigmoid 출력과 함께 loss='binary_focal_crossentropy'를 쓰세요.",
    "one-hot encode integer labels with keras.utils.to_categorical(y, num_classes).": "정수 레이블을 "
    "keras.utils.to_categorical(y, num_classes)로 원-핫 인코딩하세요.",
    "give one predicted probability per target value (e.g. a sigmoid mask of the same shape as "
    "the target mask).": "목표값마다 예측 확률 하나를 주세요 (예: 목표 마스크와 같은 모양의 sigmoid "
    "마스크).",
    "circle got y_pred of shape {tuple_y_pred_shape}.": "circle이 모양 {tuple_y_pred_shape}의 "
    "y_pred를 받았습니다.",
    "embeddings of shape (batch, dim).": "모양 (batch, dim)의 임베딩.",
    "flatten the embeddings, and L2-normalize them (layers.UnitNormalization).": "임베딩을 "
    "펼치고 L2 정규화하세요 (layers.UnitNormalization).",
    "circle got {labels_shape_0} labels for {y_pred_shape_0} embeddings.": "circle이 임베딩 "
    "{y_pred_shape_0}개에 레이블 {labels_shape_0}개를 받았습니다.",
    "one integer label per embedding, y_true of shape (batch,).": "임베딩마다 정수 레이블 하나, "
    "모양 (batch,)의 y_true.",
    "pass class ids, not one-hot vectors, as y_true.": "y_true로 원-핫 벡터가 아니라 클래스 id를 "
    "주세요.",
    "integer class labels of shape {tuple_y_pred_shape_1}.": "모양 {tuple_y_pred_shape_1}의 정수 "
    "클래스 레이블.",
    "pass y.argmax(axis=-1) if your labels are one-hot encoded.": "레이블이 원-핫 인코딩되어 "
    "있으면 y.argmax(axis=-1)를 주세요.",
    "Targets `y_true` of the ctc loss have shape {tuple_labels_shape}.": "ctc 손실 함수의 목표 "
    "`y_true`의 모양이 {tuple_labels_shape}입니다.",
    "integer labels of shape (batch_size, max_length), padded with 0.": "0으로 채운 모양 "
    "(batch_size, max_length)의 정수 레이블.",
    "pad the label sequences to one length with 0 (the blank class).": "레이블 시퀀스를 0(빈 "
    "클래스)으로 채워 길이를 맞추세요.",
    "Logits `y_pred` of the ctc loss have shape {tuple_y_pred_shape}.": "ctc 손실 함수의 로짓 "
    "`y_pred`의 모양이 {tuple_y_pred_shape}입니다.",
    "logits of shape (batch_size, time_steps, num_classes).": "모양 (batch_size, time_steps, "
    "num_classes)의 로짓.",
    "end the model with Dense(num_classes + 1) over the time axis.": "모델을 시간 축 위의 "
    "Dense(num_classes + 1)로 끝내세요.",
    # -- metrics: AUC and the *AtRecall / *AtSpecificity family --
    "y_true and y_pred of the same shape: one 0/1 label per predicted probability.": "같은 모양의 "
    "y_true와 y_pred: 예측 확률마다 0/1 레이블 하나.",
    "for integer class labels and a softmax output, one-hot encode the labels "
    "(keras.utils.to_categorical) or pick one class with class_id=.": "정수 클래스 레이블과 "
    "softmax 출력이면 레이블을 원-핫 인코딩하거나(keras.utils.to_categorical) class_id=로 클래스 "
    "하나를 고르세요.",
    "{metric} got class_id={class_id} but y_pred of shape {tuple_y_pred_shape}.": "{metric}이(가) "
    "class_id={class_id}를 받았지만 y_pred의 모양은 {tuple_y_pred_shape}입니다.",
    "y_pred of shape (num_samples, num_classes) when class_id is given.": "class_id를 주면 모양 "
    "(num_samples, num_classes)의 y_pred.",
    "leave class_id=None for a single sigmoid output.": "sigmoid 출력 하나에는 class_id=None으로 "
    "두세요.",
    "{metric}(multi_label=True) got y_pred of shape {tuple_y_pred_shape}.": "{metric}"
    "(multi_label=True)이 모양 {tuple_y_pred_shape}의 y_pred를 받았습니다.",
    "y_pred of rank 2, (num_samples, num_labels).": "랭크 2의 y_pred, (num_samples, num_labels).",
    "use multi_label=False to pool every prediction into one curve.": "모든 예측을 곡선 하나로 "
    "모으려면 multi_label=False를 쓰세요.",
    "Invalid AUC curve value: {curve}.": "AUC curve 값이 잘못되었습니다: {curve}.",
    "AUC(curve='PR') for the area under the precision-recall curve.": "정밀도-재현율 곡선 아래 "
    "넓이는 AUC(curve='PR').",
    "Invalid AUC summation method value: {summation_method}.": "AUC 합산 방법 값이 "
    "잘못되었습니다: {summation_method}.",
    "leave summation_method='interpolation' (the default).": "summation_method='interpolation'"
    "(기본값)으로 두세요.",
    "AUC thresholds must be in [0, 1]. Received: thresholds={thresholds}.": "AUC 임계값은 [0, 1] "
    "안에 있어야 합니다. 받은 값: thresholds={thresholds}.",
    "a list of floats between 0 and 1.": "0과 1 사이 실수의 리스트.",
    "for a model without a final sigmoid (logits), pass from_logits=True.": "마지막에 sigmoid가 "
    "없는 모델(로짓)이면 from_logits=True를 주세요.",
    "Argument `num_thresholds` must be an integer > 1. Received: "
    "num_thresholds={num_thresholds}.": "인자 `num_thresholds`는 1보다 큰 정수여야 합니다. 받은 "
    "값: num_thresholds={num_thresholds}.",
    "an integer greater than 1 (200 by default).": "1보다 큰 정수(기본값 200).",
    "num_labels only together with multi_label=True.": "num_labels는 multi_label=True와 함께만.",
    "AUC(multi_label=True, num_labels=...), or drop num_labels.": "AUC(multi_label=True, "
    "num_labels=...)로 쓰거나 num_labels를 빼세요.",
    "AUC(multi_label=True) got y_pred of shape {tuple_shape}.": "AUC(multi_label=True)가 모양 "
    "{tuple_shape}의 y_pred를 받았습니다.",
    "AUC was built for {num_labels} labels but y_pred has shape {tuple_y_pred_shape}.": "AUC는 "
    "레이블 {num_labels}개로 만들어졌는데 y_pred의 모양이 {tuple_y_pred_shape}입니다.",
    "y_pred of shape (batch, {num_labels}) in every batch.": "모든 배치에서 모양 (batch, "
    "{num_labels})의 y_pred.",
    "make a new AUC metric for a model with another number of outputs.": "출력 수가 다른 모델에는 "
    "새 AUC 평가 지표를 만드세요.",
    "Argument `{VALUE}` of {kind} must be in the range [0, 1]. Received: {VALUE}={value}.": "{kind}"
    "의 인자 `{VALUE}`는 [0, 1] 범위 안에 있어야 합니다. 받은 값: {VALUE}={value}.",
    "a float between 0 and 1.": "0과 1 사이의 실수.",
    "Argument `num_thresholds` of {kind} must be an integer > 0. Received: "
    "num_thresholds={num_thresholds}.": "{kind}의 인자 `num_thresholds`는 0보다 큰 정수여야 "
    "합니다. 받은 값: num_thresholds={num_thresholds}.",
    "a positive integer (200 by default).": "양의 정수(기본값 200).",
    # -- metrics: F-scores, R2, IoU --
    "{metric} expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
    "y_pred.shape={tuple_y_pred_shape} and y_true.shape={tuple_y_true_shape}.": "{metric}은(는) "
    "모양 (batch_size, output_dim)의 2차원 입력을 받습니다. 받은 입력 모양: "
    "y_pred.shape={tuple_y_pred_shape}, y_true.shape={tuple_y_true_shape}.",
    "y_true and y_pred of the same shape (batch_size, output_dim).": "같은 모양 (batch_size, "
    "output_dim)의 y_true와 y_pred.",
    "one-hot encode integer labels (keras.utils.to_categorical), or reshape a flat target to "
    "(batch_size, 1).": "정수 레이블을 원-핫 인코딩하거나(keras.utils.to_categorical), 1차원 "
    "목표를 (batch_size, 1)로 reshape하세요.",
    "Invalid `average` argument value for {kind}: {average}.": "{kind}의 `average` 인자 값이 "
    "잘못되었습니다: {average}.",
    "{kind}(average='macro') for the mean of the per-class scores.": "클래스별 점수의 평균은 "
    "{kind}(average='macro').",
    "Invalid `beta` argument value for {kind}: {beta}.": "{kind}의 `beta` 인자 값이 "
    "잘못되었습니다: {beta}.",
    "a Python float greater than 0.": "0보다 큰 Python float.",
    "Invalid `threshold` argument value for {kind}: {threshold}.": "{kind}의 `threshold` 인자 "
    "값이 잘못되었습니다: {threshold}.",
    "a Python float with 0 < threshold <= 1, or None.": "0 < threshold <= 1인 Python float, "
    "또는 None.",
    "Invalid value for argument `class_aggregation`: {class_aggregation}.": "인자 "
    "`class_aggregation`의 값이 잘못되었습니다: {class_aggregation}.",
    "R2Score() averages the outputs' scores uniformly.": "R2Score()는 출력들의 점수를 균등하게 "
    "평균합니다.",
    "Invalid value for argument `num_regressors`: {num_regressors}.": "인자 `num_regressors`의 "
    "값이 잘못되었습니다: {num_regressors}.",
    "a value >= 0.": "0 이상의 값.",
    "R2Score(num_regressors=0) for the plain R2 score.": "보통의 R2 점수는 "
    "R2Score(num_regressors=0).",
    "R2Score(num_regressors={num_regressors}) has as many or more regressors than data points "
    "less one ({int_n} seen): it falls back to the plain R2 score.": "R2Score(num_regressors="
    "{num_regressors})의 회귀 변수 수가 데이터 점 수 빼기 1 이상입니다 ({int_n}개 봄): 보통의 R2 "
    "점수로 돌아갑니다.",
    "fewer regressors than data points minus 1 for the adjusted R2 score.": "조정된 R2 점수에는 "
    "데이터 점 수 빼기 1보다 적은 회귀 변수.",
    "evaluate on more samples, or leave num_regressors=0.": "더 많은 샘플로 평가하거나 "
    "num_regressors=0으로 두세요.",
    "a positive integer number of classes.": "양의 정수인 클래스 수.",
    "Target class ids {target_class_ids} are out of range, which is [0, {num_classes}).": "대상 "
    "클래스 id {target_class_ids}가 범위 [0, {num_classes}) 밖에 있습니다.",
    "class ids between 0 and num_classes - 1.": "0과 num_classes - 1 사이의 클래스 id.",
    "check num_classes, or the ids in target_class_ids.": "num_classes나 target_class_ids의 "
    "id를 확인하세요.",
    "{type_self___name} counted {y_true_numel} true classes but {y_pred_numel} predicted "
    "classes.": "{type_self___name}이(가) 정답 클래스 {y_true_numel}개와 예측 클래스 "
    "{y_pred_numel}개를 셌습니다.",
    "one predicted class per label; scores need sparse_y_pred=False.": "레이블마다 예측 클래스 "
    "하나; 점수에는 sparse_y_pred=False가 필요합니다.",
    "{type_self___name}(..., sparse_y_pred=False) when y_pred holds class scores (softmax "
    "outputs).": "y_pred가 클래스 점수(softmax 출력)이면 {type_self___name}(..., "
    "sparse_y_pred=False).",
}
