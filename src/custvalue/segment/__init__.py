"""Customer segmentation: RFM, value tiers, lifecycle, value matrix, clusters."""

__all__: list[str] = []
