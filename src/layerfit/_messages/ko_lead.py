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
}
