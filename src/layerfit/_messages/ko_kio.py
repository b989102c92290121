"""Korean forms of the messages added on 2026-12-05 (kio), in the style of ko.py."""

MESSAGES: dict[str, str] = {
    "Optimizer {name} got {len_unknown} variable(s) it was not built with (the first: {name_or_unnamed}, shape {shape}); it can only update the variables it was first applied to.": "옵티마이저 {name}에 만들어질 때 없던 변수 {len_unknown}개가 들어왔습니다(첫 번째: {name_or_unnamed}, 모양 {shape}). 옵티마이저는 처음 적용한 변수들만 갱신할 수 있습니다.",
    "one optimizer per set of variables (e.g. a new optimizer for a new model).": "변수 묶음마다 옵티마이저 하나(예: 새 모델에는 새 옵티마이저).",
    "create a new optimizer for the new model, e.g. optimizer = keras.optimizers.Adam(learning_rate=1e-3), or call optimizer.build(all_variables) once with every variable before the loop.": "새 모델에는 새 옵티마이저를 만드세요. 예: optimizer = keras.optimizers.Adam(learning_rate=1e-3). 또는 루프 전에 optimizer.build(all_variables)를 모든 변수로 한 번 호출하세요.",
}
