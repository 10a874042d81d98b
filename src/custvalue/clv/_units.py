"""Time units and discount rates: durations in periods, annual rates per period.

Every time in :mod:`custvalue.clv` is a number of periods of the data (the
summary's ``time_unit``). Here, and only here, a duration a user writes
(``"52W"``, ``numpy.timedelta64(365, "D")``, ``datetime.timedelta(days=90)``)
becomes a number of periods, with the unit the data recorded, and an annual
discount rate becomes a rate per period. Nothing is converted without a
known unit: a duration given where the unit is unknown is an error.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, TypeAlias

import numpy as np

from custvalue._lib.validation import check_scalar

__all__ = [
    "Duration",
    "as_periods",
    "check_discount_rate",
    "discount_rate_per_period",
    "is_duration",
    "same_unit",
    "unit_length",
]

Duration: TypeAlias = str | np.timedelta64 | _dt.timedelta
"""A length of time with its unit: ``"52W"``, ``numpy.timedelta64``, ``timedelta``."""

#: Seconds in one of each fixed-length unit a duration string may name.
_SECONDS: dict[str, float] = {
    "w": 604800.0,
    "week": 604800.0,
    "weeks": 604800.0,
    "d": 86400.0,
    "day": 86400.0,
    "days": 86400.0,
    "h": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "min": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "s": 1.0,
    "second": 1.0,
    "seconds": 1.0,
}
_PATTERN = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]+)\s*$")
_NO_FIXED_LENGTH = (
    "Months and years have no fixed length; state the duration in weeks or "
    "days (e.g. '52W' or '365D')."
)


def is_duration(value: object) -> bool:
    """Whether ``value`` is a duration (text, timedelta, or timedelta64 array)."""
    if isinstance(value, str | np.timedelta64 | _dt.timedelta):
        return True
    return isinstance(value, np.ndarray) and value.dtype.kind == "m"


def _seconds(value: Any, name: str) -> Any:
    """Return a duration in seconds (a float, or a float array)."""
    if isinstance(value, str):
        match = _PATTERN.match(value)
        unit = match.group(2).lower() if match else ""
        if unit in ("m", "mo", "month", "months", "y", "year", "years"):
            msg = f"`{name}` must be a duration of fixed length; got {value!r}. "
            raise ValueError(msg + _NO_FIXED_LENGTH)
        if match is None or unit not in _SECONDS:
            msg = (
                f"`{name}` must be a number of periods or a duration such as "
                f"'52W', '365D', '12h', '30min' or '90s'; got {value!r}."
            )
            raise ValueError(msg)
        return float(match.group(1)) * _SECONDS[unit]
    array = np.asarray(value if not isinstance(value, _dt.timedelta) else [value])
    if isinstance(value, _dt.timedelta):
        array = array.astype("m8[us]")[0]
    unit_name, _ = np.datetime_data(np.asarray(array).dtype)
    if unit_name in ("Y", "M"):
        msg = f"`{name}` must be a duration of fixed length; got {value!r}. "
        raise ValueError(msg + _NO_FIXED_LENGTH)
    return np.asarray(array / np.timedelta64(1, "s"), dtype=np.float64)[()]


def unit_length(time_unit: str | np.timedelta64 | _dt.timedelta) -> np.timedelta64:
    """Return a period as a ``timedelta64``: a name such as ``'week'``, or a duration.

    Raises
    ------
    ValueError
        If it is not a positive duration of fixed length.
    """
    name = time_unit.lower() if isinstance(time_unit, str) else None
    text = f"1{time_unit}" if name in _SECONDS else time_unit
    seconds = float(_seconds(text, "time_unit"))
    if not seconds > 0:
        msg = f"`time_unit` must be a positive duration; got {time_unit!r}."
        raise ValueError(msg)
    if isinstance(time_unit, np.timedelta64):
        return time_unit
    return np.timedelta64(round(seconds * 1e6), "us")


def as_periods(
    value: Any, time_unit: np.timedelta64 | None, name: str = "horizon"
) -> Any:
    """Convert a duration to periods of ``time_unit``; leave numbers as they are.

    Plain numbers (and arrays of them) already are periods of the data and
    are returned unchanged, to be checked by the caller.

    Raises
    ------
    ValueError
        If ``value`` is a duration and ``time_unit`` is None (the period of
        the data is not known), or the duration is not of fixed length.
    """
    if not is_duration(value):
        return value
    seconds = _seconds(value, name)
    if time_unit is None:
        msg = (
            f"`{name}` is the duration {value!r}, but the period of the data "
            "is not known; pass a CustomerSummary (or fit) with a `time_unit`, "
            f"or give `{name}` as a number of periods of the data."
        )
        raise ValueError(msg)
    return seconds / float(time_unit / np.timedelta64(1, "s"))


def same_unit(
    first: np.timedelta64 | None, second: np.timedelta64 | None
) -> np.timedelta64 | None:
    """Return the one known time unit of two sources; refuse two that differ.

    Raises
    ------
    ValueError
        If both are known and differ (a model fitted in weeks applied to a
        summary in days).
    """
    if first is None:
        return second
    if second is not None and first != second:
        msg = (
            f"the fit's `time_unit` ({first}) and the summary's ({second}) "
            "differ; a model's rates are per period of the data it was fitted "
            "on, so summarize the data in the fit's period."
        )
        raise ValueError(msg)
    return first


def check_discount_rate(value: Any, name: str = "discount_rate") -> float:
    """Check a discount rate per period: a real number in [0, 1].

    Raises
    ------
    ValueError
        If it is negative, or above 1 (a percentage, or a rate of a longer
        period), with a suggestion.
    """
    rate = check_scalar(value, name, nonnegative=True)
    if rate > 1.0:
        msg = (
            f"`{name}` must be a rate per period of the data, at most 1 (100% "
            f"per period); got {value!r}. A percentage? Write 0.1 for 10%. A rate "
            "per year? Convert it with "
            "custvalue.clv.discount_rate_per_period(0.1, summary.time_unit)."
        )
        raise ValueError(msg)
    return rate


def discount_rate_per_period(
    annual_rate: float,
    time_unit: str | np.timedelta64 | _dt.timedelta,
    *,
    days_per_year: float = 365.25,
) -> float:
    r"""Convert an annual discount rate to the rate per period of the data.

    Discount rates in :mod:`custvalue.clv` are per period of the data (a
    week for the CDNOW summaries). This converts a rate stated per year with
    annual compounding, so that discounting period by period over a year
    gives the annual rate exactly.

    Parameters
    ----------
    annual_rate : float
        Effective rate per year, >= 0 (0.1 for 10% a year).
    time_unit : str, numpy.timedelta64 or datetime.timedelta
        The period of the data: a summary's ``time_unit``, or a name
        (``'week'``, ``'day'``, ``'hour'``, ``'minute'``, ``'second'``).
    days_per_year : float, default=365.25
        The length of the year (the Julian year; 364 makes a year exactly 52
        weeks).

    Returns
    -------
    float
        The effective rate per period,
        :math:`(1 + a)^{u / Y} - 1` for a period of :math:`u` days and a
        year of :math:`Y` days.

    Raises
    ------
    ValueError
        If the rate is negative or the period has no fixed length.

    See Also
    --------
    customer_lifetime_value : Uses the rate per period.

    Notes
    -----
    Computed as :math:`\operatorname{expm1}(\operatorname{log1p}(a)\,u/Y)`,
    accurate for small rates.

    Examples
    --------
    10% a year, for data in weeks:

    >>> from custvalue.clv import discount_rate_per_period
    >>> round(discount_rate_per_period(0.10, "week"), 6)
    0.001828
    >>> round(discount_rate_per_period(0.10, "week", days_per_year=364), 6)
    0.001835
    """
    rate = check_scalar(annual_rate, "annual_rate", nonnegative=True)
    year = check_scalar(days_per_year, "days_per_year", positive=True)
    days = float(unit_length(time_unit) / np.timedelta64(1, "D"))
    # (1 + a)^(u/Y) - 1 without cancellation for small a
    return math.expm1(math.log1p(rate) * days / year)
