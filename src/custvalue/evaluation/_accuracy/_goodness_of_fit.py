"""The calibration frequency histogram against the model, with a chi-square test."""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt
from scipy import stats

from custvalue._lib.fields import Result
from custvalue._lib.validation import (
    FloatArray,
    IntArray,
    as_row_counts,
    check_integer_option,
    validate_customer_histories,
)
from custvalue.evaluation._accuracy._columns import (
    ARRAY_EQ,
    FLOAT_EQ,
    check_columns,
    float_column,
    int_column,
    text_column,
)
from custvalue.evaluation._accuracy._models import (
    PurchaseDistributionModel,
    check_model,
    model_parameter_count,
)

__all__ = [
    "MIN_EXPECTED",
    "FrequencyGoodnessOfFit",
    "frequency_goodness_of_fit",
    "pool_bins",
]

#: Smallest expected count of a chi-square cell (Cochran 1954).
MIN_EXPECTED = 5.0
#: Relative rounding allowed when the last bin is found as n minus the rest.
_ROUNDING = 1e-9


def pool_bins(expected: FloatArray, minimum: float = MIN_EXPECTED) -> IntArray:
    """Pool adjacent bins until each pooled cell expects at least ``minimum``.

    Walk the bins from the first to the last, adding each to the open cell
    and closing the cell once its expected count reaches ``minimum``. If
    the cell left open at the end expects less, it joins the last closed
    cell. So every cell expects at least ``minimum`` unless there is only
    one cell. Returns the cell (0, 1, ...) of each bin.
    """
    cell = np.empty(expected.size, dtype=np.int64)
    current, running = 0, 0.0
    last = expected.size - 1
    for i, value in enumerate(expected.tolist()):
        cell[i] = current
        running += value
        if running >= minimum and i < last:
            current, running = current + 1, 0.0
    if running < minimum and current > 0:
        # the cell left open at the end is too small: join the previous one
        cell[cell == current] = current - 1
    return cell


@attrs.frozen(kw_only=True)
class FrequencyGoodnessOfFit(Result):
    """Observed against expected customers by calibration repeat purchases.

    Returned by :func:`frequency_goodness_of_fit`. The columns are one row
    per frequency bin (0, 1, ..., ``k+``); the chi-square test is computed
    on the pooled cells given by ``cell``.

    Parameters
    ----------
    group : ndarray of str
        Bin labels ``'0'``, ..., ``'7+'``.
    observed : ndarray of float
        Customers with that many calibration repeat purchases (weighted).
    expected : ndarray of float
        The model's expected number of customers.
    cell : ndarray of int
        The chi-square cell each bin was pooled into.
    chi_square : float
        Pearson's statistic over the cells.
    degrees_of_freedom : int
        Cells - 1 - ``n_parameters``.
    p_value : float
        Upper tail of the chi-square distribution; NaN when
        ``degrees_of_freedom < 1``.
    n_parameters : int
        Parameters fitted to the data.
    """

    group: npt.NDArray[np.str_] = attrs.field(converter=text_column, eq=ARRAY_EQ)
    observed: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    expected: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    cell: IntArray = attrs.field(converter=int_column, eq=ARRAY_EQ)
    chi_square: float
    degrees_of_freedom: int
    p_value: float = attrs.field(eq=FLOAT_EQ)
    n_parameters: int

    def __attrs_post_init__(self) -> None:
        check_columns(self)

    @property
    def n_cells(self) -> int:
        """Number of chi-square cells after pooling."""
        return int(self.cell.max()) + 1


def _expected_counts(
    model: PurchaseDistributionModel, T: FloatArray, counts: FloatArray, k: int
) -> FloatArray:
    """Sum over customers of P(X(T_i) = x), x = 0..k-1, grouping equal T."""
    distinct, index = np.unique(T, return_inverse=True)
    customers = np.bincount(index.reshape(-1), weights=counts)
    pmf = np.asarray(
        model.purchase_probability(np.arange(k)[:, None], distinct[None, :]),
        dtype=np.float64,
    )
    return np.asarray(pmf @ customers, dtype=np.float64)


def frequency_goodness_of_fit(
    model: PurchaseDistributionModel,
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    *,
    max_frequency: int = 7,
    counts: npt.ArrayLike | None = None,
    n_parameters: int | None = None,
) -> FrequencyGoodnessOfFit:
    r"""Compare the calibration-period histogram of repeat purchases with the model.

    How many customers made 0, 1, 2, ... repeat purchases in the
    calibration period, and how many the fitted model expects, each
    customer observed for their own length of time: the in-sample check of
    Fader, Hardie & Lee (2005, figure 3), with a Pearson chi-square test of
    the difference.

    Parameters
    ----------
    model : PurchaseDistributionModel
        A fitted transaction model (the ``.model`` of a fit); anything with
        ``purchase_probability(n, horizon)``, the probability of ``n``
        repeat purchases in ``(0, horizon]`` for a new customer.
    frequency, recency, T : array-like of shape (n_customers,)
        The calibration summary the model was fitted on (for BG/BB, ``T`` is
        the number of opportunities).
    max_frequency : int, default=7
        Customers with this many repeat purchases or more form the last
        bin (``'7+'``); >= 1.
    counts : array-like of shape (n_customers,), optional
        Number of customers each row stands for (> 0), for data given as
        patterns with counts.
    n_parameters : int, optional
        Number of parameters fitted to these data. By default the length of
        the model's ``parameter_names``.

    Returns
    -------
    FrequencyGoodnessOfFit

    Raises
    ------
    ValueError
        If an array is empty, the lengths differ, a value breaks the rules
        of a calibration summary, or ``max_frequency < 1``.
    TypeError
        If ``model`` has no ``purchase_probability``, or ``n_parameters`` is
        not given and the model does not list ``parameter_names``.

    See Also
    --------
    holdout_comparison : The out-of-sample check.

    Notes
    -----
    The expected number of customers with :math:`x < k` repeat purchases is

    .. math::

        E_x = \sum_i w_i \, P(X(T_i) = x),

    from the model's analytic distribution with each customer's own
    :math:`T_i` (FHL 2005 eq. 8 for BG/NBD; Fader, Hardie & Lee 2007, note
    014), not from a simulation; customers with equal :math:`T` are
    computed once. The censored bin gets the rest,
    :math:`E_{k+} = \sum_i w_i - \sum_{x<k} E_x`, so observed and expected
    totals agree.

    Pearson's statistic :math:`\chi^2 = \sum_c (O_c - E_c)^2 / E_c` runs
    over cells made by pooling adjacent bins so that each expects at least
    5 customers (Cochran 1954): walking from bin 0 upwards, bins are added
    to the current cell until its expected count reaches 5; a remainder
    under 5 at the end joins the last cell. Every cell then expects at
    least 5 unless there is only one cell. The degrees of freedom are
    cells - 1 - parameters (estimated parameters cost one each, Cramér
    1946); with fewer than one degree of freedom there is no test and the
    p-value is NaN.

    References
    ----------
    .. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting
       your customers" the easy way: An alternative to the Pareto/NBD
       model. Marketing Science, 24(2), 275-284.
    .. [2] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2007). Creating a
       fit histogram for the BG/NBD model. http://brucehardie.com/notes/014/
    .. [3] Cochran, W. G. (1954). Some methods for strengthening the common
       chi-square tests. Biometrics, 10(4), 417-451.
    .. [4] Cramér, H. (1946). Mathematical Methods of Statistics. Princeton
       University Press, section 30.3.

    Examples
    --------
    The published BG/NBD fit of the CDNOW sample, against its calibration
    summary:

    >>> from custvalue.clv import BGNBD
    >>> from custvalue.datasets import load_cdnow_summary
    >>> from custvalue.evaluation import frequency_goodness_of_fit
    >>> cdnow = load_cdnow_summary()
    >>> model = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> fit = frequency_goodness_of_fit(model, cdnow.frequency, cdnow.recency, cdnow.T)
    >>> fit.group
    array(['0', '1', '2', '3', '4', '5', '6', '7+'], dtype='<U2')
    >>> fit.observed
    array([1411.,  439.,  214.,  100.,   62.,   38.,   29.,   64.])
    >>> fit.expected.round(1)
    array([1406.5,  460.8,  192.7,  101.3,   59.9,   38.2,   25.6,   72. ])
    >>> round(fit.chi_square, 2), fit.degrees_of_freedom, round(fit.p_value, 2)
    (4.82, 3, 0.19)
    """
    check_model(model, PurchaseDistributionModel, "purchase_probability")
    x, _, t_obs, _ = validate_customer_histories(frequency, recency, T)
    w = np.ones(x.size) if counts is None else as_row_counts(counts)
    if w.size != x.size:
        msg = (
            f"`frequency` and `counts` must have the same length; `frequency` "
            f"has {x.size}, `counts` has {w.size}. Pass one entry per row."
        )
        raise ValueError(msg)
    k = check_integer_option(max_frequency, "max_frequency", minimum=1)
    n_params = model_parameter_count(model, n_parameters)

    observed = np.bincount(np.minimum(x, k), weights=w, minlength=k + 1)
    head = _expected_counts(model, t_obs, w, k)
    total = float(w.sum())
    tail = total - float(head.sum())
    if -_ROUNDING * total < tail < 0.0:
        tail = 0.0  # rounding of the subtraction, not a model property
    expected = np.append(head, tail)

    cell = pool_bins(expected)
    n_cells = int(cell[-1]) + 1
    pooled_observed = np.bincount(cell, weights=observed, minlength=n_cells)
    pooled_expected = np.bincount(cell, weights=expected, minlength=n_cells)
    chi_square = float(
        np.sum((pooled_observed - pooled_expected) ** 2 / pooled_expected)
    )
    df = n_cells - 1 - n_params
    p_value = float(stats.chi2.sf(chi_square, df)) if df >= 1 else math.nan
    labels = [str(j) for j in range(k)] + [f"{k}+"]
    return FrequencyGoodnessOfFit(
        group=labels,
        observed=observed,
        expected=expected,
        cell=cell,
        chi_square=chi_square,
        degrees_of_freedom=df,
        p_value=p_value,
        n_parameters=n_params,
    )
