"""Model evaluation: holdout accuracy, goodness of fit, tracking and metrics.

Private implementation of the model half of :mod:`custvalue.evaluation`;
the public names are re-exported from there.
"""

from custvalue.evaluation._accuracy._calibration import (
    ProbabilityCalibration,
    ReliabilityTable,
    probability_calibration,
)
from custvalue.evaluation._accuracy._comparison import ModelComparison, compare_models
from custvalue.evaluation._accuracy._deciles import (
    DecileTable,
    LiftResult,
    decile_table,
    lift,
)
from custvalue.evaluation._accuracy._error_metrics import ErrorMetrics, error_metrics
from custvalue.evaluation._accuracy._goodness_of_fit import (
    FrequencyGoodnessOfFit,
    frequency_goodness_of_fit,
)
from custvalue.evaluation._accuracy._holdout import (
    HoldoutComparison,
    HoldoutTable,
    holdout_comparison,
)
from custvalue.evaluation._accuracy._models import (
    ConditionalPurchaseModel,
    ExpectedPurchaseModel,
    PurchaseDistributionModel,
)
from custvalue.evaluation._accuracy._ranking import (
    GainsCurve,
    gains_curve,
    normalized_gini,
)
from custvalue.evaluation._accuracy._tracking import TrackingTable, tracking

__all__ = [
    "ConditionalPurchaseModel",
    "DecileTable",
    "ErrorMetrics",
    "ExpectedPurchaseModel",
    "FrequencyGoodnessOfFit",
    "GainsCurve",
    "HoldoutComparison",
    "HoldoutTable",
    "LiftResult",
    "ModelComparison",
    "ProbabilityCalibration",
    "PurchaseDistributionModel",
    "ReliabilityTable",
    "TrackingTable",
    "compare_models",
    "decile_table",
    "error_metrics",
    "frequency_goodness_of_fit",
    "gains_curve",
    "holdout_comparison",
    "lift",
    "normalized_gini",
    "probability_calibration",
    "tracking",
]
