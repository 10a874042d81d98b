"""Transaction tables from any DataFrame engine, summarized inside the engine.

Optional: install with ``pip install "custvalue[dataframe]"`` (narwhals).
:func:`rfm_summary` and :func:`calibration_holdout_summary` take a table
from pandas, polars (eager or lazy), pyarrow, DuckDB or any other engine
narwhals supports, with the names of its columns. The per-customer
reduction runs in the engine (lazily where the engine is lazy); only one
row per customer comes back, as the same
:class:`~custvalue.clv.CustomerSummary` that :func:`custvalue.clv.rfm_summary`
returns for the same log.
"""

from __future__ import annotations

try:
    import narwhals  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installation
    msg = (
        "custvalue.frames needs narwhals; install it with "
        '`pip install "custvalue[dataframe]"`.'
    )
    raise ImportError(msg) from exc

from custvalue.frames._summary import calibration_holdout_summary, rfm_summary

__all__ = ["calibration_holdout_summary", "rfm_summary"]
