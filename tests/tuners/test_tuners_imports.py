"""``import layerfit.keras_tuner as kt`` is layerfit.tuners, and loads no optional dependency."""

import subprocess
import sys


def test_keras_tuner_is_the_tuners_module_and_imports_lightly():
    code = (
        "import sys\n"
        "import layerfit.keras_tuner as kt\n"
        "import layerfit, layerfit.tuners\n"
        "print(kt is layerfit.tuners is layerfit.keras_tuner)\n"
        "print(sorted(m for m in ('sklearn', 'scipy', 'pandas', 'matplotlib', 'optuna', "
        "'keras', 'keras_tuner') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split("\n")[:2] == ["True", "[]"]


def test_keras_tuner_names():
    import layerfit.keras_tuner as kt

    assert kt.__all__ == [
        "BayesianOptimization",
        "GridSearch",
        "HyperModel",
        "HyperParameter",
        "HyperParameters",
        "Hyperband",
        "Objective",
        "Oracle",
        "RandomSearch",
        "Tuner",
        "errors",
        "oracles",
    ]
    assert kt.oracles.Oracle is kt.Oracle
    assert issubclass(kt.errors.FatalValueError, ValueError)
