"""Korean forms of the messages the lead added on 2026-12-05, in the style of ko.py."""

MESSAGES = {
    "Lion's beta_1 must be in (0, 1]; got beta_1={beta_1} (at 0 it becomes sign SGD).": "Lion의 "
    "beta_1은 (0, 1] 범위여야 합니다; beta_1={beta_1}을(를) 받았습니다 (0이면 부호 SGD가 됩니다).",
    "Ftrl's learning_rate_power must be zero or less; got learning_rate_power="
    "{learning_rate_power}.": "Ftrl의 learning_rate_power는 0 이하여야 합니다; "
    "learning_rate_power={learning_rate_power}을(를) 받았습니다.",
    "learning_rate_power <= 0 (-0.5 is the default, 0 a fixed learning rate).": "learning_rate_power "
    "<= 0 (기본값은 -0.5, 0이면 학습률이 고정됩니다).",
    "Ftrl's {argument} must be zero or more; got {argument}={value}.": "Ftrl의 {argument}은(는) 0 "
    "이상이어야 합니다; {argument}={value}을(를) 받았습니다.",
    "{user} needs an optimizer that keeps moving averages of the weights, but optimizer {name} has "
    "use_ema=False.": "{user}에는 가중치의 이동 평균을 유지하는 옵티마이저가 필요한데, 옵티마이저 {name}은(는) "
    "use_ema=False입니다.",
    "an optimizer made with use_ema=True.": "use_ema=True로 만든 옵티마이저.",
    "A dict in the structure has keys that cannot be sorted: {list_structure}.": "구조 안의 dict에 "
    "정렬할 수 없는 키가 있습니다: {list_structure}.",
    "dict keys of one sortable kind (all strings, or all numbers).": "정렬할 수 있는 한 종류의 dict 키 "
    "(모두 문자열이거나 모두 숫자).",
    "use string keys, or an OrderedDict to fix the order yourself.": "문자열 키를 쓰거나, 순서를 직접 "
    "정하려면 OrderedDict를 쓰세요.",
    "The two structures don't have the same nested structure at path {where}: {describe_a} and "
    "{describe_b}.": "두 구조의 중첩 구조가 경로 {where}에서 다릅니다: {describe_a}와(과) {describe_b}.",
    "structures with the same containers and the same keys or lengths at every level.": "모든 "
    "단계에서 같은 컨테이너와 같은 키 또는 길이를 가진 구조.",
    "compare keras.tree.flatten_with_path(a) with keras.tree.flatten_with_path(b).": ""
    "keras.tree.flatten_with_path(a)와 keras.tree.flatten_with_path(b)를 비교해 보세요.",
    "map_structure() got no structure to map over.": "map_structure()에 적용할 구조가 주어지지 "
    "않았습니다.",
    "at least one structure after the function.": "함수 뒤에 구조가 하나 이상.",
    "The structure does not match shallow_structure at path {where}: {describe_deep} where "
    "shallow_structure has {describe_shallow}.": "구조가 경로 {where}에서 shallow_structure와 맞지 "
    "않습니다: shallow_structure는 {describe_shallow}인데 {describe_deep}입니다.",
    "structures at least as deep as shallow_structure, with the same keys or lengths.": ""
    "shallow_structure 이상으로 깊고, 키나 길이가 같은 구조.",
    "compare keras.tree.flatten_with_path of both.": "두 구조의 keras.tree.flatten_with_path를 "
    "비교해 보세요.",
    "a list or tuple of leaves, as keras.tree.flatten returns.": "keras.tree.flatten이 돌려주는 "
    "것과 같은, 잎(leaf) 값들의 list나 tuple.",
    "The structure has {wanted} leaves but the flat sequence has {len_values} items.": "구조에는 "
    "잎(leaf) 값이 {wanted}개 있는데 평평한 시퀀스에는 항목이 {len_values}개 있습니다.",
    "as many items as keras.tree.flatten(structure) returns.": "keras.tree.flatten(structure)가 "
    "돌려주는 것과 같은 개수의 항목.",
    "check which leaves are missing or extra.": "어느 잎(leaf) 값이 빠졌거나 남는지 확인하세요.",
    "Unknown dtype policy class {class_name}.": "알 수 없는 dtype 정책 클래스 {class_name}입니다.",
    "DTypePolicy or FloatDTypePolicy (layerfit has no quantized policies).": "DTypePolicy 또는 "
    "FloatDTypePolicy (layerfit에는 양자화 정책이 없습니다).",
    "DTypePolicy('mixed_float16'), or a policy name such as 'float32'.": "DTypePolicy('mixed_float16') "
    "또는 'float32' 같은 정책 이름.",
    "Cannot interpret {identifier} as a dtype policy.": "{identifier}을(를) dtype 정책으로 해석할 수 "
    "없습니다.",
    "a policy name such as 'float32' or 'mixed_float16', a config dict, or a DTypePolicy.": "'float32'나 "
    "'mixed_float16' 같은 정책 이름, 설정 dict, 또는 DTypePolicy.",
    "keras.device() got {name}, which is not a device layerfit knows.": "keras.device()에 {name}이(가) "
    "들어왔는데, layerfit이 아는 장치가 아닙니다.",
    "'cpu', 'gpu', 'gpu:<index>' or 'cuda:<index>'.": "'cpu', 'gpu', 'gpu:<index>' 또는 'cuda:<index>'.",
    "keras.device({name}) asks for a GPU, but torch sees no CUDA device here.": "keras.device({name})는 "
    "GPU를 요청하지만, 이 컴퓨터에서 torch가 CUDA 장치를 찾지 못합니다.",
    "a device this machine has.": "이 컴퓨터에 있는 장치.",
    "use keras.device('cpu'), or install a CUDA build of torch on a machine with a GPU.": ""
    "keras.device('cpu')를 쓰거나, GPU가 있는 컴퓨터에 CUDA용 torch를 설치하세요.",
    "keras.device({name}): this machine has {torch_cuda_device_count} GPU(s), numbered from 0.": ""
    "keras.device({name}): 이 컴퓨터에는 GPU가 {torch_cuda_device_count}개 있고, 번호는 0부터 "
    "시작합니다.",
    "a GPU index below the count.": "GPU 개수보다 작은 GPU 번호.",
    "convert_to_tensor() got text (dtype {array_dtype}); torch has no string tensors.": ""
    "convert_to_tensor()에 텍스트(dtype {array_dtype})가 들어왔습니다: torch에는 문자열 텐서가 없습니다.",
    "numbers; text stays a numpy array of strings until a text layer turns it into numbers.": "숫자; "
    "텍스트는 텍스트 층이 숫자로 바꿀 때까지 문자열의 numpy 배열로 둡니다.",
    "give np.array(['text']) to a model that starts with keras.Input(shape=(1,), dtype='string') "
    "followed by TextVectorization or StringLookup.": "keras.Input(shape=(1,), dtype='string') 다음에 "
    "TextVectorization이나 StringLookup이 오는 모델에 np.array(['text'])를 넘기세요.",
}
