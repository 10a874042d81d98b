"""Public names of business evaluation (customer KPIs, cohorts, scorecard)."""

__all__: list[str] = []
