"""Public names of model evaluation (holdout accuracy, fit, ranking metrics)."""

__all__: list[str] = []
