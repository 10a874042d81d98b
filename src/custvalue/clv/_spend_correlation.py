"""Check of the Gamma-Gamma independence assumption: spend vs frequency."""

from __future__ import annotations

from typing import Literal

import attrs
import numpy as np
import numpy.typing as npt
from scipy import stats

from custvalue._lib.fields import FLOAT_EQ, Result
from custvalue._lib.validation import (
    as_float_array,
    as_int_array,
    check_all,
    check_same_length,
)
from custvalue.clv._gamma_gamma._likelihood import POSITIVE_SPEND

__all__ = ["SpendFrequencyCorrelation", "spend_frequency_correlation"]


@attrs.frozen(kw_only=True)
class SpendFrequencyCorrelation(Result):
    """Correlation between repeat customers' mean spend and their frequency.

    Returned by :func:`spend_frequency_correlation`.

    Parameters
    ----------
    correlation : float
        Pearson's r or Spearman's rho, in [-1, 1].
    p_value : float
        Two-sided p-value for the null hypothesis of no correlation.
    n_customers : int
        Number of customers used: those with ``frequency >= 1``.
    method : {'pearson', 'spearman'}
        The correlation coefficient computed.
    """

    correlation: float = attrs.field(eq=FLOAT_EQ)
    p_value: float = attrs.field(eq=FLOAT_EQ)
    n_customers: int
    method: Literal["pearson", "spearman"]


def spend_frequency_correlation(
    frequency: npt.ArrayLike,
    monetary_value: npt.ArrayLike,
    *,
    method: Literal["pearson", "spearman"] = "pearson",
) -> SpendFrequencyCorrelation:
    """Test the Gamma-Gamma model's assumption that spend ignores frequency.

    The Gamma-Gamma model assumes that how much a customer spends per
    transaction is independent of how often they buy; a clear correlation
    between the two in the data argues against combining it with a
    transaction model. Customers with ``frequency == 0`` are excluded: they
    have no repeat transactions, so their mean repeat spend is undefined
    (summaries record it as 0). ``n_customers`` in the result says how many
    customers were used.

    Parameters
    ----------
    frequency : array-like of int, shape (n_customers,)
        Repeat transactions, whole numbers >= 0.
    monetary_value : array-like of float, shape (n_customers,)
        Mean value of those transactions: > 0 where ``frequency >= 1``,
        finite (usually 0) elsewhere.
    method : {'pearson', 'spearman'}, default='pearson'
        ``'pearson'``: :func:`scipy.stats.pearsonr` on the values;
        ``'spearman'``: :func:`scipy.stats.spearmanr`, on their ranks, which
        is not driven by a few big spenders.

    Returns
    -------
    SpendFrequencyCorrelation
        The correlation, its two-sided p-value, the number of customers used
        and the method.

    Raises
    ------
    ValueError
        If the data are invalid, fewer than 3 customers have
        ``frequency >= 1``, or the frequency or the mean spend of those
        customers does not vary (the correlation is then undefined).

    See Also
    --------
    fit_gamma_gamma : Fit the model once the assumption looks reasonable.

    Notes
    -----
    Independence of the spend and transaction processes is the third
    assumption of the model in note 025 and Fader, Hardie & Lee (2005);
    it is what allows the spend model to be fitted on its own and combined
    with any transaction model. A correlation near 0 is consistent with it;
    it does not prove it.

    References
    ----------
    .. [1] Fader, P. S., & Hardie, B. G. S. (2013). The Gamma-Gamma model of
       monetary value. http://brucehardie.com/notes/025/
    .. [2] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). RFM and CLV:
       Using iso-value curves for customer base analysis. Journal of
       Marketing Research, 42(4), 415-430.

    Examples
    --------
    On the CDNOW calibration summary, 946 of the 2357 customers made repeat
    purchases; their mean spend is only weakly correlated with frequency:

    >>> from custvalue.clv import spend_frequency_correlation
    >>> from custvalue.datasets import load_cdnow_summary
    >>> cdnow = load_cdnow_summary()
    >>> check = spend_frequency_correlation(cdnow.frequency, cdnow.monetary_value)
    >>> check.n_customers, round(check.correlation, 2)
    (946, 0.11)
    """
    if method not in ("pearson", "spearman"):
        msg = f"`method` must be 'pearson' or 'spearman'; got {method!r}."
        raise ValueError(msg)
    x = as_int_array(frequency, "frequency", nonnegative=True)
    m = as_float_array(monetary_value, "monetary_value")
    check_same_length(frequency=x, monetary_value=m)
    check_all(
        (m > 0) | (x == 0),
        "`monetary_value` must be > 0 where `frequency` >= 1",
        {"frequency": x, "monetary_value": m},
        POSITIVE_SPEND,
    )
    repeat = x >= 1
    n_used = int(repeat.sum())
    if n_used < 3:
        msg = (
            "At least 3 customers with `frequency` >= 1 are needed for a "
            f"correlation; got {n_used}."
        )
        raise ValueError(msg)
    x_used, m_used = x[repeat].astype(np.float64), m[repeat]
    for name, values in (("frequency", x_used), ("monetary_value", m_used)):
        if np.all(values == values[0]):
            msg = (
                f"`{name}` must vary among the customers with `frequency` >= 1 "
                f"for a correlation to be defined; all {n_used} equal "
                f"{values[0].item()!r}."
            )
            raise ValueError(msg)
    compute = stats.pearsonr if method == "pearson" else stats.spearmanr
    result = compute(x_used, m_used)
    return SpendFrequencyCorrelation(
        correlation=float(result.statistic),
        p_value=float(result.pvalue),
        n_customers=n_used,
        method=method,
    )
