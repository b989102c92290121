"""Korean forms of the messages added in the 2026-12-04 evening session (lead, data, files,
layers, apps1, dist), in the style of ko.py."""

MESSAGES = {
    # -- lead --
    "Limiting epochs to {n} (keras.config.max_epochs() is set).": "에포크 수를 {n}(으)로 제한합니다 (keras.config.max_epochs()가 설정되어 있습니다).",
    "Limiting {name} to {n} (keras.config.max_steps_per_epoch() is set).": "{name}을(를) {n}(으)로 제한합니다 (keras.config.max_steps_per_epoch()가 설정되어 있습니다).",
    # -- lead --
    "Layer.add_metric() was removed in Keras 3 (called on {name}).": "Layer.add_metric()은 Keras 3에서 없어졌습니다 ({name}에서 호출됨).",
    "metrics in Model.compile(metrics=[...]), or a metric object you update.": "평가 지표는 Model.compile(metrics=[...])에 넣거나, 직접 갱신하는 평가 지표 객체로 만드세요.",
    # -- data --
    "Layer {q_name} ({kind}) got text (dtype {dtype}); it computes on numbers, and torch has no "
    "string tensors.": "층 {q_name}({kind})에 텍스트(dtype {dtype})가 들어왔습니다: 이 층은 숫자로 "
    "계산하고, torch에는 문자열 텐서가 없습니다.",
    "text turned into numbers before this layer: TextVectorization, StringLookup or Hashing "
    "first.": "이 층 앞에서 텍스트를 숫자로 바꾸기: 먼저 TextVectorization, StringLookup 또는 Hashing.",
    "put the text layer first: inputs = keras.Input(shape=(1,), dtype='string'); x = "
    "vectorize(inputs), with vectorize = layers.TextVectorization() adapted to the texts; or "
    "vectorize the data before the model: dataset.map(lambda x, y: (vectorize(x), y)).": "텍스트 "
    "층을 맨 앞에 두세요: inputs = keras.Input(shape=(1,), dtype='string'); x = vectorize(inputs) "
    "(vectorize = layers.TextVectorization()을 텍스트에 adapt한 것); 또는 모델에 넣기 전에 데이터를 "
    "벡터화하세요: dataset.map(lambda x, y: (vectorize(x), y)).",
    "x holds text (dtype {dtype}), but input {q_input} of model {q_model} takes numbers (dtype "
    "{expected}).": "x에 텍스트(dtype {dtype})가 들어 있는데, 모델 {q_model}의 입력 {q_input}은(는) "
    "숫자(dtype {expected})를 받습니다.",
    "token ids or vectors made from the text, or a string Input followed by "
    "TextVectorization.": "텍스트로 만든 토큰 id나 벡터, 또는 문자열 Input 뒤에 TextVectorization.",
    "vectorize it first: vectorize = layers.TextVectorization(); vectorize.adapt(texts); then pass "
    "vectorize(texts), or a dataset mapped with dataset.map(lambda x, y: (vectorize(x), y)); or "
    "start the model with keras.Input(shape=(1,), dtype='string') and x = vectorize(inputs).": "먼저 "
    "벡터화하세요: vectorize = layers.TextVectorization(); vectorize.adapt(texts); 그다음 "
    "vectorize(texts)를 넘기거나 dataset.map(lambda x, y: (vectorize(x), y))로 매핑한 데이터셋을 "
    "넘기세요; 또는 모델을 keras.Input(shape=(1,), dtype='string')로 시작하고 x = vectorize(inputs).",
    "Input {q_input} of model {q_model} is declared dtype='string' but got {received}.": "모델 "
    "{q_model}의 입력 {q_input}은(는) dtype='string'으로 선언되었는데 {received}을(를) 받았습니다.",
    "a list or numpy array of strings, one per sample.": "샘플마다 문자열 하나씩인 리스트나 numpy 배열.",
    "pass the texts themselves, e.g. model.predict(np.array(['a review'])); numbers go to a "
    "numeric Input (dtype='float32' or 'int64').": "텍스트 자체를 넘기세요. 예: "
    "model.predict(np.array(['a review'])); 숫자는 숫자 Input(dtype='float32' 또는 'int64')으로.",
    # Augmentation layers' messages:
    "{layer} got {arg}={value}.": "{layer}에 {arg}={value}이(가) 주어졌습니다.",
    "a number or a pair (lower, upper) of numbers in [{low}, {high}].": "[{low}, {high}] 안의 수 "
    "하나 또는 수 두 개의 쌍 (lower, upper).",
    "{arg}=0.5, or {arg}=(0.5, 0.5) for a fixed amount.": "{arg}=0.5, 또는 고정된 양이면 "
    "{arg}=(0.5, 0.5).",
    "a pair (low, high) with low < high: the range of the pixel values.": "low < high인 쌍 "
    "(low, high): 픽셀 값의 범위.",
    "a probability between 0 and 1.": "0과 1 사이의 확률.",
    "{layer} got a dict with {keys}: bounding boxes and segmentation masks are not supported by "
    "layerfit's augmentation layers.": "{layer}에 {keys}가 든 딕셔너리가 주어졌습니다: layerfit의 "
    "증강 층은 바운딩 박스와 분할 마스크를 지원하지 않습니다.",
    "a dict with 'images' and optionally 'labels', or the images alone.": "'images'(와 선택적으로 "
    "'labels')가 든 딕셔너리, 또는 이미지만.",
    "augment the images and labels only, or transform boxes with your own code.": "이미지와 "
    "레이블만 증강하거나, 박스는 직접 작성한 코드로 변환하세요.",
    "a positive number.": "양수.",
    "None (noise), a number, or three numbers (one per channel).": "None(잡음), 수 하나, 또는 "
    "채널마다 하나씩 수 세 개.",
    "an odd positive integer, or a pair of them.": "홀수인 양의 정수, 또는 그런 수의 쌍.",
    "a list of layerfit layers.": "layerfit 층의 리스트.",
    "None, an integer, or a pair of integers (the SipHash key).": "None, 정수 하나, 또는 정수 두 "
    "개의 쌍(SipHash 키).",
    "Hashing(sparse=True): layerfit returns dense tensors only.": "Hashing(sparse=True): layerfit은 "
    "밀집 텐서만 돌려줍니다.",
    "drop sparse=True; the dense one_hot/multi_hot/count output holds the same values.": "sparse=True를 "
    "빼세요. 밀집 one_hot/multi_hot/count 출력에 같은 값이 들어 있습니다.",
    # (The old Hashing message "Hashing with salt= (TensorFlow's keyed SipHash) or sparse=True is not
    # available in layerfit." is gone; it was not in ko.py or docs.)
    # (The English call sites are f-strings with these values: `{layer} got {arg}={value!r}.` for
    # every factor/alpha/bins/kernel_size/fill_value/layers check; fixes like `alpha=0.2`,
    # `bins=256`, `kernel_size=3`, `fill_value=0.0`, `seed=42` are code only.)
    # -- files --
    "model.save({q_path}) writes Keras 2's legacy HDF5 format, as Keras does for .h5: the "
    "architecture, weights and compile settings, without the optimizer state.": "model.save("
    "{q_path})는 Keras처럼 .h5에 Keras 2의 예전 형식(HDF5)으로 씁니다: 구조, 가중치, compile "
    "설정은 저장되고 옵티마이저 상태는 저장되지 않습니다.",
    "The file's {name} optimizer has decay={decay}, an argument Keras 3 removed; it is ignored "
    "(as Keras 3 ignores it).": "파일의 {name} 옵티마이저에 decay={decay}가 있지만 Keras 3에서 "
    "없어진 인자라 무시합니다(Keras 3도 무시합니다).",
    "a learning-rate schedule for a decaying learning rate.": "학습률을 줄이려면 학습률 스케줄.",
    "compile again with learning_rate=keras.optimizers.schedules.InverseTimeDecay("
    "initial_learning_rate, decay_steps=1, decay_rate={decay}).": "learning_rate=keras.optimizers."
    "schedules.InverseTimeDecay(initial_learning_rate, decay_steps=1, decay_rate={decay})로 다시 "
    "compile하세요.",
    "{source} is an HDF5 file without a model_config: it holds weights only.": "{source}는 "
    "model_config가 없는 HDF5 파일입니다: 가중치만 들어 있습니다.",
    "a whole-model file from model.save('model.h5') to use load_model.": "load_model에는 "
    "model.save('model.h5')로 저장한 전체 모델 파일.",
    "build the model in code, then model.load_weights(path).": "코드로 모델을 만든 뒤 "
    "model.load_weights(path)를 호출하세요.",
    "The model has {n} layers with weights ({names}) but {source} holds weights for {m} "
    "({saved}).": "모델에는 가중치가 있는 층이 {n}개({names}) 있지만 {source}에는 {m}개({saved})의 "
    "가중치가 있습니다.",
    "a Keras 2 file saved from a model with the same layers in the same order (load_weights "
    "matches them by position).": "같은 층을 같은 순서로 가진 모델에서 저장한 Keras 2 파일"
    "(load_weights는 위치로 맞춥니다).",
    "build the model as the one that saved the file (compare model.summary()), or "
    "load_weights(path, by_name=True, skip_mismatch=True) to load the layers whose names match.": "파일을 저장한 모델과 똑같이 만들거나(model.summary()를 비교하세요), 이름이 같은 층만 "
    "불러오려면 load_weights(path, by_name=True, skip_mismatch=True)를 쓰세요.",
    "Layer {q_layer} ({cls}) has {n} weights but {source} holds {m} for its layer {q_saved}.": "층 {q_layer}({cls})의 가중치는 {n}개인데 {source}에는 그 층 {q_saved}의 가중치가 {m}개 "
    "있습니다.",
    "a Keras 2 file saved from a model with the same layers.": "같은 층을 가진 모델에서 저장한 "
    "Keras 2 파일.",
    "build the model as the one that saved the file (compare model.summary()), or pass "
    "by_name=True, skip_mismatch=True to load the layers that fit.": "파일을 저장한 모델과 똑같이 "
    "만들거나(model.summary()를 비교하세요), 맞는 층만 불러오려면 by_name=True, "
    "skip_mismatch=True를 넘기세요.",
    "Weight shape mismatch in layer {q_layer}: its weight {q_key} has shape {expected} in the "
    "model but {shape} in {source} (layer {q_saved}, weight {q_name}).": "층 {q_layer}의 가중치 "
    "모양이 다릅니다: 가중치 {q_key}의 모양이 모델에서는 {expected}, {source}에서는 {shape}입니다"
    "(층 {q_saved}, 가중치 {q_name}).",
    "build the model with the same layer sizes and input shape as when it was saved (compare "
    "model.summary()), or pass skip_mismatch=True to load what fits.": "저장할 때와 같은 층 "
    "크기와 입력 모양으로 모델을 만들거나(model.summary()를 비교하세요), 맞는 것만 불러오려면 "
    "skip_mismatch=True를 넘기세요.",
    "load_weights(skip_mismatch=True) left {n} weights as they were: {names}.": "load_weights("
    "skip_mismatch=True)가 가중치 {n}개를 그대로 두었습니다: {names}.",
    "weights whose counts and shapes match the file.": "파일과 개수와 모양이 맞는 가중치.",
    "this is expected when reusing part of a model; check it if it is not.": "모델 일부를 다시 "
    "쓸 때는 정상입니다. 그렇지 않다면 확인하세요.",
    "load_weights got keyword arguments it does not take: {names}.": "load_weights가 받지 않는 "
    "키워드 인자를 받았습니다: {names}.",
    "filepath, skip_mismatch, by_name (Keras 2 .h5 files only) and max_bytes.": "filepath, "
    "skip_mismatch, by_name(Keras 2 .h5 파일만), max_bytes.",
    "load_weights({q_path}, by_name=...): by_name only applies to Keras 2's legacy .h5 files, as "
    "in Keras.": "load_weights({q_path}, by_name=...): Keras와 마찬가지로 by_name은 Keras 2의 "
    "예전 .h5 파일에만 쓸 수 있습니다.",
    "by_name with a file written by Keras 2 or by model.save('model.h5').": "Keras 2나 "
    "model.save('model.h5')로 쓴 파일에 by_name.",
    "drop by_name: Keras 3 and layerfit files are matched by layer path.": "by_name을 빼세요: "
    "Keras 3과 layerfit 파일은 층 경로로 맞춥니다.",
    # Reasons passed to the existing `_keras_h5._refuse` template ("{source} cannot be read safely:
    # {reason}."), new ones: "its attribute {q_name} is not a list of names", "its attribute {q_name}
    # declares {shape} entries", "the layer {q_name} it lists has no group", "its 'model_weights' is
    # not a group", "its attribute {q_name} is not JSON text" -- translate as FRAGMENTS if the
    # existing reasons are (I did not check how the catalogue handles `{reason}`). Placeholder names
    # above are mine; align them with the call sites' values (q_ = a repr-quoted value).
    # -- layers --
    "{kind} got output_size={output_size} of type {type_name}.": "{kind}에 {type_name} 타입의 output_size={output_size}가 주어졌습니다.",
    "an integer or a tuple of {n} integers.": "정수 또는 정수 {n}개의 튜플.",
    "{kind} got output_size={output_size}.": "{kind}에 output_size={output_size}가 주어졌습니다.",
    "{n} positive integer(s), one per spatial axis.": "공간 축마다 하나씩, 양의 정수 {n}개.",
    "{what} got output_size={output_size} for an input with {rank} spatial axes.": "{what}에 공간 축이 {rank}개인 입력에 대해 output_size={output_size}가 주어졌습니다.",
    "a positive integer or a tuple of {rank} positive integers.": "양의 정수 또는 양의 정수 {rank}개의 튜플.",
    "{what} got an input of shape {shape}.": "{what}에 모양이 {shape}인 입력이 주어졌습니다.",
    "3 to 5 axes: (batch, 1 to 3 spatial axes, channels).": "축 3~5개: (배치, 공간 축 1~3개, 채널).",
    "add the batch and channel axes, e.g. x[None, ..., None].": "배치 축과 채널 축을 더하세요. 예: x[None, ..., None].",
    "{layer} wraps {t_wraps}, which runs on {t_framework} only; layerfit runs on PyTorch.": "{layer}은(는) {t_wraps}을(를) 감싸는데, 이것은 {t_framework}에서만 실행됩니다. layerfit은 PyTorch에서 실행됩니다.",
    "a layerfit layer or a torch.nn.Module.": "layerfit 층 또는 torch.nn.Module.",
    "write the computation in PyTorch and wrap it with layers.TorchModuleWrapper(module), or as a Layer subclass; weights saved from Keras (.keras, .weights.h5) load with layerfit.models.load_model / model.load_weights.": "계산을 PyTorch로 작성해 layers.TorchModuleWrapper(module)로 감싸거나 Layer 서브클래스로 만드세요. Keras에서 저장한 가중치(.keras, .weights.h5)는 layerfit.models.load_model / model.load_weights로 불러올 수 있습니다.",
    "SpectralNormalization got power_iterations={value}.": "SpectralNormalization에 power_iterations={value}가 주어졌습니다.",
    "SpectralNormalization got a {kind} layer, which has no 'kernel' nor 'embeddings' weight.": "SpectralNormalization에 {kind} 층이 주어졌는데, 이 층에는 'kernel'도 'embeddings' 가중치도 없습니다.",
    "a layer with a kernel (Dense, Conv1D/2D/3D, ...) or an Embedding.": "커널이 있는 층(Dense, Conv1D/2D/3D, ...) 또는 Embedding.",
    "wrap the layer that holds the weight matrix.": "가중치 행렬을 가진 층을 감싸세요.",
    "HashedCrossing got num_bins={value}.": "HashedCrossing에 num_bins={value}가 주어졌습니다.",
    "HashedCrossing got output_mode={value}.": "HashedCrossing에 output_mode={value}가 주어졌습니다.",
    "HashedCrossing got sparse=True, which Keras allows on TensorFlow only.": "HashedCrossing에 sparse=True가 주어졌는데, Keras는 이것을 TensorFlow에서만 허용합니다.",
    "drop sparse=True: the dense output holds the same buckets.": "sparse=True를 빼세요: 밀집 출력에도 같은 버킷이 담깁니다.",
    "HashedCrossing got {kind} inputs, not a tuple of features.": "HashedCrossing에 특성의 튜플이 아닌 {kind} 입력이 주어졌습니다.",
    "a tuple or list of at least two features of equal shape.": "모양이 같은 특성 두 개 이상의 튜플 또는 리스트.",
    "HashedCrossing got features of shape {shape}.": "HashedCrossing에 모양이 {shape}인 특성이 주어졌습니다.",
    "each feature of shape (), (batch,) or (batch, 1).": "각 특성의 모양은 (), (batch,) 또는 (batch, 1).",
    "cross one column per feature: x[:, i:i + 1].": "특성마다 열 하나씩 교차하세요: x[:, i:i + 1].",
    "HashedCrossing got features of shapes {shapes} and dtypes {dtypes}.": "HashedCrossing에 모양이 {shapes}이고 dtype이 {dtypes}인 특성이 주어졌습니다.",
    "features of one shape, each of integers or strings.": "모양이 같고 각각 정수나 문자열로 된 특성.",
    "cast float features to integers (or bucket them with Discretization) and give every feature the same shape.": "실수 특성은 정수로 바꾸고(또는 Discretization으로 구간화하고) 모든 특성의 모양을 같게 하세요.",
    "InputSpec got axes={axes}.": "InputSpec에 axes={axes}가 주어졌습니다.",
    "InputSpec got axes={axes} for inputs of at most {top} axes.": "InputSpec에 축이 최대 {top}개인 입력에 대해 axes={axes}가 주어졌습니다.",
    "axis numbers up to {n}.": "{n} 이하의 축 번호.",
    "use a smaller axis (or a negative one, counted from the end).": "더 작은 축(또는 끝에서부터 세는 음수 축)을 쓰세요.",
    "Layer {kind} got a dict of inputs without the key(s) {missing} (keys given: {given}).": "층 {kind}에 주어진 입력 딕셔너리에 키 {missing}가 없습니다(주어진 키: {given}).",
    "the keys {keys}, as the layer's input_spec names them.": "층의 input_spec이 정한 키 {keys}.",
    "pass a dict with those keys.": "그 키들을 가진 딕셔너리를 넘기세요.",
    "Layer {kind} expects {n} input(s), but it received {m}.": "층 {kind}는 입력 {n}개를 기대하지만 {m}개를 받았습니다.",
    "{n} input tensor(s), as its input_spec says.": "input_spec이 정한 대로 입력 텐서 {n}개.",
    "pass one tensor per input (a list or tuple for several).": "입력마다 텐서 하나를 넘기세요(여러 개면 리스트나 튜플).",
    "Input {index} of layer {kind} is a {type_name}, not a tensor.": "층 {kind}의 입력 {index}는 텐서가 아니라 {type_name}입니다.",
    "a tensor or numpy array.": "텐서 또는 numpy 배열.",
    "convert it, e.g. with np.asarray(value).": "변환하세요. 예: np.asarray(value).",
    "Input {index} of layer {kind} is incompatible with the layer: {problem} (input shape {shape}).": "층 {kind}의 입력 {index}가 층과 맞지 않습니다: {problem} (입력 모양 {shape}).",
    "inputs matching the layer's {spec}.": "층의 {spec}에 맞는 입력.",
    "reshape or cast the input to match, or build the layer for this input.": "입력의 모양이나 dtype을 맞추거나, 이 입력에 맞게 층을 만드세요.",
    # Also not done: docs/errors.md rows for the new messages (the KOREAN section above lists every
    # new English message); `_numpy_more.py` messages have none (it raises nothing of ours).
    # Note for the KOREAN lines: "{axis: size}" in the InputSpec template is literal text, not a
    # placeholder; the placeholder names are mine (the English f-strings interpolate
    # type(self).__name__, values with !r, etc.), so match them to the catalogue's conventions.
    # -- apps1 --
    "depth_multiplier={depth_multiplier} with weights='imagenet'.": "weights='imagenet'와 함께 depth_multiplier={depth_multiplier}를 주었습니다.",
    "depth_multiplier=1: Keras published weights for that only.": "depth_multiplier=1: Keras가 공개한 가중치는 이 값뿐입니다.",
    "drop depth_multiplier, or pass weights=None to train with it.": "depth_multiplier를 빼거나, weights=None으로 이 값으로 학습하세요.",
    "input_shape={input_shape} does not match input_tensor's shape {shape}.": "input_shape={input_shape}가 input_tensor의 shape {shape}와 맞지 않습니다.",
    "the same height and width in both (the model is built on input_tensor).": "두 값의 높이와 너비가 같아야 합니다(모델은 input_tensor 위에 만들어집니다).",
    "drop input_shape when you pass input_tensor.": "input_tensor를 줄 때는 input_shape를 빼세요.",
    # -- dist --
    # "{what} over {size} processes ...": see below (exact English templates)
    "The processes read different data: the first batch of the epoch on process(es) {differ} differs from process 0's.": "프로세스들이 서로 다른 데이터를 읽었습니다: 프로세스 {differ}의 에포크 첫 배치가 프로세스 0의 것과 다릅니다.",
    "a data source that gives the same batches in the same order on every process (each process keeps every N-th batch).": "모든 프로세스에서 같은 배치를 같은 순서로 주는 데이터 소스 (각 프로세스는 N번째 배치마다 하나씩 가져갑니다).",
    "seed the shuffle the same way everywhere, e.g. keras.utils.set_random_seed(1) on every process before making the data, or Dataset.shuffle(1000, seed=1).": "모든 프로세스에서 셔플 시드를 같게 하세요. 예: 데이터를 만들기 전에 모든 프로세스에서 keras.utils.set_random_seed(1), 또는 Dataset.shuffle(1000, seed=1).",
    "Model {name!r}'s own train_step updated the weights over {size} processes without optimizer.apply(), so its gradients were not summed across processes and the replicas would drift apart.": "모델 {name!r}의 train_step이 {size}개 프로세스에서 optimizer.apply() 없이 가중치를 갱신해, 그래디언트가 프로세스 간에 합산되지 않아 복제본들이 서로 달라집니다.",
    "gradients handed to self.optimizer.apply(grads, trainable_weights) or self.optimizer.apply_gradients(zip(grads, weights)).": "self.optimizer.apply(grads, trainable_weights) 또는 self.optimizer.apply_gradients(zip(grads, weights))에 넘긴 그래디언트.",
    "replace optimizer.step() in train_step by self.optimizer.apply([w.grad for w in self.trainable_weights], self.trainable_weights).": "train_step의 optimizer.step()을 self.optimizer.apply([w.grad for w in self.trainable_weights], self.trainable_weights)로 바꾸세요.",
    "LAYERFIT_DIST_BUCKET_MB={raw!r}.": "LAYERFIT_DIST_BUCKET_MB={raw!r}.",
    "a positive number of MiB per gradient bucket.": "그래디언트 버킷 하나의 크기(MiB, 양수).",
    "export LAYERFIT_DIST_BUCKET_MB=4": "export LAYERFIT_DIST_BUCKET_MB=4",
    "--nproc {nproc}: expected 1 or more processes, e.g. --nproc 2.": "--nproc {nproc}: 프로세스는 1개 이상이어야 합니다. 예: --nproc 2.",
    # (The shard.py "cannot be shared between processes" message for unknown batch kinds is internal.)
    # CLI help strings for `--nproc` go through `localize` too (text in cli.py).
    # -- lead (2) --
    "Invalid dtype: {dtype}.": "잘못된 dtype입니다: {dtype}.",
    "one of {sorted__ALLOWED}, a numpy or torch dtype, or a Python type.": "{sorted__ALLOWED} 중 하나, numpy나 torch의 dtype, 또는 Python 타입.",
    "result_type() cannot combine strings with numbers: {names}.": "result_type()은 문자열과 숫자를 합칠 수 없습니다: {names}.",
    "all strings, or all numeric dtypes.": "모두 문자열이거나 모두 숫자 dtype.",
    "convert the strings to numbers first.": "먼저 문자열을 숫자로 바꾸세요.",
    "config.{setter}({value}) needs a positive whole number.": "config.{setter}({value})에는 양의 정수가 필요합니다.",
    "an int >= 1, or None for no cap.": "1 이상의 int, 제한하지 않으려면 None.",
    "The environment variable {variable}={value} is not a whole number.": "환경 변수 {variable}={value}은(는) 정수가 아닙니다.",
    "a positive int, e.g. 2.": "양의 정수(예: 2).",
    "export {variable}=2, or unset it.": "export {variable}=2로 설정하거나 변수를 지우세요.",
    "steps={steps} is more than the {batches} batches of {size} samples at batch_size={batch_size}: this epoch ended early.": "steps={steps}이(가) batch_size={batch_size}에서 샘플 {size}개가 만드는 배치 {batches}개보다 많습니다: 이번 에포크는 일찍 끝났습니다.",
    "at most {batches} steps for this data.": "이 데이터에는 최대 {batches} 스텝.",
    "leave steps_per_epoch (or steps) out to use all the data once per epoch.": "에포크마다 모든 데이터를 한 번씩 쓰려면 steps_per_epoch(또는 steps)를 빼세요.",
    "HashedCrossing '{name}' was called on symbolic model inputs: layerfit runs it on the data, before the model.": "HashedCrossing '{name}'이(가) 심볼릭 모델 입력에 호출되었습니다: layerfit에서는 모델에 넣기 전에 데이터에 적용합니다.",
    "HashedCrossing applied to arrays or a Dataset of features.": "특성 배열이나 Dataset에 적용한 HashedCrossing.",
    "Layer {name} expected {len_own} variables, but the store holds {len_store_keys}.": "층 {name}에는 변수 {len_own}개가 필요한데 저장소에는 {len_store_keys}개가 있습니다.",
    "one entry per weight of the layer, keyed '0', '1', ...": "층의 가중치마다 하나씩, '0', '1', ... 키로 된 항목.",
    "build the layer first (layer.build(input_shape)), or load the file into a layer with the same architecture.": "먼저 층을 만들거나(layer.build(input_shape)), 같은 구조의 층에 파일을 불러오세요.",
    "Variable {index} of layer {name} has shape {tuple_self_weight_to_ker}; the store holds {tuple_value_shape}.": "층 {name}의 변수 {index}의 모양은 {tuple_self_weight_to_ker}인데 저장소에는 {tuple_value_shape}이(가) 있습니다.",
    "arrays shaped like save_own_variables() writes them.": "save_own_variables()가 쓰는 모양의 배열.",
    "load the file into a layer with the same sizes.": "크기가 같은 층에 파일을 불러오세요.",
    "a symbolic tensor from keras.Input or from calling a layer on one.": "keras.Input이나, 그것에 층을 호출해 얻은 심볼릭 텐서.",
    "clone_model() got call_function for the Sequential model {model_name}.": "clone_model()에 Sequential 모델 {model_name}과(와) 함께 call_function이 주어졌습니다.",
    "call_function with functional models only: a Sequential lists its layers instead of calling them.": "call_function은 함수형 모델에만 씁니다: Sequential은 층을 호출하지 않고 나열만 합니다.",
    "clone_model(model, clone_function=...) for a Sequential.": "Sequential에는 clone_model(model, clone_function=...).",
    "clone_model(model) alone for a subclassed model.": "서브클래싱 모델에는 clone_model(model)만.",
    "clone without them, or build the model functionally.": "그 인자 없이 복제하거나, 모델을 함수형으로 만드세요.",
    "{len_model__input_tensors} symbolic tensor(s) from keras.Input, in the structure of model.input.": "model.input과 같은 구조의, keras.Input으로 만든 심볼릭 텐서 {len_model__input_tensors}개.",
    "Cannot {what}: this Config is frozen.": "{what}할 수 없습니다: 이 Config는 고정되어 있습니다.",
    "an unfrozen Config.": "고정되지 않은 Config.",
    "call config.unfreeze() first.": "먼저 config.unfreeze()를 호출하세요.",
    # -- this session, the other helpers' messages --
    "train data-parallel on NPROC processes of this machine (torchrun; gloo on CPU, one GPU each with NCCL); batch 128 is the global batch": "이 컴퓨터의 NPROC개 프로세스에서 데이터 병렬로 학습합니다(torchrun; CPU에서는 gloo, GPU에서는 프로세스마다 GPU 하나와 NCCL); 배치 128은 전체 배치입니다",
    "Distributed training over {world_size} processes got data of type {type_batches___name}, which cannot be shared between processes.": "프로세스 {world_size}개의 분산 학습에 {type_batches___name} 타입의 데이터가 주어졌는데, 이 데이터는 프로세스끼리 나눌 수 없습니다.",
    "arrays, tensors, DataFrames, DataLoaders, generators, a PyDataset or a layerfit.data.Dataset.": "배열, 텐서, DataFrame, DataLoader, 제너레이터, PyDataset 또는 layerfit.data.Dataset.",
    "convert the data to arrays, or run one process.": "데이터를 배열로 바꾸거나, 프로세스 하나로 실행하세요.",
    "a JAX function (call_fn)": "JAX 함수(call_fn)",
    "a Flax module": "Flax 모듈",
    "'int' or 'one_hot'.": "'int' 또는 'one_hot'.",
    "x = layer((feature_a, feature_b)) before fit, or dataset.map(...); then start the model with keras.Input(shape=(...,), dtype='int64').": "fit 전에 x = layer((feature_a, feature_b)), 또는 dataset.map(...); 그다음 모델을 keras.Input(shape=(...,), dtype='int64')(으)로 시작하세요.",
    "Hashing(num_bins=3, salt=133) or salt=[133, 137]": "Hashing(num_bins=3, salt=133) 또는 salt=[133, 137]",
    "self.tracker = keras.metrics.Mean(name='my_metric') in __init__, then self.tracker.update_state(value) in call() or train_step().": "__init__에서 self.tracker = keras.metrics.Mean(name='my_metric')를 만들고, call()이나 train_step()에서 self.tracker.update_state(value)를 호출하세요.",
    "inputs = keras.Input((4,)); get_source_inputs(Dense(2)(inputs))": "예: inputs = keras.Input((4,)); get_source_inputs(Dense(2)(inputs))",
    "clone_model() of the subclassed model {model_name} got {join_custom}, which work for Sequential and functional models only (as in Keras).": "서브클래싱 모델 {model_name}의 clone_model()에 {join_custom}이(가) 주어졌는데, 이 인자는 Keras처럼 Sequential과 함수형 모델에서만 쓸 수 있습니다.",
    "got {type_x___name} where Keras's complex (real, imag) pair belongs.": "Keras의 복소수 쌍 (real, imag)이 와야 할 자리에 {type_x___name}이(가) 주어졌습니다.",
    "a tuple (real, imag) of two float tensors of the same shape.": "모양이 같은 두 실수 텐서의 튜플 (real, imag).",
    "pass (x, ops.zeros_like(x)) for a real signal.": "실수 신호에는 (x, ops.zeros_like(x))를 넘기세요.",
    "'hann', 'hamming', None, or an array of sequence_length values.": "'hann', 'hamming', None, 또는 sequence_length개 값의 배열.",
    "stft got a window of shape {tuple_values_shape}.": "stft에 모양 {tuple_values_shape}의 창(window)이 주어졌습니다.",
    "a window of shape ({sequence_length},) (sequence_length).": "모양 ({sequence_length},)의 창(sequence_length).",
    "make the window as long as sequence_length.": "창의 길이를 sequence_length와 같게 만드세요.",
    "its attribute {name} declares {shape} entries": "속성 {name}이(가) 항목 {shape}개를 선언합니다",
    "its attribute {name} is not a list of names": "속성 {name}이(가) 이름의 리스트가 아닙니다",
    "its 'model_weights' is not a group": "'model_weights'가 그룹이 아닙니다",
    "the layer {name} it lists has no group": "목록에 있는 층 {name}의 그룹이 없습니다",
    "its attribute {name} is not JSON text": "속성 {name}이(가) JSON 텍스트가 아닙니다",
}

# Pieces that other code puts inside the messages above (a {t_...} placeholder's value):
# looked up only there, never as a whole message.
FRAGMENTS = {
    "a JAX function (call_fn)": "JAX 함수(call_fn)",
    "a Flax module": "Flax 모듈",
    "a TensorFlow SavedModel": "TensorFlow SavedModel",
    "Keras's JAX backend": "Keras의 JAX 백엔드",
}
