"""``import layerfit.keras_tuner as kt``: the same module as ``layerfit.tuners``.

KerasTuner code changes only its import line; see ``layerfit.tuners``.
"""

import sys

from layerfit import tuners

sys.modules[__name__] = tuners
