"""Satisfaction measures: NPS, CSAT, CES and an ACSI-style index."""

__all__: list[str] = []
