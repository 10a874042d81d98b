"""Model evaluation: holdout accuracy, goodness of fit, tracking and metrics.

Private implementation of the model half of :mod:`custvalue.evaluation`,
which re-exports the public names.
"""
