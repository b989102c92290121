"""Korean forms of the messages of training/, models/, callbacks/, losses/, metrics/,
optimizers/, backend/, config, the registry and the old-spelling shims.

English template -> Korean template, in the style of ko.py (its docstring gives the terms).
"""

MESSAGES = {
    # -- callbacks -------------------------------------------------------------------------------
    "a folder path.": "폴더 경로.",
    "leave save_freq out.": "save_freq를 빼세요.",
    "BackupAndRestore found a backup in {backup_dir} but the model is not built, so its weights "
    "cannot be restored.": "BackupAndRestore가 {backup_dir}에서 백업을 찾았지만 모델이 빌드되지 "
    "않아서 가중치를 복원할 수 없습니다.",
    "a model built before fit: Input(shape=...) first, or input_shape= on the first "
    "layer.": "fit 전에 빌드된 모델: 먼저 Input(shape=...)을 두거나, 첫 층에 input_shape=를 "
    "주세요.",
    "add layerfit.Input(shape=...) as the first layer.": "첫 층으로 layerfit.Input(shape=...)을 "
    "추가하세요.",
    "fit(epochs=...) of at least {epoch} to continue that run; or delete the folder {folder} "
    "to start afresh": "그 학습을 이어 가려면 {epoch} 이상의 fit(epochs=...); 아니면 처음부터 "
    "다시 하려면 폴더 {folder}을(를) 지우세요",
    "The backup state {state} is damaged or does not fit this run: {t_reason}. The backup was "
    "left as it is.": "백업 상태 {state}이(가) 손상되었거나 이번 학습에 맞지 않습니다: {t_reason}. "
    "백업은 그대로 두었습니다.",
    "a training_state.json written by BackupAndRestore for this training run.": "이번 학습에서 "
    "BackupAndRestore가 쓴 training_state.json.",
    "delete the folder {folder} to start training afresh.": "학습을 처음부터 다시 하려면 폴더 "
    "{folder}을(를) 지우세요.",
    "The state of {name} in the backup is damaged ({error_type}: {error}); the backup was left "
    "as it is.": "백업에 있는 {name}의 상태가 손상되었습니다({error_type}: {error}). 백업은 "
    "그대로 두었습니다.",
    "the state BackupAndRestore recorded for this callback.": "BackupAndRestore가 이 콜백에 "
    "대해 기록한 상태.",
    "delete the backup folder to start training afresh.": "학습을 처음부터 다시 하려면 백업 "
    "폴더를 지우세요.",
    "True or False (Keras's order: callbacks, add_history, add_progbar, model).": "True 또는 "
    "False(Keras의 순서: callbacks, add_history, add_progbar, model).",
    "pass the model and params by keyword: CallbackList(cbs, model=model, epochs=3).": "모델과 "
    "params는 키워드로 넘기세요: CallbackList(cbs, model=model, epochs=3).",
    "callbacks contains {callback} of type {type_name}.": "callbacks에 {type_name} 타입의 "
    "{callback}이(가) 들어 있습니다.",
    "instances of layerfit.callbacks.Callback.": "layerfit.callbacks.Callback의 인스턴스.",
    "pass objects such as EarlyStopping(patience=5), not the class itself.": "클래스 자체가 "
    "아니라 EarlyStopping(patience=5) 같은 객체를 넘기세요.",
    "a function (epoch, lr) -> new learning rate.": "(epoch, lr)을 받아 새 학습률을 돌려주는 함수.",
    "{name} returned {value} of type {type_name} as the learning rate.": "{name}이(가) 학습률로 "
    "{type_name} 타입의 {value}을(를) 돌려주었습니다.",
    "a number, the new learning rate.": "숫자, 곧 새 학습률.",
    "return a float from the schedule, e.g. `return lr * 0.9`.": "스케줄에서 float를 돌려주세요. "
    "예: `return lr * 0.9`.",
    "a factor between 0 and 1, the multiplier applied on a plateau.": "0과 1 사이의 배율: "
    "정체 구간에서 학습률에 곱하는 값.",
    "factor=0.5 halves the learning rate; factor=0.1 divides it by ten.": "factor=0.5는 학습률을 "
    "절반으로, factor=0.1은 10분의 1로 줄입니다.",
    "The TensorBoard callback needs the tensorboard package, which is not "
    "installed.": "TensorBoard 콜백에는 tensorboard 패키지가 필요한데, 설치되어 있지 않습니다.",
    "tensorboard importable in this Python.": "이 Python에서 import할 수 있는 tensorboard.",
    "pip install tensorboard  (or pip install 'layerfit[tensorboard]'), then tensorboard "
    "--logdir logs": "`pip install tensorboard`(또는 `pip install 'layerfit[tensorboard]'`)로 "
    "설치한 뒤 `tensorboard --logdir logs`",
    "'epoch', 'batch' or a number of batches.": "'epoch', 'batch' 또는 배치 수.",
    "NaN or Inf loss encountered at batch {batch}: loss {loss}.": "배치 {batch}에서 손실이 "
    "NaN 또는 Inf가 되었습니다: 손실 {loss}.",
    "lower the learning rate, scale the inputs to 0-1, and check the data for NaN "
    "values.": "학습률을 낮추고, 입력을 0-1로 스케일링하고, 데이터에 NaN 값이 있는지 확인하세요.",
    # -- losses and metrics ----------------------------------------------------------------------
    "y_true and y_pred of the same shape.": "모양이 같은 y_true와 y_pred.",
    "give one probability per label: for integer class labels with more than two classes use "
    "loss='sparse_categorical_crossentropy' and a softmax output.": "레이블마다 확률을 하나씩 "
    "주세요: 클래스가 셋 이상인 정수 레이블에는 loss='sparse_categorical_crossentropy'와 softmax "
    "출력을 쓰세요.",
    "`axis` must be of type `int`. Received: axis={axis} of type {type_name}.": "`axis`는 "
    "`int` 타입이어야 합니다. 받은 값: {type_name} 타입의 axis={axis}.",
    "an integer axis, usually -1 (the class axis).": "정수 축, 보통 -1(클래스 축).",
    "In loss categorical_crossentropy, y_pred has shape {shape}: a single "
    "class.": "categorical_crossentropy 손실 함수에서 y_pred의 모양이 {shape}입니다: 클래스가 "
    "하나뿐입니다.",
    "y_pred of shape (batch_size, num_classes) with num_classes > 1.": "num_classes > 1인 모양 "
    "(batch_size, num_classes)의 y_pred.",
    "for two classes use loss='binary_crossentropy' with a sigmoid output.": "클래스가 두 "
    "개라면 sigmoid 출력과 loss='binary_crossentropy'를 쓰세요.",
    "for integer class labels such as [3, 0, 7] use loss='sparse_categorical_crossentropy', or "
    "one-hot encode them with keras.utils.to_categorical(y, num_classes).": "[3, 0, 7] 같은 "
    "정수 클래스 레이블에는 loss='sparse_categorical_crossentropy'를 쓰거나, "
    "keras.utils.to_categorical(y, num_classes)로 원-핫 인코딩하세요.",
    "integer class labels of shape {shape} (or with a trailing axis of 1), one label per "
    "sample.": "샘플마다 레이블 하나씩인, 모양 {shape}(또는 끝에 크기 1인 축이 붙은)의 정수 "
    "클래스 레이블.",
    "pass one integer class index per sample, e.g. y of shape (batch,).": "샘플마다 정수 클래스 "
    "번호를 하나씩 넘기세요. 예: 모양 (batch,)의 y.",
    "your labels look one-hot encoded: use loss='categorical_crossentropy', or pass "
    "y.argmax(axis=-1) as labels.": "레이블이 원-핫 인코딩된 것 같습니다: "
    "loss='categorical_crossentropy'를 쓰거나, 레이블로 y.argmax(axis=-1)을 넘기세요.",
    "Could not interpret loss identifier: {identifier} (of type {type_name}).": "손실 함수 "
    "식별자를 해석할 수 없습니다: {identifier}({type_name} 타입).",
    "a loss name such as 'mse', a keras.losses.Loss, or a function (y_true, "
    "y_pred).": "'mse' 같은 손실 함수 이름, keras.losses.Loss, 또는 (y_true, y_pred)를 받는 함수.",
    "compile(loss='sparse_categorical_crossentropy', ...) for integer class labels.": "정수 "
    "클래스 레이블이라면 compile(loss='sparse_categorical_crossentropy', ...).",
    "Could not interpret loss config {config}.": "손실 함수 설정 {config}을(를) 해석할 수 "
    "없습니다.",
    "a name such as 'mse' or a dict with 'class_name' and 'config'.": "'mse' 같은 이름, 또는 "
    "'class_name'과 'config'가 있는 딕셔너리.",
    "Invalid value for argument `reduction`: {reduction}.": "`reduction` 인수의 값이 잘못되었습니다: "
    "{reduction}.",
    "use reduction='sum_over_batch_size' (the default) unless you need another.": "다른 것이 "
    "꼭 필요하지 않다면 reduction='sum_over_batch_size'(기본값)를 쓰세요.",
    "Invalid value for argument `threshold`: {threshold}.": "`threshold` 인수의 값이 "
    "잘못되었습니다: {threshold}.",
    "a value in the open interval (0, 1).": "열린 구간 (0, 1) 안의 값.",
    "use threshold=0.5 for sigmoid outputs.": "sigmoid 출력에는 threshold=0.5를 쓰세요.",
    "Threshold values must be in [0, 1]. Received: thresholds={thresholds}.": "임곗값은 [0, 1] "
    "범위여야 합니다. 받은 값: thresholds={thresholds}.",
    "a float (or list of floats) between 0 and 1.": "0과 1 사이의 float(또는 float의 리스트).",
    "for a model without a final sigmoid (logits), use thresholds=0.0.": "마지막에 sigmoid가 "
    "없는 모델(로짓)에는 thresholds=0.0을 쓰세요.",
    "Could not interpret metric identifier: {identifier} (of type {type_name}).": "평가 지표 "
    "식별자를 해석할 수 없습니다: {identifier}({type_name} 타입).",
    "a metric name such as 'accuracy', a keras.metrics.Metric, or a function.": "'accuracy' "
    "같은 평가 지표 이름, keras.metrics.Metric, 또는 함수.",
    "Could not interpret metric config {config}.": "평가 지표 설정 {config}을(를) 해석할 수 "
    "없습니다.",
    "a name such as 'accuracy' or a dict with 'class_name' and 'config'.": "'accuracy' 같은 "
    "이름, 또는 'class_name'과 'config'가 있는 딕셔너리.",
    "Metric state cannot use initializer={initializer}.": "평가 지표의 상태에는 "
    "initializer={initializer}을(를) 쓸 수 없습니다.",
    "'zeros' (the default), 'ones', a number, or an initializer object.": "'zeros'(기본값), "
    "'ones', 숫자, 또는 초기화 객체.",
    # -- training arguments ----------------------------------------------------------------------
    "model.compile({ignored}) is accepted and has no effect: layerfit runs each step in "
    "PyTorch, with no per-call overhead to spread over several steps; results are the "
    "same.": "model.compile({ignored})은(는) 받아들이지만 효과가 없습니다: layerfit은 각 스텝을 "
    "PyTorch에서 실행하므로 여러 스텝에 나눌 호출 비용이 없고, 결과는 같습니다.",
    "leave steps_per_execution out; for a compiled train step use compile(..., "
    "jit_compile=True).": "steps_per_execution을 빼세요. 컴파일된 학습 스텝을 원하면 "
    "compile(..., jit_compile=True)를 쓰세요.",
    "create the callback: {name}(...), not the class {name}.": "클래스 {name}이(가) 아니라 "
    "콜백 객체를 만드세요: {name}(...).",
    "build a functional model with one named Input per key: inputs = {{{key}: "
    "keras.Input(shape=..., name={key}), ...}}, then keras.Model(inputs, outputs).": "키마다 "
    "이름 있는 Input을 하나씩 두는 함수형 모델을 만드세요: inputs = {{{key}: "
    "keras.Input(shape=..., name={key}), ...}}, 그다음 keras.Model(inputs, outputs).",
    "pass the array itself, e.g. x[{key}]": "배열 자체를 넘기세요. 예: x[{key}]",
    "compile({argument}=...) names outputs {unknown} that the model does not have.": "compile("
    "{argument}=...)이(가) 모델에 없는 출력 {unknown}을(를) 가리킵니다.",
    "keys among the output names {output_names}.": "출력 이름 {output_names} 중의 키.",
    "use the names of the output layers (model.output_names).": "출력 층의 이름"
    "(model.output_names)을 쓰세요.",
    "one entry per output, or a dict keyed by output name.": "출력마다 항목 하나씩, 또는 출력 "
    "이름을 키로 하는 딕셔너리.",
    "one entry (a metric or a list of metrics) per output, or a dict keyed by output "
    "name.": "출력마다 항목(평가 지표 하나 또는 평가 지표의 리스트) 하나씩, 또는 출력 이름을 키로 "
    "하는 딕셔너리.",
    "'auto', 0 (silent), 1 (progress bar) or 2 (one line per epoch).": "'auto', 0(출력 없음), "
    "1(진행 막대) 또는 2(에포크마다 한 줄).",
    "samples of shape {built_for}, the shape this layer was built for.": "이 층이 빌드된 모양인 "
    "{built_for} 모양의 샘플.",
    "{t_where} expects input of shape {expected}, but x has shape {shape}.": "{t_where}은(는) 모양 "
    "{expected}의 입력을 기대하는데, x의 모양은 {shape}입니다.",
    "model.{stage}() over {size} processes on model {model_name}, which overrides train_step or "
    "test_step.": "프로세스 {size}개에서 모델 {model_name}의 model.{stage}()을(를) 실행하려 "
    "하는데, 이 모델은 train_step이나 test_step을 재정의합니다.",
    "the built-in steps, whose gradients and metrics are summed across processes.": "그래디언트와 "
    "평가 지표를 프로세스 사이에서 합산하는 기본 스텝.",
    "drop the override (a custom loss can go to compile(loss=...)), or run one "
    "process.": "재정의를 빼거나(직접 만든 손실 함수는 compile(loss=...)에 넣을 수 있습니다), "
    "프로세스 하나로 실행하세요.",
    "model.{stage}() on model {model_name}, which has no trainable weights: the loss and "
    "metrics are computed, but nothing is learned.": "모델 {model_name}의 model.{stage}(): 이 "
    "모델에는 학습할 수 있는 가중치가 없습니다. 손실과 평가 지표는 계산되지만 아무것도 학습되지 "
    "않습니다.",
    "The model has {count} outputs {names} but y holds {received}.": "모델의 출력은 {count}개"
    "({names})인데 y에는 {received}이(가) 들어 있습니다.",
    "one target array per output with a loss: a list in output order, or a dict keyed by "
    "output name.": "손실 함수가 있는 출력마다 목표값 배열 하나씩: 출력 순서대로의 리스트, 또는 "
    "출력 이름을 키로 하는 딕셔너리.",
    "LearningRateScheduler(lambda epoch, lr: lr * 0.95)": "LearningRateScheduler(lambda epoch, "
    "lr: lr * 0.95)",
    # -- the old-spelling shims, the registry, config ---------------------------------------------
    "{spelled}={value} is a number, not a tuple (({value}) in Python is just {value}): layerfit "
    "reads it as ({value},), but Keras 3 rejects it.": "{spelled}={value}은(는) 튜플이 아니라 "
    "숫자입니다(Python에서 ({value})는 그냥 {value}입니다): layerfit은 ({value},)로 읽지만, "
    "Keras 3은 이를 거부합니다.",
    "write {fixed} (the comma makes the tuple)": "{fixed}(으)로 쓰세요(쉼표가 있어야 튜플이 "
    "됩니다)",
    "Could not interpret {t_kind} config {config}.": "{t_kind} 설정 {config}을(를) 해석할 수 "
    "없습니다.",
    "a name such as {example} or a dict with 'class_name' and 'config'.": "{example} 같은 이름, "
    "또는 'class_name'과 'config'가 있는 딕셔너리.",
    "dtype='float32' (the default), or 'float16' / 'bfloat16' for half "
    "precision.": "dtype='float32'(기본값), 또는 반정밀도라면 'float16' / 'bfloat16'.",
    "a number of seconds.": "초 단위의 숫자.",
    "export LAYERFIT_DIST_TIMEOUT=300": "export LAYERFIT_DIST_TIMEOUT=300",
    "This PyTorch build has no torch.distributed.": "이 PyTorch 빌드에는 torch.distributed가 "
    "없습니다.",
    "a PyTorch build with distributed support (the official wheels have it).": "분산 학습을 "
    "지원하는 PyTorch 빌드(공식 wheel에는 들어 있습니다).",
    "install PyTorch from pytorch.org, or run one process without torchrun.": "pytorch.org에서 "
    "PyTorch를 설치하거나, torchrun 없이 프로세스 하나로 실행하세요.",
    "the environment torchrun sets for each process.": "torchrun이 프로세스마다 설정하는 "
    "환경 변수.",
    "launch the script with: torchrun --nproc_per_node=2 train.py": "스크립트를 이렇게 "
    "실행하세요: torchrun --nproc_per_node=2 train.py",
    "Process {rank} of {size} stopped waiting for the others during {t_what}: another process "
    "failed, stopped or fell out of step ({first}).": "{size}개 중 프로세스 {rank}이(가) "
    "{t_what} 중에 다른 프로세스를 기다리다 멈췄습니다: 다른 프로세스가 실패했거나, 멈췄거나, "
    "보조를 맞추지 못했습니다({first}).",
    "every process to run the same script on the same data and reach each step.": "모든 "
    "프로세스가 같은 데이터로 같은 스크립트를 실행해 각 스텝에 도달하는 것.",
    "read the other processes' output for the first error; a process that is only slow needs a "
    "longer timeout, e.g. LAYERFIT_DIST_TIMEOUT=900.": "다른 프로세스의 출력에서 첫 오류를 "
    "찾으세요. 느리기만 한 프로세스라면 제한 시간을 늘리세요. 예: LAYERFIT_DIST_TIMEOUT=900.",
    "The processes hold different models: process(es) {ranks} differ from process 0 in their "
    "weights' names or shapes ({counts} weights per process).": "프로세스마다 모델이 다릅니다: "
    "프로세스 {ranks}의 가중치 이름이나 모양이 프로세스 0과 다릅니다(프로세스별 가중치 수 "
    "{counts}).",
    "the same model, built the same way, on every process.": "모든 프로세스에서 같은 방식으로 "
    "빌드한 같은 모델.",
    "build the model without depending on the rank (same layers, same input shape); load "
    "weights after building, on every process.": "순위(rank)에 따라 달라지지 않게 모델을 "
    "빌드하세요(같은 층, 같은 입력 모양). 가중치는 빌드한 뒤 모든 프로세스에서 불러오세요.",
    "an integer seed.": "정수 시드.",
    "'channels_last' or 'channels_first'.": "'channels_last' 또는 'channels_first'.",
    "config.set_backend({backend}): layerfit runs on PyTorch only.": "config.set_backend("
    "{backend}): layerfit은 PyTorch에서만 실행됩니다.",
    "for Keras's other backends, use Keras itself with KERAS_BACKEND set.": "Keras의 다른 "
    "백엔드가 필요하면 KERAS_BACKEND를 설정하고 Keras 자체를 쓰세요.",
    "config.set_max_epochs({value}) is recorded but fit does not cap its epochs by it "
    "yet.": "config.set_max_epochs({value})은(는) 기록되지만, fit은 아직 이 값으로 에포크 수를 "
    "제한하지 않습니다.",
    "pass epochs= to fit() directly.": "fit()에 epochs=를 직접 넘기세요.",
    "config.set_max_steps_per_epoch({value}) is recorded but fit does not cap its steps by it "
    "yet.": "config.set_max_steps_per_epoch({value})은(는) 기록되지만, fit은 아직 이 값으로 "
    "스텝 수를 제한하지 않습니다.",
    "pass steps_per_epoch= to fit() directly.": "fit()에 steps_per_epoch=를 직접 넘기세요.",
    "config.disable_interactive_logging() is recorded, but layerfit always prints its progress "
    "to stdout (Keras sends it to absl logging instead).": "config.disable_interactive_logging()"
    "은 기록되지만, layerfit은 진행 상황을 늘 stdout에 출력합니다(Keras는 대신 absl 로그로 "
    "보냅니다).",
    "interactive logging enabled.": "대화형 로그가 켜진 상태.",
    "pass verbose=0 to fit/evaluate/predict to silence the progress output.": "진행 상황 출력을 "
    "끄려면 fit/evaluate/predict에 verbose=0을 넘기세요.",
    "config.disable_flash_attention() is recorded, but PyTorch's scaled_dot_product_attention "
    "picks its own kernel (flash when it can).": "config.disable_flash_attention()은 기록되지만, "
    "PyTorch의 scaled_dot_product_attention은 커널을 스스로 고릅니다(가능하면 flash).",
    "config.enable_flash_attention() is recorded, but PyTorch's scaled_dot_product_attention "
    "picks its own kernel (flash when it can).": "config.enable_flash_attention()은 기록되지만, "
    "PyTorch의 scaled_dot_product_attention은 커널을 스스로 고릅니다(가능하면 flash).",
    "no call: PyTorch decides per device and dtype.": "호출하지 않기: PyTorch가 장치와 dtype에 "
    "따라 정합니다.",
    "use torch.nn.attention.sdpa_kernel(...) to force a kernel.": "커널을 강제하려면 "
    "torch.nn.attention.sdpa_kernel(...)을 쓰세요.",
    "config.enable_unsafe_deserialization() changes nothing: layerfit never loads code "
    "(lambdas, pickles) from a saved file.": "config.enable_unsafe_deserialization()은 아무것도 "
    "바꾸지 않습니다: layerfit은 저장된 파일에서 코드(람다, pickle)를 절대 불러오지 않습니다.",
    "no call.": "호출하지 않기.",
    "rebuild Lambda layers in code and pass custom objects to "
    "load_model(custom_objects=...).": "Lambda 층은 코드로 다시 만들고, 사용자 정의 객체는 "
    "load_model(custom_objects=...)에 넘기세요.",
    # -- models ------------------------------------------------------------------------------------
    "model, input_tensors, clone_function, call_function, recursive.": "model, input_tensors, "
    "clone_function, call_function, recursive.",
    "clone_model() of the {kind} model {model_name} with {custom} is not supported "
    "yet.": "{kind} 모델 {model_name}에 {custom}을(를) 준 clone_model()은 아직 지원하지 않습니다.",
    "a Sequential model for these arguments, or clone_model(model) alone.": "이 인수들에는 "
    "Sequential 모델, 아니면 인수 없이 clone_model(model).",
    "clone without them, then change the clone's layers; or rebuild the model from your own "
    "code.": "그 인수 없이 복제한 뒤 복제본의 층을 바꾸거나, 직접 쓴 코드로 모델을 다시 만드세요.",
    "one input tensor.": "입력 텐서 하나.",
    "Inputs {missing} are missing from the dict given to model {name} (it has keys "
    "{keys}).": "모델 {name}에 준 딕셔너리에 입력 {missing}이(가) 없습니다(있는 키: {keys}).",
    "a dict with the keys {names}.": "키가 {names}인 딕셔너리.",
    "name the inputs with Input(shape=..., name='...') and use those names as keys.": "입력에 "
    "Input(shape=..., name='...')으로 이름을 붙이고 그 이름을 키로 쓰세요.",
    "one array per input, as a list in the same order or a dict keyed by input "
    "name.": "입력마다 배열 하나씩: 같은 순서의 리스트, 또는 입력 이름을 키로 하는 딕셔너리.",
    "model.fit([x_a, x_b], y) or model.fit({{'a': x_a, 'b': x_b}}, y)": "model.fit([x_a, x_b], "
    "y) 또는 model.fit({{'a': x_a, 'b': x_b}}, y)",
    "at least one symbolic tensor.": "심볼릭 텐서 하나 이상.",
    "inputs = Input(shape=(784,)); outputs = Dense(10)(inputs)": "inputs = Input(shape=(784,)); "
    "outputs = Dense(10)(inputs)",
    "inputs from layerfit.Input(...) and outputs from calling layers on them.": "layerfit.Input"
    "(...)으로 만든 입력과, 그 입력에 층을 호출해 얻은 출력.",
    "inputs = Input(shape=(784,)); outputs = Dense(10)(inputs); Model(inputs, outputs). Wrap "
    "plain torch modules first: layers.TorchModuleWrapper(module)(x).": "inputs = "
    "Input(shape=(784,)); outputs = Dense(10)(inputs); Model(inputs, outputs). 일반 torch "
    "모듈은 먼저 감싸세요: layers.TorchModuleWrapper(module)(x).",
    "Graph disconnected: {tensor} is needed to compute the outputs but it is not among the "
    "model's inputs.": "그래프가 끊어졌습니다: 출력을 계산하려면 {tensor}이(가) 필요한데, 모델의 "
    "입력에 들어 있지 않습니다.",
    "every Input the outputs depend on listed in Model(inputs=...).": "출력이 의존하는 모든 "
    "Input이 Model(inputs=...)에 나열된 것.",
    "add the missing Input to the inputs list: Model([input_a, input_b], ...).": "빠진 Input을 "
    "입력 리스트에 넣으세요: Model([input_a, input_b], ...).",
    "The layer names {repeated} are used more than once in the model.": "층 이름 {repeated}이(가) "
    "모델에서 두 번 이상 쓰였습니다.",
    "a unique name for every layer (they key the weights and get_layer()).": "층마다 서로 다른 "
    "이름(가중치와 get_layer()가 이 이름을 키로 씁니다).",
    "give one of the layers another name=, or leave name= out to get a unique "
    "one.": "층 하나에 다른 name=을 주거나, name=을 빼서 고유한 이름을 받으세요.",
    "Functional.from_config() found nodes whose inputs never appear: {names}.": "Functional."
    "from_config()가 입력이 나타나지 않는 노드를 찾았습니다: {names}.",
    "a config produced by Functional.get_config().": "Functional.get_config()가 만든 설정.",
    "Unknown layer class {class_name} in the model config.": "모델 설정에 알 수 없는 층 클래스 "
    "{class_name}이(가) 있습니다.",
    "a layerfit layer, or a custom class passed in custom_objects.": "layerfit 층, 또는 "
    "custom_objects로 넘긴 사용자 정의 클래스.",
    "either a layer name or an index, not both and not neither.": "층 이름이나 인덱스 중 "
    "정확히 하나(둘 다도, 둘 다 없는 것도 안 됩니다).",
    "model.get_layer('hidden') or model.get_layer(index=0)": "model.get_layer('hidden') 또는 "
    "model.get_layer(index=0)",
    "get_layer(index={index}) on model {name} with {count} layers.": "층이 {count}개인 모델 "
    "{name}에 get_layer(index={index})를 호출했습니다.",
    "an index in [{low}, {high}).": "[{low}, {high}) 범위의 인덱스.",
    "model.summary() lists the layers in order.": "model.summary()가 층을 순서대로 보여 줍니다.",
    "No layer named {name} in model {model}.": "모델 {model}에 이름이 {name}인 층이 없습니다.",
    "did you mean {choices}?": "혹시 {choices}을(를) 쓰려고 했나요?",
    "model.summary() lists the layer names.": "model.summary()가 층 이름을 보여 줍니다.",
    "Model {name} could not be built from input_shape={input_shape}: {error_type}: "
    "{error}": "모델 {name}을(를) input_shape={input_shape}(으)로 빌드할 수 없습니다: "
    "{error_type}: {error}",
    "a call() that runs on a batch of zeros of that shape (batch axis first).": "그 모양의 0으로 "
    "된 배치(배치 축이 먼저)에서 실행되는 call().",
    "build it by calling it on real data instead: model(x_train[:1]).": "대신 실제 데이터로 "
    "호출해서 빌드하세요: model(x_train[:1]).",
    "Model.from_module() needs input_shape.": "Model.from_module()에는 input_shape가 필요합니다.",
    "the shape of one sample without the batch axis.": "배치 축을 뺀 샘플 하나의 모양.",
    "export(format='tf_saved_model') (Keras's default) needs TensorFlow, which layerfit (on "
    "PyTorch) does not use: writing ONNX instead.": "export(format='tf_saved_model')(Keras의 "
    "기본값)에는 TensorFlow가 필요한데, (PyTorch 위의) layerfit은 TensorFlow를 쓰지 않습니다: "
    "대신 ONNX로 씁니다.",
    "pass format='onnx' (or 'torch_export') to say so and silence this.": "그렇게 하려는 "
    "것이라면 format='onnx'(또는 'torch_export')를 넘겨 이 경고를 끄세요.",
    "a layer instance such as Dense(10), or Input(shape=...).": "Dense(10) 같은 층 인스턴스, "
    "또는 Input(shape=...).",
    "create the layer with its arguments: model.add(Dense(32, activation='relu')).": "인수를 "
    "주어 층을 만드세요: model.add(Dense(32, activation='relu')).",
    "Input {layer_name} added to Sequential {name} after other layers.": "Input {layer_name}이(가) "
    "다른 층 뒤에 Sequential {name}에 추가되었습니다.",
    "the Input as the first entry.": "첫 항목으로 둔 Input.",
    "put Input(shape=...) first, or give the first layer input_shape=.": "Input(shape=...)을 "
    "맨 앞에 두거나, 첫 층에 input_shape=를 주세요.",
    "Sequential {name} already has a layer named {layer_name}.": "Sequential {name}에는 이미 "
    "이름이 {layer_name}인 층이 있습니다.",
    "unique layer names in a model.": "모델 안에서 서로 다른 층 이름.",
    "give the layer another name=.": "층에 다른 name=을 주세요.",
    "pop() on Sequential {name}, which has no layers.": "층이 없는 Sequential {name}에 pop()을 "
    "호출했습니다.",
    "a model with at least one layer to remove.": "없앨 층이 하나 이상 있는 모델.",
    "check len(model.layers) before calling model.pop().": "model.pop()을 호출하기 전에 "
    "len(model.layers)를 확인하세요.",
    "summary(line_length={line_length}, positions={positions}) leaves no room for the {count} "
    "columns.": "summary(line_length={line_length}, positions={positions})로는 열 {count}개가 "
    "들어갈 자리가 없습니다.",
    "{count} increasing fractions of the line, ending at 1.0.": "1.0으로 끝나는, 줄 길이에 대한 "
    "증가하는 비율 {count}개.",
    "call summary() without positions, or with a larger line_length.": "positions 없이, 또는 "
    "더 큰 line_length로 summary()를 호출하세요.",
    "a list or tuple of two strings: the first and last layer names (or "
    "regexes).": "문자열 두 개의 리스트나 튜플: 처음과 마지막 층의 이름(또는 정규식).",
    "summary(layer_range={layer_range}) matches no layer at the end.": "summary(layer_range="
    "{layer_range})의 끝 이름에 맞는 층이 없습니다.",
    "summary(layer_range={layer_range}) matches no layer at the start.": "summary(layer_range="
    "{layer_range})의 시작 이름에 맞는 층이 없습니다.",
    "names (or regexes) of this model's layers: {names}.": "이 모델 층의 이름(또는 정규식): "
    "{names}.",
    "copy the names from model.summary()'s first column.": "model.summary()의 첫 열에서 이름을 "
    "복사하세요.",
    # -- optimizers --------------------------------------------------------------------------------
    "Argument `weight_decay` must be a float. Received: weight_decay=None.": "`weight_decay` "
    "인수는 float여야 합니다. 받은 값: weight_decay=None.",
    "a float such as 0.004.": "0.004 같은 float.",
    "use Adam instead of AdamW for no weight decay.": "가중치 감쇠가 필요 없다면 AdamW 대신 "
    "Adam을 쓰세요.",
    "Argument `learning_rate` should be a float, a LearningRateSchedule or a callable. Received: "
    "learning_rate={value} of type {type_name}.": "`learning_rate` 인수는 float, "
    "LearningRateSchedule 또는 호출할 수 있는 객체여야 합니다. 받은 값: {type_name} 타입의 "
    "learning_rate={value}.",
    "a number such as 0.001.": "0.001 같은 숫자.",
    "The `lr` argument is deprecated.": "`lr` 인수는 더 이상 쓰지 않습니다.",
    "write {name}(learning_rate={value}).": "{name}(learning_rate={value})(으)로 쓰세요.",
    "Argument `decay` is no longer supported and will be ignored.": "`decay` 인수는 더 이상 "
    "지원하지 않으며 무시됩니다.",
    "a learning-rate schedule for a decaying rate.": "줄어드는 학습률에는 학습률 스케줄.",
    "pass learning_rate=keras.optimizers.schedules.InverseTimeDecay(...).": "learning_rate="
    "keras.optimizers.schedules.InverseTimeDecay(...)를 넘기세요.",
    "keywords among: {names}.": "다음 중의 키워드: {names}.",
    "remove the unknown argument(s).": "알 수 없는 인수를 빼세요.",
    "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
    "{given}.": "`clipnorm`, `clipvalue`, `global_clipnorm` 중 하나만 설정할 수 있습니다. 받은 "
    "값: {given}.",
    "at most one clipping argument.": "클리핑 인수는 많아야 하나.",
    "keep the one you need, e.g. global_clipnorm=1.0.": "필요한 하나만 남기세요. 예: "
    "global_clipnorm=1.0.",
    "`gradient_accumulation_steps` must be an integer >= 2. Received: "
    "gradient_accumulation_steps={steps}.": "`gradient_accumulation_steps`는 2 이상의 정수여야 "
    "합니다. 받은 값: gradient_accumulation_steps={steps}.",
    "None, or an integer >= 2.": "None, 또는 2 이상의 정수.",
    "`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={value}.": "`ema_momentum`"
    "은 [0, 1] 범위여야 합니다. 받은 값: ema_momentum={value}.",
    "a float such as 0.99.": "0.99 같은 float.",
    "Could not interpret optimizer identifier: {identifier} (of type {type_name}).": "옵티마이저 "
    "식별자를 해석할 수 없습니다: {identifier}({type_name} 타입).",
    "an optimizer name such as 'adam', or a keras.optimizers.Optimizer.": "'adam' 같은 옵티마이저 "
    "이름, 또는 keras.optimizers.Optimizer.",
    "compile(optimizer='adam', ...) or compile(optimizer=Adam(learning_rate=1e-3)).": "compile("
    "optimizer='adam', ...) 또는 compile(optimizer=Adam(learning_rate=1e-3)).",
    "This optimizer was created with a LearningRateSchedule, so its learning rate is not "
    "settable to a number.": "이 옵티마이저는 LearningRateSchedule로 만들어져서 학습률을 숫자로 "
    "바꿀 수 없습니다.",
    "a new LearningRateSchedule, or an optimizer created with a float rate.": "새 "
    "LearningRateSchedule, 또는 float 학습률로 만든 옵티마이저.",
    "create the optimizer with learning_rate=<float> to set it later.": "나중에 바꾸려면 "
    "learning_rate=<float>로 옵티마이저를 만드세요.",
    "`optimizer.lr` is deprecated.": "`optimizer.lr`은 더 이상 쓰지 않습니다.",
    "use optimizer.learning_rate.": "optimizer.learning_rate를 쓰세요.",
    "use optimizer.learning_rate = value.": "optimizer.learning_rate = value를 쓰세요.",
    "Optimizer '{name}' has {expected} state tensors but the saved state has {given} (missing: "
    "{missing}, unexpected: {unexpected}).": "옵티마이저 '{name}'의 상태 텐서는 {expected}개인데 "
    "저장된 상태에는 {given}개가 있습니다(빠진 것: {missing}, 예상하지 못한 것: {unexpected}).",
    "a state saved from the same optimizer class on the same model.": "같은 모델에서 같은 "
    "옵티마이저 클래스로 저장한 상태.",
    "build the optimizer on the same parameters, or start a fresh optimizer.": "같은 파라미터로 "
    "옵티마이저를 빌드하거나, 새 옵티마이저로 시작하세요.",
    "Optimizer '{name}' was stepped before it was built.": "옵티마이저 '{name}'이(가) 빌드되기 "
    "전에 스텝을 밟았습니다.",
    "optimizer.build(params) once before the first step.": "첫 스텝 전에 한 번 "
    "optimizer.build(params).",
    "call optimizer.build(model.parameters()) after moving the model to its device.": "모델을 "
    "장치로 옮긴 뒤 optimizer.build(model.parameters())를 호출하세요.",
    "No gradients provided for any variable.": "어떤 변수에도 그래디언트가 없습니다.",
    "loss.backward() to fill the parameters' .grad before optimizer.step().": "optimizer.step() "
    "전에 파라미터의 .grad를 채우는 loss.backward().",
    "check that the loss depends on the model's weights and that backward ran.": "손실이 모델의 "
    "가중치에 의존하는지, backward가 실행되었는지 확인하세요.",
    "`exclude_from_weight_decay()` can only be configured before the optimizer is "
    "built.": "`exclude_from_weight_decay()`는 옵티마이저가 빌드되기 전에만 설정할 수 있습니다.",
    "a call before optimizer.build(...) (before the first fit).": "optimizer.build(...) 전의 "
    "호출(첫 fit 전).",
    "`momentum` must be a float between [0, 1]. Received: momentum={momentum}.": "`momentum`은 "
    "[0, 1] 범위의 float여야 합니다. 받은 값: momentum={momentum}.",
    "a float such as 0.9.": "0.9 같은 float.",
    "Argument `{name}` must be > 0. Received: {name}={value}.": "`{name}` 인수는 0보다 커야 "
    "합니다. 받은 값: {name}={value}.",
    "a positive number of optimizer steps.": "옵티마이저 스텝 수(양수).",
    "The length of boundaries should be 1 less than the length of values. Received: "
    "boundaries={boundaries} of length {n_boundaries}, and values={values} of length "
    "{n_values}.": "boundaries의 길이는 values의 길이보다 1 작아야 합니다. 받은 값: 길이 "
    "{n_boundaries}의 boundaries={boundaries}, 길이 {n_values}의 values={values}.",
    "pass your own class in custom_objects={{'MySchedule': MySchedule}}.": "직접 만든 클래스를 "
    "custom_objects={{'MySchedule': MySchedule}}로 넘기세요.",
    "BackupAndRestore got an empty backup_dir.": "BackupAndRestore에 빈 backup_dir이 주어졌습니다.",
    "BackupAndRestore got save_freq={save_freq}; layerfit backs up at the end of each epoch "
    "only, so a resumed run matches an uninterrupted one.": "BackupAndRestore에 "
    "save_freq={save_freq}이(가) 주어졌습니다. layerfit은 에포크가 끝날 때만 백업하므로, 이어서 "
    "한 학습은 중단 없이 한 학습과 같습니다.",
    "LearningRateScheduler got schedule={schedule}, which is not callable.": "LearningRateScheduler"
    "에 호출할 수 없는 schedule={schedule}이(가) 주어졌습니다.",
    "ReduceLROnPlateau got factor={factor}; the rate would not go down.": "ReduceLROnPlateau에 "
    "factor={factor}이(가) 주어졌습니다. 이 값으로는 학습률이 줄어들지 않습니다.",
    "Unknown image data format {data_format}.": "알 수 없는 이미지 데이터 형식 {data_format}입니다.",
    "{loss} got y_true of shape {true_shape} and y_pred of shape {pred_shape}.": "{loss}에 모양 "
    "{true_shape}의 y_true와 모양 {pred_shape}의 y_pred가 주어졌습니다.",
    "sparse_categorical_crossentropy got y_true of shape {true_shape} and y_pred of shape "
    "{pred_shape}.": "sparse_categorical_crossentropy에 모양 {true_shape}의 y_true와 모양 "
    "{pred_shape}의 y_pred가 주어졌습니다.",
    "clone_model() got unexpected arguments {names}.": "clone_model()에 예상하지 못한 인수 "
    "{names}이(가) 주어졌습니다.",
    "Model {name} has {count} inputs {input_names} but got {given} arrays.": "모델 {name}의 입력은 "
    "{count}개({input_names})인데 배열 {given}개가 주어졌습니다.",
    "Model(inputs, outputs) got {type_name} in {argument} where a symbolic tensor was "
    "expected.": "Model(inputs, outputs)의 {argument}에 심볼릭 텐서 대신 {type_name}이(가) "
    "주어졌습니다.",
    "Sequential.add() got {layer} of type {type_name}.": "Sequential.add()에 {type_name} 타입의 "
    "{layer}이(가) 주어졌습니다.",
    "{name} got unexpected keyword argument(s): {names}.": "{name}에 예상하지 못한 키워드 인수가 "
    "주어졌습니다: {names}.",
    "Unknown learning rate schedule {name}.": "알 수 없는 학습률 스케줄 {name}입니다.",
    "compile({argument}=...) got {count} entries for {outputs} outputs {output_names}.": "compile("
    "{argument}=...)에 출력 {outputs}개({output_names})에 대해 항목 {count}개가 주어졌습니다.",
}

# Pieces that other code puts inside the messages above (a {t_...} placeholder's value):
# looked up only there, never as a whole message.
FRAGMENTS = {
    "Input {q_name} of model {q_model}": "모델 {q_model}의 입력 {q_name}",
    "Model {q_model}": "모델 {q_model}",
    "a sum over processes": "프로세스 간 합산",
    "a gather of results": "결과 모으기",
    "a broadcast from process 0": "프로세스 0의 브로드캐스트",
    "a barrier": "배리어(barrier)",
    "the weight broadcast": "가중치 브로드캐스트",
    "it records {epoch} finished epochs, but this fit runs {epochs}": "끝난 에포크가 {epoch}번으로 기록되어 있는데, 이번 fit은 {epochs}번만 실행합니다",
    "its random generator states cannot be restored ({error})": "난수 생성기 상태를 복원할 수 없습니다({error})",
    "the arrays of {key} are missing from {arrays}": "{key}의 배열이 {arrays}에 없습니다",
    "it is not valid JSON ({kind})": "올바른 JSON이 아닙니다({kind})",
    "it is not a JSON object": "JSON 객체가 아닙니다",
    "its epoch {epoch} is not a positive whole number": "epoch {epoch}이(가) 양의 정수가 아닙니다",
    "its model_file {model_file} is not a file name in the folder": "model_file {model_file}이(가) 폴더 안의 파일 이름이 아닙니다",
    "its model file {model_file} is missing": "모델 파일 {model_file}이(가) 없습니다",
    "its random generator states are not those get_rng_state writes": "난수 생성기 상태가 get_rng_state가 쓰는 형식이 아닙니다",
    "its callbacks entry is not a mapping of callback states": "callbacks 항목이 콜백 상태의 매핑이 아닙니다",
}
