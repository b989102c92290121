"""Korean forms of the messages added on 2026-12-05 (ops), in the style of ko.py."""

MESSAGES: dict[str, str] = {
    # -- CTC --
    "CTC got model outputs of shape {tuple_output_shape}.": "CTC가 모양이 {tuple_output_shape}인 "
    "모델 출력을 받았습니다.",
    "logits of rank 3: (batch, time steps, classes), the blank class included.": "랭크 3의 "
    "로짓: (배치, 타임스텝, 클래스), 빈칸(blank) 클래스 포함.",
    "pass the model's per-step class scores, e.g. the output of a Dense(classes) applied to each "
    "time step.": "모델의 타임스텝별 클래스 점수를 넘기세요. 예: 각 타임스텝에 적용한 "
    "Dense(classes)의 출력.",
    "ctc_decode got strategy={strategy}.": "ctc_decode가 strategy={strategy}을(를) 받았습니다.",
    "strategy='greedy' or 'beam_search'.": "strategy='greedy' 또는 'beam_search'.",
    "use strategy='greedy' (the keras-io OCR example's choice).": "strategy='greedy'를 쓰세요 "
    "(keras-io OCR 예제가 쓰는 방식).",
    # -- function transformations --
    "ops.jvp got primals and tangents that are not tuples of the same length.": "ops.jvp가 길이가 "
    "같은 튜플이 아닌 primals와 tangents를 받았습니다.",
    "primals=(x, ...) and tangents=(dx, ...), one tangent per primal.": "primals=(x, ...)와 "
    "tangents=(dx, ...), primal마다 tangent 하나.",
    "ops.associative_scan got elems whose axis {axis} lengths differ: {sorted_lengths}.": "ops."
    "associative_scan이 받은 elems의 {axis}번 축 길이가 서로 다릅니다: {sorted_lengths}.",
    "every tensor in elems the same length along the scanned axis.": "elems의 모든 텐서가 "
    "스캔하는 축을 따라 같은 길이.",
    "slice or pad the tensors to one length first.": "먼저 텐서들을 잘라내거나 패딩해 길이를 "
    "맞추세요.",
    # -- layout --
    "ops.{op} got a tensor of shape {tuple_x_shape} (rank {x_dim}).": "ops.{op}이(가) 모양이 "
    "{tuple_x_shape}(랭크 {x_dim})인 텐서를 받았습니다.",
    "a batch of images of rank 4: (batch, height, width, channels) for channels_last, (batch, "
    "channels, height, width) for channels_first.": "랭크 4의 이미지 배치: channels_last는 "
    "(배치, 높이, 너비, 채널), channels_first는 (배치, 채널, 높이, 너비).",
    "add the batch axis: ops.expand_dims(image, 0).": "배치 축을 추가하세요: "
    "ops.expand_dims(image, 0).",
    "ops.depth_to_space got {channels} channels with block_size={block_size}.": "ops."
    "depth_to_space가 block_size={block_size}로 채널 {channels}개를 받았습니다.",
    "a channel count divisible by block_size**2 = {block_size_block_size}.": "block_size**2 = "
    "{block_size_block_size}로 나누어떨어지는 채널 수.",
    "pick a block_size whose square divides the channels.": "제곱이 채널 수를 나누어떨어지게 "
    "하는 block_size를 고르세요.",
    "ops.space_to_depth got height {h} and width {w} with block_size={block_size}.": "ops."
    "space_to_depth가 block_size={block_size}로 높이 {h}, 너비 {w}를 받았습니다.",
    "height and width divisible by block_size.": "block_size로 나누어떨어지는 높이와 너비.",
    "crop or pad the images first (ops.image.crop_images / pad_images).": "먼저 이미지를 "
    "자르거나 패딩하세요 (ops.image.crop_images / pad_images).",
    "ops.unfold got a tensor of shape {tuple_x_shape}.": "ops.unfold가 모양이 {tuple_x_shape}인 "
    "텐서를 받았습니다.",
    "a channels_first batch of rank 4: (batch, channels, height, width).": "랭크 4의 "
    "channels_first 배치: (배치, 채널, 높이, 너비).",
    "ops.transpose(images, (0, 3, 1, 2)) turns channels_last images into it.": "ops."
    "transpose(images, (0, 3, 1, 2))로 channels_last 이미지를 이 형태로 바꿀 수 있습니다.",
    "ops.fold got a tensor of shape {tuple_x_shape}.": "ops.fold가 모양이 {tuple_x_shape}인 "
    "텐서를 받았습니다.",
    "blocks of rank 3: (batch, channels * kernel height * kernel width, blocks), as ops.unfold "
    "makes.": "ops.unfold가 만드는 랭크 3의 블록: (배치, 채널 * 커널 높이 * 커널 너비, 블록 수).",
    "pass the output of ops.unfold (or reshape to that layout).": "ops.unfold의 출력을 넘기세요 "
    "(또는 그 배치로 reshape하세요).",
    "ops.view_as_complex got a tensor of shape {tuple_x_shape}.": "ops.view_as_complex가 모양이 "
    "{tuple_x_shape}인 텐서를 받았습니다.",
    "a last axis of size 2 holding (real, imaginary).": "(실수부, 허수부)를 담은 크기 2의 "
    "마지막 축.",
    "ops.rearrange pattern {pattern} does not fit a tensor of shape {tuple_tensor_shape}.": "ops."
    "rearrange 패턴 {pattern}이(가) 모양이 {tuple_tensor_shape}인 텐서에 맞지 않습니다.",
    "'input axes -> output axes' with one input entry per axis and the same axis names on both "
    "sides.": "'입력 축 -> 출력 축' 형식으로, 입력 쪽은 축마다 항목 하나, 양쪽의 축 이름은 같게.",
    # -- convolution --
    "ops.conv_transpose got inputs of shape {tuple_inputs_shape}, a kernel of shape "
    "{tuple_kernel_shape} and padding={padding}.": "ops.conv_transpose가 모양이 "
    "{tuple_inputs_shape}인 입력, 모양이 {tuple_kernel_shape}인 커널, padding={padding}을(를) "
    "받았습니다.",
    "inputs (batch, *spatial, in_channels) (channels_last), a kernel (*kernel_size, "
    "out_channels, in_channels) with one axis per spatial axis, and padding 'valid' or "
    "'same'.": "입력 (배치, *공간 축, in_channels) (channels_last), 공간 축마다 축 하나인 커널 "
    "(*kernel_size, out_channels, in_channels), padding은 'valid' 또는 'same'.",
    "kernel = ops.ones((3, 3, filters, channels)) for 2-D images.": "2차원 이미지라면 kernel = "
    "ops.ones((3, 3, filters, channels)).",
    # -- statistics --
    "ops.cdist got shapes {tuple_x_shape} and {tuple_y_shape}.": "ops.cdist가 모양 "
    "{tuple_x_shape}와(과) {tuple_y_shape}을(를) 받았습니다.",
    "two tensors of rank 2 or more whose last axes (the coordinates) match.": "마지막 축(좌표)이 "
    "같은, 랭크 2 이상의 텐서 두 개.",
    "cdist(points_a, points_b) with shapes (P, D) and (R, D).": "모양이 (P, D)와 (R, D)인 "
    "cdist(points_a, points_b).",
    "ops.histogram got a tensor of shape {tuple_x_shape}.": "ops.histogram이 모양이 "
    "{tuple_x_shape}인 텐서를 받았습니다.",
    "a 1-D tensor of values.": "값들의 1차원 텐서.",
    "ops.correlate got shapes {tuple_a_shape} and {tuple_v_shape}, mode={mode}.": "ops.correlate가 "
    "모양 {tuple_a_shape}와(과) {tuple_v_shape}, mode={mode}을(를) 받았습니다.",
    "two 1-D tensors and mode 'valid', 'same' or 'full'.": "1차원 텐서 두 개와 mode 'valid', "
    "'same' 또는 'full'.",
    "correlate(signal, kernel, mode='full')": "correlate(signal, kernel, mode='full')",
    "ops.vander got a tensor of shape {tuple_x_shape}.": "ops.vander가 모양이 {tuple_x_shape}인 "
    "텐서를 받았습니다.",
    "a 1-D tensor.": "1차원 텐서.",
    # -- random --
    "{name} of shape {tuple_value_shape} does not broadcast to shape {shape}.": "모양이 "
    "{tuple_value_shape}인 {name}을(를) 모양 {shape}(으)로 브로드캐스트할 수 없습니다.",
    "a number, or a tensor that broadcasts to the sample shape.": "숫자 하나, 또는 샘플 모양으로 "
    "브로드캐스트되는 텐서.",
    "pass one value, or a tensor of shape {shape}.": "값 하나나 모양이 {shape}인 텐서를 넘기세요.",
    # -- ops.image --
    "ssim got images of shapes {tuple_a_shape} and {tuple_b_shape} (channels first here) with "
    "filter_size={filter_size}.": "ssim이 filter_size={filter_size}로 모양 {tuple_a_shape}와(과) "
    "{tuple_b_shape}(여기서는 채널 우선)인 이미지를 받았습니다.",
    "two images of the same shape, each side at least filter_size pixels.": "모양이 같은 이미지 "
    "두 장, 각 변이 filter_size 픽셀 이상.",
    "pass a smaller filter_size, e.g. ssim(a, b, filter_size=3).": "더 작은 filter_size를 "
    "넘기세요. 예: ssim(a, b, filter_size=3).",
    "map_coordinates got inputs of rank {inputs_dim}, coordinates of shape "
    "{tuple_coordinates_shape}, order={order} and fill_mode={fill_mode}.": "map_coordinates가 "
    "랭크 {inputs_dim}인 입력, 모양이 {tuple_coordinates_shape}인 좌표, order={order}, "
    "fill_mode={fill_mode}을(를) 받았습니다.",
    "coordinates of shape (rank of inputs, ...), order 0 or 1, and fill_mode one of "
    "{join_repr_m_for_m_in__FI}.": "모양이 (입력의 랭크, ...)인 좌표, order 0 또는 1, "
    "fill_mode는 {join_repr_m_for_m_in__FI} 중 하나.",
    "affine_transform got interpolation={interpolation}, fill_mode={fill_mode} and a transform "
    "of shape {tuple_transform_shape}.": "affine_transform이 interpolation={interpolation}, "
    "fill_mode={fill_mode}, 모양이 {tuple_transform_shape}인 변환을 받았습니다.",
    "interpolation 'nearest' or 'bilinear', fill_mode one of {join_repr_m_for_m_in__FI}, and 8 "
    "numbers per transform.": "interpolation은 'nearest' 또는 'bilinear', fill_mode는 "
    "{join_repr_m_for_m_in__FI} 중 하나, 변환마다 숫자 8개.",
    "affine_transform(images, [1, 0, dx, 0, 1, dy, 0, 0])": "affine_transform(images, [1, 0, "
    "dx, 0, 1, dy, 0, 0])",
    "perspective_transform got start_points of shape {tuple_start_shape} and end_points of "
    "shape {tuple_end_shape}.": "perspective_transform이 모양이 {tuple_start_shape}인 "
    "start_points와 모양이 {tuple_end_shape}인 end_points를 받았습니다.",
    "two sets of four (x, y) corners of the same shape: (4, 2), or (batch, 4, 2).": "모양이 같은 "
    "(x, y) 꼭짓점 네 개짜리 두 묶음: (4, 2) 또는 (배치, 4, 2).",
    "elastic_transform got interpolation={interpolation} and fill_mode={fill_mode}.": "elastic_"
    "transform이 interpolation={interpolation}, fill_mode={fill_mode}을(를) 받았습니다.",
    "interpolation 'nearest' or 'bilinear', fill_mode one of {join_repr_m_for_m_in__FI}.": "interp"
    "olation은 'nearest' 또는 'bilinear', fill_mode는 {join_repr_m_for_m_in__FI} 중 하나.",
    "scale_and_translate got method={method} and output_shape={output_shape} for images of "
    "shape {tuple_x_shape}.": "scale_and_translate가 모양이 {tuple_x_shape}인 이미지에 "
    "method={method}, output_shape={output_shape}을(를) 받았습니다.",
    "method one of {join_repr_m_for_m_in__KE}, and an output_shape with one size per axis of "
    "images.": "method는 {join_repr_m_for_m_in__KE} 중 하나, output_shape는 이미지의 축마다 "
    "크기 하나.",
}
