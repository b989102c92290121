"""Korean forms of the messages added on 2026-12-05 (layers2), in the style of ko.py."""

MESSAGES: dict[str, str] = {
    # -- STFT initializer --
    "{owner} got window={window}, a window layerfit does not compute.": "{owner}에 "
    "window={window}이(가) 주어졌습니다: layerfit이 계산하지 않는 창(window)입니다.",
    "'hann', 'hamming', 'blackman', 'bartlett', 'boxcar', an array of window values, or None.": "'hann', "
    "'hamming', 'blackman', 'bartlett', 'boxcar', 창 값의 배열, 또는 None.",
    "pass the window values as an array, e.g. scipy.signal.get_window(name, length).": "창 값을 "
    "배열로 넘기세요. 예: scipy.signal.get_window(name, length).",
    "'real' or 'imag'.": "'real' 또는 'imag'.",
    "'density', 'spectrum' or None.": "'density', 'spectrum' 또는 None.",
    "scaling='density' divides by the window's L2 norm.": "scaling='density'는 창의 L2 노름으로 "
    "나눕니다.",
    "a 3D shape (frame_length, 1, fft_length // 2 + 1).": "3차원 모양 (frame_length, 1, "
    "fft_length // 2 + 1).",
    "STFT()((256, 1, 129)) for frames of 256 samples and a 256-point FFT.": "샘플 256개짜리 "
    "프레임과 256점 FFT에는 STFT()((256, 1, 129)).",
    "STFT initializer got a window of shape {window_shape} for frames of {frame_length} samples.": "STFT "
    "초기화에 샘플 {frame_length}개짜리 프레임용으로 모양 {window_shape}의 창이 주어졌습니다.",
    "a 1D window of {frame_length} values.": "값 {frame_length}개짜리 1차원 창.",
    "give as many window values as frame_length.": "창 값을 frame_length개만큼 주세요.",
    # -- MelSpectrogram --
    "MelSpectrogram got sequence_length={sequence_length} longer than fft_length={fft_length}.": "MelSpectrogram에 "
    "fft_length={fft_length}보다 긴 sequence_length={sequence_length}이(가) 주어졌습니다.",
    "leave sequence_length=None to use fft_length.": "fft_length를 쓰려면 sequence_length=None으로 "
    "두세요.",
    "'hann', 'hamming', an array of sequence_length values, or None.": "'hann', 'hamming', "
    "sequence_length개 값의 배열, 또는 None.",
    "min_freq=20.0, max_freq=None (half the sampling rate).": "min_freq=20.0, max_freq=None "
    "(샘플링 속도의 절반).",
    "audio of shape (samples,) or (batch, samples).": "모양이 (samples,) 또는 (batch, samples)인 "
    "오디오.",
    "drop a channel axis first: x = x[..., 0].": "먼저 채널 축을 없애세요: x = x[..., 0].",
    "MelSpectrogram got a window of shape {tuple_window_shape}.": "MelSpectrogram에 모양 "
    "{tuple_window_shape}의 창이 주어졌습니다.",
    "a 1D window of sequence_length={sequence_length} values.": "sequence_length={sequence_length}"
    "개 값의 1차원 창.",
    "give as many window values as sequence_length.": "창 값을 sequence_length개만큼 주세요.",
    "MelSpectrogram layer {name} got {x_shape_1} samples, too few for fft_length={fft_length} "
    "(the signal is reflect-padded by {half} on each side).": "MelSpectrogram 층 {name}에 샘플 "
    "{x_shape_1}개가 들어왔는데, fft_length={fft_length}에는 너무 적습니다 (신호를 양쪽에 {half}씩 "
    "반사 패딩합니다).",
    "more than {half} samples.": "{half}개보다 많은 샘플.",
    "use a smaller fft_length, or pad the audio.": "더 작은 fft_length를 쓰거나 오디오를 "
    "패딩하세요.",
    # -- STFTSpectrogram --
    "a positive frame_step not greater than frame_length.": "frame_length보다 크지 않은 양의 "
    "frame_step.",
    "frame_step=None uses frame_length // 2.": "frame_step=None이면 frame_length // 2를 씁니다.",
    "fft_length=None rounds frame_length up to a power of two.": "fft_length=None이면 "
    "frame_length를 2의 거듭제곱으로 올려 씁니다.",
    "STFTSpectrogram got fft_length={fft_length}, which is not a power of two.": "STFTSpectrogram에 "
    "2의 거듭제곱이 아닌 fft_length={fft_length}이(가) 주어졌습니다.",
    "a power of two (e.g. 256) is faster and is what Keras recommends.": "2의 거듭제곱(예: 256)이 "
    "더 빠르고 Keras도 권장합니다.",
    "signals of shape (batch, time, channels) (or (batch, channels, time) with "
    "data_format='channels_first').": "모양이 (batch, time, channels)인 신호 "
    "(data_format='channels_first'이면 (batch, channels, time)).",
    "add a channel axis to mono audio: x = x[..., None].": "모노 오디오에 채널 축을 더하세요: "
    "x = x[..., None].",
    "STFTSpectrogram layer {name} got inputs of dtype {inputs_dtype}.": "STFTSpectrogram 층 "
    "{name}에 dtype {inputs_dtype}의 입력이 들어왔습니다.",
    "float16, float32 or float64 signals.": "float16, float32 또는 float64 신호.",
    "convert first: x = x.astype('float32').": "먼저 변환하세요: x = x.astype('float32').",
    # -- OrthogonalRegularizer --
    "'rows' or 'columns'.": "'rows' 또는 'columns'.",
    "mode='rows' makes the rows of the weight orthogonal.": "mode='rows'는 가중치의 행을 "
    "직교하게 만듭니다.",
    "OrthogonalRegularizer got a weight of shape {tuple_x_shape}.": "OrthogonalRegularizer에 "
    "모양 {tuple_x_shape}의 가중치가 주어졌습니다.",
    "a 2-D weight, such as a Dense kernel.": "Dense 커널 같은 2차원 가중치.",
    "use it as kernel_regularizer of a Dense or EinsumDense layer.": "Dense나 EinsumDense 층의 "
    "kernel_regularizer로 쓰세요.",
    # -- geometric augmentations --
    "a number in [0, 1] or a pair (lower, upper) of numbers in [-1, 1].": "[0, 1] 범위의 수, "
    "또는 [-1, 1] 범위의 두 수 (lower, upper).",
    "{arg}=0.2 shears by a random amount in [-0.2, 0.2].": "{arg}=0.2이면 [-0.2, 0.2] 범위에서 "
    "무작위로 기울입니다.",
    "a number in [0, 1].": "[0, 1] 범위의 수.",
    "scale=0.2 moves each corner by up to 10% of its position.": "scale=0.2이면 각 모서리를 "
    "위치의 최대 10%만큼 옮깁니다.",
    # -- CLAHE, MaxNumBoundingBoxes --
    "a number.": "수.",
    "a pair (rows, columns) of positive integers.": "양의 정수 두 개 (rows, columns).",
    "an integer.": "정수.",
    "MaxNumBoundingBoxes got a 'bounding_boxes' input but no bounding_box_format.": (
        "MaxNumBoundingBoxes에 'bounding_boxes' 입력이 들어왔는데 bounding_box_format이 없습니다."
    ),
    "the format of the boxes, as Keras requires.": "Keras처럼 상자의 형식이 필요합니다.",
    "MaxNumBoundingBoxes got bounding_boxes with keys {sorted_boxes}.": "MaxNumBoundingBoxes에 "
    "키가 {sorted_boxes}인 bounding_boxes가 들어왔습니다.",
    "exactly 'boxes' (N, M, 4) and 'labels' (N, M).": "정확히 'boxes' (N, M, 4)와 'labels' (N, M).",
    "drop the other keys before this layer.": "이 층 앞에서 다른 키를 빼세요.",
}
