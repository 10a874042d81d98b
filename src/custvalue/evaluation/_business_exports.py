"""Public names of business evaluation (customer KPIs, cohorts, scorecard)."""

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
    "GoalRedFlagScoring",
    "KPIResult",
    "LinearScoring",
    "MarketShareDecomposition",
    "MissingPolicy",
    "Perspective",
    "PerspectiveResult",
    "Polarity",
    "ProgressScoring",
    "RateKind",
    "ScorecardResult",
    "ScoringMethod",
    "ShareOfWallet",
    "Status",
    "StatusThresholds",
    "ThresholdTargetStretchScoring",
    "Trend",
    "churn_rate",
    "cohort_retention",
    "convert_rate",
    "customer_acquisition_cost",
    "customer_roi",
    "expected_lifetime",
    "heuristic_clv",
    "market_share",
    "penetration",
    "repeat_purchase_rate",
    "retention_clv",
    "retention_rate",
    "share_of_wallet",
]
