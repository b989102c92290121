"""Korean forms of the messages added on 2026-12-05 (apps), in the style of ko.py."""

MESSAGES: dict[str, str] = {
    # NASNet with weights='imagenet' and an input_shape with a None size:
    "input_shape={input_shape} has a None size with weights='imagenet'.": "weights='imagenet'인데 "
    "input_shape={input_shape}에 None인 크기가 있습니다.",
    "a fixed (height, width, 3) input_shape: NASNet's cells depend on the sizes.": "크기가 정해진 "
    "(높이, 너비, 3) input_shape: NASNet의 셀 구성은 크기에 따라 달라집니다.",
    "give both sizes, e.g. input_shape=(224, 224, 3), or pass weights=None.": "두 크기를 모두 "
    "주세요. 예: input_shape=(224, 224, 3). 또는 weights=None을 넘기세요.",
    # Any application with include_top=True and an input_shape with a None size:
    "input_shape={input_shape} has a None size with include_top=True.": "include_top=True인데 "
    "input_shape={input_shape}에 None인 크기가 있습니다.",
    "a fixed height and width under the classifier (Keras's rule).": "분류기를 얹으려면 높이와 "
    "너비가 정해져 있어야 합니다 (Keras의 규칙).",
    "give both sizes, e.g. input_shape=({default_size}, {default_size}, 3), or pass "
    "include_top=False (with pooling='avg') to take any size.": "두 크기를 모두 주세요. 예: "
    "input_shape=({default_size}, {default_size}, 3). 또는 include_top=False(pooling='avg'와 "
    "함께)를 넘기면 어떤 크기든 받습니다.",
}
