"""How good the models are and how the business is doing.

Model evaluation -- holdout accuracy, goodness of fit, tracking, error and
ranking metrics, probability calibration and model comparison -- and
business evaluation -- customer KPIs, cohort retention and the balanced
scorecard. Results are frozen objects that convert to dicts of columns.
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
from custvalue.evaluation._business._acquisition import (
    customer_acquisition_cost,
    customer_roi,
)
from custvalue.evaluation._business._clv_formulas import (
    CLVTiming,
    heuristic_clv,
    retention_clv,
)
from custvalue.evaluation._business._cohorts import CohortRetention, cohort_retention
from custvalue.evaluation._business._kpi import (
    CLASSIC_PERSPECTIVES,
    KPI,
    Polarity,
    Status,
    Trend,
)
from custvalue.evaluation._business._periods import CohortPeriod
from custvalue.evaluation._business._perspective import Perspective
from custvalue.evaluation._business._rates import (
    RateKind,
    churn_rate,
    convert_rate,
    expected_lifetime,
    repeat_purchase_rate,
    retention_rate,
)
from custvalue.evaluation._business._scorecard import BalancedScorecard
from custvalue.evaluation._business._scorecard_result import (
    KPIResult,
    MissingPolicy,
    PerspectiveResult,
    ScorecardResult,
)
from custvalue.evaluation._business._scoring import (
    BinaryScoring,
    GoalRedFlagScoring,
    LinearScoring,
    ProgressScoring,
    ScoringMethod,
    ThresholdTargetStretchScoring,
)
from custvalue.evaluation._business._status import StatusThresholds
from custvalue.evaluation._business._wallet import (
    MarketShareDecomposition,
    ShareOfWallet,
    market_share,
    penetration,
    share_of_wallet,
)

__all__ = [
    "CLASSIC_PERSPECTIVES",
    "KPI",
    "BalancedScorecard",
    "BinaryScoring",
    "CLVTiming",
    "CohortPeriod",
    "CohortRetention",
    "ConditionalPurchaseModel",
    "DecileTable",
    "ErrorMetrics",
    "ExpectedPurchaseModel",
    "FrequencyGoodnessOfFit",
    "GainsCurve",
    "GoalRedFlagScoring",
    "HoldoutComparison",
    "HoldoutTable",
    "KPIResult",
    "LiftResult",
    "LinearScoring",
    "MarketShareDecomposition",
    "MissingPolicy",
    "ModelComparison",
    "Perspective",
    "PerspectiveResult",
    "Polarity",
    "ProbabilityCalibration",
    "ProgressScoring",
    "PurchaseDistributionModel",
    "RateKind",
    "ReliabilityTable",
    "ScorecardResult",
    "ScoringMethod",
    "ShareOfWallet",
    "Status",
    "StatusThresholds",
    "ThresholdTargetStretchScoring",
    "TrackingTable",
    "Trend",
    "churn_rate",
    "cohort_retention",
    "compare_models",
    "convert_rate",
    "customer_acquisition_cost",
    "customer_roi",
    "decile_table",
    "error_metrics",
    "expected_lifetime",
    "frequency_goodness_of_fit",
    "gains_curve",
    "heuristic_clv",
    "holdout_comparison",
    "lift",
    "market_share",
    "normalized_gini",
    "penetration",
    "probability_calibration",
    "repeat_purchase_rate",
    "retention_clv",
    "retention_rate",
    "share_of_wallet",
    "tracking",
]
