"""Transaction tables in every installed engine, built from numpy columns."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

Columns = dict[str, npt.NDArray[Any]]


def _pandas(columns: Columns) -> Any:
    pd = pytest.importorskip("pandas", reason="pandas is in the test extra")
    return pd.DataFrame(columns)


def _polars(columns: Columns) -> Any:
    pl = pytest.importorskip("polars", reason="polars is in the test extra")
    return pl.DataFrame(columns)


def _polars_lazy(columns: Columns) -> Any:
    return _polars(columns).lazy()


def _pyarrow(columns: Columns) -> Any:
    pa = pytest.importorskip("pyarrow", reason="pyarrow is in the test extra")
    return pa.table(columns)


_CONNECTIONS: list[Any] = []


def _duckdb(columns: Columns) -> Any:
    duckdb = pytest.importorskip("duckdb", reason="duckdb is in the test extra")
    if not _CONNECTIONS:
        _CONNECTIONS.append(duckdb.connect())
    return _CONNECTIONS[0].from_arrow(_pyarrow(columns))


def _ibis(columns: Columns) -> Any:
    ibis = pytest.importorskip("ibis", reason="ibis is optional, not in the extra")
    return ibis.memtable(_pyarrow(columns))


ENGINES: dict[str, Callable[[Columns], Any]] = {
    "pandas": _pandas,
    "polars": _polars,
    "polars-lazy": _polars_lazy,
    "pyarrow": _pyarrow,
    "duckdb": _duckdb,
    "ibis": _ibis,
}


def frames_module() -> Any:
    pytest.importorskip("narwhals", reason="narwhals is the `dataframe` extra")
    return importlib.import_module("custvalue.frames")


def shuffled(columns: Columns, seed: int) -> Columns:
    order = np.random.default_rng(seed).permutation(next(iter(columns.values())).size)
    return {name: values[order] for name, values in columns.items()}
