"""Customer-base models and customer value.

Transaction logs become per-customer summaries here (:func:`rfm_summary`,
:func:`calibration_holdout_summary`), the input of the probabilistic
customer-base models.
"""

from custvalue.clv._bgnbd import BGNBD, fit_bgnbd
from custvalue.clv._fit import Fit
from custvalue.clv._gamma_gamma import (
    GammaGamma,
    SpendFrequencyCorrelation,
    fit_gamma_gamma,
    spend_frequency_correlation,
)
from custvalue.clv._log_input import MergeRule, TimeUnit
from custvalue.clv._summary import calibration_holdout_summary, rfm_summary
from custvalue.clv._summary_types import CalibrationHoldoutSummary, CustomerSummary
from custvalue.clv._value import (
    Compounding,
    SpendModel,
    TransactionModel,
    customer_lifetime_value,
    discounted_expected_purchases,
)

__all__ = [
    "BGNBD",
    "CalibrationHoldoutSummary",
    "Compounding",
    "CustomerSummary",
    "Fit",
    "GammaGamma",
    "MergeRule",
    "SpendFrequencyCorrelation",
    "SpendModel",
    "TimeUnit",
    "TransactionModel",
    "calibration_holdout_summary",
    "customer_lifetime_value",
    "discounted_expected_purchases",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "rfm_summary",
    "spend_frequency_correlation",
]
