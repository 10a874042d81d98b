"""Customer-base models and customer value.

Transaction logs become per-customer summaries (:func:`rfm_summary`,
:func:`calibration_holdout_summary`); transaction models (:class:`BGNBD`,
:class:`ParetoNBD` and the rest) and spend models (:class:`GammaGamma`) are
fitted to them (:func:`fit_bgnbd`, :func:`fit_gamma_gamma`, ..., returning a
:class:`Fit`); and :func:`customer_lifetime_value` combines the two with
explicit discounting.
"""

from custvalue.clv._bgbb._fit import fit_bgbb
from custvalue.clv._bgbb._model import BGBB
from custvalue.clv._bgnbd._fit import fit_bgnbd, fit_mbgnbd
from custvalue.clv._bgnbd._model import BGNBD, MBGNBD
from custvalue.clv._comparison import FitComparison, compare_fits
from custvalue.clv._data import (
    CalibrationHoldoutSummary,
    CustomerSummary,
    DiscreteTimeSummary,
    SubscriberLifetimes,
    Transactions,
)
from custvalue.clv._fit import Fit, FitSummary
from custvalue.clv._gamma_gamma._fit import fit_gamma_gamma
from custvalue.clv._gamma_gamma._model import GammaGamma
from custvalue.clv._keyed import CustomerValues
from custvalue.clv._lifetime_value import customer_lifetime_value
from custvalue.clv._log_input import MergeRule, TimeUnit
from custvalue.clv._pareto_nbd._fit import fit_pareto_nbd
from custvalue.clv._pareto_nbd._model import ParetoNBD
from custvalue.clv._profile import profile_confidence_intervals
from custvalue.clv._protocols import Compounding, SpendModel, TransactionModel
from custvalue.clv._sbg._fit import fit_sbg, fit_sbg_survivors
from custvalue.clv._sbg._model import ShiftedBetaGeometric
from custvalue.clv._spend_correlation import (
    SpendFrequencyCorrelation,
    spend_frequency_correlation,
)
from custvalue.clv._summary import calibration_holdout_summary, rfm_summary
from custvalue.clv._units import discount_rate_per_period
from custvalue.clv._value import discounted_expected_purchases
from custvalue.results import ConfidenceInterval, ConvergenceReport

__all__ = [
    "BGBB",
    "BGNBD",
    "MBGNBD",
    "CalibrationHoldoutSummary",
    "Compounding",
    "ConfidenceInterval",
    "ConvergenceReport",
    "CustomerSummary",
    "CustomerValues",
    "DiscreteTimeSummary",
    "Fit",
    "FitComparison",
    "FitSummary",
    "GammaGamma",
    "MergeRule",
    "ParetoNBD",
    "ShiftedBetaGeometric",
    "SpendFrequencyCorrelation",
    "SpendModel",
    "SubscriberLifetimes",
    "TimeUnit",
    "TransactionModel",
    "Transactions",
    "calibration_holdout_summary",
    "compare_fits",
    "customer_lifetime_value",
    "discount_rate_per_period",
    "discounted_expected_purchases",
    "fit_bgbb",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "fit_mbgnbd",
    "fit_pareto_nbd",
    "fit_sbg",
    "fit_sbg_survivors",
    "profile_confidence_intervals",
    "rfm_summary",
    "spend_frequency_correlation",
]
