"""Level rule: tuning and wrappers import scikit-learn, pandas, Optuna and matplotlib on use."""

import subprocess
import sys

OPTIONAL = ("sklearn", "pandas", "optuna", "matplotlib")


def test_importing_tuning_and_wrappers_loads_no_optional_dependency():
    code = (
        "import sys, layerfit, layerfit.tuning, layerfit.wrappers\n"
        f"print(sorted(m for m in {OPTIONAL!r} if m in sys.modules))\n"
        "layerfit.wrappers.SKLearnRegressor\n"
        "print('sklearn' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split("\n")[:2] == ["[]", "True"]


def test_public_names():
    import layerfit

    assert layerfit.tuning.__all__ == [
        "BaseSearch",
        "Choice",
        "Float",
        "GridSearch",
        "HalvingSearch",
        "Int",
        "LearningRateFinder",
        "OptunaSearch",
        "RandomSearch",
        "find_learning_rate",
    ]
    assert layerfit.wrappers.__all__ == [
        "SKLearnClassifier",
        "SKLearnRegressor",
        "SKLearnTransformer",
    ]
    assert layerfit.wrappers.SKLearnClassifier.__module__ == "layerfit.wrappers._sklearn"
