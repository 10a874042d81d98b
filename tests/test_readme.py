"""README.md's quick start runs and its stated results hold."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quick_start_runs() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) == 1
    pytest.importorskip("pandas")  # the quick start ends with a pandas table
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
    assert fit.time_unit == np.timedelta64(7, "D")
    # Keyed by the summary's customer ids, with the units stated.
    clv: Any = namespace["clv"]
    cal: Any = namespace["cal"]
    assert clv.value.shape == (2357,)
    assert (clv.value >= 0).all()
    assert clv.invalid_index.size == 0
    np.testing.assert_array_equal(clv.customer_id, cal.customer_id)
    assert (clv.horizon, clv.time_unit) == (52.0, np.timedelta64(7, "D"))
    assert clv.discount_rate == pytest.approx(1.1 ** (7 / 365.25) - 1, rel=1e-12)
    table: Any = namespace["table"]
    assert table.index.name == "customer_id"
    assert table.loc[cal.customer_id[5], "value"] == clv.value[5]
