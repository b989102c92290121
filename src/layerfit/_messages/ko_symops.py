"""Korean forms of the messages added on 2026-12-05 (symops), in the style of ko.py."""

MESSAGES: dict[str, str] = {
    # -- ops on symbolic tensors (layers/_op_layer.py) --
    "ops.{name}() got arguments it does not take: {error}.": "ops.{name}()에 받지 않는 인자가 "
    "들어왔습니다: {error}.",
    "the arguments of ops.{name}{signature}.": "ops.{name}{signature}의 인자.",
    "check the call against help(keras.ops.{name}).": "help(keras.ops.{name})과(와) 호출을 "
    "비교해 보세요.",
    "ops.{op}() got a text (string) symbolic tensor.": "ops.{op}()에 텍스트(문자열) 심볼릭 텐서가 "
    "들어왔습니다.",
    "numbers: ops compute on tensors of numbers.": "숫자: 연산은 숫자 텐서로 계산합니다.",
    "turn text into numbers first with layers.TextVectorization or layers.StringLookup.": "먼저 "
    "layers.TextVectorization이나 layers.StringLookup으로 텍스트를 숫자로 바꾸세요.",
    "ops.{op}() cannot take symbolic tensors of shapes {shapes}: {error}": "ops.{op}()은(는) 크기 "
    "{shapes}의 심볼릭 텐서를 받을 수 없습니다: {error}",
    "inputs that ops.{op} accepts.": "ops.{op}이(가) 받는 입력.",
    "check the shapes of the tensors (model.summary() shows each layer's output).": "텐서의 "
    "크기를 확인하세요 (model.summary()가 각 층의 출력을 보여 줍니다).",
    "ops.{op}() on a symbolic tensor gives {kind}, not a tensor, so it cannot be a node of a "
    "functional model.": "심볼릭 텐서에 대한 ops.{op}()의 결과가 텐서가 아닌 {kind}이므로 함수형 "
    "모델의 노드가 될 수 없습니다.",
    "ops that return tensors.": "텐서를 돌려주는 연산.",
    "use a layers.Lambda layer, or compute it from tensor.shape while building the "
    "model.": "layers.Lambda 층을 쓰거나, 모델을 만드는 동안 tensor.shape에서 계산하세요.",
    # -- what a symbolic tensor cannot do (layers/_symbolic.py) --
    "A symbolic tensor of shape {shape} cannot be iterated over while the model is being built "
    "(it holds no values yet).": "크기 {shape}의 심볼릭 텐서는 모델을 만드는 동안 반복(iterate)할 "
    "수 없습니다 (아직 값이 없습니다).",
    "ops on the whole tensor.": "텐서 전체에 대한 연산.",
    "select parts with keras.ops (x[:, 0], ops.split(x, 2, axis=-1), ops.unstack(x, axis=1)) or "
    "write the loop inside a layer's call().": "keras.ops로 부분을 고르거나 (x[:, 0], "
    "ops.split(x, 2, axis=-1), ops.unstack(x, axis=1)) 반복문을 층의 call() 안에 쓰세요.",
    "A symbolic tensor cannot be used as a boolean (in an if, while, and/or): it has no value "
    "while the model is being built.": "심볼릭 텐서는 불리언으로 쓸 수 없습니다 (if, while, "
    "and/or 안에서): 모델을 만드는 동안에는 값이 없습니다.",
    "conditions computed inside the graph.": "그래프 안에서 계산하는 조건.",
    "use ops.where(condition, x, y) for values, or put the if inside a layer's call(), where "
    "tensors hold values.": "값에는 ops.where(condition, x, y)를 쓰거나, 텐서에 값이 있는 층의 "
    "call() 안에 if를 넣으세요.",
    "A symbolic tensor was converted to a numpy array: it has no values while the model is "
    "being built.": "심볼릭 텐서를 numpy 배열로 바꾸려 했습니다: 모델을 만드는 동안에는 값이 "
    "없습니다.",
    "keras.ops functions on symbolic tensors (they become nodes of the model).": "심볼릭 텐서에 "
    "대한 keras.ops 함수 (모델의 노드가 됩니다).",
    "use keras.ops (ops.mean(x), x + 1, ...) instead of numpy, or wrap the numpy code in a "
    "layers.Lambda layer.": "numpy 대신 keras.ops(ops.mean(x), x + 1, ...)를 쓰거나, numpy "
    "코드를 layers.Lambda 층으로 감싸세요.",
    "A symbolic tensor cannot be used as a Python {what}: it has no value while the model is "
    "being built.": "심볼릭 텐서는 파이썬 {what}(으)로 쓸 수 없습니다: 모델을 만드는 동안에는 값이 "
    "없습니다.",
    "keras.ops functions on symbolic tensors.": "심볼릭 텐서에 대한 keras.ops 함수.",
    "compute with keras.ops (ops.cast, ops.sum, ...), or read sizes from tensor.shape.": "keras.ops"
    "(ops.cast, ops.sum, ...)로 계산하거나, 크기는 tensor.shape에서 읽으세요.",
    "The torch function {name}() was called on a symbolic tensor (a Keras Input or a layer's "
    "output while a functional model is built); torch functions need real tensors.": "torch "
    "함수 {name}()이(가) 심볼릭 텐서(함수형 모델을 만드는 동안의 Keras Input이나 층의 출력)에 "
    "호출되었습니다; torch 함수에는 실제 텐서가 필요합니다.",
    "keras.ops functions, which become nodes of the model.": "모델의 노드가 되는 keras.ops 함수.",
    "use keras.ops (ops.{name}(x) if it exists) or put the torch code in a layer: "
    "layers.Lambda(lambda t: torch_fn(t)) or a custom Layer's call().": "keras.ops(있다면 "
    "ops.{name}(x))를 쓰거나 torch 코드를 층 안에 넣으세요: layers.Lambda(lambda t: "
    "torch_fn(t)) 또는 사용자 정의 Layer의 call().",
    # -- op nodes in model configs (models/_functional_config.py) --
    "The model config uses the op {class_name} ({module}), which layerfit does not "
    "have.": "모델 설정이 layerfit에 없는 연산 {class_name}({module})을(를) 씁니다.",
    "ops of keras.ops that layerfit implements.": "layerfit이 구현한 keras.ops의 연산.",
    "rebuild the model without this op, or replace it by a custom layer passed in "
    "custom_objects.": "이 연산 없이 모델을 다시 만들거나, custom_objects로 넘긴 사용자 정의 층으로 "
    "바꾸세요.",
    "A constant in the model config has dtype {dtype}.": "모델 설정의 상수가 dtype {dtype}입니다.",
    "one of {list_constant_dtypes}.": "{list_constant_dtypes} 중 하나.",
}
