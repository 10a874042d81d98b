"""Business evaluation: customer KPIs, cohort retention and the balanced scorecard.

Private implementation of the business half of :mod:`custvalue.evaluation`;
the public names are re-exported from there.
"""
