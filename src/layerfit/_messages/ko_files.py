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
}
