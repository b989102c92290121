"""Korean forms of the messages of data/, datasets/, utils/, saving/.

English template -> Korean template, in the style of ko.py (its docstring gives the terms).
"""

MESSAGES = {
    "x is None.": "x가 None입니다.",
    "the input data: an array, DataFrame or tensor.": "입력 데이터: 배열, DataFrame 또는 텐서.",
    "pass the features, e.g. model.fit(x_train, y_train).": "특성 데이터를 넘기세요. 예: "
    "model.fit(x_train, y_train).",
    "{argument} is a {type_name}, which yields its own targets, and y was given too.": "{argument}"
    "은(는) 목표값을 스스로 내는 {type_name}인데, y도 주어졌습니다.",
    "y=None when x yields (x, y) pairs.": "x가 (x, y) 쌍을 낸다면 y=None.",
    "drop the y argument.": "y 인수를 빼세요.",
    "{argument} of type {type_name} is not a kind of data layerfit can read.": "{type_name} "
    "타입의 {argument}은(는) layerfit이 읽을 수 있는 데이터가 아닙니다.",
    "a numpy array, list, pandas DataFrame/Series, torch tensor, torch Dataset or DataLoader, a "
    "generator of (x, y) batches, or a layerfit.utils.PyDataset.": "numpy 배열, 리스트, pandas "
    "DataFrame/Series, torch 텐서, torch Dataset 또는 DataLoader, (x, y) 배치를 내는 제너레이터, "
    "또는 layerfit.utils.PyDataset.",
    "convert {argument} with np.asarray({argument}).": "np.asarray({argument})로 {argument}을(를) "
    "변환하세요.",
    "{argument} is a DataFrame with non-numeric columns {bad}.": "{argument}은(는) 숫자가 아닌 "
    "열 {bad}이(가) 있는 DataFrame입니다.",
    "{argument} holds text (dtype {dtype}); models take numbers.": "{argument}에는 텍스트가 "
    "들어 있습니다(dtype {dtype}). 모델은 숫자를 받습니다.",
    "token ids or vectors made from the text.": "텍스트로 만든 토큰 번호나 벡터.",
    "vectorize it first: vectorize = layers.TextVectorization(); vectorize.adapt(texts); then "
    "pass vectorize(texts), or a dataset mapped with dataset.map(lambda x, y: (vectorize(x), "
    "y)).": "먼저 벡터로 바꾸세요: vectorize = layers.TextVectorization(); "
    "vectorize.adapt(texts); 그다음 vectorize(texts)를 넘기거나, dataset.map(lambda x, y: "
    "(vectorize(x), y))로 변환한 데이터셋을 넘기세요.",
    "{argument} could not be read as numbers ({error}).": "{argument}을(를) 숫자로 읽을 수 "
    "없습니다({error}).",
    "a numeric numpy array, list of numbers, pandas DataFrame/Series or torch "
    "tensor.": "숫자 numpy 배열, 숫자의 리스트, pandas DataFrame/Series 또는 torch 텐서.",
    "convert {argument} with np.asarray({argument}, dtype='float32').": "np.asarray({argument}, "
    "dtype='float32')로 {argument}을(를) 변환하세요.",
    "The arrays in {argument} have different numbers of samples: {lengths}.": "{argument}의 "
    "배열들의 샘플 수가 서로 다릅니다: {lengths}.",
    "the same first-axis length for every array.": "모든 배열에서 같은 첫 축 길이.",
    "check that each input holds one row per sample.": "입력마다 샘플 하나에 한 행씩 있는지 "
    "확인하세요.",
    "a fraction in [0, 1), e.g. 0.2 to hold out the last 20% of the samples.": "[0, 1) 범위의 "
    "비율. 예: 마지막 20%의 샘플을 떼어 두려면 0.2.",
    "Could not read the audio file {path} ({error}).": "오디오 파일 {path}을(를) 읽을 수 "
    "없습니다({error}).",
    "a PCM .wav file (8, 16 or 32-bit).": "PCM .wav 파일(8, 16 또는 32비트).",
    "The audio file {path} has {bits}-bit samples.": "오디오 파일 {path}의 샘플은 {bits}비트"
    "입니다.",
    "8, 16 or 32-bit PCM.": "8, 16 또는 32비트 PCM.",
    "re-export the file as 16-bit PCM WAV.": "파일을 16비트 PCM WAV로 다시 내보내세요.",
    "audio_dataset_from_directory with sampling_rate= (Keras resamples with tensorflow-io) or "
    "ragged=True is not available in layerfit.": "sampling_rate=(Keras는 tensorflow-io로 "
    "리샘플링합니다)나 ragged=True를 준 audio_dataset_from_directory는 layerfit에서 쓸 수 "
    "없습니다.",
    "sampling_rate=None and ragged=False.": "sampling_rate=None과 ragged=False.",
    "resample the files beforehand; use output_sequence_length for equal "
    "lengths.": "파일을 미리 리샘플링하세요. 길이를 맞추려면 output_sequence_length를 쓰세요.",
    "label_mode='binary' with {count} classes {class_names}.": "클래스가 {count}개({class_names})"
    "인데 label_mode='binary'입니다.",
    "exactly 2 classes for binary labels.": "이진 레이블에는 정확히 2개의 클래스.",
    "label_mode='int' (or 'categorical') for more than two classes.": "클래스가 셋 이상이라면 "
    "label_mode='int'(또는 'categorical').",
    "No {part}audio files found in {directory}.": "{directory}에서 {part}오디오 파일을 찾지 "
    "못했습니다.",
    "files ending in .wav in class subfolders.": "클래스 하위 폴더 안의 .wav로 끝나는 파일.",
    "files ending in .wav.": ".wav로 끝나는 파일.",
    "check the path; with labels='inferred' files must sit in subfolders.": "경로를 확인하세요. "
    "labels='inferred'라면 파일이 하위 폴더 안에 있어야 합니다.",
    "{name} is empty (0 samples).": "{name}이(가) 비어 있습니다(샘플 0개).",
    "check how {name} was loaded or filtered.": "{name}을(를) 어떻게 불러오거나 걸렀는지 "
    "확인하세요.",
    "{x_name} has {x_count} samples but {y_name} has {y_count}.": "{x_name}의 샘플은 {x_count}개"
    "인데 {y_name}의 샘플은 {y_count}개입니다.",
    "{label} contains {nan} NaN and {inf} inf values ({t_where}).": "{label}에 NaN 값 {nan}개와 "
    "inf 값 {inf}개가 있습니다({t_where}).",
    "drop or fill them before fit: df.dropna() or df.fillna(df.mean()) for a DataFrame, "
    "x[~np.isnan(x).any(axis=1)] or np.nan_to_num(x) for an array (np.isnan({name}).any(axis=1) "
    "finds the rows).": "fit 전에 빼거나 채우세요: DataFrame이라면 df.dropna() 또는 "
    "df.fillna(df.mean()), 배열이라면 x[~np.isnan(x).any(axis=1)] 또는 np.nan_to_num(x)"
    "(np.isnan({name}).any(axis=1)로 그 행을 찾을 수 있습니다).",
    "a positive integer, AUTOTUNE or None.": "양의 정수, AUTOTUNE 또는 None.",
    "a non-negative integer (or -1 for all).": "0 이상의 정수(전부라면 -1).",
    "a non-negative integer.": "0 이상의 정수.",
    "Dataset.cache(filename={filename}): layerfit caches in memory only; the file name is "
    "ignored.": "Dataset.cache(filename={filename}): layerfit은 메모리에만 캐시하므로 파일 "
    "이름은 무시됩니다.",
    "call cache() without a file name (or save arrays with np.save).": "파일 이름 없이 cache()를 "
    "호출하세요(또는 np.save로 배열을 저장하세요).",
    "Dataset.{call} ignores {names} (tf.data tuning options).": "Dataset.{call}은(는) {names}을(를) "
    "무시합니다(tf.data의 성능 조정 옵션).",
    "drop them; layerfit batches in order in the calling thread.": "빼세요. layerfit은 호출한 "
    "스레드에서 순서대로 배치를 만듭니다.",
    "a fraction between 0 and 1.": "0과 1 사이의 비율.",
    "validation_split={validation_split} with subset={subset}.": "validation_split="
    "{validation_split}과(와) subset={subset}이(가) 함께 주어졌습니다.",
    "both or neither: the split needs to know which part to return.": "둘 다 주거나 둘 다 빼기: "
    "나누려면 어느 쪽을 돌려줄지 알아야 합니다.",
    "'training', 'validation' or 'both'.": "'training', 'validation' 또는 'both'.",
    "subset='both' returns (train_ds, val_ds).": "subset='both'는 (train_ds, val_ds)를 돌려줍니다.",
    "validation_split with shuffle=True needs a seed.": "shuffle=True와 함께 쓰는 "
    "validation_split에는 시드가 필요합니다.",
    "the same seed for the training and validation calls, so they do not overlap.": "학습용과 "
    "검증용 호출에 같은 시드: 그래야 두 데이터가 겹치지 않습니다.",
    "pass seed=1337 (any integer) to both calls, or use subset='both'.": "두 호출 모두에 "
    "seed=1337(아무 정수)을 넘기거나, subset='both'를 쓰세요.",
    "The directory {directory} does not exist (or is not a folder).": "디렉터리 {directory}이(가) "
    "없습니다(또는 폴더가 아닙니다).",
    "a folder with one subfolder per class.": "클래스마다 하위 폴더가 하나씩 있는 폴더.",
    "check the path, e.g. os.listdir(directory).": "경로를 확인하세요. 예: os.listdir(directory).",
    "class_names={class_names} do not all name subfolders of {directory}.": "class_names="
    "{class_names}에 {directory}의 하위 폴더가 아닌 이름이 있습니다.",
    "some of {found}.": "{found} 중 일부.",
    "fix the names, or leave class_names=None to use every subfolder.": "이름을 고치거나, 모든 "
    "하위 폴더를 쓰려면 class_names=None으로 두세요.",
    "class_names was given with labels=None.": "labels=None인데 class_names가 주어졌습니다.",
    "class_names was given with labels=a list.": "labels가 리스트인데 class_names가 주어졌습니다.",
    'class_names only with labels="inferred" (names come from the subfolders).': "class_names는 "
    'labels="inferred"일 때만(이름은 하위 폴더에서 정해집니다).',
    "drop class_names, or use labels='inferred'.": "class_names를 빼거나, labels='inferred'를 "
    "쓰세요.",
    "labels has {count} entries but {files} files were found in {directory}.": "labels의 항목은 "
    "{count}개인데 {directory}에서 찾은 파일은 {files}개입니다.",
    "one label per file, in sorted file order.": "정렬된 파일 순서대로 파일마다 레이블 하나.",
    "list the files with sorted(os.listdir(...)) and build labels from them.": "sorted(os.listdir"
    "(...))로 파일 목록을 만들고 그것으로 레이블을 만드세요.",
    "validation_split works only with arrays and tensors.": "validation_split은 배열과 텐서에만 "
    "쓸 수 있습니다.",
    "x and y as arrays, or a separate validation_data.": "배열인 x와 y, 또는 따로 준 "
    "validation_data.",
    "pass validation_data=(x_val, y_val) or a validation DataLoader.": "validation_data=(x_val, "
    "y_val)이나 검증 데이터용 DataLoader를 넘기세요.",
    "validation_data is a single array.": "validation_data가 배열 하나입니다.",
    "a tuple (x_val, y_val) or (x_val, y_val, sample_weight_val), or a DataLoader.": "튜플 "
    "(x_val, y_val) 또는 (x_val, y_val, sample_weight_val), 또는 DataLoader.",
    "a number >= 0.": "0 이상의 숫자.",
    "ImageDataGenerator(zca_whitening=True) is not available in layerfit.": "ImageDataGenerator("
    "zca_whitening=True)는 layerfit에서 쓸 수 없습니다.",
    "standardise instead: featurewise_center=True, featurewise_std_normalization=True, then "
    "generator.fit(x_train).": "대신 표준화하세요: featurewise_center=True, "
    "featurewise_std_normalization=True, 그다음 generator.fit(x_train).",
    "'nearest', 'constant', 'reflect' or 'wrap'.": "'nearest', 'constant', 'reflect' 또는 'wrap'.",
    "a fraction in [0, 1).": "[0, 1) 범위의 비율.",
    "ImageDataGenerator has featurewise_center / featurewise_std_normalization but was not fit: "
    "the images are not standardised.": "ImageDataGenerator에 featurewise_center / "
    "featurewise_std_normalization이 있는데 fit하지 않았습니다: 이미지가 표준화되지 않습니다.",
    "call generator.fit(x_train) before flow().": "flow() 전에 generator.fit(x_train)을 "
    "호출하세요.",
    "flow_from_dataframe skips {count} rows whose file is missing or not an "
    "image.": "flow_from_dataframe은 파일이 없거나 이미지가 아닌 행 {count}개를 건너뜁니다.",
    "check the file names in x_col (and the directory argument).": "x_col의 파일 이름(과 "
    "directory 인수)을 확인하세요.",
    "'inferred' (from subfolder names), a list of integer labels (one per file in sorted "
    "order), or None (inputs only).": "'inferred'(하위 폴더 이름에서), 정수 레이블의 "
    "리스트(정렬된 순서로 파일마다 하나), 또는 None(입력만).",
    "'int', 'categorical', 'binary' or None.": "'int', 'categorical', 'binary' 또는 None.",
    "label_mode='int' for sparse_categorical_crossentropy, 'categorical' for "
    "categorical_crossentropy, 'binary' for binary_crossentropy.": "sparse_categorical_"
    "crossentropy에는 label_mode='int', categorical_crossentropy에는 'categorical', "
    "binary_crossentropy에는 'binary'.",
    "'tf' or 'grain' (Keras's choices; layerfit returns its own Dataset for both).": "'tf' 또는 "
    "'grain'(Keras의 선택지. layerfit은 둘 다 자체 Dataset을 돌려줍니다).",
    "leave format out.": "format을 빼세요.",
    "a positive integer, or None for single images.": "양의 정수, 또는 이미지를 하나씩 받으려면 "
    "None.",
    "crop_to_aspect_ratio=True and pad_to_aspect_ratio=True.": "crop_to_aspect_ratio=True와 "
    "pad_to_aspect_ratio=True가 함께 주어졌습니다.",
    "at most one of them.": "둘 중 많아야 하나.",
    "keep one of the two.": "둘 중 하나만 남기세요.",
    "No {part}images found in directory {directory}.": "디렉터리 {directory}에서 {part}이미지를 "
    "찾지 못했습니다.",
    "image files with one of the extensions {formats} inside class subfolders.": "클래스 하위 "
    "폴더 안의, 확장자가 {formats} 중 하나인 이미지 파일.",
    "image files with one of the extensions {formats}.": "확장자가 {formats} 중 하나인 이미지 "
    "파일.",
    "check the path; with labels='inferred' images must sit in subfolders.": "경로를 확인하세요. "
    "labels='inferred'라면 이미지가 하위 폴더 안에 있어야 합니다.",
    "fit got a Python generator without steps_per_epoch.": "fit에 steps_per_epoch 없이 Python "
    "제너레이터가 주어졌습니다.",
    "steps_per_epoch: how many batches make one epoch (a generator never ends).": "steps_per_epoch:"
    " 한 에포크를 이루는 배치 수(제너레이터는 끝나지 않습니다).",
    "The generator yielded no batch at all (it is empty or already used).": "제너레이터가 배치를 "
    "하나도 내지 않았습니다(비어 있거나 이미 쓴 제너레이터입니다).",
    "a generator that yields (x, y) batches.": "(x, y) 배치를 내는 제너레이터.",
    "create the generator anew for each fit/evaluate/predict call, e.g. "
    "model.fit(make_batches(), ...), not a generator used before.": "fit/evaluate/predict를 "
    "호출할 때마다 제너레이터를 새로 만드세요. 예: 이미 쓴 제너레이터가 아니라 "
    "model.fit(make_batches(), ...).",
    "A batch from the data source is a {type_name}.": "데이터 소스에서 나온 배치가 {type_name}"
    "입니다.",
    "a tuple (x,), (x, y) or (x, y, sample_weight).": "튜플 (x,), (x, y) 또는 (x, y, "
    "sample_weight).",
    "make the generator / Dataset return (x, y).": "제너레이터 / Dataset이 (x, y)를 돌려주게 "
    "하세요.",
    "Distributed training over {size} processes got data of type {type_name}; only in-memory "
    "arrays are sharded so far.": "프로세스 {size}개의 분산 학습에 {type_name} 타입의 데이터가 "
    "주어졌습니다. 지금은 메모리에 있는 배열만 나눌 수 있습니다.",
    "numpy arrays, tensors or DataFrames for x, y and validation_data.": "x, y, validation_data"
    "에는 numpy 배열, 텐서 또는 DataFrame.",
    "load the data into arrays (e.g. np.concatenate over the batches of the loader), or run one "
    "process.": "데이터를 배열로 불러오거나(예: 로더의 배치에 np.concatenate), 프로세스 하나로 "
    "실행하세요.",
    "a fraction in (0, 1) or a count.": "(0, 1) 범위의 비율 또는 개수.",
    "{name}={value} for a dataset of {total} samples.": "샘플 {total}개인 데이터셋에 "
    "{name}={value}이(가) 주어졌습니다.",
    "a count between 1 and {last}, or a fraction in (0, 1).": "1부터 {last} 사이의 개수, 또는 "
    "(0, 1) 범위의 비율.",
    "an int, a float or None.": "정수(int), 실수(float) 또는 None.",
    "{name} is a {type_name}.": "{name}이(가) {type_name}입니다.",
    "split_dataset got arrays of lengths {lengths}.": "split_dataset에 길이가 {lengths}인 배열이 "
    "주어졌습니다.",
    "arrays of the same length (one row per sample).": "길이가 같은 배열(샘플마다 한 행).",
    "check that x and y match: len(x) == len(y).": "x와 y가 맞는지 확인하세요: len(x) == len(y).",
    "a numpy array, a tuple/list of arrays, a layerfit Dataset or a torch Dataset.": "numpy 배열, "
    "배열의 튜플/리스트, layerfit Dataset 또는 torch Dataset.",
    "at least one of them.": "그중 하나 이상.",
    "split_dataset sizes {left} + {right} for {total} samples.": "샘플 {total}개에 "
    "split_dataset 크기 {left} + {right}이(가) 주어졌습니다.",
    "two non-empty parts that together fit in the dataset.": "합쳐서 데이터셋 안에 들어가는, "
    "비어 있지 않은 두 부분.",
    "give only left_size (the right part is the rest).": "left_size만 주세요(오른쪽 부분은 "
    "나머지입니다).",
    "No {part}text files found in directory {directory}.": "디렉터리 {directory}에서 {part}텍스트 "
    "파일을 찾지 못했습니다.",
    "files ending in .txt inside class subfolders.": "클래스 하위 폴더 안의 .txt로 끝나는 파일.",
    "files ending in .txt.": ".txt로 끝나는 파일.",
    "{name}={value} is not smaller than the data's length {length}.": "{name}={value}이(가) "
    "데이터 길이 {length}보다 작지 않습니다.",
    "{name} below {length}.": "{length}보다 작은 {name}.",
    "use a smaller {name}, or more data.": "더 작은 {name}을(를) 쓰거나, 데이터를 늘리세요.",
    "start_index={start_index} for data of length {length}.": "길이 {length}인 데이터에 "
    "start_index={start_index}이(가) 주어졌습니다.",
    "end_index={end_index} is not above start_index={start_index}.": "end_index={end_index}이(가) "
    "start_index={start_index}보다 크지 않습니다.",
    "swap them, or leave end_index=None for the end of the data.": "둘을 바꾸거나, 데이터 끝까지 "
    "쓰려면 end_index=None으로 두세요.",
    "end_index={end_index} for data of length {length}.": "길이 {length}인 데이터에 "
    "end_index={end_index}이(가) 주어졌습니다.",
    "leave end_index=None to use the data up to its end.": "데이터를 끝까지 쓰려면 "
    "end_index=None으로 두세요.",
    "'tf' or 'grain' (layerfit returns its own Dataset for both).": "'tf' 또는 'grain'(layerfit은 "
    "둘 다 자체 Dataset을 돌려줍니다).",
    "fit(class_weight=...) got {type_name} with x of type {x_type}.": "fit(class_weight=...)에 "
    "{x_type} 타입의 x와 함께 {type_name}이(가) 주어졌습니다.",
    "a dict {{class_index: weight}} with x and y as arrays or tensors.": "x와 y가 배열이나 "
    "텐서일 때 딕셔너리 {{class_index: weight}}.",
    "pass class_weight={{0: 1.0, 1: 5.0}}; for generators or DataLoaders, yield (x, y, "
    "sample_weight) batches instead.": "class_weight={{0: 1.0, 1: 5.0}}을 넘기세요. 제너레이터나 "
    "DataLoader라면 대신 (x, y, sample_weight) 배치를 내세요.",
    # -- datasets ----------------------------------------------------------------------------------
    "{name} is not an unsigned-byte IDX file (header {header}).": "{name}은(는) 부호 없는 "
    "바이트(`ubyte`) IDX 파일이 아닙니다(헤더 {header}).",
    "a header starting 00 00 08 (MNIST's format).": "00 00 08로 시작하는 헤더(MNIST의 형식).",
    "check that the file is an uncompressed or gzipped IDX file.": "파일이 압축되지 않았거나 "
    "gzip으로 압축된 IDX 파일인지 확인하세요.",
    "{name} holds {count} values; its header {shape} says {expected}.": "{name}에는 값이 "
    "{count}개 있는데, 헤더 {shape}에 따르면 {expected}개여야 합니다.",
    "a complete IDX file.": "온전한 IDX 파일.",
    "get a fresh copy of the file.": "파일을 새로 받으세요.",
    "{path} in LAYERFIT_DATA_DIR failed verification: {error}. Ignoring it.": "LAYERFIT_DATA_DIR의 "
    "{path}이(가) 검증을 통과하지 못했습니다: {error}. 이 파일은 무시합니다.",
    "the published {title} file (checksums in layerfit/datasets).": "공개된 {title} 파일"
    "(체크섬은 layerfit/datasets에 있습니다).",
    "replace the file with a good copy; meanwhile the cache or a download is "
    "used.": "온전한 파일로 바꾸세요. 그때까지는 캐시나 내려받은 파일을 씁니다.",
    "The cached file {path} failed verification: {error}. Deleting it and downloading it "
    "again.": "캐시된 파일 {path}이(가) 검증을 통과하지 못했습니다: {error}. 지우고 다시 "
    "내려받습니다.",
    "the published {title} file.": "공개된 {title} 파일.",
    "nothing to do, unless this repeats (then check the disk or the mirror).": "반복되지 않는다면 "
    "할 일은 없습니다(반복되면 디스크나 미러를 확인하세요).",
    "Could not load {title}: {count} file(s) missing: {names}.\n{t_where}, the cache has no valid "
    "copy, and no mirror gave a verified file.\nMirrors tried:\n{tried}": "{title}을(를) 불러올 "
    "수 없습니다: 파일 {count}개가 없습니다: {names}.\n{t_where}. 캐시에도 온전한 사본이 없고, "
    "검증된 파일을 준 미러도 없습니다.\n시도한 미러:\n{tried}",
    "the files in LAYERFIT_DATA_DIR, in the cache folder, or a reachable mirror.": "LAYERFIT_"
    "DATA_DIR이나 캐시 폴더에 있는 파일, 또는 접속할 수 있는 미러.",
    "either set LAYERFIT_DATA_DIR to a folder holding {listing}, or copy the files into "
    "{folder}. Gzipped or not, they are checked by SHA-256.": "{listing}이(가) 있는 폴더로 "
    "LAYERFIT_DATA_DIR을 설정하거나, 파일을 {folder}에 복사하세요. gzip 압축 여부와 상관없이 "
    "SHA-256으로 검사합니다.",
    "a fraction with 0 <= test_split < 1.": "0 <= test_split < 1인 비율.",
    "pass e.g. test_split=0.2 for 20% test {unit}.": "테스트 {unit} 20%라면 예를 들어 "
    "test_split=0.2를 넘기세요.",
    "a positive length.": "양수인 길이.",
    "path must be a file name; received path={path}.": "path는 파일 이름이어야 합니다. 받은 값: "
    "path={path}.",
    "a bare name such as 'california_housing.npz' (the cache file's name).": "'california_"
    "housing.npz' 같은 파일 이름만(캐시 파일의 이름).",
    "leave path at its default, or set LAYERFIT_CACHE_DIR to choose the folder.": "path를 "
    "기본값으로 두거나, 폴더를 고르려면 LAYERFIT_CACHE_DIR을 설정하세요.",
    "{archive} lacks {missing}.": "{archive}에 {missing}이(가) 없습니다.",
    "the CIFAR-10 binary version (cifar-10-batches-bin/*.bin).": "CIFAR-10 바이너리 버전"
    "(cifar-10-batches-bin/*.bin).",
    "get a fresh copy of cifar-10-binary.tar.gz.": "cifar-10-binary.tar.gz를 새로 받으세요.",
    "the CIFAR-100 binary version (cifar-100-binary/train.bin and test.bin).": "CIFAR-100 "
    "바이너리 버전(cifar-100-binary/train.bin과 test.bin).",
    "get a fresh copy of cifar-100-binary.tar.gz.": "cifar-100-binary.tar.gz를 새로 받으세요.",
    "'fine' (100 classes) or 'coarse' (20 superclasses).": "'fine'(클래스 100개) 또는 "
    "'coarse'(상위 클래스 20개).",
    "No review is shorter than maxlen={maxlen}, so none was kept.": "maxlen={maxlen}보다 짧은 "
    "리뷰가 없어서 하나도 남지 않았습니다.",
    "a maxlen above the length of some reviews.": "일부 리뷰의 길이보다 큰 maxlen.",
    "raise maxlen, or keep all reviews (maxlen=None) and cut them with "
    "keras.utils.pad_sequences(x, maxlen=...).": "maxlen을 늘리거나, 리뷰를 모두 남기고"
    "(maxlen=None) keras.utils.pad_sequences(x, maxlen=...)로 자르세요.",
    # -- utils -------------------------------------------------------------------------------------
    "Skipped archive member {member}: it would land outside {base}.": "압축 파일의 항목 "
    "{member}을(를) 건너뛰었습니다: {base} 밖에 풀리게 됩니다.",
    "Skipped archive member {member}: outside the folder.": "압축 파일의 항목 {member}을(를) "
    "건너뛰었습니다: 폴더 밖입니다.",
    "Incomplete or corrupted download: the checksum does not match.\n{tried}\nNothing was "
    "written to {parent}.": "내려받은 파일이 불완전하거나 손상되었습니다: 체크섬이 맞지 "
    "않습니다.\n{tried}\n{parent}에는 아무것도 쓰지 않았습니다.",
    "the file whose hash you passed as file_hash.": "file_hash로 넘긴 해시를 가진 파일.",
    "check file_hash (sha256 or md5 of the whole file), or the URL.": "file_hash(파일 전체의 "
    "sha256 또는 md5)나 URL을 확인하세요.",
    "Could not download {name}. Tried:\n{tried}": "{name}을(를) 내려받을 수 없습니다. 시도한 "
    "곳:\n{tried}",
    "a reachable URL serving the file.": "파일을 내려주는, 접속할 수 있는 URL.",
    "check your network and the URL, or copy the file to {target}.": "네트워크와 URL을 "
    "확인하거나, 파일을 {target}에 복사하세요.",
    "get_file needs the URL to download; received origin={origin}.": "get_file에는 내려받을 "
    "URL이 필요합니다. 받은 값: origin={origin}.",
    "origin='https://...' (the URL of the file).": "origin='https://...'(파일의 URL).",
    "pass origin=.": "origin=을 넘기세요.",
    "Could not extract {target}: it is not a {formats} archive.": "{target}의 압축을 풀 수 "
    "없습니다: {formats} 압축 파일이 아닙니다.",
    "a .tar, .tar.gz, .tar.bz2 or .zip file.": ".tar, .tar.gz, .tar.bz2 또는 .zip 파일.",
    "check archive_format=, or call get_file without extract=True.": "archive_format=을 "
    "확인하거나, extract=True 없이 get_file을 호출하세요.",
    "Can't tell the file name from origin={origin}.": "origin={origin}에서 파일 이름을 알 수 "
    "없습니다.",
    "a URL ending in a file name, or fname=.": "파일 이름으로 끝나는 URL, 또는 fname=.",
    "pass fname='name.ext'.": "fname='name.ext'를 넘기세요.",
    "fname must be a file name, not a path; received fname={name}.": "fname은 경로가 아니라 파일 "
    "이름이어야 합니다. 받은 값: fname={name}.",
    "a bare name such as 'data.zip'.": "'data.zip' 같은 파일 이름만.",
    "pass the folder as cache_dir= (or cache_subdir=) and the name as fname=.": "폴더는 "
    "cache_dir=(또는 cache_subdir=)로, 이름은 fname=으로 넘기세요.",
    "The cached file {target} is incomplete or outdated ({error}).": "캐시된 파일 {target}이(가) "
    "불완전하거나 오래되었습니다({error}).",
    "a cached file matching file_hash.": "file_hash와 맞는 캐시 파일.",
    "nothing to do: it is being downloaded again.": "할 일은 없습니다: 다시 내려받는 중입니다.",
    "'grayscale', 'rgb' or 'rgba'.": "'grayscale', 'rgb' 또는 'rgba'.",
    "a file path (str or pathlib.Path) or an io.BytesIO.": "파일 경로(str 또는 pathlib.Path) "
    "또는 io.BytesIO.",
    "Could not read the image file {path} ({reason}).": "이미지 파일 {path}을(를) 읽을 수 "
    "없습니다({reason}).",
    "img_to_array got an image of shape {shape}.": "img_to_array에 모양 {shape}의 이미지가 "
    "주어졌습니다.",
    "a 2D (grayscale) or 3D image.": "2D(흑백) 또는 3D 이미지.",
    "pass one image, not a batch: img_to_array(images[0]).": "배치가 아니라 이미지 하나를 "
    "넘기세요: img_to_array(images[0]).",
    "array_to_img got an array of shape {shape}.": "array_to_img에 모양 {shape}의 배열이 "
    "주어졌습니다.",
    "one image: (height, width, channels).": "이미지 하나: (height, width, channels).",
    "pass one image of a batch: array_to_img(images[0]).": "배치에서 이미지 하나를 넘기세요: "
    "array_to_img(images[0]).",
    "1 (grayscale), 3 (RGB) or 4 (RGBA).": "1(흑백), 3(RGB) 또는 4(RGBA).",
    "keep the first three channels: x[..., :3].": "처음 세 채널만 남기세요: x[..., :3].",
    "JPEG has no alpha channel: the RGBA image is saved as RGB.": "JPEG에는 알파 채널이 "
    "없습니다: RGBA 이미지를 RGB로 저장합니다.",
    "save as PNG to keep transparency, or pass x[..., :3].": "투명도를 남기려면 PNG로 "
    "저장하거나, x[..., :3]을 넘기세요.",
    "interpolation={interpolation} is not available in layerfit (PyTorch has no such resize "
    "kernel).": "interpolation={interpolation}은(는) layerfit에서 쓸 수 없습니다(PyTorch에 그런 "
    "크기 조정 커널이 없습니다).",
    "interpolation={interpolation} is not available in layerfit.": "interpolation="
    "{interpolation}은(는) layerfit에서 쓸 수 없습니다.",
    "interpolation='bilinear' (Keras's default); 'bicubic' is closest to "
    "Lanczos.": "interpolation='bilinear'(Keras의 기본값). Lanczos에 가장 가까운 것은 "
    "'bicubic'입니다.",
    "smart_resize got an array of shape {shape}.": "smart_resize에 모양 {shape}의 배열이 "
    "주어졌습니다.",
    "add a channel axis to grayscale images: x[..., None].": "흑백 이미지에는 채널 축을 "
    "더하세요: x[..., None].",
    "plot_model got layer_range, which Keras 3 no longer supports.": "plot_model에 Keras 3이 더 "
    "이상 지원하지 않는 layer_range가 주어졌습니다.",
    "plot the whole model, or build a smaller model to plot.": "모델 전체를 그리거나, 그릴 작은 "
    "모델을 따로 만드세요.",
    "plot_model got unrecognized keyword arguments {names}.": "plot_model에 알 수 없는 키워드 "
    "인수 {names}이(가) 주어졌습니다.",
    "model, to_file, show_shapes, show_dtype, show_layer_names, rankdir, expand_nested, dpi, "
    "show_layer_activations, show_trainable, splines.": "model, to_file, show_shapes, "
    "show_dtype, show_layer_names, rankdir, expand_nested, dpi, show_layer_activations, "
    "show_trainable, splines.",
    "remove them, or check their spelling.": "빼거나, 철자를 확인하세요.",
    "'TB' (top to bottom) or 'LR' (left to right).": "'TB'(위에서 아래로) 또는 'LR'(왼쪽에서 "
    "오른쪽으로).",
    "leave splines out; edges are drawn straight or right-angled.": "splines를 빼세요. 연결선은 "
    "직선이나 직각으로 그려집니다.",
    "plot_model got {type_name}, which is not a layerfit model.": "plot_model에 layerfit 모델이 "
    "아닌 {type_name}이(가) 주어졌습니다.",
    "a Sequential or functional model.": "Sequential 모델 또는 함수형 모델.",
    "pass the model itself: plot_model(model, 'model.png').": "모델 자체를 넘기세요: "
    "plot_model(model, 'model.png').",
    "plot_model got a model that is not built ({type_name}).": "plot_model에 빌드되지 않은 "
    "모델({type_name})이 주어졌습니다.",
    "a model whose layers know their shapes.": "층들이 자기 모양을 아는 모델.",
    "start the model with keras.Input(shape=...), or call model.build(input_shape) or fit it "
    "once before plotting.": "모델을 keras.Input(shape=...)으로 시작하거나, 그리기 전에 "
    "model.build(input_shape)를 호출하거나 한 번 fit하세요.",
    "plot_model draws with matplotlib, which is not installed.": "plot_model은 matplotlib으로 "
    "그리는데, 설치되어 있지 않습니다.",
    "matplotlib 3.6 or newer (graphviz and pydot are not needed).": "matplotlib 3.6 이상"
    "(graphviz와 pydot은 필요 없습니다).",
    "pip install matplotlib  (or pip install 'layerfit[plot]').": "`pip install matplotlib`"
    "(또는 `pip install 'layerfit[plot]'`).",
    "one of them: the names shown as given, or the names averaged.": "둘 중 하나: 주어진 대로 "
    "보여 줄 이름, 또는 평균을 낼 이름.",
    "'pre' or 'post'.": "'pre' 또는 'post'.",
    "pad_sequences got {type_name}, which has no length.": "pad_sequences에 길이가 없는 "
    "{type_name}이(가) 주어졌습니다.",
    "a list of sequences.": "시퀀스의 리스트.",
    "pass a list: pad_sequences(list(sequences)).": "리스트를 넘기세요: pad_sequences("
    "list(sequences)).",
    "sequences[{index}] is {sequence}, not a sequence.": "sequences[{index}]은(는) 시퀀스가 아닌 "
    "{sequence}입니다.",
    "a list of lists of token ids, e.g. [[1, 2, 3], [4, 5]].": "토큰 번호 리스트의 리스트. 예: "
    "[[1, 2, 3], [4, 5]].",
    "wrap a single sequence in a list: pad_sequences([ids]).": "시퀀스 하나는 리스트로 감싸세요: "
    "pad_sequences([ids]).",
    "sequences[{row}] has steps of shape {shape}, the first non-empty one {step_shape}.": "sequences"
    "[{row}]의 스텝 모양은 {shape}인데, 비어 있지 않은 첫 시퀀스의 스텝 모양은 {step_shape}입니다.",
    "every step of every sequence with the same shape.": "모든 시퀀스의 모든 스텝이 같은 모양.",
    "check how the sequences were built; token ids should be plain integers.": "시퀀스를 어떻게 "
    "만들었는지 확인하세요. 토큰 번호는 그냥 정수여야 합니다.",
    "A batch of {count} parts was given as (x, y, sample_weight).": "(x, y, sample_weight) "
    "자리에 {count}개 부분으로 된 배치가 주어졌습니다.",
    "(x,), (x, y) or (x, y, sample_weight).": "(x,), (x, y) 또는 (x, y, sample_weight).",
    "yield batches of at most three parts; put several inputs in one list: ([x1, x2], "
    "y).": "많아야 세 부분으로 된 배치를 내세요. 입력이 여럿이면 한 리스트에 넣으세요: "
    "([x1, x2], y).",
    "(height, width, channels) or (batch, height, width, channels).": "`(height, width, "
    "channels)` 또는 `(batch, height, width, channels)`.",
}

# Pieces that other code puts inside the messages above (a {t_...} placeholder's value):
# looked up only there, never as a whole message.
FRAGMENTS = {
    "first in sample {sample}": "처음 나온 곳: 샘플 {sample}",
    "first in sample {sample}, columns {columns}": "처음 나온 곳: 샘플 {sample}, 열 {columns}",
    "LAYERFIT_DATA_DIR={q_folder} has no valid {subdir}/ copy": "LAYERFIT_DATA_DIR={q_folder}에 온전한 {subdir}/ 사본이 없습니다",
    "LAYERFIT_DATA_DIR is not set": "LAYERFIT_DATA_DIR이 설정되어 있지 않습니다",
}
