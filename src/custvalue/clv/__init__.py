"""Customer-base models and customer value.

Transaction logs become per-customer summaries here (:func:`rfm_summary`,
:func:`calibration_holdout_summary`), the input of the probabilistic
customer-base models.
"""

from custvalue.clv._bgnbd import BGNBD, fit_bgnbd
from custvalue.clv._fit import Fit
from custvalue.clv._log_input import MergeRule, TimeUnit
from custvalue.clv._summary import calibration_holdout_summary, rfm_summary
from custvalue.clv._summary_types import CalibrationHoldoutSummary, CustomerSummary

__all__ = [
    "BGNBD",
    "CalibrationHoldoutSummary",
    "CustomerSummary",
    "Fit",
    "MergeRule",
    "TimeUnit",
    "calibration_holdout_summary",
    "fit_bgnbd",
    "rfm_summary",
]
