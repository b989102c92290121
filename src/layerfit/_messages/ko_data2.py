"""Korean forms of the messages added on 2026-12-05 (data2), in the style of ko.py."""

MESSAGES: dict[str, str] = {
    # -- FeatureSpace --
    "a layer (for example layers.TextVectorization(output_mode='tf_idf')).": "층 하나 (예: "
    "layers.TextVectorization(output_mode='tf_idf')).",
    "FeatureSpace got a saved entry {entry}.": "FeatureSpace에 저장된 항목 {entry}이(가) 들어왔습니다.",
    "a serialized {cls___name} (class_name {cls___name} and a config).": "직렬화된 {cls___name} "
    "(class_name {cls___name}과(와) config).",
    "pass FeatureSpace.feature(...)/FeatureSpace.cross(...) objects, or the config "
    "FeatureSpace.get_config() wrote.": "FeatureSpace.feature(...)/FeatureSpace.cross(...) 객체나, "
    "FeatureSpace.get_config()가 쓴 config를 넘기세요.",
    "a non-empty dict mapping feature names to feature types.": "특성 이름을 특성 종류에 대응시키는 "
    "비어 있지 않은 dict.",
    "FeatureSpace got feature type {feature} for {key}.": "FeatureSpace의 {key}에 특성 종류 "
    "{feature}이(가) 들어왔습니다.",
    "FeatureSpace got crosses with crossing_dim={crossing_dim}.": "FeatureSpace에 crosses가 "
    "crossing_dim={crossing_dim}과(와) 함께 들어왔습니다.",
    "crossing_dim, the number of buckets of each cross.": "각 교차 특성의 버킷 수인 crossing_dim.",
    "FeatureSpace got the cross {cross_feature_names}: {unknown_or_fewer_than_tw}.": "FeatureSpace에 "
    "교차 {cross_feature_names}이(가) 들어왔습니다: {unknown_or_fewer_than_tw}.",
    "two or more names of features in the features dict.": "features dict에 있는 특성 이름 두 개 이상.",
    "FeatureSpace.adapt got an empty dataset.": "FeatureSpace.adapt에 빈 데이터셋이 들어왔습니다.",
    "at least one sample of every feature.": "모든 특성에 샘플이 하나 이상.",
    "adapt on the training data: feature_space.adapt(train_ds.map(lambda x, y: x)).": "훈련 "
    "데이터로 adapt하세요: feature_space.adapt(train_ds.map(lambda x, y: x)).",
    "a Dataset (or iterable) of dicts of features, or a dict of columns.": "특성 dict들의 Dataset"
    "(또는 반복 가능한 객체), 또는 열들의 dict.",
    "feature_space.adapt(train_ds.map(lambda x, y: x)) or "
    "feature_space.adapt(dict(dataframe)).": "feature_space.adapt(train_ds.map(lambda x, y: x)) "
    "또는 feature_space.adapt(dict(dataframe)).",
    "FeatureSpace.adapt got a dataset of (features, label) pairs.": "FeatureSpace.adapt에 "
    "(특성, 레이블) 쌍의 데이터셋이 들어왔습니다.",
    "a dataset of feature dicts only.": "특성 dict만 담은 데이터셋.",
    "FeatureSpace.adapt got elements of type {type_element___name}.": "FeatureSpace.adapt에 "
    "{type_element___name} 타입의 원소가 들어왔습니다.",
    "dicts mapping feature names to values.": "특성 이름을 값에 대응시키는 dict.",
    "build the dataset from a dict: Dataset.from_tensor_slices(dict(df)).": "dict로 데이터셋을 "
    "만드세요: Dataset.from_tensor_slices(dict(df)).",
    "The FeatureSpace is used before adapt(): its vocabularies, statistics and bins are not "
    "learned yet.": "FeatureSpace를 adapt() 전에 사용했습니다: 어휘 사전, 통계, 구간이 아직 학습되지 "
    "않았습니다.",
    "feature_space.adapt(data) first.": "먼저 feature_space.adapt(data).",
    "feature_space.adapt(train_ds.map(lambda x, y: x)), then call it.": "feature_space.adapt("
    "train_ds.map(lambda x, y: x))를 한 다음 호출하세요.",
    "Feature {key} has output_mode='one_hot', but its preprocessor ({type_layer___name}) has no "
    "known number of categories.": "특성 {key}은(는) output_mode='one_hot'인데, 그 전처리 층"
    "({type_layer___name})의 범주 수를 알 수 없습니다.",
    "one_hot with StringLookup, IntegerLookup, Hashing, Discretization, CategoryEncoding or a "
    "cross.": "one_hot은 StringLookup, IntegerLookup, Hashing, Discretization, CategoryEncoding "
    "또는 교차 특성과 함께.",
    "use output_mode='int' (or 'float') for this feature.": "이 특성에는 output_mode='int'(또는 "
    "'float')를 쓰세요.",
    "Cannot concatenate feature {key}: it is not encoded (output_mode='int' gives integer "
    "indices).": "특성 {key}을(를) 이어 붙일 수 없습니다: 인코딩되지 않았습니다 (output_mode='int'는 "
    "정수 인덱스를 냅니다).",
    "every feature encoded (output_mode 'one_hot' or 'float') with output_mode='concat'.": ""
    "output_mode='concat'에서는 모든 특성이 인코딩되어 있어야 합니다 (output_mode 'one_hot' 또는 "
    "'float').",
    "use FeatureSpace(..., output_mode='dict'), or one_hot for this feature.": ""
    "FeatureSpace(..., output_mode='dict')를 쓰거나, 이 특성에 one_hot을 쓰세요.",
    "A FeatureSpace was called on {type_data___name}.": "FeatureSpace가 {type_data___name}에 "
    "호출되었습니다.",
    "a dict mapping each feature name to its values (batched or one sample).": "각 특성 이름을 그 "
    "값(배치 또는 샘플 하나)에 대응시키는 dict.",
    "feature_space({{'age': [54.0], 'city': ['Seoul']}}), or dataset.map(lambda x, y: "
    "(feature_space(x), y)).": "feature_space({{'age': [54.0], 'city': ['Seoul']}}) 또는 "
    "dataset.map(lambda x, y: (feature_space(x), y)).",
    "FeatureSpace.{where} got a dict with features missing {missing} and unknown keys "
    "{extra}.": "FeatureSpace.{where}에 들어온 dict에 빠진 특성은 {missing}, 모르는 키는 "
    "{extra}입니다.",
    "exactly the features {sorted_self_features}.": "정확히 특성 {sorted_self_features}.",
    "pass one entry per feature (drop the label and unused columns: {{k: x[k] for k in "
    "feature_space.features}}).": "특성마다 항목 하나씩 넘기세요 (레이블과 쓰지 않는 열은 빼고: "
    "{{k: x[k] for k in feature_space.features}}).",
    "A FeatureSpace integer feature got float values (dtype {array_dtype}).": "FeatureSpace의 정수 "
    "특성에 실수 값(dtype {array_dtype})이 들어왔습니다.",
    "integers for integer_categorical / integer_hashed features.": "integer_categorical / "
    "integer_hashed 특성에는 정수.",
    "cast the column to int (df[col].astype('int64')), or declare it 'float_normalized' / "
    "'float_discretized'.": "열을 정수로 바꾸거나 (df[col].astype('int64')), "
    "'float_normalized' / 'float_discretized'로 선언하세요.",
    # -- StringLookup / IntegerLookup salt and oov_method --
    "salt only with oov_method='farmhash' (it keys the hash of unknown values).": "salt는 "
    "oov_method='farmhash'와 함께만 (모르는 값의 해시에 키를 줍니다).",
    "IntegerLookup(..., oov_method='farmhash', salt=133), or drop salt.": "IntegerLookup(..., "
    "oov_method='farmhash', salt=133)로 하거나 salt를 빼세요.",
    "'floormod' (value % num_oov_indices) or 'farmhash' (hashed, as Keras).": "'floormod'"
    "(value % num_oov_indices) 또는 'farmhash'(Keras처럼 해시).",
    "None, an integer, or a pair of integers (the SipHash key of unknown tokens).": "None, 정수 "
    "하나, 또는 정수 두 개의 쌍 (모르는 토큰의 SipHash 키).",
    "{layer}(..., salt=133) or salt=[133, 137]": "{layer}(..., salt=133) 또는 salt=[133, 137]",
}
