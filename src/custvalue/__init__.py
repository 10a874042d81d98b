"""custvalue: typed primitives for customer value analytics.

Arrays in, arrays and frozen objects out; no I/O outside
:mod:`custvalue.datasets`. The subpackages are the public namespaces:

- :mod:`custvalue.clv` -- transaction summaries, customer-base models and
  customer lifetime value;
- :mod:`custvalue.segment` -- RFM, value tiers, lifecycle stages, clusters;
- :mod:`custvalue.satisfaction` -- NPS, CSAT, CES with their statistics;
- :mod:`custvalue.evaluation` -- model accuracy, KPIs, balanced scorecard;
- :mod:`custvalue.datasets` -- the example data shipped with the package;
- :mod:`custvalue.errors` -- the exceptions and warnings custvalue defines.
"""

from custvalue._version import __version__

__all__ = ["__version__"]
