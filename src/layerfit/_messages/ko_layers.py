"""Korean forms of the messages of layers/, applications/, activations/, initializers/, constraints/, regularizers/.

English template -> Korean template, in the style of ko.py (its docstring gives the terms).
"""

MESSAGES = {
    "a non-negative number or None.": "0 이상의 숫자 또는 None.",
    "a non-negative number.": "0 이상의 숫자.",
    "LeakyReLU(alpha=...) is Keras 2's name; Keras 3 calls it negative_slope.": "LeakyReLU("
    "alpha=...)는 Keras 2의 이름입니다. Keras 3에서는 negative_slope라고 합니다.",
    "write LeakyReLU(negative_slope={value}).": "LeakyReLU(negative_slope={value})(으)로 쓰세요.",
    "PReLU {name} got shared_axes={axes} for inputs of shape {shape}.": "PReLU {name}에 모양 "
    "{shape}의 입력에 대해 shared_axes={axes}이(가) 주어졌습니다.",
    "axes between 1 and {last} (0 is the batch axis).": "1부터 {last} 사이의 축(0은 배치 축).",
    "shared_axes=[1, 2] shares alpha over height and width of images.": "shared_axes=[1, 2]는 "
    "이미지의 높이와 너비에 걸쳐 alpha를 공유합니다.",
    "Softmax {name} got a mask of shape {mask_shape} for inputs of shape {shape}.": "Softmax "
    "{name}에 모양 {shape}의 입력에 대해 모양 {mask_shape}의 마스크가 주어졌습니다.",
    "a mask broadcastable to the inputs: each axis 1 or the input's size, and no more axes than "
    "the inputs.": "입력에 브로드캐스트되는 마스크: 각 축은 1이나 입력의 크기이고, 축 수는 입력 "
    "이하.",
    "add size-1 axes where the mask is shared, e.g. mask[:, None, :].": "마스크를 공유하는 곳에 "
    "크기 1인 축을 더하세요. 예: mask[:, None, :].",
    "a rate in [0, 1).": "[0, 1) 범위의 비율.",
    "dropout=0.0: fused attention kernels cannot drop attention weights.": "dropout=0.0: 합쳐진 "
    "어텐션 커널은 어텐션 가중치에 드롭아웃을 적용할 수 없습니다.",
    "set dropout=0.0, or leave flash_attention=None to choose automatically.": "dropout=0.0으로 "
    "하거나, 자동으로 고르도록 flash_attention=None으로 두세요.",
    "{layer} {name} was called with only a query.": "{layer} {name}을(를) query만으로 "
    "호출했습니다.",
    "layer(query, value) or layer(query, value, key); self-attention passes the same tensor "
    "twice.": "layer(query, value) 또는 layer(query, value, key). 셀프 어텐션은 같은 텐서를 두 "
    "번 넘깁니다.",
    "write layer(x, x) for self-attention.": "셀프 어텐션이라면 layer(x, x)로 쓰세요.",
    "{layer} {name} got value of shape {value_shape} and key of shape {key_shape}.": "{layer} "
    "{name}에 모양 {value_shape}의 value와 모양 {key_shape}의 key가 주어졌습니다.",
    "value and key with the same shape except the last axis.": "마지막 축 말고는 모양이 같은 "
    "value와 key.",
    "pass a key with as many steps as the value (or no key: key = value).": "value와 스텝 수가 "
    "같은 key를 넘기세요(또는 key를 빼면 key = value).",
    "num_query_heads a multiple of num_key_value_heads (each key/value head serves a group of "
    "query heads).": "num_key_value_heads의 배수인 num_query_heads(key/value 헤드 하나가 query "
    "헤드 한 묶음을 맡습니다).",
    "Bidirectional got {type_name}, which is not recurrent.": "Bidirectional에 순환 층이 아닌 "
    "{type_name}이(가) 주어졌습니다.",
    "an LSTM, GRU or SimpleRNN layer.": "LSTM, GRU 또는 SimpleRNN 층.",
    "{layer}(sparse=True): layerfit returns dense tensors only.": "{layer}(sparse=True): "
    "layerfit은 밀집 텐서만 돌려줍니다.",
    "drop sparse=True.": "sparse=True를 빼세요.",
    "a positive integer: how many categories there are.": "양의 정수: 범주의 개수.",
    "CategoryEncoding got values in [{low}, {high}] with num_tokens={num_tokens}.": "Category"
    "Encoding에 num_tokens={num_tokens}인데 [{low}, {high}] 범위의 값이 주어졌습니다.",
    "every value in [0, {num_tokens}).": "모든 값이 [0, {num_tokens}) 범위.",
    "raise num_tokens, or map the values first (IntegerLookup).": "num_tokens를 늘리거나, 값을 "
    "먼저 바꾸세요(IntegerLookup).",
    "exactly one of them.": "그중 정확히 하나.",
    "Discretization(num_bins=4) then adapt(data), or Discretization(bin_boundaries=[0.0, "
    "1.0]).": "Discretization(num_bins=4) 다음에 adapt(data), 또는 "
    "Discretization(bin_boundaries=[0.0, 1.0]).",
    "Discretization.adapt on a layer made with bin_boundaries.": "bin_boundaries로 만든 층에 "
    "Discretization.adapt를 호출했습니다.",
    "Discretization(num_bins=...) to learn boundaries.": "경계를 학습하려면 "
    "Discretization(num_bins=...).",
    "make the layer with num_bins instead of bin_boundaries.": "bin_boundaries 대신 num_bins로 "
    "층을 만드세요.",
    "Discretization was called before it has bin boundaries.": "구간 경계가 생기기 전에 "
    "Discretization을 호출했습니다.",
    "bin_boundaries=[...] at construction, or adapt(data) first.": "만들 때 "
    "bin_boundaries=[...], 또는 먼저 adapt(data).",
    "call layer.adapt(x_train) before using it.": "쓰기 전에 layer.adapt(x_train)을 호출하세요.",
    "a positive integer: the number of output channels.": "양의 정수: 출력 채널 수.",
    "{layer}(32, 3) makes 32 feature maps with 3x3 kernels.": "{layer}(32, 3)은 3x3 커널로 "
    "특성 맵 32개를 만듭니다.",
    "filters divisible by groups.": "groups로 나누어떨어지는 filters.",
    "use filters={filters} or groups=1.": "filters={filters} 또는 groups=1을 쓰세요.",
    "strides > 1 or dilation_rate > 1, not both (as in Keras).": "strides > 1 또는 "
    "dilation_rate > 1 중 하나만(Keras와 같습니다).",
    "set one of them to 1.": "둘 중 하나를 1로 하세요.",
    "{layer} layer {name} got {channels} input channels with groups={groups}.": "{layer} 층 "
    "{name}에 groups={groups}인데 입력 채널 {channels}개가 주어졌습니다.",
    "a channel count divisible by groups.": "groups로 나누어떨어지는 채널 수.",
    "change groups, or the previous layer's number of channels.": "groups나 이전 층의 채널 수를 "
    "바꾸세요.",
    "{layer} layer {name} with kernel_size={kernel_size}, strides={strides}, padding={padding} "
    "would give an empty output for input of shape {input_shape} (output size {spatial}).": "{layer} "
    "층 {name}은(는) kernel_size={kernel_size}, strides={strides}, padding={padding}(으)로는 모양 "
    "{input_shape}의 입력에서 빈 출력을 냅니다(출력 크기 {spatial}).",
    "inputs at least as large as the kernel window.": "커널 창 이상으로 큰 입력.",
    "use padding='same', a smaller kernel_size, or fewer pooling layers before.": "padding='same',"
    " 더 작은 kernel_size를 쓰거나, 앞쪽의 풀링 층을 줄이세요.",
    "a {t_kind} integer or a tuple of {n} {t_kind2} integers.": "{t_kind} 정수, 또는 {t_kind2} "
    "정수 {n}개의 튜플.",
    "{arg}=3 or {arg}={value}.": "{arg}=3 또는 {arg}={value}.",
    "'valid' or 'same'.": "'valid' 또는 'same'.",
    "{layer} got padding='causal', which only Conv1D supports.": "{layer}에 Conv1D만 지원하는 "
    "padding='causal'이 주어졌습니다.",
    "padding='same' keeps the spatial size; padding='valid' shrinks it.": "padding='same'은 공간 "
    "크기를 유지하고, padding='valid'는 줄입니다.",
    "one tensor of shape {expected}.": "모양 {expected}의 텐서 하나.",
    "{layer} layer {name} got input of shape {input_shape}: {rank} axes, with no channel "
    "axis.": "{layer} 층 {name}에 모양 {input_shape}의 입력이 주어졌습니다: 축이 {rank}개이고 "
    "채널 축이 없습니다.",
    "{rank} axes {expected}, e.g. {example} for one-channel (grayscale) data.": "축 {rank}개 "
    "{expected}. 예: 채널 하나(흑백) 데이터라면 {example}.",
    "add a channel axis: x = x[..., None] (or x.reshape(-1, {sample}, 1)), and give the first "
    "layer input_shape=({sample}, 1).": "채널 축을 더하세요: x = x[..., None](또는 "
    "x.reshape(-1, {sample}, 1)), 그리고 첫 층에 input_shape=({sample}, 1)을 주세요.",
    "add a channel axis: x = x[:, None] (or x.reshape(-1, 1, {sample})), and give the first "
    "layer input_shape=(1, {sample}).": "채널 축을 더하세요: x = x[:, None](또는 "
    "x.reshape(-1, 1, {sample})), 그리고 첫 층에 input_shape=(1, {sample})을 주세요.",
    "{layer} layer {name} got input of shape {input_shape} ({count} axes).": "{layer} 층 {name}에 "
    "모양 {input_shape}의 입력(축 {count}개)이 주어졌습니다.",
    "{rank} axes {expected}.": "축 {rank}개 {expected}.",
    "check the previous layer's output shape (model.summary() shows each one).": "이전 층의 출력 "
    "모양을 확인하세요(model.summary()가 층마다 보여 줍니다).",
    "{layer} layer {name} got input of shape {input_shape} with an unknown number of "
    "channels.": "{layer} 층 {name}에 채널 수를 알 수 없는 모양 {input_shape}의 입력이 "
    "주어졌습니다.",
    "a known channel axis in {expected}.": "{expected}에서 크기를 아는 채널 축.",
    "give the first layer input_shape with the channel count, e.g. (28, 28, 1).": "첫 층에 채널 "
    "수를 포함한 input_shape를 주세요. 예: (28, 28, 1).",
    "{layer} got {arg}={value}, which layerfit does not apply yet.": "{layer}에 layerfit이 아직 "
    "적용하지 않는 {arg}={value}이(가) 주어졌습니다.",
    "drop {arg}=, or apply it yourself after each optimizer step.": "{arg}=을(를) 빼거나, "
    "옵티마이저 스텝마다 직접 적용하세요.",
    "'channels_last' inputs (batch, steps, *spatial, channels).": "'channels_last' 입력(batch, "
    "steps, *spatial, channels).",
    "move the channels last: ops.moveaxis(x, 2, -1).": "채널을 마지막으로 옮기세요: "
    "ops.moveaxis(x, 2, -1).",
    "{layer} {name} got input of shape {input_shape}.": "{layer} {name}에 모양 {input_shape}의 "
    "입력이 주어졌습니다.",
    "{count} axes: (batch, steps, {rank} spatial axes, channels).": "축 {count}개: (batch, "
    "steps, 공간 축 {rank}개, channels).",
    "give each sample a time axis before the spatial ones.": "샘플마다 공간 축 앞에 시간 축을 "
    "두세요.",
    "output_padding smaller than strides on each axis.": "축마다 strides보다 작은 output_padding.",
    "use output_padding=None to let the layer infer it.": "층이 알아서 정하도록 "
    "output_padding=None을 쓰세요.",
    "Dense(10) for 10 output units.": "출력 유닛 10개라면 Dense(10).",
    "None or a Python int.": "None 또는 Python int.",
    "'dot' or 'concat'.": "'dot' 또는 'concat'.",
    "score_mode='dot' (Luong) is the usual choice.": "보통은 score_mode='dot'(Luong)을 씁니다.",
    "{layer} {name} must be called on a list [query, value] or [query, value, key].": "{layer} "
    "{name}은(는) 리스트 [query, value] 또는 [query, value, key]로 호출해야 합니다.",
    "a list of 2 or 3 tensors; got {type_name}.": "텐서 2개나 3개의 리스트. 받은 값: {type_name}.",
    "write layer([query, value]); for self-attention layer([x, x]).": "layer([query, value])로 "
    "쓰세요. 셀프 어텐션이라면 layer([x, x]).",
    "'<input>,<kernel>-><output>' with letters, '...' allowed at the start of input and output, "
    "e.g. 'ab,bc->ac' or '...b,bc->...c'.": "글자로 쓴 '<input>,<kernel>-><output>'(입력과 "
    "출력의 맨 앞에는 '...'을 쓸 수 있습니다). 예: 'ab,bc->ac' 또는 '...b,bc->...c'.",
    "EinsumDense('abc,cde->abde', output_shape=(None, 4, 8)) projects to 4 heads of "
    "8.": "EinsumDense('abc,cde->abde', output_shape=(None, 4, 8))은 크기 8인 헤드 4개로 "
    "투영합니다.",
    "EinsumDense got output_shape={shape} for output spec {target}.": "EinsumDense에 출력 명세 "
    "{target}에 대해 output_shape={shape}이(가) 주어졌습니다.",
    "one size per output letter, the batch axis left out.": "배치 축을 뺀, 출력 글자마다 크기 "
    "하나.",
    "use None for axes that come from the input, e.g. (None, 64).": "입력에서 오는 축에는 None을 "
    "쓰세요. 예: (None, 64).",
    "EinsumDense: axis {letter} has size {size} in the input but {other} in "
    "output_shape.": "EinsumDense: 축 {letter}의 크기가 입력에서는 {size}인데 output_shape에서는 "
    "{other}입니다.",
    "the same size for an axis shared by input and output.": "입력과 출력이 함께 쓰는 축에는 "
    "같은 크기.",
    "set that entry of output_shape to None or {size}.": "output_shape의 그 항목을 None이나 "
    "{size}(으)로 하세요.",
    "EinsumDense got bias_axes={bias_axes} with {letter}, which is not in the output spec "
    "{target}.": "EinsumDense에 출력 명세 {target}에 없는 {letter}이(가) 든 "
    "bias_axes={bias_axes}이(가) 주어졌습니다.",
    "letters of the output spec.": "출력 명세의 글자.",
    "bias_axes={letter} adds one bias per output unit.": "bias_axes={letter}은(는) 출력 유닛마다 "
    "편향을 하나씩 더합니다.",
    "make input_dim at least {size} (Embedding(input_dim={size}, ...)), or map the ids into "
    "[0, input_dim) first (negative ids are never valid: check the encoding).": "input_dim을 "
    "{size} 이상으로 하거나(Embedding(input_dim={size}, ...)), 먼저 번호를 [0, input_dim) "
    "범위로 바꾸세요(음수 번호는 쓸 수 없습니다: 인코딩을 확인하세요).",
    "Normalization got only one of mean and variance.": "Normalization에 mean과 variance 중 "
    "하나만 주어졌습니다.",
    "both, or neither (then call adapt(data)).": "둘 다, 또는 둘 다 없이(그때는 adapt(data)를 "
    "호출).",
    "Normalization(mean=m, variance=v) or Normalization().adapt(x_train)": "Normalization("
    "mean=m, variance=v) 또는 Normalization().adapt(x_train)",
    "Normalization {name} needs a known size on axis {axis}, got input shape {shape}.": "Normali"
    "zation {name}에는 축 {axis}의 크기가 정해져 있어야 하는데, 입력 모양이 {shape}입니다.",
    "a fixed feature axis.": "크기가 정해진 특성 축.",
    "GroupNormalization {name} got groups={groups} for {channels} channels (inputs of shape "
    "{shape}).": "GroupNormalization {name}에 채널 {channels}개에 대해 groups={groups}이(가) "
    "주어졌습니다(입력 모양 {shape}).",
    "a known channel count that groups divides (groups=-1: one per channel).": "groups로 "
    "나누어떨어지는, 정해진 채널 수(groups=-1: 채널마다 하나).",
    "choose groups among the divisors of the channel count.": "채널 수의 약수 중에서 groups를 "
    "고르세요.",
    "'int', 'one_hot', 'multi_hot' or 'count'.": "'int', 'one_hot', 'multi_hot' 또는 'count'.",
    "Hashing with salt= (TensorFlow's keyed SipHash) or sparse=True is not available in "
    "layerfit.": "salt=(TensorFlow의 키 있는 SipHash)나 sparse=True를 준 Hashing은 layerfit에서 "
    "쓸 수 없습니다.",
    "salt=None and sparse=False.": "salt=None과 sparse=False.",
    "drop salt: unsalted buckets are the same as Keras's.": "salt를 빼세요: salt 없는 버킷은 "
    "Keras와 같습니다.",
    "strings or integers.": "문자열 또는 정수.",
    "cast to integers first, or use Discretization for numbers.": "먼저 정수로 바꾸거나, 숫자에는 "
    "Discretization을 쓰세요.",
    "a pair (low, high) with low < high.": "low < high인 쌍 (low, high).",
    "value_range=(0, 255) for pixels, (0, 1) after Rescaling(1/255).": "픽셀이라면 "
    "value_range=(0, 255), Rescaling(1/255) 뒤라면 (0, 1).",
    "Input(tensor=...): wrapping an existing tensor into a symbolic input is not supported by "
    "layerfit.": "Input(tensor=...): 있는 텐서를 심볼릭 입력으로 감싸는 것은 layerfit이 지원하지 "
    "않습니다.",
    "Input(shape=...) alone; the data is given when the model is called.": "Input(shape=...)만. "
    "데이터는 모델을 호출할 때 줍니다.",
    "Input(optional=True) is ignored: layerfit models need every input at each "
    "call.": "Input(optional=True)는 무시됩니다: layerfit 모델은 호출할 때마다 모든 입력이 "
    "필요합니다.",
    "drop optional=True and pass a value (e.g. zeros) for that input.": "optional=True를 빼고 그 "
    "입력에 값(예: 0)을 넘기세요.",
    "Input(sparse=True) is ignored: layerfit has dense tensors only.": "Input(sparse=True)는 "
    "무시됩니다: layerfit에는 밀집 텐서만 있습니다.",
    "a string.": "문자열.",
    "drop the argument; the weight trains by its gradient as usual.": "인수를 빼세요. 가중치는 "
    "평소처럼 그래디언트로 학습됩니다.",
    "Layer {name} has {count} weights but set_weights got {given}.": "층 {name}의 가중치는 "
    "{count}개인데 set_weights에 {given}개가 주어졌습니다.",
    "a list of {count} arrays with shapes {shapes}.": "모양이 {shapes}인 배열 {count}개의 리스트.",
    "pass the list returned by get_weights() of a layer with the same architecture.": "구조가 "
    "같은 층의 get_weights()가 돌려준 리스트를 넘기세요.",
    "Weight shape mismatch in layer {name}: got {given}, the layer has {own}.": "층 {name}의 "
    "가중치 모양이 맞지 않습니다: {given}이(가) 주어졌는데, 층의 모양은 {own}입니다.",
    "arrays shaped like get_weights() returns.": "get_weights()가 돌려주는 것과 같은 모양의 배열.",
    "check that both models were built with the same layer sizes.": "두 모델이 같은 층 크기로 "
    "빌드되었는지 확인하세요.",
    "Layer {name} has not been called on a symbolic input yet.": "층 {name}은(는) 아직 심볼릭 "
    "입력에 호출된 적이 없습니다.",
    "build the model from layerfit.Input(shape=...) first.": "먼저 layerfit.Input(shape=...)에서 "
    "모델을 만드세요.",
    "{layer}(lora_rank={lora_rank}) is ignored: layerfit does not build LoRA adapters yet, so "
    "the whole kernel trains.": "{layer}(lora_rank={lora_rank})는 무시됩니다: layerfit은 아직 "
    "LoRA 어댑터를 만들지 않으므로 커널 전체가 학습됩니다.",
    "drop lora_rank=, or freeze the layer (trainable=False) and add a small Dense beside "
    "it.": "lora_rank=를 빼거나, 층을 고정하고(trainable=False) 옆에 작은 Dense를 더하세요.",
    "add_weight got {key} both positionally and by keyword.": "add_weight에 {key}이(가) 위치 "
    "인수와 키워드 인수로 두 번 주어졌습니다.",
    "pass it once.": "한 번만 넘기세요.",
    "pass vocabulary too, or call adapt(data).": "vocabulary도 넘기거나, adapt(data)를 호출하세요.",
    "invert=True only with output_mode='int'.": "invert=True는 output_mode='int'일 때만.",
    "use output_mode='int' to map indices back to tokens.": "인덱스를 토큰으로 되돌리려면 "
    "output_mode='int'를 쓰세요.",
    "pad_to_max_tokens=True without max_tokens.": "max_tokens 없이 pad_to_max_tokens=True가 "
    "주어졌습니다.",
    "max_tokens set, so outputs can be padded to it.": "출력을 채울 수 있도록 설정한 max_tokens.",
    "pass max_tokens=..., or drop pad_to_max_tokens.": "max_tokens=...를 넘기거나, "
    "pad_to_max_tokens를 빼세요.",
    "The vocabulary repeats {duplicates}.": "어휘 사전에 {duplicates}이(가) 중복되어 있습니다.",
    "each token once.": "토큰마다 한 번씩.",
    "deduplicate it: list(dict.fromkeys(vocabulary)).": "중복을 없애세요: "
    "list(dict.fromkeys(vocabulary)).",
    "a vocabulary that fits max_tokens.": "max_tokens 안에 드는 어휘 사전.",
    "raise max_tokens or shorten the vocabulary.": "max_tokens를 늘리거나 어휘 사전을 줄이세요.",
    "idf_weights, one per vocabulary token.": "어휘 사전의 토큰마다 하나씩인 idf_weights.",
    "pass idf_weights=..., or call adapt(data) instead.": "idf_weights=...를 넘기거나, 대신 "
    "adapt(data)를 호출하세요.",
    "{name}: {token} is not in the vocabulary and num_oov_indices=0.": "{name}: {token}이(가) "
    "어휘 사전에 없는데 num_oov_indices=0입니다.",
    "every input in the vocabulary.": "모든 입력이 어휘 사전에 있는 것.",
    "set num_oov_indices=1 to map unknown tokens to one index.": "모르는 토큰을 인덱스 하나로 "
    "보내려면 num_oov_indices=1로 하세요.",
    "{layer}.adapt got a dataset of (x, y) pairs.": "{layer}.adapt에 (x, y) 쌍의 데이터셋이 "
    "주어졌습니다.",
    "a dataset of inputs only.": "입력만 있는 데이터셋.",
    "a list of tensors to merge.": "합칠 텐서의 리스트.",
    "{t_wanted} inputs.": "입력 {t_wanted}개.",
    "the same batch size for every input.": "모든 입력에서 같은 배치 크기.",
    "feed every branch from inputs of the same batch.": "모든 가지에 같은 배치의 입력을 넣으세요.",
    "inputs of the same shape (or sizes of 1 that broadcast).": "모양이 같은 입력(또는 "
    "브로드캐스트되는 크기 1).",
    "an integer axis.": "정수 축.",
    "one integer axis.": "정수 축 하나.",
    "one tensor.": "텐서 하나.",
    "an integer or None.": "정수 또는 None.",
    "reduce cropping=.": "cropping=을 줄이세요.",
    "crops smaller than each spatial size.": "공간 크기마다 그보다 작은 자르기 값.",
    "crop less, or check the previous layer's output shape.": "덜 자르거나, 이전 층의 출력 모양을 "
    "확인하세요.",
    # EinsumDense's equation checks (their reasons are FRAGMENTS below)
    "EinsumDense got equation={equation}: {t_reason}.": "EinsumDense에 주어진 equation={equation}을(를) 쓸 수 없습니다: {t_reason}.",
}

# Pieces that other code puts inside the messages above (a {t_...} placeholder's value):
# looked up only there, never as a whole message.
FRAGMENTS = {
    "exactly {n}": "정확히 {n}",
    "at least {n}": "적어도 {n}",
    "it does not have the form 'x,y->z'": "'x,y->z' 형태가 아닙니다",
    "'...' must start both the input and the output": "'...'는 입력과 출력 모두의 맨 앞에 있어야 합니다",
    "the input spec {q_spec} does not fit inputs of shape {shape}": "입력 명세 {q_spec}이(가) 모양 {shape}인 입력에 맞지 않습니다",
    "output axis {q_letter} comes from nowhere": "출력 축 {q_letter}이(가) 입력에도 커널에도 없습니다",
    "a kernel axis has no known size": "크기를 알 수 없는 커널 축이 있습니다",
}
