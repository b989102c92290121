"""Korean forms of the messages added on 2026-12-05 (apps), in the style of ko.py."""

MESSAGES: dict[str, str] = {
    # NASNet with weights='imagenet' and an input_shape with a None size:
    "input_shape={input_shape} has a None size with weights='imagenet'.": "weights='imagenet'인데 "
    "input_shape={input_shape}에 None인 크기가 있습니다.",
    "a fixed (height, width, 3) input_shape: NASNet's cells depend on the sizes.": "크기가 정해진 "
    "(높이, 너비, 3) input_shape: NASNet의 셀 구성은 크기에 따라 달라집니다.",
    "give both sizes, e.g. input_shape=(224, 224, 3), or pass weights=None.": "두 크기를 모두 "
    "주세요. 예: input_shape=(224, 224, 3). 또는 weights=None을 넘기세요.",
}
