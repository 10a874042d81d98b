"""README.md's quick start runs and its stated results hold."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quick_start_runs() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) == 1
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], str(README), "exec"), namespace)
    split = namespace["split"]
    # The comment in the README claims (2357, 1882).
    assert "(2357, 1882)" in blocks[0]
    assert split.calibration.n_customers == 2357  # type: ignore[attr-defined]
    assert int(split.holdout_frequency.sum()) == 1882  # type: ignore[attr-defined]
