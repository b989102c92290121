"""Korean forms of the messages added on 2026-12-05 (files), in the style of ko.py."""

MESSAGES: dict[str, str] = {
    # -- assets/ in Keras .keras files (vocabulary layers) --
    "{layer}: the model file has no {VOCABULARY_FILE} for this layer.": "{layer}: 모델 파일에 "
    "이 층의 {VOCABULARY_FILE}이(가) 없습니다.",
    "assets/.../{VOCABULARY_FILE} beside the layer's other saved state.": "층의 다른 저장 상태와 "
    "함께 있는 assets/.../{VOCABULARY_FILE}.",
    "save the model again after adapt(), or pass vocabulary=... to the layer.": "adapt() 뒤에 "
    "모델을 다시 저장하거나, 층에 vocabulary=...를 넘기세요.",
    "{layer}: its saved {VOCABULARY_FILE} holds {bad_40}, not an integer.": "{layer}: 저장된 "
    "{VOCABULARY_FILE}에 정수가 아닌 {bad_40}이(가) 들어 있습니다.",
    "one integer a line (an IntegerLookup vocabulary).": "한 줄에 정수 하나 (IntegerLookup 어휘).",
    "save the model again from the layer that was adapted.": "adapt한 층에서 모델을 다시 "
    "저장하세요.",
    "a Keras 3 .keras file: {list_MEMBERS} and the layers' files under {ASSETS}.": "Keras 3 "
    ".keras 파일: {list_MEMBERS}와(과) {ASSETS} 아래의 층 파일들.",
    "{source} holds the member {name_80}, a path that could reach outside the assets folder; "
    "nothing is read from it.": "{source}에 assets 폴더 밖을 가리킬 수 있는 경로의 항목 "
    "{name_80}이(가) 있습니다. 이 파일에서는 아무것도 읽지 않습니다.",
    "assets/<layer path>/<file name>, as Keras writes a layer's assets.": "Keras가 층의 assets를 "
    "쓰는 대로 assets/<층 경로>/<파일 이름>.",
    "save the model again in Keras; do not load files from unknown sources.": "Keras에서 모델을 "
    "다시 저장하세요. 출처를 모르는 파일은 불러오지 마세요.",
    "{source} holds {name}, which no layer of the model reads.": "{source}에 모델의 어떤 층도 "
    "읽지 않는 {name}이(가) 있습니다.",
    "assets only for the model's vocabulary layers (TextVectorization, StringLookup, "
    "IntegerLookup) or custom layers with load_assets().": "모델의 어휘 층(TextVectorization, "
    "StringLookup, IntegerLookup)이나 load_assets()가 있는 사용자 정의 층의 assets만.",
    "load the file with the custom_objects= that define the layer reading it, or save the model "
    "again in Keras.": "그 파일을 읽는 층을 정의한 custom_objects=와 함께 불러오거나, Keras에서 "
    "모델을 다시 저장하세요.",
    "{path}vars/{name} has shape {dataset_shape}": "{path}vars/{name}의 모양이 {dataset_shape}입니다",
    # -- optimizer state in Keras .keras files --
    "{source}: the optimizer state Keras saved was not restored ({reason}); the optimizer "
    "starts fresh (the weights and compile settings are loaded).": "{source}: Keras가 저장한 "
    "옵티마이저 상태를 복원하지 않았습니다 ({reason}). 옵티마이저는 처음 상태에서 시작합니다 "
    "(가중치와 compile 설정은 불러왔습니다).",
    # -- KerasFileEditor --
    "a path ending in .keras or .weights.h5.": ".keras 또는 .weights.h5로 끝나는 경로.",
    "KerasFileEditor('model.keras') or KerasFileEditor('model.weights.h5').": "KerasFileEditor("
    "'model.keras') 또는 KerasFileEditor('model.weights.h5').",
    "Keras model file '{filepath}'": "Keras 모델 파일 '{filepath}'",
    "Saved with Keras {version} - date: {date}": "Keras {version}(으)로 저장됨 - 날짜: {date}",
    "{source} is not a readable .keras file ({error}).": "{source}은(는) 읽을 수 있는 .keras "
    "파일이 아닙니다 ({error}).",
    "a .keras file written by Keras's or layerfit's model.save().": "Keras나 layerfit의 "
    "model.save()가 쓴 .keras 파일.",
    "check the path, or save the model again.": "경로를 확인하거나, 모델을 다시 저장하세요.",
    "Weight {weight_name} not found in object {object_name}.": "객체 {object_name}에 가중치 "
    "{weight_name}이(가) 없습니다.",
    "check editor.summary() for the weights' names.": "가중치 이름은 editor.summary()로 확인하세요.",
    "The new name {target_name} is a path.": "새 이름 {target_name}이(가) 경로입니다.",
    "a leaf name such as 'dense_3'.": "'dense_3' 같은 마지막 이름 하나.",
    "pass only the last part of the path.": "경로의 마지막 부분만 넘기세요.",
    "The name {source_name} occurs {len_holders} times in the file.": "이름 {source_name}이(가) "
    "파일에 {len_holders}번 나옵니다.",
    "a name that occurs once, or a full path.": "한 번만 나오는 이름, 또는 전체 경로.",
    "pass the object's path, e.g. 'layers/dense_2' (see editor.summary()).": "객체의 경로를 "
    "넘기세요. 예: 'layers/dense_2' (editor.summary() 참고).",
    "a path ending in .weights.h5.": ".weights.h5로 끝나는 경로.",
    "a dict of weight names ('0', '1', ...) to numpy arrays.": "가중치 이름('0', '1', ...)에서 "
    "numpy 배열로 가는 dict.",
    "weights={{'0': kernel, '1': bias}}": "weights={{'0': kernel, '1': bias}}",
    "{name} is not in the file.": "{name}이(가) 파일에 없습니다.",
    "a name or path of an object in it; top level: {list_weights_8}.": "파일 안 객체의 이름이나 "
    "경로. 최상위: {list_weights_8}.",
    "check editor.summary() for the objects' paths.": "객체의 경로는 editor.summary()로 "
    "확인하세요.",
}
