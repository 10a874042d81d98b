"""Calibration of predicted probabilities: Brier, log loss, reliability, ROC AUC."""

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
    as_float_array,
    as_vector,
    check_all,
    check_integer_option,
    check_same_length,
)
from custvalue.evaluation._accuracy._columns import (
    ARRAY_EQ,
    FLOAT_EQ,
    check_columns,
    float_column,
    int_column,
)

__all__ = ["ProbabilityCalibration", "ReliabilityTable", "probability_calibration"]


@attrs.frozen(kw_only=True)
class ReliabilityTable(Result):
    """Predicted probability against observed frequency, by bin of prediction.

    One row per non-empty bin :math:`[k/B, (k+1)/B)` (the last bin includes
    1). A well-calibrated model has ``observed_rate`` close to
    ``mean_predicted`` in every row.

    Parameters
    ----------
    bin_lower, bin_upper : ndarray of float
        The bin's edges.
    n_customers : ndarray of int
        Customers whose prediction falls in the bin.
    mean_predicted : ndarray of float
        Their mean predicted probability.
    observed_rate : ndarray of float
        The share of them for whom the event happened.
    """

    bin_lower: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    bin_upper: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    n_customers: IntArray = attrs.field(converter=int_column, eq=ARRAY_EQ)
    mean_predicted: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)
    observed_rate: FloatArray = attrs.field(converter=float_column, eq=ARRAY_EQ)

    def __attrs_post_init__(self) -> None:
        check_columns(self)


@attrs.frozen(kw_only=True)
class ProbabilityCalibration(Result):
    """Scores of predicted probabilities; returned by :func:`probability_calibration`.

    Parameters
    ----------
    n : int
        Number of predictions.
    n_events : int
        How many of the events happened.
    mean_predicted : float
        Mean predicted probability (compare with ``n_events / n``).
    brier : float
        Brier score, the mean squared difference; 0 is perfect.
    brier_skill : float
        :math:`1 - \\mathrm{Brier}/(\\bar o(1-\\bar o))`: improvement over
        predicting the observed rate for everyone; NaN if only one outcome
        occurs.
    log_loss : float
        Mean negative log-likelihood in nats; ``inf`` if a prediction of 0
        or 1 was wrong.
    roc_auc : float
        Area under the ROC curve, ties counted as one half; NaN if only one
        outcome occurs.
    reliability : ReliabilityTable
        Observed frequency by bin of predicted probability.
    """

    n: int
    n_events: int
    mean_predicted: float
    brier: float
    brier_skill: float = attrs.field(eq=FLOAT_EQ)
    log_loss: float
    roc_auc: float = attrs.field(eq=FLOAT_EQ)
    reliability: ReliabilityTable


def _as_outcomes(observed: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    raw = as_vector(observed, "observed")
    if raw.dtype == np.bool_:
        flags: npt.NDArray[np.bool_] = np.array(raw, dtype=np.bool_)
        return flags
    values = as_float_array(raw, "observed")
    check_all(
        (values == 0) | (values == 1),
        "`observed` must be 0 or 1 (or boolean)",
        {"observed": values},
        "Pass whether the event happened, e.g. `holdout_frequency > 0`.",
    )
    happened: npt.NDArray[np.bool_] = values == 1
    return happened


def _roc_auc(probability: FloatArray, event: npt.NDArray[np.bool_]) -> float:
    """Mann-Whitney form with mid-ranks: ties between classes count one half."""
    n_events = int(event.sum())
    n_others = event.size - n_events
    if n_events == 0 or n_others == 0:
        return math.nan
    ranks = stats.rankdata(probability)
    rank_sum = float(ranks[event].sum())
    return (rank_sum - n_events * (n_events + 1) / 2.0) / (n_events * n_others)


def _reliability(
    probability: FloatArray, event: npt.NDArray[np.bool_], n_bins: int
) -> ReliabilityTable:
    # bin k holds edges[k] <= p < edges[k+1], edges[k] = k/B as reported;
    # p = 1 goes to the last bin. Comparing with the edges, not flooring
    # p * B, keeps a p on an edge in the bin above: 0.57 * 100 rounds to
    # 56.99999999999999 although 57 / 100 == 0.57.
    edges = np.arange(n_bins + 1) / n_bins
    index = np.minimum(
        np.searchsorted(edges, probability, side="right") - 1, n_bins - 1
    ).astype(np.int64)
    counts = np.bincount(index, minlength=n_bins)
    sums = np.bincount(index, weights=probability, minlength=n_bins)
    events = np.bincount(index, weights=event.astype(np.float64), minlength=n_bins)
    used = counts > 0
    bins = np.arange(n_bins)[used]
    return ReliabilityTable(
        bin_lower=edges[bins],
        bin_upper=edges[bins + 1],
        n_customers=counts[used],
        mean_predicted=sums[used] / counts[used],
        observed_rate=events[used] / counts[used],
    )


def probability_calibration(
    predicted_probability: npt.ArrayLike,
    observed: npt.ArrayLike,
    *,
    n_bins: int = 10,
) -> ProbabilityCalibration:
    r"""Score predicted probabilities against what happened.

    For predictions of an event per customer -- the probability of buying
    again in the holdout period, of being active, of renewing a contract --
    this says whether the probabilities can be taken at face value
    (calibration: of the customers given 30%, did about 30% do it?) and
    whether they separate the customers who did from those who did not
    (discrimination: ROC AUC).

    Parameters
    ----------
    predicted_probability : array-like of shape (n,)
        Predicted probabilities, each in [0, 1].
    observed : array-like of bool or {0, 1}, shape (n,)
        Whether the event happened for each customer.
    n_bins : int, default=10
        Number of equal-width bins of the reliability table, >= 1.

    Returns
    -------
    ProbabilityCalibration

    Raises
    ------
    ValueError
        If the arrays are empty, differ in length or hold NaN, a probability
        is outside [0, 1], an outcome is not 0 or 1, or ``n_bins < 1``.
    TypeError
        If the arrays hold something other than numbers or booleans.

    See Also
    --------
    holdout_comparison : Predicted against actual purchase counts.

    Notes
    -----
    With predictions :math:`p_i` and outcomes :math:`o_i \in \{0, 1\}`:
    the Brier score (Brier 1950) is :math:`\frac{1}{n}\sum(p_i - o_i)^2`
    and the log loss is :math:`-\frac{1}{n}\sum[o_i\ln p_i +
    (1-o_i)\ln(1-p_i)]` (natural logarithms). Probabilities are **not
    clipped**: a prediction of exactly 0 for an event that happened (or 1
    for one that did not) has an infinite loss, and the log loss is then
    ``inf``. That is the honest score of a forecast that called something
    impossible; clip the predictions yourself (for example to
    :math:`[10^{-15}, 1 - 10^{-15}]`, as scikit-learn once did by default)
    if you want a finite number.

    The ROC AUC is the probability that a random customer with the event
    got a higher prediction than a random customer without it, ties
    counting one half; it is computed from mid-ranks as the Mann-Whitney
    statistic :math:`(\sum_{o_i=1} R_i - n_1(n_1+1)/2)/(n_1 n_0)` (Hanley &
    McNeil 1982).

    To check a customer-base model, the event that can be observed is
    activity in the holdout period, not being "alive": compare
    :math:`1 - P(\text{no purchase in the holdout})` (from the model's
    ``conditional_purchase_probability(0, ...)``) with
    ``holdout_frequency > 0``. P(alive) is an upper bound of that
    probability, because an alive customer may still not buy.

    References
    ----------
    .. [1] Brier, G. W. (1950). Verification of forecasts expressed in terms
       of probability. Monthly Weather Review, 78(1), 1-3.
    .. [2] Hanley, J. A., & McNeil, B. J. (1982). The meaning and use of the
       area under a receiver operating characteristic (ROC) curve.
       Radiology, 143(1), 29-36.
    .. [3] Gneiting, T., & Raftery, A. E. (2007). Strictly proper scoring
       rules, prediction, and estimation. Journal of the American
       Statistical Association, 102(477), 359-378.

    Examples
    --------
    >>> from custvalue.evaluation import probability_calibration
    >>> result = probability_calibration([0.1, 0.4, 0.8, 0.8], [0, 1, 0, 1])
    >>> result.brier
    0.2625

    Of the 4 pairs of a buyer and a non-buyer, 2 are ordered right, 1 is
    ordered wrong (0.4 for a buyer, 0.8 for a non-buyer) and 1 is tied at
    0.8, which counts one half: 2.5 of 4.

    >>> result.roc_auc
    0.625
    >>> result.reliability.observed_rate
    array([0. , 1. , 0.5])

    A prediction of exactly 0 for an event that happened is infinitely
    wrong:

    >>> probability_calibration([0.0, 0.5], [1, 0]).log_loss
    inf
    """
    p = as_float_array(predicted_probability, "predicted_probability")
    check_all(
        (p >= 0) & (p <= 1),
        "`predicted_probability` must be in [0, 1]",
        {"predicted_probability": p},
        "Pass probabilities, not scores or percentages.",
    )
    event = _as_outcomes(observed)
    check_same_length(predicted_probability=p, observed=event)
    n_bins = check_integer_option(n_bins, "n_bins", minimum=1)
    outcome = event.astype(np.float64)
    brier = float(np.mean((p - outcome) ** 2))
    rate = float(outcome.mean())
    reference = rate * (1.0 - rate)
    with np.errstate(divide="ignore"):
        # -ln p for events, -ln(1 - p) = -log1p(-p) otherwise; log(0) = -inf
        # on purpose (no clipping, see Notes)
        losses = np.where(event, -np.log(p), -np.log1p(-p))
    return ProbabilityCalibration(
        n=int(p.size),
        n_events=int(event.sum()),
        mean_predicted=float(p.mean()),
        brier=brier,
        brier_skill=1.0 - brier / reference if reference > 0 else math.nan,
        log_loss=float(np.mean(losses)),
        roc_auc=_roc_auc(p, event),
        reliability=_reliability(p, event, n_bins),
    )
