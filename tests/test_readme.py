"""README.md's quick start runs and its stated results hold."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quick_start_runs() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) == 1
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], str(README), "exec"), namespace)
    # The comments in the README claim these estimates (FHL 2005).
    assert "r=0.243 alpha=4.414 a=0.793 b=2.426" in blocks[0]
    fit: Any = namespace["bgnbd"]
    assert {k: round(v, 3) for k, v in fit.parameters.items()} == {
        "r": 0.243,
        "alpha": 4.414,
        "a": 0.793,
        "b": 2.426,
    }
    clv: Any = namespace["clv"]
    assert clv.shape == (2357,)
    assert (clv >= 0).all()
