"""The beta-geometric family: BG/NBD and MBG/NBD (model, likelihood, fit)."""
