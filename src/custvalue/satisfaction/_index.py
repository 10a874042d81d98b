"""An ACSI-style satisfaction index: weighted 1–10 items rescaled to 0–100."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.intervals import ConfidenceInterval
from custvalue._lib.validation import FloatArray, as_float_array, readonly
from custvalue.satisfaction._proportions import t_mean_bounds
from custvalue.satisfaction._validation import MissingPolicy, check_missing_policy

__all__ = ["SatisfactionIndex", "satisfaction_index"]

_LOW, _HIGH = 1, 10


def _vector(value: npt.ArrayLike) -> FloatArray:
    return readonly(np.array(value, dtype=np.float64, copy=True))


def _first_offender(mask: npt.NDArray[np.bool_], items: FloatArray) -> str:
    bad = np.argwhere(mask)
    row, column = (int(i) for i in bad[0])
    return (
        f"{len(bad)} of {mask.size} violate this (first at row {row}, item "
        f"{column}: {float(items[row, column])!r})"
    )


def _check_items(value: npt.ArrayLike, missing: str) -> tuple[FloatArray, int]:
    check_missing_policy(missing)
    raw = np.asarray(value)
    if raw.ndim != 2 or raw.shape[0] == 0 or raw.shape[1] == 0:
        msg = (
            "`items` must be a two-dimensional array with one row per respondent "
            f"and one column per item; got shape {raw.shape}."
        )
        raise ValueError(msg)
    if raw.dtype == np.bool_ or raw.dtype.kind not in "iufO":
        msg = f"`items` must contain numbers; got dtype {raw.dtype}."
        raise TypeError(msg)
    if raw.dtype.kind == "O":
        # None marks a missing answer in object arrays (pandas object columns).
        raw = np.vectorize(lambda v: np.nan if v is None else v, otypes=[object])(raw)
    try:
        items = np.array(raw, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        msg = f"`items` must contain numbers; got values that are not ({exc})."
        raise TypeError(msg) from None
    is_missing = np.isnan(items)
    if missing == "raise" and is_missing.any():
        msg = (
            "`items` must not contain missing answers (NaN or None); "
            f"{_first_offender(is_missing, items)}. Pass missing='omit' to leave "
            "out respondents with a missing item, or impute first."
        )
        raise ValueError(msg)
    bad = ~is_missing & ~(
        (items >= _LOW) & (items <= _HIGH) & (items == np.round(items))
    )
    if bad.any():
        msg = (
            f"`items` must be whole numbers from {_LOW} to {_HIGH}; "
            f"{_first_offender(bad, items)}. ACSI-style items are answered on 1 to 10."
        )
        raise ValueError(msg)
    complete = ~is_missing.any(axis=1)
    if not complete.any():
        msg = "`items` must have at least one respondent with every item answered."
        raise ValueError(msg)
    return items[complete], int((~complete).sum())


@attrs.frozen(kw_only=True)
class SatisfactionIndex(Result):
    """An ACSI-style index: a weighted mean of 1–10 items rescaled to 0–100.

    Returned by :func:`satisfaction_index`. 0 means every respondent
    answered 1 to every item, 100 that every answer was 10.

    Parameters
    ----------
    index : float
        The index, 0..100.
    item_means : ndarray of shape (n_items,)
        Mean answer per item, on 1..10.
    item_weights : ndarray of shape (n_items,)
        The item weights used, normalized to sum to 1.
    n_respondents : int
        Respondents with every item answered.
    standard_deviation : float
        Sample standard deviation (divisor n - 1) of the respondents' own
        index values; NaN for one respondent.
    n_missing : int, default=0
        Respondents left out for a missing item.

    Examples
    --------
    >>> from custvalue.satisfaction import satisfaction_index
    >>> result = satisfaction_index([[10, 10], [1, 1]])
    >>> result.index, result.n_respondents
    (50.0, 2)
    """

    index: float
    item_means: FloatArray = attrs.field(converter=_vector, eq=ARRAY_EQ)
    item_weights: FloatArray = attrs.field(converter=_vector, eq=ARRAY_EQ)
    n_respondents: int
    standard_deviation: float
    n_missing: int = 0

    @property
    def standard_error(self) -> float:
        """Standard error of the index, :math:`s/\\sqrt n`, in index points."""
        return self.standard_deviation / math.sqrt(self.n_respondents)

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Student t interval for the index, clipped to [0, 100].

        Parameters
        ----------
        confidence_level : float, default=0.95
            Nominal two-sided coverage, strictly between 0 and 1.

        Returns
        -------
        ConfidenceInterval

        Raises
        ------
        ValueError
            With fewer than two respondents, or a level outside (0, 1).

        Examples
        --------
        >>> from custvalue.satisfaction import satisfaction_index
        >>> items = [[8, 9, 7], [10, 10, 9], [6, 7, 5], [9, 8, 8]]
        >>> ci = satisfaction_index(items).confidence_interval()
        >>> round(ci.low, 2), round(ci.high, 2)
        (50.99, 100.0)
        """
        low, high = t_mean_bounds(
            self.index,
            self.standard_deviation,
            self.n_respondents,
            confidence_level,
            name="items",
        )
        return ConfidenceInterval(
            low=max(low, 0.0),
            high=min(high, 100.0),
            confidence_level=float(confidence_level),
        )


def _item_weights(value: Any, n_items: int) -> FloatArray:
    if value is None:
        return np.full(n_items, 1.0 / n_items)
    weights = as_float_array(
        value,
        "item_weights",
        positive=True,
        suggestion="Leave an item out of `items` instead of weighting it by 0.",
    )
    if weights.size != n_items:
        msg = (
            f"`item_weights` must have one entry per item ({n_items}); got "
            f"{weights.size}."
        )
        raise ValueError(msg)
    normalized: FloatArray = weights / weights.sum()
    return normalized


def satisfaction_index(
    items: npt.ArrayLike,
    *,
    item_weights: npt.ArrayLike | None = None,
    missing: MissingPolicy = "raise",
) -> SatisfactionIndex:
    """Compute an ACSI-style satisfaction index (0–100) from several 1–10 items.

    The American Customer Satisfaction Index combines a few 1–10 questions
    (overall satisfaction, expectations met, closeness to the ideal) into
    one 0–100 number. Here the item weights are yours to give (equal by
    default); the ACSI itself estimates them with a structural model, which
    this function does not do.

    Parameters
    ----------
    items : array-like of shape (n_respondents, n_items)
        Whole-number answers from 1 to 10; NaN or None marks a missing one.
    item_weights : array-like of shape (n_items,), optional
        Relative importance of the items, all > 0; normalized to sum to 1.
        Equal weights by default.
    missing : {'raise', 'omit'}, default='raise'
        Raise on a missing answer, or leave out every respondent with one.

    Returns
    -------
    SatisfactionIndex

    Raises
    ------
    TypeError
        If the answers are not numbers.
    ValueError
        If ``items`` is not 2-D, an answer is off 1–10 (the message names the
        row and item), an answer is missing with ``missing='raise'``, or the
        weights are invalid.

    See Also
    --------
    csat : A single satisfaction question.

    Notes
    -----
    With normalized weights :math:`w_j`, respondent :math:`i` scores
    :math:`r_i = 100 \\sum_j w_j (x_{ij} - 1)/9`; the index is the mean of
    the :math:`r_i`, equivalently :math:`100 \\sum_j w_j (\\bar x_j - 1)/9`,
    and its interval is a t interval on the :math:`r_i`.

    References
    ----------
    .. [1] Fornell, C., Johnson, M. D., Anderson, E. W., Cha, J., & Bryant,
       B. E. (1996). The American Customer Satisfaction Index: nature,
       purpose, and findings. *Journal of Marketing*, 60(4), 7–18.

    Examples
    --------
    Four respondents, three items, equal weights:

    >>> from custvalue.satisfaction import satisfaction_index
    >>> items = [[8, 9, 7], [10, 10, 9], [6, 7, 5], [9, 8, 8]]
    >>> result = satisfaction_index(items)
    >>> round(result.index, 2)
    77.78
    >>> result.item_means
    array([8.25, 8.5 , 7.25])

    Weighting the first item twice as much:

    >>> round(satisfaction_index(items, item_weights=[2, 1, 1]).index, 2)
    78.47
    """
    answers, n_missing = _check_items(items, missing)
    weights = _item_weights(item_weights, answers.shape[1])
    respondent = 100.0 * ((answers - _LOW) / (_HIGH - _LOW)) @ weights
    n = respondent.size
    deviation = float(np.std(respondent, ddof=1)) if n > 1 else math.nan
    return SatisfactionIndex(
        index=float(respondent.mean()),
        item_means=answers.mean(axis=0),
        item_weights=weights,
        n_respondents=n,
        standard_deviation=deviation,
        n_missing=n_missing,
    )
