"""How good the models are and how the business is doing.

Model evaluation -- holdout accuracy, goodness of fit, tracking, error and
ranking metrics, probability calibration and model comparison -- and
business evaluation -- customer KPIs, cohort retention and the balanced
scorecard. Results are frozen objects that convert to dicts of columns.
"""

from custvalue.evaluation import _business_exports, _model_exports
from custvalue.evaluation._business_exports import *  # noqa: F403
from custvalue.evaluation._model_exports import *  # noqa: F403

__all__ = [*_model_exports.__all__, *_business_exports.__all__]
