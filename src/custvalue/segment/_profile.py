"""Segment profiles: size, shares and mean R, F, M per segment."""

from __future__ import annotations

from typing import Any, Protocol

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_float_array,
    check_same_length,
    readonly,
)
from custvalue.segment._labels import SegmentLabels

__all__ = ["SegmentProfile", "segment_profile"]


def _frozen(value: npt.ArrayLike | None) -> Any:
    if value is None:
        return None
    return readonly(np.array(value, copy=True))


@attrs.frozen(kw_only=True)
class SegmentProfile(Result):
    """One row per segment: size, shares of customers and value, mean R, F, M.

    Returned by :func:`segment_profile`. Columns that were not asked for
    (no ``value``, no ``frequency`` ...) are None. Means of a segment with
    no customers are NaN.

    Parameters
    ----------
    segment : tuple of str
        Segment names, one per row.
    size : ndarray of int64
        Customers per segment.
    customer_share : ndarray of float64
        ``size`` divided by the number of customers.
    value_share : ndarray of float64 or None
        Each segment's share of the total value.
    mean_value : ndarray of float64 or None
        Mean value per customer in the segment.
    mean_time_since_last_purchase : ndarray of float64 or None
        Mean time since the last purchase (R) per segment.
    mean_frequency : ndarray of float64 or None
        Mean frequency (F) per segment.
    mean_monetary_value : ndarray of float64 or None
        Mean monetary value (M) per segment.

    Examples
    --------
    >>> from custvalue.segment import SegmentLabels, segment_profile
    >>> labels = SegmentLabels(codes=[0, 0, 1], names=("A", "B", "C"))
    >>> table = segment_profile(labels, monetary_value=[10.0, 30.0, 5.0]).to_dict()
    >>> table["segment"], table["size"], table["mean_monetary_value"]
    (['A', 'B', 'C'], [2, 1, 0], [20.0, 5.0, nan])
    """

    segment: tuple[str, ...]
    size: IntArray = attrs.field(converter=_frozen, eq=ARRAY_EQ)
    customer_share: FloatArray = attrs.field(converter=_frozen, eq=ARRAY_EQ)
    value_share: FloatArray | None = attrs.field(
        default=None, converter=_frozen, eq=ARRAY_EQ
    )
    mean_value: FloatArray | None = attrs.field(
        default=None, converter=_frozen, eq=ARRAY_EQ
    )
    mean_time_since_last_purchase: FloatArray | None = attrs.field(
        default=None, converter=_frozen, eq=ARRAY_EQ
    )
    mean_frequency: FloatArray | None = attrs.field(
        default=None, converter=_frozen, eq=ARRAY_EQ
    )
    mean_monetary_value: FloatArray | None = attrs.field(
        default=None, converter=_frozen, eq=ARRAY_EQ
    )


class Labelled(Protocol):
    """Any segmenter result: it carries its labels."""

    @property
    def labels(self) -> SegmentLabels:
        """One label per customer."""


def _means(codes: npt.NDArray[Any], x: FloatArray, size: IntArray) -> FloatArray:
    sums = np.bincount(codes, weights=x, minlength=size.size)
    means: FloatArray = np.divide(
        sums, size, out=np.full(size.size, np.nan), where=size > 0
    )
    return means


def segment_profile(
    labels: SegmentLabels | Labelled | npt.ArrayLike,
    *,
    value: npt.ArrayLike | None = None,
    time_since_last_purchase: npt.ArrayLike | None = None,
    frequency: npt.ArrayLike | None = None,
    monetary_value: npt.ArrayLike | None = None,
) -> SegmentProfile:
    """Summarize any labelling: segment sizes, shares and mean R, F, M.

    A profile is the table a marketer reads after segmenting: how many
    customers each segment has, what share of the value they hold and what
    a typical member looks like. It works with the labels of every
    segmenter here, or with any array of labels.

    Parameters
    ----------
    labels : SegmentLabels, segmenter result or array-like of shape (n_customers,)
        Each customer's segment: a :class:`SegmentLabels`, a result that
        carries one (such as :class:`ABCClasses`), or any array of labels.
        With labels from a segmenter every name gets a row, in its order,
        even with no customers; with a plain array the rows are the distinct
        labels in sorted order.
    value : array-like of shape (n_customers,), optional
        A value per customer (CLV, revenue, profit) for the value share and
        mean value; its total must not be 0.
    time_since_last_purchase, frequency, monetary_value : array-like, optional
        Per-customer R, F and M to average per segment.

    Returns
    -------
    SegmentProfile

    Raises
    ------
    ValueError
        If arrays differ in length or are not finite, or ``value`` sums to 0.

    Notes
    -----
    For segment :math:`g` with members :math:`i \\in g`: size
    :math:`n_g`, customer share :math:`n_g / n`, value share
    :math:`\\sum_{i \\in g} v_i / \\sum_i v_i` (which can be negative for
    profit) and means :math:`\\sum_{i \\in g} x_i / n_g`.

    Examples
    --------
    >>> from custvalue.segment import segment_profile
    >>> profile = segment_profile(
    ...     ["gold", "iron", "gold", "iron", "iron"],
    ...     value=[300.0, 20.0, 100.0, 40.0, 40.0],
    ...     frequency=[6, 1, 4, 0, 2],
    ... )
    >>> profile.segment, profile.size
    (('gold', 'iron'), array([2, 3]))
    >>> profile.value_share, profile.mean_frequency
    (array([0.8, 0.2]), array([5., 1.]))
    """
    carried = getattr(labels, "labels", None)
    if isinstance(labels, SegmentLabels):
        found = labels
    elif isinstance(carried, SegmentLabels):
        found = carried
    else:
        found = SegmentLabels.from_values(labels)  # type: ignore[arg-type]
    codes = found.codes
    n = found.n_customers
    arrays: dict[str, npt.NDArray[Any]] = {"labels": codes}
    columns: dict[str, FloatArray] = {}
    for name, raw in (
        ("value", value),
        ("time_since_last_purchase", time_since_last_purchase),
        ("frequency", frequency),
        ("monetary_value", monetary_value),
    ):
        if raw is not None:
            columns[name] = arrays[name] = as_float_array(raw, name)
    check_same_length(**arrays)
    size = found.sizes
    result: dict[str, Any] = {
        "segment": found.names,
        "size": size,
        "customer_share": size / n if n else np.full(size.size, np.nan),
    }
    if "value" in columns:
        total = float(columns["value"].sum())
        if total == 0:
            msg = (
                "`value` must not sum to 0; value shares divide by the total. "
                "Profile another value or leave `value` out."
            )
            raise ValueError(msg)
        sums = np.bincount(codes, weights=columns["value"], minlength=size.size)
        result["value_share"] = sums / total
        result["mean_value"] = _means(codes, columns["value"], size)
    for name in ("time_since_last_purchase", "frequency", "monetary_value"):
        if name in columns:
            result[f"mean_{name}"] = _means(codes, columns[name], size)
    return SegmentProfile(**result)
