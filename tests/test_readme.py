"""The README's first example runs as written (with fewer epochs, to keep the suite short)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_first_example_runs(data_dir, capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    code = blocks[0]
    assert "epochs=50" in code
    exec(compile(code.replace("epochs=50", "epochs=2"), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "Total params: 269,322" in out and "Epoch 2/2" in out
    loss, accuracy = eval(out.strip().splitlines()[-2])
    assert accuracy > 0.95
